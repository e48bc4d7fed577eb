/**
 * `fit` and `evaluate`: the training loop, written once so that every step is scoped (`tidy`) and memory
 * stays flat. The optimiser is typed structurally (anything with `step()` and `zeroGrad()`), so this
 * package does not depend on `@myelin/optim`.
 */
import {
  ArgumentError,
  argmax,
  cast,
  equal,
  greater,
  keep,
  noGrad,
  sum,
  type Tensor,
  tidy,
} from '@myelin/core';
import type { Module } from './module.js';

/** One mini-batch: inputs and targets. */
export interface Batch {
  x: Tensor;
  y: Tensor;
}

/** Batches: an array, any (async) iterable (a DataLoader), or a function giving the batches of an epoch. */
export type BatchSource =
  | Iterable<Batch>
  | AsyncIterable<Batch>
  | ((epoch: number) => Iterable<Batch> | AsyncIterable<Batch>);

/** What `fit` needs of an optimiser (`@myelin/optim`'s optimisers have it). */
export interface StepOptimizer {
  step(): void;
  zeroGrad(): void;
}

/** What `fit` needs of a learning-rate schedule: stepped once per epoch. */
export interface EpochScheduler {
  step(): void;
}

/** A loss: model output and targets to a scalar tensor. */
export type LossFn = (output: Tensor, target: Tensor) => Tensor;

/**
 * A metric: its name, and a function returning the batch's *sum* of per-sample scores (a scalar tensor);
 * the loop divides by the number of samples.
 */
export interface MetricFn {
  name: string;
  fn: (output: Tensor, target: Tensor) => Tensor;
}

/** `'accuracy'` is built in (argmax for [N, C] outputs, threshold 0.5 for [N] or [N, 1] probabilities). */
export type Metric = 'loss' | 'accuracy' | MetricFn;

/** Logged after every batch. */
export interface BatchLog {
  epoch: number;
  /** Batch index within the epoch. */
  batch: number;
  /** Optimiser steps since the start of `fit` (plus `initialStep`). */
  step: number;
  /** Samples in this batch. */
  size: number;
  /** This batch's loss. */
  loss: number;
  /** Training throughput of the epoch so far. */
  samplesPerSecond: number;
}

/** Logged after every epoch: training metrics, then validation metrics prefixed `val`. */
export interface EpochLog {
  epoch: number;
  /** Optimiser steps so far. */
  step: number;
  loss: number;
  accuracy?: number;
  valLoss?: number;
  valAccuracy?: number;
  /** Custom metrics, and their `val` versions (`valMyMetric`). */
  metrics: Record<string, number>;
  samples: number;
  seconds: number;
  samplesPerSecond: number;
}

/** Early stopping: stop when `monitor` has not improved by `minDelta` for `patience` epochs. */
export interface EarlyStopping {
  patience: number;
  /** Default `valLoss` with validation data, else `loss`. Losses are minimised, anything else maximised. */
  monitor?: string;
  minDelta?: number;
  /** Put back the weights of the best epoch when stopping or finishing (default false). */
  restoreBest?: boolean;
}

/** Options of `fit`. */
export interface FitOptions {
  optimizer: StepOptimizer;
  loss: LossFn;
  train: BatchSource;
  /** Number of epochs (default 1). */
  epochs?: number;
  /** Start counting epochs here (resuming a run: `initialEpoch` done, `epochs` in total). */
  initialEpoch?: number;
  /** Start counting steps here (resuming). */
  initialStep?: number;
  validation?: BatchSource;
  /** Metrics to compute (default `['loss']`; the loss is always computed). */
  metrics?: Metric[];
  callbacks?: {
    onBatchEnd?: (log: BatchLog) => void | Promise<void>;
    /** Return `'stop'` to end training after this epoch. */
    onEpochEnd?: (log: EpochLog) => 'stop' | undefined | Promise<'stop' | undefined>;
  };
  earlyStopping?: EarlyStopping;
  /** Stepped after every epoch (a learning-rate schedule). */
  scheduler?: EpochScheduler;
  /**
   * Dispose each batch's tensors after its step. Default: false when the source is an array (or a
   * function returning one), whose batches are reused every epoch; true for other iterables (a
   * DataLoader makes fresh tensors per batch).
   */
  disposeBatches?: boolean;
  /** Aborting stops after the current batch. */
  signal?: AbortSignal;
}

