/** Stochastic gradient descent with momentum, dampening, Nesterov momentum and weight decay. */
import { ArgumentError, add, mul, sub, type Tensor } from '@myelin/core';
import {
  type BaseOptions,
  Optimizer,
  type ParamGroup,
  type ParamState,
  type ParamsInput,
} from './optimizer.js';

/** SGD hyperparameters (PyTorch's names in camelCase, PyTorch's defaults). */
export interface SGDOptions extends BaseOptions {
  /** Momentum factor (default 0). */
  momentum: number;
  /** Dampening of the momentum (default 0). */
  dampening: number;
  /** L2 penalty added to the gradient (default 0). */
  weightDecay: number;
  /** Nesterov momentum (default false; needs momentum > 0 and dampening 0). */
  nesterov: boolean;
}

/**
 * SGD, with PyTorch's update rule:
 * `g ← g + λθ`; with momentum `b ← μb + (1-τ)g` (`b ← g` on the first step), `g ← g + μb` (Nesterov) or
 * `g ← b`; then `θ ← θ - lr·g`.
 *
 * @example
 * ```ts
 * const opt = new SGD(model.parameters(), { lr: 0.1, momentum: 0.9, nesterov: true });
 * ```
 */
export class SGD extends Optimizer<SGDOptions> {
  protected readonly typeName = 'SGD';

  constructor(params: ParamsInput<SGDOptions>, options: Partial<SGDOptions> = {}) {
    super(params, { lr: 1e-3, momentum: 0, dampening: 0, weightDecay: 0, nesterov: false, ...options });
  }

  protected override validate(group: ParamGroup<SGDOptions>): void {
    super.validate(group);
    if (!(group.momentum >= 0)) throw new ArgumentError('SGD', `momentum must be ≥ 0, got ${group.momentum}`);
    if (!(group.weightDecay >= 0))
      throw new ArgumentError('SGD', `weightDecay must be ≥ 0, got ${group.weightDecay}`);
    if (group.nesterov && (group.momentum <= 0 || group.dampening !== 0)) {
      throw new ArgumentError('SGD', 'Nesterov momentum requires a momentum > 0 and zero dampening');
    }
  }

  protected update(param: Tensor, grad: Tensor, group: ParamGroup<SGDOptions>, state: ParamState): void {
    let g = grad;
    if (group.weightDecay !== 0) g = add(g, mul(param, group.weightDecay));
    if (group.momentum !== 0) {
      const existing = state.tensors.momentum_buffer;
      let buf: Tensor;
      if (!existing) {
        buf = this.stateTensor(state, 'momentum_buffer', () => add(g, 0));
      } else {
        existing.assign(add(mul(existing, group.momentum), mul(g, 1 - group.dampening)));
        buf = existing;
      }
      g = group.nesterov ? add(g, mul(buf, group.momentum)) : buf;
    }
    param.assign(sub(param, mul(g, group.lr)));
  }
}
