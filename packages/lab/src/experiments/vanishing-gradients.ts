/**
 * Experiment 1: gradients vanish toward the input of a deep sigmoid or tanh network. One backward pass
 * through a 10-hidden-layer MLP on a batch of digits, for each activation and initialisation, gives the
 * norm of each layer's weight gradient.
 */
import {
  grad,
  manualSeed,
  noGrad,
  relu,
  sigmoid,
  sqrt,
  square,
  sum,
  type Tensor,
  tanh,
  tensor,
  tidy,
} from '@myelin/core';
import { crossEntropy, init } from '@myelin/layers';
import type { ChartSpec } from '../types.js';
import { digitsSplit, splitTensors } from '../util/data.js';
import { defineExperiment } from '../util/define.js';
import { type ActivationName, activation, linearLayers, mlp } from '../util/models.js';
import { fmt } from '../util/stats.js';
import { readArray } from '../util/train.js';

const ACTIVATIONS: ActivationName[] = ['sigmoid', 'tanh', 'relu'];
type InitName = 'default' | 'xavier' | 'he' | 'large';
const INITS: InitName[] = ['default', 'xavier', 'he', 'large'];
const INIT_LABEL: Record<InitName, string> = {
  default: 'default (U(±1/√fan_in))',
  xavier: 'Xavier/Glorot uniform',
  he: 'He/Kaiming normal (ReLU gain)',
  large: 'large N(0, 1)',
};

const HIDDEN_LAYERS = 10;
const WIDTH = 32;

function weightInit(name: InitName) {
  if (name === 'default') return undefined;
  if (name === 'xavier') return { weight: (s: readonly number[]) => init.xavierUniform(s) };
  // Weights of standard deviation 1 put the pre-activations far out, where sigmoid and tanh saturate.
  if (name === 'large') return { weight: (s: readonly number[]) => init.normal(s, 0, 1) };
  return { weight: (s: readonly number[]) => init.kaimingNormal(s, { nonlinearity: 'relu' }) };
}

/** d/dx of each activation at `xs`, by autograd. */
async function derivatives(xs: number[]): Promise<Record<ActivationName, number[]>> {
  const out = {} as Record<ActivationName, number[]>;
  const fns: Record<ActivationName, (x: Tensor) => Tensor> = { sigmoid, tanh, relu };
  for (const a of ACTIVATIONS) {
    const g = tidy(() => {
      const x = tensor(xs);
      const [dx] = grad((t: Tensor) => sum(fns[a](t)))(x);
      return dx as Tensor;
    });
    out[a] = await readArray(g);
  }
  return out;
}

