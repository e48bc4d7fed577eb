// biome-ignore-all lint/style/noNonNullAssertion: typed-array reads in hot loops are in bounds by construction.
import type { TypedArray } from '../backend/kernels.js';
import { RunCursor, type StridedPlan } from './layout.js';

/**
 * `out[i] = cond[i] ? a[i] : b[i]` with all three broadcast to the output, on output elements
 * `[start, end)`.
 *
 * Range: flat output element indices; disjoint ranges write disjoint elements. `plan` is
 * `broadcastPlan(out.shape, [cond.shape, a.shape, b.shape])`.
 *
 * @example
 * ```ts
 * const plan = broadcastPlan([3], [[3], [3], []]);
 * const out = new Float32Array(3);
 * whereRange(new Uint8Array([1, 0, 1]), new Float32Array([1, 2, 3]), new Float32Array([0]), out, plan, 0, 3);
 * // out = [1, 0, 3]
 * ```
 */
export function whereRange(
  cond: Uint8Array,
  a: TypedArray,
  b: TypedArray,
  out: TypedArray,
  plan: StridedPlan,
  start: number,
  end: number,
): void {
  const cursor = new RunCursor(plan, start);
  const [sc, sa, sb] = cursor.innerStrides as [number, number, number];
  let pos = start;
  while (pos < end) {
    const n = cursor.runLength(pos, end);
    let ic = cursor.offsets[0]!;
    let ia = cursor.offsets[1]!;
    let ib = cursor.offsets[2]!;
    const stop = pos + n;
    for (let o = pos; o < stop; o++, ic += sc, ia += sa, ib += sb) out[o] = cond[ic] !== 0 ? a[ia]! : b[ib]!;
    pos = stop;
    cursor.nextRow();
  }
}
