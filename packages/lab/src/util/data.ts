/**
 * The data of the lab: the bundled 8×8 digits, split on the host by a seeded permutation into a training
 * set (optionally a small class-balanced subset) and a test set, uploaded once as tensors.
 */
import { type Tensor, tensor } from '@myelin/core';
import { digits, permutation } from '@myelin/data';

/** A split of the digits as tensors: `x` [n, 64] (or [n, 1, 8, 8] with `image`), `y` int32 [n]. */
export interface DigitsSplit {
  xTrain: Tensor;
  yTrain: Tensor;
  xTest: Tensor;
  yTest: Tensor;
  nTrain: number;
  nTest: number;
  /** The host copies (pixel rows in [0, 1], labels), for host-side transforms and plots. */
  host: { xTrain: Float32Array; yTrain: Int32Array; xTest: Float32Array; yTest: Int32Array };
}

/** Options of `digitsSplit`. */
export interface DigitsSplitOptions {
  /** Training samples: a class-balanced subset of this size (default: every sample not in the test set). */
  train?: number;
  /** Test samples (default 497, leaving 1300 for training). */
  test?: number;
  /** Shape samples as 1×8×8 images instead of 64-vectors. */
  image?: boolean;
}

function pick(x: Float32Array, y: Int32Array, idx: readonly number[]): { x: Float32Array; y: Int32Array } {
  const ox = new Float32Array(idx.length * 64);
  const oy = new Int32Array(idx.length);
  idx.forEach((src, dst) => {
    ox.set(x.subarray(src * 64, src * 64 + 64), dst * 64);
    oy[dst] = y[src] as number;
  });
  return { x: ox, y: oy };
}

/** Takes `count` indices from `order`, as evenly over the 10 classes as possible, in `order`'s order. */
function balanced(order: readonly number[], y: Int32Array, count: number): number[] {
  const perClass = Math.floor(count / 10);
  let extra = count - perClass * 10;
  const taken = new Array<number>(10).fill(0);
  const out: number[] = [];
  for (const i of order) {
    const c = y[i] as number;
    if ((taken[c] as number) < perClass) {
      taken[c] = (taken[c] as number) + 1;
      out.push(i);
    } else if (extra > 0 && taken[c] === perClass) {
      taken[c] = (taken[c] as number) + 1;
      extra--;
      out.push(i);
    }
    if (out.length === count) break;
  }
  return out;
}

/**
 * The digits, shuffled with `seed`, as a test set and a training set. The test set is always the first
 * `test` samples of the shuffled order, so runs with different training subsets share one test set.
 *
 * @example
 * ```ts
 * const d = await digitsSplit(ctx.derive(1), { train: 100 });
 * ```
 */
export async function digitsSplit(seed: number, options: DigitsSplitOptions = {}): Promise<DigitsSplit> {
  const d = await digits();
  const order = Array.from(permutation(d.n, seed));
  const nTest = options.test ?? 497;
  const testIdx = order.slice(0, nTest);
  const rest = order.slice(nTest);
  const trainIdx = options.train === undefined ? rest : balanced(rest, d.y, options.train);
  const tr = pick(d.x, d.y, trainIdx);
  const te = pick(d.x, d.y, testIdx);
  const shape = options.image ? [1, 8, 8] : [64];
  return {
    xTrain: tensor(tr.x, { shape: [trainIdx.length, ...shape] }),
    yTrain: tensor(tr.y, { shape: [trainIdx.length], dtype: 'int32' }),
    xTest: tensor(te.x, { shape: [nTest, ...shape] }),
    yTest: tensor(te.y, { shape: [nTest], dtype: 'int32' }),
    nTrain: trainIdx.length,
    nTest,
    host: { xTrain: tr.x, yTrain: tr.y, xTest: te.x, yTest: te.y },
  };
}

/** The tensors of a split, to hand to `ctx.own`. */
export function splitTensors(s: DigitsSplit): Tensor[] {
  return [s.xTrain, s.yTrain, s.xTest, s.yTest];
}
