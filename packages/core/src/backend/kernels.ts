/**
 * The backend contract: a short table of primitive kernels with explicit attributes.
 *
 * Core validates shapes and dtypes and computes every output's shape and dtype *before* a kernel is
 * called, so a kernel only computes. All tensors a kernel sees are dense, row-major (C order) and
 * contiguous; an empty tensor (some dim 0) never reaches a kernel.
 *
 * Every kernel has the same calling convention:
 * `impl(inputs, attrs, out, backend) => DataId` — `inputs` are positional, `out` names the shape and dtype
 * of the result the kernel must allocate and return.
 */
import type { DType } from '../tensor/dtype.js';

/** Opaque handle to one backend's storage for one tensor buffer. */
export type DataId = object;

/** What a kernel is told about an input tensor. */
export interface TensorInfo {
  readonly dataId: DataId;
  readonly shape: readonly number[];
  readonly dtype: DType;
  /** Number of elements (product of shape). */
  readonly size: number;
}

/** The shape and dtype of the tensor a kernel must produce. */
export interface OutSpec {
  readonly shape: readonly number[];
  readonly dtype: DType;
  readonly size: number;
}

/**
 * Elementwise unary ops. Input dtype float32 unless noted; output dtype = input dtype, except
 * `logicalNot` (bool → bool) and `isNaN` (→ bool).
 * - `neg`, `abs`, `sign`, `square`, `relu`: float32 or int32.
 * - `step`: 1 where x > 0 else 0 (the derivative of relu).
 * - `sigmoid` must be stable for large |x| (no NaN, no overflow); `softplus` = log(1 + exp(x)), stable.
 * - `round` rounds half to even, like PyTorch.
 */
export type UnaryOp =
  | 'neg'
  | 'abs'
  | 'sign'
  | 'square'
  | 'sqrt'
  | 'rsqrt'
  | 'reciprocal'
  | 'exp'
  | 'expm1'
  | 'log'
  | 'log1p'
  | 'sin'
  | 'cos'
  | 'tanh'
  | 'sigmoid'
  | 'softplus'
  | 'relu'
  | 'step'
  | 'floor'
  | 'ceil'
  | 'round'
  | 'logicalNot'
  | 'isNaN';

/**
 * Elementwise binary ops with NumPy broadcasting (out.shape is the broadcast shape; an input's shape
 * is right-aligned against it, dims of size 1 broadcast). Both inputs have the same dtype.
 * - arithmetic (`add`, `sub`, `mul`, `maximum`, `minimum`, `mod`): float32 or int32, output same dtype.
 *   `mod` is floored (Python/PyTorch `remainder`: sign of the divisor).
 * - `div`, `pow`, `atan2`: float32 only.
 * - comparisons (`equal` ... `greaterEqual`): any dtype, output bool.
 * - `logicalAnd`, `logicalOr`: bool → bool.
 */
export type BinaryOp =
  | 'add'
  | 'sub'
  | 'mul'
  | 'div'
  | 'pow'
  | 'maximum'
  | 'minimum'
  | 'mod'
  | 'atan2'
  | 'equal'
  | 'notEqual'
  | 'less'
  | 'lessEqual'
  | 'greater'
  | 'greaterEqual'
  | 'logicalAnd'
  | 'logicalOr';

/** Reductions over a set of axes; out.shape is x.shape with each reduced axis set to 1 (keepdims). */
export type ReduceOp = 'sum' | 'mean' | 'max' | 'min' | 'prod' | 'any' | 'all';

/** conv2d attributes (NCHW input, OIHW weight, as PyTorch). */
export interface Conv2dAttrs {
  readonly stride: readonly [number, number];
  readonly padding: readonly [number, number];
  readonly dilation: readonly [number, number];
}

/** Pooling attributes (NCHW). Max pooling pads with -Infinity; average pooling counts padded zeros
 * in the divisor (PyTorch's default `count_include_pad=True`). */
