/** Adam and AdamW (decoupled weight decay). */
import {
  ArgumentError,
  add,
  div,
  maximum,
  mul,
  sqrt,
  square,
  sub,
  type Tensor,
  zerosLike,
} from '@myelin/core';
import {
  type BaseOptions,
  Optimizer,
  type ParamGroup,
  type ParamState,
  type ParamsInput,
} from './optimizer.js';

/** Adam hyperparameters (PyTorch's defaults). */
export interface AdamOptions extends BaseOptions {
  /** Decay rates of the first and second moment estimates (default [0.9, 0.999]). */
  betas: [number, number];
  /** Added to the denominator for stability (default 1e-8). */
  eps: number;
  /** Adam: L2 penalty added to the gradient (default 0). AdamW: decoupled decay rate (default 0.01). */
  weightDecay: number;
  /** Use the maximum of past second moments (AMSGrad; default false). */
  amsgrad: boolean;
}

function checkAdam(name: string, group: ParamGroup<AdamOptions>): void {
  const [b1, b2] = group.betas;
  if (!(b1 >= 0 && b1 < 1)) throw new ArgumentError(name, `betas[0] must be in [0, 1), got ${b1}`);
  if (!(b2 >= 0 && b2 < 1)) throw new ArgumentError(name, `betas[1] must be in [0, 1), got ${b2}`);
  if (!(group.eps >= 0)) throw new ArgumentError(name, `eps must be ≥ 0, got ${group.eps}`);
  if (!(group.weightDecay >= 0))
    throw new ArgumentError(name, `weightDecay must be ≥ 0, got ${group.weightDecay}`);
}

/**
 * The Adam step shared by Adam and AdamW, in PyTorch's order of operations:
 * `m ← β₁m + (1-β₁)g`, `v ← β₂v + (1-β₂)g²`, `θ ← θ - (lr/(1-β₁ᵗ))·m / (√v/√(1-β₂ᵗ) + ε)`.
 */
function adamStep(
  opt: AdamBase,
  param: Tensor,
  g: Tensor,
  group: ParamGroup<AdamOptions>,
  state: ParamState,
): void {
  const [b1, b2] = group.betas;
  const m = opt.moment(state, 'exp_avg', param);
  const v = opt.moment(state, 'exp_avg_sq', param);
  m.assign(add(mul(m, b1), mul(g, 1 - b1)));
  v.assign(add(mul(v, b2), mul(square(g), 1 - b2)));
  const t = state.step;
  const biasCorrection1 = 1 - b1 ** t;
  const biasCorrection2Sqrt = Math.sqrt(1 - b2 ** t);
  let second = v;
  if (group.amsgrad) {
    const vMax = opt.moment(state, 'max_exp_avg_sq', param);
    vMax.assign(maximum(vMax, v));
    second = vMax;
  }
  const denom = add(div(sqrt(second), biasCorrection2Sqrt), group.eps);
  param.assign(sub(param, div(mul(m, group.lr / biasCorrection1), denom)));
}

abstract class AdamBase extends Optimizer<AdamOptions> {
  /** @internal A zero-initialised moment tensor of `param`'s shape. */
  moment(state: ParamState, name: string, param: Tensor): Tensor {
    return this.stateTensor(state, name, () => zerosLike(param));
  }
}

/**
 * Adam (Kingma & Ba), PyTorch's update; `weightDecay` adds `λθ` to the gradient (L2 regularisation).
 *
 * @example
 * ```ts
 * const opt = new Adam(model.parameters(), { lr: 1e-3 });
 * ```
 */
export class Adam extends AdamBase {
  protected readonly typeName: string = 'Adam';

  constructor(params: ParamsInput<AdamOptions>, options: Partial<AdamOptions> = {}) {
    super(params, { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: false, ...options });
  }

  protected override validate(group: ParamGroup<AdamOptions>): void {
    super.validate(group);
    checkAdam(this.typeName, group);
  }

  protected update(param: Tensor, grad: Tensor, group: ParamGroup<AdamOptions>, state: ParamState): void {
    const g = group.weightDecay !== 0 ? add(grad, mul(param, group.weightDecay)) : grad;
    adamStep(this, param, g, group, state);
  }
}

/**
 * AdamW (Loshchilov & Hutter): Adam with decoupled weight decay, `θ ← θ(1 - lr·λ)` before the Adam step.
 * Default `weightDecay` 0.01, as PyTorch.
 *
 * @example
 * ```ts
 * const opt = new AdamW(model.parameters(), { lr: 1e-3, weightDecay: 0.05 });
 * ```
 */
export class AdamW extends AdamBase {
  protected readonly typeName: string = 'AdamW';

  constructor(params: ParamsInput<AdamOptions>, options: Partial<AdamOptions> = {}) {
    super(params, {
      lr: 1e-3,
      betas: [0.9, 0.999],
      eps: 1e-8,
      weightDecay: 1e-2,
      amsgrad: false,
      ...options,
    });
  }

  protected override validate(group: ParamGroup<AdamOptions>): void {
    super.validate(group);
    checkAdam(this.typeName, group);
  }

  protected update(param: Tensor, grad: Tensor, group: ParamGroup<AdamOptions>, state: ParamState): void {
    if (group.weightDecay !== 0) param.assign(mul(param, 1 - group.lr * group.weightDecay));
    adamStep(this, param, grad, group, state);
  }
}
