/**
 * What the main thread and a worker say to each other: the words of a worker's control block and the
 * messages posted to it.
 *
 * Each worker owns a small control block (a SharedArrayBuffer of Int32 words) that lives as long as the
 * worker. Storage slabs are handed over once each; jobs travel as small messages that name their tensors
 * by slab and offset, and the doorbell word then wakes a worker that sleeps in `Atomics.wait`.
 */

/** Bumped by the main thread after posting a job; a Node worker sleeps on it. */
export const DOORBELL = 0;
/** Set to 1 by the worker once it takes jobs. */
export const READY = 1;
/** Fault to inject at the worker's next chunk (tests only): see {@link Fault}. */
export const FAULT = 2;
/** Words in a control block. */
export const CONTROL_WORDS = 4;

/** Faults a test can inject into a worker, by the code written to its FAULT word. */
export const FAULT_CODES = { throw: 1, exit: 2, hang: 3 } as const;

/** A fault a test can inject: throw inside the kernel, end the thread, or never finish the chunk. */
export type Fault = keyof typeof FAULT_CODES;

/** What a worker is told when it starts. */
export interface WorkerInit {
  readonly type: 'init';
  /** The worker's slot (1-based; slot 0 is the main thread). */
  readonly slot: number;
  /** Its control block. */
  readonly control: SharedArrayBuffer;
  /** How long to spin on the doorbell after a job before sleeping, in ms. */
  readonly spinMs: number;
  /** The storage slabs that exist when the worker starts, by id (later ones come as messages). */
  readonly slabs: readonly (readonly [number, SharedArrayBuffer])[];
}

/** A storage slab the worker must hold (sent once per slab, before any job that uses it). */
export interface SlabMessage {
  readonly type: 'slab';
  readonly id: number;
  readonly buffer: SharedArrayBuffer;
}

/** A slab the worker must let go of (no later job uses it). */
export interface UnslabMessage {
  readonly type: 'unslab';
  readonly id: number;
}

/** Everything posted to a worker after it starts. */
export type ToWorker = JobMessage | SlabMessage | UnslabMessage;

/** One split kernel, as posted to every worker that takes part. */
export interface JobMessage {
  readonly type: 'job';
  /** The job board's buffer (see board.ts). */
  readonly board: SharedArrayBuffer;
  /** Name of the range task in the task table. */
  readonly task: string;
  /** The task's arguments: numbers, plans, and slab views encoded as references (see shared-args.ts). */
  readonly args: unknown;
  /** Chunk boundaries: chunk c covers units `[bounds[c], bounds[c + 1])`. */
  readonly bounds: readonly number[];
}

/** Sent by a worker once it is ready. */
export interface ReadyMessage {
  readonly type: 'ready';
  readonly slot: number;
}
