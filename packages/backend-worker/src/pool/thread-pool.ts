// biome-ignore-all lint/style/noNonNullAssertion: slot and board indices are in range by construction.
/**
 * The thread pool: the main thread plus `threads - 1` persistent workers share out each split kernel in
 * small chunks claimed from an atomic counter (see board.ts).
 *
 * Why this shape (measured on a 2-core machine, see the package README): never more runnable threads than
 * cores, so the main thread computes a share instead of waiting idle; chunks are claimed dynamically,
 * because the cores of a virtual machine run at uneven speeds and a fixed split waits for the slower one;
 * workers persist and spin briefly between jobs, so back-to-back kernels do not pay a thread wake-up.
 *
 * Faults: a worker that throws reports it on the job's board; one that dies reports it from its exit
 * handler; one that stops making progress (or dies silently) is caught by a stall timeout. In each case
 * the kernel fails with an error naming the thread, the thread is replaced, and the pool stays usable.
 */
import {
  busyIndex,
  cancel,
  countIndex,
  DONE,
  newBoard,
  type RangeTask,
  readFailure,
  workChunks,
} from './board.js';
import type { Platform, ThreadHandle } from './platform.js';
import {
  CONTROL_WORDS,
  DOORBELL,
  FAULT,
  FAULT_CODES,
  type Fault,
  type JobMessage,
  READY,
  type ToWorker,
  type WorkerInit,
} from './protocol.js';
import { encodeArgs } from './shared-args.js';

/** How the pool is set up. */
export interface PoolOptions {
  /** Threads in all, the main thread included (so `threads - 1` workers). */
  readonly threads: number;
  /** The worker script; undefined for the package's own `worker.js`. */
  readonly workerUrl: URL | string | undefined;
  /** How long a worker spins on its doorbell after a job before it sleeps, in ms. */
  readonly spinMs: number;
  /** A kernel fails when no chunk finishes for this long (ms), or 20 chunk-times if that is longer. */
  readonly stallMs: number;
  /** How long `start` waits for the workers to load, in ms. */
  readonly startTimeoutMs: number;
}

/** Counters of what the pool did, for tests and tuning. */
export interface PoolStats {
  /** Kernels split across threads. */
  splitJobs: number;
  /** Chunks run by each thread: index 0 is the main thread, i ≥ 1 worker slot i. */
  chunksByThread: number[];
  /** Workers replaced after a fault. */
  replacedWorkers: number;
}

/** Tasks by name: the pool runs a task by name so that a worker, given the name, runs the same code. */
export type TaskTable = Readonly<Record<string, RangeTask>>;

/** Attempts to start a worker, in a row, that may die before it is ready before the slot is given up. */
const MAX_START_FAILURES = 3;
/** How long the main thread spins for the last chunks before it sleeps, in ms. */
const MAIN_SPIN_MS = 0.5;
/** Longest single sleep of the main thread while it waits (it re-checks faults after each). */
const WAIT_SLICE_MS = 20;

interface Slot {
  readonly index: number;
  handle: ThreadHandle | undefined;
  control: Int32Array;
  /** Workers started in this slot that died before they were ready, in a row. */
  startFailures: number;
  /** Why the slot was given up, once it was. */
  gaveUp?: string;
}

/**
 * A pool of worker threads running range tasks.
 *
 * @example
 * ```ts
 * const pool = await ThreadPool.start(await loadPlatform(), tasks, { threads: 2, ... });
 * pool.run('matmul', args, guidedBounds(rows, 2, 16)); // the main thread and the worker share the rows
 * await pool.dispose();
 * ```
 */
export class ThreadPool {
  readonly stats: PoolStats;
  private readonly slots: Slot[] = [];
  /** The storage slabs every worker holds, by id and by buffer. */
  private readonly slabs = new Map<number, SharedArrayBuffer>();
  private readonly slabIds = new Map<ArrayBufferLike, number>();
  private readonly slabOf = (b: ArrayBufferLike): number | undefined => this.slabIds.get(b);
  /** Bytes of job boards dropped since the collector was last nudged (see `nudgeCollector`). */
  private boardBytes = 0;
  private disposed = false;
  /** Where the last fault left the pool, for `describe()`. */
  private lastFault: string | undefined;
  /** When the last split job began or ended (performance.now()); see `workersAwake`. */
  private lastJobAt = Number.NEGATIVE_INFINITY;

