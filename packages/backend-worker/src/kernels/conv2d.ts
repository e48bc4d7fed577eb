import { type Conv2dDims, conv2dDims, reducePlan } from '@myelin/core/jsmath';
import type { WorkerBackend } from '../backend.js';
import { COST, nth, type WorkerKernel } from './util.js';

/** Output channels per chunk at least when a sample is cut into channel ranges (the gemm's 4-row tile). */
const MIN_CHANNELS = 8;

/** Multiply-adds of one sample's gemm plus the elements its im2col writes, in ns. */
function sampleCost(d: Conv2dDims): number {
  const ckkp = d.C * d.KH * d.KW * d.OH * d.OW;
  return COST.convMadd * d.O * ckkp + COST.strided * ckkp;
}

/**
 * Split by whole samples when there are enough of them (each builds its im2col once), else by channel
 * ranges of each sample (each chunk rebuilds its sample's im2col: worth it only for a big sample).
 */
function bySampleOrPlane(be: WorkerBackend, d: Conv2dDims, channels: number): { per: number; total: number } {
  return d.N >= 2 * be.threads ? { per: channels, total: d.N } : { per: 1, total: d.N * channels };
}

/** conv2d, NCHW × OIHW, by im2col + gemm. */
export const conv2d: WorkerKernel<'conv2d'> = (inputs, attrs, out, be) => {
  const x = nth(inputs, 0);
  const w = nth(inputs, 1);
  const d = conv2dDims(x.shape, w.shape, attrs);
  const { per, total } = bySampleOrPlane(be, d, d.O);
  const args = { x: be.input(x) as Float32Array, w: be.input(w) as Float32Array, d, per };
  const cost = (sampleCost(d) * per) / d.O;
  return be.produce(out, (values) =>
    be.parallel(
      'conv2d',
      { ...args, out: values as Float32Array },
      total,
      cost,
      per === 1 ? MIN_CHANNELS : 1,
    ),
  );
};

/** dL/dx of conv2d from dy and w, by gemm + col2im. */
export const conv2dBackwardInput: WorkerKernel<'conv2dBackwardInput'> = (inputs, attrs, out, be) => {
  const dy = nth(inputs, 0);
  const w = nth(inputs, 1);
  const d = conv2dDims(out.shape, w.shape, attrs);
  const { per, total } = bySampleOrPlane(be, d, d.C);
  const args = { dy: be.input(dy) as Float32Array, w: be.input(w) as Float32Array, d, per };
  const cost = (sampleCost(d) * per) / d.C;
  return be.produce(out, (values) =>
    be.parallel(
      'conv2dBackwardInput',
      { ...args, out: values as Float32Array },
      total,
      cost,
      per === 1 ? MIN_CHANNELS : 1,
    ),
  );
};

/**
 * dL/dw of conv2d from x and dy. Its output is small (one filter bank) while its work is the whole batch,
 * so with enough samples the batch is split into groups that each sum their own partial gradient, and the
 * partials are summed after; with few samples the output channels are shared out instead.
 */
export const conv2dBackwardFilter: WorkerKernel<'conv2dBackwardFilter'> = (inputs, attrs, out, be) => {
  const x = be.input(nth(inputs, 0)) as Float32Array;
  const dy = be.input(nth(inputs, 1)) as Float32Array;
  const d = conv2dDims(nth(inputs, 0).shape, out.shape, attrs);
  const totalNs = d.N * sampleCost(d);
  if (d.N < 2 * be.threads || !be.worthSplitting(totalNs)) {
    return be.produce(out, (values) =>
      be.parallel(
        'conv2dBackwardFilter',
        { x, dy, out: values as Float32Array, d },
        d.O,
        totalNs / d.O,
        MIN_CHANNELS,
      ),
    );
  }
  const groups = Math.min(d.N, 8 * be.threads);
  const per = Math.ceil(d.N / groups);
  const used = Math.ceil(d.N / per);
  const scratch = be.scratch('float32', used * out.size);
  const partials = scratch.values as Float32Array;
  be.parallel('conv2dBackwardFilterBatch', { x, dy, partials, d, per }, used, per * sampleCost(d));
  const id = be.produce(out, (values) =>
    be.parallel(
      'reduce',
      { op: 'sum', x: partials, out: values, plan: reducePlan([used, out.size], [0]) },
      out.size,
      COST.touch * used,
    ),
  );
  be.releaseScratch(scratch);
  return id;
};
