import { gatherDims } from '@myelin/core/jsmath';
import { axisIn, COST, nth, type WorkerKernel } from './util.js';

/** index_select along an axis with N-d int32 indices, split by output slices. */
export const gather: WorkerKernel<'gather'> = (inputs, attrs, out, be) => {
  const x = nth(inputs, 0);
  const indices = nth(inputs, 1);
  const d = gatherDims(x.shape, axisIn(attrs.axis, x.shape.length), indices.size);
  const args = { x: be.input(x), indices: be.input(indices) as Int32Array, d };
  return be.produce(out, (values) =>
    be.parallel('gather', { ...args, out: values }, d.outer * d.count, COST.touch * (d.inner + 4)),
  );
};

/**
 * The gradient of gather: zeros of out.shape, then updates added at the indexed positions; split by
 * (outer, inner) columns, so repeated indices never add into one element from two threads.
 */
export const scatterAdd: WorkerKernel<'scatterAdd'> = (inputs, attrs, out, be) => {
  const updates = nth(inputs, 0);
  const indices = nth(inputs, 1);
  const d = gatherDims(out.shape, axisIn(attrs.axis, out.shape.length), indices.size);
  const args = { updates: be.input(updates), indices: be.input(indices) as Int32Array, d };
  return be.produce(out, (values) =>
    be.parallel(
      'scatterAdd',
      { ...args, out: values },
      d.outer * d.inner,
      COST.touch * (d.count + d.axisSize),
    ),
  );
};

/** One-hot rows of `depth` for int32 indices, split by rows. */
export const oneHot: WorkerKernel<'oneHot'> = (inputs, attrs, out, be) => {
  const indices = nth(inputs, 0);
  const { depth, on, off } = attrs;
  const args = { indices: be.input(indices) as Int32Array, depth, on, off };
  return be.produce(out, (values) =>
    be.parallel('oneHot', { ...args, out: values as Float32Array }, indices.size, COST.element * depth),
  );
};
