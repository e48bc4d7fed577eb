import { gatherDims, gatherRange, oneHotRange, scatterAddRange } from '@myelin/core/jsmath';
import { axisIn, type CpuKernel, nth } from './util.js';

/** index_select along an axis with N-d int32 indices. */
export const gather: CpuKernel<'gather'> = (inputs, attrs, out, be) => {
  const x = nth(inputs, 0);
  const indices = nth(inputs, 1);
  const { id, values } = be.allocate(out);
  const d = gatherDims(x.shape, axisIn(attrs.axis, x.shape.length), indices.size);
  gatherRange(be.input(x), be.input(indices) as Int32Array, values, d, 0, d.outer * d.count);
  return id;
};

/** The gradient of gather: zeros of out.shape, then updates added at the indexed positions. */
export const scatterAdd: CpuKernel<'scatterAdd'> = (inputs, attrs, out, be) => {
  const updates = nth(inputs, 0);
  const indices = nth(inputs, 1);
  const { id, values } = be.allocate(out);
  const d = gatherDims(out.shape, axisIn(attrs.axis, out.shape.length), indices.size);
  scatterAddRange(be.input(updates), be.input(indices) as Int32Array, values, d, 0, d.outer * d.inner);
  return id;
};

/** One-hot rows of `depth` for int32 indices. */
export const oneHot: CpuKernel<'oneHot'> = (inputs, attrs, out, be) => {
  const indices = nth(inputs, 0);
  const { id, values } = be.allocate(out);
  oneHotRange(
    be.input(indices) as Int32Array,
    values as Float32Array,
    attrs.depth,
    attrs.on,
    attrs.off,
    0,
    indices.size,
  );
  return id;
};
