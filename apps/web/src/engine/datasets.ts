/**
 * The playground's data: host arrays of a train and a test split, standardised the same way, plus the
 * plotting extent of a 2-D set. Tensors are made from these by the session, on whichever backend runs.
 */
import { blobs, circles, digits, type LabeledData, moons, permutation, spiral, xor } from '@myelin/data';
import type { DatasetName, PointsView } from '../protocol.js';

/** One split: `n` samples of `features` values each, and class labels. */
export interface Split {
  x: Float32Array;
  y: Int32Array;
  n: number;
}

/** A dataset ready to train on. */
export interface PreparedData {
  name: DatasetName;
  features: number;
  numClasses: number;
  train: Split;
  test: Split;
  /** Per-feature shift and scale applied to the inputs (x - mean) / std. */
  mean: number[];
  std: number[];
  /** The raw points of a 2-D set and their extent, for the plot. */
  view?: { train: PointsView; test: PointsView };
}

/** Points per 2-D set (train; the test split is half as large). */
const TRAIN_POINTS = 600;

function twoD(name: Exclude<DatasetName, 'digits'>, n: number, noise: number, seed: number): LabeledData {
  switch (name) {
    case 'spiral':
      return spiral(Math.round(n / 3), 3, noise, seed);
    case 'moons':
      return moons(n, noise, seed);
    case 'circles':
      return circles(n, noise, 0.5, seed);
    case 'xor':
      return xor(n, noise, seed);
    case 'blobs':
      // Four fixed centres, so the difficulty comes from the noise (the spread) alone.
      return blobs(
        n,
        [
          [-2, -2],
          [2, -2],
          [-2, 2],
          [2, 2],
        ],
        0.4 + 2 * noise,
        seed,
      );
  }
}

function split(data: LabeledData): Split {
  return { x: Float32Array.from(data.x), y: Int32Array.from(data.y), n: data.n };
}

/** Per-feature mean and standard deviation of a split (std 1 where a feature is constant). */
function moments(s: Split, features: number): { mean: number[]; std: number[] } {
  const mean = new Array<number>(features).fill(0);
  const sq = new Array<number>(features).fill(0);
  for (let i = 0; i < s.n; i++) {
    for (let f = 0; f < features; f++) mean[f] = (mean[f] as number) + (s.x[i * features + f] as number);
  }
  for (let f = 0; f < features; f++) mean[f] = (mean[f] as number) / s.n;
  for (let i = 0; i < s.n; i++) {
    for (let f = 0; f < features; f++) {
      const d = (s.x[i * features + f] as number) - (mean[f] as number);
      sq[f] = (sq[f] as number) + d * d;
    }
  }
  const std = sq.map((v) => {
    const sd = Math.sqrt(v / s.n);
    return sd > 1e-6 ? sd : 1;
  });
  return { mean, std };
}

/** Applies (x - mean) / std in place. */
export function standardise(x: Float32Array, mean: readonly number[], std: readonly number[]): Float32Array {
  const f = mean.length;
  for (let i = 0; i < x.length; i++)
    x[i] = ((x[i] as number) - (mean[i % f] as number)) / (std[i % f] as number);
  return x;
}

/** A square around the points with a margin, so the boundary shows beyond the data. */
function extentOf(x: Float32Array): [number, number, number, number] {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const v of x) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  const pad = 0.1 * (hi - lo || 1);
  return [lo - pad, hi + pad, lo - pad, hi + pad];
}

/**
 * Builds a dataset: a 2-D set drawn with `seed` (train) and `seed + 1` (test), or the bundled digits,
 * split 80/20 in a seeded order. Digits come scaled to 0..1 (pixel counts / 16) and are not
 * standardised, so that a digit drawn on the page needs the same scaling only.
 */
export async function prepareData(name: DatasetName, noise: number, seed: number): Promise<PreparedData> {
  if (name === 'digits') {
    const all = await digits();
    const order = permutation(all.n, seed);
    const nTest = Math.round(all.n * 0.2);
    const pick = (idx: Int32Array): Split => {
      const x = new Float32Array(idx.length * 64);
      const y = new Int32Array(idx.length);
      idx.forEach((src, dst) => {
        x.set(all.x.subarray(src * 64, src * 64 + 64), dst * 64);
        y[dst] = all.y[src] as number;
      });
      return { x, y, n: idx.length };
    };
    return {
      name,
      features: 64,
      numClasses: all.numClasses,
      test: pick(order.slice(0, nTest)),
      train: pick(order.slice(nTest)),
      mean: new Array(64).fill(0),
      std: new Array(64).fill(1),
    };
  }
  const trainData = twoD(name, TRAIN_POINTS, noise, seed);
  const trainRaw = split(trainData);
  const testRaw = split(twoD(name, TRAIN_POINTS / 2, noise, seed + 1));
  const numClasses = trainData.numClasses;
  const extent = extentOf(trainRaw.x);
  const view = {
    train: { x: trainRaw.x.slice(), y: trainRaw.y.slice(), extent },
    test: { x: testRaw.x.slice(), y: testRaw.y.slice(), extent },
  };
  const { mean, std } = moments(trainRaw, 2);
  standardise(trainRaw.x, mean, std);
  standardise(testRaw.x, mean, std);
  return { name, features: 2, numClasses, train: trainRaw, test: testRaw, mean, std, view };
}

/** Grid points over `extent` (row-major, top row first), standardised like the data. */
export function gridPoints(
  extent: readonly [number, number, number, number],
  size: number,
  mean: readonly number[],
  std: readonly number[],
): Float32Array {
  const [x0, x1, y0, y1] = extent;
  const out = new Float32Array(size * size * 2);
  for (let r = 0; r < size; r++) {
    const y = y1 - ((r + 0.5) / size) * (y1 - y0);
    for (let c = 0; c < size; c++) {
      const x = x0 + ((c + 0.5) / size) * (x1 - x0);
      out[2 * (r * size + c)] = x;
      out[2 * (r * size + c) + 1] = y;
    }
  }
  return standardise(out, mean, std);
}
