// biome-ignore-all lint/style/noNonNullAssertion: typed-array reads in hot loops are in bounds by construction.
import type { BinaryOp, TypedArray } from '../backend/kernels.js';
import { RunCursor, type StridedPlan } from './layout.js';

/** Floored modulo (Python / PyTorch `remainder`): the result takes the sign of the divisor. */
export function flooredMod(a: number, b: number): number {
  const r = a % b;
  return r !== 0 && r < 0 !== b < 0 ? r + b : r;
}

/**
 * `a ** b` with C's (and so PyTorch's) special cases where JavaScript differs: `pow(1, y)` is 1 for every
 * y, NaN included, and `pow(-1, ±Infinity)` is 1.
 */
export function powC(a: number, b: number): number {
  if (a === 1 || (a === -1 && (b === Number.POSITIVE_INFINITY || b === Number.NEGATIVE_INFINITY))) return 1;
  return a ** b;
}

/**
 * One run of a binary op: `out[o + i] = op(a[ia + i*sa], b[ib + i*sb])` for `i < n`. Comparisons are
 * written `+(a < b)` so that they compile without a data-dependent branch (see `unary.ts`).
 * Strides are 0 (broadcast) or the input's stride along the run, so one loop serves same-shape,
 * scalar and broadcast operands.
 */
function binaryRun(
  op: BinaryOp,
  intMath: boolean,
  a: TypedArray,
  ia: number,
  sa: number,
  b: TypedArray,
  ib: number,
  sb: number,
  out: TypedArray,
  o: number,
  n: number,
): void {
  const end = o + n;
  switch (op) {
    case 'add':
      for (; o < end; o++, ia += sa, ib += sb) out[o] = a[ia]! + b[ib]!;
      return;
    case 'sub':
      for (; o < end; o++, ia += sa, ib += sb) out[o] = a[ia]! - b[ib]!;
      return;
    case 'mul':
      if (intMath) {
        // int32 products must wrap, and a double product of two int32 values can lose low bits.
        for (; o < end; o++, ia += sa, ib += sb) out[o] = Math.imul(a[ia]!, b[ib]!);
      } else {
        for (; o < end; o++, ia += sa, ib += sb) out[o] = a[ia]! * b[ib]!;
      }
      return;
    case 'div':
      for (; o < end; o++, ia += sa, ib += sb) out[o] = a[ia]! / b[ib]!;
      return;
    case 'pow':
      for (; o < end; o++, ia += sa, ib += sb) out[o] = powC(a[ia]!, b[ib]!);
      return;
    case 'maximum':
      // Math.max propagates NaN, as torch.maximum does.
      for (; o < end; o++, ia += sa, ib += sb) out[o] = Math.max(a[ia]!, b[ib]!);
      return;
    case 'minimum':
      for (; o < end; o++, ia += sa, ib += sb) out[o] = Math.min(a[ia]!, b[ib]!);
      return;
    case 'mod':
      for (; o < end; o++, ia += sa, ib += sb) out[o] = flooredMod(a[ia]!, b[ib]!);
      return;
    case 'atan2':
      for (; o < end; o++, ia += sa, ib += sb) out[o] = Math.atan2(a[ia]!, b[ib]!);
      return;
    case 'equal':
      for (; o < end; o++, ia += sa, ib += sb) out[o] = +(a[ia] === b[ib]);
      return;
    case 'notEqual':
      for (; o < end; o++, ia += sa, ib += sb) out[o] = +(a[ia] !== b[ib]);
      return;
    case 'less':
      for (; o < end; o++, ia += sa, ib += sb) out[o] = +(a[ia]! < b[ib]!);
      return;
    case 'lessEqual':
      for (; o < end; o++, ia += sa, ib += sb) out[o] = +(a[ia]! <= b[ib]!);
      return;
    case 'greater':
      for (; o < end; o++, ia += sa, ib += sb) out[o] = +(a[ia]! > b[ib]!);
      return;
    case 'greaterEqual':
      for (; o < end; o++, ia += sa, ib += sb) out[o] = +(a[ia]! >= b[ib]!);
      return;
    case 'logicalAnd':
      for (; o < end; o++, ia += sa, ib += sb) out[o] = +(a[ia]! !== 0) & +(b[ib]! !== 0);
      return;
    case 'logicalOr':
      for (; o < end; o++, ia += sa, ib += sb) out[o] = +(a[ia]! !== 0) | +(b[ib]! !== 0);
      return;
    default: {
      const never: never = op;
      throw new Error(`binary: unknown op ${String(never)}`);
    }
  }
}

/**
 * Broadcasting binary op on output elements `[start, end)`.
 *
 * Range: flat output element indices; disjoint ranges write disjoint elements. `plan` is
 * `broadcastPlan(out.shape, [a.shape, b.shape])`, computed once per op and shared by all ranges.
 * Same-shape and scalar operands coalesce to a single run, so they take the one-loop fast path.
 *
 * @example
 * ```ts
 * const plan = broadcastPlan([2, 2], [[2, 2], [2]]);
 * const out = new Float32Array(4);
 * binaryRange('add', new Float32Array([1, 2, 3, 4]), new Float32Array([10, 20]), out, plan, 0, 4);
 * // out = [11, 22, 13, 24]
 * ```
 */
export function binaryRange(
  op: BinaryOp,
  a: TypedArray,
  b: TypedArray,
  out: TypedArray,
  plan: StridedPlan,
  start: number,
  end: number,
): void {
  const intMath = out instanceof Int32Array;
  if (plan.shape.length === 1) {
    const sa = plan.strides[0]![0]!;
    const sb = plan.strides[1]![0]!;
    binaryRun(op, intMath, a, start * sa, sa, b, start * sb, sb, out, start, end - start);
    return;
  }
  const cursor = new RunCursor(plan, start);
  const [sa, sb] = cursor.innerStrides as [number, number];
  let pos = start;
  while (pos < end) {
    const n = cursor.runLength(pos, end);
    binaryRun(op, intMath, a, cursor.offsets[0]!, sa, b, cursor.offsets[1]!, sb, out, pos, n);
    pos += n;
    cursor.nextRow();
  }
}
