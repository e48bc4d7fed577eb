/**
 * `@myelin/backend-worker`: every Myelin kernel split across a pool of worker threads over
 * SharedArrayBuffer storage, in Node (`worker_threads`) and in browsers (Web Workers, on a cross-origin
 * isolated page). The kernel math is `@myelin/core/jsmath`, shared with the CPU backend.
 *
 * @example
 * ```ts
 * import { registerBackend, setBackend, tensor } from '@myelin/core';
 * import { createWorkerBackend } from '@myelin/backend-worker';
 * registerBackend('worker', () => createWorkerBackend(), { priority: 2 });
 * await setBackend('worker');
 * console.log(await tensor([1, 2, 3]).mul(2).data()); // Float32Array [2, 4, 6]
 * ```
 */
export {
  createWorkerBackend,
  WorkerBackend,
  type WorkerBackendOptions,
  type WorkerStats,
} from './backend.js';
export { workerKernels } from './kernels/index.js';
export type { Fault } from './pool/protocol.js';
export { SharedData } from './storage.js';
