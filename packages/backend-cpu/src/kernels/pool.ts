import {
  avgPool2dBackwardRange,
  avgPool2dRange,
  maxPool2dBackwardRange,
  maxPool2dRange,
  pool2dDims,
} from '@myelin/core/jsmath';
import { type CpuKernel, nth } from './util.js';

/** Max pooling (padding counts as -Infinity). */
export const maxPool2d: CpuKernel<'maxPool2d'> = (inputs, attrs, out, be) => {
  const x = nth(inputs, 0);
  const { id, values } = be.allocate(out);
  const d = pool2dDims(x.shape, attrs);
  maxPool2dRange(be.input(x) as Float32Array, values as Float32Array, d, 0, d.planes);
  return id;
};

/** Max-pooling gradient: [dy, x] → dx, each dy to the first max of its window. */
export const maxPool2dBackward: CpuKernel<'maxPool2dBackward'> = (inputs, attrs, out, be) => {
  const dy = nth(inputs, 0);
  const x = nth(inputs, 1);
  const { id, values } = be.allocate(out);
  const d = pool2dDims(x.shape, attrs);
  maxPool2dBackwardRange(
    be.input(dy) as Float32Array,
    be.input(x) as Float32Array,
    values as Float32Array,
    d,
    0,
    d.planes,
  );
  return id;
};

/** Average pooling (count_include_pad). */
export const avgPool2d: CpuKernel<'avgPool2d'> = (inputs, attrs, out, be) => {
  const x = nth(inputs, 0);
  const { id, values } = be.allocate(out);
  const d = pool2dDims(x.shape, attrs);
  avgPool2dRange(be.input(x) as Float32Array, values as Float32Array, d, 0, d.planes);
  return id;
};

/** Average-pooling gradient: [dy] → dx of shape out.shape. */
export const avgPool2dBackward: CpuKernel<'avgPool2dBackward'> = (inputs, attrs, out, be) => {
  const dy = nth(inputs, 0);
  const { id, values } = be.allocate(out);
  const d = pool2dDims(out.shape, attrs);
  avgPool2dBackwardRange(be.input(dy) as Float32Array, values as Float32Array, d, 0, d.planes);
  return id;
};
