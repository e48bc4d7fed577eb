/**
 * @myelin/backend-webgpu: every kernel of Myelin's contract as a WGSL compute shader.
 *
 * @example
 * ```ts
 * import { registerBackend, setBackend } from '@myelin/core';
 * import { createWebGpuBackend } from '@myelin/backend-webgpu';
 * registerBackend('webgpu', () => createWebGpuBackend(), { priority: 3 });
 * await setBackend('webgpu');
 * ```
 */
export {
  type AdapterDescription,
  isSoftwareAdapter,
  WebGpuBackend,
  type WebGpuBackendInit,
} from './backend.js';
export type { PoolStats } from './buffer-pool.js';
export type { DispatchSpec, GemmStrategy, GpuContext } from './context.js';
export {
  createWebGpuBackend,
  type GpuPowerPreference,
  type GpuProvider,
  isNullAdapter,
  type WebGpuBackendOptions,
} from './create.js';
export { GpuTensor } from './gpu-tensor.js';
