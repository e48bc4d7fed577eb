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
import { workerKernels } from './kernels/index.js';
import { guidedBounds } from './pool/board.js';
import { loadPlatform } from './pool/platform.js';
import type { Fault } from './pool/protocol.js';
import { type PoolStats, ThreadPool } from './pool/thread-pool.js';
import { type Block, SharedData, SlabStore } from './storage.js';
import { TASKS, type TaskArgs, type TaskName } from './tasks/index.js';

/** Options of {@link createWorkerBackend}. */
export interface WorkerBackendOptions {
  /**
   * Threads in all, the calling thread included (it computes a share): `threads - 1` workers are started.
   * Default: the number of cores. More threads than cores only adds contention.
   */
  readonly threads?: number;
  /** Kernels expected to take less than this (ms, on one thread) run inline on the calling thread. Default 0.3. */
  readonly minSplitMs?: number;
  /**
   * The same threshold while the workers are still spinning after the previous split kernel (back-to-back
   * kernels of a training step): a split then costs no wake-up and pays from less work. Default 0.1.
   */
  readonly minSplitAwakeMs?: number;
  /** How long a worker keeps spinning after a kernel before it sleeps, in ms. Default 2. */
  readonly spinMs?: number;
  /** A kernel fails if no chunk of it finishes for this long, in ms (a hung or dead worker). Default 500. */
  readonly stallMs?: number;
  /** Where the worker script is, if a bundler moved it. Default: `worker.js` beside this module. */
  readonly workerUrl?: URL | string;
  /** Bytes of freed big tensors (16 MiB or more, which get storage of their own) kept for reuse. Default 256 MiB. */
  readonly keepFreedBytes?: number;
  /** Testing aid: reused float buffers are filled with NaN first, so an element a kernel skips shows. */
  readonly poisonReused?: boolean;
}

/** The least work of a chunk (ns, estimated): less would cost more in claims and scratch than it gains. */
const MIN_CHUNK_NS = 25_000;

/** Counters of how kernels ran, for tests and tuning. */
export interface WorkerStats extends PoolStats {
  /** Kernels run whole on the calling thread. */
  inlineJobs: number;
  /** Bytes of shared storage held: live tensors, freed blocks kept for reuse, and unused slab space. */
  storageBytes: number;
}

/**
 * The worker-thread backend: the kernels of `@myelin/core/jsmath`, each big one split across the calling
 * thread and a pool of workers over SharedArrayBuffer storage, small ones run inline. Make one with
 * {@link createWorkerBackend}.
 *
 * Kernels run synchronously: the calling thread computes its share and then waits for the workers'
 * chunks. On a browser page's main thread, which may not block, it spins for them instead; run the model
 * in a Web Worker there.
 *
 * @example
 * ```ts
 * import { registerBackend, setBackend } from '@myelin/core';
 * import { createWorkerBackend } from '@myelin/backend-worker';
 * registerBackend('worker', () => createWorkerBackend({ threads: 4 }), { priority: 2 });
 * await setBackend('worker');
 * ```
 */
export class WorkerBackend implements Backend {
  readonly name = 'worker';
  // The kernels take a WorkerBackend (they call `input`/`produce`/`parallel`); core always passes the
  // backend that owns the table, so widening the parameter type here is safe.
  readonly kernels: KernelTable = workerKernels as unknown as KernelTable;
  readonly extraKernels = new Map<string, KernelImpl>();
  private readonly store: SlabStore;
  private readonly minSplitMs: number;
  private readonly minSplitAwakeMs: number;
  private liveBuffers = 0;
  private liveBytes = 0;
  private inlineJobs = 0;

  /** Use {@link createWorkerBackend}, which starts the pool. */
  constructor(
    private readonly pool: ThreadPool,
    options: WorkerBackendOptions = {},
  ) {
    this.store = new SlabStore(
      pool,
      options.keepFreedBytes ?? 256 * 1024 * 1024,
      options.poisonReused ?? false,
    );
    this.minSplitMs = options.minSplitMs ?? 0.3;
    this.minSplitAwakeMs = Math.min(this.minSplitMs, options.minSplitAwakeMs ?? 0.1);
  }

  /** Threads in all (the calling thread included). */
  get threads(): number {
    return this.pool.threads;
  }

  upload(values: TypedArray, dtype: DType): DataId {
    const { values: copy, block } = this.store.alloc(dtype, values.length);
    copy.set(values);
    return this.track(new SharedData(copy, dtype, block));
  }

  read(dataId: DataId): Promise<TypedArray> {
    return Promise.resolve(this.readSync(dataId));
  }

  /** A fresh (unshared) copy of a buffer's values. */
  readSync(dataId: DataId): TypedArray {
    return this.dataOf(dataId).slice();
  }

  describe(dataId: DataId): { dtype: DType; size: number } {
    const d = this.sharedData(dataId);
    return { dtype: d.dtype, size: d.values.length };
  }

  free(dataId: DataId): void {
    const d = this.sharedData(dataId);
    if (d.freed) return;
    this.liveBuffers--;
    this.liveBytes -= d.values.byteLength;
    d.freed = true;
    this.store.release(d.block);
    d.values = EMPTY[d.dtype];
  }

  memory(): BackendMemory {
    return { buffers: this.liveBuffers, bytes: this.liveBytes };
  }

  /** Ends every worker thread and drops the storage. */
  async dispose(): Promise<void> {
    this.store.clear();
    this.liveBuffers = 0;
    this.liveBytes = 0;
    await this.pool.dispose();
  }

  describeSelf(): string {
    return `worker: ${this.pool.describe()}; ${(this.store.reservedBytes / 2 ** 20).toFixed(0)} MiB of shared storage`;
  }

