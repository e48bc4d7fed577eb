/**
 * A plain training loop over tensors already on the backend, and the evaluations the experiments share.
 * Unlike `fit` it reads the loss once per epoch (not once per batch), stops on a non-finite loss (the
 * batch-norm experiment diverges on purpose) and takes a per-batch transform (augmentation).
 */
import {
  add,
  argmax,
  cast,
  equal,
  gather,
  keep,
  mean,
  noGrad,
  type Tensor,
  tensor,
  tidy,
} from '@myelin/core';
import { permutation } from '@myelin/data';
import type { Module, StepOptimizer } from '@myelin/layers';

/** Options of `train`. */
export interface TrainOptions {
  /** Inputs [n, ...] and targets [n, ...]. */
  x: Tensor;
  y: Tensor;
  epochs: number;
  /** Samples per step; ≥ n trains on the full batch. */
  batchSize: number;
  optimizer: StepOptimizer;
  loss: (output: Tensor, target: Tensor) => Tensor;
  /** Seed of the shuffles (epoch e visits `permutation(n, seed, e)`). */
  seed: number;
  /** Applied to each batch's inputs before the forward pass (augmentation). */
  transform?: (x: Tensor) => Tensor;
  /** Called after each epoch with its mean loss; return (or resolve to) `'stop'` to end training. */
  afterEpoch?: (epoch: number, loss: number) => unknown;
}

/** What `train` returns: the mean training loss of each epoch, and whether the loss became non-finite. */
export interface TrainResult {
  losses: number[];
  diverged: boolean;
}

/**
 * Trains `model` in mini-batches for `options.epochs` epochs (fewer if the loss stops being finite or
 * `afterEpoch` says stop). Every step runs inside `tidy`; the epoch's loss is summed on the backend and
 * read once.
 *
 * @example
 * ```ts
 * const { losses } = await train(model, { x, y, epochs: 10, batchSize: 64, optimizer, loss: crossEntropy, seed: 1 });
 * ```
 */
export async function train(model: Module, options: TrainOptions): Promise<TrainResult> {
  const { x, y, epochs, optimizer, loss } = options;
  const n = x.shape[0] as number;
  const batchSize = Math.min(options.batchSize, n);
  const losses: number[] = [];
  for (let epoch = 0; epoch < epochs; epoch++) {
    model.train();
    const order = batchSize >= n ? null : permutation(n, options.seed, epoch);
    let total: Tensor | null = null;
    for (let start = 0; start < n; start += batchSize) {
      const end = Math.min(start + batchSize, n);
      const idx = order ? tensor(order.slice(start, end), { dtype: 'int32' }) : null;
      const weighted = tidy(() => {
        let xb = idx ? gather(x, idx, 0) : x;
        const yb = idx ? gather(y, idx, 0) : y;
        if (options.transform) xb = options.transform(xb);
        optimizer.zeroGrad();
        const l = loss(model.forward(xb), yb);
        l.backward();
        optimizer.step();
        const contribution = l.detach().mul((end - start) / n);
        return keep(total ? add(total, contribution) : contribution);
      });
      idx?.dispose();
      total?.dispose();
      total = weighted;
    }
    const epochLoss = total ? ((await total.data())[0] as number) : Number.NaN;
    total?.dispose();
    losses.push(epochLoss);
    if (!Number.isFinite(epochLoss)) return { losses, diverged: true };
    if ((await options.afterEpoch?.(epoch, epochLoss)) === 'stop') break;
  }
  return { losses, diverged: false };
}

/** Runs `fn` with `model` in evaluation mode and without gradients, then restores every module's mode. */
export function inEval<T>(model: Module, fn: () => T): T {
  const modes = model.modules().map((m) => [m, m.training] as const);
  model.eval();
  try {
    return noGrad(fn);
  } finally {
    for (const [m, t] of modes) m.training = t;
  }
}

/** The fraction of `y` (int32 [n]) that the argmax of `scores` ([n, C]) gets right. */
export async function accuracyOfScores(scores: Tensor, y: Tensor): Promise<number> {
  const acc = tidy(() => mean(cast(equal(argmax(scores, -1), y), 'float32')));
  const v = (await acc.data())[0] as number;
  acc.dispose();
  return v;
}

/** Classification accuracy of `model` on (x, y), in evaluation mode. */
export async function accuracy(model: Module, x: Tensor, y: Tensor): Promise<number> {
  const scores = inEval(model, () => tidy(() => model.forward(x)));
  try {
    return await accuracyOfScores(scores, y);
  } finally {
    scores.dispose();
  }
}

/** Mean loss and accuracy of `model` on (x, y), in evaluation mode. */
export async function evaluateModel(
  model: Module,
  x: Tensor,
  y: Tensor,
  loss: (output: Tensor, target: Tensor) => Tensor,
): Promise<{ loss: number; accuracy: number }> {
  const { scores, l } = inEval(model, () =>
    tidy(() => {
      const s = model.forward(x);
      return { scores: s, l: loss(s, y) };
    }),
  );
  try {
    return { loss: (await l.data())[0] as number, accuracy: await accuracyOfScores(scores, y) };
  } finally {
    scores.dispose();
    l.dispose();
  }
}

/** Reads a scalar tensor and frees it. */
export async function readScalar(t: Tensor): Promise<number> {
  try {
    return (await t.data())[0] as number;
  } finally {
    t.dispose();
  }
}

/** Reads a tensor's values as a plain array and frees it. */
export async function readArray(t: Tensor): Promise<number[]> {
  try {
    return Array.from(await t.data());
  } finally {
    t.dispose();
  }
}

/** Per-epoch train and test loss and accuracy (both measured in evaluation mode after the epoch). */
export interface TrackedCurves {
  trainLoss: number[];
  trainAccuracy: number[];
  testLoss: number[];
  testAccuracy: number[];
}

/**
 * `train`, measuring the loss and accuracy on the whole training set and on the test set after every
 * `every` epochs (and after the last), in evaluation mode — the numbers whose gap shows overfitting.
 */
export async function trainTracked(
  model: Module,
  options: TrainOptions & { xTest: Tensor; yTest: Tensor; every?: number },
): Promise<TrackedCurves & { epochs: number[] }> {
  const curves: TrackedCurves & { epochs: number[] } = {
    trainLoss: [],
    trainAccuracy: [],
    testLoss: [],
    testAccuracy: [],
    epochs: [],
  };
  const every = options.every ?? 1;
  await train(model, {
    ...options,
    afterEpoch: async (epoch, loss) => {
      if ((epoch + 1) % every === 0 || epoch + 1 === options.epochs) {
        const tr = await evaluateModel(model, options.x, options.y, options.loss);
        const te = await evaluateModel(model, options.xTest, options.yTest, options.loss);
        curves.epochs.push(epoch + 1);
        curves.trainLoss.push(tr.loss);
        curves.trainAccuracy.push(tr.accuracy);
        curves.testLoss.push(te.loss);
        curves.testAccuracy.push(te.accuracy);
      }
      return options.afterEpoch?.(epoch, loss);
    },
  });
  return curves;
}
