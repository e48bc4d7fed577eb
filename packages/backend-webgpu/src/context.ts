/**
 * What a kernel needs from the backend: its inputs' buffers, new outputs, and a way to run a shader.
 * `WebGpuBackend` implements it; kernels depend on this interface only.
 */
import type { DType, TensorInfo } from '@myelin/core';
import type { GpuTensor } from './gpu-tensor.js';

/** See `kernels/gemm.ts`. */
export type GemmStrategy = 'shared' | 'registers';

/** One compute dispatch in the standard binding layout (see `wgsl.ts`). */
export interface DispatchSpec {
  /** Cache key of the pipeline: kernel and variant (op, dtypes, mode). One key, one WGSL source. */
  readonly key: string;
  /** Builds the WGSL source; called only when the pipeline is not cached yet. */
  readonly source: () => string;
  /** Read-only inputs, bound at 0..k-1. */
  readonly inputs: readonly GpuTensor[];
  /** The output, bound at k. */
  readonly output: GpuTensor;
  /** The params block, bound at k+1. */
  readonly params: Uint32Array;
  /** Workgroup counts. */
  readonly grid: readonly [number, number, number];
}

/** The backend as its kernels see it. */
export interface GpuContext {
  /** The most workgroups along one dispatch dimension. */
  readonly maxWorkgroupsPerDim: number;
  /** How matrix products run: through workgroup-memory tiles (GPUs) or register blocks (software). */
  readonly gemm: GemmStrategy;
  /** The storage of an input, checked to be a live buffer of this backend. */
  input(info: TensorInfo): GpuTensor;
  /** A new buffer for `size` elements of `dtype`; its contents are undefined. */
  alloc(dtype: DType, size: number): GpuTensor;
  /** Frees a buffer allocated by a kernel for its own scratch use. */
  release(t: GpuTensor): void;
  /** Queues a compute dispatch. */
  dispatch(spec: DispatchSpec): void;
  /** Queues a copy of `elements` 4-byte elements between buffers (offsets in elements). */
  copy(src: GpuTensor, dst: GpuTensor, elements: number, srcOffset?: number, dstOffset?: number): void;
}
