/**
 * The backends the plugin's tests run on, as the built packages (the worker backend's threads load its
 * dist/worker.js). WebGPU runs on whatever adapter is here (lavapipe on a machine with no GPU); where
 * there is none its tests are skipped with the reason printed.
 */
import { createCpuBackend } from '@myelin/backend-cpu';
import { createWebGpuBackend } from '@myelin/backend-webgpu';
import { createWorkerBackend } from '@myelin/backend-worker';
import type { PluginBackend } from '@myelin/conformance';
import { getBackendName, removeBackend, setBackend } from '@myelin/core';

export const BACKENDS: readonly PluginBackend[] = [
  { name: 'cpu', factory: createCpuBackend },
  { name: 'worker', factory: () => createWorkerBackend({ threads: 2 }) },
  // Software Vulkan computes in float32 like the JavaScript kernels, with its own exp: same tolerance.
  { name: 'webgpu', factory: () => createWebGpuBackend() },
];

/** Ends the worker threads and the GPU device so the test process can exit (call in afterAll). */
export async function disposeBackends(): Promise<void> {
  if (getBackendName() !== 'cpu') await setBackend('cpu');
  await removeBackend('worker');
  await removeBackend('webgpu');
}
