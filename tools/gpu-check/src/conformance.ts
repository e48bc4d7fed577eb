/**
 * The shared conformance suite (@myelin/conformance) on the WebGPU backend, configured exactly as
 * packages/backend-webgpu/test/conformance.test.ts configures it, run outside vitest: the bundle maps the
 * module `vitest` to apps/web's small describe/it shim (the one the browser conformance page uses), whose
 * `runCollected()` runs what the suite registered.
 */
import { createWebGpuBackend } from '@myelin/backend-webgpu';
import { runConformance } from '@myelin/conformance';
import { type RunSummary, runCollected } from '../../../apps/web/src/conformance/vitest-shim.js';

/** The backend's name in the suite (the same as in its vitest file). */
export const CONFORMANCE_BACKEND = 'webgpu';

/** Registers and runs the suite; prints a dot per 50 tests and each failure as it happens. */
export async function runWebGpuConformance(testTimeoutMs: number): Promise<RunSummary> {
  runConformance({
    name: CONFORMANCE_BACKEND,
    factory: () => createWebGpuBackend(),
    tolerance: { rtol: 1e-5, atol: 1e-6 },
    timeout: testTimeoutMs,
  });
  let lastShown = 0;
  const summary = await runCollected((name, ok, done, total) => {
    if (!ok) console.log(`  FAIL ${name}`);
    if (done - lastShown >= 250 || done === total) {
      lastShown = done;
      console.log(`  conformance: ${done}/${total}`);
    }
  }, testTimeoutMs);
  return summary;
}
