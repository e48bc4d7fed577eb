/**
 * Experiment 7: dropout. The same wide MLP trained with and without dropout on 40 noisy two-moons points;
 * at test time, the usual weight scaling (inverted dropout: evaluation mode) against averaging many
 * stochastic passes (Monte-Carlo dropout).
 */
import {
  abs,
  add,
  argmax,
  cast,
  div,
  equal,
  keep,
  manualSeed,
  max,
  mean,
  noGrad,
  softmax,
  sub,
  type Tensor,
  tidy,
} from '@myelin/core';
import { moons } from '@myelin/data';
import { crossEntropy, Dropout, Linear, ReLU, Sequential } from '@myelin/layers';
import { SGD } from '@myelin/optim';
import type { ChartSpec, ImageSpec } from '../types.js';
import { defineExperiment } from '../util/define.js';
import { fmt, meanOf, pct, pts } from '../util/stats.js';
import { decisionMap, toTensors } from '../util/synthetic.js';
import { accuracyOfScores, inEval, readScalar, trainTracked } from '../util/train.js';

function net(p: number, inputs: number, width: number, classes: number): Sequential {
  const layers = [
    new Linear(inputs, width),
    new ReLU(),
    new Dropout(p),
    new Linear(width, width),
    new ReLU(),
    new Dropout(p),
    new Linear(width, classes),
  ];
  return new Sequential(...layers);
}

/**
 * Monte-Carlo dropout, pass by pass: the running mean of the softmax of `passes` stochastic forward
 * passes (dropout on, everything else in evaluation mode), with its test accuracy after each pass in
 * `checkpoints`. Also returns the final mean probabilities.
 */
async function mcCurve(
  model: Sequential,
  x: Tensor,
  y: Tensor,
  passes: number,
  checkpoints: readonly number[],
) {
  const modes = model.modules().map((m) => [m, m.training] as const);
  model.eval();
  for (const m of model.modules()) if (m instanceof Dropout) m.training = true;
  const accs: Array<[number, number]> = [];
  let total: Tensor | null = null;
  try {
    for (let t = 1; t <= passes; t++) {
      const next: Tensor = noGrad(() =>
        tidy(() => keep(total ? add(total, softmax(model.forward(x), -1)) : softmax(model.forward(x), -1))),
      );
      total?.dispose();
      total = next;
      if (checkpoints.includes(t)) {
        const avg = tidy(() => div(next, t));
        accs.push([t, await accuracyOfScores(avg, y)]);
        avg.dispose();
      }
    }
  } finally {
    for (const [m, t] of modes) m.training = t;
  }
  const meanProbs = tidy(() => div(total as Tensor, passes));
  (total as Tensor | null)?.dispose();
  return { accs, meanProbs };
}

