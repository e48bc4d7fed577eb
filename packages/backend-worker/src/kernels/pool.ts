import { pool2dDims } from '@myelin/core/jsmath';
import { COST, nth, type WorkerKernel } from './util.js';

/** Max pooling (padding counts as -Infinity), split by (sample, channel) planes. */
export const maxPool2d: WorkerKernel<'maxPool2d'> = (inputs, attrs, out, be) => {
  const x = nth(inputs, 0);
  const d = pool2dDims(x.shape, attrs);
  const cost = COST.window * d.OH * d.OW * d.kh * d.kw;
  return be.produce(out, (values) =>
    be.parallel(
      'maxPool2d',
      { x: be.input(x) as Float32Array, out: values as Float32Array, d },
      d.planes,
      cost,
    ),
  );
};

/** Max-pooling gradient: [dy, x] → dx, each dy to the first max of its window; split by planes. */
export const maxPool2dBackward: WorkerKernel<'maxPool2dBackward'> = (inputs, attrs, out, be) => {
  const dy = nth(inputs, 0);
  const x = nth(inputs, 1);
  const d = pool2dDims(x.shape, attrs);
  const cost = COST.window * d.OH * d.OW * d.kh * d.kw + COST.element * d.H * d.W;
  const args = { dy: be.input(dy) as Float32Array, x: be.input(x) as Float32Array, d };
  return be.produce(out, (values) =>
    be.parallel('maxPool2dBackward', { ...args, out: values as Float32Array }, d.planes, cost),
  );
};

/** Average pooling (count_include_pad), split by planes. */
export const avgPool2d: WorkerKernel<'avgPool2d'> = (inputs, attrs, out, be) => {
  const x = nth(inputs, 0);
  const d = pool2dDims(x.shape, attrs);
  const cost = COST.avgWindow * d.OH * d.OW * d.kh * d.kw;
  return be.produce(out, (values) =>
    be.parallel(
      'avgPool2d',
      { x: be.input(x) as Float32Array, out: values as Float32Array, d },
      d.planes,
      cost,
    ),
  );
};

/** Average-pooling gradient: [dy] → dx of shape out.shape, split by planes. */
export const avgPool2dBackward: WorkerKernel<'avgPool2dBackward'> = (inputs, attrs, out, be) => {
  const dy = nth(inputs, 0);
  const d = pool2dDims(out.shape, attrs);
  const cost = COST.avgWindow * d.OH * d.OW * d.kh * d.kw + COST.element * d.H * d.W;
  return be.produce(out, (values) =>
    be.parallel(
      'avgPool2dBackward',
      { dy: be.input(dy) as Float32Array, out: values as Float32Array, d },
      d.planes,
      cost,
    ),
  );
};
