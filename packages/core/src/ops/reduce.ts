/** Reductions over axes, and `sumTo` (the adjoint of broadcasting). */

import { record } from '../autograd/tape.js';
import type { ReduceOp } from '../backend/kernels.js';
import { ArgumentError, DTypeError, fmt } from '../errors/errors.js';
import type { DType } from '../tensor/dtype.js';
import { normalizeAxes, normalizeAxis, shapesEqual } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { add, div, equal, mul, sub, where } from './binary.js';
import { adoptOwned, asTensor, cast, composite } from './convert.js';
import { runKernel } from './dispatch.js';
import { expand, reshape } from './shape.js';
import { exp, log, sqrt, square } from './unary.js';

type Axis = number | readonly number[] | undefined;

function keptShape(shape: readonly number[], axes: readonly number[]): number[] {
  return shape.map((d, i) => (axes.includes(i) ? 1 : d));
}

function droppedShape(shape: readonly number[], axes: readonly number[]): number[] {
  return shape.filter((_, i) => !axes.includes(i));
}

const IDENTITY: Record<ReduceOp, number> = {
  sum: 0,
  mean: Number.NaN,
  max: -Infinity,
  min: Infinity,
  prod: 1,
  any: 0,
  all: 1,
};

function reduce(
  op: ReduceOp,
  x: Tensor,
  axis: Axis,
  keepDims: boolean,
  outDtype: DType,
  grad?: (x: Tensor, y: Tensor, dy: Tensor, axes: number[]) => Tensor,
): Tensor {
  const axes = normalizeAxes(op, axis, x.shape);
  const kept = keptShape(x.shape, axes);
  const final = keepDims ? kept : droppedShape(x.shape, axes);
  let y: Tensor;
  if (x.size === 0) {
    if ((op === 'max' || op === 'min') && axes.some((a) => x.shape[a] === 0)) {
      throw new ArgumentError(
        op,
        `cannot reduce an empty dimension of ${fmt(x.shape)} (no identity for ${op})`,
      );
    }
    y = runKernel(op, 'fill', [], { value: IDENTITY[op] }, final, outDtype);
  } else if (axes.length === 0) {
    y = runKernel(op, 'cast', [x], {}, final, outDtype);
  } else {
    const r = runKernel(op, 'reduce', [x], { op, axes }, kept, outDtype);
    if (keepDims) y = r;
    else {
      y = reshape(r, final);
      r.dispose();
    }
  }
  if (grad && outDtype === 'float32' && x.dtype === 'float32') {
    record(op, y, [x], (dy) => [grad(x, y, reshape(dy, kept), axes)]);
  }
  return y;
}

function numericInput(op: string, x: Tensor): Tensor {
  asTensor(op, x);
  return x.dtype === 'bool' ? cast(x, 'int32') : x;
}

function withTemp(x: Tensor, input: Tensor, out: Tensor): Tensor {
  return input === x ? out : adoptOwned(out, [input]);
}

/**
 * Sum over `axis` (a number, an array, or all axes). int and bool inputs sum to int32.
 *
 * @example
 * ```ts
 * sum(tensor([[1, 2], [3, 4]]), 1); // [3, 7]
 * ```
 */
export function sum(x: Tensor, axis?: Axis, keepDims = false): Tensor {
  const input = numericInput('sum', x);
  return withTemp(
    x,
    input,
    reduce('sum', input, axis, keepDims, input.dtype, (x_, _y, dy) => expand(dy, x_.shape)),
  );
}

/** Mean over `axis` (int input is averaged as float32). */
export function mean(x: Tensor, axis?: Axis, keepDims = false): Tensor {
  asTensor('mean', x);
  const input = x.dtype === 'float32' ? x : cast(x, 'float32');
  return withTemp(
    x,
    input,
    reduce('mean', input, axis, keepDims, 'float32', (x_, _y, dy, axes) => {
      const n = axes.reduce((p, a) => p * (x_.shape[a] as number), 1);
      return div(expand(dy, x_.shape), n);
    }),
  );
}

function extremum(op: 'max' | 'min', x: Tensor, axis: Axis, keepDims: boolean): Tensor {
  const input = numericInput(op, x);
  return withTemp(
    x,
    input,
    reduce(op, input, axis, keepDims, input.dtype, (x_, y, dy, axes) => {
      // Ties share the gradient evenly, like PyTorch's amax/amin.
      const kept = keptShape(x_.shape, axes);
      const mask = where(equal(x_, reshape(y, kept)), 1, 0);
      const count = sum(mask, axes, true);
      return div(mul(mask, dy), count);
    }),
  );
}

/** Maximum over `axis` (values only; see `argmax` for indices). Ties share the gradient. */
export function max(x: Tensor, axis?: Axis, keepDims = false): Tensor {
  return extremum('max', x, axis, keepDims);
}

/** Minimum over `axis`. */
export function min(x: Tensor, axis?: Axis, keepDims = false): Tensor {
  return extremum('min', x, axis, keepDims);
}

