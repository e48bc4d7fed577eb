import type { DType } from '@myelin/core';

/**
 * The storage of one tensor on the GPU: the `DataId` this backend hands to core. Every dtype takes four
 * bytes per element on the GPU (bool is a u32 of 0/1, since WGSL has no byte-sized storage type).
 * Kernels get one from `GpuContext.input`/`alloc` and pass it back to `dispatch`; only the backend makes
 * them.
 */
export class GpuTensor {
  /** Set by `free()`; a freed tensor's buffer may already hold another tensor. */
  freed = false;
  /**
   * The `GPUBuffer` (from the pool; it may be larger than `size * 4` bytes). Internal, like the
   * constructor: the published declarations leave both out, so they need no WebGPU types.
   * @internal
   */
  readonly buffer: GPUBuffer;
  readonly dtype: DType;
  /** Number of elements. */
  readonly size: number;
  /** The backend that owns the buffer. */
  readonly owner: object;

  /** @internal */
  constructor(buffer: GPUBuffer, dtype: DType, size: number, owner: object) {
    this.buffer = buffer;
    this.dtype = dtype;
    this.size = size;
    this.owner = owner;
  }

  /** Bytes of the elements (size * 4). */
  get byteLength(): number {
    return this.size * 4;
  }
}
