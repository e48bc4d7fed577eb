import { COST, nth, type WorkerKernel } from './util.js';

function lastDim(shape: readonly number[]): number {
  return shape.length === 0 ? 1 : (shape[shape.length - 1] as number);
}

/** Softmax over the last axis, split by rows. */
export const softmax: WorkerKernel<'softmax'> = (inputs, _attrs, out, be) => {
  const x = nth(inputs, 0);
  const cols = lastDim(x.shape);
  const args = { x: be.input(x) as Float32Array, cols, log: false };
  return be.produce(out, (values) =>
    be.parallel(
      'softmax',
      { ...args, out: values as Float32Array },
      out.size / cols,
      (COST.transcendental + 4) * cols,
    ),
  );
};

/** Log-softmax over the last axis, split by rows. */
export const logSoftmax: WorkerKernel<'logSoftmax'> = (inputs, _attrs, out, be) => {
  const x = nth(inputs, 0);
  const cols = lastDim(x.shape);
  const args = { x: be.input(x) as Float32Array, cols, log: true };
  return be.produce(out, (values) =>
    be.parallel(
      'softmax',
      { ...args, out: values as Float32Array },
      out.size / cols,
      (COST.transcendental + 4) * cols,
    ),
  );
};
