// biome-ignore-all lint/style/noNonNullAssertion: slab and free-list lookups are in range by construction.
/**
 * Tensor storage: views into a few large SharedArrayBuffers ("slabs") that every thread holds from the
 * start, so a job names a tensor by (slab, offset, length) and nothing is copied or re-shared per job.
 *
 * Why slabs rather than one SharedArrayBuffer per tensor (measured here):
 * - V8 does not count SharedArrayBuffers as external memory, so dropping them never prompts a garbage
 *   collection: a loop of 16 MB tensors grew the process to 8 GB. Every thread that received a buffer in
 *   a job also keeps it alive until its own next collection. Slabs live as long as the backend; freeing a
 *   tensor returns its block to a free list at once.
 * - A fresh SharedArrayBuffer of a few hundred KB costs 85–160 µs against 9–11 µs for an ArrayBuffer; a
 *   block from a free list costs well under 1 µs.
 *
 * Blocks come in size classes (eight per power of two, so at most 12.5% is wasted) and are reused by
 * class; a training step allocates the same shapes every time, so its blocks come back every step. A
 * reused block is not zeroed: every jsmath range function writes each element of its range (the tests'
 * poison option checks it). Tensors of a quarter slab or more get a slab of their own, which is kept for
 * reuse up to a cap and otherwise released.
 */
import type { DType, TypedArray } from '@myelin/core';

/** Where a buffer lives: a block of a slab. */
export interface Block {
  readonly slab: number;
  readonly offset: number;
  /** The block's size class in bytes (≥ the buffer's bytes). */
  readonly bytes: number;
  /** The last typed array made on this block, reused when the block comes back for the same dtype and size. */
  view?: TypedArray;
}

/** One buffer of the worker backend; the DataId core holds is this object itself. */
export class SharedData {
  constructor(
    /** The live values (a view into a slab); an empty array once freed. */
    public values: TypedArray,
    public readonly dtype: DType,
    public readonly block: Block,
  ) {}
  /** Set by `free`, so a use after free fails loudly. */
  freed = false;
}

/** What the store tells the thread pool, so every worker holds the same slabs. */
export interface SlabListener {
  slabAdded(id: number, buffer: SharedArrayBuffer): void;
  slabRemoved(id: number): void;
}

/** Bytes of a shared slab. */
const SLAB_BYTES = 64 * 1024 * 1024;
/** Blocks of this size or more get a slab of their own. */
const OWN_SLAB_BYTES = SLAB_BYTES / 4;
/** Every block starts on a multiple of this (a cache line; more than any typed array needs). */
const ALIGN = 64;

/** The size class of `bytes`: a multiple of 64 up to 512 bytes, then eight classes per power of two. */
export function sizeClass(bytes: number): number {
  if (bytes <= 512) return Math.max(ALIGN, Math.ceil(bytes / ALIGN) * ALIGN);
  const step = 2 ** (Math.floor(Math.log2(bytes)) - 3);
  return Math.ceil(bytes / step) * step;
}

function bytesOf(dtype: DType, size: number): number {
  return dtype === 'bool' ? size : size * 4;
}

const ARRAY_OF: Readonly<Record<DType, unknown>> = {
  float32: Float32Array,
  int32: Int32Array,
  bool: Uint8Array,
};

function viewOf(dtype: DType, buffer: SharedArrayBuffer, offset: number, size: number): TypedArray {
  if (dtype === 'float32') return new Float32Array(buffer, offset, size);
  if (dtype === 'int32') return new Int32Array(buffer, offset, size);
  return new Uint8Array(buffer, offset, size);
}

/**
 * Allocates typed arrays in shared slabs and takes them back.
 *
 * @example
 * ```ts
 * const store = new SlabStore(listener, 256 << 20);
 * const { values, block } = store.alloc('float32', 1024); // a Float32Array view into a slab
 * store.release(block);
 * ```
 */
export class SlabStore {
  private readonly slabs: (SharedArrayBuffer | undefined)[] = [];
  private readonly ids = new Map<SharedArrayBuffer, number>();
  private readonly free = new Map<number, Block[]>();
  /** The slab being carved, and how far. */
  private current = -1;
  private top = 0;
  /** Bytes of own-slab blocks on the free lists. */
  private keptOwnBytes = 0;
  private reserved = 0;

