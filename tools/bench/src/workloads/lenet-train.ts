/**
 * Training a LeNet-style CNN on 28×28 images, batch 64: conv 5×5×8, ReLU, max-pool 2, conv 5×5×16, ReLU,
 * max-pool 2, linear 256 → 10; softmax cross-entropy; Adam.
 */
import type * as Tf from '@tensorflow/tfjs';
import { BATCH, CLASSES, glorot, myelinTrainer, oneHotTargets, tfjsTrainer, zeroBias } from '../training.js';
import type { BenchCase, Workload } from '../types.js';

const lenetCase: BenchCase = {
  id: 'lenet-train',
  label: `LeNet-style CNN, batch ${BATCH}, Adam`,
  metric: { kind: 'throughput', unit: 'samples/s', perOp: BATCH },
  targets: [
    { engine: 'myelin-cpu', minValue: 1000, source: 'layers' },
    { engine: 'myelin-worker', vs: 'myelin-cpu', minRatio: 1.6, source: 'worker backend' },
  ],
  tfjs(tf) {
    // NHWC images and [k, k, in, out] filters: tfjs's native layout.
    const w1 = glorot(tf, [5, 5, 1, 8], 25, 200, 11);
    const b1 = zeroBias(tf, 8);
    const w2 = glorot(tf, [5, 5, 8, 16], 200, 400, 12);
    const b2 = zeroBias(tf, 16);
    const w3 = glorot(tf, [256, CLASSES], 256, CLASSES, 13);
    const b3 = zeroBias(tf, CLASSES);
    const x = tf.randomNormal([BATCH, 28, 28, 1], 0, 1, 'float32', 1) as Tf.Tensor4D;
    const target = oneHotTargets(tf);
    const conv = (h: Tf.Tensor4D, w: Tf.Variable, b: Tf.Variable) =>
      tf.maxPool(
        tf.fused.conv2d({
          x: h,
          filter: w as Tf.Tensor4D,
          strides: 1,
          pad: 'valid',
          bias: b,
          activation: 'relu',
        }),
        2,
        2,
        'valid',
      );
    const loss = () => {
      const h = conv(conv(x, w1, b1), w2, b2);
      const logits = tf.fused.matMul({ a: tf.reshape(h, [BATCH, 256]), b: w3 as Tf.Tensor2D, bias: b3 });
      return tf.losses.softmaxCrossEntropy(target, logits) as Tf.Scalar;
    };
    return tfjsTrainer(tf, [w1, b1, w2, b2, w3, b3], [x, target], loss);
  },
  myelin(m) {
    return myelinTrainer(
      m,
      ({ layers: L }) =>
        new L.Sequential(
          new L.Conv2d(1, 8, 5),
          new L.ReLU(),
          new L.MaxPool2d(2),
          new L.Conv2d(8, 16, 5),
          new L.ReLU(),
          new L.MaxPool2d(2),
          new L.Flatten(),
          new L.Linear(256, CLASSES),
        ),
      [BATCH, 1, 28, 28],
    );
  },
};

export const lenetTrain: Workload = {
  id: 'lenet',
  title: 'LeNet-style CNN training',
  description:
    'One training step per op on a fixed batch of 64 random 28×28 images: conv 5×5 1→8, ReLU, max-pool 2, ' +
    'conv 5×5 8→16, ReLU, max-pool 2, flatten, linear 256→10, mean softmax cross-entropy, backward, Adam ' +
    '(lr 1e-3). tfjs uses `tf.fused.conv2d` with ReLU and `tf.train.adam().minimize()`; on tfjs-wasm the ' +
    'weight gradient of the convolutions runs through the kernel the harness adds (see the engines). ' +
    'Samples per second.',
  cases: () => [lenetCase],
};
