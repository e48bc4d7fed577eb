import { matmulDims, matmulRange } from '@myelin/core/jsmath';
import { type CpuKernel, nth } from './util.js';

/** Batched matmul with optional transposes: the packed, register-tiled gemm of jsmath. */
export const matmul: CpuKernel<'matmul'> = (inputs, attrs, out, be) => {
  const a = nth(inputs, 0);
  const b = nth(inputs, 1);
  const { id, values } = be.allocate(out);
  const dims = matmulDims(a.shape, b.shape, attrs);
  matmulRange(
    be.input(a) as Float32Array,
    be.input(b) as Float32Array,
    values as Float32Array,
    dims,
    0,
    dims.B * dims.M,
  );
  return id;
};
