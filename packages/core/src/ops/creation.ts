/** Making tensors: from data, constants, ranges, and random draws. */
import { ArgumentError, DTypeError, fmt, ShapeError } from '../errors/errors.js';
import { reserve } from '../random/generator.js';
import { allocTyped, DTYPES, type DType } from '../tensor/dtype.js';
import { checkShape, sizeOf } from '../tensor/shape.js';
import type { NestedArray, Tensor } from '../tensor/tensor.js';
import { asTensor } from './convert.js';
import { fromValues, runKernel } from './dispatch.js';

/** Data `tensor()` accepts. */
export type TensorData =
  | number
  | boolean
  | NestedArray
  | Float32Array
  | Int32Array
  | Uint8Array
  | readonly number[];

/** Options of `tensor()`. */
export interface TensorOptions {
  dtype?: DType;
  shape?: readonly number[];
  requiresGrad?: boolean;
}

function inferShape(data: unknown, op: string): number[] {
  const shape: number[] = [];
  let d: unknown = data;
  while (Array.isArray(d)) {
    shape.push(d.length);
    d = d[0];
  }
  const check = (v: unknown, dim: number): void => {
    if (dim === shape.length) {
      if (Array.isArray(v))
        throw new ShapeError(op, `ragged nested array: expected a value at depth ${dim}, found an array`);
      return;
    }
    if (!Array.isArray(v) || v.length !== shape[dim]) {
      throw new ShapeError(
        op,
        `ragged nested array: dim ${dim} should have ${shape[dim]} entries, found ${Array.isArray(v) ? v.length : 'a value'}`,
      );
    }
    for (const x of v) check(x, dim + 1);
  };
  check(data, 0);
  return shape;
}

function flattenInto(data: unknown, out: number[]): void {
  if (Array.isArray(data)) for (const x of data) flattenInto(x, out);
  else if (typeof data === 'boolean') out.push(data ? 1 : 0);
  else if (typeof data === 'number') out.push(data);
  else
    throw new DTypeError(
      'tensor',
      `values must be numbers or booleans, got ${data === null ? 'null' : typeof data}`,
    );
}

/**
 * A tensor from nested arrays, a typed array or a number. Numbers give float32 unless `dtype` says
 * otherwise; booleans give bool; an Int32Array gives int32.
 *
 * @example
 * ```ts
 * const x = tensor([[1, 2], [3, 4]]);
 * const idx = tensor([0, 2, 1], { dtype: 'int32' });
 * const w = tensor(new Float32Array(6), { shape: [2, 3], requiresGrad: true });
 * ```
 */
export function tensor(data: TensorData, options: TensorOptions = {}): Tensor {
  if (options.dtype !== undefined && !DTYPES.includes(options.dtype)) {
    throw new DTypeError('tensor', `unknown dtype '${String(options.dtype)}'`);
  }
  let flat: ArrayLike<number>;
  let shape: number[];
  let inferred: DType = 'float32';
  if (data instanceof Float32Array || data instanceof Int32Array || data instanceof Uint8Array) {
    flat = data;
    shape = [data.length];
    inferred = data instanceof Int32Array ? 'int32' : data instanceof Uint8Array ? 'bool' : 'float32';
  } else {
    shape = inferShape(data, 'tensor');
    const values: number[] = [];
    flattenInto(data, values);
    flat = values;
    let probe: unknown = data;
    while (Array.isArray(probe)) probe = probe[0];
    if (typeof probe === 'boolean') inferred = 'bool';
  }
  if (options.shape) {
    checkShape('tensor', options.shape);
    if (sizeOf(options.shape) !== flat.length) {
      throw new ShapeError(
        'tensor',
        `${flat.length} values do not fill shape ${fmt(options.shape)} (${sizeOf(options.shape)} elements)`,
      );
    }
    shape = [...options.shape];
  }
  const dtype = options.dtype ?? inferred;
  const typed = allocTyped(dtype, flat.length);
  for (let i = 0; i < flat.length; i++) {
    const v = flat[i] as number;
    typed[i] = dtype === 'bool' ? (v ? 1 : 0) : v;
  }
  const t = fromValues(typed, shape, dtype);
  if (options.requiresGrad) {
    if (dtype !== 'float32')
      throw new DTypeError('tensor', `only float32 tensors can require gradients, got ${dtype}`);
    t.requiresGrad = true;
  }
  return t;
}

/** A 0-d tensor. */
export function scalar(value: number | boolean, dtype?: DType): Tensor {
  return tensor(value, dtype ? { dtype } : {});
}

/**
 * A tensor of `shape` filled with `value`.
 *
 * @example
 * ```ts
 * full([2, 2], 7); // [[7, 7], [7, 7]]
 * ```
 */
