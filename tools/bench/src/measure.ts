/**
 * Timing one runner: warm-up, then a calibrated number of ops per timed run, then the median over runs.
 *
 * Every timed run issues `opsPerRun` steps back to back and then awaits the values of the last one
 * (streaming mode). A backend that queues kernels (worker, WebGPU) is therefore timed until its queue has
 * drained, and one that runs eagerly pays one read per run, as a training loop would.
 */
import type { Runner, Timing } from './types.js';

export interface MeasureSettings {
  /** Untimed runs of one op each (compiles, allocates, fills caches, wakes worker threads). */
  warmupRuns: number;
  /** Timed runs (the report's median is over these). */
  timedRuns: number;
  /** Aim for timed runs of about this long by issuing several ops per run. */
  targetRunMs: number;
  /** Never issue more ops than this in one run. */
  maxOpsPerRun: number;
  /** When one warm-up op takes longer than this, the case is not timed on that engine. */
  maxOpMs: number;
}

/** Ops at least this long are timed one per run: any per-op overhead is lost in them. */
const LONG_OP_MS = 1000;

/**
 * Back-to-back ops per run that an engine which queues kernels (worker, WebGPU) gets at least, unless its
 * ops are long: its speed shows only when the next op is issued before the last one finished.
 */
export const STREAMING_MIN_OPS = 3;

/** Thrown when an engine is too slow for a case to be timed within the run's budget. */
export class TooSlowError extends Error {}

const now = (): number => performance.now();

/** Milliseconds for `ops` back-to-back steps and one sync at the end. */
export async function timeOps(runner: Runner, ops: number): Promise<number> {
  const t0 = now();
  for (let i = 0; i < ops; i++) await runner.step();
  await runner.sync();
  return now() - t0;
}

/**
 * Runs the warm-up and the timed runs of one runner and returns per-op times. `minOps` is the least number
 * of back-to-back ops per run for ops shorter than a second (STREAMING_MIN_OPS for queued backends).
 */
export async function measure(runner: Runner, s: MeasureSettings, minOps = 1): Promise<Timing> {
  let fastestWarmup = Number.POSITIVE_INFINITY;
  for (let i = 0; i < Math.max(1, s.warmupRuns); i++) {
    const ms = await timeOps(runner, 1);
    fastestWarmup = Math.min(fastestWarmup, ms);
    // The first op may compile or allocate; give up early only when one is far over the limit.
    if (ms > 3 * s.maxOpMs) break;
  }
  if (fastestWarmup > s.maxOpMs) {
    const secs = (fastestWarmup / 1000).toFixed(1);
    throw new TooSlowError(`not timed: one op took ${secs} s (limit ${(s.maxOpMs / 1000).toFixed(0)} s)`);
  }
  const opsPerRun = fastestWarmup >= LONG_OP_MS ? 1 : await calibrate(runner, s, minOps);

  const perOp: number[] = [];
  for (let r = 0; r < s.timedRuns; r++) perOp.push((await timeOps(runner, opsPerRun)) / opsPerRun);
  perOp.sort((a, b) => a - b);
  return {
    medianMs: median(perOp),
    minMs: perOp[0] as number,
    maxMs: perOp[perOp.length - 1] as number,
    opsPerRun,
    runs: perOp.length,
  };
}

/**
 * Finds how many back-to-back ops fill a run of about `targetRunMs`, growing the count until a run is long
 * enough to time well. Its runs double as warm-up at the streaming length (a thread pool in its
 * back-to-back rhythm, JIT-compiled loops), so the last one is always at the chosen count.
 */
async function calibrate(runner: Runner, s: MeasureSettings, minOps: number): Promise<number> {
  let ops = minOps;
  for (let round = 0; round < 12; round++) {
    const ms = await timeOps(runner, ops);
    if (ms / ops >= LONG_OP_MS) return ops;
    const fill = Math.round((s.targetRunMs * ops) / Math.max(ms, 1e-3));
    const wanted = Math.max(minOps, Math.min(s.maxOpsPerRun, fill));
    if (wanted <= ops * 1.5) return ops;
    if (ops === s.maxOpsPerRun) return ops;
    ops = Math.min(wanted, ops * 8);
  }
  return ops;
}

/** Median of a sorted array (the mean of the two middle values when its length is even). */
export function median(sorted: readonly number[]): number {
  const mid = sorted.length >> 1;
  if (sorted.length % 2 === 1) return sorted[mid] as number;
  return ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}
