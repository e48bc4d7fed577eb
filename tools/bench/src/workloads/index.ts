/** Every workload, in report order. Add one by writing a file here and listing it below. */
import type { Workload } from '../types.js';
import { add } from './add.js';
import { conv2d } from './conv2d.js';
import { lenetTrain } from './lenet-train.js';
import { matmul } from './matmul.js';
import { mlpTrain } from './mlp-train.js';

export const WORKLOADS: readonly Workload[] = [matmul, conv2d, add, mlpTrain, lenetTrain];
