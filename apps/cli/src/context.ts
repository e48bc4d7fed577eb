/** What every command gets from `main`: where to write, the environment, and the Ctrl-C signal. */
import type { Sink } from './output/output.js';

export interface Context {
  stdout: Sink;
  stderr: Sink;
  env: NodeJS.ProcessEnv;
  /** Aborted by the first Ctrl-C: long loops stop at the next batch and clean up. */
  signal: AbortSignal;
}
