/**
 * __PACKAGE__ — `__OP__` for Myelin: an op with its gradient, kernels for the CPU, worker and WebGPU
 * backends, and a layer.
 *
 * @example
 * ```ts
 * import { registerBackend, setBackend, tensor } from '@myelin/core';
 * import { createCpuBackend } from '@myelin/backend-cpu';
 * import { __OP__, register } from '__PACKAGE__';
 * registerBackend('cpu', createCpuBackend);
 * register();
 * await setBackend('cpu');
 * console.log(await __OP__(tensor([-1, 0, 3])).data());
 * ```
 */
export { __OP__Js } from './kernels/js.js';
export { __OP__WebGpu } from './kernels/webgpu.js';
export { __OP_PASCAL__ } from './layer.js';
export { __OP__Scalar } from './math.js';
export { __OP__, KERNELS, PLUGIN_NAME } from './ops.js';
export { register } from './register.js';
