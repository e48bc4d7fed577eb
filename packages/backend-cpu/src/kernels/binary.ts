import { binaryRange, broadcastPlan } from '@myelin/core/jsmath';
import { type CpuKernel, nth } from './util.js';

/** Elementwise binary ops with NumPy broadcasting. */
export const binary: CpuKernel<'binary'> = (inputs, attrs, out, be) => {
  const a = nth(inputs, 0);
  const b = nth(inputs, 1);
  const { id, values } = be.allocate(out);
  const plan = broadcastPlan(out.shape, [a.shape, b.shape]);
  binaryRange(attrs.op, be.input(a), be.input(b), values, plan, 0, out.size);
  return id;
};
