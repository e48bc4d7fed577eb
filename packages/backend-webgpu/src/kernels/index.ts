/** The kernel table: every kernel of the contract, bound to one backend. */
import type { KernelTable, OutSpec, TensorInfo } from '@myelin/core';
import type { GpuContext } from '../context.js';
import type { GpuTensor } from '../gpu-tensor.js';
import { argReduce } from './arg-reduce.js';
import { binary } from './binary.js';
import { cast } from './cast.js';
import { conv2d, conv2dBackwardFilter, conv2dBackwardInput } from './conv.js';
import { gather, scatterAdd } from './gather.js';
import { matmul } from './matmul.js';
import { concat, fill, pad, slice, transpose } from './movement.js';
import { oneHot } from './one-hot.js';
import { avgPool2d, avgPool2dBackward, maxPool2d, maxPool2dBackward } from './pool.js';
import { randomNormal, randomUniform } from './random.js';
import { reduce } from './reduce.js';
import { logSoftmax, softmax } from './softmax.js';
import { unary } from './unary.js';
import { where } from './where.js';

type GpuKernel<A> = (gpu: GpuContext, inputs: readonly TensorInfo[], attrs: A, out: OutSpec) => GpuTensor;

/** Binds a kernel to the backend it runs on (kernels see the `GpuContext`, not the `Backend`). */
function bind<A>(gpu: GpuContext, kernel: GpuKernel<A>) {
  return (inputs: readonly TensorInfo[], attrs: A, out: OutSpec) => kernel(gpu, inputs, attrs, out);
}

/** Every built-in kernel of the contract, running on `gpu`. */
export function createKernelTable(gpu: GpuContext): KernelTable {
  return {
    unary: bind(gpu, unary),
    binary: bind(gpu, binary),
    where: bind(gpu, where),
    reduce: bind(gpu, reduce),
    argReduce: bind(gpu, argReduce),
    cast: bind(gpu, cast),
    matmul: bind(gpu, matmul),
    conv2d: bind(gpu, conv2d),
    conv2dBackwardInput: bind(gpu, conv2dBackwardInput),
    conv2dBackwardFilter: bind(gpu, conv2dBackwardFilter),
    maxPool2d: bind(gpu, maxPool2d),
    maxPool2dBackward: bind(gpu, maxPool2dBackward),
    avgPool2d: bind(gpu, avgPool2d),
    avgPool2dBackward: bind(gpu, avgPool2dBackward),
    softmax: bind(gpu, softmax),
    logSoftmax: bind(gpu, logSoftmax),
    gather: bind(gpu, gather),
    scatterAdd: bind(gpu, scatterAdd),
    oneHot: bind(gpu, oneHot),
    transpose: bind(gpu, transpose),
    slice: bind(gpu, slice),
    concat: bind(gpu, concat),
    pad: bind(gpu, pad),
    fill: bind(gpu, fill),
    randomUniform: bind(gpu, randomUniform),
    randomNormal: bind(gpu, randomNormal),
  };
}
