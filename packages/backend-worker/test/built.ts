/**
 * The built package, which is what the tests run: its worker threads load dist/worker.js (Node 20 cannot
 * start a worker from TypeScript source). `turbo run test` builds first; run `pnpm build` before
 * `vitest` by hand. The types come from the source, which the build is made from.
 */
import { existsSync } from 'node:fs';

const url = new URL('../dist/index.js', import.meta.url);
if (!existsSync(url))
  throw new Error('dist/index.js is missing: run `pnpm build` in packages/backend-worker first');

/** `@myelin/backend-worker` as built. */
export const built = (await import(/* @vite-ignore */ url.href)) as typeof import('../src/index.js');
export const { createWorkerBackend, WorkerBackend } = built;
