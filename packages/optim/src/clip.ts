/** Gradient clipping, in place on the parameters' `.grad` (PyTorch's `clip_grad_norm_`/`clip_grad_value_`). */
import {
  ArgumentError,
  abs,
  add,
  clamp,
  div,
  max,
  minimum,
  mul,
  noGrad,
  pow,
  sqrt,
  square,
  stack,
  sum,
  type Tensor,
  tidy,
  zeros,
} from '@myelin/core';

function grads(params: Iterable<Tensor>): Tensor[] {
  const out: Tensor[] = [];
  for (const p of params) if (p.grad && !p.grad.isDisposed) out.push(p.grad);
  return out;
}

/**
 * Rescales the gradients so that their joint norm is at most `maxNorm` (coefficient
 * `min(1, maxNorm/(norm + 1e-6))`, as PyTorch). Returns the norm before clipping as a scalar tensor (the
 * caller owns it; inside a `tidy` it is freed with the step). Nothing is read back to the CPU.
 *
 * @example
 * ```ts
 * loss.backward(); clipGradNorm_(model.parameters(), 1.0); opt.step();
 * ```
 */
export function clipGradNorm_(params: Iterable<Tensor>, maxNorm: number, normType = 2): Tensor {
  if (!(maxNorm >= 0)) throw new ArgumentError('clipGradNorm_', `maxNorm must be ≥ 0, got ${maxNorm}`);
  if (!(normType > 0))
    throw new ArgumentError('clipGradNorm_', `normType must be > 0 or Infinity, got ${normType}`);
  const gs = grads(params);
  return noGrad(() =>
    tidy(() => {
      if (gs.length === 0) return zeros([]);
      let total: Tensor;
      if (normType === Number.POSITIVE_INFINITY) {
        total = max(stack(gs.map((g) => max(abs(g)))));
      } else if (normType === 2) {
        total = sqrt(sum(stack(gs.map((g) => sum(square(g))))));
      } else {
        total = pow(sum(stack(gs.map((g) => sum(pow(abs(g), normType))))), 1 / normType);
      }
      const coef = minimum(div(maxNorm, add(total, 1e-6)), 1);
      for (const g of gs) g.assign(mul(g, coef));
      return total;
    }),
  );
}

/**
 * Clamps every gradient element to `[-clipValue, clipValue]`, in place.
 *
 * @example
 * ```ts
 * clipGradValue_(model.parameters(), 0.5);
 * ```
 */
export function clipGradValue_(params: Iterable<Tensor>, clipValue: number): void {
  if (!(clipValue >= 0)) throw new ArgumentError('clipGradValue_', `clipValue must be ≥ 0, got ${clipValue}`);
  const gs = grads(params);
  noGrad(() =>
    tidy(() => {
      for (const g of gs) g.assign(clamp(g, -clipValue, clipValue));
    }),
  );
}
