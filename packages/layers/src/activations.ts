/** Activation layers: Sigmoid, Tanh, ReLU, LeakyReLU, PReLU, RReLU, Softmax, LogSoftmax. */
import {
  ArgumentError,
  full,
  greater,
  greaterEqual,
  leakyRelu,
  logSoftmax,
  mul,
  rand,
  relu,
  reshape,
  sigmoid,
  softmax,
  type Tensor,
  tanh,
  where,
} from '@myelin/core';
import { type InitFn, resolveInit } from './init.js';
import { Module } from './module.js';

/** σ(x) = 1/(1+e⁻ˣ). @example `new Sigmoid().forward(x)` */
export class Sigmoid extends Module {
  forward(x: Tensor): Tensor {
    return sigmoid(x);
  }
}

/** tanh(x). @example `new Tanh().forward(x)` */
export class Tanh extends Module {
  forward(x: Tensor): Tensor {
    return tanh(x);
  }
}

/** max(x, 0). @example `new ReLU().forward(x)` */
export class ReLU extends Module {
  forward(x: Tensor): Tensor {
    return relu(x);
  }
}

/**
 * x for x > 0, `negativeSlope`·x otherwise (default 0.01, as PyTorch).
 *
 * @example
 * ```ts
 * new LeakyReLU(0.2).forward(x);
 * ```
 */
export class LeakyReLU extends Module {
  constructor(readonly negativeSlope = 0.01) {
    super();
  }
  forward(x: Tensor): Tensor {
    return leakyRelu(x, this.negativeSlope);
  }
  override config(): Record<string, unknown> {
    return { negativeSlope: this.negativeSlope };
  }
}

/** Options of `PReLU`. */
export interface PReLUOptions {
  /** Starting slope (default 0.25, as PyTorch). */
  init?: number | InitFn;
}

/**
 * Parametric ReLU (He et al.): x for x > 0, a·x otherwise, with `a` learned — one slope shared by every
 * channel (`numParameters` 1, the default) or one per channel (dim 1 of the input).
 *
 * @example
 * ```ts
 * const act = new PReLU(16); // a slope per channel of a [N,16,H,W] input
 * ```
 */
export class PReLU extends Module {
  readonly weight: Tensor;
  constructor(
    readonly numParameters = 1,
    options: PReLUOptions = {},
  ) {
    super();
    if (!Number.isInteger(numParameters) || numParameters < 1) {
      throw new ArgumentError('PReLU', `numParameters must be a positive integer, got ${numParameters}`);
    }
    const init = options.init ?? 0.25;
    const shape = [numParameters];
    this.weight = this.registerParameter(
      'weight',
      typeof init === 'number'
        ? full(shape, init)
        : resolveInit(init, 'weight', shape, () => full(shape, 0.25)),
    );
  }
  forward(x: Tensor): Tensor {
    let a = this.weight;
    if (this.numParameters > 1) {
      if (x.rank < 2 || x.shape[1] !== this.numParameters) {
        throw new ArgumentError(
          'PReLU',
          `has ${this.numParameters} slopes but input [${x.shape.join(',')}] has no such channel dim 1`,
        );
      }
      a = reshape(
        a,
        x.shape.map((d, i) => (i === 1 ? d : 1)),
      );
    }
    return where(greater(x, 0), x, mul(x, a));
  }
  override config(): Record<string, unknown> {
    return { numParameters: this.numParameters };
  }
}

/**
 * Randomised leaky ReLU (Xu et al.): while training, each negative element gets its own slope drawn
 * uniformly from [lower, upper) (from the seeded Philox stream); in evaluation the slope is (lower+upper)/2.
 *
 * @example
 * ```ts
 * const act = new RReLU(); // lower 1/8, upper 1/3
 * ```
 */
export class RReLU extends Module {
  constructor(
    readonly lower = 1 / 8,
    readonly upper = 1 / 3,
  ) {
    super();
    if (!(lower <= upper)) throw new ArgumentError('RReLU', `lower (${lower}) must be ≤ upper (${upper})`);
  }
  forward(x: Tensor): Tensor {
    if (!this.training) return leakyRelu(x, (this.lower + this.upper) / 2);
    const slopes = rand(x.shape, { low: this.lower, high: this.upper });
    return where(greaterEqual(x, 0), x, mul(x, slopes));
  }
  override config(): Record<string, unknown> {
    return { lower: this.lower, upper: this.upper };
  }
}

/**
 * Softmax along `dim` (default -1): rows of probabilities.
 *
 * @example
 * ```ts
 * new Softmax(1).forward(logits);
 * ```
 */
export class Softmax extends Module {
  constructor(readonly dim = -1) {
    super();
  }
  forward(x: Tensor): Tensor {
    return softmax(x, this.dim);
  }
  override config(): Record<string, unknown> {
    return { dim: this.dim };
  }
}

/** log(softmax(x)) along `dim` (default -1), stable; pairs with `nllLoss`. */
export class LogSoftmax extends Module {
  constructor(readonly dim = -1) {
    super();
  }
  forward(x: Tensor): Tensor {
    return logSoftmax(x, this.dim);
  }
  override config(): Record<string, unknown> {
    return { dim: this.dim };
  }
}
