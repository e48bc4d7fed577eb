/**
 * `@myelin/backend-cpu`: every Myelin kernel in plain TypeScript on typed arrays, on the calling thread.
 *
 * @example
 * ```ts
 * import { setBackend, tensor } from '@myelin/core';
 * import { registerCpuBackend } from '@myelin/backend-cpu';
 * registerCpuBackend();
 * await setBackend('cpu');
 * console.log(await tensor([1, 2, 3]).mul(2).data()); // Float32Array [2, 4, 6]
 * ```
 */
import { registerBackend } from '@myelin/core';
import { createCpuBackend } from './backend.js';

export { CpuBackend, CpuData, createCpuBackend } from './backend.js';
export { cpuKernels } from './kernels/index.js';

/**
 * Registers the CPU backend under the name `cpu` (priority 1 by default: the fallback that always works).
 *
 * @example
 * ```ts
 * registerCpuBackend();
 * await setBackend('cpu');
 * ```
 */
export function registerCpuBackend(options: { name?: string; priority?: number } = {}): void {
  registerBackend(options.name ?? 'cpu', createCpuBackend, { priority: options.priority ?? 1 });
}
