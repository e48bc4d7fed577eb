import { argReduceDims, argReduceRange, reducePlan, reduceRange } from '@myelin/core/jsmath';
import { axisIn, type CpuKernel, nth } from './util.js';

/** sum / mean / max / min / prod / any / all over a set of axes (kept as size 1). */
export const reduce: CpuKernel<'reduce'> = (inputs, attrs, out, be) => {
  const x = nth(inputs, 0);
  const { id, values } = be.allocate(out);
  const axes = attrs.axes.map((a) => axisIn(a, x.shape.length));
  reduceRange(attrs.op, be.input(x), values, reducePlan(x.shape, axes), 0, out.size);
  return id;
};

/** argmax / argmin along one axis (kept as size 1), int32 output. */
export const argReduce: CpuKernel<'argReduce'> = (inputs, attrs, out, be) => {
  const x = nth(inputs, 0);
  const { id, values } = be.allocate(out);
  const dims = argReduceDims(x.shape, axisIn(attrs.axis, x.shape.length));
  argReduceRange(attrs.op, be.input(x), values as Int32Array, dims, 0, out.size);
  return id;
};
