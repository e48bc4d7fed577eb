/**
 * Tensor storage in SharedArrayBuffers, so every thread reads and writes the same memory (a job posts
 * the buffers, never copies them).
 *
 * Freed buffers are kept for reuse, by exact byte length, up to a cap: a training step allocates the same
 * shapes every time, and a fresh SharedArrayBuffer of a few hundred KB costs ~10× an ArrayBuffer here
 * (measured: 85–160 µs against 9–11 µs at 256 KB). A reused buffer is not zeroed: every jsmath range
 * function writes each element of its range, which the poison option of the tests checks.
 */
import type { DType, TypedArray } from '@myelin/core';

/** One buffer of the worker backend; the DataId core holds is this object itself. */
export class SharedData {
  constructor(
    /** The live values (a view over a SharedArrayBuffer); an empty array once freed. */
    public values: TypedArray,
    public readonly dtype: DType,
  ) {}
  /** Set by `free`, so a use after free fails loudly. */
  freed = false;
}

/** Buffers kept per byte length, at most (a bound on how many of one shape a loop frees at once). */
const MAX_PER_SIZE = 16;

function view(dtype: DType, buffer: SharedArrayBuffer, size: number): TypedArray {
  if (dtype === 'float32') return new Float32Array(buffer, 0, size);
  if (dtype === 'int32') return new Int32Array(buffer, 0, size);
  return new Uint8Array(buffer, 0, size);
}

function bytesOf(dtype: DType, size: number): number {
  return dtype === 'bool' ? size : size * 4;
}

/**
 * Allocates shared typed arrays and keeps freed ones for reuse.
 *
 * @example
 * ```ts
 * const store = new SharedStore(64 << 20);
 * const a = store.alloc('float32', 1024); // Float32Array over a SharedArrayBuffer
 * store.recycle(a);
 * ```
 */
export class SharedStore {
  private readonly free = new Map<number, SharedArrayBuffer[]>();
  private keptBytes = 0;

  /**
   * @param maxKeptBytes - bytes of freed buffers kept for reuse (0 keeps none).
   * @param poison - fill reused float32 buffers with NaN (a testing aid: an element a kernel forgets to
   * write then shows up).
   */
  constructor(
    private readonly maxKeptBytes: number,
    private readonly poison = false,
  ) {}

  /** A shared typed array for `size` elements of `dtype` (contents unspecified when reused). */
  alloc(dtype: DType, size: number): TypedArray {
    const bytes = bytesOf(dtype, size);
    const kept = this.free.get(bytes);
    const reused = kept?.pop();
    if (reused) {
      this.keptBytes -= bytes;
      const values = view(dtype, reused, size);
      if (this.poison) values.fill(dtype === 'float32' ? Number.NaN : 0x5a);
      return values;
    }
    return view(dtype, new SharedArrayBuffer(bytes), size);
  }

  /** Hands a buffer back for reuse; nothing may use `values` afterwards. */
  recycle(values: TypedArray): void {
    const bytes = values.byteLength;
    if (bytes === 0 || this.keptBytes + bytes > this.maxKeptBytes) return;
    let list = this.free.get(bytes);
    if (!list) {
      list = [];
      this.free.set(bytes, list);
    }
    if (list.length >= MAX_PER_SIZE) return;
    list.push(values.buffer as SharedArrayBuffer);
    this.keptBytes += bytes;
  }

  /** Bytes of freed buffers held for reuse. */
  get reservedBytes(): number {
    return this.keptBytes;
  }

  /** Drops every kept buffer. */
  clear(): void {
    this.free.clear();
    this.keptBytes = 0;
  }
}
