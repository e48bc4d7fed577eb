/**
 * Batch normalisation (Ioffe & Szegedy) as PyTorch: in training, normalise by the batch's mean and biased
 * variance and update running statistics (the unbiased variance, with `momentum`); in evaluation,
 * normalise by the running statistics.
 */
import {
  ArgumentError,
  add,
  cast,
  div,
  full,
  mean,
  mul,
  noGrad,
  ones,
  reshape,
  rsqrt,
  square,
  sub,
  type Tensor,
  tidy,
  zeros,
} from '@myelin/core';
import { Module } from './module.js';

/** Options of the batch-norm layers (PyTorch's defaults). */
export interface BatchNormOptions {
  /** Added to the variance before the square root (default 1e-5). */
  eps?: number;
  /** Weight of the new batch in the running statistics (default 0.1); `null` keeps a cumulative average. */
  momentum?: number | null;
  /** Learn a per-channel scale `weight` (init 1) and shift `bias` (init 0) (default true). */
  affine?: boolean;
  /** Keep running statistics for evaluation (default true); without them, batch statistics are always used. */
  trackRunningStats?: boolean;
}

abstract class BatchNorm extends Module {
  readonly eps: number;
  readonly momentum: number | null;
  readonly affine: boolean;
  readonly trackRunningStats: boolean;
  readonly weight: Tensor | null;
  readonly bias: Tensor | null;
  readonly running_mean: Tensor | null;
  readonly running_var: Tensor | null;
  readonly num_batches_tracked: Tensor | null;

  constructor(
    readonly numFeatures: number,
    options: BatchNormOptions,
  ) {
    super();
    const name = this.constructor.name;
    if (!Number.isInteger(numFeatures) || numFeatures < 1) {
      throw new ArgumentError(name, `numFeatures must be a positive integer, got ${numFeatures}`);
    }
    this.eps = options.eps ?? 1e-5;
    this.momentum = options.momentum === undefined ? 0.1 : options.momentum;
    this.affine = options.affine ?? true;
    this.trackRunningStats = options.trackRunningStats ?? true;
    if (!(this.eps > 0)) throw new ArgumentError(name, `eps must be > 0, got ${this.eps}`);
    if (this.momentum !== null && !(this.momentum >= 0 && this.momentum <= 1)) {
      throw new ArgumentError(name, `momentum must be in [0, 1] or null, got ${this.momentum}`);
    }
    const c = [numFeatures];
    this.weight = this.registerParameter('weight', this.affine ? ones(c) : null);
    this.bias = this.registerParameter('bias', this.affine ? zeros(c) : null);
    this.running_mean = this.registerBuffer('running_mean', this.trackRunningStats ? zeros(c) : null);
    this.running_var = this.registerBuffer('running_var', this.trackRunningStats ? ones(c) : null);
    this.num_batches_tracked = this.registerBuffer(
      'num_batches_tracked',
      this.trackRunningStats ? full([], 0, 'int32') : null,
    );
  }

  /** Checks the input and returns the axes statistics are taken over. */
  protected abstract statAxes(x: Tensor): number[];

  forward(x: Tensor): Tensor {
    const name = this.constructor.name;
    const axes = this.statAxes(x);
    if (x.shape[1] !== this.numFeatures) {
      throw new ArgumentError(
        name,
        `expects ${this.numFeatures} channels in dim 1, got [${x.shape.join(',')}]`,
      );
    }
    const bShape = x.shape.map((d, i) => (i === 1 ? d : 1));
    const useBatchStats = this.training || !this.trackRunningStats;
    let xHat: Tensor;
    if (useBatchStats) {
      const n = axes.reduce((p, a) => p * (x.shape[a] as number), 1);
      if (this.training && n <= 1) {
        throw new ArgumentError(
          name,
          `expected more than 1 value per channel when training, got input [${x.shape.join(',')}]`,
        );
      }
      const mu = mean(x, axes, true);
      const centred = sub(x, mu);
      const varBiased = mean(square(centred), axes, true);
      xHat = mul(centred, rsqrt(add(varBiased, this.eps)));
      if (this.training && this.trackRunningStats) this.updateRunningStats(mu, varBiased, n);
    } else {
      const rm = reshape(this.running_mean as Tensor, bShape);
      const rv = reshape(this.running_var as Tensor, bShape);
      xHat = mul(sub(x, rm), rsqrt(add(rv, this.eps)));
    }
    if (!this.affine) return xHat;
    return add(mul(xHat, reshape(this.weight as Tensor, bShape)), reshape(this.bias as Tensor, bShape));
  }

  private updateRunningStats(mu: Tensor, varBiased: Tensor, n: number): void {
    noGrad(() =>
      tidy(() => {
        const count = this.num_batches_tracked as Tensor;
        count.assign(add(count, 1));
        // momentum null: a cumulative moving average, factor 1/batches seen (PyTorch).
        const m: Tensor | number = this.momentum ?? div(1, cast(count, 'float32'));
        const rm = this.running_mean as Tensor;
        const rv = this.running_var as Tensor;
        const c = [this.numFeatures];
        const unbiased = mul(reshape(varBiased, c), n / (n - 1));
        const keepOld = typeof m === 'number' ? 1 - m : sub(1, m);
        rm.assign(add(mul(rm, keepOld), mul(reshape(mu, c), m)));
        rv.assign(add(mul(rv, keepOld), mul(unbiased, m)));
      }),
    );
  }

  override config(): Record<string, unknown> {
    return {
      numFeatures: this.numFeatures,
      eps: this.eps,
      momentum: this.momentum,
      affine: this.affine,
      trackRunningStats: this.trackRunningStats,
    };
  }
}

/**
 * Batch norm over [N, C] or [N, C, L] inputs (statistics per channel over N and L).
 *
 * @example
 * ```ts
 * const bn = new BatchNorm1d(64);
 * ```
 */
export class BatchNorm1d extends BatchNorm {
  constructor(numFeatures: number, options: BatchNormOptions = {}) {
    super(numFeatures, options);
  }
  protected statAxes(x: Tensor): number[] {
    if (x.rank === 2) return [0];
    if (x.rank === 3) return [0, 2];
    throw new ArgumentError('BatchNorm1d', `expects input [N, C] or [N, C, L], got [${x.shape.join(',')}]`);
  }
}

/**
 * Batch norm over [N, C, H, W] inputs (statistics per channel over N, H and W).
 *
 * @example
 * ```ts
 * const bn = new BatchNorm2d(16);
 * ```
 */
export class BatchNorm2d extends BatchNorm {
  constructor(numFeatures: number, options: BatchNormOptions = {}) {
    super(numFeatures, options);
  }
  protected statAxes(x: Tensor): number[] {
    if (x.rank === 4) return [0, 2, 3];
    throw new ArgumentError('BatchNorm2d', `expects input [N, C, H, W], got [${x.shape.join(',')}]`);
  }
}
