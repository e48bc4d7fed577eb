/** What the harness needs of an engine: a library on one of its backends. */
import type { BenchCase, EngineId, Runner } from '../types.js';

export interface Engine {
  id: EngineId;
  framework: 'tfjs' | 'myelin';
  /** Whether the backend queues kernels and runs them while the caller goes on (worker, WebGPU). */
  queued: boolean;
  /** One line for the report: library, backend, threads, adapter. */
  description: string;
  /** Makes this engine's backend the active one of its library. */
  activate(): Promise<void>;
  /** Tensors alive in this engine's library (to catch a runner that leaks). */
  liveTensors(): number;
  /** Builds a case's runner on this engine; call after `activate()`. */
  prepare(c: BenchCase): Runner | { skip: string };
  /** Ends threads and devices. */
  dispose(): Promise<void>;
}

/** An engine that could not be loaded here, and why. */
export interface EngineSkip {
  id: EngineId;
  reason: string;
}

/** The engines that loaded, those that did not, and the versions of the packages behind them. */
export interface LoadedEngines {
  engines: Engine[];
  skipped: EngineSkip[];
  versions: Record<string, string>;
}

/** The message of anything thrown. */
export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
