/**
 * Experiment 8: model averaging. Several copies of one network, trained from different random seeds,
 * against the ensemble that averages their predicted probabilities.
 */
import { log, manualSeed, noGrad, type Tensor, tidy } from '@myelin/core';
import { crossEntropy, Ensemble, type Module, nllLoss } from '@myelin/layers';
import { Adam } from '@myelin/optim';
import type { ChartSpec } from '../types.js';
import { digitsSplit, splitTensors } from '../util/data.js';
import { defineExperiment } from '../util/define.js';
import { activation, mlp } from '../util/models.js';
import { fmt, meanOf, pct } from '../util/stats.js';
import { accuracyOfScores, evaluateModel, readScalar, train } from '../util/train.js';

const WIDTH = 16;

/** Test accuracy and negative log-likelihood of the ensemble of `members` (mean of their softmax outputs). */
async function ensembleScore(
  members: Module[],
  x: Tensor,
  y: Tensor,
): Promise<{ accuracy: number; nll: number }> {
  const ens = new Ensemble(members).eval();
  const probs = noGrad(() => tidy(() => ens.forward(x)));
  try {
    const nll = await readScalar(noGrad(() => tidy(() => nllLoss(log(probs), y))));
    return { accuracy: await accuracyOfScores(probs, y), nll };
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
    const data = await digitsSplit(ctx.derive(1));
    const nTrain = data.nTrain;
    ctx.own(splitTensors(data));
    const k = ctx.quick ? 5 : 8;
    const epochs = ctx.quick ? 4 : 8;
    const members: Module[] = [];
    const accs: number[] = [];
    const nlls: number[] = [];
    for (let i = 0; i < k; i++) {
      ctx.progress(i, k + 1, `member ${i + 1} of ${k}`);
      manualSeed(ctx.derive(2, i)); // a different initialisation per member
      const model = ctx.own(mlp([64, WIDTH, 10], () => activation('relu')));
      await train(model, {
        x: data.xTrain,
        y: data.yTrain,
        epochs,
        batchSize: 32,
        optimizer: ctx.own(new Adam(model.parameters(), { lr: 1e-2 })),
        loss: crossEntropy,
        seed: ctx.derive(3, i), // and a different order of the samples
      });
      members.push(model);
      const score = await evaluateModel(model, data.xTest, data.yTest, crossEntropy);
      accs.push(score.accuracy);
      nlls.push(score.loss);
    }
    ctx.progress(k, k + 1, 'the ensemble');
    const bySize: Array<[number, number]> = [];
    const nllBySize: Array<[number, number]> = [];
    for (let size = 1; size <= k; size++) {
      const score = await ensembleScore(members.slice(0, size), data.xTest, data.yTest);
      bySize.push([size, score.accuracy]);
      nllBySize.push([size, score.nll]);
    }
    const ens = (bySize[k - 1] as [number, number])[1];
    const ensNll = (nllBySize[k - 1] as [number, number])[1];
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
      member_mean_nll: meanOf(nlls),
      member_best_nll: Math.min(...nlls),
      ensemble_nll: ensNll,
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
        title: 'Test negative log-likelihood against the number of members averaged',
        xLabel: 'members averaged',
        yLabel: 'cross-entropy on the test set',
        kind: 'line',
        series: [
          { name: 'ensemble of the first n', points: nllBySize },
          { name: 'mean member', points: nllBySize.map(([n]) => [n, meanOf(nlls)] as [number, number]) },
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
    const gainBest = ens - best;
    const reading =
      `${k} networks trained from different seeds reach between ${pct(worst)} and ${pct(best)} on the ${data.nTest} test ` +
      `digits (mean ${pct(avg)}). Averaging their probabilities gives ${pct(ens)}: ${(100 * (ens - avg)).toFixed(1)} ` +
      `percentage points above the mean member and ` +
      (gainBest === 0
        ? 'equal to the best. '
        : `${(100 * Math.abs(gainBest)).toFixed(1)} ${gainBest > 0 ? 'above' : 'below'} the best. `) +
      (gainBest >= 0
        ? 'The ensemble matches or beats even its best member, as claimed. '
        : 'The claim holds against the average member but not quite against the best one here (one test digit is ' +
          `${(100 / data.nTest).toFixed(1)} points, so this is within a few digits). `) +
      `The gain is small because members that share data and architecture share most of their errors. The ` +
      `clearer effect is on the probabilities: the ensemble’s test cross-entropy is ${fmt(ensNll)} against ` +
      `${fmt(meanOf(nlls))} for the mean member (an improvement guaranteed by the convexity of −log) and ` +
      `${fmt(Math.min(...nlls))} for the best member` +
      (ensNll < Math.min(...nlls)
        ? ', which it also beats. '
        : ', which it does not beat: averaging tempers overconfident mistakes but also dilutes the best member. ') +
      `The price is ` +
      `${k}× the training and prediction cost.`;
    return {
      setup:
        `${k} MLPs 64-${WIDTH}-10 (ReLU), each with its own initial weights and sample order, Adam lr 0.01, batch 32, ` +
        `${epochs} epochs on the same ${nTrain} training digits; ${data.nTest} test digits. ` +
        `The ensemble (\`Ensemble\` of @myelin/layers) averages the members’ softmax outputs.`,
      table: {
        columns: ['model', 'test accuracy', 'test cross-entropy'],
        rows: [
          ...accs.map((a, i) => [`member ${i + 1}`, pct(a), fmt(nlls[i] as number)]),
          ['mean of members', pct(avg), fmt(meanOf(nlls))],
          [`ensemble of ${k}`, pct(ens), fmt(ensNll)],
        ],
      },
      charts,
      reading,
      metrics,
    };
  },
});
