import { fillRange } from '@myelin/core/jsmath';
import type { CpuKernel } from './util.js';

/** A buffer filled with one value. */
export const fill: CpuKernel<'fill'> = (_inputs, attrs, out, be) => {
  const { id, values } = be.allocate(out);
  fillRange(values, attrs.value, 0, out.size);
  return id;
};