  private constructor(
    readonly platform: Platform,
    private readonly tasks: TaskTable,
    readonly options: PoolOptions,
  ) {
    this.stats = {
      splitJobs: 0,
      chunksByThread: new Array<number>(options.threads).fill(0),
      replacedWorkers: 0,
    };
  }

  /**
   * Starts `threads - 1` workers and waits until each is ready; throws (after ending any that did start)
   * when one fails to load.
   */
  static async start(platform: Platform, tasks: TaskTable, options: PoolOptions): Promise<ThreadPool> {
    const pool = new ThreadPool(platform, tasks, options);
    const starting: Promise<void>[] = [];
    for (let i = 1; i < options.threads; i++) {
      const slot: Slot = { index: i, handle: undefined, control: new Int32Array(0), startFailures: 0 };
      pool.slots.push(slot);
      starting.push(pool.spawnFirst(slot));
    }
    try {
      await Promise.all(starting);
    } catch (e) {
      await pool.dispose();
      throw e;
    }
    return pool;
  }

  /** Total threads the pool was asked for, the main thread included. */
  get threads(): number {
    return this.options.threads;
  }

  /** Workers that can take a job now. */
  /**
   * Whether the workers are most likely still spinning after the last split job (within most of `spinMs`
   * of its end), so that a new job reaches them without a wake-up from `Atomics.wait`.
   */
  workersAwake(): boolean {
    return performance.now() - this.lastJobAt < this.options.spinMs * 0.75;
  }

  readyWorkers(): number {
    // Asked before every kernel: a plain loop, no allocation.
    let n = 0;
    for (const s of this.slots) if (isReady(s)) n++;
    return n;
  }

  /** Runs a task on the whole range on the calling thread. */
  runInline(task: string, args: unknown, total: number): void {
    this.assertOpen();
    (this.taskOf(task) as (a: unknown, s: number, e: number) => void)(args, 0, total);
  }

  /**
   * Runs `task` over the chunks `bounds` describes (chunk c is units `[bounds[c], bounds[c + 1])`), shared
   * between the main thread and every ready worker; returns when all chunks are done. Throws, after the
   * pool has recovered, if a thread fails. `chunkMs` (the expected time of the longest chunk) stretches
   * the stall timeout for long chunks.
   */
  run(task: string, args: unknown, bounds: readonly number[], chunkMs = 0): void {
    this.assertOpen();
    // Set first: a job that fails still left the workers spinning.
    this.lastJobAt = performance.now();
    const fn = this.taskOf(task);
    const chunks = bounds.length - 1;
    const helpers = this.slots.filter((s) => isReady(s));
    if (chunks < 2 || helpers.length === 0) {
      (fn as (a: unknown, s: number, e: number) => void)(args, bounds[0]!, bounds[chunks]!);
      return;
    }
    const board = newBoard(chunks, this.options.threads);
    const job: JobMessage = {
      type: 'job',
      board: board.buffer as SharedArrayBuffer,
      task,
      args: encodeArgs(args, this.slabOf),
      bounds,
    };
    for (const s of helpers) {
      s.handle!.postMessage(job);
      Atomics.add(s.control, DOORBELL, 1);
      Atomics.notify(s.control, DOORBELL);
    }
    const started = performance.now();
    try {
      workChunks(board, 0, fn, args, bounds);
    } catch (e) {
      cancel(board);
      throw e;
    }
    // How long a chunk really takes now: on a loaded machine every thread runs slower, and a slow worker
    // must not be mistaken for a hung one.
    const mainChunks = board[countIndex(0)]!;
    const observedMs = mainChunks > 0 ? (performance.now() - started) / mainChunks : 0;
    this.awaitChunks(
      board,
      chunks,
      helpers,
      Math.max(this.options.stallMs, 20 * Math.max(chunkMs, observedMs)),
    );
    this.stats.splitJobs++;
    this.lastJobAt = performance.now();
    for (let t = 0; t < this.options.threads; t++) this.stats.chunksByThread[t]! += board[countIndex(t)]!;
    this.nudgeCollector(board.byteLength);
  }

