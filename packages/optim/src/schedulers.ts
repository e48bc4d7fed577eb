/**
 * Learning-rate schedules, PyTorch style: construct with an optimiser, call `step()` once per epoch (or per
 * batch, as you choose), and each group's `lr` is set from its base rate by a closed-form rule.
 */
import { ArgumentError } from '@myelin/core';

/** What a scheduler needs of an optimiser: its groups' learning rates. */
export interface SchedulableOptimizer {
  paramGroups: Array<{ lr: number; initialLr?: number }>;
}

/** A scheduler's state, for checkpoints. */
export interface SchedulerStateDict {
  lastEpoch: number;
  baseLrs: number[];
}

/**
 * Base of the schedules. `lastEpoch` counts `step()` calls; construction applies the rate for step 0.
 */
export abstract class LRScheduler {
  /** Number of `step()` calls so far. */
  lastEpoch = 0;
  /** Each group's starting learning rate. */
  readonly baseLrs: number[];
  protected readonly optimizer: SchedulableOptimizer;

  constructor(optimizer: SchedulableOptimizer) {
    this.optimizer = optimizer;
    // Like PyTorch's `initial_lr`: a second scheduler on the same optimiser starts from the same base.
    this.baseLrs = optimizer.paramGroups.map((g) => {
      if (g.initialLr === undefined) g.initialLr = g.lr;
      return g.initialLr;
    });
  }

  /** Applies the rate of the current step (call at the end of the subclass constructor). */
  protected apply(): void {
    this.optimizer.paramGroups.forEach((g, i) => {
      g.lr = this.lrAt(this.baseLrs[i] as number, this.lastEpoch);
    });
  }

  /** The learning rate of a group with base rate `base` after `t` steps. */
  abstract lrAt(base: number, t: number): number;

  /** Advances one step and sets the new learning rates. */
  step(): void {
    this.lastEpoch += 1;
    this.apply();
  }

  /** The learning rates set by the last step (one per group). */
  getLastLr(): number[] {
    return this.optimizer.paramGroups.map((g) => g.lr);
  }

  stateDict(): SchedulerStateDict {
    return { lastEpoch: this.lastEpoch, baseLrs: [...this.baseLrs] };
  }

  loadStateDict(state: SchedulerStateDict): void {
    if (
      !Number.isInteger(state?.lastEpoch) ||
      !Array.isArray(state.baseLrs) ||
      state.baseLrs.length !== this.baseLrs.length
    ) {
      throw new ArgumentError(
        `${this.constructor.name}.loadStateDict`,
        `expected {lastEpoch, baseLrs[${this.baseLrs.length}]}`,
      );
    }
    this.lastEpoch = state.lastEpoch;
    state.baseLrs.forEach((v, i) => {
      this.baseLrs[i] = v;
    });
    this.apply();
  }
}

/**
 * Multiplies the rate by `gamma` every `stepSize` steps: `lr = base · γ^⌊t/stepSize⌋`.
 *
 * @example
 * ```ts
 * const sched = new StepLR(opt, 30, 0.1); // ÷10 every 30 epochs
 * ```
 */
export class StepLR extends LRScheduler {
  constructor(
    optimizer: SchedulableOptimizer,
    readonly stepSize: number,
    readonly gamma = 0.1,
  ) {
    super(optimizer);
    if (!Number.isInteger(stepSize) || stepSize < 1)
      throw new ArgumentError('StepLR', `stepSize must be a positive integer, got ${stepSize}`);
    this.apply();
  }
  lrAt(base: number, t: number): number {
    return base * this.gamma ** Math.floor(t / this.stepSize);
  }
}

/**
 * Multiplies the rate by `gamma` every step: `lr = base · γ^t`.
 *
 * @example
 * ```ts
 * const sched = new ExponentialLR(opt, 0.95);
 * ```
 */
export class ExponentialLR extends LRScheduler {
  constructor(
    optimizer: SchedulableOptimizer,
    readonly gamma: number,
  ) {
    super(optimizer);
    if (!(gamma > 0)) throw new ArgumentError('ExponentialLR', `gamma must be > 0, got ${gamma}`);
    this.apply();
  }
  lrAt(base: number, t: number): number {
    return base * this.gamma ** t;
  }
}

/**
 * Cosine annealing from the base rate to `etaMin` over `tMax` steps (PyTorch's closed form, no restarts):
 * `lr = η_min + (base - η_min)(1 + cos(πt/T_max))/2`.
 *
 * @example
 * ```ts
 * const sched = new CosineAnnealingLR(opt, epochs);
 * ```
 */
export class CosineAnnealingLR extends LRScheduler {
  constructor(
    optimizer: SchedulableOptimizer,
    readonly tMax: number,
    readonly etaMin = 0,
  ) {
    super(optimizer);
    if (!(tMax > 0)) throw new ArgumentError('CosineAnnealingLR', `tMax must be > 0, got ${tMax}`);
    this.apply();
  }
  lrAt(base: number, t: number): number {
    return this.etaMin + ((base - this.etaMin) * (1 + Math.cos((Math.PI * t) / this.tMax))) / 2;
  }
}

/**
 * Linear warm-up: the rate grows from `startFactor · base` to `base` over `warmupSteps` steps, then stays
 * (PyTorch's `LinearLR(start_factor, end_factor=1, total_iters=warmupSteps)`).
 *
 * @example
 * ```ts
 * const warm = new LinearWarmup(opt, 100); // lr/100, 2·lr/100, ..., lr from step 100 on
 * ```
 */
export class LinearWarmup extends LRScheduler {
  readonly startFactor: number;
  constructor(
    optimizer: SchedulableOptimizer,
    readonly warmupSteps: number,
    startFactor?: number,
  ) {
    super(optimizer);
    if (!Number.isInteger(warmupSteps) || warmupSteps < 1) {
      throw new ArgumentError('LinearWarmup', `warmupSteps must be a positive integer, got ${warmupSteps}`);
    }
    this.startFactor = startFactor ?? 1 / warmupSteps;
    if (!(this.startFactor > 0 && this.startFactor <= 1)) {
      throw new ArgumentError('LinearWarmup', `startFactor must be in (0, 1], got ${this.startFactor}`);
    }
    this.apply();
  }
  lrAt(base: number, t: number): number {
    const f = this.startFactor + ((1 - this.startFactor) * Math.min(t, this.warmupSteps)) / this.warmupSteps;
    return base * f;
  }
}
