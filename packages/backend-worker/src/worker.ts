/**
 * The script every worker thread runs: take jobs, claim chunks from each job's board, run the named
 * range task of `@myelin/core/jsmath` on them, report a failure on the board.
 *
 * In Node the worker never returns to its event loop: it sleeps on its doorbell word with
 * `Atomics.wait`, pulls posted jobs with `receiveMessageOnPort`, and spins a little after each job so
 * that back-to-back kernels find it awake. In a browser it is an ordinary message handler (a Web Worker
 * has no synchronous way to receive a message).
 */
import { type RangeTask, reportFailure, workChunks } from './pool/board.js';
import {
  DOORBELL,
  FAULT,
  FAULT_CODES,
  type JobMessage,
  READY,
  type ToWorker,
  type WorkerInit,
} from './pool/protocol.js';
import { decodeArgs } from './pool/shared-args.js';
import { TASKS } from './tasks/index.js';

let slot = -1;
let control: Int32Array = new Int32Array(0);
/** The board of the job being run, so that a dying thread can still report on it. */
let currentBoard: Int32Array | undefined;

function injectFault(): void {
  const code = Atomics.exchange(control, FAULT, 0);
  if (code === 0) return;
  if (code === FAULT_CODES.throw) throw new Error('fault injected by a test');
  if (code === FAULT_CODES.exit) exitThread(7);
  if (code === FAULT_CODES.hang) for (;;) Atomics.load(control, DOORBELL);
}

let exitThread: (code: number) => void = () => {
  throw new Error('the thread was asked to exit');
};

/** The storage slabs, by id, that jobs name their tensors in. */
const slabs = new Map<number, SharedArrayBuffer>();

/** Bytes of job boards this worker has seen since it last nudged its garbage collector. */
let boardBytes = 0;

/**
 * Each job's board reaches this thread as a new SharedArrayBuffer object, which V8 does not count as
 * external memory: a worker that allocates little would keep them all until its next collection. An
 * untouched ArrayBuffer of the same total size is counted, and prompts that collection.
 */
function nudgeCollector(board: SharedArrayBuffer): void {
  boardBytes += board.byteLength;
  if (boardBytes < 16 * 1024 * 1024) return;
  void new ArrayBuffer(boardBytes);
  boardBytes = 0;
}

function runJob(job: JobMessage): void {
  const board = new Int32Array(job.board);
  const task = TASKS[job.task] as RangeTask | undefined;
  currentBoard = board;
  try {
    if (!task) throw new Error(`unknown task '${job.task}' (the worker script is out of date?)`);
    workChunks(board, slot, task, decodeArgs(job.args, slabs), job.bounds, injectFault);
  } catch (e) {
    const message = e instanceof Error ? (e.stack ?? e.message) : String(e);
    reportFailure(board, slot, `worker thread ${slot} threw: ${message}`);
  } finally {
    currentBoard = undefined;
    nudgeCollector(job.board);
  }
}

function start(init: WorkerInit): void {
  slot = init.slot;
  control = new Int32Array(init.control);
  for (const [id, buffer] of init.slabs) slabs.set(id, buffer);
}

/** Handles one message; returns whether it was a job. */
function handle(m: ToWorker): boolean {
  if (m.type === 'job') {
    runJob(m);
    return true;
  }
  if (m.type === 'slab') slabs.set(m.id, m.buffer);
  else if (m.type === 'unslab') {
    const buffer = slabs.get(m.id);
    slabs.delete(m.id);
    // As for boards (see nudgeCollector): make the collector notice that a big buffer became garbage.
    if (buffer) void new ArrayBuffer(buffer.byteLength);
  }
  return false;
}

function spinUntilRung(seen: number, spinMs: number): boolean {
  const until = performance.now() + spinMs;
  do {
    for (let i = 0; i < 256; i++) if (Atomics.load(control, DOORBELL) !== seen) return true;
  } while (performance.now() < until);
  return false;
}

// Held in a variable so that browser bundlers do not try to resolve a Node built-in.
const WORKER_THREADS = 'node:worker_threads';

async function runNode(): Promise<void> {
  const wt = (await import(/* @vite-ignore */ WORKER_THREADS)) as typeof import('node:worker_threads');
  const init = wt.workerData as WorkerInit;
  const port = wt.parentPort;
  if (!port) throw new Error('the worker script must run in a worker thread');
  start(init);
  exitThread = (code) => process.exit(code);
  // process.exit() and an uncaught error both end here: say so on the job's board, so the main thread,
  // blocked in the kernel, fails at once instead of waiting for its stall timeout.
  process.on('exit', (code) => {
    if (currentBoard)
      reportFailure(currentBoard, slot, `worker thread ${slot} died (exit code ${code})`, code);
  });
  Atomics.store(control, READY, 1);
  port.postMessage({ type: 'ready', slot });
  for (;;) {
    const seen = Atomics.load(control, DOORBELL);
    let ran = false;
    for (let m = wt.receiveMessageOnPort(port); m; m = wt.receiveMessageOnPort(port)) {
      if (handle(m.message as ToWorker)) ran = true;
    }
    if (ran && spinUntilRung(seen, init.spinMs)) continue;
    Atomics.wait(control, DOORBELL, seen);
  }
}

function runBrowser(): void {
  const scope = globalThis as unknown as {
    onmessage: ((e: { data: WorkerInit | ToWorker }) => void) | null;
    postMessage(m: unknown): void;
    close(): void;
  };
  exitThread = () => {
    scope.close();
    throw new Error('the thread was asked to exit');
  };
  scope.onmessage = (e) => {
    const m = e.data;
    if (m.type === 'init') {
      start(m);
      Atomics.store(control, READY, 1);
      scope.postMessage({ type: 'ready', slot });
    } else {
      handle(m);
    }
  };
}

const isNode =
  typeof (globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node === 'string';
if (isNode) await runNode();
else runBrowser();
