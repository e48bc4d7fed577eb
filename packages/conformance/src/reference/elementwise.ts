/** Float64 references of elementwise ops (unary, binary with broadcasting). */
import { broadcastIndex, broadcastShape, size } from './layout.js';

/** A float64 result with its shape. */
export interface RefTensor {
  readonly data: Float64Array;
  readonly shape: number[];
}

/** Float64 unary functions, by Myelin op name. */
export const UNARY_REF: Readonly<Record<string, (x: number) => number>> = {
  neg: (x) => -x,
  abs: Math.abs,
  square: (x) => x * x,
  sqrt: Math.sqrt,
  rsqrt: (x) => 1 / Math.sqrt(x),
  reciprocal: (x) => 1 / x,
  exp: Math.exp,
  expm1: Math.expm1,
  log: Math.log,
  log1p: Math.log1p,
  sin: Math.sin,
  cos: Math.cos,
  tanh: Math.tanh,
  sigmoid: (x) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x))),
  softplus: (x) => Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x))),
  relu: (x) => Math.max(x, 0),
};

/** Float64 binary functions, by Myelin op name (comparisons give 0/1). */
export const BINARY_REF: Readonly<Record<string, (a: number, b: number) => number>> = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  // C's pow (and PyTorch's): 1^y = 1 even for NaN, (-1)^±∞ = 1; JavaScript's ** gives NaN for both.
  pow: (a, b) => (a === 1 || (a === -1 && !Number.isFinite(b) && !Number.isNaN(b)) ? 1 : a ** b),
  maximum: (a, b) => (Number.isNaN(a) || Number.isNaN(b) ? Number.NaN : Math.max(a, b)),
  minimum: (a, b) => (Number.isNaN(a) || Number.isNaN(b) ? Number.NaN : Math.min(a, b)),
  atan2: Math.atan2,
  mod: (a, b) => a - b * Math.floor(a / b),
  equal: (a, b) => (a === b ? 1 : 0),
  notEqual: (a, b) => (a !== b ? 1 : 0),
  less: (a, b) => (a < b ? 1 : 0),
  lessEqual: (a, b) => (a <= b ? 1 : 0),
  greater: (a, b) => (a > b ? 1 : 0),
  greaterEqual: (a, b) => (a >= b ? 1 : 0),
};

/** `f(x)` elementwise. */
export function refUnary(
  f: (x: number) => number,
  x: ArrayLike<number>,
  shape: readonly number[],
): RefTensor {
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = f(x[i] as number);
  return { data: out, shape: [...shape] };
}

/** `f(a, b)` with NumPy broadcasting. Throws when the shapes do not broadcast. */
export function refBinary(
  f: (a: number, b: number) => number,
  a: ArrayLike<number>,
  aShape: readonly number[],
  b: ArrayLike<number>,
  bShape: readonly number[],
): RefTensor {
  const shape = broadcastShape(aShape, bShape);
  if (!shape)
    throw new Error(`reference: ${JSON.stringify(aShape)} and ${JSON.stringify(bShape)} do not broadcast`);
  const ia = broadcastIndex(aShape, shape);
  const ib = broadcastIndex(bShape, shape);
  const out = new Float64Array(size(shape));
  for (let i = 0; i < out.length; i++) out[i] = f(a[ia[i] as number] as number, b[ib[i] as number] as number);
  return { data: out, shape };
}

/** `where(cond, a, b)` with broadcasting of all three. */
export function refWhere(
  c: ArrayLike<number>,
  cShape: readonly number[],
  a: ArrayLike<number>,
  aShape: readonly number[],
  b: ArrayLike<number>,
  bShape: readonly number[],
): RefTensor {
  const ab = broadcastShape(aShape, bShape);
  const shape = ab && broadcastShape(cShape, ab);
  if (!shape) throw new Error('reference: where shapes do not broadcast');
  const ic = broadcastIndex(cShape, shape);
  const ia = broadcastIndex(aShape, shape);
  const ib = broadcastIndex(bShape, shape);
  const out = new Float64Array(size(shape));
  for (let i = 0; i < out.length; i++) {
    out[i] =
      (c[ic[i] as number] as number) !== 0 ? (a[ia[i] as number] as number) : (b[ib[i] as number] as number);
  }
  return { data: out, shape };
}
