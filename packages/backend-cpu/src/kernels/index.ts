import type { KernelTable } from '@myelin/core';
import type { CpuBackend } from '../backend.js';
import { binary } from './binary.js';
import { cast } from './cast.js';
import { conv2d, conv2dBackwardFilter, conv2dBackwardInput } from './conv2d.js';
import { fill } from './fill.js';
import { gather, oneHot, scatterAdd } from './gather.js';
import { matmul } from './matmul.js';
import { concat, pad, slice, transpose } from './movement.js';
import { avgPool2d, avgPool2dBackward, maxPool2d, maxPool2dBackward } from './pool.js';
import { randomNormal, randomUniform } from './random.js';
import { argReduce, reduce } from './reduce.js';
import { logSoftmax, softmax } from './softmax.js';
import { unary } from './unary.js';
import { where } from './where.js';

/** Every built-in kernel of the CPU backend, one thin wrapper each around `@myelin/core/jsmath`. */
export const cpuKernels: KernelTable<CpuBackend> = {
  unary,
  binary,
  where,
  reduce,
  argReduce,
  cast,
  matmul,
  conv2d,
  conv2dBackwardInput,
  conv2dBackwardFilter,
  maxPool2d,
  maxPool2dBackward,
  avgPool2d,
  avgPool2dBackward,
  softmax,
  logSoftmax,
  gather,
  scatterAdd,
  oneHot,
  transpose,
  slice,
  concat,
  pad,
  fill,
  randomUniform,
  randomNormal,
};
