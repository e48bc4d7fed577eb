import { concatDims, padPlan, slicePlan, transposePlan } from '@myelin/core/jsmath';
import { axisIn, COST, nth, type WorkerKernel } from './util.js';

/** Permutes axes: out.shape[i] = x.shape[perm[i]]; split by output elements. */
export const transpose: WorkerKernel<'transpose'> = (inputs, attrs, out, be) => {
  const x = nth(inputs, 0);
  const plan = transposePlan(x.shape, attrs.perm);
  return be.produce(out, (values) =>
    be.parallel('stridedCopy', { x: be.input(x), out: values, plan }, out.size, COST.strided),
  );
};

/** Strided slice: out[i...] = x[begin + i·step ...]; split by output elements. */
export const slice: WorkerKernel<'slice'> = (inputs, attrs, out, be) => {
  const x = nth(inputs, 0);
  const plan = slicePlan(x.shape, attrs.begin, attrs.step, out.shape);
  return be.produce(out, (values) =>
    be.parallel('stridedCopy', { x: be.input(x), out: values, plan }, out.size, COST.strided),
  );
};

/** Joins inputs along an axis; split by output elements. */
export const concat: WorkerKernel<'concat'> = (inputs, attrs, out, be) => {
  const d = concatDims(
    inputs.map((t) => t.shape),
    axisIn(attrs.axis, out.shape.length),
  );
  const xs = inputs.map((t) => be.input(t));
  return be.produce(out, (values) => be.parallel('concat', { xs, out: values, d }, out.size, COST.touch));
};

/** Constant padding; split by output elements. */
export const pad: WorkerKernel<'pad'> = (inputs, attrs, out, be) => {
  const x = nth(inputs, 0);
  const plan = padPlan(x.shape, attrs.paddings);
  return be.produce(out, (values) =>
    be.parallel('pad', { x: be.input(x), out: values, plan, value: attrs.value }, out.size, COST.touch),
  );
};
