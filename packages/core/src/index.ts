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
export * from './errors/errors.js';
export type { DType } from './tensor/dtype.js';
export { DTYPES, allocTyped, bytesPerElement } from './tensor/dtype.js';
export { broadcastShapes, normalizeAxis, sizeOf, stridesOf } from './tensor/shape.js';
export { Tensor, type NestedArray, type TensorLike } from './tensor/tensor.js';
export * from './ops/index.js';
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
export { backward } from './autograd/backward.js';
export { grad, valueAndGrad } from './autograd/functional.js';
export { isGradEnabled, noGrad, setGradEnabled, type GradNode, type BackwardFn } from './autograd/tape.js';
export { keep, tidy } from './memory/scope.js';
export { memory, type MemoryInfo } from './memory/memory.js';
export { getRngState, manualSeed, setRngState } from './random/generator.js';
export { philox4x32, fillNormal, fillUniform, blocksUsed, counterAdd } from './random/philox.js';
export { defineOp, type OpDefinition } from './plugins/define-op.js';