/** What `fit` returns. */
export interface History {
  epochs: EpochLog[];
  /** Optimiser steps taken in total (including `initialStep`). */
  steps: number;
  stoppedEarly: boolean;
  /** The epoch with the best monitored value (with early stopping). */
  bestEpoch?: number;
}

function sourceFor(source: BatchSource, epoch: number): Iterable<Batch> | AsyncIterable<Batch> {
  const s = typeof source === 'function' ? source(epoch) : source;
  if (s === null || typeof s !== 'object' || !(Symbol.iterator in s || Symbol.asyncIterator in s)) {
    throw new ArgumentError(
      'fit',
      'batches must be an iterable or async iterable of {x, y} (or a function returning one)',
    );
  }
  return s;
}

function checkBatch(b: Batch): void {
  if (b === null || typeof b !== 'object' || !b.x || !b.y || !('shape' in b.x) || !('shape' in b.y)) {
    throw new ArgumentError('fit', 'every batch must be an object {x: Tensor, y: Tensor}');
  }
}

function batchSize(b: Batch): number {
  return b.x.rank === 0 ? 1 : (b.x.shape[0] as number);
}

/** The number of correct predictions in a batch (a scalar tensor). */
export function correctCount(output: Tensor, target: Tensor): Tensor {
  const binary = output.rank === 1 || (output.rank === 2 && output.shape[1] === 1);
  if (binary) {
    const pred = greater(output.reshape([-1]), 0.5);
    const truth = greater(cast(target, 'float32').reshape([-1]), 0.5);
    return sum(cast(equal(pred, truth), 'int32'));
  }
  const pred = argmax(output, -1);
  const truth = target.dtype === 'int32' ? target : argmax(target, -1);
  return sum(cast(equal(pred, truth), 'int32'));
}

function metricFns(metrics: readonly Metric[]): MetricFn[] {
  const out: MetricFn[] = [];
  for (const m of metrics) {
    if (m === 'loss') continue;
    if (m === 'accuracy') out.push({ name: 'accuracy', fn: correctCount });
    else if (m && typeof m === 'object' && typeof m.fn === 'function' && typeof m.name === 'string')
      out.push(m);
    else throw new ArgumentError('fit', `unknown metric ${JSON.stringify(m)}`);
  }
  return out;
}

async function scalarOf(t: Tensor): Promise<number> {
  const v = (await t.data())[0] as number;
  t.dispose();
  return v;
}

function disposeBatch(b: Batch): void {
  b.x.dispose();
  b.y.dispose();
}

/** Options of `evaluate`. */
export interface EvaluateOptions {
  /** The loss to report (omit to skip it). */
  loss?: LossFn;
  /** Default `['loss', 'accuracy']` when a loss is given, else `['accuracy']`. */
  metrics?: Metric[];
  /** Dispose batches after use (default as in `fit`). */
  disposeBatches?: boolean;
}

/** What `evaluate` returns: the loss (mean over samples), each metric, and the sample count. */
export interface Evaluation {
  loss?: number;
  accuracy?: number;
  metrics: Record<string, number>;
  samples: number;
}

/**
 * Runs the model over `batches` in evaluation mode without gradients, averaging the loss (weighted by
 * batch size; a `'mean'` loss is assumed) and metrics over samples. The model's mode is restored.
 *
 * @example
 * ```ts
 * const { loss, accuracy } = await evaluate(model, testBatches, { loss: crossEntropy });
 * ```
 */
