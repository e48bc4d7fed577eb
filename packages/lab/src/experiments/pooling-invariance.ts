/**
 * Experiment 12: pooling and invariance. How much a convolutional feature map changes when its input is
 * shifted by a pixel, scaled slightly or rotated slightly — with no pooling, max pooling and mean pooling
 * of several sizes — and what each pooling keeps of an example image.
 */
import { avgPool2d, manualSeed, maxPool2d, noGrad, relu, type Tensor, tensor, tidy } from '@myelin/core';
import { Conv2d } from '@myelin/layers';
import type { ChartSpec, ImageSpec } from '../types.js';
import { digitsSplit, splitTensors } from '../util/data.js';
import { defineExperiment } from '../util/define.js';
import { shiftImage, upsample, warpImage } from '../util/images.js';
import { fmt, meanOf, pct } from '../util/stats.js';
import { readArray } from '../util/train.js';

const FACTOR = 3; // 8×8 digits upsampled to 24×24, so that one pixel is a small move
const SIZE = 8 * FACTOR;
const CHANNELS = 8;

type Pooling = { name: string; apply: (maps: Tensor) => Tensor };
const POOLINGS: Pooling[] = [
  { name: 'none', apply: (m) => m },
  { name: 'max 2×2', apply: (m) => maxPool2d(m, 2) },
  { name: 'mean 2×2', apply: (m) => avgPool2d(m, 2) },
  { name: 'max 4×4', apply: (m) => maxPool2d(m, 4) },
  { name: 'mean 4×4', apply: (m) => avgPool2d(m, 4) },
  { name: 'global max', apply: (m) => maxPool2d(m, SIZE) },
  { name: 'global mean', apply: (m) => avgPool2d(m, SIZE) },
];

type Transform = { name: string; apply: (img: Float32Array) => Float32Array };
const TRANSFORMS: Transform[] = [
  { name: 'shift 1 px', apply: (img) => shiftImage(img, SIZE, SIZE, 0, 1) },
  { name: 'shift 2 px', apply: (img) => shiftImage(img, SIZE, SIZE, 0, 2) },
  { name: 'scale ×1.1', apply: (img) => warpImage(img, SIZE, SIZE, 1.1, 0) },
  { name: 'rotate 5°', apply: (img) => warpImage(img, SIZE, SIZE, 1, 5) },
  { name: 'rotate 15°', apply: (img) => warpImage(img, SIZE, SIZE, 1, 15) },
];

/** ‖a_i − b_i‖ / ‖b_i‖ for each of `n` samples of equal-length blocks, averaged. */
function relativeChange(a: number[], b: number[], n: number): number {
  const per = a.length / n;
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    let num = 0;
    let den = 0;
    for (let j = i * per; j < (i + 1) * per; j++) {
      num += ((a[j] as number) - (b[j] as number)) ** 2;
      den += (b[j] as number) ** 2;
    }
    if (den > 0) out.push(Math.sqrt(num / den));
  }
  return meanOf(out);
}

