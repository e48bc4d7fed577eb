/**
 * Experiment 10: batch normalisation. A deep MLP with and without batch norm, trained over a range of
 * learning rates: loss curves, which runs diverge, and the mean and variance of each layer's
 * pre-activations during training.
 */
import {
  add,
  manualSeed,
  mean,
  mul,
  noGrad,
  rsqrt,
  slice,
  square,
  sub,
  type Tensor,
  tidy,
  variance,
} from '@myelin/core';
import { BatchNorm1d, crossEntropy, init, Linear, type Module, ReLU, Sequential } from '@myelin/layers';
import { SGD } from '@myelin/optim';
import type { ChartSpec } from '../types.js';
import { digitsSplit, splitTensors } from '../util/data.js';
import { defineExperiment } from '../util/define.js';
import { curve, fmt, pct } from '../util/stats.js';
import { accuracy, readScalar, train } from '../util/train.js';

const DEPTH = 6;
const WIDTH = 64;

/** Linear → (BatchNorm) → ReLU, DEPTH times, then Linear to 10 classes. */
function deepNet(bn: boolean): Sequential {
  const net = new Sequential();
  let inputs = 64;
  for (let i = 0; i < DEPTH; i++) {
    // He init, so the network without batch norm trains at moderate rates (with PyTorch's default init a
    // deep ReLU stack barely trains at all; see vanishing-gradients) and only the large rates separate them.
    net.append(
      new Linear(inputs, WIDTH, { init: { weight: (s) => init.kaimingNormal(s, { nonlinearity: 'relu' }) } }),
    );
    if (bn) net.append(new BatchNorm1d(WIDTH));
    net.append(new ReLU());
    inputs = WIDTH;
  }
  net.append(new Linear(inputs, 10));
  return net;
}

/**
 * Mean and variance of the input to each ReLU (the pre-activation, after batch norm when there is one) on
 * a batch, in training mode (batch statistics), without gradients or updates of running statistics.
 */
async function preActivationStats(
  net: Sequential,
  x: Tensor,
): Promise<Array<{ mean: number; variance: number }>> {
  const stats = noGrad(() =>
    tidy(() => {
      const out: Array<{ mean: Tensor; variance: Tensor }> = [];
      let y = x;
      for (const m of net) {
        if (m instanceof ReLU)
          out.push({ mean: mean(y), variance: variance(y, undefined, { unbiased: false }) });
        y = m instanceof BatchNorm1d ? batchNormOnly(m, y) : m.forward(y);
      }
      return out;
    }),
  );
  const result: Array<{ mean: number; variance: number }> = [];
  for (const s of stats)
    result.push({ mean: await readScalar(s.mean), variance: await readScalar(s.variance) });
  return result;
}

/**
 * What a batch-norm layer computes in training mode (batch mean and biased variance, then its learned
 * scale and shift), written out so that measuring does not update its running statistics.
 */
function batchNormOnly(bn: BatchNorm1d, y: Tensor): Tensor {
  const mu = mean(y, 0, true);
  const centred = sub(y, mu);
  const xHat = mul(centred, rsqrt(add(mean(square(centred), 0, true), bn.eps)));
  return bn.weight && bn.bias ? add(mul(xHat, bn.weight), bn.bias) : xHat;
}

function isDiverged(losses: number[], diverged: boolean): boolean {
  const last = losses[losses.length - 1] as number;
  // Non-finite, or no better than guessing among 10 classes (ln 10 ≈ 2.30) at the end.
  return diverged || !(last < Math.log(10) * 0.95);
}

