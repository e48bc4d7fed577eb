// biome-ignore-all lint/style/noNonNullAssertion: typed-array reads in hot loops are in bounds by construction.
import type { TypedArray } from '../backend/kernels.js';

/**
 * The view of a gather along an axis: x as [outer, axisSize, inner], the flattened indices of length
 * `count`, the output as [outer, count, inner].
 */
export interface GatherDims {
  readonly outer: number;
  readonly axisSize: number;
  readonly inner: number;
  readonly count: number;
}

/**
 * Dims of gathering `xShape` along `axis` (non-negative) with `count` indices. Also the dims of its
 * gradient, scatterAdd, with `xShape` = scatterAdd's output shape.
 *
 * @example
 * ```ts
 * gatherDims([10, 4], 0, 3); // { outer: 1, axisSize: 10, inner: 4, count: 3 }
 * ```
 */
export function gatherDims(xShape: readonly number[], axis: number, count: number): GatherDims {
  let outer = 1;
  let inner = 1;
  for (let d = 0; d < axis; d++) outer *= xShape[d]!;
  for (let d = axis + 1; d < xShape.length; d++) inner *= xShape[d]!;
  return { outer, axisSize: xShape[axis]!, inner, count };
}

/**
 * `out[o, i, :] = x[o, indices[i], :]` on output slices `[start, end)`: slice `s = o·count + i` is the
 * `inner` elements at `out[s·inner]`.
 *
 * Range: output slices (outer·count of them); disjoint ranges write disjoint slices.
 *
 * @example
 * ```ts
 * const d = gatherDims([3, 2], 0, 2);
 * const out = new Float32Array(4);
 * gatherRange(new Float32Array([1, 2, 3, 4, 5, 6]), new Int32Array([2, 0]), out, d, 0, 2); // [5, 6, 1, 2]
 * ```
 */
export function gatherRange(
  x: TypedArray,
  indices: Int32Array,
  out: TypedArray,
  d: GatherDims,
  start: number,
  end: number,
): void {
  const { axisSize, inner, count } = d;
  for (let s = start; s < end; s++) {
    const o = Math.floor(s / count);
    const src = (o * axisSize + indices[s - o * count]!) * inner;
    const dst = s * inner;
    if (inner === 1) out[dst] = x[src]!;
    else for (let j = 0; j < inner; j++) out[dst + j] = x[src + j]!;
  }
}

/**
 * The gradient of gather: `out = 0; out[o, indices[i], j] += updates[o, i, j]`, on output columns
 * `[start, end)`, a column `t = o·inner + j` being every element `out[o, :, j]`.
 *
 * Range: (outer, inner) columns of out [outer, axisSize, inner]. Repeated indices add into the same
 * row, so ranges split across columns, never across indices: disjoint ranges write disjoint elements.
 * For an embedding gradient (axis 0) the columns are the embedding's features.
 *
 * @example
 * ```ts
 * const d = gatherDims([3, 1], 0, 3);
 * const out = new Float32Array(3);
 * scatterAddRange(new Float32Array([1, 2, 4]), new Int32Array([0, 2, 0]), out, d, 0, 1); // [5, 0, 2]
 * ```
 */
export function scatterAddRange(
  updates: TypedArray,
  indices: Int32Array,
  out: TypedArray,
  d: GatherDims,
  start: number,
  end: number,
): void {
  const { axisSize, inner, count } = d;
  let t = start;
  while (t < end) {
    const o = Math.floor(t / inner);
    const j0 = t - o * inner;
    const j1 = Math.min(inner, j0 + (end - t));
    const outBase = o * axisSize * inner;
    for (let a = 0; a < axisSize; a++) out.fill(0, outBase + a * inner + j0, outBase + a * inner + j1);
    const updBase = o * count * inner;
    for (let i = 0; i < count; i++) {
      const dst = outBase + indices[i]! * inner;
      const src = updBase + i * inner;
      for (let j = j0; j < j1; j++) out[dst + j] = out[dst + j]! + updates[src + j]!;
    }
    t += j1 - j0;
  }
}

/**
 * One-hot rows `[start, end)`: row r of out [count, depth] is `on` at `indices[r]` and `off` elsewhere;
 * an index outside [0, depth) gives a row of `off`.
 *
 * Range: rows (one per index); disjoint ranges write disjoint rows.
 *
 * @example
 * ```ts
 * const out = new Float32Array(6);
 * oneHotRange(new Int32Array([2, 0]), out, 3, 1, 0, 0, 2); // [0, 0, 1, 1, 0, 0]
 * ```
 */
export function oneHotRange(
  indices: Int32Array,
  out: Float32Array,
  depth: number,
  on: number,
  off: number,
  start: number,
  end: number,
): void {
  out.fill(off, start * depth, end * depth);
  for (let r = start; r < end; r++) {
    const k = indices[r]!;
    if (k >= 0 && k < depth) out[r * depth + k] = on;
  }
}
