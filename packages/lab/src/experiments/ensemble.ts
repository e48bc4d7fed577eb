/**
 * Experiment 8: model averaging. Several copies of one network, trained from different random seeds,
 * against the ensemble that averages their predicted probabilities.
 */
import { type Tensor, manualSeed, noGrad, tidy } from '@myelin/core';
import { Ensemble, type Module, crossEntropy } from '@myelin/layers';
import { Adam } from '@myelin/optim';
import type { ChartSpec } from '../types.js';
import { defineExperiment } from '../util/define.js';
import { digitsSplit, splitTensors } from '../util/data.js';
import { activation, mlp } from '../util/models.js';
import { fmt, meanOf, pct } from '../util/stats.js';
import { accuracy, accuracyOfScores, train } from '../util/train.js';

/** Test accuracy of the ensemble of `members` (mean of their softmax outputs). */
async function ensembleAccuracy(members: Module[], x: Tensor, y: Tensor): Promise<number> {
  const ens = new Ensemble(members).eval();
  const probs = noGrad(() => tidy(() => ens.forward(x)));
  try {
    return await accuracyOfScores(probs, y);
  } finally {
    probs.dispose();
  }
}

export default defineExperiment({
  name: 'ensemble',
  title: 'Ensembles beat their members',
  claim:
    'Networks trained from different random initialisations make partly different errors; averaging their ' +
    'predictions cancels some of them, so an ensemble is at least as accurate as its average member and ' +
    'usually better than its best one.',
  body: async (ctx) => {
    const nTrain = Number(process.env.NT ?? 300);
    const data = await digitsSplit(ctx.derive(1), { train: nTrain });
    ctx.own(splitTensors(data));
    const k = ctx.quick ? 5 : 7;
    const epochs = Number(process.env.E ?? (ctx.quick ? 15 : 40));
    const members: Module[] = [];
    const accs: number[] = [];
    for (let i = 0; i < k; i++) {
      ctx.progress(i, k + 1, `member ${i + 1} of ${k}`);
      manualSeed(ctx.derive(2, i)); // a different initialisation per member
      const model = ctx.own(mlp([64, Number(process.env.W ?? 32), 10], () => activation('relu')));
      await train(model, {
        x: data.xTrain,
        y: data.yTrain,
        epochs,
        batchSize: 32,
        optimizer: ctx.own(new Adam(model.parameters(), { lr: Number(process.env.LR ?? 3e-3) })),
        loss: crossEntropy,
        seed: ctx.derive(3, i), // and a different order of the samples
      });
      members.push(model);
      accs.push(await accuracy(model, data.xTest, data.yTest));
    }
    ctx.progress(k, k + 1, 'the ensemble');
    const bySize: Array<[number, number]> = [];
    for (let size = 1; size <= k; size++) bySize.push([size, await ensembleAccuracy(members.slice(0, size), data.xTest, data.yTest)]);
    const ens = (bySize[k - 1] as [number, number])[1];
    const best = Math.max(...accs);
    const worst = Math.min(...accs);
    const avg = meanOf(accs);
    const metrics: Record<string, number> = {
      members: k,
      member_mean_accuracy: avg,
      member_best_accuracy: best,
      member_worst_accuracy: worst,
      ensemble_accuracy: ens,
      ensemble_minus_best: ens - best,
      ensemble_minus_mean: ens - avg,
    };
    ctx.progress(k + 1, k + 1, 'done');
    const charts: ChartSpec[] = [
      {
        title: 'Test accuracy of each member and of the ensemble',
        xLabel: 'model',
        yLabel: 'test accuracy',
        kind: 'bar',
        xTicks: [...accs.map((_, i) => ({ x: i, label: `member ${i + 1}` })), { x: k, label: 'ensemble' }],
        series: [
          { name: 'members', points: accs.map((a, i) => [i, a] as [number, number]) },
          { name: 'ensemble', points: [[k, ens]] },
        ],
      },
      {
        title: 'Ensemble accuracy against the number of members averaged',
        xLabel: 'members averaged',
        yLabel: 'test accuracy',
        kind: 'line',
        series: [
          { name: 'ensemble of the first n', points: bySize },
          { name: 'mean member', points: bySize.map(([n]) => [n, avg] as [number, number]) },
        ],
      },
    ];
    const reading =
      `${k} networks trained from different seeds reach between ${pct(worst)} and ${pct(best)} on the test digits ` +
      `(mean ${pct(avg)}). Averaging their probabilities gives ${pct(ens)}: ${fmt(100 * (ens - avg), 2)} points above ` +
      `the mean member and ${fmt(100 * (ens - best), 2)} ${ens >= best ? 'above' : 'below'} the best. ` +
      (ens >= best
        ? 'The ensemble beats even its best member, as claimed; '
        : 'The claim holds against the average member but not against the best one here; ') +
      `most of the gain comes from the first ${Math.min(3, k)} members (${pct((bySize[Math.min(3, k) - 1] as [number, number])[1])}), ` +
      `then it levels off, since the members share data and architecture and so share many errors. The price ` +
      `is ${k}× the training and the prediction cost.`;
    return {
      setup:
        `${k} MLPs 64-32-10 (ReLU), each with its own initial weights and sample order, Adam lr 3e-3, batch 32, ` +
        `${epochs} epochs on the same class-balanced subset of ${nTrain} training digits; ${data.nTest} test digits. ` +
        `The ensemble (\`Ensemble\` of @myelin/layers) averages the members’ softmax outputs.`,
      table: {
        columns: ['model', 'test accuracy'],
        rows: [...accs.map((a, i) => [`member ${i + 1}`, pct(a)]), ['mean of members', pct(avg)], [`ensemble of ${k}`, pct(ens)]],
      },
      charts,
      reading,
      metrics,
    };
  },
});
