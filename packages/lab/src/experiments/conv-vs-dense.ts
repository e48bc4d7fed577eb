/**
 * Experiment 11: convolution against dense layers on images. Parameter counts of a dense and a
 * convolutional layer over the same image, test accuracy per parameter on digits, and translation
 * equivariance: a shifted input gives a shifted convolution output, not a shifted dense output.
 */
import { manualSeed, noGrad, reshape, type Tensor, tensor, tidy } from '@myelin/core';
import {
  Conv2d,
  crossEntropy,
  Flatten,
  Linear,
  MaxPool2d,
  type Module,
  ReLU,
  Sequential,
} from '@myelin/layers';
import { Adam } from '@myelin/optim';
import type { ChartSpec, ImageSpec } from '../types.js';
import { digitsSplit, splitTensors } from '../util/data.js';
import { defineExperiment } from '../util/define.js';
import { shiftImage } from '../util/images.js';
import { activation, mlp } from '../util/models.js';
import { fmt, pct, pts } from '../util/stats.js';
import { accuracy, readArray, train } from '../util/train.js';

function smallCnn(): Sequential {
  return new Sequential(
    new Conv2d(1, 8, 3, { padding: 1 }), // 8×8 → 8×8, 8 maps
    new ReLU(),
    new MaxPool2d(2), // → 4×4
    new Conv2d(8, 16, 3, { padding: 1 }),
    new ReLU(),
    new MaxPool2d(2), // → 2×2
    new Flatten(),
    new Linear(16 * 2 * 2, 10),
  );
}

/** Parameters of a dense and of a k×k convolutional layer mapping an H×W×cin image to H×W×cout maps. */
function layerCounts(h: number, w: number, cin: number, cout: number, k: number) {
  const dense = h * w * cin * (h * w * cout) + h * w * cout;
  const conv = k * k * cin * cout + cout;
  return { dense, conv };
}

/**
 * ‖f(shift(x)) − shift(f(x))‖ / ‖shift(f(x))‖ over the columns 1..W−2 of every map (a one-pixel shift to
 * the right; the first column is shifted in, the last loses its right neighbour).
 */
function equivarianceError(fx: Float32Array, fsx: Float32Array, maps: number, h: number, w: number): number {
  let num = 0;
  let den = 0;
  for (let m = 0; m < maps; m++) {
    for (let r = 0; r < h; r++) {
      for (let c = 1; c < w - 1; c++) {
        const a = fsx[m * h * w + r * w + c] as number;
        const b = fx[m * h * w + r * w + c - 1] as number;
        num += (a - b) ** 2;
        den += b * b;
      }
    }
  }
  return Math.sqrt(num / den);
}

