/**
 * Experiment 9: data augmentation. The same network trained on a small subset of digits with and without
 * random one-pixel shifts of its inputs; tested on the clean test set and on a shifted copy of it.
 */
import { manualSeed, slice, tidy } from '@myelin/core';
import { randomShift } from '@myelin/data';
import { crossEntropy } from '@myelin/layers';
import { Adam } from '@myelin/optim';
import type { ChartSpec, ImageSpec } from '../types.js';
import { digitsSplit, splitTensors } from '../util/data.js';
import { defineExperiment } from '../util/define.js';
import { activation, mlp } from '../util/models.js';
import { meanOf, pct } from '../util/stats.js';
import { accuracy, readArray, train } from '../util/train.js';

const IMAGE = [1, 8, 8] as const;

export default defineExperiment({
  name: 'augmentation',
  title: 'Data augmentation on a small training set',
  claim:
    'Transforming the training inputs in ways that do not change their label (here: shifting digits by a ' +
    'pixel) creates new training samples for free; a network trained on them generalises better, above all ' +
    'to inputs that differ from the training set by such transformations.',
  body: async (ctx) => {
    const nTrain = ctx.quick ? 100 : 200;
    const data = await digitsSplit(ctx.derive(1), { train: nTrain });
    ctx.own(splitTensors(data));
    // A fixed shifted copy of the test set: every digit moved by −1, 0 or +1 pixel along each axis.
    const xTestShifted = ctx.own(
      tidy(() => randomShift(1, { seed: ctx.derive(2), imageShape: IMAGE })(data.xTest)),
    );
    const epochs = ctx.quick ? 40 : 120;
    const curves: Record<string, { clean: number[]; shifted: number[] }> = {};
    const metrics: Record<string, number> = {};
    const every = epochs / 10;
    for (const [i, augment] of [false, true].entries()) {
      const name = augment ? 'augmented' : 'plain';
      ctx.progress(i, 2, `training ${name}`);
      manualSeed(ctx.derive(3)); // the same initial weights
      const model = ctx.own(mlp([64, 256, 10], () => activation('relu')));
      const c = { clean: [] as number[], shifted: [] as number[] };
      await train(model, {
        x: data.xTrain,
        y: data.yTrain,
        epochs,
        batchSize: 20,
        optimizer: ctx.own(new Adam(model.parameters(), { lr: 3e-3 })),
        loss: crossEntropy,
        seed: ctx.derive(4),
        ...(augment ? { transform: randomShift(1, { seed: ctx.derive(5), imageShape: IMAGE }) } : {}),
        afterEpoch: async (epoch) => {
          if ((epoch + 1) % every !== 0) return;
          c.clean.push(await accuracy(model, data.xTest, data.yTest));
          c.shifted.push(await accuracy(model, xTestShifted, data.yTest));
        },
      });
      curves[name] = c;
      metrics[`${name}_train_accuracy`] = await accuracy(model, data.xTrain, data.yTrain);
      metrics[`${name}_clean_test_accuracy`] = meanOf(c.clean.slice(-3));
      metrics[`${name}_shifted_test_accuracy`] = meanOf(c.shifted.slice(-3));
    }
    ctx.progress(2, 2, 'done');
    const images: ImageSpec[] = [];
    const original = await readArray(tidy(() => slice(data.xTest, [0], [1])));
    const moved = await readArray(tidy(() => slice(xTestShifted, [0], [1])));
    images.push({ title: 'A test digit', width: 8, height: 8, values: original, range: [0, 1] });
    images.push({
      title: 'The same digit in the shifted test set',
      width: 8,
      height: 8,
      values: moved,
      range: [0, 1],
    });

    const m = (k: string) => metrics[k] as number;
    const x = (n: number) => (n + 1) * every;
    const charts: ChartSpec[] = [
      {
        title: 'Test accuracy during training',
        xLabel: 'epoch',
        yLabel: 'test accuracy',
        kind: 'line',
        series: [
          {
            name: 'plain, clean test',
            points: (curves.plain as { clean: number[] }).clean.map((a, i) => [x(i), a] as [number, number]),
          },
          {
            name: 'plain, shifted test',
            points: (curves.plain as { shifted: number[] }).shifted.map(
              (a, i) => [x(i), a] as [number, number],
            ),
          },
          {
            name: 'augmented, clean test',
            points: (curves.augmented as { clean: number[] }).clean.map(
              (a, i) => [x(i), a] as [number, number],
            ),
          },
          {
            name: 'augmented, shifted test',
            points: (curves.augmented as { shifted: number[] }).shifted.map(
              (a, i) => [x(i), a] as [number, number],
            ),
          },
        ],
      },
    ];
    const cleanGain = m('augmented_clean_test_accuracy') - m('plain_clean_test_accuracy');
    const shiftGain = m('augmented_shifted_test_accuracy') - m('plain_shifted_test_accuracy');
    const reading =
      `Trained on ${nTrain} digits without augmentation, the MLP gets ${pct(m('plain_clean_test_accuracy'))} of the ` +
      `clean test digits but only ${pct(m('plain_shifted_test_accuracy'))} of the shifted ones: a fully connected ` +
      `layer has no notion that a pixel’s neighbour means the same thing. With random one-pixel shifts while ` +
      `training: ${pct(m('augmented_clean_test_accuracy'))} clean (${cleanGain >= 0 ? '+' : ''}${(100 * cleanGain).toFixed(1)} ` +
      `points) and ${pct(m('augmented_shifted_test_accuracy'))} shifted (${shiftGain >= 0 ? '+' : ''}${(100 * shiftGain).toFixed(1)} ` +
      `points). ` +
      (cleanGain > 0.01
        ? 'Augmentation helps on both, most on the inputs that resemble its transformations. '
        : 'Weaker than the claim on the clean test set: these 8×8 digits are already centred, so shifted ' +
          'copies teach little about unshifted test digits; the gain is on the shifted ones. ') +
      `The augmented network fits its training set less tightly (${pct(m('augmented_train_accuracy'))} against ` +
      `${pct(m('plain_train_accuracy'))} on unshifted training digits).`;
    return {
      setup:
        `MLP 64-256-10 (ReLU) on a class-balanced subset of ${nTrain} training digits; Adam lr 3e-3, batch 20, ` +
        `${epochs} epochs, the same initial weights. Augmented: each batch shifted by a random −1, 0 or +1 pixel ` +
        `along each axis (\`randomShift(1)\` of @myelin/data, zeros shifted in). Tested on ${data.nTest} test digits, ` +
        `clean and shifted the same way once (a fixed copy). The table averages the last three measurements.`,
      table: {
        columns: ['training', 'train acc (clean)', 'test acc, clean', 'test acc, shifted'],
        rows: [
          [
            'plain',
            pct(m('plain_train_accuracy')),
            pct(m('plain_clean_test_accuracy')),
            pct(m('plain_shifted_test_accuracy')),
          ],
          [
            'random shifts',
            pct(m('augmented_train_accuracy')),
            pct(m('augmented_clean_test_accuracy')),
            pct(m('augmented_shifted_test_accuracy')),
          ],
        ],
      },
      charts,
      images,
      reading,
      metrics,
    };
  },
});