/** Product over `axis`. */
export function prod(x: Tensor, axis?: Axis, keepDims = false): Tensor {
  const input = numericInput('prod', x);
  return withTemp(
    x,
    input,
    reduce('prod', input, axis, keepDims, input.dtype, (x_, y, dy, axes) =>
      div(mul(expand(dy, x_.shape), reshape(y, keptShape(x_.shape, axes))), x_),
    ),
  );
}

/** True where any element along `axis` is non-zero. */
export function any(x: Tensor, axis?: Axis, keepDims = false): Tensor {
  asTensor('any', x);
  const input = x.dtype === 'bool' ? x : cast(x, 'bool');
  return withTemp(x, input, reduce('any', input, axis, keepDims, 'bool'));
}

/** True where every element along `axis` is non-zero. */
export function all(x: Tensor, axis?: Axis, keepDims = false): Tensor {
  asTensor('all', x);
  const input = x.dtype === 'bool' ? x : cast(x, 'bool');
  return withTemp(x, input, reduce('all', input, axis, keepDims, 'bool'));
}

function argReduce(op: 'argmax' | 'argmin', x: Tensor, axis: number | undefined, keepDims: boolean): Tensor {
  asTensor(op, x);
  if (x.dtype === 'bool') throw new DTypeError(op, `does not take bool tensors (${fmt(x.shape)})`);
  if (axis === undefined) {
    const flat = reshape(x, [x.size]);
    const r = argReduce(op, flat, 0, false);
    flat.dispose();
    if (!keepDims) return r;
    const k = reshape(
      r,
      x.shape.map(() => 1),
    );
    r.dispose();
    return k;
  }
  const ax = normalizeAxis(op, axis, x.rank, x.shape);
  if (x.shape[ax] === 0)
    throw new ArgumentError(op, `cannot take ${op} over an empty dimension of ${fmt(x.shape)}`);
  const kept = keptShape(x.shape, [ax]);
  if (x.rank === 0) return runKernel(op, 'fill', [], { value: 0 }, [], 'int32');
  const r = runKernel(op, 'argReduce', [x], { op, axis: ax }, kept, 'int32');
  if (keepDims) return r;
  const out = reshape(r, droppedShape(x.shape, [ax]));
  r.dispose();
  return out;
}

/** Index of the first maximum along `axis` (flattened when omitted), int32. */
export function argmax(x: Tensor, axis?: number, keepDims = false): Tensor {
  return argReduce('argmax', x, axis, keepDims);
}

/** Index of the first minimum along `axis`, int32. */
export function argmin(x: Tensor, axis?: number, keepDims = false): Tensor {
  return argReduce('argmin', x, axis, keepDims);
}

/**
 * Variance over `axis`; `unbiased` (default true) divides by n - 1, like PyTorch.
 *
 * @example
 * ```ts
 * variance(tensor([1, 2, 3, 4]), 0, { unbiased: false }); // 1.25
 * ```
 */
export function variance(
  x: Tensor,
  axis?: Axis,
  options: { unbiased?: boolean; keepDims?: boolean } = {},
): Tensor {
  asTensor('variance', x);
  const axes = normalizeAxes('variance', axis, x.shape);
  const n = axes.reduce((p, a) => p * (x.shape[a] as number), 1);
  const unbiased = options.unbiased ?? true;
  return composite(() => {
    const m = mean(x, axes, true);
    const ss = sum(square(sub(x, m)), axes, options.keepDims ?? false);
    return div(ss, unbiased ? n - 1 : n);
  });
}

/** Standard deviation over `axis` (unbiased by default). */
export function std(
  x: Tensor,
  axis?: Axis,
  options: { unbiased?: boolean; keepDims?: boolean } = {},
): Tensor {
  asTensor('std', x);
  return composite(() => sqrt(variance(x, axis, options)));
}

/** log(sum(exp(x))) over `axis`, computed stably. */
export function logSumExp(x: Tensor, axis?: Axis, keepDims = false): Tensor {
  asTensor('logSumExp', x);
  const axes = normalizeAxes('logSumExp', axis, x.shape);
  return composite(() => {
    const m = maxDetached(x, axes);
    const s = log(sum(exp(sub(x, m)), axes, true));
    const out = add(s, m);
    return keepDims ? out : reshape(out, droppedShape(x.shape, axes));
  });
}

function maxDetached(x: Tensor, axes: number[]): Tensor {
  // The shift is a constant for the gradient; infinite maxima are replaced by 0 to avoid inf - inf.
  const m = runKernel('logSumExp', 'reduce', [x], { op: 'max', axes }, keptShape(x.shape, axes), 'float32');
  const finite = where(equal(m, Infinity), 0, where(equal(m, -Infinity), 0, m));
  m.dispose();
  return finite;
}

/** Sums `g` down to `shape` (the adjoint of broadcasting `shape` up to g's shape). */
export function sumTo(g: Tensor, shape: readonly number[]): Tensor {
  if (shapesEqual(g.shape, shape)) return g;
  const lead = g.rank - shape.length;
  const axes: number[] = [];
  for (let i = 0; i < g.rank; i++) {
    if (i < lead || (shape[i - lead] === 1 && g.shape[i] !== 1)) axes.push(i);
  }
  const s = sum(g, axes, true);
  return lead === 0 ? s : reshape(s, shape);
}
