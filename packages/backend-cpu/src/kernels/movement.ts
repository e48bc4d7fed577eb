import {
  concatDims,
  concatRange,
  padPlan,
  padRange,
  slicePlan,
  stridedCopyRange,
  transposePlan,
} from '@myelin/core/jsmath';
import { axisIn, type CpuKernel, nth } from './util.js';

/** Permutes axes: out.shape[i] = x.shape[perm[i]]. */
export const transpose: CpuKernel<'transpose'> = (inputs, attrs, out, be) => {
  const x = nth(inputs, 0);
  const { id, values } = be.allocate(out);
  stridedCopyRange(be.input(x), values, transposePlan(x.shape, attrs.perm), 0, out.size);
  return id;
};

/** Strided slice: out[i...] = x[begin + i·step ...]. */
export const slice: CpuKernel<'slice'> = (inputs, attrs, out, be) => {
  const x = nth(inputs, 0);
  const { id, values } = be.allocate(out);
  stridedCopyRange(be.input(x), values, slicePlan(x.shape, attrs.begin, attrs.step, out.shape), 0, out.size);
  return id;
};

/** Joins inputs along an axis. */
export const concat: CpuKernel<'concat'> = (inputs, attrs, out, be) => {
  const { id, values } = be.allocate(out);
  const d = concatDims(
    inputs.map((t) => t.shape),
    axisIn(attrs.axis, out.shape.length),
  );
  concatRange(
    inputs.map((t) => be.input(t)),
    values,
    d,
    0,
    out.size,
  );
  return id;
};

/** Constant padding. */
export const pad: CpuKernel<'pad'> = (inputs, attrs, out, be) => {
  const x = nth(inputs, 0);
  const { id, values } = be.allocate(out);
  padRange(be.input(x), values, padPlan(x.shape, attrs.paddings), attrs.value, 0, out.size);
  return id;
};
