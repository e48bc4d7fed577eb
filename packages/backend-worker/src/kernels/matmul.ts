import { matmulDims } from '@myelin/core/jsmath';
import { COST, nth, type WorkerKernel } from './util.js';

/**
 * Rows per chunk at least: each chunk packs the whole of B for itself (jsmath's gemm packs per call), so
 * a chunk of few rows would spend more on packing than on multiplying.
 */
const MIN_ROWS = 16;

/** Batched matmul with optional transposes, split by rows of the [B·M, N] output. */
export const matmul: WorkerKernel<'matmul'> = (inputs, attrs, out, be) => {
  const a = nth(inputs, 0);
  const b = nth(inputs, 1);
  const dims = matmulDims(a.shape, b.shape, attrs);
  const args = { a: be.input(a) as Float32Array, b: be.input(b) as Float32Array, dims };
  return be.produce(out, (values) =>
    be.parallel(
      'matmul',
      { ...args, out: values as Float32Array },
      dims.B * dims.M,
      COST.madd * dims.N * dims.K,
      MIN_ROWS,
    ),
  );
};