  /** What the backend has run so far: split and inline kernels, chunks per thread, replaced workers. */
  stats(): WorkerStats {
    const s = this.pool.stats;
    return {
      ...s,
      chunksByThread: [...s.chunksByThread],
      inlineJobs: this.inlineJobs,
      storageBytes: this.store.reservedBytes,
    };
  }

  /** Workers ready to take a share of the next kernel. */
  readyWorkers(): number {
    return this.pool.readyWorkers();
  }

  /** Resolves once every worker slot has a ready worker (say after a fault), or false after `timeoutMs`. */
  whenReady(timeoutMs?: number): Promise<boolean> {
    return this.pool.whenReady(timeoutMs);
  }

  /**
   * Testing aid: worker `slot` (1 .. threads-1) fails at its next chunk by throwing, by ending its thread,
   * or by never finishing the chunk.
   */
  injectFault(slot: number, fault: Fault): void {
    this.pool.injectFault(slot, fault);
  }

  /** The live typed array behind a DataId (shared memory, not a copy): what plugin kernels use. */
  dataOf(dataId: DataId): TypedArray {
    const d = this.sharedData(dataId);
    if (d.freed) throw new Error('worker backend: buffer used after it was freed');
    return d.values;
  }

  /** The live array of a kernel input. */
  input(info: TensorInfo): TypedArray {
    return this.dataOf(info.dataId);
  }

  /**
   * Allocates a kernel's output, lets `compute` fill it, and returns its DataId. If `compute` throws, the
   * block is never reused: a stalled worker may still be writing into it.
   */
  produce(out: OutSpec, compute: (values: TypedArray) => void): DataId {
    const { values, block } = this.store.alloc(out.dtype, out.size);
    compute(values);
    return this.track(new SharedData(values, out.dtype, block));
  }

  /** Shared scratch memory for a kernel; hand it back with `releaseScratch` once the kernel succeeded. */
  scratch(dtype: DType, size: number): { values: TypedArray; block: Block } {
    return this.store.alloc(dtype, size);
  }

  /** Returns scratch memory for reuse. */
  releaseScratch(scratch: { block: Block }): void {
    this.store.release(scratch.block);
  }

  /** Whether a kernel of `totalNs` (single-thread estimate) would be split across threads now. */
  worthSplitting(totalNs: number): boolean {
    return this.pool.readyWorkers() > 0 && this.bigEnough(totalNs / 1e6);
  }

  /**
   * Whether a kernel estimated at `ms` (one thread) is worth splitting now: from `minSplitMs`, or from
   * `minSplitAwakeMs` while the workers still spin after the previous split kernel. The clock is read only
   * in between, so a tiny kernel pays nothing for the check.
   */
  private bigEnough(ms: number): boolean {
    if (ms < this.minSplitAwakeMs) return false;
    return ms >= this.minSplitMs || this.pool.workersAwake();
  }

  /**
   * Runs task `task` over units `[0, total)`: inline when the kernel is small (`total · nsPerUnit` under
   * `minSplitMs`) or no worker is ready, else in chunks of at least `minGrain` units (and ~25 µs of work)
   * shared by the calling thread and the workers.
   */
  parallel<K extends TaskName>(
    task: K,
    args: TaskArgs[K],
    total: number,
    nsPerUnit: number,
    minGrain = 1,
  ): void {
    const workers = this.pool.readyWorkers();
    if (workers === 0 || total < 2 || !this.bigEnough((total * nsPerUnit) / 1e6)) {
      this.inlineJobs++;
      this.pool.runInline(task, args, total);
      return;
    }
    const minChunk = Math.max(minGrain, Math.ceil(MIN_CHUNK_NS / nsPerUnit));
    const bounds = guidedBounds(total, workers + 1, Math.min(minChunk, Math.ceil(total / 2)));
    this.pool.run(task, args, bounds, ((bounds[1] ?? total) * nsPerUnit) / 1e6);
  }

  private track(d: SharedData): SharedData {
    this.liveBuffers++;
    this.liveBytes += d.values.byteLength;
    return d;
  }

  private sharedData(dataId: DataId): SharedData {
    if (!(dataId instanceof SharedData)) throw new Error('worker backend: not a buffer of this backend');
    return dataId;
  }
}

/**
 * Creates a worker-thread backend and waits until its threads are ready. A `BackendFactory`: it throws
 * (and `listBackends()` reports the backend unavailable, with the reason) where threads with shared memory
 * cannot run, e.g. on a page that is not cross-origin isolated.
 *
 * @example
 * ```ts
 * registerBackend('worker', () => createWorkerBackend(), { priority: 2 });
 * const backend = await createWorkerBackend({ threads: 2 });
 * console.log(backend.describeSelf()); // worker: 2 threads (main + 1 workers, 1 ready) on 2 cores
 * ```
 */
export async function createWorkerBackend(options: WorkerBackendOptions = {}): Promise<WorkerBackend> {
  const platform = await loadPlatform();
  const threads = options.threads ?? platform.cores;
  if (!Number.isInteger(threads) || threads < 1) {
    throw new RangeError(`createWorkerBackend: threads must be a whole number ≥ 1, got ${threads}`);
  }
  const pool = await ThreadPool.start(platform, TASKS, {
    threads,
    workerUrl: options.workerUrl,
    spinMs: options.spinMs ?? 2,
    stallMs: options.stallMs ?? 500,
    startTimeoutMs: 20_000,
  });
  return new WorkerBackend(pool, options);
}

/** What a freed buffer holds: one shared empty array per dtype (it keeps no memory alive, costs no allocation). */
const EMPTY: Readonly<Record<DType, TypedArray>> = {
  float32: new Float32Array(0),
  int32: new Int32Array(0),
  bool: new Uint8Array(0),
};