  /**
   * @param listener - told of every slab added or removed.
   * @param maxKeptOwnBytes - bytes of freed own-slab blocks (big tensors) kept for reuse.
   * @param poison - fill reused float32 blocks with NaN (a testing aid: an element a kernel forgets to
   * write then shows up).
   */
  constructor(
    private readonly listener: SlabListener,
    private readonly maxKeptOwnBytes: number,
    private readonly poison = false,
  ) {}

  /** A shared typed array for `size` elements of `dtype` (contents unspecified when reused). */
  alloc(dtype: DType, size: number): { values: TypedArray; block: Block } {
    const bytes = sizeClass(bytesOf(dtype, size));
    const reused = this.free.get(bytes)?.pop();
    let block: Block;
    if (reused) {
      block = reused;
      if (bytes >= OWN_SLAB_BYTES) this.keptOwnBytes -= bytes;
    } else if (bytes >= OWN_SLAB_BYTES) {
      block = { slab: this.addSlab(bytes), offset: 0, bytes };
    } else {
      if (this.current < 0 || this.top + bytes > SLAB_BYTES) {
        this.current = this.addSlab(SLAB_BYTES);
        this.top = 0;
      }
      block = { slab: this.current, offset: this.top, bytes };
      this.top += bytes;
    }
    // A view on a SharedArrayBuffer costs about a microsecond to make; a training step reallocates the
    // same shapes every step, so the block's last view usually fits.
    const cached = block.view;
    const values =
      cached !== undefined && cached.length === size && cached.constructor === ARRAY_OF[dtype]
        ? cached
        : viewOf(dtype, this.slabs[block.slab]!, block.offset, size);
    block.view = values;
    if (reused && this.poison) values.fill(dtype === 'float32' ? Number.NaN : 0x5a);
    return { values, block };
  }

  /** Takes a block back; nothing may use its values afterwards. */
  release(block: Block): void {
    if (block.bytes >= OWN_SLAB_BYTES && this.keptOwnBytes + block.bytes > this.maxKeptOwnBytes) {
      this.removeSlab(block.slab);
      return;
    }
    if (block.bytes >= OWN_SLAB_BYTES) this.keptOwnBytes += block.bytes;
    let list = this.free.get(block.bytes);
    if (!list) {
      list = [];
      this.free.set(block.bytes, list);
    }
    list.push(block);
  }

  /** The id of the slab a buffer is, if it is one. */
  slabId(buffer: ArrayBufferLike): number | undefined {
    return this.ids.get(buffer as SharedArrayBuffer);
  }

  /** Every live slab by id (for a worker that starts now). */
  liveSlabs(): [number, SharedArrayBuffer][] {
    const out: [number, SharedArrayBuffer][] = [];
    this.slabs.forEach((s, id) => {
      if (s) out.push([id, s]);
    });
    return out;
  }

  /** Bytes of all slabs: live tensors, free blocks and the uncarved rest. */
  get reservedBytes(): number {
    return this.reserved;
  }

  /** Drops every slab (the backend is being disposed). */
  clear(): void {
    for (let id = 0; id < this.slabs.length; id++) if (this.slabs[id]) this.removeSlab(id);
    this.free.clear();
    this.current = -1;
    this.keptOwnBytes = 0;
  }

  private addSlab(bytes: number): number {
    const buffer = new SharedArrayBuffer(bytes);
    let id = this.slabs.indexOf(undefined);
    if (id < 0) id = this.slabs.length;
    this.slabs[id] = buffer;
    this.ids.set(buffer, id);
    this.reserved += bytes;
    this.listener.slabAdded(id, buffer);
    return id;
  }

  private removeSlab(id: number): void {
    const buffer = this.slabs[id]!;
    this.slabs[id] = undefined;
    this.ids.delete(buffer);
    this.reserved -= buffer.byteLength;
    this.listener.slabRemoved(id);
    // V8 does not count a SharedArrayBuffer as external memory; an untouched ArrayBuffer of its size is
    // counted (and, being large, is mapped lazily and costs nothing), so the collector soon frees it.
    void new ArrayBuffer(buffer.byteLength);
  }
}