  /** A storage slab was made: every worker gets a handle on it before any job names it. */
  slabAdded(id: number, buffer: SharedArrayBuffer): void {
    this.slabs.set(id, buffer);
    this.slabIds.set(buffer, id);
    this.postAll({ type: 'slab', id, buffer });
  }

  /** A storage slab was released: every worker lets go of it. */
  slabRemoved(id: number): void {
    const buffer = this.slabs.get(id);
    if (buffer) this.slabIds.delete(buffer);
    this.slabs.delete(id);
    this.postAll({ type: 'unslab', id });
  }

  /** Makes worker `slot` (1-based) fail at its next chunk: a test hook for the fault handling. */
  injectFault(slot: number, fault: Fault): void {
    const s = this.slots[slot - 1];
    if (!s) throw new RangeError(`no worker slot ${slot} (slots are 1..${this.slots.length})`);
    Atomics.store(s.control, FAULT, FAULT_CODES[fault]);
  }

  /** Waits until every worker slot has a ready worker again (after a fault), or `timeoutMs` passes. */
  async whenReady(timeoutMs = 10_000): Promise<boolean> {
    const until = Date.now() + timeoutMs;
    while (Date.now() < until) {
      if (this.slots.every((s) => isReady(s) || s.gaveUp)) return true;
      await new Promise((r) => setTimeout(r, 5));
    }
    return false;
  }

  /** One line: threads, ready workers, the last fault. */
  describe(): string {
    const given = this.slots.filter((s) => s.gaveUp);
    let text = `${this.options.threads} threads (main + ${this.slots.length} workers, ${this.readyWorkers()} ready) on ${this.platform.cores} cores`;
    if (given.length > 0) text += `; ${given.length} worker slot(s) given up: ${given[0]!.gaveUp}`;
    if (this.lastFault) text += `; last fault: ${this.lastFault}`;
    return text;
  }

  /** Ends every worker thread. Kernels run after this throw. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    const ending = this.slots.map((s) => {
      const h = s.handle;
      s.handle = undefined;
      return h?.terminate().catch(() => undefined);
    });
    await Promise.all(ending);
  }

  /**
   * Each job leaves a board (a small SharedArrayBuffer) behind, which V8 does not count as external
   * memory; an untouched ArrayBuffer of the same total size is counted and prompts a collection.
   */
  private nudgeCollector(bytes: number): void {
    this.boardBytes += bytes;
    if (this.boardBytes < 16 * 1024 * 1024) return;
    void new ArrayBuffer(this.boardBytes);
    this.boardBytes = 0;
  }

  /** Posts to every worker that has a thread, ready or still starting (it reads its queue in order). */
  private postAll(message: ToWorker): void {
    for (const s of this.slots) s.handle?.postMessage(message);
  }

  private taskOf(name: string): RangeTask {
    const fn = this.tasks[name];
    if (!fn) throw new Error(`unknown task '${name}'`);
    return fn;
  }

  private assertOpen(): void {
    if (this.disposed) throw new Error('the worker backend was disposed; create a new one');
  }

  /** Waits for the chunks other threads claimed; on a failure or a stall, recovers and throws. */
  private awaitChunks(board: Int32Array, chunks: number, helpers: readonly Slot[], stallMs: number): void {
    let seen = Atomics.load(board, DONE);
    let lastProgress = performance.now();
    const spinUntil = lastProgress + (this.options.threads <= this.platform.cores ? MAIN_SPIN_MS : 0);
    while (seen < chunks) {
      const failure = readFailure(board);
      if (failure) this.fail(board, failure, helpers);
      const now = performance.now();
      if (this.platform.canBlock && now > spinUntil) Atomics.wait(board, DONE, seen, WAIT_SLICE_MS);
      const done = Atomics.load(board, DONE);
      if (done !== seen) {
        seen = done;
        lastProgress = performance.now();
      } else if (performance.now() - lastProgress > stallMs) {
        this.stall(board, helpers, stallMs);
      }
    }
  }

