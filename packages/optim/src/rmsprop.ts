/** RMSprop, with optional momentum and the centred variant. */
import { ArgumentError, add, div, mul, sqrt, square, sub, type Tensor, zerosLike } from '@myelin/core';
import {
  type BaseOptions,
  Optimizer,
  type ParamGroup,
  type ParamState,
  type ParamsInput,
} from './optimizer.js';

/** RMSprop hyperparameters (PyTorch's defaults). */
export interface RMSpropOptions extends BaseOptions {
  /** Smoothing constant of the squared-gradient average (default 0.99). */
  alpha: number;
  /** Added to the denominator (default 1e-8). */
  eps: number;
  /** L2 penalty added to the gradient (default 0). */
  weightDecay: number;
  /** Momentum factor (default 0). */
  momentum: number;
  /** Normalise by the variance of the gradient instead of its second moment (default false). */
  centered: boolean;
}

/**
 * RMSprop with PyTorch's update: `v ← αv + (1-α)g²`; centred: `ḡ ← αḡ + (1-α)g`, `v' = v - ḡ²`;
 * `d = √v' + ε`; with momentum `b ← μb + g/d`, `θ ← θ - lr·b`, else `θ ← θ - lr·g/d`.
 *
 * @example
 * ```ts
 * const opt = new RMSprop(model.parameters(), { lr: 0.01, centered: true });
 * ```
 */
export class RMSprop extends Optimizer<RMSpropOptions> {
  protected readonly typeName = 'RMSprop';

  constructor(params: ParamsInput<RMSpropOptions>, options: Partial<RMSpropOptions> = {}) {
    super(params, {
      lr: 1e-2,
      alpha: 0.99,
      eps: 1e-8,
      weightDecay: 0,
      momentum: 0,
      centered: false,
      ...options,
    });
  }

  protected override validate(group: ParamGroup<RMSpropOptions>): void {
    super.validate(group);
    if (!(group.alpha >= 0)) throw new ArgumentError('RMSprop', `alpha must be ≥ 0, got ${group.alpha}`);
    if (!(group.eps >= 0)) throw new ArgumentError('RMSprop', `eps must be ≥ 0, got ${group.eps}`);
    if (!(group.momentum >= 0))
      throw new ArgumentError('RMSprop', `momentum must be ≥ 0, got ${group.momentum}`);
    if (!(group.weightDecay >= 0))
      throw new ArgumentError('RMSprop', `weightDecay must be ≥ 0, got ${group.weightDecay}`);
  }

  protected update(param: Tensor, grad: Tensor, group: ParamGroup<RMSpropOptions>, state: ParamState): void {
    const g = group.weightDecay !== 0 ? add(grad, mul(param, group.weightDecay)) : grad;
    const a = group.alpha;
    const sq = this.stateTensor(state, 'square_avg', () => zerosLike(param));
    sq.assign(add(mul(sq, a), mul(square(g), 1 - a)));
    let avg: Tensor;
    if (group.centered) {
      const ga = this.stateTensor(state, 'grad_avg', () => zerosLike(param));
      ga.assign(add(mul(ga, a), mul(g, 1 - a)));
      avg = add(sqrt(sub(sq, square(ga))), group.eps);
    } else {
      avg = add(sqrt(sq), group.eps);
    }
    if (group.momentum > 0) {
      const buf = this.stateTensor(state, 'momentum_buffer', () => zerosLike(param));
      buf.assign(add(mul(buf, group.momentum), div(g, avg)));
      param.assign(sub(param, mul(buf, group.lr)));
    } else {
      param.assign(sub(param, mul(div(g, avg), group.lr)));
    }
  }
}