export async function evaluate(
  model: Module,
  batches: BatchSource,
  options: EvaluateOptions = {},
): Promise<Evaluation> {
  const metrics = metricFns(options.metrics ?? (options.loss ? ['loss', 'accuracy'] : ['accuracy']));
  const wasTraining = model.training;
  const modes = model.modules().map((m) => [m, m.training] as const);
  model.eval();
  const source = sourceFor(batches, 0);
  const dispose = options.disposeBatches ?? !Array.isArray(source);
  let lossSum = 0;
  let samples = 0;
  const sums = new Map<string, number>(metrics.map((m) => [m.name, 0]));
  try {
    for await (const b of source) {
      checkBatch(b);
      const n = batchSize(b);
      const out = noGrad(() =>
        tidy(() => {
          const pred = model.forward(b.x);
          return {
            loss: options.loss ? options.loss(pred, b.y) : null,
            values: metrics.map((m) => cast(m.fn(pred, b.y), 'float32')),
          };
        }),
      );
      if (out.loss) lossSum += (await scalarOf(out.loss)) * n;
      for (let i = 0; i < metrics.length; i++) {
        const name = (metrics[i] as MetricFn).name;
        sums.set(name, (sums.get(name) as number) + (await scalarOf(out.values[i] as Tensor)));
      }
      samples += n;
      if (dispose) disposeBatch(b);
    }
  } finally {
    for (const [m, t] of modes) m.training = t;
    model.training = wasTraining;
  }
  const result: Evaluation = { metrics: {}, samples };
  if (options.loss) result.loss = samples > 0 ? lossSum / samples : Number.NaN;
  for (const [name, s] of sums) {
    const v = samples > 0 ? s / samples : Number.NaN;
    if (name === 'accuracy') result.accuracy = v;
    else result.metrics[name] = v;
  }
  return result;
}

function isLossName(name: string): boolean {
  return /loss$/i.test(name);
}

function monitored(log: EpochLog, name: string): number | undefined {
  const direct = (log as unknown as Record<string, unknown>)[name];
  if (typeof direct === 'number') return direct;
  return log.metrics[name];
}

/**
 * Trains `model` for `epochs` epochs. Each step runs inside `tidy` (zero the gradients, forward, loss,
 * backward, optimiser step), so the number of live tensors does not grow from step to step. Reports
 * loss, metrics and throughput per batch and per epoch; supports validation, early stopping, a
 * per-epoch learning-rate schedule and abort.
 *
 * @example
 * ```ts
 * const history = await fit(model, {
 *   optimizer: new Adam(model.parameters(), { lr: 1e-3 }),
 *   loss: crossEntropy,
 *   train: (epoch) => loader.batches(epoch),
 *   validation: valBatches,
 *   epochs: 10,
 *   metrics: ['loss', 'accuracy'],
 *   callbacks: { onEpochEnd: (log) => console.log(log.epoch, log.loss, log.valAccuracy) },
 *   earlyStopping: { patience: 3 },
 * });
 * ```
 */
