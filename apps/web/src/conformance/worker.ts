/**
 * Runs @myelin/conformance for one backend inside a Web Worker (where the playground trains too) and
 * posts the progress and the summary. `vitest` is aliased to ./vitest-shim.ts for this bundle.
 */
import { createCpuBackend } from '@myelin/backend-cpu';
import { createWebGpuBackend } from '@myelin/backend-webgpu';
import { createWorkerBackend } from '@myelin/backend-worker';
import { runConformance } from '@myelin/conformance';
import type { Backend } from '@myelin/core';
import { runCollected } from './vitest-shim.js';

/** Each backend as its own package's conformance test configures it. */
const SETUPS: Record<
  string,
  { factory: () => Backend | Promise<Backend>; tolerance?: { rtol: number; atol: number }; timeout?: number }
> = {
  cpu: { factory: () => createCpuBackend() },
  worker: { factory: () => createWorkerBackend() },
  // A software adapter compiles every pipeline on the CPU: a long per-test timeout, as in Node.
  webgpu: { factory: () => createWebGpuBackend(), tolerance: { rtol: 1e-5, atol: 1e-6 }, timeout: 120_000 },
};

self.onmessage = async (e: MessageEvent<{ backend: string }>) => {
  const setup = SETUPS[e.data.backend];
  if (!setup) {
    postMessage({
      type: 'done',
      summary: {
        passed: 0,
        failed: 1,
        skipped: 0,
        seconds: 0,
        failures: [{ name: 'setup', error: `unknown backend '${e.data.backend}'` }],
      },
    });
    return;
  }
  runConformance({ name: e.data.backend, ...setup });
  let lastPost = 0;
  const summary = await runCollected((name, ok, done, total) => {
    const now = performance.now();
    if (!ok || now - lastPost > 200 || done === total) {
      lastPost = now;
      postMessage({ type: 'progress', name, ok, done, total });
    }
  });
  postMessage({ type: 'done', summary });
};
