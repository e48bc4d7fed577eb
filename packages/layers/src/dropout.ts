/** `Dropout`: inverted dropout while training, identity in evaluation. */
import { ArgumentError, dropout, type Tensor } from '@myelin/core';
import { Module } from './module.js';

/**
 * Zeroes each element with probability `p` while training and scales the survivors by 1/(1-p), so that
 * evaluation (`model.eval()`) needs no rescaling. Masks come from the seeded Philox stream.
 *
 * @example
 * ```ts
 * const drop = new Dropout(0.5);
 * ```
 */
export class Dropout extends Module {
  constructor(readonly p = 0.5) {
    super();
    if (!(p >= 0 && p <= 1)) throw new ArgumentError('Dropout', `p must be in [0, 1], got ${p}`);
  }
  forward(x: Tensor): Tensor {
    return dropout(x, this.p, this.training);
  }
  override config(): Record<string, unknown> {
    return { p: this.p };
  }
}
