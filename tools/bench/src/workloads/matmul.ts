/** Square float32 matrix products, the kernel under every linear layer and (via im2col) many convolutions. */
import type { BenchCase, Workload } from '../types.js';

const SIZES = [128, 256, 512, 1024];

/** The case of n×n matrices (also used by tools/gpu-check). */
export function matmulCase(n: number): BenchCase {
  return {
    id: `matmul-${n}`,
    label: `n = ${n}`,
    metric: { kind: 'throughput', unit: 'GFLOP/s', perOp: (2 * n * n * n) / 1e9 },
    targets:
      n >= 512
        ? [
            { engine: 'myelin-cpu', vs: 'tfjs-cpu', minRatio: 4, source: 'CPU backend' },
            ...(n === 1024
              ? [
                  {
                    engine: 'myelin-worker' as const,
                    vs: 'myelin-cpu' as const,
                    minRatio: 1.8,
                    source: 'worker backend',
                  },
                ]
              : []),
          ]
        : undefined,
    tfjs(tf) {
      const a = tf.randomNormal([n, n], 0, 1, 'float32', 1);
      const b = tf.randomNormal([n, n], 0, 1, 'float32', 2);
      let c: import('@tensorflow/tfjs').Tensor | undefined;
      return {
        step() {
          c?.dispose();
          c = tf.matMul(a, b);
        },
        async sync() {
          await c?.data();
        },
        dispose() {
          c?.dispose();
          a.dispose();
          b.dispose();
        },
      };
    },
    myelin({ core }) {
      const a = core.randn([n, n], { seed: 1 });
      const b = core.randn([n, n], { seed: 2 });
      let c: import('@myelin/core').Tensor | undefined;
      return {
        step() {
          c?.dispose();
          c = core.matmul(a, b);
        },
        async sync() {
          await c?.data();
        },
        dispose() {
          c?.dispose();
          a.dispose();
          b.dispose();
        },
      };
    },
  };
}

export const matmul: Workload = {
  id: 'matmul',
  title: 'Matrix multiplication',
  description:
    'C = A·B for square float32 matrices of normally distributed values (2n³ FLOP per product). ' +
    'Inputs are made before timing; each op is one product, its previous result freed.',
  cases: () => SIZES.map(matmulCase),
};
