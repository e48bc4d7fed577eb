/**
 * Experiment 3: dying ReLUs. Trains the same MLP with ReLU, LeakyReLU, PReLU and RReLU at a normal and a
 * high learning rate, then counts the hidden units that never activate on any training sample.
 */
import { all, cast, lessEqual, manualSeed, max, mean, min, noGrad, type Tensor, tidy } from '@myelin/core';
import { crossEntropy, LeakyReLU, Linear, type Module, PReLU, ReLU, RReLU } from '@myelin/layers';
import { Adam } from '@myelin/optim';
import type { ChartSpec } from '../types.js';
import { digitsSplit, splitTensors } from '../util/data.js';
import { defineExperiment } from '../util/define.js';
import { forwardCollect, mlp } from '../util/models.js';
import { curve, fmt, pct } from '../util/stats.js';
import { accuracy, inEval, readScalar, train } from '../util/train.js';

type ActName = 'ReLU' | 'LeakyReLU' | 'PReLU' | 'RReLU';
const ACTS: ActName[] = ['ReLU', 'LeakyReLU', 'PReLU', 'RReLU'];
const WIDTH = 128;

function makeActivation(name: ActName): Module {
  switch (name) {
    case 'ReLU':
      return new ReLU();
    case 'LeakyReLU':
      return new LeakyReLU(0.01);
    case 'PReLU':
      return new PReLU(WIDTH); // one learned slope per unit, starting at 0.25
    case 'RReLU':
      return new RReLU(); // slopes drawn from U(1/8, 1/3) while training, 0.23 in evaluation
  }
}

