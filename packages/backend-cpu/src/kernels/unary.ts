import { unaryRange } from '@myelin/core/jsmath';
import { type CpuKernel, nth } from './util.js';

/** Elementwise unary ops. */
export const unary: CpuKernel<'unary'> = (inputs, attrs, out, be) => {
  const { id, values } = be.allocate(out);
  unaryRange(attrs.op, be.input(nth(inputs, 0)), values, 0, out.size);
  return id;
};