export interface Pool2dAttrs {
  readonly kernel: readonly [number, number];
  readonly stride: readonly [number, number];
  readonly padding: readonly [number, number];
}

/** Key and counter position of a Philox 4x32-10 stream (see `random/philox.ts` for the spec). */
export interface RandomAttrs {
  /** Philox key: two uint32 words. */
  readonly key: readonly [number, number];
  /** First 64-bit counter value, as [lo, hi] uint32 words. */
  readonly counter: readonly [number, number];
}

/**
 * The attributes of each kernel, by kernel name, with its positional inputs in the comment.
 * A backend must implement every kernel listed here.
 */
export interface KernelAttrs {
  /** [x] → out. */
  unary: { readonly op: UnaryOp };
  /** [a, b] → out (broadcast). */
  binary: { readonly op: BinaryOp };
  /** [cond (bool), a, b] → out, all three broadcast to out.shape; a and b share out's dtype. */
  where: Record<string, never>;
  /** [x] → out with the reduced axes kept as size 1. `any`/`all` take bool. `mean` takes float32. */
  reduce: { readonly op: ReduceOp; readonly axes: readonly number[] };
  /** [x] → int32 out, index of the first max (or min) along `axis`; out keeps `axis` as size 1. */
  argReduce: { readonly op: 'argmax' | 'argmin'; readonly axis: number };
  /** [x] → out of out.dtype, which may equal x's (then a plain copy). float→int truncates toward zero; →bool is x != 0; bool→number is 0/1. */
  cast: Record<string, never>;
  /**
   * [a, b] → out [B, M, N]. a is [Ba, M, K] ([Ba, K, M] if transposeA), b is [Bb, K, N]
   * ([Bb, N, K] if transposeB); Ba and Bb are each 1 or B (a batch of 1 broadcasts). float32.
   */
  matmul: { readonly transposeA: boolean; readonly transposeB: boolean };
  /** [x [N,C,H,W], w [O,C,KH,KW]] → out [N,O,OH,OW]. OH = floor((H + 2ph - dh(KH-1) - 1)/sh) + 1. */
  conv2d: Conv2dAttrs;
  /** [dy [N,O,OH,OW], w [O,C,KH,KW]] → out = dL/dx, shape [N,C,H,W] (given by out.shape). */
  conv2dBackwardInput: Conv2dAttrs;
  /** [x [N,C,H,W], dy [N,O,OH,OW]] → out = dL/dw, shape [O,C,KH,KW] (given by out.shape). */
  conv2dBackwardFilter: Conv2dAttrs;
  /** [x [N,C,H,W]] → out [N,C,OH,OW]. */
  maxPool2d: Pool2dAttrs;
  /** [dy [N,C,OH,OW], x [N,C,H,W]] → out [N,C,H,W]: each dy goes to the first max of its window
   * (row-major window order), accumulating where windows overlap. */
  maxPool2dBackward: Pool2dAttrs;
  /** [x [N,C,H,W]] → out [N,C,OH,OW]. */
  avgPool2d: Pool2dAttrs;
  /** [dy [N,C,OH,OW]] → out [N,C,H,W] (shape given by out.shape). */
  avgPool2dBackward: Pool2dAttrs;
  /** [x] → out, softmax over the last axis, computed stably (subtract the row max). */
  softmax: Record<string, never>;
  /** [x] → out, log-softmax over the last axis, stable (x - max - log(sum(exp(x - max)))). */
  logSoftmax: Record<string, never>;
  /**
   * [x, indices (int32, any shape)] → out = x.shape[:axis] ++ indices.shape ++ x.shape[axis+1:]
   * (`torch.index_select` generalised to N-d indices). Indices are in range (core checks).
   */
  gather: { readonly axis: number };
  /** [updates, indices (int32)] → out (shape given): zeros, then out[..., idx, ...] += updates — the
   * gradient of `gather` with the same axis. */
  scatterAdd: { readonly axis: number };
  /** [indices (int32)] → float32 out = indices.shape ++ [depth]; `on` at the index, `off` elsewhere.
   * An index outside [0, depth) gives an all-`off` row. */
  oneHot: { readonly depth: number; readonly on: number; readonly off: number };
  /** [x] → out with out.shape[i] = x.shape[perm[i]]. */
  transpose: { readonly perm: readonly number[] };
  /** [x] → out, out[i...] = x[begin + i * step ...] per axis (step ≥ 1). */
  slice: { readonly begin: readonly number[]; readonly step: readonly number[] };
  /** [x0, x1, ...] → out, joined along `axis` (all inputs share every other dim and the dtype). */
  concat: { readonly axis: number };
  /** [x] → out, each axis padded by [before, after] elements of `value` (both ≥ 0). */
  pad: { readonly paddings: readonly (readonly [number, number])[]; readonly value: number };
  /** [] → out filled with `value`. */
  fill: { readonly value: number };
  /** [] → float32 out, uniform in [low, high) from the Philox stream (see `random/philox.ts`). */
  randomUniform: RandomAttrs & { readonly low: number; readonly high: number };
  /** [] → float32 out, normal(mean, std) from the Philox stream by Box–Muller (see `random/philox.ts`). */
  randomNormal: RandomAttrs & { readonly mean: number; readonly std: number };
}