  private fail(
    board: Int32Array,
    failure: { slot: number; message: string; exitCode?: number },
    helpers: readonly Slot[],
  ): never {
    cancel(board);
    const slot = helpers.find((s) => s.index === failure.slot);
    if (failure.exitCode !== undefined && slot) {
      this.replace(slot);
      this.lastFault = `${failure.message}; replaced`;
      throw new Error(`${failure.message} in the middle of the kernel; a new worker thread replaces it`);
    }
    // A thrown error leaves the thread itself sound: it stays.
    this.lastFault = failure.message.split('\n')[0];
    throw new Error(failure.message);
  }

  private stall(board: Int32Array, helpers: readonly Slot[], stallMs: number): never {
    cancel(board);
    const stuck = helpers.filter((s) => Atomics.load(board, busyIndex(s.index)) === 1);
    for (const s of stuck) this.replace(s);
    const who =
      stuck.length > 0 ? `worker thread ${stuck.map((s) => s.index).join(', ')}` : 'a worker thread';
    this.lastFault = `${who} stalled; replaced`;
    throw new Error(
      `${who} made no progress for ${Math.round(stallMs)} ms in the middle of the kernel (it hung or died); it was terminated and a new worker thread replaces it`,
    );
  }

  /** Ends the thread in a slot (if still running) and starts a new one there, without waiting for it. */
  private replace(slot: Slot): void {
    const old = slot.handle;
    slot.handle = undefined;
    old?.terminate().catch(() => undefined);
    this.stats.replacedWorkers++;
    this.spawn(slot);
  }

  /** Starts the first worker of a slot and resolves once it is ready. */
  private spawnFirst(slot: Slot): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new Error(`worker thread ${slot.index} did not start within ${this.options.startTimeoutMs} ms`),
          ),
        this.options.startTimeoutMs,
      );
      const settle = (error?: Error) => {
        clearTimeout(timer);
        if (error) reject(error);
        else {
          slot.handle?.unref();
          resolve();
        }
      };
      // Kept referenced until ready, so `await createWorkerBackend()` keeps the process alive meanwhile.
      this.spawn(slot, settle);
    });
  }

  /**
   * Starts a worker in `slot`. `onStart` (the first start only) hears when it is ready or why it failed.
   * A replacement is unreferenced at once: the pool sees it is ready from its control block.
   */
  private spawn(slot: Slot, onStart?: (error?: Error) => void): void {
    if (this.disposed) return;
    const control = new Int32Array(new SharedArrayBuffer(CONTROL_WORDS * 4));
    slot.control = control;
    const init: WorkerInit = {
      type: 'init',
      slot: slot.index,
      control: control.buffer as SharedArrayBuffer,
      spinMs: this.options.spinMs,
      slabs: [...this.slabs],
    };
    let started = false;
    let lastError: Error | undefined;
    const handle = this.platform.spawn(
      this.options.workerUrl,
      init,
      {
        onMessage: (m) => {
          if ((m as { type?: string }).type === 'ready' && !started) {
            started = true;
            slot.startFailures = 0;
            onStart?.();
          }
        },
        onError: (e) => {
          lastError = e;
        },
        onExit: (code) => {
          if (slot.handle !== handle || this.disposed) return;
          // A worker that ended on its own (not replaced by us): start another in its place.
          slot.handle = undefined;
          const why = lastError ? lastError.message : `exit code ${code}`;
          if (!started) {
            slot.startFailures++;
            if (onStart) {
              onStart(new Error(`worker thread ${slot.index} failed to start: ${why}`));
              return;
            }
            if (slot.startFailures >= MAX_START_FAILURES) {
              slot.gaveUp = `worker thread ${slot.index} failed to start ${MAX_START_FAILURES} times: ${why}`;
              return;
            }
          }
          this.lastFault = `worker thread ${slot.index} ended (${why}); replaced`;
          this.stats.replacedWorkers++;
          this.spawn(slot);
        },
      },
      `myelin-worker-${slot.index}`,
    );
    slot.handle = handle;
    if (!onStart) handle.unref();
  }
}

function isReady(s: Slot): boolean {
  return s.handle !== undefined && Atomics.load(s.control, READY) === 1;
}
