/**
 * @myelin/plugin-gelu — GELU (exact and tanh) and Swish/SiLU for Myelin: ops with gradients made with
 * `defineOp`, kernels for the CPU, worker and WebGPU backends registered with `registerKernel`, and
 * `GELU`/`Swish` layers. Checked against PyTorch.
 *
 * @example
 * ```ts
 * import { registerBackend, setBackend, tensor } from '@myelin/core';
 * import { createCpuBackend } from '@myelin/backend-cpu';
 * import { gelu, registerGeluPlugin } from '@myelin/plugin-gelu';
 *
 * registerBackend('cpu', createCpuBackend);
 * registerGeluPlugin();
 * await setBackend('cpu');
 * console.log(await gelu(tensor([-1, 0, 1])).data()); // Float32Array [-0.1587, 0, 0.8413]
 * ```
 */
export { geluGradJs, geluJs, swishJs } from './kernels/js.js';
export { geluGradWebGpu, geluWebGpu, swishWebGpu } from './kernels/webgpu.js';
export { GELU, SiLU, Swish } from './layers.js';
export {
  erfc,
  type GeluApproximation,
  gelu as geluScalar,
  geluDerivative,
  normalCdf,
  swish as swishScalar,
} from './math.js';
export { type GeluAttrs, type GeluOptions, gelu, KERNELS, PLUGIN_NAME, swish } from './ops.js';
export {
  GELU_KERNELS,
  type GeluBackendKind,
  type RegisterGeluOptions,
  registerGeluPlugin,
} from './register.js';
