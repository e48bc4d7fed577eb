import { broadcastPlan, whereRange } from '@myelin/core/jsmath';
import { type CpuKernel, nth } from './util.js';

/** `cond ? a : b`, all three broadcast to the output. */
export const where: CpuKernel<'where'> = (inputs, _attrs, out, be) => {
  const cond = nth(inputs, 0);
  const a = nth(inputs, 1);
  const b = nth(inputs, 2);
  const { id, values } = be.allocate(out);
  const plan = broadcastPlan(out.shape, [cond.shape, a.shape, b.shape]);
  whereRange(be.input(cond) as Uint8Array, be.input(a), be.input(b), values, plan, 0, out.size);
  return id;
};
