/** `DataLoader`: batches of a dataset as tensors, optionally shuffled (seeded) and transformed. */
import { ArgumentError, type Tensor } from '@myelin/core';
import { drawSeed, permutation } from '../random/rng.js';
import type { Transform } from '../transforms/transform.js';
import { collateField } from './collate.js';
import type { Batch, Dataset, TensorPair } from './types.js';

/** Options of a `DataLoader`. Defaults follow PyTorch, except `batchSize` (32). */
export interface DataLoaderOptions {
  /** Samples per batch (default 32). */
  batchSize?: number;
  /** A new random order every epoch (default false). */
  shuffle?: boolean;
  /**
   * Seed of the shuffle: epoch `k` of two loaders with the same seed visits the same order. Default: drawn
   * from core's global generator when the loader is made, so `manualSeed` makes it reproducible too.
   */
  seed?: number;
  /** Drop the last batch when it is smaller than `batchSize` (default false). */
  dropLast?: boolean;
  /** Applied to each batch's `x` on the backend (augmentation, normalisation); see `compose`. */
  transform?: Transform;
  /** Applied to each batch's `y`. */
  targetTransform?: Transform;
}

class LoadedBatch implements Batch {
  constructor(
    readonly x: Tensor,
    readonly y: Tensor,
  ) {}

  dispose(): void {
    this.x.dispose();
    this.y.dispose();
  }

  [Symbol.dispose](): void {
    this.dispose();
  }
}

/**
 * Iterates over a dataset in batches of tensors. Each `for await` pass is one epoch; with `shuffle`, each
 * epoch has its own order, reproducible from `seed`. Batches belong to the caller: dispose them, or
 * write `for await (using batch of loader)`.
 *
 * @example
 * ```ts
 * const loader = new DataLoader(TensorDataset.from(digits()), { batchSize: 64, shuffle: true, seed: 1 });
 * for (let epoch = 0; epoch < 10; epoch++) {
 *   for await (using { x, y } of loader) {
 *     trainStep(x, y);
 *   }
 * }
 * ```
 */
export class DataLoader implements AsyncIterable<Batch> {
  readonly batchSize: number;
  readonly shuffle: boolean;
  readonly dropLast: boolean;
  readonly seed: number;
  private readonly transform: Transform | undefined;
  private readonly targetTransform: Transform | undefined;
  /** The epoch the next pass will run (starts at 0; every pass started adds one). */
  epoch = 0;

  constructor(
    readonly dataset: Dataset,
    options: DataLoaderOptions = {},
  ) {
    const { batchSize = 32, shuffle = false, dropLast = false } = options;
    if (!Number.isInteger(batchSize) || batchSize < 1) {
      throw new ArgumentError('DataLoader', `batchSize must be a positive integer, got ${batchSize}`);
    }
    if (options.seed !== undefined && (!Number.isSafeInteger(options.seed) || options.seed < 0)) {
      throw new ArgumentError('DataLoader', `seed must be a non-negative integer, got ${options.seed}`);
    }
    if (
      !dataset ||
      !Number.isInteger(dataset.length) ||
      dataset.length < 0 ||
      typeof dataset.get !== 'function'
    ) {
      throw new ArgumentError('DataLoader', 'dataset must have an integer length and a get(index) method');
    }
    this.batchSize = batchSize;
    this.shuffle = shuffle;
    this.dropLast = dropLast;
    this.seed = options.seed ?? (shuffle ? drawSeed() : 0);
    this.transform = options.transform;
    this.targetTransform = options.targetTransform;
  }

  /** Number of batches in one epoch. */
  get length(): number {
    const n = this.dataset.length;
    return this.dropLast ? Math.floor(n / this.batchSize) : Math.ceil(n / this.batchSize);
  }

  /** The order in which epoch `epoch` visits the samples. */
  order(epoch: number): Int32Array {
    const n = this.dataset.length;
    if (this.shuffle) return permutation(n, this.seed, epoch);
    const identity = new Int32Array(n);
    for (let i = 0; i < n; i++) identity[i] = i;
    return identity;
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Batch, void, undefined> {
    const order = this.order(this.epoch++);
    for (let b = 0; b < this.length; b++) {
      const indices = Array.from(order.subarray(b * this.batchSize, (b + 1) * this.batchSize));
      yield await this.load(indices);
    }
  }

  /** The batch of the samples at `indices`, stacked and transformed. */
  async load(indices: readonly number[]): Promise<Batch> {
    const raw = await this.fetch(indices);
    let x = raw.x;
    let y = raw.y;
    try {
      x = applyTransform(this.transform, x);
      y = applyTransform(this.targetTransform, y);
    } catch (e) {
      x.dispose();
      y.dispose();
      throw e;
    }
    return new LoadedBatch(x, y);
  }

  private async fetch(indices: readonly number[]): Promise<TensorPair> {
    const ds = this.dataset;
    if (ds.getBatch) return ds.getBatch(indices);
    const samples = await Promise.all(indices.map((i) => ds.get(i)));
    const x = collateField(
      samples.map((s) => s.x),
      'x',
      ds,
    );
    try {
      return {
        x,
        y: collateField(
          samples.map((s) => s.y),
          'y',
          ds,
        ),
      };
    } catch (e) {
      x.dispose();
      throw e;
    }
  }
}

/** Runs `transform` on `t` and frees `t` if the transform made a new tensor. */
function applyTransform(transform: Transform | undefined, t: Tensor): Tensor {
  if (!transform) return t;
  const out = transform(t);
  if (out !== t) t.dispose();
  return out;
}
