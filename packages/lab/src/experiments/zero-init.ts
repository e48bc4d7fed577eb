/**
 * Experiment 4: symmetric initialisation never breaks. With every weight zero (or every weight one
 * constant), all hidden units of a layer compute the same function and get the same gradient, so they
 * stay identical however long the network trains.
 */
import { full, manualSeed } from '@myelin/core';
import { crossEntropy, type LayerInit, Sigmoid } from '@myelin/layers';
import { Adam } from '@myelin/optim';
import type { ChartSpec, ImageSpec } from '../types.js';
import { digitsSplit, splitTensors } from '../util/data.js';
import { defineExperiment } from '../util/define.js';
import { linearLayers, mlp } from '../util/models.js';
import { curve, fmt, pct } from '../util/stats.js';
import { accuracy, train } from '../util/train.js';

type InitName = 'zeros' | 'constant' | 'random';
const INITS: InitName[] = ['zeros', 'constant', 'random'];
const CONSTANT = 0.05;
const HIDDEN = 32;

function layerInit(name: InitName): LayerInit | undefined {
  if (name === 'zeros') return 'zeros';
  if (name === 'constant') return (shape) => full(shape, CONSTANT);
  return undefined; // PyTorch's default
}

/** Largest |w_ij - w_0j| over the units i of a layer (rows of its weight, with the bias as one more column). */
function spreadOfUnits(weight: Float32Array, bias: Float32Array, units: number, inputs: number): number {
  let worst = 0;
  for (let i = 1; i < units; i++) {
    for (let j = 0; j < inputs; j++)
      worst = Math.max(worst, Math.abs((weight[i * inputs + j] as number) - (weight[j] as number)));
    worst = Math.max(worst, Math.abs((bias[i] as number) - (bias[0] as number)));
  }
  return worst;
}

/** Number of distinct units (rows equal within `tol` are one). */
function distinctUnits(weight: Float32Array, units: number, inputs: number, tol = 1e-6): number {
  const reps: number[] = [];
  for (let i = 0; i < units; i++) {
    const same = reps.some((r) => {
      for (let j = 0; j < inputs; j++)
        if (Math.abs((weight[i * inputs + j] as number) - (weight[r * inputs + j] as number)) > tol)
          return false;
      return true;
    });
    if (!same) reps.push(i);
  }
  return reps.length;
}

