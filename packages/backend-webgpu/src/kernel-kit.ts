/**
 * `@myelin/backend-webgpu/kernel-kit`: what the backend's own kernels are built from, for plugin kernels
 * (`registerKernel('webgpu', ...)` in `@myelin/core`). A kernel gets the backend as its fourth argument;
 * `gpuContext(backend)` gives its `GpuContext`, which hands out input buffers (`input`), allocates the
 * output (`alloc`) and queues a compute shader (`dispatch`, pipelines cached by `key`).
 *
 * Binding layout of every dispatch (what `declareBindings` writes): inputs at bindings 0..k-1 (read-only
 * storage), the output at k (read-write storage), the params block at k+1 (`params: array<u32>`, read
 * with `pu`/`pi`/`pf` from `COMMON`, written with `ParamWriter`). Every dtype takes 4 bytes per element
 * on the GPU: float32 is `f32`, int32 `i32`, bool a `u32` of 0/1 (`wgslType`).
 *
 * A shader that does not compile is reported at the next `read`/`sync` (a `BackendError` naming the
 * dispatch's key), not at the call.
 *
 * @example
 * ```ts
 * import { type KernelImpl, registerKernel } from '@myelin/core';
 * import {
 *   COMMON, declareBindings, FLOAT_MATH, gpuContext, linearGrid, main1d, ParamWriter, WG,
 * } from '@myelin/backend-webgpu/kernel-kit';
 *
 * // softsign(x) = x / (1 + |x|), and a `scale` attribute passed through the params block.
 * const softsign: KernelImpl = (inputs, attrs, out, backend) => {
 *   const gpu = gpuContext(backend);
 *   const x = gpu.input(inputs[0]!);
 *   const y = gpu.alloc('float32', out.size);
 *   gpu.dispatch({
 *     key: 'my-plugin:softsign', // one key per WGSL source, unique across plugins
 *     source: () =>
 *       declareBindings([{ name: 'xs', type: 'f32' }], { name: 'ys', type: 'f32' }) +
 *       COMMON +
 *       FLOAT_MATH +
 *       main1d('  ys[i] = pf(1u) * xs[i] / (1.0 + abs(xs[i]));'), // i < pu(0u), the element count
 *     inputs: [x],
 *     output: y,
 *     params: new ParamWriter().u32(out.size).f32(Number(attrs.scale ?? 1)).finish(),
 *     grid: linearGrid(Math.ceil(out.size / WG), gpu.maxWorkgroupsPerDim),
 *   });
 *   return y;
 * };
 * registerKernel('webgpu', 'softsign', softsign, { plugin: 'my-plugin' });
 * ```
 */
import type { Backend } from '@myelin/core';
import type { GpuContext } from './context.js';

export type { DispatchSpec, GemmStrategy, GpuContext } from './context.js';
export { FLOAT_MATH } from './float-math.js';
export type { GpuTensor } from './gpu-tensor.js';
export { ParamWriter, valueBits } from './params.js';
export {
  type Binding,
  COMMON,
  declareBindings,
  linearGrid,
  main1d,
  WG,
  type WgslType,
  wgslType,
} from './wgsl.js';

/**
 * The `GpuContext` of a WebGPU backend (the `backend` argument of a kernel), or an error saying that the
 * backend is not one. Checked by shape, so it also works when two copies of this package are installed.
 *
 * @example
 * ```ts
 * const kernel: KernelImpl = (inputs, attrs, out, backend) => {
 *   const gpu = gpuContext(backend);
 *   const y = gpu.alloc('float32', out.size);
 *   // ... gpu.dispatch({ ... output: y ... })
 *   return y;
 * };
 * ```
 */
export function gpuContext(backend: Backend): GpuContext {
  const b = backend as unknown as Partial<GpuContext>;
  if (
    typeof b.dispatch !== 'function' ||
    typeof b.alloc !== 'function' ||
    typeof b.input !== 'function' ||
    typeof b.maxWorkgroupsPerDim !== 'number'
  ) {
    throw new Error(
      `backend '${backend.name}' is not a WebGPU backend (it has no input/alloc/dispatch): register this kernel for 'webgpu' only`,
    );
  }
  return b as GpuContext;
}
