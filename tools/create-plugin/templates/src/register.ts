/** Registering the plugin's kernels on the backends it knows. */
import { registerKernel, unregisterKernel } from '@myelin/core';
import { __OP__Js } from './kernels/js.js';
import { __OP__WebGpu } from './kernels/webgpu.js';
import { KERNELS, PLUGIN_NAME } from './ops.js';

/**
 * Registers the kernels on the `cpu`, `worker` and `webgpu` backends (by the names they are registered
 * under; a backend need not exist yet).
 * Returns a function that removes them.
 *
 * @example
 * ```ts
 * register();
 * ```
 */
export function register(): () => void {
  // `plugin` makes core's errors name this package:
  // "plugin '__PACKAGE__' kernel '__OP__' on backend 'cpu' threw: ...".
  const plugin = { plugin: PLUGIN_NAME };
  registerKernel('cpu', KERNELS.__OP__, __OP__Js, plugin);
  registerKernel('worker', KERNELS.__OP__, __OP__Js, plugin);
  registerKernel('webgpu', KERNELS.__OP__, __OP__WebGpu, plugin);
  return () => {
    for (const backend of ['cpu', 'worker', 'webgpu']) unregisterKernel(backend, KERNELS.__OP__);
  };
}
