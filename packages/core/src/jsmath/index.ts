/**
 * `@myelin/core/jsmath`: the math of every JavaScript kernel, once, as plain functions over typed arrays
 * that each compute one *range* of their output. The CPU backend calls them on the whole range; the
 * worker backend splits the range across threads. Each function documents what its range counts
 * (elements, rows, planes, channels) and guarantees that disjoint ranges write disjoint output elements,
 * so ranges can run concurrently on shared memory. Plans and dims are plain objects of numbers, computed
 * once per kernel call and safe to post to a worker. Scratch buffers are allocated per call.
 *
 * @example
 * ```ts
 * import { matmulDims, matmulRange } from '@myelin/core/jsmath';
 * const dims = matmulDims([64, 784], [784, 128], { transposeA: false, transposeB: false });
 * matmulRange(a, b, out, dims, 0, dims.B * dims.M); // or split [0, B*M) across threads
 * ```
 */

export { binaryRange, flooredMod } from './binary.js';
export { castRange } from './cast.js';
export {
  type Conv2dDims,
  conv2dBackwardFilterRange,
  conv2dBackwardInputRange,
  conv2dDims,
  conv2dRange,
  im2rowRange,
} from './conv2d.js';
export { fillRange } from './fill.js';
export { type GatherDims, gatherDims, gatherRange, oneHotRange, scatterAddRange } from './gather.js';
export {
  broadcastPlan,
  broadcastStrides,
  coalesce,
  RunCursor,
  type StridedPlan,
  sizeOf,
  stridesOf,
} from './layout.js';
export { gemm, type MatmulDims, matmulDims, matmulRange } from './matmul.js';
export {
  type ConcatDims,
  type CopyPlan,
  concatDims,
  concatRange,
  type PadPlan,
  padPlan,
  padRange,
  slicePlan,
  stridedCopyRange,
  transposePlan,
} from './movement.js';
export {
  avgPool2dBackwardRange,
  avgPool2dRange,
  maxPool2dBackwardRange,
  maxPool2dRange,
  type Pool2dDims,
  pool2dDims,
} from './pool.js';
export { randomNormalRange, randomUniformRange } from './random.js';
export {
  type ArgReduceDims,
  argReduceDims,
  argReduceRange,
  type ReducePlan,
  reducePlan,
  reduceRange,
} from './reduce.js';
export { softmaxRange } from './softmax.js';
export { reluOf, roundHalfEven, stableSigmoid, stableSoftplus, unaryRange } from './unary.js';
export { whereRange } from './where.js';
