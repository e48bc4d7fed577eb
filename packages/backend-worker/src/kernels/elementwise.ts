import type { UnaryOp } from '@myelin/core';
import { broadcastPlan } from '@myelin/core/jsmath';
import { COST, nth, type WorkerKernel } from './util.js';

const CHEAP_UNARY = new Set<UnaryOp>(['neg', 'abs', 'sign', 'square', 'relu', 'step', 'logicalNot', 'isNaN']);

/** Elementwise unary ops, split by elements when large. */
export const unary: WorkerKernel<'unary'> = (inputs, attrs, out, be) => {
  const x = be.input(nth(inputs, 0));
  const cost = CHEAP_UNARY.has(attrs.op) ? COST.element : COST.transcendental;
  return be.produce(out, (values) => be.parallel('unary', { op: attrs.op, x, out: values }, out.size, cost));
};

/** Elementwise binary ops with NumPy broadcasting, split by elements when large. */
export const binary: WorkerKernel<'binary'> = (inputs, attrs, out, be) => {
  const a = nth(inputs, 0);
  const b = nth(inputs, 1);
  const plan = broadcastPlan(out.shape, [a.shape, b.shape]);
  const cost = attrs.op === 'pow' || attrs.op === 'atan2' ? COST.transcendental : COST.element;
  return be.produce(out, (values) =>
    be.parallel(
      'binary',
      { op: attrs.op, a: be.input(a), b: be.input(b), out: values, plan },
      out.size,
      cost,
    ),
  );
};

/** `cond ? a : b`, all three broadcast to the output. */
export const where: WorkerKernel<'where'> = (inputs, _attrs, out, be) => {
  const cond = nth(inputs, 0);
  const a = nth(inputs, 1);
  const b = nth(inputs, 2);
  const plan = broadcastPlan(out.shape, [cond.shape, a.shape, b.shape]);
  return be.produce(out, (values) =>
    be.parallel(
      'where',
      { cond: be.input(cond) as Uint8Array, a: be.input(a), b: be.input(b), out: values, plan },
      out.size,
      COST.element,
    ),
  );
};

/** Converts to another dtype (float → int truncates; → bool is x != 0). */
export const cast: WorkerKernel<'cast'> = (inputs, _attrs, out, be) => {
  const x = be.input(nth(inputs, 0));
  return be.produce(out, (values) => be.parallel('cast', { x, out: values }, out.size, COST.element));
};

/** A buffer filled with one value. */
export const fill: WorkerKernel<'fill'> = (_inputs, attrs, out, be) =>
  be.produce(out, (values) =>
    be.parallel('fill', { out: values, value: attrs.value }, out.size, COST.element / 4),
  );

/** Uniform [low, high) from the Philox stream (the values do not depend on the split). */
export const randomUniform: WorkerKernel<'randomUniform'> = (_inputs, attrs, out, be) =>
  be.produce(out, (values) =>
    be.parallel('randomUniform', { out: values as Float32Array, attrs }, out.size, COST.randomUniform),
  );

/** Normal(mean, std) from the Philox stream (the values do not depend on the split). */
export const randomNormal: WorkerKernel<'randomNormal'> = (_inputs, attrs, out, be) =>
  be.produce(out, (values) =>
    be.parallel('randomNormal', { out: values as Float32Array, attrs }, out.size, COST.randomNormal),
  );
