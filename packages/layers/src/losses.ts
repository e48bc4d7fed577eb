/**
 * Loss functions, PyTorch's `torch.nn.functional` semantics: they take logits where PyTorch does
 * (`crossEntropy`, `binaryCrossEntropyWithLogits`) and are computed stably; `reduction` is `'mean'`
 * (default), `'sum'` or `'none'` (per element/sample).
 */
import {
  ArgumentError,
  add,
  DTypeError,
  log,
  logSoftmax,
  maximum,
  mean,
  mul,
  neg,
  oneHot,
  softplus,
  square,
  sub,
  sum,
  type Tensor,
  transpose,
} from '@myelin/core';

/** How per-element losses are combined. */
export type Reduction = 'mean' | 'sum' | 'none';

/** Options every loss takes. */
export interface LossOptions {
  reduction?: Reduction;
}

function reduce(op: string, x: Tensor, reduction: Reduction | undefined): Tensor {
  switch (reduction ?? 'mean') {
    case 'mean':
      return mean(x);
    case 'sum':
      return sum(x);
    case 'none':
      return x;
    default:
      throw new ArgumentError(op, `reduction must be 'mean', 'sum' or 'none', got '${String(reduction)}'`);
  }
}

function sameShape(op: string, a: Tensor, b: Tensor, names: [string, string]): void {
  if (a.shape.join(',') !== b.shape.join(',')) {
    throw new ArgumentError(
      op,
      `${names[0]} [${a.shape.join(',')}] and ${names[1]} [${b.shape.join(',')}] must have the same shape`,
    );
  }
}

function floatTensor(op: string, t: Tensor, name: string): void {
  if (t.dtype !== 'float32')
    throw new DTypeError(op, `${name} must be float32, got ${t.dtype} [${t.shape.join(',')}]`);
}

/**
 * Mean squared error: (input - target)².
 *
 * @example
 * ```ts
 * mseLoss(pred, y); // a scalar
 * ```
 */
export function mseLoss(input: Tensor, target: Tensor, options: LossOptions = {}): Tensor {
  floatTensor('mseLoss', input, 'input');
  sameShape('mseLoss', input, target, ['input', 'target']);
  return reduce('mseLoss', square(sub(input, target)), options.reduction);
}

/** Moves dim 1 (classes) last: [N, C, d1, ...] → [N, d1, ..., C]. */
function classesLast(x: Tensor): Tensor {
  if (x.rank <= 2) return x;
  const perm = [0, ...x.shape.slice(2).map((_, i) => i + 2), 1];
  return transpose(x, perm);
}

/**
 * Negative log-likelihood of class indices under log-probabilities: input [N, C] (or [N, C, d1, ...]),
 * target int32 [N] (or [N, d1, ...]); `mean` divides by the number of targets.
 *
 * @example
 * ```ts
 * nllLoss(logSoftmax(logits, 1), labels);
 * ```
 */
export function nllLoss(input: Tensor, target: Tensor, options: LossOptions = {}): Tensor {
  floatTensor('nllLoss', input, 'input');
  checkIndexTarget('nllLoss', input, target);
  const picked = sum(mul(classesLast(input), oneHot(target, input.shape[1] as number)), -1);
  return reduce('nllLoss', neg(picked), options.reduction);
}

function checkIndexTarget(op: string, input: Tensor, target: Tensor): void {
  if (input.rank < 2)
    throw new ArgumentError(op, `input must be [N, C, ...], got [${input.shape.join(',')}]`);
  if (target.dtype !== 'int32')
    throw new DTypeError(op, `class-index targets must be int32, got ${target.dtype}`);
  const expected = [input.shape[0], ...input.shape.slice(2)];
  if (target.shape.join(',') !== expected.join(',')) {
    throw new ArgumentError(
      op,
      `target [${target.shape.join(',')}] does not match input [${input.shape.join(',')}] (expected [${expected.join(',')}])`,
    );
  }
}

/**
 * Cross-entropy from logits [N, C] (or [N, C, d1, ...]) against either int32 class indices [N] or float
 * class probabilities of the input's shape; computed with a stable log-softmax. `mean` averages over samples.
 *
 * @example
 * ```ts
 * crossEntropy(logits, labels);                 // labels: int32 [N]
 * crossEntropy(logits, softTargets);            // softTargets: float32 [N, C], rows sum to 1
 * ```
 */
export function crossEntropy(logits: Tensor, target: Tensor, options: LossOptions = {}): Tensor {
  floatTensor('crossEntropy', logits, 'logits');
  if (logits.rank < 2)
    throw new ArgumentError('crossEntropy', `logits must be [N, C, ...], got [${logits.shape.join(',')}]`);
  const logp = logSoftmax(logits, 1);
  if (target.dtype === 'int32') return nllLoss(logp, target, options);
  if (target.dtype !== 'float32') {
    throw new DTypeError(
      'crossEntropy',
      `target must be int32 class indices or float32 probabilities, got ${target.dtype}`,
    );
  }
  sameShape('crossEntropy', logits, target, ['logits', 'probability target']);
  return reduce('crossEntropy', neg(sum(mul(logp, target), 1)), options.reduction);
}

/** Options of `binaryCrossEntropy`. */
export interface BCEOptions extends LossOptions {
  /** Per-element rescaling weight (broadcast against the input). */
  weight?: Tensor;
}

/**
 * Binary cross-entropy of probabilities in [0, 1]: -(t·log p + (1-t)·log(1-p)), each log clamped at
 * -100 as PyTorch. Prefer `binaryCrossEntropyWithLogits` (stable) when you have logits.
 *
 * @example
 * ```ts
 * binaryCrossEntropy(sigmoid(z), y);
 * ```
 */
export function binaryCrossEntropy(input: Tensor, target: Tensor, options: BCEOptions = {}): Tensor {
  floatTensor('binaryCrossEntropy', input, 'input');
  sameShape('binaryCrossEntropy', input, target, ['input', 'target']);
  const logP = maximum(log(input), -100);
  const log1mP = maximum(log(sub(1, input)), -100);
  let loss = neg(add(mul(target, logP), mul(sub(1, target), log1mP)));
  if (options.weight) loss = mul(loss, options.weight);
  return reduce('binaryCrossEntropy', loss, options.reduction);
}

/** Options of `binaryCrossEntropyWithLogits`. */
export interface BCEWithLogitsOptions extends BCEOptions {
  /** Weight of positive examples (broadcast over classes), as PyTorch's `pos_weight`. */
  posWeight?: Tensor;
}

/**
 * Binary cross-entropy from logits, stable for any logit: softplus(x) - t·x (with `posWeight`:
 * (1-t)·x + (1 + (w-1)t)·softplus(-x)). Its gradient is σ(x) - t.
 *
 * @example
 * ```ts
 * binaryCrossEntropyWithLogits(model.forward(x), y);
 * ```
 */
export function binaryCrossEntropyWithLogits(
  logits: Tensor,
  target: Tensor,
  options: BCEWithLogitsOptions = {},
): Tensor {
  floatTensor('binaryCrossEntropyWithLogits', logits, 'logits');
  sameShape('binaryCrossEntropyWithLogits', logits, target, ['logits', 'target']);
  let loss: Tensor;
  if (options.posWeight) {
    const lw = add(mul(sub(options.posWeight, 1), target), 1);
    loss = add(mul(sub(1, target), logits), mul(lw, softplus(neg(logits))));
  } else {
    loss = sub(softplus(logits), mul(target, logits));
  }
  if (options.weight) loss = mul(loss, options.weight);
  return reduce('binaryCrossEntropyWithLogits', loss, options.reduction);
}