function mean2(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

/** Per hidden layer, the fraction of units whose pre-activation is ≤ 0 for every sample of x. */
async function neverActive(model: ReturnType<typeof mlp>, x: Tensor): Promise<number[]> {
  const linears = model.modules().filter((m) => m instanceof Linear);
  const hidden = new Set(linears.slice(0, -1));
  const fractions = inEval(model, () =>
    tidy(() =>
      forwardCollect(model, x, (m) => hidden.has(m as Linear)).outputs.map((z) =>
        mean(cast(all(lessEqual(z, 0), 0), 'float32')),
      ),
    ),
  );
  const out: number[] = [];
  for (const f of fractions) out.push(await readScalar(f));
  return out;
}

export default defineExperiment({
  name: 'dead-relu',
  title: 'Dying ReLUs and the leaky variants',
  claim:
    'A large gradient step can push a ReLU unit’s weights where its input is negative for every sample; ' +
    'its output and gradient are then 0 forever (a dead unit). A high learning rate makes this common. ' +
    'LeakyReLU, PReLU and RReLU keep a small slope for x < 0, so such units still get a gradient and ' +
    'can come back.',
  body: async (ctx) => {
    const data = await digitsSplit(ctx.derive(1), ctx.quick ? { train: 500 } : {});
    ctx.own(splitTensors(data));
    const lrs = { normal: 1e-3, high: 3e-2 } as const;
    const epochs = ctx.quick ? 3 : 6;
    const rows: Array<Array<string | number>> = [];
    const metrics: Record<string, number> = {};
    const losses: Record<string, number[]> = {};
    const deadByLayer: Record<string, number[]> = {};
    let done = 0;
    for (const [li, [lrName, lr]] of Object.entries(lrs).entries()) {
      for (const [ai, act] of ACTS.entries()) {
        ctx.progress(done++, ACTS.length * 2, `${act} at lr ${lr}`);
        manualSeed(ctx.derive(2, ai)); // the same initial weights at both learning rates
        const model = ctx.own(mlp([64, WIDTH, WIDTH, 10], () => makeActivation(act)));
        // Adam's steps are about lr per weight whatever the gradient's size, so a high rate moves every
        // weight far without the overflow a high SGD rate causes in the leaky variants.
        const optimizer = ctx.own(new Adam(model.parameters(), { lr }));
        manualSeed(ctx.derive(3, li, ai));
        if (act === 'ReLU' && lrName === 'normal')
          metrics.ReLU_dead_at_init = mean2(await neverActive(model, data.xTrain));
        const result = await train(model, {
          x: data.xTrain,
          y: data.yTrain,
          epochs,
          batchSize: 64,
          optimizer,
          loss: crossEntropy,
          seed: ctx.derive(4),
        });
        const never = result.diverged ? [Number.NaN, Number.NaN] : await neverActive(model, data.xTrain);
        const neverAll = mean2(never);
        // A ReLU unit that never activates outputs exactly 0 (and passes no gradient) on every sample;
        // the leaky variants output a·x ≠ 0 there and still pass a gradient a.
        const dead = act === 'ReLU' ? neverAll : 0;
        const acc = result.diverged ? Number.NaN : await accuracy(model, data.xTest, data.yTest);
        let slopes = '—';
        if (act === 'PReLU') {
          const prelus = model.modules().filter((m): m is PReLU => m instanceof PReLU);
          const parts: string[] = [];
          for (const [pi, p] of prelus.entries()) {
            const [lo, hi, avg] = noGrad(() => [min(p.weight), max(p.weight), mean(p.weight)]) as [
              Tensor,
              Tensor,
              Tensor,
            ];
            const [l, h, a] = [await readScalar(lo), await readScalar(hi), await readScalar(avg)];
            metrics[`prelu_slope_mean_layer${pi + 1}_${lrName}`] = a;
            metrics[`prelu_slope_min_layer${pi + 1}_${lrName}`] = l;
            parts.push(`layer ${pi + 1}: mean ${fmt(a, 2)} [${fmt(l, 2)}, ${fmt(h, 2)}]`);
          }
          slopes = parts.join('; ');
        }
        const key = `${act}_${lrName}`;
        losses[key] = result.losses;
        deadByLayer[key] = never;
        metrics[`${key}_never_active`] = neverAll;
        metrics[`${key}_dead`] = dead;
        metrics[`${key}_test_accuracy`] = acc;
        rows.push([
          act,
          lr,
          pct(never[0] as number),
          pct(never[1] as number),
          pct(dead),
          result.diverged ? 'diverged' : pct(acc),
          slopes,
        ]);
      }
    }
    ctx.progress(done, done, 'done');

    const charts: ChartSpec[] = [
      {
        title: 'Hidden units that never activate on the training set',
        xLabel: 'activation',
        yLabel: 'fraction of hidden units',
        kind: 'bar',
        xTicks: ACTS.map((a, i) => ({ x: i, label: a })),
        series: (['normal', 'high'] as const).map((l) => ({
          name: `lr ${lrs[l]}`,
          points: ACTS.map((a, i) => [i, metrics[`${a}_${l}_never_active`] as number] as [number, number]),
        })),
      },
      {
        title: `Training loss at lr ${lrs.high}`,
        xLabel: 'epoch',
        yLabel: 'cross-entropy',
        kind: 'line',
        series: ACTS.map((a) => ({ name: a, points: curve(losses[`${a}_high`] as number[]) })),
      },
    ];
    const m = (k: string) => metrics[k] as number;
    const reluHigh = m('ReLU_high_dead');
    const reluNormal = m('ReLU_normal_dead');
    const leakyNever = Math.max(
      m('LeakyReLU_high_never_active'),
      m('PReLU_high_never_active'),
      m('RReLU_high_never_active'),
    );
    const reading =
      `At lr ${lrs.high}, ${pct(reluHigh)} of the ReLU network’s hidden units output 0 for every training digit ` +
      `(dead: they pass no gradient and cannot recover), against ${pct(reluNormal)} at lr ${lrs.normal} and ` +
      `${pct(m('ReLU_dead_at_init'))} at initialisation. ` +
      `The leaky variants have no dead units by construction: for x < 0 they output a·x, not 0, and pass a ` +
      `gradient a. Units negative on every sample at the high rate: LeakyReLU ` +
      `${pct(m('LeakyReLU_high_never_active'))}, PReLU ${pct(m('PReLU_high_never_active'))}, RReLU ` +
      `${pct(m('RReLU_high_never_active'))}` +
      (leakyNever < reluHigh
        ? ', all fewer than ReLU’s, and fewer the larger the negative slope (0.01 for LeakyReLU, about 0.1–0.3 for PReLU and RReLU). '
        : `; not all fewer than ReLU’s ${pct(reluHigh)}, so the leaky units are pushed negative as often, ` +
          'they only keep a gradient there. ') +
      (reluHigh > reluNormal
        ? 'The effect of the learning rate is as claimed. '
        : 'The claim is weaker here: the high learning rate did not kill more ReLUs than the normal one. ') +
      `PReLU learned slopes of mean ${fmt(m('prelu_slope_mean_layer1_normal'), 2)} (layer 1) and ` +
      `${fmt(m('prelu_slope_mean_layer2_normal'), 2)} (layer 2) at the normal rate, from 0.25 at the start, and ` +
      `${fmt(m('prelu_slope_mean_layer1_high'), 2)} and ${fmt(m('prelu_slope_mean_layer2_high'), 2)} at the high rate ` +
      `(the range of slopes is in the table${
        Math.min(m('prelu_slope_min_layer1_high'), m('prelu_slope_min_layer2_high')) < 0
          ? '; some turn negative'
          : ''
      }). ` +
      `Test accuracy at the high rate: ReLU ${pct(m('ReLU_high_test_accuracy'))}, LeakyReLU ` +
      `${pct(m('LeakyReLU_high_test_accuracy'))}, PReLU ${pct(m('PReLU_high_test_accuracy'))}, RReLU ` +
      `${pct(m('RReLU_high_test_accuracy'))}` +
      (m('ReLU_high_test_accuracy') >= m('ReLU_normal_test_accuracy') - 0.02
        ? ` (ReLU at the normal rate: ${pct(m('ReLU_normal_test_accuracy'))}). Weaker than the usual warning: on ` +
          `this small task the dead units cost no accuracy, since ${WIDTH} units per layer are more than it needs.`
        : `, against ${pct(m('ReLU_normal_test_accuracy'))} for ReLU at the normal rate: the dead units cost accuracy.`);
    return {
      setup:
        `MLP 64-${WIDTH}-${WIDTH}-10 on ${data.nTrain} training digits, Adam, batch 64, ${epochs} ` +
        `epochs, lr ${lrs.normal} (normal) or ${lrs.high} (high); each activation starts from the same weights at ` +
        `both rates. LeakyReLU slope 0.01; PReLU one learned slope per unit (init 0.25); RReLU slopes U(1/8, 1/3). ` +
        `A unit “never activates” when its pre-activation is ≤ 0 for every training sample; for ReLU that unit ` +
        `is dead (output and gradient exactly 0).`,
      table: {
        columns: [
          'activation',
          'lr',
          'never active, layer 1',
          'never active, layer 2',
          'dead (output 0)',
          'test accuracy',
          'PReLU slopes',
        ],
        rows,
      },
      charts,
      reading,
      metrics,
    };
  },
});
