/**
 * @myelin/core — tensors, autograd, memory, the backend contract and registry.
 *
 * @example
 * ```ts
 * import { tensor, setBackend } from '@myelin/core';
 * import '@myelin/backend-cpu';
 * await setBackend('cpu');
 * const x = tensor([[1, 2], [3, 4]], { requiresGrad: true });
 * x.matmul(x).sum().backward();
 * console.log(await x.grad!.array());
 * ```
 */

export { backward } from './autograd/backward.js';
export { grad, valueAndGrad } from './autograd/functional.js';
export { type BackwardFn, type GradNode, isGradEnabled, noGrad, setGradEnabled } from './autograd/tape.js';
export type * from './backend/kernels.js';
export {
  type BackendFactory,
  type BackendInfo,
  getBackend,
  getBackendName,
  listBackends,
  ready,
  registerBackend,
  registerKernel,
  removeBackend,
  setBackend,
  unregisterKernel,
} from './backend/registry.js';
export * from './errors/errors.js';
export { type MemoryInfo, memory } from './memory/memory.js';
export { keep, tidy } from './memory/scope.js';
export * from './ops/index.js';
export { defineOp, type OpDefinition } from './plugins/define-op.js';
export { getRngState, manualSeed, setRngState } from './random/generator.js';
export { blocksUsed, counterAdd, fillNormal, fillUniform, philox4x32 } from './random/philox.js';
export type { DType } from './tensor/dtype.js';
export { allocTyped, bytesPerElement, DTYPES } from './tensor/dtype.js';
export { broadcastShapes, normalizeAxis, sizeOf, stridesOf } from './tensor/shape.js';
export { type NestedArray, Tensor, type TensorLike } from './tensor/tensor.js';