export default defineExperiment({
  name: 'vanishing-gradients',
  title: 'Vanishing gradients in deep sigmoid and tanh networks',
  claim:
    'The derivatives of sigmoid and tanh go to 0 for large |x| (sigmoid’s is at most 1/4), so in a deep ' +
    'network the backpropagated gradient shrinks layer by layer toward the input; ReLU’s derivative is 1 ' +
    'wherever the unit is active, so it does not shrink the gradient by itself.',
  body: async (ctx) => {
    const batch = ctx.quick ? 128 : 512;
    const data = await digitsSplit(ctx.derive(1), { train: batch, test: 10 });
    ctx.own(splitTensors(data));
    const sizes = [64, ...Array.from({ length: HIDDEN_LAYERS }, () => WIDTH), 10];
    const norms: Record<string, number[]> = {};
    const rows: Array<Array<string | number>> = [];
    const metrics: Record<string, number> = {};
    let done = 0;
    for (const [ii, initName] of INITS.entries()) {
      for (const [ai, act] of ACTIVATIONS.entries()) {
        ctx.progress(done++, INITS.length * ACTIVATIONS.length, `${act}, ${initName} init`);
        // Each network gets its own seed, so adding or reordering configurations changes no other one.
        manualSeed(ctx.derive(2, ii, ai));
        const model = ctx.own(mlp(sizes, () => activation(act), weightInit(initName)));
        const layers = linearLayers(model);
        const gradNorms = tidy(() => {
          crossEntropy(model.forward(data.xTrain), data.yTrain).backward();
          return noGrad(() => layers.map((l) => sqrt(sum(square(l.weight.grad as Tensor)))));
        });
        const values: number[] = [];
        for (const g of gradNorms) values.push(...(await readArray(g)));
        norms[`${act}/${initName}`] = values;
        const first = values[0] as number;
        const last = values[values.length - 1] as number;
        const ratio = first / last;
        metrics[`${act}_${initName}_first_over_last`] = ratio;
        rows.push([act, initName, fmt(first), fmt(last), fmt(ratio), fmt(Math.log10(ratio), 2)]);
      }
    }
    ctx.progress(done, done, 'done');

    const xs = Array.from({ length: 33 }, (_, i) => -8 + i / 2);
    const d = await derivatives(xs);
    const at = (a: ActivationName, x: number) => d[a][xs.indexOf(x)] as number;
    for (const a of ACTIVATIONS) for (const x of [0, 2, 4, 8]) metrics[`d_${a}_at_${x}`] = at(a, x);

    const charts: ChartSpec[] = INITS.map((initName) => ({
      title: `Gradient norm per layer, ${INIT_LABEL[initName]} init`,
      xLabel: 'layer (1 = next to the input)',
      yLabel: 'log10 ‖∂L/∂W‖',
      kind: 'line' as const,
      series: ACTIVATIONS.map((a) => ({
        name: a,
        points: (norms[`${a}/${initName}`] as number[]).map(
          (v, i) => [i + 1, Math.log10(v)] as [number, number],
        ),
      })),
    }));
    charts.push({
      title: 'Derivative of each activation',
      xLabel: 'x',
      yLabel: 'f′(x)',
      kind: 'line',
      series: ACTIVATIONS.map((a) => ({
        name: a,
        points: xs.map((x, i) => [x, d[a][i] as number] as [number, number]),
      })),
    });

    const r = (a: ActivationName, i: InitName) => metrics[`${a}_${i}_first_over_last`] as number;
    const e = (v: number) => `10^${Math.log10(v).toFixed(1)}`;
    const vanishes = (v: number) => v < 0.1;
    const parts: string[] = [
      `Sigmoid’s derivative is ${fmt(at('sigmoid', 0))} at 0 and ${fmt(at('sigmoid', 8))} at 8; tanh’s is 1 at 0 and ` +
        `${fmt(at('tanh', 4))} at 4; ReLU’s is 1 wherever x > 0. Over ${HIDDEN_LAYERS} hidden layers, the first ` +
        `layer’s gradient norm relative to the output layer’s is, for sigmoid, ${e(r('sigmoid', 'default'))} (default ` +
        `init), ${e(r('sigmoid', 'xavier'))} (Xavier) and ${e(r('sigmoid', 'he'))} (He): with a derivative of at ` +
        `most 1/4, sigmoid vanishes under every variance-preserving init.`,
      `Tanh gives ${e(r('tanh', 'default'))} with the default init but ${e(r('tanh', 'xavier'))} with Xavier` +
        (vanishes(r('tanh', 'xavier'))
          ? '.'
          : `: the claim is weaker than stated for tanh — once the weights keep the variance, the pre-activations ` +
            `stay in tanh’s near-linear region and the gradient does not vanish at all at this depth; the ` +
            `shrinking under the default init comes from weights that are too small.`),
      `ReLU gives ${e(r('relu', 'he'))} with He init and ${e(r('relu', 'xavier'))} with Xavier` +
        (vanishes(r('relu', 'default'))
          ? `, but ${e(r('relu', 'default'))} with the default init: ReLU alone does not prevent vanishing — ` +
            `PyTorch’s default weights U(±1/√fan_in) have a gain of about 1/√3 per layer, halved again by the ` +
            `inactive units, so the init matters as much as the activation.`
          : ` and ${e(r('relu', 'default'))} with the default init.`),
      `Large N(0, 1) weights drive the units into saturation, yet the ratio is ${e(r('sigmoid', 'large'))} for ` +
        `sigmoid and ${e(r('tanh', 'large'))} for tanh: the backward pass also multiplies by the large weights, ` +
        `which outweighs the small derivatives. What vanishes is the product of derivative and weight scale ` +
        `per layer; saturation alone does not decide it at initialisation.`,
    ];
    const reading = parts.join(' ');

    return {
      setup:
        `MLP 64 → ${HIDDEN_LAYERS}×${WIDTH} → 10 on a batch of ${batch} digits (8×8), cross-entropy loss, one ` +
        `forward and backward pass, no training. Activations: ${ACTIVATIONS.join(', ')}; weight inits: default ` +
        `(PyTorch’s kaiming_uniform(a=√5) = U(±1/√fan_in)), Xavier uniform (gain 1), He normal (gain √2), and large N(0, 1) weights; biases ` +
        `default. Reported: the Frobenius norm of each Linear layer’s weight gradient; “first/last” divides the ` +
        `layer next to the input by the output layer.`,
      table: { columns: ['activation', 'init', '‖∇W₁‖', '‖∇W₁₁‖ (output)', 'first/last', 'log10'], rows },
      charts,
      reading,
      metrics,
    };
  },
});