/** The name of a built-in kernel. */
export type KernelName = keyof KernelAttrs;

/** Every kernel implementation has this shape. `B` is the backend type it runs on. */
export type KernelImpl<A = Record<string, unknown>, B extends Backend = Backend> = (
  inputs: readonly TensorInfo[],
  attrs: A,
  out: OutSpec,
  backend: B,
) => DataId;

/** The full kernel table of a backend: every built-in kernel, plus plugin kernels by name. */
export type KernelTable<B extends Backend = Backend> = {
  [K in KernelName]: KernelImpl<KernelAttrs[K], B>;
};

/** A typed array of the storage type of a dtype (bool is stored as Uint8Array of 0/1). */
export type TypedArray = Float32Array | Int32Array | Uint8Array;

/** Memory held by a backend. */
export interface BackendMemory {
  /** Live buffers (one per DataId). */
  readonly buffers: number;
  /** Bytes held by live buffers. */
  readonly bytes: number;
}

/**
 * A backend: storage plus a kernel table. Implement this (and pass `@myelin/conformance`) to add one.
 *
 * @example
 * ```ts
 * registerBackend('cpu', () => new CpuBackend(), { priority: 1 });
 * await setBackend('cpu');
 * ```
 */
export interface Backend {
  /** Registry name, e.g. `cpu`. */
  readonly name: string;
  /** The built-in kernels. */
  readonly kernels: KernelTable;
  /** Extra kernels registered by plugins (`registerKernel`), by name. */
  readonly extraKernels?: Map<string, KernelImpl>;
  /** Copy `values` (of `dtype`'s storage type) into new storage. */
  upload(values: TypedArray, dtype: DType): DataId;
  /** Read a buffer back (a fresh copy the caller owns). */
  read(dataId: DataId): Promise<TypedArray>;
  /** Synchronous read, only where the backend can honour it (CPU, worker). */
  readSync?(dataId: DataId): TypedArray;
  /** The dtype and element count of a buffer, used to check plugin kernels' results. */
  describe(dataId: DataId): { dtype: DType; size: number };
  /** Release a buffer. Called exactly once per DataId, by core's reference counting. */
  free(dataId: DataId): void;
  /** Live buffers and bytes. */
  memory(): BackendMemory;
  /** Wait until every queued kernel has finished (a no-op for eager backends). */
  sync?(): Promise<void>;
  /** Free everything and end any threads or devices. */
  dispose(): void | Promise<void>;
  /** A one-line human description (adapter name, thread count). */
  describeSelf?(): string;
}
