// biome-ignore-all lint/style/noNonNullAssertion: board words are in range by construction.
/**
 * The job board: one small SharedArrayBuffer per split kernel, through which the main thread and the
 * workers share out the chunks of that kernel and report back.
 *
 * A fresh board per job (a few microseconds) means a worker that is late, or one that was declared dead
 * but has not stopped yet, can only ever touch the board of a job that is already over.
 *
 * Layout (Int32 words): a header, then per thread slot a BUSY flag and a chunk count, then the text of the
 * first error (UTF-16 code units, so it reads back without TextDecoder, which refuses shared memory in
 * some browsers). Slot 0 is the main thread; slots 1.. are the workers.
 */

/** Next chunk to hand out (`Atomics.add` claims one). */
export const NEXT = 0;
/** Chunks finished. */
export const DONE = 1;
/** Chunks in this job. */
export const CHUNKS = 2;
/** 0, or 1 + the slot of the first thread that failed. */
export const ERROR = 3;
/** Length of the error text in UTF-16 units. */
export const ERROR_LEN = 4;
/** Exit code of a worker that died during the job (valid when ERROR is set by a dying worker). */
export const EXIT_CODE = 5;
/** 1 when the failure was the thread dying, not a thrown error. */
export const DIED = 6;
/** Taken (0 → 1) by the first thread to fail, which then writes the text and publishes ERROR last. */
const FAIL_CLAIM = 7;
const HEADER = 8;
/** Longest error text kept (UTF-16 units). */
const ERROR_TEXT_UNITS = 512;

/** Word index of a slot's BUSY flag: 1 from just before it claims a chunk until that chunk is finished. */
export function busyIndex(slot: number): number {
  return HEADER + 2 * slot;
}

/** Word index of a slot's count of chunks finished in this job. */
export function countIndex(slot: number): number {
  return HEADER + 2 * slot + 1;
}

/** A new zeroed board for `chunks` chunks and `slots` threads. */
export function newBoard(chunks: number, slots: number): Int32Array {
  const words = HEADER + 2 * slots + ERROR_TEXT_UNITS / 2;
  const board = new Int32Array(new SharedArrayBuffer(words * 4));
  board[CHUNKS] = chunks;
  return board;
}

/** A range function: computes output units `[start, end)` of one kernel. */
export type RangeTask = (args: never, start: number, end: number) => void;

/**
 * Claims chunks from the board until none is left, running `task` on each: chunk c covers units
 * `[bounds[c], bounds[c + 1])`. Every thread of the job (the main thread included) runs this same loop,
 * so a faster thread simply takes more chunks. `beforeChunk` runs after a claim, before the work (fault
 * injection in tests).
 */
export function workChunks(
  board: Int32Array,
  slot: number,
  task: RangeTask,
  args: unknown,
  bounds: ArrayLike<number>,
  beforeChunk?: () => void,
): void {
  const chunks = board[CHUNKS]!;
  const busy = busyIndex(slot);
  const count = countIndex(slot);
  for (;;) {
    // BUSY goes up before the claim, so a thread that dies between claiming and finishing is known.
    Atomics.store(board, busy, 1);
    const c = Atomics.add(board, NEXT, 1);
    if (c >= chunks) break;
    beforeChunk?.();
    (task as (a: unknown, s: number, e: number) => void)(args, bounds[c]!, bounds[c + 1]!);
    Atomics.add(board, count, 1);
    if (Atomics.add(board, DONE, 1) + 1 === chunks) Atomics.notify(board, DONE);
  }
  Atomics.store(board, busy, 0);
}

/**
 * Chunk boundaries for `total` units shared by `threads` (guided self-scheduling): each chunk is
 * 1 / (2 · threads) of what is left, but at least `minChunk` units. Big chunks first keep the claims
 * few; small chunks last mean that a thread which joins late, or runs slow, holds up the others by one
 * small chunk at most.
 *
 * @example
 * ```ts
 * guidedBounds(100, 2, 5); // [0, 25, 44, 58, 69, 77, 83, 88, 93, 98, 100]
 * ```
 */
export function guidedBounds(total: number, threads: number, minChunk: number): number[] {
  const bounds = [0];
  let start = 0;
  while (start < total) {
    start = Math.min(total, start + Math.max(minChunk, Math.ceil((total - start) / (2 * threads))));
    bounds.push(start);
  }
  return bounds;
}

/** Stops handing out chunks (chunks already claimed still finish). */
export function cancel(board: Int32Array): void {
  Atomics.store(board, NEXT, board[CHUNKS]!);
}

/**
 * Records the first failure of a job and wakes the main thread. Later failures of the same job are
 * dropped: the first one is the cause, the rest are usually its echo.
 */
export function reportFailure(board: Int32Array, slot: number, message: string, exitCode?: number): void {
  if (Atomics.compareExchange(board, FAIL_CLAIM, 0, 1) !== 0) return;
  const text = new Uint16Array(board.buffer, board.byteLength - ERROR_TEXT_UNITS * 2, ERROR_TEXT_UNITS);
  const n = Math.min(message.length, ERROR_TEXT_UNITS);
  for (let i = 0; i < n; i++) text[i] = message.charCodeAt(i);
  board[ERROR_LEN] = n;
  if (exitCode !== undefined) {
    board[EXIT_CODE] = exitCode;
    board[DIED] = 1;
  }
  cancel(board);
  // Published last: a thread that sees ERROR also sees the text written before it.
  Atomics.store(board, ERROR, slot + 1);
  Atomics.notify(board, DONE);
}

/** The first failure recorded on a board, if any. */
export function readFailure(
  board: Int32Array,
): { slot: number; message: string; exitCode?: number } | undefined {
  const e = Atomics.load(board, ERROR);
  if (e === 0) return undefined;
  const n = Atomics.load(board, ERROR_LEN);
  const text = new Uint16Array(board.buffer, board.byteLength - ERROR_TEXT_UNITS * 2, n);
  let message = '';
  for (let i = 0; i < n; i++) message += String.fromCharCode(text[i]!);
  const died = Atomics.load(board, DIED) === 1;
  return died ? { slot: e - 1, message, exitCode: board[EXIT_CODE]! } : { slot: e - 1, message };
}
