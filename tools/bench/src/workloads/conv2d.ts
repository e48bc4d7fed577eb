/**
 * The two convolutions of a LeNet-style network, forward alone and forward + backward through each
 * library's autograd (Myelin: `conv2d(...).sum().backward()`; tfjs: `tf.grads`).
 */

import type { Tensor } from '@myelin/core';
import type * as Tf from '@tensorflow/tfjs';
import type { BenchCase, Target, Workload } from '../types.js';

interface ConvLayer {
  key: string;
  name: string;
  batch: number;
  inChannels: number;
  outChannels: number;
  size: number;
  kernel: number;
  /** A first layer needs no gradient for its input (the images); a hidden layer does. */
  inputGrad: boolean;
}

const LAYERS: ConvLayer[] = [
  {
    key: 'conv1',
    name: 'conv 1→8, 28×28, k 5',
    batch: 64,
    inChannels: 1,
    outChannels: 8,
    size: 28,
    kernel: 5,
    inputGrad: false,
  },
  {
    key: 'conv2',
    name: 'conv 8→16, 12×12, k 5',
    batch: 64,
    inChannels: 8,
    outChannels: 16,
    size: 12,
    kernel: 5,
    inputGrad: true,
  },
];

const BACKWARD_TARGETS: Target[] = [
  { engine: 'myelin-cpu', vs: 'tfjs-cpu', minRatio: 20, source: 'CPU backend' },
  { engine: 'myelin-worker', vs: 'myelin-cpu', minRatio: 1.8, source: 'worker backend' },
];

function convCase(l: ConvLayer, backward: boolean): BenchCase {
  const { batch: n, inChannels: ci, outChannels: co, size: s, kernel: k } = l;
  return {
    id: `${l.key}-${backward ? 'fwdbwd' : 'fwd'}`,
    label: `${l.name}, N ${n}: ${backward ? `forward + backward (∂w, ∂b${l.inputGrad ? ', ∂x' : ''})` : 'forward'}`,
    metric: { kind: 'time', unit: 'ms' },
    targets: backward ? BACKWARD_TARGETS : undefined,
    tfjs(tf) {
      // tfjs's native layout: NHWC images, [k, k, in, out] filters.
      const x = tf.randomNormal([n, s, s, ci], 0, 1, 'float32', 1) as Tf.Tensor4D;
      const w = tf.randomNormal([k, k, ci, co], 0, 0.1, 'float32', 2) as Tf.Tensor4D;
      const b = tf.zeros([co]) as Tf.Tensor1D;
      const forward = (xx: Tf.Tensor4D, ww: Tf.Tensor4D, bb: Tf.Tensor1D) =>
        tf.fused.conv2d({ x: xx, filter: ww, strides: 1, pad: 'valid', bias: bb });
      const gradAll = tf.grads((xx, ww, bb) =>
        forward(xx as Tf.Tensor4D, ww as Tf.Tensor4D, bb as Tf.Tensor1D).sum(),
      );
      const gradParams = tf.grads((ww, bb) => forward(x, ww as Tf.Tensor4D, bb as Tf.Tensor1D).sum());
      let outs: Tf.Tensor[] = [];
      return {
        step() {
          for (const t of outs) t.dispose();
          outs = tf.tidy(() =>
            !backward ? [forward(x, w, b)] : l.inputGrad ? gradAll([x, w, b]) : gradParams([w, b]),
          );
        },
        async sync() {
          for (const t of outs) await t.data();
        },
        dispose() {
          for (const t of [...outs, x, w, b]) t.dispose();
        },
      };
    },
    myelin({ core }) {
      const x = core.randn([n, ci, s, s], { seed: 1 });
      const w = core.randn([co, ci, k, k], { std: 0.1, seed: 2 });
      const b = core.zeros([co]);
      const leaves = backward ? (l.inputGrad ? [x, w, b] : [w, b]) : [];
      for (const t of leaves) t.requiresGrad = true;
      let y: Tensor | undefined;
      return {
        step() {
          if (!backward) {
            y?.dispose();
            y = core.conv2d(x, w, b);
            return;
          }
          for (const t of leaves) {
            t.grad?.dispose();
            t.grad = null;
          }
          core.tidy(() => core.conv2d(x, w, b).sum().backward());
        },
        async sync() {
          if (y) await y.data();
          for (const t of leaves) {
            if (!t.grad) throw new Error('backward() left no gradient on a leaf');
            await t.grad.data();
          }
        },
        dispose() {
          y?.dispose();
          for (const t of [x, w, b]) t.dispose();
        },
      };
    },
  };
}

export const conv2d: Workload = {
  id: 'conv2d',
  title: 'Convolution layers (LeNet-style)',
  description:
    'Stride 1, no padding, with bias, batch 64, float32. Each library uses its native layout (Myelin NCHW ' +
    'with [out, in, k, k] weights; tfjs NHWC with [k, k, in, out] filters, through `tf.fused.conv2d`). ' +
    'Forward + backward differentiates the sum of the output: the first layer for its weights and bias ' +
    '(its input is data), the second also for its input, as training computes them. Times per call.',
  cases: () => LAYERS.flatMap((l) => [convCase(l, false), convCase(l, true)]),
};
