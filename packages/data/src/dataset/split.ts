/** `Subset` and `randomSplit`: views of a dataset through a list of indices. */
import { ArgumentError } from '@myelin/core';
import { drawSeed, permutation } from '../random/rng.js';
import type { Dataset, Sample, TensorPair } from './types.js';

/**
 * The samples of `dataset` at `indices`, in that order (PyTorch's `Subset`).
 *
 * @example
 * ```ts
 * const firstHundred = new Subset(ds, Array.from({ length: 100 }, (_, i) => i));
 * ```
 */
export class Subset implements Dataset {
  readonly indices: Int32Array;

  constructor(
    readonly dataset: Dataset,
    indices: ArrayLike<number>,
  ) {
    this.indices = Int32Array.from(indices);
    for (const i of this.indices) {
      if (i < 0 || i >= dataset.length)
        throw new ArgumentError('Subset', `index ${i} is out of range for ${dataset.length} samples`);
    }
  }

  get length(): number {
    return this.indices.length;
  }

  get sampleShape(): Dataset['sampleShape'] {
    return this.dataset.sampleShape;
  }

  get dtypes(): Dataset['dtypes'] {
    return this.dataset.dtypes;
  }

  get(index: number): Sample | Promise<Sample> {
    return this.dataset.get(this.map(index));
  }

  get getBatch(): ((indices: readonly number[]) => TensorPair | Promise<TensorPair>) | undefined {
    const inner = this.dataset.getBatch;
    if (!inner) return undefined;
    return (indices) =>
      inner.call(
        this.dataset,
        indices.map((i) => this.map(i)),
      );
  }

  private map(index: number): number {
    const j = this.indices[index];
    if (!Number.isInteger(index) || j === undefined)
      throw new ArgumentError('Subset', `index ${index} is out of range for ${this.length} samples`);
    return j;
  }
}

/**
 * Splits `dataset` into non-overlapping random subsets. `lengths` are either sample counts that add up to
 * the dataset's length, or fractions that add up to 1 (the remainder of rounding goes to the first
 * subsets one by one, as in PyTorch). The same seed gives the same split; without one, the seed comes
 * from core's global generator (`manualSeed`).
 *
 * @example
 * ```ts
 * const [train, val] = randomSplit(ds, [0.8, 0.2], 42);
 * ```
 */
export function randomSplit(
  dataset: Dataset,
  lengths: readonly number[],
  seed: number = drawSeed(),
): Subset[] {
  const n = dataset.length;
  if (
    !Array.isArray(lengths) ||
    lengths.length === 0 ||
    lengths.some((l) => !(l >= 0) || !Number.isFinite(l))
  ) {
    throw new ArgumentError(
      'randomSplit',
      `lengths must be a non-empty array of non-negative numbers, got ${JSON.stringify(lengths)}`,
    );
  }
  const total = lengths.reduce((p, l) => p + l, 0);
  let counts: number[];
  if (lengths.every(Number.isInteger) && total === n) {
    counts = [...lengths];
  } else if (Math.abs(total - 1) < 1e-6 && lengths.every((l) => l <= 1)) {
    counts = lengths.map((f) => Math.floor(f * n));
    let rest = n - counts.reduce((p, c) => p + c, 0);
    for (let i = 0; rest > 0; i = (i + 1) % counts.length, rest--) counts[i] = (counts[i] as number) + 1;
  } else {
    throw new ArgumentError(
      'randomSplit',
      `lengths ${JSON.stringify(lengths)} are neither counts adding up to ${n} nor fractions adding up to 1`,
    );
  }
  const order = permutation(n, seed);
  const out: Subset[] = [];
  let at = 0;
  for (const c of counts) {
    out.push(new Subset(dataset, order.subarray(at, at + c)));
    at += c;
  }
  return out;
}
