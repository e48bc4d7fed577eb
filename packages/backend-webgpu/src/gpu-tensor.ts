import type { DType } from '@myelin/core';

/**
 * The storage of one tensor on the GPU: the `DataId` this backend hands to core. Every dtype takes four
 * bytes per element on the GPU (bool is a u32 of 0/1, since WGSL has no byte-sized storage type).
 */
export class GpuTensor {
  /** Set by `free()`; a freed tensor's buffer may already hold another tensor. */
  freed = false;

  constructor(
    /** The buffer (from the pool; it may be larger than `size * 4` bytes). */
    readonly buffer: GPUBuffer,
    readonly dtype: DType,
    /** Number of elements. */
    readonly size: number,
    /** The backend that owns the buffer. */
    readonly owner: object,
  ) {}

  /** Bytes of the elements (size * 4). */
  get byteLength(): number {
    return this.size * 4;
  }
}
