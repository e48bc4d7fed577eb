/** Turning numbers into tensors, dtype promotion and the ownership of temporaries. */
import { record } from '../autograd/tape.js';
import { DisposedError, DTypeError, fmt } from '../errors/errors.js';
import { adopt, collectCreated } from '../memory/scope.js';
import type { DType } from '../tensor/dtype.js';
import { allocTyped, DTYPES } from '../tensor/dtype.js';
import { Tensor, type TensorLike } from '../tensor/tensor.js';
import { fromValues, runKernel } from './dispatch.js';

/** A temporary made by an op for its own use. */
export interface Operand {
  readonly t: Tensor;
  readonly temp: boolean;
}

/** The dtype a plain number takes next to a tensor of `other` dtype. */
function numberDType(v: number | boolean, other?: DType): DType {
  if (typeof v === 'boolean') return other === undefined || other === 'bool' ? 'bool' : other;
  if (other === 'float32' || !Number.isInteger(v)) return 'float32';
  if (other === 'int32' || other === 'bool') return 'int32';
  return 'float32';
}

/** A scalar tensor holding `v`. */
export function scalarTensor(v: number | boolean, dtype: DType): Tensor {
  const a = allocTyped(dtype, 1);
  a[0] = typeof v === 'boolean' ? (v ? 1 : 0) : v;
  return fromValues(a, [], dtype);
}

/** Checks that `x` is a tensor (or a number, when allowed), for friendly errors from JavaScript callers. */
export function asTensor(op: string, x: unknown, name = 'input'): Tensor {
  if (x instanceof Tensor) {
    // Checked at each public op's entry so the error names the op the user called.
    if (x.isDisposed) throw new DisposedError(op, `${name} ${fmt(x.shape)} (${x.dtype}) was disposed`);
    return x;
  }
  throw new DTypeError(op, `${name} must be a Tensor, got ${x === null ? 'null' : typeof x}`);
}

/** Converts a pair of operands, numbers taking their dtype from the other side. */
export function operands(op: string, x: TensorLike, y: TensorLike): [Operand, Operand] {
  const isNum = (v: unknown): v is number | boolean => typeof v === 'number' || typeof v === 'boolean';
  if (!isNum(x)) asTensor(op, x, 'first input');
  if (!isNum(y)) asTensor(op, y, 'second input');
  const a: Operand = isNum(x)
    ? { t: scalarTensor(x, numberDType(x, isNum(y) ? undefined : (y as Tensor).dtype)), temp: true }
    : { t: x as Tensor, temp: false };
  const b: Operand = isNum(y)
    ? { t: scalarTensor(y, numberDType(y, a.t.dtype)), temp: true }
    : { t: y as Tensor, temp: false };
  return [a, b];
}

/** The common dtype of two (PyTorch-like: float beats int beats bool). */
export function promote(a: DType, b: DType): DType {
  if (a === 'float32' || b === 'float32') return 'float32';
  if (a === 'int32' || b === 'int32') return 'int32';
  return 'bool';
}

/** `o` converted to `dtype` (a new temporary when a cast is needed). */
export function castOperand(o: Operand, dtype: DType): Operand {
  if (o.t.dtype === dtype) return o;
  const c = cast(o.t, dtype);
  if (o.temp) adoptOwned(c, [o.t]);
  return { t: c, temp: true };
}

/**
 * Frees temporaries once `out` is made: at once when no gradient was recorded, else with `out`
 * (its backward may still read them).
 */
export function adoptOwned(out: Tensor, temps: readonly (Operand | Tensor)[]): Tensor {
  const list = temps
    .map((o) => (o instanceof Tensor ? o : o.temp ? o.t : null))
    .filter((t): t is Tensor => t !== null);
  if (list.length === 0) return out;
  if (out.gradNode) {
    for (const t of list) adopt(t);
    out.owned = [...(out.owned ?? []), ...list];
  } else {
    for (const t of list) t.dispose();
  }
  return out;
}

/**
 * Converts to another dtype. float→int truncates toward zero; →bool is `x != 0`.
 *
 * @example
 * ```ts
 * cast(tensor([1.7, -1.7]), 'int32'); // [1, -1]
 * ```
 */
export function cast(x: Tensor, dtype: DType): Tensor {
  asTensor('cast', x);
  if (!DTYPES.includes(dtype))
    throw new DTypeError('cast', `unknown dtype '${String(dtype)}' for ${fmt(x.shape)}`);
  const out = runKernel('cast', 'cast', [x], {}, x.shape, dtype);
  // Only a float→float copy carries a gradient; casting to int or bool cuts the graph, as in PyTorch.
  if (x.dtype === 'float32' && dtype === 'float32') return record('cast', out, [x], (dy) => [dy]);
  return out;
}

/**
 * Runs an op written from other ops. Its intermediates are freed at once when no gradient was recorded,
 * else owned by the result, whose backward reads them.
 */
export function composite(fn: () => Tensor): Tensor {
  const { result, created } = collectCreated(fn);
  return adoptOwned(result, created as Tensor[]);
}
