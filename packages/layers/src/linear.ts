/** `Linear`: y = x Wᵀ + b. */
import { ArgumentError, add, matmul, rand, type Tensor } from '@myelin/core';
import { computeFans, kaimingUniform, type LayerInit, resolveInit } from './init.js';
import { Module } from './module.js';

/** Options of `Linear`. */
export interface LinearOptions {
  /** Learn an additive bias (default true). */
  bias?: boolean;
  /** Initialisation (default PyTorch's: kaiming_uniform(a=√5) weights, U(±1/√fanIn) bias). `'zeros'` zeroes both. */
  init?: LayerInit;
}

/** PyTorch's default weight init of Linear and Conv2d: kaiming_uniform with a = √5, i.e. U(±1/√fanIn). */
export function defaultWeightInit(shape: readonly number[]): Tensor {
  return kaimingUniform(shape, { a: Math.sqrt(5) });
}

/** PyTorch's default bias init of Linear and Conv2d: U(±1/√fanIn) of the weight (0 when fanIn is 0). */
export function defaultBiasInit(weightShape: readonly number[]): (shape: readonly number[]) => Tensor {
  return (shape) => {
    const { fanIn } = computeFans(weightShape);
    const bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
    return rand(shape, { low: -bound, high: bound });
  };
}

/**
 * A fully connected layer: `weight` [outFeatures, inFeatures], `bias` [outFeatures]; input [..., inFeatures].
 *
 * @example
 * ```ts
 * const fc = new Linear(784, 10);
 * const logits = fc.forward(images.reshape([-1, 784]));
 * const zeroInit = new Linear(4, 3, { init: 'zeros' });
 * ```
 */
export class Linear extends Module {
  readonly weight: Tensor;
  readonly bias: Tensor | null;

  constructor(
    readonly inFeatures: number,
    readonly outFeatures: number,
    options: LinearOptions = {},
  ) {
    super();
    for (const [k, v] of [
      ['inFeatures', inFeatures],
      ['outFeatures', outFeatures],
    ] as const) {
      if (!Number.isInteger(v) || v < 0)
        throw new ArgumentError('Linear', `${k} must be a non-negative integer, got ${v}`);
    }
    const wShape = [outFeatures, inFeatures];
    this.weight = this.registerParameter(
      'weight',
      resolveInit(options.init, 'weight', wShape, defaultWeightInit),
    );
    this.bias = this.registerParameter(
      'bias',
      (options.bias ?? true)
        ? resolveInit(options.init, 'bias', [outFeatures], defaultBiasInit(wShape))
        : null,
    );
  }

  forward(x: Tensor): Tensor {
    if (x.rank < 1 || x.shape[x.rank - 1] !== this.inFeatures) {
      throw new ArgumentError(
        'Linear',
        `expects input [..., ${this.inFeatures}], got [${x.shape.join(',')}]`,
      );
    }
    const y = matmul(x, this.weight, { transposeB: true });
    return this.bias ? add(y, this.bias) : y;
  }

  override config(): Record<string, unknown> {
    return { inFeatures: this.inFeatures, outFeatures: this.outFeatures, bias: this.bias !== null };
  }
}
