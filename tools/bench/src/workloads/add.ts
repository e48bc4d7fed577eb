/**
 * Elementwise addition: a 64×64 add is dominated by per-op overhead (dispatch, allocation, for the worker
 * backend the decision to stay on the calling thread); a 1024×1024 add by memory bandwidth.
 */
import type { Tensor } from '@myelin/core';
import type * as Tf from '@tensorflow/tfjs';
import type { BenchCase, Workload } from '../types.js';

function addCase(n: number): BenchCase {
  return {
    id: `add-${n}`,
    label: `${n}×${n} + ${n}×${n}`,
    metric: { kind: 'time', unit: 'µs' },
    targets:
      n === 64
        ? [{ engine: 'myelin-worker', vs: 'myelin-cpu', minRatio: 1, source: 'worker backend' }]
        : undefined,
    tfjs(tf) {
      const a = tf.randomNormal([n, n], 0, 1, 'float32', 1);
      const b = tf.randomNormal([n, n], 0, 1, 'float32', 2);
      let c: Tf.Tensor | undefined;
      return {
        step() {
          c?.dispose();
          c = tf.add(a, b);
        },
        async sync() {
          await c?.data();
        },
        dispose() {
          for (const t of [c, a, b]) t?.dispose();
        },
      };
    },
    myelin({ core }) {
      const a = core.randn([n, n], { seed: 1 });
      const b = core.randn([n, n], { seed: 2 });
      let c: Tensor | undefined;
      return {
        step() {
          c?.dispose();
          c = core.add(a, b);
        },
        async sync() {
          await c?.data();
        },
        dispose() {
          for (const t of [c, a, b]) t?.dispose();
        },
      };
    },
  };
}

export const add: Workload = {
  id: 'add',
  title: 'Elementwise add',
  description:
    'c = a + b for two float32 matrices of the same shape, issued back to back (its previous result freed); ' +
    'time per op, including the amortised share of one read at the end of each timed run.',
  cases: () => [addCase(64), addCase(1024)],
};
