/** Elementwise binary ops with NumPy broadcasting, and `where`. */

import { record } from '../autograd/tape.js';
import type { BinaryOp } from '../backend/kernels.js';
import { DTypeError, fmt } from '../errors/errors.js';
import type { DType } from '../tensor/dtype.js';
import { broadcastShapes } from '../tensor/shape.js';
import type { Tensor, TensorLike } from '../tensor/tensor.js';
import {
  adoptOwned,
  asTensor,
  castOperand,
  type Operand,
  operands,
  promote,
  scalarTensor,
} from './convert.js';
import { runKernel } from './dispatch.js';
import { sumTo } from './reduce.js';
import { floor } from './unary.js';

type Kind = 'arith' | 'float' | 'compare' | 'logical';
type Grad = (a: Tensor, b: Tensor, out: Tensor, dy: Tensor) => [Tensor | null, Tensor | null];

function disposeTemps(list: Operand[]): void {
  for (const o of list) if (o.temp) o.t.dispose();
}

function binary(op: BinaryOp, x: TensorLike, y: TensorLike, kind: Kind, grad?: Grad): Tensor {
  const [oa, ob] = operands(op, x, y);
  let dtype: DType;
  let shape: number[];
  try {
    shape = broadcastShapes(op, oa.t.shape, ob.t.shape);
    if (kind === 'arith') {
      dtype = promote(oa.t.dtype, ob.t.dtype);
      if (dtype === 'bool')
        throw new DTypeError(
          op,
          `does not do arithmetic on bool tensors ${fmt(oa.t.shape)} and ${fmt(ob.t.shape)}; cast first`,
        );
    } else if (kind === 'float') {
      dtype = 'float32';
    } else if (kind === 'compare') {
      dtype = promote(oa.t.dtype, ob.t.dtype);
    } else {
      dtype = 'bool';
    }
  } catch (e) {
    disposeTemps([oa, ob]);
    throw e;
  }
  const ca = castOperand(oa, dtype);
  const cb = castOperand(ob, dtype);
  const a = ca.t;
  const b = cb.t;
  const outDtype = kind === 'compare' || kind === 'logical' ? 'bool' : dtype;
  const out = runKernel(op, 'binary', [a, b], { op }, shape, outDtype);
  if (grad && outDtype === 'float32') {
    record(op, out, [a, b], (dy) => {
      const [ga, gb] = grad(a, b, out, dy);
      return [
        ga && a.requiresGrad ? sumTo(ga, a.shape) : null,
        gb && b.requiresGrad ? sumTo(gb, b.shape) : null,
      ];
    });
  }
  return adoptOwned(out, [ca, cb]);
}

