/**
 * The vocabulary of the harness: engines (a library on one of its backends), workloads and their cases,
 * runners (one prepared case on one engine) and the measurements they produce.
 */
import type * as Tfjs from '@tensorflow/tfjs';
import type { MyelinApi } from './engines/myelin.js';

/** Every engine the harness knows, in the order of the report's rows. */
export const ENGINE_IDS = ['tfjs-cpu', 'tfjs-wasm', 'myelin-cpu', 'myelin-worker', 'myelin-webgpu'] as const;
export type EngineId = (typeof ENGINE_IDS)[number];

/** The TensorFlow.js module (`@tensorflow/tfjs`), as the tfjs side of a case receives it. */
export type TfjsModule = typeof Tfjs;

/**
 * One case prepared on one engine: its inputs already made, on that engine's backend.
 * `step()` issues one operation (or one training step) without reading anything back; `sync()` awaits the
 * values of what the last step produced, so a backend that queues its kernels has finished them all.
 */
export interface Runner {
  step(): void | Promise<void>;
  sync(): Promise<void>;
  /** Frees everything the runner made; afterwards the engine's live-tensor count is back where it began. */
  dispose(): void;
}

/** What a number in the report means. */
export type Metric =
  /** Work per second: `perOp` units of work (GFLOP, samples) divided by the seconds one op took. */
  | { kind: 'throughput'; unit: string; perOp: number }
  /** Time per op (lower is better). */
  | { kind: 'time'; unit: 'ms' | 'µs' };

/**
 * An acceptance target of the project. `vs` makes it a speed ratio (the engine's speed over `vs`'s in the
 * same run); `minValue` an absolute floor in the case's unit.
 */
export interface Target {
  engine: EngineId;
  vs?: EngineId;
  minRatio?: number;
  minValue?: number;
  /** Where the target comes from (an issue, a milestone), shown beside it. */
  source: string;
}

/** One measurable thing: the same work written once for each library. */
export interface BenchCase {
  /** Unique across workloads, e.g. `matmul-512`. */
  id: string;
  /** Row label inside its workload's table, e.g. `n = 512`. */
  label: string;
  metric: Metric;
  targets?: Target[];
  /** Builds the tfjs runner (the active tfjs backend is already set). */
  tfjs(tf: TfjsModule): Runner;
  /** Builds the Myelin runner (the backend is already active), or returns why it cannot run yet. */
  myelin(m: MyelinApi): Runner | { skip: string };
}

/** A family of cases, one file in src/workloads/. */
export interface Workload {
  /** Selects it on the command line (`--only matmul,conv2d`). */
  id: string;
  title: string;
  /** A paragraph for the report: shapes, what is timed, layout choices. */
  description: string;
  cases(options: { quick: boolean }): BenchCase[];
}

/** Per-op times of the timed runs, in milliseconds. */
export interface Timing {
  medianMs: number;
  minMs: number;
  maxMs: number;
  /** Ops issued back to back inside one timed run (streaming mode), before one read at the end. */
  opsPerRun: number;
  runs: number;
}

/** The outcome of one case on one engine. */
export type Measurement =
  | { engine: EngineId; status: 'ok'; timing: Timing; leakedTensors: number }
  | { engine: EngineId; status: 'skipped'; reason: string };
