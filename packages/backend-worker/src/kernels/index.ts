import type { KernelTable } from '@myelin/core';
import type { WorkerBackend } from '../backend.js';
import { conv2d, conv2dBackwardFilter, conv2dBackwardInput } from './conv2d.js';
import { binary, cast, fill, randomNormal, randomUniform, unary, where } from './elementwise.js';
import { gather, oneHot, scatterAdd } from './gather.js';
import { matmul } from './matmul.js';
import { concat, pad, slice, transpose } from './movement.js';
import { avgPool2d, avgPool2dBackward, maxPool2d, maxPool2dBackward } from './pool.js';
import { argReduce, reduce } from './reduce.js';
import { logSoftmax, softmax } from './softmax.js';

/**
 * Every built-in kernel of the worker backend: each picks its jsmath range task, estimates its cost, and
 * lets the backend run it inline or split across threads.
 */
export const workerKernels: KernelTable<WorkerBackend> = {
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