export default defineExperiment({
  name: 'dropout',
  title: 'Dropout, and weight scaling against Monte-Carlo averaging',
  claim:
    'Dropping each hidden unit with probability p while training stops units from co-adapting and acts as ' +
    'training an ensemble of thinned networks, which narrows the gap between training and test accuracy. ' +
    'At test time, scaling the weights by the keep probability (or, equivalently, inverted dropout’s ' +
    'identity in evaluation) approximates the average of the ensemble’s predictions; averaging many ' +
    'stochastic passes (Monte-Carlo dropout) computes that average directly.',
  body: async (ctx) => {
    const nTrain = 40;
    const width = 64;
    const tr = toTensors(moons(nTrain, 0.3, ctx.derive(10)));
    const te = toTensors(moons(1000, 0.3, ctx.derive(11)));
    const data = { xTrain: tr.x, yTrain: tr.y, xTest: te.x, yTest: te.y, nTest: 1000 };
    ctx.own([tr.x, tr.y, te.x, te.y]);
    const epochs = ctx.quick ? 300 : 1000;
    const p = 0.5;
    const images: ImageSpec[] = [];
    const runs: Record<string, Awaited<ReturnType<typeof trainTracked>> & { model: Sequential }> = {};
    for (const [i, rate] of [0, p].entries()) {
      ctx.progress(i, 3, rate === 0 ? 'training without dropout' : `training with dropout ${rate}`);
      manualSeed(ctx.derive(2)); // the same initial weights
      const model = ctx.own(net(rate, 2, width, 2));
      const optimizer = ctx.own(new SGD(model.parameters(), { lr: 0.1, momentum: 0.9 }));
      manualSeed(ctx.derive(3));
      const curves = await trainTracked(model, {
        x: data.xTrain,
        y: data.yTrain,
        xTest: data.xTest,
        yTest: data.yTest,
        epochs,
        batchSize: nTrain,
        optimizer,
        loss: crossEntropy,
        seed: ctx.derive(4),
        every: epochs / 10,
      });
      runs[String(rate)] = { ...curves, model };
      images.push(
        await decisionMap(
          model,
          `Two moons, ${rate === 0 ? 'no dropout' : `dropout ${rate}`}: P(class 1)`,
          [-1.5, 2.5, -1.2, 1.7],
        ),
      );
    }
    const plain = runs['0'] as (typeof runs)[string];
    const dropped = runs[String(p)] as (typeof runs)[string];
    const tail = (xs: number[]) => meanOf(xs.slice(-3));
    const metrics: Record<string, number> = {
      plain_train_accuracy: tail(plain.trainAccuracy),
      plain_test_accuracy: tail(plain.testAccuracy),
      dropout_train_accuracy: tail(dropped.trainAccuracy),
      dropout_test_accuracy: tail(dropped.testAccuracy),
      plain_loss_gap: tail(plain.testLoss) - tail(plain.trainLoss),
      dropout_loss_gap: tail(dropped.testLoss) - tail(dropped.trainLoss),
    };
    metrics.plain_accuracy_gap =
      (metrics.plain_train_accuracy as number) - (metrics.plain_test_accuracy as number);
    metrics.dropout_accuracy_gap =
      (metrics.dropout_train_accuracy as number) - (metrics.dropout_test_accuracy as number);

    // --- test time: weight scaling against Monte-Carlo averaging ---
    ctx.progress(2, 3, 'Monte-Carlo dropout');
    const passes = ctx.quick ? 20 : 50;
    const checkpoints = [1, 2, 5, 10, 20, 50, 100].filter((t) => t <= passes);
    manualSeed(ctx.derive(5));
    const mc = await mcCurve(dropped.model, data.xTest, data.yTest, passes, checkpoints);
    const scaled = inEval(dropped.model, () => tidy(() => softmax(dropped.model.forward(data.xTest), -1)));
    const agreement = await readScalar(
      tidy(() => mean(cast(equal(argmax(scaled, -1), argmax(mc.meanProbs, -1)), 'float32'))),
    );
    const maxProbDiff = await readScalar(tidy(() => max(abs(sub(scaled, mc.meanProbs)))));
    const meanProbDiff = await readScalar(tidy(() => mean(abs(sub(scaled, mc.meanProbs)))));
    metrics.weight_scaling_test_accuracy = await accuracyOfScores(scaled, data.yTest);
    metrics.mc_test_accuracy = (mc.accs[mc.accs.length - 1] as [number, number])[1];
    metrics.mc_single_pass_test_accuracy = (mc.accs[0] as [number, number])[1];
    metrics.mc_vs_scaling_agreement = agreement;
    metrics.mc_vs_scaling_mean_abs_prob_diff = meanProbDiff;
    metrics.mc_vs_scaling_max_abs_prob_diff = maxProbDiff;
    scaled.dispose();
    mc.meanProbs.dispose();
    ctx.progress(3, 3, 'done');

    const m = (k: string) => metrics[k] as number;
    const charts: ChartSpec[] = [
      {
        title: 'Train − test accuracy',
        xLabel: 'epoch',
        yLabel: 'accuracy gap',
        kind: 'line',
        series: [
          {
            name: 'no dropout',
            points: plain.epochs.map((e, i) => [
              e,
              (plain.trainAccuracy[i] as number) - (plain.testAccuracy[i] as number),
            ]),
          },
          {
            name: `dropout ${p}`,
            points: dropped.epochs.map((e, i) => [
              e,
              (dropped.trainAccuracy[i] as number) - (dropped.testAccuracy[i] as number),
            ]),
          },
        ],
      },
      {
        title: 'Test accuracy',
        xLabel: 'epoch',
        yLabel: 'test accuracy',
        kind: 'line',
        series: [
          { name: 'no dropout', points: plain.epochs.map((e, i) => [e, plain.testAccuracy[i] as number]) },
          {
            name: `dropout ${p}`,
            points: dropped.epochs.map((e, i) => [e, dropped.testAccuracy[i] as number]),
          },
        ],
      },
      {
        title: 'Monte-Carlo dropout: test accuracy against the number of passes averaged',
        xLabel: 'stochastic passes averaged',
        yLabel: 'test accuracy',
        kind: 'line',
        series: [
          { name: 'Monte-Carlo average', points: mc.accs },
          {
            name: 'weight scaling (one deterministic pass)',
            points: checkpoints.map((t) => [t, m('weight_scaling_test_accuracy')] as [number, number]),
          },
        ],
      },
    ];
    const gapShrink = m('plain_accuracy_gap') - m('dropout_accuracy_gap');
    const testGain = m('dropout_test_accuracy') - m('plain_test_accuracy');
    const reading =
      `Without dropout the network reaches ${pct(m('plain_train_accuracy'))} on its ${nTrain} training points and ` +
      `${pct(m('plain_test_accuracy'))} on the test set (gap ${pct(m('plain_accuracy_gap'))}); with dropout ${p}, ` +
      `${pct(m('dropout_train_accuracy'))} and ${pct(m('dropout_test_accuracy'))} (gap ${pct(m('dropout_accuracy_gap'))}). ` +
      (gapShrink > 0.01
        ? `The gap shrinks by ${pts(gapShrink)}${testGain > 0.005 ? `, with a test accuracy ${pts(testGain)} higher` : ', though the test accuracy does not rise: the training accuracy falls instead'}. `
        : `The accuracy gap barely moves (${pts(gapShrink)}), weaker than the claim. `) +
      `The loss gap goes from ${fmt(m('plain_loss_gap'))} to ${fmt(m('dropout_loss_gap'))}. ` +
      `At test time, weight scaling gives ${pct(m('weight_scaling_test_accuracy'))}; one stochastic pass ` +
      `${pct(m('mc_single_pass_test_accuracy'))}; the average of ${passes} passes ${pct(m('mc_test_accuracy'))}. The two ` +
      `agree on ${pct(m('mc_vs_scaling_agreement'))} of the test points and their probabilities differ by ` +
      `${fmt(m('mc_vs_scaling_mean_abs_prob_diff'))} on average (at most ${fmt(m('mc_vs_scaling_max_abs_prob_diff'))}): ` +
      `the cheap deterministic pass is a close approximation of the ensemble average, as claimed; the ` +
      `Monte-Carlo passes add a measure of uncertainty, not accuracy.`;
    return {
      setup:
        `Two moons: ${nTrain} training points with noise 0.3, ${data.nTest} test points. MLP 2-${width}-${width}-2 ` +
        `(ReLU), dropout after each hidden layer with p = ${p} or none; full-batch SGD lr 0.1, momentum 0.9, ` +
        `${epochs} steps, the same initial weights. Dropout is inverted (survivors scaled by 1/(1−p) ` +
        `while training), so evaluation mode is the weight-scaling rule. Monte-Carlo dropout: ${passes} passes ` +
        `with dropout on, softmax outputs averaged. The table averages the last three measurements of training.`,
      table: {
        columns: ['model / prediction', 'train acc', 'test acc', 'acc gap', 'loss gap'],
        rows: [
          [
            'no dropout',
            pct(m('plain_train_accuracy')),
            pct(m('plain_test_accuracy')),
            pct(m('plain_accuracy_gap')),
            fmt(m('plain_loss_gap')),
          ],
          [
            `dropout ${p}, weight scaling`,
            pct(m('dropout_train_accuracy')),
            pct(m('dropout_test_accuracy')),
            pct(m('dropout_accuracy_gap')),
            fmt(m('dropout_loss_gap')),
          ],
          [`dropout ${p}, one stochastic pass`, '—', pct(m('mc_single_pass_test_accuracy')), '—', '—'],
          [`dropout ${p}, mean of ${passes} passes`, '—', pct(m('mc_test_accuracy')), '—', '—'],
        ],
      },
      charts,
      images,
      reading,
      metrics,
    };
  },
});
