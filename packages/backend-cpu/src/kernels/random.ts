import { randomNormalRange, randomUniformRange } from '@myelin/core/jsmath';
import type { CpuKernel } from './util.js';

/** Uniform [low, high) from the Philox stream. */
export const randomUniform: CpuKernel<'randomUniform'> = (_inputs, attrs, out, be) => {
  const { id, values } = be.allocate(out);
  randomUniformRange(values as Float32Array, attrs, 0, out.size);
  return id;
};

/** Normal(mean, std) from the Philox stream. */
export const randomNormal: CpuKernel<'randomNormal'> = (_inputs, attrs, out, be) => {
  const { id, values } = be.allocate(out);
  randomNormalRange(values as Float32Array, attrs, 0, out.size);
  return id;
};
