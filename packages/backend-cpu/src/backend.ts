import type {
  Backend,
  BackendMemory,
  DataId,
  DType,
  KernelImpl,
  KernelTable,
  OutSpec,
  TensorInfo,
  TypedArray,
} from '@myelin/core';
import { cpuKernels } from './kernels/index.js';
import { Recycler } from './recycler.js';

/** What a freed buffer holds: one shared empty array per dtype (a new one per free cost ~1 µs). */
const EMPTY: Readonly<Record<DType, TypedArray>> = {
  float32: new Float32Array(0),
  int32: new Int32Array(0),
  bool: new Uint8Array(0),
};

/** Bytes of freed buffers the backend keeps for reuse (see `Recycler`). */
const RECYCLE_BYTES = 128 * 1024 * 1024;

/**
 * One buffer of the CPU backend: the DataId core holds is this object itself, so a kernel reaches its
 * typed array with no lookup (no Map from ids to arrays, nothing to leak when core drops an id).
 */
export class CpuData {
  constructor(
    /** The live values; replaced by an empty array once freed. */
    public values: TypedArray,
    public readonly dtype: DType,
  ) {}
  /** Set by `free`, so a use after free fails loudly instead of reading stale data. */
  freed = false;
  /** Whether the backend allocated the array itself (only those are recycled: an adopted one may be shared). */
  owned = false;
}

/**
 * The CPU backend: plain TypeScript on typed arrays (bool as 0/1 bytes), running each kernel at once on
 * the calling thread. The kernel math lives in `@myelin/core/jsmath`; this class holds storage.
 *
 * @example
 * ```ts
 * import { registerBackend, setBackend } from '@myelin/core';
 * import { CpuBackend } from '@myelin/backend-cpu';
 * registerBackend('cpu', () => new CpuBackend(), { priority: 1 });
 * await setBackend('cpu');
 * ```
 */
export class CpuBackend implements Backend {
  readonly name = 'cpu';
  // The table's kernels take a CpuBackend (they call `dataOf`/`allocate`); core always passes the backend
  // that owns the table, so widening the parameter type here is safe.
  readonly kernels: KernelTable = cpuKernels as unknown as KernelTable;
  readonly extraKernels = new Map<string, KernelImpl>();
  private liveBuffers = 0;
  private liveBytes = 0;
  private readonly recycler = new Recycler(RECYCLE_BYTES);

  /** Copies `values` into a new buffer of `dtype` (converting element type if it differs). */
  upload(values: TypedArray, dtype: DType): DataId {
    const copy = this.recycler.take(dtype, values.length);
    copy.set(values);
    return this.track(this.owned(copy, dtype));
  }

  /** A fresh copy of a buffer's values. */
  read(dataId: DataId): Promise<TypedArray> {
    return Promise.resolve(this.readSync(dataId));
  }

  /** A fresh copy of a buffer's values, synchronously. */
  readSync(dataId: DataId): TypedArray {
    return this.dataOf(dataId).slice();
  }

  describe(dataId: DataId): { dtype: DType; size: number } {
    const d = this.cpuData(dataId);
    return { dtype: d.dtype, size: d.values.length };
  }

  free(dataId: DataId): void {
    const d = this.cpuData(dataId);
    if (d.freed) return;
    this.liveBuffers--;
    this.liveBytes -= d.values.byteLength;
    d.freed = true;
    if (d.owned) this.recycler.give(d.dtype, d.values);
    d.values = EMPTY[d.dtype];
  }

  memory(): BackendMemory {
    return { buffers: this.liveBuffers, bytes: this.liveBytes };
  }

  dispose(): void {
    // Buffers are plain objects owned by core's tensors; the garbage collector reclaims them.
    this.liveBuffers = 0;
    this.liveBytes = 0;
    this.recycler.clear();
  }

  describeSelf(): string {
    return 'cpu: plain TypeScript, 1 thread';
  }

  /**
   * The live typed array behind a DataId (not a copy): what plugin kernels read and write.
   *
   * @example
   * ```ts
   * registerKernel('cpu', 'double', (inputs, _attrs, out, backend) => {
   *   const cpu = backend as CpuBackend;
   *   const x = cpu.dataOf(inputs[0].dataId) as Float32Array;
   *   return cpu.adopt(x.map((v) => 2 * v), out.dtype);
   * });
   * ```
   */
  dataOf(dataId: DataId): TypedArray {
    const d = this.cpuData(dataId);
    if (d.freed) throw new Error('cpu backend: buffer used after it was freed');
    return d.values;
  }

  /** The live array of a kernel input. */
  input(info: TensorInfo): TypedArray {
    return this.dataOf(info.dataId);
  }

  /** A new zeroed buffer for a kernel's output; returns the DataId and the array to fill. */
  allocate(out: OutSpec): { id: DataId; values: TypedArray } {
    const values = this.recycler.take(out.dtype, out.size);
    return { id: this.track(this.owned(values, out.dtype)), values };
  }

  /** Wraps an existing array of `dtype`'s storage type as a new buffer, without copying. */
  adopt(values: TypedArray, dtype: DType): DataId {
    return this.track(new CpuData(values, dtype));
  }

  private owned(values: TypedArray, dtype: DType): CpuData {
    const d = new CpuData(values, dtype);
    d.owned = true;
    return d;
  }

  private track(d: CpuData): CpuData {
    this.liveBuffers++;
    this.liveBytes += d.values.byteLength;
    return d;
  }

  private cpuData(dataId: DataId): CpuData {
    if (!(dataId instanceof CpuData)) throw new Error('cpu backend: not a buffer of this backend');
    return dataId;
  }
}

/** Creates a CPU backend (a `BackendFactory` for `registerBackend`). */
export function createCpuBackend(): CpuBackend {
  return new CpuBackend();
}
