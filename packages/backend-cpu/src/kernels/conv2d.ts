import {
  conv2dBackwardFilterRange,
  conv2dBackwardInputRange,
  conv2dDims,
  conv2dRange,
} from '@myelin/core/jsmath';
import { type CpuKernel, nth } from './util.js';

/** conv2d, NCHW × OIHW, by im2col + gemm. */
export const conv2d: CpuKernel<'conv2d'> = (inputs, attrs, out, be) => {
  const x = nth(inputs, 0);
  const w = nth(inputs, 1);
  const { id, values } = be.allocate(out);
  const d = conv2dDims(x.shape, w.shape, attrs);
  conv2dRange(
    be.input(x) as Float32Array,
    be.input(w) as Float32Array,
    values as Float32Array,
    d,
    0,
    d.N * d.O,
  );
  return id;
};

/** dL/dx of conv2d from dy and w, by gemm + col2im. */
export const conv2dBackwardInput: CpuKernel<'conv2dBackwardInput'> = (inputs, attrs, out, be) => {
  const dy = nth(inputs, 0);
  const w = nth(inputs, 1);
  const { id, values } = be.allocate(out);
  const d = conv2dDims(out.shape, w.shape, attrs);
  conv2dBackwardInputRange(
    be.input(dy) as Float32Array,
    be.input(w) as Float32Array,
    values as Float32Array,
    d,
    0,
    d.N * d.C,
  );
  return id;
};

/** dL/dw of conv2d from x and dy, by im2col + gemm summed over the batch. */
export const conv2dBackwardFilter: CpuKernel<'conv2dBackwardFilter'> = (inputs, attrs, out, be) => {
  const x = nth(inputs, 0);
  const dy = nth(inputs, 1);
  const { id, values } = be.allocate(out);
  const d = conv2dDims(x.shape, out.shape, attrs);
  conv2dBackwardFilterRange(
    be.input(x) as Float32Array,
    be.input(dy) as Float32Array,
    values as Float32Array,
    d,
    0,
    d.O,
  );
  return id;
};
