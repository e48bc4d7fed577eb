/**
 * Reuses GPU buffers. Creating a GPUBuffer costs far more than handing back one that was freed, and a
 * training loop frees and allocates the same sizes every step, so freed buffers wait in free lists by
 * size class until a request of the same class arrives.
 */

/** The smallest buffer the pool hands out, in bytes. */
export const MIN_CLASS_BYTES = 256;

/**
 * The size class of a request: a power of two (at least 256 bytes) up to 1 MiB; above that, steps of an
 * eighth of the next power of two, so a large tensor wastes at most 12.5% instead of up to 50%.
 *
 * @example
 * sizeClass(100) // 256
 * sizeClass(3000) // 4096
 */
export function sizeClass(bytes: number): number {
  if (bytes <= MIN_CLASS_BYTES) return MIN_CLASS_BYTES;
  const pow2 = 2 ** Math.ceil(Math.log2(bytes));
  if (pow2 <= 1 << 20) return pow2;
  const step = pow2 / 8;
  return Math.ceil(bytes / step) * step;
}

/** What a pool holds, for `WebGpuBackend.poolStats()`. */
export interface PoolStats {
  /** Buffers handed out and not yet released. */
  readonly liveBuffers: number;
  /** GPU bytes of those buffers (their size classes). */
  readonly liveBytes: number;
  /** Released buffers waiting for reuse. */
  readonly freeBuffers: number;
  /** GPU bytes of the waiting buffers. */
  readonly freeBytes: number;
  /** Requests served from a free list. */
  readonly hits: number;
  /** Requests that created a buffer. */
  readonly misses: number;
}

/** A pool of buffers of one usage, reusing freed buffers by size class. */
export class BufferPool {
  private readonly freeLists = new Map<number, GPUBuffer[]>();
  private live = 0;
  private liveBytes = 0;
  private freeCount = 0;
  private freeBytes = 0;
  private hits = 0;
  private misses = 0;

  /**
   * @param device the device that creates the buffers
   * @param usage GPUBufferUsage flags of every buffer of this pool
   * @param maxFreeBytes released buffers beyond this many bytes are destroyed instead of kept
   * @param label a debugging label given to created buffers
   * @param onDestroy called just before the pool destroys a buffer
   */
  constructor(
    private readonly device: GPUDevice,
    private readonly usage: number,
    private readonly maxFreeBytes: number,
    private readonly label: string,
    private readonly onDestroy?: (buffer: GPUBuffer) => void,
  ) {}

  /** A buffer of at least `bytes` bytes (its size is the size class). */
  acquire(bytes: number): GPUBuffer {
    const size = sizeClass(bytes);
    const list = this.freeLists.get(size);
    let buffer = list?.pop();
    if (buffer) {
      this.hits++;
      this.freeCount--;
      this.freeBytes -= size;
    } else {
      this.misses++;
      buffer = this.device.createBuffer({ size, usage: this.usage, label: this.label });
    }
    this.live++;
    this.liveBytes += size;
    return buffer;
  }

  /** Returns a buffer for reuse (or destroys it when the pool already keeps enough). */
  release(buffer: GPUBuffer): void {
    const size = buffer.size;
    this.live--;
    this.liveBytes -= size;
    if (this.freeBytes + size > this.maxFreeBytes) {
      this.onDestroy?.(buffer);
      buffer.destroy();
      return;
    }
    let list = this.freeLists.get(size);
    if (!list) {
      list = [];
      this.freeLists.set(size, list);
    }
    list.push(buffer);
    this.freeCount++;
    this.freeBytes += size;
  }

  /** Destroys every waiting buffer (live ones stay with their owners). */
  drain(): void {
    for (const list of this.freeLists.values()) {
      for (const b of list) {
        this.onDestroy?.(b);
        b.destroy();
      }
    }
    this.freeLists.clear();
    this.freeCount = 0;
    this.freeBytes = 0;
  }

  /** Counts of live and waiting buffers, and of hits and misses. */
  stats(): PoolStats {
    return {
      liveBuffers: this.live,
      liveBytes: this.liveBytes,
      freeBuffers: this.freeCount,
      freeBytes: this.freeBytes,
      hits: this.hits,
      misses: this.misses,
    };
  }
}