/** a + b (broadcasting). @example `add(tensor([1, 2]), 10)` → [11, 12] */
export function add(a: TensorLike, b: TensorLike): Tensor {
  return binary('add', a, b, 'arith', (_a, _b, _o, dy) => [dy, dy]);
}
/** a - b. */
export function sub(a: TensorLike, b: TensorLike): Tensor {
  return binary('sub', a, b, 'arith', (_a, _b, _o, dy) => [dy, mul(dy, -1)]);
}
/** a · b (elementwise). */
export function mul(a: TensorLike, b: TensorLike): Tensor {
  return binary('mul', a, b, 'arith', (a_, b_, _o, dy) => [
    a_.requiresGrad ? mul(dy, b_) : null,
    b_.requiresGrad ? mul(dy, a_) : null,
  ]);
}
/** a / b (true division: int inputs give float32). */
export function div(a: TensorLike, b: TensorLike): Tensor {
  return binary('div', a, b, 'float', (a_, b_, out, dy) => [
    a_.requiresGrad ? div(dy, b_) : null,
    b_.requiresGrad ? mul(mul(dy, div(out, b_)), -1) : null,
  ]);
}
/** aᵇ (float32). */
export function pow(a: TensorLike, b: TensorLike): Tensor {
  return binary('pow', a, b, 'float', (a_, b_, out, dy) => [
    a_.requiresGrad ? mul(dy, mul(b_, pow(a_, sub(b_, 1)))) : null,
    b_.requiresGrad ? mul(dy, where(greater(a_, 0), mul(out, logOf(a_)), 0)) : null,
  ]);
}
/** Elementwise max; where a = b the gradient is split evenly (like PyTorch). */
export function maximum(a: TensorLike, b: TensorLike): Tensor {
  return binary('maximum', a, b, 'arith', (a_, b_, _o, dy) => tieSplit(a_, b_, dy, greater));
}
/** Elementwise min; ties split the gradient evenly. */
export function minimum(a: TensorLike, b: TensorLike): Tensor {
  return binary('minimum', a, b, 'arith', (a_, b_, _o, dy) => tieSplit(a_, b_, dy, less));
}
/** Floored remainder (sign of the divisor), like `torch.remainder`. */
export function mod(a: TensorLike, b: TensorLike): Tensor {
  return binary('mod', a, b, 'arith', (a_, b_, _o, dy) => [
    dy,
    b_.requiresGrad ? mul(mul(dy, floor(div(a_, b_))), -1) : null,
  ]);
}
/** atan2(a, b), the angle of the point (b, a). */
export function atan2(a: TensorLike, b: TensorLike): Tensor {
  return binary('atan2', a, b, 'float', (a_, b_, _o, dy) => {
    const r = add(mul(a_, a_), mul(b_, b_));
    return [div(mul(dy, b_), r), mul(div(mul(dy, a_), r), -1)];
  });
}
/** a == b (bool). */
export function equal(a: TensorLike, b: TensorLike): Tensor {
  return binary('equal', a, b, 'compare');
}
/** a != b (bool). */
export function notEqual(a: TensorLike, b: TensorLike): Tensor {
  return binary('notEqual', a, b, 'compare');
}
/** a < b (bool). */
export function less(a: TensorLike, b: TensorLike): Tensor {
  return binary('less', a, b, 'compare');
}
/** a <= b (bool). */
export function lessEqual(a: TensorLike, b: TensorLike): Tensor {
  return binary('lessEqual', a, b, 'compare');
}
/** a > b (bool). */
export function greater(a: TensorLike, b: TensorLike): Tensor {
  return binary('greater', a, b, 'compare');
}
/** a >= b (bool). */
export function greaterEqual(a: TensorLike, b: TensorLike): Tensor {
  return binary('greaterEqual', a, b, 'compare');
}
/** a AND b (inputs cast to bool). */
export function logicalAnd(a: TensorLike, b: TensorLike): Tensor {
  return binary('logicalAnd', a, b, 'logical');
}
/** a OR b (inputs cast to bool). */
export function logicalOr(a: TensorLike, b: TensorLike): Tensor {
  return binary('logicalOr', a, b, 'logical');
}

function tieSplit(
  a: Tensor,
  b: Tensor,
  dy: Tensor,
  wins: (x: Tensor, y: Tensor) => Tensor,
): [Tensor, Tensor] {
  const ties = mul(equalF(a, b), 0.5);
  const wa = add(cast01(wins(a, b)), ties);
  const wb = add(cast01(wins(b, a)), ties);
  return [mul(dy, wa), mul(dy, wb)];
}

function equalF(a: Tensor, b: Tensor): Tensor {
  return cast01(equal(a, b));
}

function cast01(t: Tensor): Tensor {
  return where(t, 1, 0);
}

function logOf(t: Tensor): Tensor {
  return runKernel('log', 'unary', [t], { op: 'log' }, t.shape, 'float32');
}

/**
 * Picks `a` where `cond` is true and `b` elsewhere (all three broadcast). Gradients flow to the picked side.
 *
 * @example
 * ```ts
 * where(greater(x, 0), x, 0); // relu
 * ```
 */
export function where(cond: TensorLike, a: TensorLike, b: TensorLike): Tensor {
  const oc: Operand =
    typeof cond === 'number' || typeof cond === 'boolean'
      ? { t: scalarTensor(Boolean(cond), 'bool'), temp: true }
      : { t: asTensor('where', cond, 'condition'), temp: false };
  const [oa, ob] = operands('where', a, b);
  let shape: number[];
  try {
    shape = broadcastShapes('where', broadcastShapes('where', oc.t.shape, oa.t.shape), ob.t.shape);
  } catch (e) {
    disposeTemps([oc, oa, ob]);
    throw e;
  }
  const dtype = promote(oa.t.dtype, ob.t.dtype);
  const cc = castOperand(oc, 'bool');
  const ca = castOperand(oa, dtype);
  const cb = castOperand(ob, dtype);
  const out = runKernel('where', 'where', [cc.t, ca.t, cb.t], {}, shape, dtype);
  if (dtype === 'float32') {
    const c = cc.t;
    const at = ca.t;
    const bt = cb.t;
    record('where', out, [at, bt], (dy) => [
      at.requiresGrad ? sumTo(where(c, dy, 0), at.shape) : null,
      bt.requiresGrad ? sumTo(where(c, 0, dy), bt.shape) : null,
    ]);
  }
  return adoptOwned(out, [cc, ca, cb]);
}
