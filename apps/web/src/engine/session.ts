/**
 * One training run inside the worker: the data as tensors, the model, its loss and optimiser, the
 * position in the epoch, and the measurements the page draws. It never knows which backend runs: a
 * backend switch moves its tensors (core's setBackend) and the next step simply continues.
 */
import {
  argmax,
  cast,
  concat,
  equal,
  gather,
  getBackendName,
  keep,
  manualSeed,
  mean,
  noGrad,
  reshape,
  slice,
  softmax,
  sqrt,
  square,
  sum,
  type Tensor,
  tensor,
  tidy,
  zeros,
} from '@myelin/core';
import { permutation } from '@myelin/data';
import type { Module } from '@myelin/layers';
import type { PlaygroundConfig, Progress, RunInfo } from '../protocol.js';
import { gridPoints, type PreparedData, prepareData } from './datasets.js';
import {
  type BuiltModel,
  buildModel,
  deadFraction,
  type LossFn,
  lossFunction,
  makeOptimizer,
} from './model.js';

/** Cells per side of the decision-boundary grid. */
export const GRID_SIZE = 48;

/** Checks a configuration from the page or from a file, so that a bad one fails with a clear message. */
export function validateConfig(c: PlaygroundConfig): void {
  const bad = (what: string) => {
    throw new Error(`invalid settings: ${what}`);
  };
  if (!Number.isInteger(c.depth) || c.depth < 0 || c.depth > 8) bad(`depth must be 0..8, got ${c.depth}`);
  if (!Number.isInteger(c.width) || c.width < 1 || c.width > 512) bad(`width must be 1..512, got ${c.width}`);
  if (!(c.dropout >= 0 && c.dropout < 1)) bad(`dropout must be in [0, 1), got ${c.dropout}`);
  if (!(c.lr > 0 && c.lr <= 10)) bad(`learning rate must be in (0, 10], got ${c.lr}`);
  if (!Number.isInteger(c.batchSize) || c.batchSize < 2 || c.batchSize > 1024)
    bad(`batch size must be 2..1024, got ${c.batchSize}`);
  if (!(c.noise >= 0 && c.noise <= 2)) bad(`noise must be in [0, 2], got ${c.noise}`);
  if (!Number.isInteger(c.seed) || c.seed < 0) bad(`seed must be a whole number ≥ 0, got ${c.seed}`);
}

export class Session {
  readonly built: BuiltModel;
  readonly optimizer: ReturnType<typeof makeOptimizer>;
  readonly lossFn: LossFn;
  step = 0;
  epoch = 0;
  private readonly xTrain: Tensor;
  private readonly yTrain: Tensor;
  private readonly xTest: Tensor;
  private readonly yTest: Tensor;
  private readonly grid?: Tensor;
  /** This epoch's sample order, on the backend. */
  private order: Tensor;
  private cursor = 0;
  /** Sum of the minibatch losses since the last report, on the backend (read only when reporting). */
  private lossSum: Tensor;
  private lossCount = 0;
  private lastReport = { time: performance.now(), step: 0 };

  private constructor(
    readonly config: PlaygroundConfig,
    readonly data: PreparedData,
    readonly origin: RunInfo['origin'],
  ) {
    this.xTrain = tensor(data.train.x, { shape: [data.train.n, data.features] });
    this.yTrain = tensor(data.train.y, { shape: [data.train.n], dtype: 'int32' });
    this.xTest = tensor(data.test.x, { shape: [data.test.n, data.features] });
    this.yTest = tensor(data.test.y, { shape: [data.test.n], dtype: 'int32' });
    if (data.view) {
      const points = gridPoints(data.view.train.extent, GRID_SIZE, data.mean, data.std);
      this.grid = tensor(points, { shape: [GRID_SIZE * GRID_SIZE, 2] });
    }
    // The weights depend on the seed alone, whichever backend draws them (Philox on every backend).
    manualSeed(config.seed);
    this.built = buildModel(config, data.features, data.numClasses);
    this.optimizer = makeOptimizer(config.optimizer, this.built.model.parameters(), config.lr);
    this.lossFn = lossFunction(config.loss, data.numClasses);
    this.order = this.shuffled();
    this.lossSum = zeros([]);
  }

  /** Builds the data and the model of `config` on the active backend. */
  static async create(config: PlaygroundConfig, origin: RunInfo['origin'] = 'built'): Promise<Session> {
    validateConfig(config);
    const data = await prepareData(config.dataset, config.noise, config.seed);
    return new Session(config, data, origin);
  }

  get model(): Module {
    return this.built.model;
  }

  private shuffled(): Tensor {
    const order = permutation(this.data.train.n, this.config.seed, 7919, this.epoch);
    return tensor(order, { dtype: 'int32' });
  }

  /** Steps per epoch: full batches only, so batch norm never sees a batch of one. */
  get stepsPerEpoch(): number {
    return Math.max(1, Math.floor(this.data.train.n / this.config.batchSize));
  }

  /** One optimiser step on the next minibatch. Queued on the backend; nothing is read back. */
  trainStep(): void {
    const bs = Math.min(this.config.batchSize, this.data.train.n);
    if (this.cursor + bs > this.data.train.n) {
      this.epoch += 1;
      this.cursor = 0;
      this.order.dispose();
      this.order = this.shuffled();
    }
    const start = this.cursor;
    this.cursor += bs;
    const { model } = this.built;
    const next = tidy(() => {
      const idx = slice(this.order, [start], [start + bs]);
      const xb = gather(this.xTrain, idx);
      const yb = gather(this.yTrain, idx);
      this.optimizer.zeroGrad();
      const loss = this.lossFn(model.forward(xb), yb);
      loss.backward();
      this.optimizer.step();
      return keep(this.lossSum.add(loss.detach()));
    });
    this.lossSum.dispose();
    this.lossSum = next;
    this.lossCount += 1;
    this.step += 1;
  }

