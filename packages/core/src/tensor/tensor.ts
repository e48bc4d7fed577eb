/**
 * The Tensor: a shape, a dtype, a reference-counted buffer on a backend, and autograd links.
 * Ops are plain functions in `../ops`; the methods here are thin conveniences over them.
 */
import { backward as runBackward } from '../autograd/backward.js';
import type { GradNode } from '../autograd/tape.js';
import type { TypedArray } from '../backend/kernels.js';
import { adoptSync, getBackend } from '../backend/registry.js';
import { BackendError, DisposedError, fmt } from '../errors/errors.js';
import { track, untrack } from '../memory/scope.js';
import { release, retain, type Storage } from '../memory/storage.js';
import * as ops from '../ops/index.js';
import type { DType } from './dtype.js';
import { allocTyped } from './dtype.js';
import { sizeOf } from './shape.js';

let nextId = 0;

/** A number or nested arrays of numbers/booleans, as `array()` returns. */
export type NestedArray = number | boolean | NestedArray[];

/** Something an op accepts where a tensor is expected: a tensor or a plain number (a scalar). */
export type TensorLike = Tensor | number | boolean;

/**
 * An n-dimensional array on the active backend.
 *
 * @example
 * ```ts
 * const x = tensor([[1, 2], [3, 4]], { requiresGrad: true });
 * const y = x.mul(x).sum();
 * y.backward();
 * console.log(await x.grad!.array()); // [[2, 4], [6, 8]]
 * ```
 */
export class Tensor {
  /** Unique id, for debugging and maps. */
  readonly id: number;
  readonly shape: readonly number[];
  readonly dtype: DType;
  /** Number of elements. */
  readonly size: number;
  /** Whether gradients flow to this tensor. Set it on leaves (parameters). */
  requiresGrad = false;
  /** The accumulated gradient of a leaf after `backward()`. */
  grad: Tensor | null = null;
  /** How this tensor was computed (null for leaves). */
  gradNode: GradNode | null = null;
  /** Survives every `tidy()` (set by `keep()`). */
  kept = false;
  /** Temporaries this tensor's gradient needs (scalars, casts); freed with it. */
  owned: Tensor[] | null = null;
  /** A name for messages and state dicts (optional). */
  name?: string;
  private storageRef: Storage | null;

  /** @internal Use `tensor()`, `zeros()`, ... to make tensors. */
  constructor(storage: Storage, shape: readonly number[], dtype: DType) {
    this.id = nextId++;
    this.storageRef = storage;
    this.shape = Object.freeze([...shape]);
    this.dtype = dtype;
    this.size = sizeOf(shape);
    track(this);
  }

  /** Rank (number of dims). */
  get rank(): number {
    return this.shape.length;
  }

  /** Whether `dispose()` was called. */
  get isDisposed(): boolean {
    return this.storageRef === null;
  }

  /** @internal The storage, checked for use after dispose and moved to the active backend if needed. */
  storage(op: string): Storage {
    const s = this.storageRef;
    if (s === null) throw new DisposedError(op, `tensor ${fmt(this.shape)} (${this.dtype}) was disposed`);
    if (s.backend !== getBackend()) adoptSync(s);
    return s;
  }

  /** @internal The storage without moving it. */
  rawStorage(op: string): Storage {
    const s = this.storageRef;
    if (s === null) throw new DisposedError(op, `tensor ${fmt(this.shape)} (${this.dtype}) was disposed`);
    return s;
  }

  /** Frees this tensor's reference to its buffer (and its gradient). Safe to call twice. */
  dispose(): void {
    const s = this.storageRef;
    if (s === null) return;
    this.storageRef = null;
    untrack(this);
    release(s);
    this.gradNode = null;
    if (this.owned) {
      for (const t of this.owned) t.dispose();
      this.owned = null;
    }
    if (this.grad) {
      this.grad.dispose();
      this.grad = null;
    }
  }

  /** `using t = ...` disposes at the end of the block. */
  [Symbol.dispose](): void {
    this.dispose();
  }

  /** The values as a typed array (a copy): Float32Array, Int32Array, or Uint8Array for bool. */
  async data(): Promise<TypedArray> {
    const s = this.rawStorage('data');
    if (this.size === 0) return allocTyped(this.dtype, 0);
    return s.backend.read(s.dataId);
  }

  /** The values, synchronously, on backends that can (CPU, worker); throws a BackendError elsewhere. */
  dataSync(): TypedArray {
    const s = this.rawStorage('dataSync');
    if (this.size === 0) return allocTyped(this.dtype, 0);
    if (!s.backend.readSync) {
      throw new BackendError(
        'dataSync',
        `backend '${s.backend.name}' cannot read synchronously; use await t.data()`,
      );
    }
    return s.backend.readSync(s.dataId);
  }

  /** The values as nested arrays (booleans for bool tensors). */
  async array(): Promise<NestedArray> {
    return nest(await this.data(), this.shape, this.dtype);
  }

  /** Nested arrays, synchronously where the backend can. */
  arraySync(): NestedArray {
    return nest(this.dataSync(), this.shape, this.dtype);
  }

