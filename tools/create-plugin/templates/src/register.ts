/** Registering the plugin's kernels on the backends it knows. */
import { registerKernel, unregisterKernel } from '@myelin/core';
import { __OP__Js } from './kernels/js.js';
import { __OP__WebGpu } from './kernels/webgpu.js';
import { KERNELS } from './ops.js';

/**
 * Registers the kernels on the `cpu`, `worker` and `webgpu` backends (a backend need not exist yet).
 * Returns a function that removes them.
 *
 * @example
 * ```ts
 * register();
 * ```
 */
export function register(): () => void {
  registerKernel('cpu', KERNELS.__OP__, __OP__Js);
  registerKernel('worker', KERNELS.__OP__, __OP__Js);
  registerKernel('webgpu', KERNELS.__OP__, __OP__WebGpu);
  return () => {
    for (const backend of ['cpu', 'worker', 'webgpu']) unregisterKernel(backend, KERNELS.__OP__);
  };
}
