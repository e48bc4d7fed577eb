/** Penalties added to a loss to regularise chosen parameters. */
import { ArgumentError, abs, add, mul, square, sum, type Tensor, zeros } from '@myelin/core';

function total(
  op: string,
  params: Iterable<Tensor>,
  term: (p: Tensor) => Tensor,
  coefficient: number,
): Tensor {
  if (!Number.isFinite(coefficient))
    throw new ArgumentError(op, `coefficient must be finite, got ${coefficient}`);
  let acc: Tensor | null = null;
  for (const p of params) {
    const s = sum(term(p));
    acc = acc ? add(acc, s) : s;
  }
  return mul(acc ?? zeros([]), coefficient);
}

/**
 * `coefficient · Σ|w|` over `params` (a sparsity-inducing L1 penalty). Differentiable: add it to the loss.
 *
 * @example
 * ```ts
 * const weights = model.namedParameters().filter(([n]) => n.endsWith('weight')).map(([, p]) => p);
 * const loss = add(crossEntropy(logits, y), l1Penalty(weights, 1e-4));
 * ```
 */
export function l1Penalty(params: Iterable<Tensor>, coefficient = 1): Tensor {
  return total('l1Penalty', params, abs, coefficient);
}

/**
 * `coefficient · Σw²` over `params` (L2 / weight decay as a loss term; SGD's `weightDecay: λ` equals
 * `l2Penalty(params, λ/2)`).
 *
 * @example
 * ```ts
 * const loss = add(mseLoss(pred, y), l2Penalty(model.parameters(), 1e-4));
 * ```
 */
export function l2Penalty(params: Iterable<Tensor>, coefficient = 1): Tensor {
  return total('l2Penalty', params, square, coefficient);
}
