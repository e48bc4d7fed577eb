/** `Flatten`: joins dims into one (by default every dim after the batch dim). */
import { flatten, type Tensor } from '@myelin/core';
import { Module } from './module.js';

/**
 * Flattens dims `startDim..endDim` (default 1..-1, keeping the batch dim), as PyTorch's `nn.Flatten`.
 *
 * @example
 * ```ts
 * new Flatten().forward(x); // [N, 8, 7, 7] → [N, 392]
 * ```
 */
export class Flatten extends Module {
  constructor(
    readonly startDim = 1,
    readonly endDim = -1,
  ) {
    super();
  }
  forward(x: Tensor): Tensor {
    return flatten(x, this.startDim, this.endDim);
  }
  override config(): Record<string, unknown> {
    return { startDim: this.startDim, endDim: this.endDim };
  }
}
