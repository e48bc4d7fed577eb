import { argReduceDims, reducePlan } from '@myelin/core/jsmath';
import { axisIn, COST, nth, type WorkerKernel } from './util.js';

/**
 * sum / mean / max / min / prod / any / all over a set of axes (kept as size 1), split by output
 * elements when there are enough of them. A reduction to a handful of outputs runs on one thread.
 */
export const reduce: WorkerKernel<'reduce'> = (inputs, attrs, out, be) => {
  const x = nth(inputs, 0);
  const axes = attrs.axes.map((a) => axisIn(a, x.shape.length));
  const plan = reducePlan(x.shape, axes);
  return be.produce(out, (values) =>
    be.parallel(
      'reduce',
      { op: attrs.op, x: be.input(x), out: values, plan },
      out.size,
      COST.touch * plan.redSize,
    ),
  );
};

/** argmax / argmin along one axis (kept as size 1), int32 output, split by output elements. */
export const argReduce: WorkerKernel<'argReduce'> = (inputs, attrs, out, be) => {
  const x = nth(inputs, 0);
  const dims = argReduceDims(x.shape, axisIn(attrs.axis, x.shape.length));
  return be.produce(out, (values) =>
    be.parallel(
      'argReduce',
      { op: attrs.op, x: be.input(x), out: values as Int32Array, dims },
      out.size,
      COST.touch * dims.size,
    ),
  );
};
