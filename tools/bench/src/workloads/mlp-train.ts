/** Training a 784-128-64-10 perceptron (ReLU, softmax cross-entropy, Adam) on batches of 64. */
import type * as Tf from '@tensorflow/tfjs';
import { BATCH, CLASSES, glorot, myelinTrainer, oneHotTargets, tfjsTrainer, zeroBias } from '../training.js';
import type { BenchCase, Workload } from '../types.js';

const WIDTHS = [784, 128, 64, CLASSES];

const mlpCase: BenchCase = {
  id: 'mlp-train',
  label: `MLP ${WIDTHS.join('-')}, batch ${BATCH}, Adam`,
  metric: { kind: 'throughput', unit: 'samples/s', perOp: BATCH },
  targets: [{ engine: 'myelin-cpu', minValue: 4000, source: 'layers' }],
  tfjs(tf) {
    const vars: Tf.Variable[] = [];
    for (let i = 0; i + 1 < WIDTHS.length; i++) {
      const [fanIn, fanOut] = [WIDTHS[i] as number, WIDTHS[i + 1] as number];
      vars.push(glorot(tf, [fanIn, fanOut], fanIn, fanOut, 10 + i), zeroBias(tf, fanOut));
    }
    const x = tf.randomNormal([BATCH, WIDTHS[0] as number], 0, 1, 'float32', 1) as Tf.Tensor2D;
    const target = oneHotTargets(tf);
    const loss = () => {
      let h: Tf.Tensor2D = x;
      for (let i = 0; i < vars.length; i += 2) {
        const last = i + 2 === vars.length;
        h = tf.fused.matMul({
          a: h,
          b: vars[i] as Tf.Variable as Tf.Tensor2D,
          bias: vars[i + 1] as Tf.Variable,
          activation: last ? 'linear' : 'relu',
        }) as Tf.Tensor2D;
      }
      return tf.losses.softmaxCrossEntropy(target, h) as Tf.Scalar;
    };
    return tfjsTrainer(tf, vars, [x, target], loss);
  },
  myelin(m) {
    return myelinTrainer(
      m,
      ({ layers: L }) =>
        new L.Sequential(
          new L.Linear(784, 128),
          new L.ReLU(),
          new L.Linear(128, 64),
          new L.ReLU(),
          new L.Linear(64, CLASSES),
        ),
      [BATCH, WIDTHS[0] as number],
    );
  },
};

export const mlpTrain: Workload = {
  id: 'mlp',
  title: 'MLP training',
  description:
    'One training step per op on a fixed batch of 64 random 784-vectors: forward, mean softmax ' +
    'cross-entropy, backward, Adam (lr 1e-3) update. tfjs: `tf.fused.matMul` layers and ' +
    '`tf.train.adam().minimize()` (`tf.variableGrads`); Myelin: `Sequential` of `Linear`/`ReLU`, ' +
    '`crossEntropy`, `loss.backward()`, `Adam.step()`. Samples per second.',
  cases: () => [mlpCase],
};