export async function fit(model: Module, options: FitOptions): Promise<History> {
  const { optimizer, loss } = options;
  if (!optimizer || typeof optimizer.step !== 'function' || typeof optimizer.zeroGrad !== 'function') {
    throw new ArgumentError('fit', 'optimizer must have step() and zeroGrad()');
  }
  if (typeof loss !== 'function')
    throw new ArgumentError('fit', 'loss must be a function (output, target) => scalar tensor');
  const epochs = options.epochs ?? 1;
  const firstEpoch = options.initialEpoch ?? 0;
  if (!Number.isInteger(epochs) || epochs < 0)
    throw new ArgumentError('fit', `epochs must be a non-negative integer, got ${epochs}`);
  const metrics = metricFns(options.metrics ?? ['loss']);
  const es = options.earlyStopping;
  if (es && !(Number.isInteger(es.patience) && es.patience >= 0)) {
    throw new ArgumentError(
      'fit',
      `earlyStopping.patience must be a non-negative integer, got ${es.patience}`,
    );
  }
  const monitor = es?.monitor ?? (options.validation ? 'valLoss' : 'loss');
  const minimise = isLossName(monitor);
  let best = minimise ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
  let bestEpoch: number | undefined;
  let bestWeights: Record<string, Tensor> | null = null;
  let sinceBest = 0;
  let stoppedEarly = false;
  let step = options.initialStep ?? 0;
  const history: EpochLog[] = [];

  try {
    for (let epoch = firstEpoch; epoch < epochs; epoch++) {
      model.train();
      const source = sourceFor(options.train, epoch);
      const dispose = options.disposeBatches ?? !Array.isArray(source);
      const started = performance.now();
      let samples = 0;
      let lossSum = 0;
      const sums = new Map<string, number>(metrics.map((m) => [m.name, 0]));
      let batchIndex = 0;
      for await (const b of source) {
        checkBatch(b);
        const n = batchSize(b);
        const out = tidy(() => {
          optimizer.zeroGrad();
          const pred = model.forward(b.x);
          const l = loss(pred, b.y);
          if (l.size !== 1)
            throw new ArgumentError('fit', `the loss must be a scalar, got [${l.shape.join(',')}]`);
          l.backward();
          optimizer.step();
          const values = noGrad(() => metrics.map((m) => cast(m.fn(pred, b.y), 'float32')));
          return { loss: l.detach(), values };
        });
        step += 1;
        const batchLoss = await scalarOf(out.loss);
        lossSum += batchLoss * n;
        for (let i = 0; i < metrics.length; i++) {
          const name = (metrics[i] as MetricFn).name;
          sums.set(name, (sums.get(name) as number) + (await scalarOf(out.values[i] as Tensor)));
        }
        samples += n;
        if (dispose) disposeBatch(b);
        if (options.callbacks?.onBatchEnd) {
          const seconds = (performance.now() - started) / 1000;
          await options.callbacks.onBatchEnd({
            epoch,
            batch: batchIndex,
            step,
            size: n,
            loss: batchLoss,
            samplesPerSecond: seconds > 0 ? samples / seconds : 0,
          });
        }
        batchIndex++;
        if (options.signal?.aborted) break;
      }
      const seconds = (performance.now() - started) / 1000;
      const log: EpochLog = {
        epoch,
        step,
        loss: samples > 0 ? lossSum / samples : Number.NaN,
        metrics: {},
        samples,
        seconds,
        samplesPerSecond: seconds > 0 ? samples / seconds : 0,
      };
      for (const [name, s] of sums) {
        const v = samples > 0 ? s / samples : Number.NaN;
        if (name === 'accuracy') log.accuracy = v;
        else log.metrics[name] = v;
      }
      if (options.validation) {
        const val = await evaluate(
          model,
          typeof options.validation === 'function' ? options.validation(epoch) : options.validation,
          {
            loss,
            metrics: options.metrics ?? ['loss'],
          },
        );
        log.valLoss = val.loss;
        if (val.accuracy !== undefined) log.valAccuracy = val.accuracy;
        for (const [k, v] of Object.entries(val.metrics))
          log.metrics[`val${k[0]?.toUpperCase()}${k.slice(1)}`] = v;
      }
      history.push(log);
      options.scheduler?.step();
      const verdict = await options.callbacks?.onEpochEnd?.(log);
      if (es) {
        const value = monitored(log, monitor);
        if (value === undefined) {
          throw new ArgumentError(
            'fit',
            `earlyStopping monitors '${monitor}', which this run does not compute`,
          );
        }
        const improved = minimise ? value < best - (es.minDelta ?? 0) : value > best + (es.minDelta ?? 0);
        if (improved) {
          best = value;
          bestEpoch = epoch;
          sinceBest = 0;
          if (es.restoreBest) {
            const snapshot = tidy(() => {
              const copy: Record<string, Tensor> = {};
              for (const [k, t] of Object.entries(model.stateDict())) copy[k] = keep(t.clone());
              return copy;
            });
            if (bestWeights) for (const t of Object.values(bestWeights)) t.dispose();
            bestWeights = snapshot;
          }
        } else {
          sinceBest += 1;
          if (sinceBest >= es.patience) stoppedEarly = true;
        }
      }
      if (verdict === 'stop' || stoppedEarly || options.signal?.aborted) break;
    }
    if (bestWeights) model.loadStateDict(bestWeights);
  } finally {
    if (bestWeights) for (const t of Object.values(bestWeights)) t.dispose();
  }
  const result: History = { epochs: history, steps: step, stoppedEarly };
  if (bestEpoch !== undefined) result.bestEpoch = bestEpoch;
  return result;
}
