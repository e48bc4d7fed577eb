/**
 * @myelin/conformance — the one suite every Myelin backend runs unchanged: golden values and gradients
 * from PyTorch, float64 references on random shapes, gradients by finite differences, typed errors,
 * memory back to baseline after every test, and identical random streams.
 *
 * @example
 * ```ts
 * // packages/backend-foo/test/conformance.test.ts
 * import { runConformance } from '@myelin/conformance';
 * import { FooBackend } from '../src/index.js';
 *
 * runConformance({ name: 'foo', factory: () => new FooBackend(), tolerance: { rtol: 1e-3, atol: 1e-4 } });
 * ```
 *
 * A plugin checks its own elementwise ops' kernels on each backend with `runPluginConformance`.
 */

import type { Backend } from '@myelin/core';
import * as core from '@myelin/core';
import { afterEach, beforeAll, beforeEach, describe, it } from 'vitest';
import { DEFAULT_TOLERANCE, type Tolerance } from './compare.js';
import { createHarness } from './harness.js';
import { KERNEL_NAMES } from './kernel-names.js';
import { registerApiSuite } from './suites/api.js';
import { registerErrorSuite } from './suites/errors.js';
import { registerFixtureSuite } from './suites/fixtures.js';
import { registerGradCheckSuite } from './suites/gradcheck.js';
import { describeLeak, type MemorySnapshot, memorySnapshot, registerMemorySuite } from './suites/memory.js';
import { registerRandomSuite } from './suites/random.js';
import { registerReferenceSuite } from './suites/reference.js';

export { DEFAULT_TOLERANCE, describeMismatches, isClose, type Tolerance } from './compare.js';
export { FIXTURES, type FixtureCase, type FixtureFile, type FixtureTensor } from './fixtures.js';
export { type ConformanceKernel, KERNEL_NAMES, kernelTags } from './kernel-names.js';
export { OP_TABLE, type OpSpec } from './op-table.js';
export {
  type PluginBackend,
  type PluginConformanceOptions,
  type PluginOpCheck,
  runPluginConformance,
} from './plugin.js';

/** Options of `runConformance`. */
export interface ConformanceOptions {
  /** The name the backend is registered under (and the name in the kernel × backend matrix). */
  readonly name: string;
  /** Creates the backend under test (may be async, e.g. to get a GPU device). */
  readonly factory: () => Backend | Promise<Backend>;
  /** The backend's float tolerance: |actual - expected| ≤ atol + rtol·|expected|. */
  readonly tolerance?: Partial<Tolerance>;
  /** Per-test timeout in ms, for slow backends (software GPUs). */
  readonly timeout?: number;
}

/**
 * Registers the conformance suite for one backend inside the calling vitest file: it registers the
 * backend under `name`, makes it active, and checks every kernel and op. Each test's title carries the
 * kernels it covers as `[kernel:<name>]`, which `pnpm conformance` groups into the kernel × backend matrix.
 *
 * @example
 * ```ts
 * import { runConformance } from '@myelin/conformance';
 * import { CpuBackend } from '../src/index.js';
 * runConformance({ name: 'cpu', factory: () => new CpuBackend() });
 * ```
 */
export function runConformance(options: ConformanceOptions): void {
  const tolerance: Tolerance = { ...DEFAULT_TOLERANCE, ...options.tolerance };
  const h = createHarness(tolerance, options.timeout);
  describe(`conformance: ${options.name}`, () => {
    let baseline: MemorySnapshot;

    beforeAll(async () => {
      core.registerBackend(options.name, options.factory);
      await core.setBackend(options.name);
    });
    beforeEach(async () => {
      baseline = await memorySnapshot();
    });
    afterEach(async () => {
      const leak = describeLeak(baseline, await memorySnapshot());
      if (leak) throw new Error(leak);
    });

    it(`backend '${options.name}' is active and implements every kernel`, () => {
      const backend = core.getBackend();
      if (backend.name !== options.name && core.getBackendName() !== options.name) {
        throw new Error(`active backend is '${core.getBackendName()}', expected '${options.name}'`);
      }
      const table = backend.kernels as unknown as Record<string, unknown>;
      const missing = KERNEL_NAMES.filter((k) => typeof table[k] !== 'function');
      if (missing.length > 0) throw new Error(`missing kernels: ${missing.join(', ')}`);
    });

    registerFixtureSuite(h);
    registerReferenceSuite(h);
    registerGradCheckSuite(h);
    registerErrorSuite(h);
    registerMemorySuite(h);
    registerRandomSuite(h);
    registerApiSuite(h, options.name, options.factory);

    it('every kernel of the contract has at least one conformance test', () => {
      const untested = KERNEL_NAMES.filter((k) => !h.covered.has(k));
      if (untested.length > 0) throw new Error(`kernels with no conformance test: ${untested.join(', ')}`);
    });
  });
}
