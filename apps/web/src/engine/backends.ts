/**
 * The three backends, registered with core inside the training worker. Each is created on first use;
 * one that cannot run in this browser stays listed with core's reason (listBackends()).
 */
import { createCpuBackend } from '@myelin/backend-cpu';
import { createWebGpuBackend } from '@myelin/backend-webgpu';
import { createWorkerBackend } from '@myelin/backend-worker';
import { type BackendInfo, listBackends, registerBackend } from '@myelin/core';

/** The backends the page offers, in the order it lists them. */
export const BACKEND_NAMES = ['cpu', 'worker', 'webgpu'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];

let registered = false;

/** Registers cpu, worker and webgpu (once). The CPU has the highest priority: it always works. */
export function registerBackends(): void {
  if (registered) return;
  registered = true;
  registerBackend('cpu', () => createCpuBackend(), { priority: 3 });
  // This code runs in a Web Worker, which may block in Atomics.wait: the worker backend's calling thread
  // computes its share and sleeps while the nested workers finish theirs.
  registerBackend('worker', () => createWorkerBackend(), { priority: 2 });
  registerBackend('webgpu', () => createWebGpuBackend(), { priority: 1 });
}

/** Every backend with whether it runs here and, if not, why; in the page's order. */
export async function surveyBackends(): Promise<BackendInfo[]> {
  registerBackends();
  const infos = await listBackends();
  return BACKEND_NAMES.map((name) => infos.find((i) => i.name === name)).filter(
    (i): i is BackendInfo => i !== undefined,
  );
}
