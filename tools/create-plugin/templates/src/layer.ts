/** The op as a layer of `@myelin/layers`. */
import type { Tensor } from '@myelin/core';
import { Module } from '@myelin/layers';
import { __OP__ } from './ops.js';

/**
 * The op as a layer.
 *
 * @example
 * ```ts
 * const model = new Sequential(new Linear(4, 8), new __OP_PASCAL__(), new Linear(8, 1));
 * ```
 */
export class __OP_PASCAL__ extends Module {
  forward(x: Tensor): Tensor {
    return __OP__(x);
  }
}