export default defineExperiment({
  name: 'pooling-invariance',
  title: 'Pooling buys invariance to small shifts and distortions',
  claim:
    'Pooling summarises a neighbourhood of a feature map by its maximum or mean, so a feature that moves ' +
    'a little inside the pooling window gives the same summary: pooled features are approximately ' +
    'invariant to small translations (and, less so, to small rotations and scalings); larger windows buy ' +
    'more invariance and keep less of where things are.',
  body: async (ctx) => {
    const n = ctx.quick ? 16 : 64;
    const data = await digitsSplit(ctx.derive(1), { test: n, train: 10 });
    ctx.own(splitTensors(data));
    const originals: Float32Array[] = [];
    for (let i = 0; i < n; i++)
      originals.push(upsample(data.host.xTest.subarray(i * 64, i * 64 + 64), 8, 8, FACTOR));
    manualSeed(ctx.derive(2));
    // A random 5×5 convolution with ReLU stands for a first layer of features.
    const conv = ctx.own(new Conv2d(1, CHANNELS, 5, { padding: 2 }));
    const featureMaps = (imgs: Float32Array[]) => {
      const flat = new Float32Array(imgs.length * SIZE * SIZE);
      for (const [i, img] of imgs.entries()) flat.set(img, i * SIZE * SIZE);
      return relu(conv.forward(tensor(flat, { shape: [imgs.length, 1, SIZE, SIZE] })));
    };
    const pooledOf = async (imgs: Float32Array[]) => {
      const outs = noGrad(() =>
        tidy(() => {
          const maps = featureMaps(imgs);
          return POOLINGS.map((p) => p.apply(maps));
        }),
      );
      const values: number[][] = [];
      for (const o of outs) values.push(await readArray(o));
      return values;
    };
    const base = await pooledOf(originals);
    const metrics: Record<string, number> = {};
    const table: Record<string, Record<string, number>> = {};
    // The input itself, as a reference: how much each transformation changes the pixels.
    const inputChange: Record<string, number> = {};
    for (const [ti, t] of TRANSFORMS.entries()) {
      ctx.progress(ti, TRANSFORMS.length + 1, t.name);
      const moved = originals.map((img) => t.apply(img));
      inputChange[t.name] = relativeChange(
        moved.flatMap((a) => Array.from(a)),
        originals.flatMap((a) => Array.from(a)),
        n,
      );
      const pooled = await pooledOf(moved);
      for (const [pi, p] of POOLINGS.entries()) {
        const change = relativeChange(pooled[pi] as number[], base[pi] as number[], n);
        table[p.name] = { ...table[p.name], [t.name]: change };
        metrics[`change_${key(p.name)}_${key(t.name)}`] = change;
      }
    }
    for (const t of TRANSFORMS) metrics[`change_input_${key(t.name)}`] = inputChange[t.name] as number;

    // What each pooling keeps of one example.
    ctx.progress(TRANSFORMS.length, TRANSFORMS.length + 1, 'example maps');
    const example = originals[0] as Float32Array;
    const exampleOut = noGrad(() =>
      tidy(() => {
        const maps = featureMaps([example]);
        return [maps, maxPool2d(maps, 2), avgPool2d(maps, 2), maxPool2d(maps, 4), avgPool2d(maps, 4)];
      }),
    );
    const exampleValues: number[][] = [];
    for (const o of exampleOut) exampleValues.push(await readArray(o));
    const firstMap = (values: number[], side: number) => values.slice(0, side * side);
    const images: ImageSpec[] = [
      {
        title: 'Example digit (8×8 upsampled to 24×24)',
        width: SIZE,
        height: SIZE,
        values: Array.from(example),
        range: [0, 1],
      },
      {
        title: 'Feature map (channel 1, 24×24)',
        width: SIZE,
        height: SIZE,
        values: firstMap(exampleValues[0] as number[], SIZE),
      },
      {
        title: 'Max-pooled 2×2 (12×12)',
        width: SIZE / 2,
        height: SIZE / 2,
        values: firstMap(exampleValues[1] as number[], SIZE / 2),
      },
      {
        title: 'Mean-pooled 2×2 (12×12)',
        width: SIZE / 2,
        height: SIZE / 2,
        values: firstMap(exampleValues[2] as number[], SIZE / 2),
      },
      {
        title: 'Max-pooled 4×4 (6×6)',
        width: SIZE / 4,
        height: SIZE / 4,
        values: firstMap(exampleValues[3] as number[], SIZE / 4),
      },
      {
        title: 'Mean-pooled 4×4 (6×6)',
        width: SIZE / 4,
        height: SIZE / 4,
        values: firstMap(exampleValues[4] as number[], SIZE / 4),
      },
    ];
    ctx.progress(TRANSFORMS.length + 1, TRANSFORMS.length + 1, 'done');

    const rows: Array<Array<string | number>> = [
      ['(input pixels)', ...TRANSFORMS.map((t) => fmt(inputChange[t.name] as number))],
      ...POOLINGS.map((p) => [p.name, ...TRANSFORMS.map((t) => fmt(table[p.name]?.[t.name] as number))]),
    ];
    const charts: ChartSpec[] = [
      {
        title: 'Relative change of the features under each transformation',
        xLabel: 'pooling',
        yLabel: '‖f(Tx) − f(x)‖ / ‖f(x)‖',
        kind: 'bar',
        xTicks: POOLINGS.map((p, i) => ({ x: i, label: p.name })),
        series: TRANSFORMS.map((t) => ({
          name: t.name,
          points: POOLINGS.map((p, i) => [i, table[p.name]?.[t.name] as number] as [number, number]),
        })),
      },
    ];
    const c = (p: string, t: string) => table[p]?.[t] as number;
    const ratio = (p: string, t: string) => c(p, t) / c('none', t);
    const shrink = (p: string, t: string) => fmt(ratio(p, t), 2);
    const reading =
      `A one-pixel shift changes the unpooled feature maps by ${fmt(c('none', 'shift 1 px'))} of their norm; after ` +
      `2×2 max pooling by ${fmt(c('max 2×2', 'shift 1 px'))} (×${shrink('max 2×2', 'shift 1 px')}), 2×2 mean pooling ` +
      `${fmt(c('mean 2×2', 'shift 1 px'))}, 4×4 max pooling ${fmt(c('max 4×4', 'shift 1 px'))} and global max pooling ` +
      `${fmt(c('global max', 'shift 1 px'))}. Larger windows buy more invariance, as claimed, but a small window ` +
      `buys little: a 2×2 max pool removes only ${pct(1 - c('max 2×2', 'shift 1 px') / c('none', 'shift 1 px'))} of the ` +
      `change, a 4×4 one ${pct(1 - c('max 4×4', 'shift 1 px') / c('none', 'shift 1 px'))} — “approximately invariant” ` +
      `overstates what one pooling layer does; the invariance of a CNN accumulates over several pooling stages ` +
      `and ends in a global pooling or a dense layer. ` +
      (ratio('max 2×2', 'shift 2 px') > ratio('max 2×2', 'shift 1 px') + 0.02
        ? `Against a 2-pixel shift the 2×2 window helps even less (${fmt(c('max 2×2', 'shift 2 px'))} against ` +
          `${fmt(c('none', 'shift 2 px'))} unpooled): a move as large as the window shifts the pooled map itself. `
        : '') +
      `Scaling by 1.1 and rotating by 5° change the unpooled maps by ${fmt(c('none', 'scale ×1.1'))} and ` +
      `${fmt(c('none', 'rotate 5°'))}, 4×4 max-pooled maps by ${fmt(c('max 4×4', 'scale ×1.1'))} and ` +
      `${fmt(c('max 4×4', 'rotate 5°'))}: pooling damps these too, because a small rotation or scaling moves ` +
      `each local feature by about a pixel; a 15° rotation still changes the 4×4-pooled features by ` +
      `${fmt(c('max 4×4', 'rotate 15°'))}. Max and mean pooling differ: ` +
      (c('max 2×2', 'shift 1 px') < c('mean 2×2', 'shift 1 px')
        ? 'max pooling is the more invariant here'
        : 'mean pooling is the more invariant here') +
      `; in the example maps, max pooling keeps each window’s strongest response and mean pooling averages ` +
      `it with the weaker ones around it. Global pooling is the most invariant and keeps no position at all.`;
    return {
      setup:
        `${n} test digits upsampled from 8×8 to ${SIZE}×${SIZE} (bilinear), so a pixel is a third of an original ` +
        `pixel; features: a random Conv2d(1, ${CHANNELS}, 5, padding 2) + ReLU (fixed seed). Transformations (on ` +
        `the host, zeros outside): shift right by 1 and 2 pixels, scale ×1.1 and rotate by 5° and 15° about the ` +
        `centre (bilinear). Pooling with stride = window. Reported: the relative change ` +
        `‖f(Tx) − f(x)‖/‖f(x)‖ of the pooled features, averaged over the digits; “input pixels” is the change ` +
        `of the image itself.`,
      table: { columns: ['pooling', ...TRANSFORMS.map((t) => t.name)], rows },
      charts,
      images,
      reading,
      metrics,
    };
  },
});

function key(name: string): string {
  return name
    .replace(/×/g, 'x')
    .replace(/°/g, 'deg')
    .replace(/[^a-zA-Z0-9.]+/g, '_')
    .replace(/\./g, 'p')
    .replace(/_+$/, '');
}
