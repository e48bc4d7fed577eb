import { softmaxRange } from '@myelin/core/jsmath';
import { type CpuKernel, nth } from './util.js';

function lastDim(shape: readonly number[]): number {
  return shape.length === 0 ? 1 : (shape[shape.length - 1] as number);
}

/** Softmax over the last axis. */
export const softmax: CpuKernel<'softmax'> = (inputs, _attrs, out, be) => {
  const x = nth(inputs, 0);
  const { id, values } = be.allocate(out);
  const cols = lastDim(x.shape);
  softmaxRange(be.input(x) as Float32Array, values as Float32Array, cols, 0, out.size / cols, false);
  return id;
};

/** Log-softmax over the last axis. */
export const logSoftmax: CpuKernel<'logSoftmax'> = (inputs, _attrs, out, be) => {
  const x = nth(inputs, 0);
  const { id, values } = be.allocate(out);
  const cols = lastDim(x.shape);
  softmaxRange(be.input(x) as Float32Array, values as Float32Array, cols, 0, out.size / cols, true);
  return id;
};