export default defineExperiment({
  name: 'zero-init',
  title: 'Zero or constant initialisation never breaks the symmetry',
  claim:
    'If all weights start equal (all zero, or all one constant), every hidden unit of a layer computes the ' +
    'same output and receives the same gradient, so the units stay identical through training: the layer ' +
    'acts as a single unit and the network stays weak. Random initialisation breaks the symmetry.',
  body: async (ctx) => {
    const data = await digitsSplit(ctx.derive(1), ctx.quick ? { train: 500 } : {});
    ctx.own(splitTensors(data));
    const epochs = ctx.quick ? 8 : 30;
    const lr = 2e-2;
    const metrics: Record<string, number> = {};
    const rows: Array<Array<string | number>> = [];
    const accCurves: Record<string, number[]> = {};
    const images: ImageSpec[] = [];
    for (const [i, name] of INITS.entries()) {
      ctx.progress(i, INITS.length, `${name} init`);
      manualSeed(ctx.derive(2));
      const model = ctx.own(mlp([64, HIDDEN, HIDDEN, 10], () => new Sigmoid(), layerInit(name)));
      const optimizer = ctx.own(new Adam(model.parameters(), { lr }));
      const accs: number[] = [];
      await train(model, {
        x: data.xTrain,
        y: data.yTrain,
        epochs,
        batchSize: 64,
        optimizer,
        loss: crossEntropy,
        seed: ctx.derive(3),
        afterEpoch: async () => {
          accs.push(await accuracy(model, data.xTest, data.yTest));
        },
      });
      accCurves[name] = accs;
      const hidden = linearLayers(model).slice(0, -1);
      const spreads: number[] = [];
      const distinct: number[] = [];
      for (const [li, layer] of hidden.entries()) {
        const w = (await layer.weight.data()) as Float32Array;
        const b = (await (layer.bias as NonNullable<typeof layer.bias>).data()) as Float32Array;
        spreads.push(spreadOfUnits(w, b, layer.outFeatures, layer.inFeatures));
        distinct.push(distinctUnits(w, layer.outFeatures, layer.inFeatures));
        if (li === 0) {
          for (const unit of [0, 1]) {
            images.push({
              title: `${name} init: hidden unit ${unit + 1}’s input weights`,
              width: 8,
              height: 8,
              values: Array.from(w.subarray(unit * 64, unit * 64 + 64)),
            });
          }
        }
      }
      const acc = accs[accs.length - 1] as number;
      metrics[`${name}_max_unit_spread`] = Math.max(...spreads);
      metrics[`${name}_distinct_units_layer1`] = distinct[0] as number;
      metrics[`${name}_distinct_units_layer2`] = distinct[1] as number;
      metrics[`${name}_test_accuracy`] = acc;
      rows.push([
        name,
        fmt(spreads[0] as number),
        fmt(spreads[1] as number),
        `${distinct[0]} / ${HIDDEN}`,
        `${distinct[1]} / ${HIDDEN}`,
        pct(acc),
      ]);
    }
    ctx.progress(INITS.length, INITS.length, 'done');

    const charts: ChartSpec[] = [
      {
        title: 'Test accuracy during training',
        xLabel: 'epoch',
        yLabel: 'test accuracy',
        kind: 'line',
        series: INITS.map((n) => ({ name: `${n} init`, points: curve(accCurves[n] as number[]) })),
      },
      {
        title: 'Distinct hidden units after training (of 32 per layer)',
        xLabel: 'init',
        yLabel: 'distinct units',
        kind: 'bar',
        xTicks: INITS.map((n, i) => ({ x: i, label: n })),
        series: [1, 2].map((l) => ({
          name: `layer ${l}`,
          points: INITS.map(
            (n, i) => [i, metrics[`${n}_distinct_units_layer${l}`] as number] as [number, number],
          ),
        })),
      },
    ];
    const m = (k: string) => metrics[k] as number;
    const symmetric = m('zeros_max_unit_spread') < 1e-6 && m('constant_max_unit_spread') < 1e-6;
    const reading =
      `After ${epochs} epochs, the ${HIDDEN} hidden units of each layer differ by at most ` +
      `${fmt(m('zeros_max_unit_spread'))} (zero init) and ${fmt(m('constant_max_unit_spread'))} (constant ${CONSTANT}) ` +
      `in any weight — ${symmetric ? 'identical, as claimed' : 'not exactly identical: rounding broke the symmetry a little'}` +
      ` — so each layer holds ${m('zeros_distinct_units_layer1') === 1 ? 'a single distinct unit' : `${m('zeros_distinct_units_layer1')} distinct units`}; with random init all ` +
      `${m('random_distinct_units_layer1')} differ. Test accuracy: ${pct(m('zeros_test_accuracy'))} (zeros), ` +
      `${pct(m('constant_test_accuracy'))} (constant), ${pct(m('random_test_accuracy'))} (random). ` +
      `A symmetric network is a 64-1-1-10 network in disguise: one feature is not enough for ten classes, ` +
      `though it still beats chance (10%)` +
      (m('zeros_test_accuracy') > 0.3
        ? `; “stays low” means far below the random-init network, not at chance.`
        : '.') +
      ` (With ReLU or tanh and zero weights the gradients of the hidden weights are exactly 0 and nothing ` +
      `but the output bias trains; sigmoid, with σ(0) = 0.5, at least lets the symmetric units move.)`;
    return {
      setup:
        `MLP 64-${HIDDEN}-${HIDDEN}-10 with sigmoid hidden units on ${data.nTrain} training digits, Adam (lr ${lr}; its update is elementwise, so it keeps the symmetry too), ` +
        `batch 64, ${epochs} epochs, cross-entropy. Inits: every weight and bias 0; every weight and ` +
        `bias ${CONSTANT}; PyTorch’s default (random). “Spread” is the largest difference between any unit’s ` +
        `incoming weights (and bias) and the first unit’s; units equal within 10⁻⁶ count as one.`,
      table: {
        columns: [
          'init',
          'spread, layer 1',
          'spread, layer 2',
          'distinct units, layer 1',
          'distinct units, layer 2',
          'test accuracy',
        ],
        rows,
      },
      charts,
      images,
      reading,
      metrics,
    };
  },
});
