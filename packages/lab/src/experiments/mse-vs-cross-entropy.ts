/**
 * Experiment 5: cross-entropy against mean squared error. The gradient each gives a confidently wrong
 * output, the training curves of a digit classifier trained each way, and MSE on a regression task,
 * where it is the right loss.
 */
import {
  div,
  grad,
  manualSeed,
  oneHot,
  sigmoid,
  square,
  sub,
  sum,
  type Tensor,
  tensor,
  tidy,
} from '@myelin/core';
import { Rng } from '@myelin/data';
import { binaryCrossEntropyWithLogits, crossEntropy, mseLoss, Tanh } from '@myelin/layers';
import { Adam, SGD } from '@myelin/optim';
import type { ChartSpec } from '../types.js';
import { digitsSplit, splitTensors } from '../util/data.js';
import { defineExperiment } from '../util/define.js';
import { activation, mlp } from '../util/models.js';
import { curve, fmt, pct, pts } from '../util/stats.js';
import { accuracy, inEval, readArray, readScalar, train } from '../util/train.js';

/** Squared error of sigmoid outputs against one-hot targets, summed over classes, averaged over samples. */
function mseOnSigmoid(logits: Tensor, labels: Tensor): Tensor {
  const classes = logits.shape[1] as number;
  return div(sum(square(sub(sigmoid(logits), oneHot(labels, classes)))), logits.shape[0] as number);
}

/** dL/dz at each z for target 1, under MSE on σ(z) and under binary cross-entropy from the logit z. */
async function gradientsAtLogits(zs: number[]): Promise<{ mse: number[]; ce: number[] }> {
  const ones = tensor(zs.map(() => 1));
  try {
    const [gm] = tidy(() => grad((z: Tensor) => mseLoss(sigmoid(z), ones, { reduction: 'sum' }))(tensor(zs)));
    const [gc] = tidy(() =>
      grad((z: Tensor) => binaryCrossEntropyWithLogits(z, ones, { reduction: 'sum' }))(tensor(zs)),
    );
    return { mse: await readArray(gm as Tensor), ce: await readArray(gc as Tensor) };
  } finally {
    ones.dispose();
  }
}