export function full(shape: readonly number[], value: number | boolean, dtype?: DType): Tensor {
  checkShape('full', shape);
  const dt = dtype ?? (typeof value === 'boolean' ? 'bool' : 'float32');
  if (!DTYPES.includes(dt)) throw new DTypeError('full', `unknown dtype '${String(dt)}'`);
  return runKernel(
    'full',
    'fill',
    [],
    { value: typeof value === 'boolean' ? (value ? 1 : 0) : value },
    shape,
    dt,
  );
}

/** Zeros of `shape`. */
export function zeros(shape: readonly number[], dtype: DType = 'float32'): Tensor {
  return full(shape, 0, dtype);
}

/** Ones of `shape`. */
export function ones(shape: readonly number[], dtype: DType = 'float32'): Tensor {
  return full(shape, 1, dtype);
}

/** Zeros with `x`'s shape and dtype. */
export function zerosLike(x: Tensor): Tensor {
  asTensor('zerosLike', x);
  return full(x.shape, 0, x.dtype);
}

/** Ones with `x`'s shape and dtype. */
export function onesLike(x: Tensor): Tensor {
  asTensor('onesLike', x);
  return full(x.shape, 1, x.dtype);
}

/** `value` with `x`'s shape and dtype. */
export function fullLike(x: Tensor, value: number): Tensor {
  asTensor('fullLike', x);
  return full(x.shape, value, x.dtype);
}

/**
 * `start, start+step, ...` below `stop` (`arange(n)` counts 0..n-1). int32 when all arguments are
 * integers, like PyTorch; float32 otherwise.
 */
export function arange(start: number, stop?: number, step = 1, dtype?: DType): Tensor {
  const [lo, hi] = stop === undefined ? [0, start] : [start, stop];
  if (![lo, hi, step].every(Number.isFinite) || step === 0) {
    throw new ArgumentError(
      'arange',
      `needs finite start, stop and a non-zero step, got (${lo}, ${hi}, ${step})`,
    );
  }
  const n = Math.max(0, Math.ceil((hi - lo) / step));
  const dt = dtype ?? ([lo, hi, step].every(Number.isInteger) ? 'int32' : 'float32');
  const values = allocTyped(dt, n);
  for (let i = 0; i < n; i++) values[i] = lo + i * step;
  return fromValues(values, [n], dt);
}

/** `n` evenly spaced values from `start` to `stop` inclusive. */
export function linspace(start: number, stop: number, n: number): Tensor {
  if (!Number.isInteger(n) || n < 0)
    throw new ArgumentError('linspace', `n must be a non-negative integer, got ${n}`);
  const values = new Float32Array(n);
  for (let i = 0; i < n; i++) values[i] = n === 1 ? start : start + ((stop - start) * i) / (n - 1);
  return fromValues(values, [n], 'float32');
}

/** The identity matrix (n × m, m defaults to n). */
export function eye(n: number, m = n): Tensor {
  checkShape('eye', [n, m]);
  const values = new Float32Array(n * m);
  for (let i = 0; i < Math.min(n, m); i++) values[i * m + i] = 1;
  return fromValues(values, [n, m], 'float32');
}

/**
 * Uniform random values in [low, high) from the seeded Philox stream (the global generator, or a fresh
 * stream for `seed`).
 *
 * @example
 * ```ts
 * manualSeed(0); const u = rand([2, 3]);
 * ```
 */
export function rand(
  shape: readonly number[],
  options: { low?: number; high?: number; seed?: number } = {},
): Tensor {
  checkShape('rand', shape);
  const low = options.low ?? 0;
  const high = options.high ?? 1;
  if (!(high >= low)) throw new ArgumentError('rand', `high (${high}) must be ≥ low (${low})`);
  const at = reserve('uniform', sizeOf(shape), options.seed);
  return runKernel(
    'rand',
    'randomUniform',
    [],
    { key: at.key, counter: at.counter, low, high },
    shape,
    'float32',
  );
}

/** Normal random values (Box–Muller over the Philox stream). */
export function randn(
  shape: readonly number[],
  options: { mean?: number; std?: number; seed?: number } = {},
): Tensor {
  checkShape('randn', shape);
  const std = options.std ?? 1;
  if (!(std >= 0)) throw new ArgumentError('randn', `std must be ≥ 0, got ${std}`);
  const at = reserve('normal', sizeOf(shape), options.seed);
  return runKernel(
    'randn',
    'randomNormal',
    [],
    { key: at.key, counter: at.counter, mean: options.mean ?? 0, std },
    shape,
    'float32',
  );
}