  /** The single value of a one-element tensor. */
  async item(): Promise<number> {
    if (this.size !== 1)
      throw new BackendError('item', `tensor ${fmt(this.shape)} has ${this.size} elements, not 1`);
    return (await this.data())[0] as number;
  }

  /** Computes gradients of this tensor (a scalar, or given `gradient`) with respect to every leaf. */
  backward(gradient?: Tensor): void {
    runBackward(this, gradient);
  }

  /** A tensor sharing this one's buffer, cut from the graph. */
  detach(): Tensor {
    return new Tensor(retain(this.rawStorage('detach')), this.shape, this.dtype);
  }

  /** Sets `requiresGrad` and returns this tensor. */
  requiresGrad_(value = true): this {
    this.requiresGrad = value;
    return this;
  }

  /**
   * Replaces this tensor's values with `value`'s (same shape and dtype), in place: how optimisers update
   * parameters. The old buffer is released; `value` is not consumed.
   */
  assign(value: Tensor): this {
    const s = value.rawStorage('assign');
    if (value.dtype !== this.dtype || value.size !== this.size) {
      throw new BackendError(
        'assign',
        `cannot assign ${fmt(value.shape)} (${value.dtype}) to ${fmt(this.shape)} (${this.dtype})`,
      );
    }
    const old = this.rawStorage('assign');
    this.storageRef = retain(s);
    release(old);
    return this;
  }

  toString(): string {
    return `Tensor(${fmt(this.shape)}, ${this.dtype}${this.requiresGrad ? ', requiresGrad' : ''}${this.isDisposed ? ', disposed' : ''})`;
  }

  // ---- op conveniences (see ../ops for documentation) ----
  add(b: TensorLike): Tensor {
    return ops.add(this, b);
  }
  sub(b: TensorLike): Tensor {
    return ops.sub(this, b);
  }
  mul(b: TensorLike): Tensor {
    return ops.mul(this, b);
  }
  div(b: TensorLike): Tensor {
    return ops.div(this, b);
  }
  pow(b: TensorLike): Tensor {
    return ops.pow(this, b);
  }
  maximum(b: TensorLike): Tensor {
    return ops.maximum(this, b);
  }
  minimum(b: TensorLike): Tensor {
    return ops.minimum(this, b);
  }
  equal(b: TensorLike): Tensor {
    return ops.equal(this, b);
  }
  greater(b: TensorLike): Tensor {
    return ops.greater(this, b);
  }
  less(b: TensorLike): Tensor {
    return ops.less(this, b);
  }
  neg(): Tensor {
    return ops.neg(this);
  }
  abs(): Tensor {
    return ops.abs(this);
  }
  exp(): Tensor {
    return ops.exp(this);
  }
  log(): Tensor {
    return ops.log(this);
  }
  sqrt(): Tensor {
    return ops.sqrt(this);
  }
  square(): Tensor {
    return ops.square(this);
  }
  tanh(): Tensor {
    return ops.tanh(this);
  }
  sigmoid(): Tensor {
    return ops.sigmoid(this);
  }
  relu(): Tensor {
    return ops.relu(this);
  }
  sum(axis?: number | readonly number[], keepDims = false): Tensor {
    return ops.sum(this, axis, keepDims);
  }
  mean(axis?: number | readonly number[], keepDims = false): Tensor {
    return ops.mean(this, axis, keepDims);
  }
  max(axis?: number | readonly number[], keepDims = false): Tensor {
    return ops.max(this, axis, keepDims);
  }
  min(axis?: number | readonly number[], keepDims = false): Tensor {
    return ops.min(this, axis, keepDims);
  }
  argmax(axis?: number, keepDims = false): Tensor {
    return ops.argmax(this, axis, keepDims);
  }
  matmul(b: Tensor): Tensor {
    return ops.matmul(this, b);
  }
  reshape(shape: readonly number[]): Tensor {
    return ops.reshape(this, shape);
  }
  flatten(startDim = 0, endDim = -1): Tensor {
    return ops.flatten(this, startDim, endDim);
  }
  transpose(perm?: readonly number[]): Tensor {
    return ops.transpose(this, perm);
  }
  /** The transpose of a 2-D tensor. */
  get T(): Tensor {
    return ops.transpose(this);
  }
  cast(dtype: DType): Tensor {
    return ops.cast(this, dtype);
  }
  clone(): Tensor {
    return ops.clone(this);
  }
}

function nest(values: TypedArray, shape: readonly number[], dtype: DType): NestedArray {
  const conv = dtype === 'bool' ? (v: number) => v !== 0 : (v: number) => v;
  if (shape.length === 0) return conv(values[0] as number);
  const build = (dim: number, offset: number): NestedArray[] => {
    const n = shape[dim] as number;
    const stride = sizeOf(shape.slice(dim + 1));
    const out: NestedArray[] = new Array(n);
    for (let i = 0; i < n; i++) {
      out[i] =
        dim === shape.length - 1 ? conv(values[offset + i] as number) : build(dim + 1, offset + i * stride);
    }
    return out;
  };
  return build(0, 0);
}
