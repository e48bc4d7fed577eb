/**
 * The conformance suite again with every kernel split across threads, however small: its shapes are small,
 * so the default run takes the inline path almost everywhere. Reused buffers are poisoned with NaN, so an
 * element a split range forgets to write fails a comparison.
 */
import { runConformance } from '@myelin/conformance';
import { createWorkerBackend } from './built.js';

runConformance({
  name: 'worker-split',
  factory: () => createWorkerBackend({ threads: 3, minSplitMs: 0, poisonReused: true }),
});