export default defineExperiment({
  name: 'mse-vs-cross-entropy',
  title: 'Cross-entropy for classification, MSE for regression',
  claim:
    'With a sigmoid output and squared error, a confidently wrong output (σ(z) ≈ 0 when the target is 1) ' +
    'gets almost no gradient, because σ′(z) ≈ 0 there; cross-entropy cancels σ′ and gives a gradient of ' +
    'σ(z) − t, largest exactly when the output is most wrong. So classifiers train faster with ' +
    'cross-entropy; MSE remains the natural loss for regression.',
  body: async (ctx) => {
    const metrics: Record<string, number> = {};
    // --- (a) the gradient at a confidently wrong output ---
    const zs = Array.from({ length: 41 }, (_, i) => -10 + i / 2);
    const g = await gradientsAtLogits(zs);
    const at = (k: 'mse' | 'ce', z: number) => Math.abs(g[k][zs.indexOf(z)] as number);
    for (const z of [-10, -5, -2, 0]) {
      metrics[`grad_mse_at_${z}`] = at('mse', z);
      metrics[`grad_ce_at_${z}`] = at('ce', z);
    }

    // --- (b) a digit classifier trained each way ---
    ctx.progress(0, 3, 'training a classifier with MSE and with cross-entropy');
    const data = await digitsSplit(ctx.derive(1), ctx.quick ? { train: 500 } : {});
    ctx.own(splitTensors(data));
    const epochs = ctx.quick ? 6 : 30;
    const lr = 0.1;
    const curves: Record<string, { acc: number[]; loss: number[] }> = {};
    for (const [name, loss] of [
      ['MSE on sigmoid', mseOnSigmoid],
      ['cross-entropy', crossEntropy],
    ] as const) {
      manualSeed(ctx.derive(2)); // same initial weights for both losses
      const model = ctx.own(mlp([64, 64, 10], () => activation('relu')));
      const optimizer = ctx.own(new SGD(model.parameters(), { lr }));
      const acc: number[] = [];
      const { losses } = await train(model, {
        x: data.xTrain,
        y: data.yTrain,
        epochs,
        batchSize: 32,
        optimizer,
        loss,
        seed: ctx.derive(3),
        afterEpoch: async () => {
          acc.push(await accuracy(model, data.xTest, data.yTest));
        },
      });
      curves[name] = { acc, loss: losses };
    }
    const mse = curves['MSE on sigmoid'] as { acc: number[] };
    const ce = curves['cross-entropy'] as { acc: number[] };
    const early = Math.max(0, Math.round(epochs / 6) - 1);
    metrics.classifier_mse_accuracy_early = mse.acc[early] as number;
    metrics.classifier_ce_accuracy_early = ce.acc[early] as number;
    metrics.classifier_mse_accuracy_final = mse.acc[epochs - 1] as number;
    metrics.classifier_ce_accuracy_final = ce.acc[epochs - 1] as number;
    const reach = (accs: number[], level: number) => {
      const i = accs.findIndex((a) => a >= level);
      return i < 0 ? Number.NaN : i + 1;
    };
    const level = 0.9;
    metrics.classifier_mse_epochs_to_90 = reach(mse.acc, level);
    metrics.classifier_ce_epochs_to_90 = reach(ce.acc, level);

    // --- (c) regression: y = sin(3x) + noise ---
    ctx.progress(2, 3, 'fitting a regression with MSE');
    const noise = 0.1;
    const rng = new Rng(ctx.derive(4));
    const sample = (n: number) => {
      const x = Array.from({ length: n }, () => 2 * rng.next() - 1);
      const y = x.map((v) => Math.sin(3 * v) + noise * rng.normal());
      return { x, y };
    };
    const trainSet = sample(200);
    const testSet = sample(200);
    const xTr = ctx.own(tensor(trainSet.x, { shape: [200, 1] }));
    const yTr = ctx.own(tensor(trainSet.y, { shape: [200, 1] }));
    const xTe = ctx.own(tensor(testSet.x, { shape: [200, 1] }));
    const yTe = ctx.own(tensor(testSet.y, { shape: [200, 1] }));
    manualSeed(ctx.derive(5));
    const reg = ctx.own(mlp([1, 32, 32, 1], () => new Tanh()));
    const regEpochs = ctx.quick ? 300 : 1500;
    await train(reg, {
      x: xTr,
      y: yTr,
      epochs: regEpochs,
      batchSize: 200,
      optimizer: ctx.own(new Adam(reg.parameters(), { lr: 1e-2 })),
      loss: (out, t) => mseLoss(out, t),
      seed: 0,
    });
    const testMse = await readScalar(inEval(reg, () => tidy(() => mseLoss(reg.forward(xTe), yTe))));
    const grid = Array.from({ length: 41 }, (_, i) => -1 + i / 20);
    const xg = tensor(grid, { shape: [41, 1] });
    const pred = await readArray(inEval(reg, () => tidy(() => reg.forward(xg))));
    xg.dispose();
    metrics.regression_test_mse = testMse;
    metrics.regression_noise_variance = noise * noise;
    metrics.regression_mse_over_noise = testMse / (noise * noise);
    ctx.progress(3, 3, 'done');

    const charts: ChartSpec[] = [
      {
        title: 'Gradient at the output for target 1',
        xLabel: 'logit z (σ(z) is the predicted probability of the target class)',
        yLabel: 'log10 |∂L/∂z|',
        kind: 'line',
        series: [
          {
            name: 'MSE on σ(z)',
            points: zs.map((z, i) => [z, Math.log10(Math.abs(g.mse[i] as number))] as [number, number]),
          },
          {
            name: 'cross-entropy',
            points: zs.map((z, i) => [z, Math.log10(Math.abs(g.ce[i] as number))] as [number, number]),
          },
        ],
      },
      {
        title: 'Digit classifier: test accuracy',
        xLabel: 'epoch',
        yLabel: 'test accuracy',
        kind: 'line',
        series: Object.entries(curves).map(([name, c]) => ({ name, points: curve(c.acc) })),
      },
      {
        title: 'Regression with MSE: y = sin(3x) + noise',
        xLabel: 'x',
        yLabel: 'y',
        kind: 'line',
        series: [
          { name: 'truth sin(3x)', points: grid.map((x) => [x, Math.sin(3 * x)] as [number, number]) },
          { name: 'network', points: grid.map((x, i) => [x, pred[i] as number] as [number, number]) },
        ],
      },
    ];
    const ratio = at('mse', -10) / at('ce', -10);
    const ceFaster =
      (metrics.classifier_ce_accuracy_early as number) > (metrics.classifier_mse_accuracy_early as number);
    const finalGap =
      (metrics.classifier_ce_accuracy_final as number) - (metrics.classifier_mse_accuracy_final as number);
    const e90 = (v: number) => (Number.isNaN(v) ? `not within ${epochs}` : String(v));
    const reading =
      `At z = −10 (the model gives the right class probability ${fmt(1 / (1 + Math.exp(10)))}), the gradient is ` +
      `${fmt(at('mse', -10))} under MSE and ${fmt(at('ce', -10))} under cross-entropy, ${fmt(1 / ratio)} times smaller; ` +
      `MSE’s gradient peaks near z = −1 and falls off on both sides, cross-entropy’s grows toward 1 the more ` +
      `wrong the output. Training the same network with the same SGD rate, cross-entropy ` +
      (ceFaster ? 'leads early' : 'does not lead early') +
      ` (test accuracy after epoch ${early + 1}: ${pct(metrics.classifier_ce_accuracy_early as number)} vs ` +
      `${pct(metrics.classifier_mse_accuracy_early as number)}; epochs to reach ${pct(level)}: ` +
      `${e90(metrics.classifier_ce_epochs_to_90 as number)} vs ${e90(metrics.classifier_mse_epochs_to_90 as number)}), ` +
      (Math.abs(finalGap) < 0.02
        ? `but both end within ${pts(Math.abs(finalGap))} of each other after ${epochs} epochs: on digits, MSE is ` +
          'slower, not worse here — a freshly initialised network is not confidently wrong, so the small ' +
          'gradient of saturated outputs slows only the samples it gets badly wrong. '
        : `and ends ${pts(finalGap)} ahead after ${epochs} epochs. `) +
      `On the regression task MSE fits well: test MSE ${fmt(testMse)} against a noise variance of ` +
      `${fmt(noise * noise)} (the best any model can do), a ratio of ${fmt(testMse / (noise * noise))}.`;
    return {
      setup:
        `(a) ∂L/∂z for one output with target 1, by autograd: MSE (σ(z) − 1)² against binary cross-entropy from ` +
        `the logit. (b) MLP 64-64-10 (ReLU) on ${data.nTrain} training digits, SGD lr ${lr}, batch 32, ${epochs} ` +
        `epochs, the same initial weights; MSE on sigmoid outputs against one-hot targets (summed over the 10 ` +
        `classes, averaged over samples, so its scale matches cross-entropy’s) vs softmax cross-entropy. (c) MLP ` +
        `1-32-32-1 (tanh), Adam lr 0.01, full batch, ${regEpochs} epochs on 200 points of y = sin(3x) + ` +
        `N(0, ${noise}²), x ∈ [−1, 1]; test MSE on 200 fresh points.`,
      table: {
        columns: ['quantity', 'MSE', 'cross-entropy'],
        rows: [
          ['|∂L/∂z| at z = −10', fmt(at('mse', -10)), fmt(at('ce', -10))],
          ['|∂L/∂z| at z = −5', fmt(at('mse', -5)), fmt(at('ce', -5))],
          ['|∂L/∂z| at z = 0', fmt(at('mse', 0)), fmt(at('ce', 0))],
          [
            `classifier test accuracy, epoch ${early + 1}`,
            pct(metrics.classifier_mse_accuracy_early as number),
            pct(metrics.classifier_ce_accuracy_early as number),
          ],
          [
            `classifier test accuracy, epoch ${epochs}`,
            pct(metrics.classifier_mse_accuracy_final as number),
            pct(metrics.classifier_ce_accuracy_final as number),
          ],
          [
            `classifier epochs to ${pct(level)}`,
            e90(metrics.classifier_mse_epochs_to_90 as number),
            e90(metrics.classifier_ce_epochs_to_90 as number),
          ],
          ['regression test MSE (noise variance 0.01)', fmt(testMse), '—'],
        ],
      },
      charts,
      reading,
      metrics,
    };
  },
});