export default defineExperiment({
  name: 'conv-vs-dense',
  title: 'Convolution: fewer parameters, shared weights, equivariance',
  claim:
    'A dense layer connects every input pixel to every output unit (m·n weights); a convolution reuses one ' +
    'small k×k×c_in×c_out kernel at every position, so it needs far fewer parameters, gets more accuracy ' +
    'per parameter on images, and is translation equivariant: shifting the input shifts its output by ' +
    'the same amount.',
  body: async (ctx) => {
    const metrics: Record<string, number> = {};
    // --- (a) parameter counts ---
    const cases = [
      { name: 'digits 8×8×1 → 8 maps, 3×3', h: 8, w: 8, cin: 1, cout: 8, k: 3 },
      { name: 'MNIST 28×28×1 → 32 maps, 5×5', h: 28, w: 28, cin: 1, cout: 32, k: 5 },
      { name: 'ImageNet 224×224×3 → 64 maps, 7×7', h: 224, w: 224, cin: 3, cout: 64, k: 7 },
    ];
    const countRows = cases.map((c) => {
      const n = layerCounts(c.h, c.w, c.cin, c.cout, c.k);
      return [c.name, n.dense.toExponential(2), n.conv.toLocaleString('en-US'), fmt(n.dense / n.conv)];
    });
    // Check the formula against real layers for the digits case.
    const dense8 = new Linear(64, 64 * 8);
    const conv8 = new Conv2d(1, 8, 3, { padding: 1 });
    metrics.digits_dense_layer_parameters = dense8.countParameters();
    metrics.digits_conv_layer_parameters = conv8.countParameters();
    ctx.own([dense8, conv8]);

    // --- (b) accuracy per parameter ---
    const data = await digitsSplit(ctx.derive(1), { image: true, ...(ctx.quick ? { train: 500 } : {}) });
    ctx.own(splitTensors(data));
    const flatTrain = ctx.own(reshape(data.xTrain, [data.nTrain, 64]));
    const flatTest = ctx.own(reshape(data.xTest, [data.nTest, 64]));
    const epochs = ctx.quick ? 6 : 25;
    const models: Array<{ name: string; make: () => Module; image: boolean }> = [
      { name: 'CNN', make: smallCnn, image: true },
      { name: 'MLP 64-32-10', make: () => mlp([64, 32, 10], () => activation('relu')), image: false },
      { name: 'MLP 64-256-10', make: () => mlp([64, 256, 10], () => activation('relu')), image: false },
    ];
    const accRows: Array<Array<string | number>> = [];
    const results: Array<{ name: string; params: number; acc: number }> = [];
    for (const [i, spec] of models.entries()) {
      ctx.progress(i, models.length + 1, `training ${spec.name}`);
      manualSeed(ctx.derive(2, i));
      const model = ctx.own(spec.make());
      const x = spec.image ? data.xTrain : flatTrain;
      await train(model, {
        x,
        y: data.yTrain,
        epochs,
        batchSize: 32,
        optimizer: ctx.own(new Adam(model.parameters(), { lr: 3e-3 })),
        loss: crossEntropy,
        seed: ctx.derive(3),
      });
      const acc = await accuracy(model, spec.image ? data.xTest : flatTest, data.yTest);
      const params = model.countParameters();
      results.push({ name: spec.name, params, acc });
      accRows.push([
        spec.name === 'CNN' ? 'CNN conv8-pool-conv16-pool-linear' : spec.name,
        params.toLocaleString('en-US'),
        pct(acc),
        fmt((1000 * acc) / params),
      ]);
    }
    const [cnn, small, wide] = results as [(typeof results)[0], (typeof results)[0], (typeof results)[0]];
    metrics.cnn_parameters = cnn.params;
    metrics.cnn_test_accuracy = cnn.acc;
    metrics.mlp_small_parameters = small.params;
    metrics.mlp_small_test_accuracy = small.acc;
    metrics.mlp_wide_parameters = wide.params;
    metrics.mlp_wide_test_accuracy = wide.acc;

    // --- (c) translation equivariance of a random conv layer and a random dense layer ---
    ctx.progress(models.length, models.length + 1, 'translation equivariance');
    const count = 32;
    const xs = data.host.xTest.subarray(0, count * 64);
    const shifted = new Float32Array(count * 64);
    for (let i = 0; i < count; i++)
      shifted.set(shiftImage(xs.subarray(i * 64, i * 64 + 64), 8, 8, 0, 1), i * 64);
    manualSeed(ctx.derive(4));
    const conv = ctx.own(new Conv2d(1, 4, 3, { padding: 1, bias: false }));
    const dense = ctx.own(new Linear(64, 4 * 64, { bias: false }));
    const apply = async (f: (t: Tensor) => Tensor, values: Float32Array) =>
      Float32Array.from(
        await readArray(noGrad(() => tidy(() => f(tensor(values, { shape: [count, 1, 8, 8] }))))),
      );
    const convOut = await apply((t) => conv.forward(t), xs.slice());
    const convShifted = await apply((t) => conv.forward(t), shifted);
    const denseOut = await apply((t) => dense.forward(reshape(t, [count, 64])), xs.slice());
    const denseShifted = await apply((t) => dense.forward(reshape(t, [count, 64])), shifted);
    metrics.conv_equivariance_error = equivarianceError(convOut, convShifted, count * 4, 8, 8);
    metrics.dense_equivariance_error = equivarianceError(denseOut, denseShifted, count * 4, 8, 8);
    ctx.progress(models.length + 1, models.length + 1, 'done');

    const images: ImageSpec[] = [
      { title: 'Input digit', width: 8, height: 8, values: Array.from(xs.subarray(0, 64)), range: [0, 1] },
      {
        title: 'Input shifted 1 pixel right',
        width: 8,
        height: 8,
        values: Array.from(shifted.subarray(0, 64)),
        range: [0, 1],
      },
      { title: 'Conv map of the input', width: 8, height: 8, values: Array.from(convOut.subarray(0, 64)) },
      {
        title: 'Conv map of the shifted input (shifted too)',
        width: 8,
        height: 8,
        values: Array.from(convShifted.subarray(0, 64)),
      },
      {
        title: 'Dense “map” of the input',
        width: 8,
        height: 8,
        values: Array.from(denseOut.subarray(0, 64)),
      },
      {
        title: 'Dense “map” of the shifted input (unrelated)',
        width: 8,
        height: 8,
        values: Array.from(denseShifted.subarray(0, 64)),
      },
    ];
    const charts: ChartSpec[] = [
      {
        title: 'Parameters of one layer over the same image (log10)',
        xLabel: 'image and layer',
        yLabel: 'log10 parameters',
        kind: 'bar',
        xTicks: cases.map((c, i) => ({ x: i, label: c.name.split(' → ')[0] as string })),
        series: [
          {
            name: 'dense',
            points: cases.map(
              (c, i) => [i, Math.log10(layerCounts(c.h, c.w, c.cin, c.cout, c.k).dense)] as [number, number],
            ),
          },
          {
            name: 'convolution',
            points: cases.map(
              (c, i) => [i, Math.log10(layerCounts(c.h, c.w, c.cin, c.cout, c.k).conv)] as [number, number],
            ),
          },
        ],
      },
      {
        title: 'Test accuracy and size of each model on digits',
        xLabel: 'model',
        yLabel: 'test accuracy',
        kind: 'bar',
        xTicks: results.map((r, i) => ({
          x: i,
          label: `${r.name} (${r.params.toLocaleString('en-US')} params)`,
        })),
        series: [{ name: 'test accuracy', points: results.map((r, i) => [i, r.acc] as [number, number]) }],
      },
    ];
    const m = (k: string) => metrics[k] as number;
    const reading =
      `Over an 8×8 digit, a dense layer to 8 maps of the same size has ${m('digits_dense_layer_parameters').toLocaleString('en-US')} ` +
      `parameters and a 3×3 convolution ${m('digits_conv_layer_parameters')}; over a 224×224 colour image to 64 maps ` +
      `the dense layer would need ${countRows[2]?.[1]} weights against ${countRows[2]?.[2]}. On digits the small CNN ` +
      `(${cnn.params.toLocaleString('en-US')} parameters) reaches ${pct(cnn.acc)}, the MLP of similar size ` +
      `(${small.params.toLocaleString('en-US')}) ${pct(small.acc)}, and an MLP with ${(wide.params / cnn.params).toFixed(0)}× ` +
      `the CNN’s parameters ${pct(wide.acc)}. ` +
      (cnn.acc >= small.acc - 0.005
        ? 'Per parameter the CNN is the most accurate'
        : 'Weaker than the claim: the CNN is not more accurate than the MLP of its size') +
      `${cnn.acc >= wide.acc ? ', and it matches the wide MLP' : `; the wide MLP is still ${pts(wide.acc - cnn.acc)} better — 8×8 digits are so small that a dense layer sees the whole digit cheaply`}. ` +
      `Shifting the inputs one pixel to the right shifts the convolution’s maps exactly: the relative ` +
      `difference between conv(shift(x)) and shift(conv(x)) is ` +
      (m('conv_equivariance_error') === 0
        ? 'exactly 0'
        : `${fmt(m('conv_equivariance_error'))} (float rounding)`) +
      ` away from the borders, against ${fmt(m('dense_equivariance_error'))} for a dense layer, whose ` +
      `output for the shifted digit is unrelated to its output for the original.`;
    return {
      setup:
        `(a) Parameter counts (weights + biases) of one layer mapping an H×W×c_in image to H×W×c_out maps: dense ` +
        `(H·W·c_in)·(H·W·c_out) + H·W·c_out, convolution k·k·c_in·c_out + c_out; checked against Linear(64, 512) ` +
        `and Conv2d(1, 8, 3). (b) On ${data.nTrain} training digits (1×8×8), Adam lr 3e-3, batch 32, ${epochs} epochs: a ` +
        `CNN (conv 3×3 ×8, ReLU, max-pool 2, conv 3×3 ×16, ReLU, max-pool 2, linear) and two MLPs; test on ` +
        `${data.nTest} digits. (c) A random Conv2d(1, 4, 3, padding 1) and a random Linear(64, 256) read as 4 maps of ` +
        `8×8, applied to ${count} test digits and to the same digits shifted one pixel right (zeros shifted in).`,
      table: {
        columns: [
          'layer or model',
          'dense / parameters',
          'conv / test accuracy',
          'ratio / accuracy per 1k params',
        ],
        rows: [...countRows, ...accRows],
      },
      charts,
      images,
      reading,
      metrics,
    };
  },
});
