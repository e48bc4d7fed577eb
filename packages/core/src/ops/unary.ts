/** Elementwise unary ops and their gradients. */

import { record } from '../autograd/tape.js';
import type { UnaryOp } from '../backend/kernels.js';
import { DTypeError, fmt } from '../errors/errors.js';
import type { DType } from '../tensor/dtype.js';
import type { Tensor } from '../tensor/tensor.js';
import { add, div, greater, less, mul, sub, where } from './binary.js';
import { adoptOwned, asTensor, cast, composite } from './convert.js';
import { runKernel } from './dispatch.js';

/** Ops that keep int32 (the rest compute in float32, casting int input like PyTorch). */
const INT_OK = new Set<UnaryOp>(['neg', 'abs', 'sign', 'square', 'relu']);

function unary(op: UnaryOp, x: Tensor, grad?: (x: Tensor, y: Tensor, dy: Tensor) => Tensor): Tensor {
  asTensor(op, x);
  if (op === 'logicalNot') {
    const b = x.dtype === 'bool' ? x : cast(x, 'bool');
    const out = runKernel(op, 'unary', [b], { op }, x.shape, 'bool');
    return b === x ? out : adoptOwned(out, [b]);
  }
  if (op === 'isNaN') {
    if (x.dtype !== 'float32') throw new DTypeError(op, `expects float32, got ${x.dtype} ${fmt(x.shape)}`);
    return runKernel(op, 'unary', [x], { op }, x.shape, 'bool');
  }
  if (x.dtype === 'bool')
    throw new DTypeError(op, `does not take bool tensors (${fmt(x.shape)}); cast first`);
  let input = x;
  if (x.dtype === 'int32' && !INT_OK.has(op)) input = cast(x, 'float32');
  const dtype: DType = input.dtype;
  const y = runKernel(op, 'unary', [input], { op }, x.shape, dtype);
  if (grad && dtype === 'float32') record(op, y, [input], (dy) => [grad(input, y, dy)]);
  return input === x ? y : adoptOwned(y, [input]);
}

/** -x. @example `neg(tensor([1, -2]))` → [-1, 2] */
export function neg(x: Tensor): Tensor {
  return unary('neg', x, (_x, _y, dy) => mul(dy, -1));
}
/** |x|; gradient sign(x). */
export function abs(x: Tensor): Tensor {
  return unary('abs', x, (x_, _y, dy) => mul(dy, sign(x_)));
}
/** -1, 0 or 1. */
export function sign(x: Tensor): Tensor {
  return unary('sign', x, (_x, _y, dy) => mul(dy, 0));
}
/** x². */
export function square(x: Tensor): Tensor {
  return unary('square', x, (x_, _y, dy) => mul(dy, mul(x_, 2)));
}
/** √x. */
export function sqrt(x: Tensor): Tensor {
  return unary('sqrt', x, (_x, y, dy) => div(dy, mul(y, 2)));
}
/** 1/√x. */
export function rsqrt(x: Tensor): Tensor {
  return unary('rsqrt', x, (_x, y, dy) => mul(dy, mul(-0.5, mul(y, mul(y, y)))));
}
/** 1/x. */
export function reciprocal(x: Tensor): Tensor {
  return unary('reciprocal', x, (_x, y, dy) => mul(mul(dy, mul(y, y)), -1));
}
/** eˣ. */
export function exp(x: Tensor): Tensor {
  return unary('exp', x, (_x, y, dy) => mul(dy, y));
}
/** eˣ - 1, accurate near 0. */
export function expm1(x: Tensor): Tensor {
  return unary('expm1', x, (_x, y, dy) => mul(dy, add(y, 1)));
}
/** Natural log. */
export function log(x: Tensor): Tensor {
  return unary('log', x, (x_, _y, dy) => div(dy, x_));
}
/** log(1 + x), accurate near 0. */
export function log1p(x: Tensor): Tensor {
  return unary('log1p', x, (x_, _y, dy) => div(dy, add(x_, 1)));
}
/** sin x. */
export function sin(x: Tensor): Tensor {
  return unary('sin', x, (x_, _y, dy) => mul(dy, cos(x_)));
}
/** cos x. */
export function cos(x: Tensor): Tensor {
  return unary('cos', x, (x_, _y, dy) => mul(mul(dy, sin(x_)), -1));
}
/** tanh x; its gradient 1 - tanh² vanishes for large |x| (saturation). */
export function tanh(x: Tensor): Tensor {
  return unary('tanh', x, (_x, y, dy) => mul(dy, sub(1, mul(y, y))));
}
/** 1 / (1 + e⁻ˣ), stable for large |x|; its gradient σ(1-σ) vanishes for large |x|. */
export function sigmoid(x: Tensor): Tensor {
  return unary('sigmoid', x, (_x, y, dy) => mul(dy, mul(y, sub(1, y))));
}
/** log(1 + eˣ), stable. */
export function softplus(x: Tensor): Tensor {
  return unary('softplus', x, (x_, _y, dy) => mul(dy, sigmoid(x_)));
}
/** max(x, 0); gradient 1 where x > 0, else 0. */
export function relu(x: Tensor): Tensor {
  return unary('relu', x, (x_, _y, dy) => mul(dy, step(x_)));
}
/** 1 where x > 0, else 0 (the derivative of relu). */
export function step(x: Tensor): Tensor {
  return unary('step', x);
}
/** Rounds down. */
export function floor(x: Tensor): Tensor {
  return unary('floor', x, (_x, _y, dy) => mul(dy, 0));
}
/** Rounds up. */
export function ceil(x: Tensor): Tensor {
  return unary('ceil', x, (_x, _y, dy) => mul(dy, 0));
}
/** Rounds half to even (like PyTorch). */
export function round(x: Tensor): Tensor {
  return unary('round', x, (_x, _y, dy) => mul(dy, 0));
}
/** Logical not (any dtype; non-zero is true). */
export function logicalNot(x: Tensor): Tensor {
  return unary('logicalNot', x);
}
/** Where x is NaN. */
// biome-ignore lint/suspicious/noShadowRestrictedNames: the op's public name, as torch.isnan/tf.isNaN.
export function isNaN(x: Tensor): Tensor {
  return unary('isNaN', x);
}

/**
 * Leaky ReLU: x where x > 0, else `slope`·x (a fixed slope, PyTorch's default 0.01).
 *
 * @example
 * ```ts
 * leakyRelu(tensor([-2, 3]), 0.1); // [-0.2, 3]
 * ```
 */
export function leakyRelu(x: Tensor, slope = 0.01): Tensor {
  asTensor('leakyRelu', x);
  return composite(() => where(greater(x, 0), x, mul(x, slope)));
}

/**
 * Limits values to [min, max]; the gradient is 1 inside the range (bounds included), 0 outside.
 *
 * @example
 * ```ts
 * clamp(tensor([-2, 0.5, 3]), 0, 1); // [0, 0.5, 1]
 * ```
 */
export function clamp(x: Tensor, min?: number, max?: number): Tensor {
  asTensor('clamp', x);
  if (min === undefined && max === undefined) return x;
  return composite(() => {
    let out = x;
    if (min !== undefined) out = where(less(out, min), min, out);
    if (max !== undefined) out = where(greater(out, max), max, out);
    return out;
  });
}
