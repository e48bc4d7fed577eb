import { castRange } from '@myelin/core/jsmath';
import { type CpuKernel, nth } from './util.js';

/** Converts to another dtype (float → int truncates; → bool is x != 0). */
export const cast: CpuKernel<'cast'> = (inputs, _attrs, out, be) => {
  const { id, values } = be.allocate(out);
  castRange(be.input(nth(inputs, 0)), values, 0, out.size);
  return id;
};
