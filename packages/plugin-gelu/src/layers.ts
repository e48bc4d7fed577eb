/** Activation layers for `@myelin/layers` models: `GELU` and `Swish` (alias `SiLU`). */
import type { Tensor } from '@myelin/core';
import { Module } from '@myelin/layers';
import type { GeluApproximation } from './math.js';
import { gelu, swish } from './ops.js';

/**
 * GELU as a layer, like `torch.nn.GELU(approximate='none' | 'tanh')`.
 *
 * @example
 * ```ts
 * registerGeluPlugin();
 * const model = new Sequential(new Linear(4, 16), new GELU(), new Linear(16, 2));
 * ```
 */
export class GELU extends Module {
  constructor(readonly approximate: GeluApproximation = 'none') {
    super();
  }
  forward(x: Tensor): Tensor {
    return gelu(x, { approximate: this.approximate });
  }
  override config(): Record<string, unknown> {
    return { approximate: this.approximate };
  }
}

/**
 * Swish (SiLU) as a layer, like `torch.nn.SiLU()`: x·σ(x).
 *
 * @example
 * ```ts
 * registerGeluPlugin();
 * const model = new Sequential(new Linear(4, 16), new Swish(), new Linear(16, 2));
 * ```
 */
export class Swish extends Module {
  forward(x: Tensor): Tensor {
    return swish(x);
  }
}

/** PyTorch's name for {@link Swish}. */
export const SiLU = Swish;