  /** Runs `n` steps and waits until the backend has finished them (one small read). */
  async train(n: number): Promise<void> {
    for (let i = 0; i < n; i++) this.trainStep();
    await this.lossSum.data();
  }

  /** Continues from a saved position (a loaded checkpoint). */
  restorePosition(step: number, epoch: number): void {
    this.step = step;
    this.epoch = epoch;
    this.order.dispose();
    this.order = this.shuffled();
    this.lastReport = { time: performance.now(), step };
  }

  /** What the page shows about this run, with a first measurement. */
  async info(): Promise<RunInfo> {
    const initial = await this.measure();
    const { config, data } = this;
    const hidden = Array.from({ length: config.depth }, (_, i) => `layer ${i + 1}`);
    const parameters = this.built.model.parameters().reduce((n, p) => n + p.size, 0);
    return {
      config,
      numClasses: data.numClasses,
      inputSize: data.features,
      trainSize: data.train.n,
      testSize: data.test.n,
      parameters,
      summary: this.built.model.toString(),
      layerNames: [...hidden, 'output'],
      hiddenNames: hidden,
      ...(data.view ? { trainPoints: data.view.train, testPoints: data.view.test } : {}),
      origin: this.origin,
      initial,
    };
  }

  /**
   * Measures the model now: losses and accuracies on the full splits, gradient norms of the last step,
   * dead units per hidden layer, and the class probabilities over the plot's grid. Two reads in all.
   */
  async measure(): Promise<Progress> {
    const { model, linears, activations } = this.built;
    const activation = this.config.activation;
    const wasTraining = model.training;
    model.eval();
    let scalars: Tensor;
    let gridProbs: Tensor | undefined;
    try {
      ({ scalars, gridProbs } = noGrad(() =>
        tidy(() => {
          // Forward through the layers one by one, so each activation's output can be inspected.
          let h = this.xTrain;
          const dead: Tensor[] = [];
          for (const layer of model) {
            h = layer.forward(h);
            if (activations.includes(layer)) dead.push(deadFraction(activation, h));
          }
          const trainLoss = this.lossFn(h, this.yTrain);
          const trainAcc = accuracy(h, this.yTrain);
          const testAcc = accuracy(model.forward(this.xTest), this.yTest);
          const norms = linears.map((l) => (l.weight.grad ? sqrt(sum(square(l.weight.grad))) : zeros([])));
          const meanLoss = this.lossCount > 0 ? this.lossSum.div(this.lossCount) : trainLoss;
          const parts = [meanLoss, trainLoss, trainAcc, testAcc, ...norms, ...dead].map((t) =>
            reshape(t, [1]),
          );
          return {
            scalars: concat(parts),
            gridProbs: this.grid ? softmax(model.forward(this.grid), -1) : undefined,
          };
        }),
      ));
    } finally {
      model.train(wasTraining);
    }
    const values = await scalars.data();
    scalars.dispose();
    let grid: Progress['grid'];
    if (gridProbs) {
      grid = { size: GRID_SIZE, probs: Float32Array.from(await gridProbs.data()) };
      gridProbs.dispose();
    }
    const now = performance.now();
    const seconds = (now - this.lastReport.time) / 1000;
    const stepsPerSecond = seconds > 0 ? (this.step - this.lastReport.step) / seconds : 0;
    this.lastReport = { time: now, step: this.step };
    this.lossSum.dispose();
    this.lossSum = zeros([]);
    this.lossCount = 0;
    const nL = linears.length;
    const v = Array.from(values, Number);
    return {
      step: this.step,
      epoch: this.epoch,
      loss: v[0] as number,
      trainLoss: v[1] as number,
      trainAccuracy: v[2] as number,
      testAccuracy: v[3] as number,
      gradNorms: v.slice(4, 4 + nL),
      deadFractions: v.slice(4 + nL),
      ...(grid ? { grid } : {}),
      stepsPerSecond,
      backend: getBackendName() ?? '?',
    };
  }

  /** Class probabilities of one input (already scaled like the data). */
  async predict(pixels: Float32Array): Promise<number[]> {
    const { model } = this.built;
    if (pixels.length !== this.data.features) {
      throw new Error(`the model takes ${this.data.features} inputs, got ${pixels.length}`);
    }
    const wasTraining = model.training;
    model.eval();
    try {
      const probs = noGrad(() =>
        tidy(() => softmax(model.forward(tensor(pixels, { shape: [1, this.data.features] })), -1)),
      );
      const out = Array.from(await probs.data(), Number);
      probs.dispose();
      return out;
    } finally {
      model.train(wasTraining);
    }
  }

  /** Frees every tensor of the run. */
  dispose(): void {
    this.built.model.dispose();
    this.optimizer.dispose();
    for (const t of [this.xTrain, this.yTrain, this.xTest, this.yTest, this.order, this.lossSum]) t.dispose();
    this.grid?.dispose();
  }
}

/** The fraction of rows whose arg-max matches the label, as a scalar tensor. */
function accuracy(logits: Tensor, labels: Tensor): Tensor {
  return mean(cast(equal(argmax(logits, 1), labels), 'float32'));
}