export default defineExperiment({
  name: 'batchnorm',
  title: 'Batch normalisation tolerates higher learning rates',
  claim:
    'Normalising each layer’s pre-activations over the mini-batch keeps their scale fixed while the ' +
    'weights change, so a deep network trains faster and survives learning rates at which the same ' +
    'network without batch norm diverges.',
  body: async (ctx) => {
    const data = await digitsSplit(ctx.derive(1), ctx.quick ? { train: 500 } : {});
    ctx.own(splitTensors(data));
    const lrs = ctx.quick ? [0.05, 0.5, 2] : [0.01, 0.05, 0.2, 0.5, 1, 2];
    const epochs = ctx.quick ? 4 : 12;
    const statsLr = 0.5;
    const probe = ctx.own(tidy(() => slice(data.xTrain, [0], [Math.min(256, data.nTrain)])));
    const runs: Record<string, { losses: number[]; diverged: boolean; acc: number }> = {};
    const layerStats: Record<string, Array<Array<{ mean: number; variance: number }>>> = {};
    const metrics: Record<string, number> = {};
    let done = 0;
    for (const lr of lrs) {
      for (const bn of [false, true]) {
        const name = bn ? 'bn' : 'plain';
        ctx.progress(done++, lrs.length * 2, `${bn ? 'with' : 'without'} batch norm, lr ${lr}`);
        manualSeed(ctx.derive(2)); // the same initial Linear weights in every run
        const net: Module = ctx.own(deepNet(bn));
        const trackStats = lr === statsLr;
        const perEpoch: Array<Array<{ mean: number; variance: number }>> = [];
        if (trackStats) perEpoch.push(await preActivationStats(net as Sequential, probe));
        const result = await train(net, {
          x: data.xTrain,
          y: data.yTrain,
          epochs,
          batchSize: 64,
          optimizer: ctx.own(new SGD(net.parameters(), { lr })),
          loss: crossEntropy,
          seed: ctx.derive(3),
          afterEpoch: async () => {
            if (trackStats) perEpoch.push(await preActivationStats(net as Sequential, probe));
          },
        });
        const diverged = isDiverged(result.losses, result.diverged);
        const acc = result.diverged ? Number.NaN : await accuracy(net, data.xTest, data.yTest);
        runs[`${name}@${lr}`] = { losses: result.losses, diverged, acc };
        metrics[`${name}_lr${lr}_diverged`] = diverged ? 1 : 0;
        metrics[`${name}_lr${lr}_final_loss`] = result.losses[result.losses.length - 1] as number;
        metrics[`${name}_lr${lr}_test_accuracy`] = acc;
        if (trackStats) layerStats[name] = perEpoch;
      }
    }
    ctx.progress(done, done, 'done');
    const survivesPlain = lrs.filter((lr) => !runs[`plain@${lr}`]?.diverged);
    const survivesBn = lrs.filter((lr) => !runs[`bn@${lr}`]?.diverged);
    metrics.plain_max_stable_lr = survivesPlain.length ? Math.max(...survivesPlain) : 0;
    metrics.bn_max_stable_lr = survivesBn.length ? Math.max(...survivesBn) : 0;
    const statLayers = [0, Math.floor(DEPTH / 2), DEPTH - 1];
    for (const name of ['plain', 'bn']) {
      const s = layerStats[name];
      if (!s) continue;
      const last = s[s.length - 1] as Array<{ mean: number; variance: number }>;
      for (const l of statLayers) {
        metrics[`${name}_layer${l + 1}_preact_variance_final`] = (last[l] as { variance: number }).variance;
        metrics[`${name}_layer${l + 1}_preact_mean_final`] = (last[l] as { mean: number }).mean;
      }
    }

    const rows: Array<Array<string | number>> = lrs.map((lr) => {
      const p = runs[`plain@${lr}`] as (typeof runs)[string];
      const b = runs[`bn@${lr}`] as (typeof runs)[string];
      const cell = (r: typeof p) =>
        r.diverged
          ? `diverged (loss ${fmt(r.losses[r.losses.length - 1] as number)})`
          : `${fmt(r.losses[r.losses.length - 1] as number)} / ${pct(r.acc)}`;
      return [lr, cell(p), cell(b)];
    });
    const clip = (v: number) => (Number.isFinite(v) ? Math.min(v, 5) : 5);
    const charts: ChartSpec[] = [
      {
        title: 'Training loss without batch norm (clipped at 5; non-finite drawn at 5)',
        xLabel: 'epoch',
        yLabel: 'cross-entropy',
        kind: 'line',
        series: lrs.map((lr) => ({
          name: `lr ${lr}`,
          points: curve((runs[`plain@${lr}`] as { losses: number[] }).losses.map(clip)),
        })),
      },
      {
        title: 'Training loss with batch norm',
        xLabel: 'epoch',
        yLabel: 'cross-entropy',
        kind: 'line',
        series: lrs.map((lr) => ({
          name: `lr ${lr}`,
          points: curve((runs[`bn@${lr}`] as { losses: number[] }).losses.map(clip)),
        })),
      },
    ];
    for (const stat of ['variance', 'mean'] as const) {
      charts.push({
        title: `Pre-activation ${stat} per layer during training (lr ${statsLr})`,
        xLabel: 'epoch (0 = initialisation)',
        yLabel: stat === 'variance' ? 'log10 variance' : 'mean',
        kind: 'line',
        series: (['plain', 'bn'] as const).flatMap((name) =>
          statLayers.map((l) => ({
            name: `${name === 'bn' ? 'BN' : 'no BN'}, layer ${l + 1}`,
            points: (layerStats[name] ?? []).map((epochStats, e) => {
              const v = (epochStats[l] as { mean: number; variance: number })[stat];
              return [e, stat === 'variance' ? Math.log10(Math.max(v, 1e-30)) : v] as [number, number];
            }),
          })),
        ),
      });
    }
    const m = (k: string) => metrics[k] as number;
    const extraLr = lrs.filter((lr) => runs[`plain@${lr}`]?.diverged && !runs[`bn@${lr}`]?.diverged);
    const both = lrs.filter((lr) => !runs[`plain@${lr}`]?.diverged && !runs[`bn@${lr}`]?.diverged);
    const finalLoss = (key: string) => runs[key]?.losses.at(-1) as number;
    const failures = lrs
      .filter((lr) => runs[`plain@${lr}`]?.diverged)
      .map(
        (lr) =>
          `${Number.isFinite(finalLoss(`plain@${lr}`)) ? 'stuck at chance' : 'a non-finite loss'} at lr ${lr}`,
      );
    const topBoth = both[both.length - 1];
    const reading =
      `Without batch norm the ${DEPTH}-layer network trains at learning rates up to ${m('plain_max_stable_lr')}` +
      (failures.length ? ` and fails above (${failures.join('; ')})` : '') +
      `; with batch norm it trains at every rate up to ${m('bn_max_stable_lr')}. ` +
      (extraLr.length
        ? `At lr ${extraLr.join(', ')} only the batch-norm network survives, as claimed. `
        : 'No learning rate here separates the two: weaker than the claim. ') +
      (topBoth !== undefined
        ? `At lr ${topBoth}, the largest where both train, the final training loss is ` +
          `${fmt(finalLoss(`plain@${topBoth}`))} without and ${fmt(finalLoss(`bn@${topBoth}`))} with batch norm` +
          (both[0] !== topBoth
            ? `; at lr ${both[0]} they are close (${fmt(finalLoss(`plain@${both[0]}`))} and ${fmt(finalLoss(`bn@${both[0]}`))}): ` +
              'batch norm’s advantage is the room it gives the learning rate, not a faster descent at a small one. '
            : '. ')
        : '') +
      `During training at lr ${statsLr}, the variance of the pre-activations of layers 1, ${(statLayers[1] as number) + 1} ` +
      `and ${DEPTH} ends at ${statLayers.map((l) => fmt(m(`plain_layer${l + 1}_preact_variance_final`))).join(', ')} ` +
      `without batch norm and ${statLayers.map((l) => fmt(m(`bn_layer${l + 1}_preact_variance_final`))).join(', ')} with ` +
      `it, where every layer stays near mean 0 and a variance set by its learned scale, whatever the weights ` +
      `do. (Whether this “reduces internal covariate shift” is disputed; what the runs show is the tolerance ` +
      `to large steps.)`;
    return {
      setup:
        `MLP 64 → ${DEPTH}×[Linear ${WIDTH} (He init) → (BatchNorm1d) → ReLU] → 10 on ${data.nTrain} training digits; plain SGD, ` +
        `batch 64, ${epochs} epochs at each learning rate in {${lrs.join(', ')}}, the same initial Linear weights. A ` +
        `run “diverges” if its loss becomes non-finite or ends above 0.95·ln 10 (chance). Pre-activation ` +
        `statistics: mean and variance over a fixed batch of ${probe.shape[0]} training digits of each ReLU’s input ` +
        `(after batch norm, with batch statistics), at lr ${statsLr}, after every epoch.`,
      table: { columns: ['lr', 'no BN: final loss / test acc', 'BN: final loss / test acc'], rows },
      charts,
      reading,
      metrics,
    };
  },
});
