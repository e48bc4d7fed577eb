// biome-ignore-all lint/style/noNonNullAssertion: typed-array reads in hot loops are in bounds by construction.
/**
 * Data movement: transpose, slice, concat and pad. Transpose and slice are the same strided copy with
 * different plans; all four work on flat output elements, so any split of the output is safe.
 */
import type { TypedArray } from '../backend/kernels.js';
import { coalesce, RunCursor, type StridedPlan, stridesOf } from './layout.js';

/** A strided read of one input: output element at multi-index i reads `x[offset + Σ i[d]·strides[0][d]]`. */
export interface CopyPlan extends StridedPlan {
  readonly offset: number;
}

/**
 * The plan of `transpose(x, perm)`: out.shape[i] = x.shape[perm[i]].
 *
 * @example
 * ```ts
 * transposePlan([2, 3], [1, 0]); // { shape: [3, 2], strides: [[1, 3]], offset: 0 }
 * ```
 */
export function transposePlan(xShape: readonly number[], perm: readonly number[]): CopyPlan {
  const strides = stridesOf(xShape);
  const plan = coalesce(
    perm.map((p) => xShape[p]!),
    [perm.map((p) => strides[p]!)],
  );
  return { ...plan, offset: 0 };
}

/**
 * The plan of a strided slice: out[i...] = x[begin + i·step ...] per axis, `outShape` given by core.
 * Missing trailing entries of `begin`/`step` mean 0/1.
 */
export function slicePlan(
  xShape: readonly number[],
  begin: readonly number[],
  step: readonly number[],
  outShape: readonly number[],
): CopyPlan {
  const strides = stridesOf(xShape);
  let offset = 0;
  const walk: number[] = [];
  for (let d = 0; d < xShape.length; d++) {
    offset += (begin[d] ?? 0) * strides[d]!;
    walk.push((step[d] ?? 1) * strides[d]!);
  }
  return { ...coalesce(outShape, [walk]), offset };
}

/** Below this run length a plain loop beats `subarray` + `set`. */
const SET_MIN_RUN = 32;

/**
 * `out[i] = x[plan(i)]` on output elements `[start, end)` — the body of transpose and slice.
 *
 * Range: flat output element indices; disjoint ranges write disjoint elements. `x` and `out` have the
 * same storage type.
 *
 * @example
 * ```ts
 * const out = new Float32Array(6);
 * stridedCopyRange(new Float32Array([1, 2, 3, 4, 5, 6]), out, transposePlan([2, 3], [1, 0]), 0, 6);
 * // out = [1, 4, 2, 5, 3, 6]
 * ```
 */
export function stridedCopyRange(
  x: TypedArray,
  out: TypedArray,
  plan: CopyPlan,
  start: number,
  end: number,
): void {
  const shape = plan.shape;
  const rank = shape.length;
  if (rank === 2 && plan.strides[0]![1] !== 1 && plan.strides[0]![0] === 1) {
    transposeTiled(x, out, plan, start, end);
    return;
  }
  const cursor = new RunCursor(plan, start, [plan.offset]);
  const s = cursor.innerStrides[0]!;
  let pos = start;
  while (pos < end) {
    const n = cursor.runLength(pos, end);
    const src = cursor.offsets[0]!;
    if (s === 1 && n >= SET_MIN_RUN) {
      (out as Float32Array).set((x as Float32Array).subarray(src, src + n), pos);
    } else {
      for (let i = 0, j = src; i < n; i++, j += s) out[pos + i] = x[j]!;
    }
    pos += n;
    cursor.nextRow();
  }
}

/** Tile edge of the blocked 2-D transpose: 32×32 floats read and written within L1. */
const TILE = 32;

/**
 * A plan that reduced to a plain 2-D transpose (out [R, Cc] reads x with strides [1, ld]): copy it in
 * square tiles so that reads and writes both stay within a few cache lines. Rows outside full-row
 * coverage of the range fall back to the element loop.
 */
function transposeTiled(x: TypedArray, out: TypedArray, plan: CopyPlan, start: number, end: number): void {
  const cols = plan.shape[1]!;
  const ld = plan.strides[0]![1]!;
  const off = plan.offset;
  const copyElements = (from: number, to: number): void => {
    for (let i = from; i < to; i++) {
      const r = Math.floor(i / cols);
      out[i] = x[off + r + (i - r * cols) * ld]!;
    }
  };
  const firstFull = Math.ceil(start / cols);
  const lastFull = Math.floor(end / cols);
  if (firstFull >= lastFull) {
    copyElements(start, end);
    return;
  }
  copyElements(start, firstFull * cols);
  for (let r0 = firstFull; r0 < lastFull; r0 += TILE) {
    const r1 = Math.min(r0 + TILE, lastFull);
    for (let c0 = 0; c0 < cols; c0 += TILE) {
      const c1 = Math.min(c0 + TILE, cols);
      for (let r = r0; r < r1; r++) {
        const o = r * cols;
        for (let c = c0, src = off + r + c0 * ld; c < c1; c++, src += ld) out[o + c] = x[src]!;
      }
    }
  }
  copyElements(lastFull * cols, end);
}

/** The view of a concat: each input as [outer, width_i] (width = its axis size × inner). */
export interface ConcatDims {
  readonly outer: number;
  /** Per input: elements per outer index (axis size × inner). */
  readonly widths: readonly number[];
  /** Sum of widths: elements of out per outer index. */
  readonly total: number;
}

/** Dims of concatenating inputs of shapes `shapes` along `axis` (non-negative). */
export function concatDims(shapes: readonly (readonly number[])[], axis: number): ConcatDims {
  const first = shapes[0]!;
  let outer = 1;
  let inner = 1;
  for (let d = 0; d < axis; d++) outer *= first[d]!;
  for (let d = axis + 1; d < first.length; d++) inner *= first[d]!;
  const widths = shapes.map((s) => s[axis]! * inner);
  return { outer, widths, total: widths.reduce((a, b) => a + b, 0) };
}

/**
 * Concatenation on output elements `[start, end)`: out row o (of `total` elements) is the rows o of
 * every input, side by side.
 *
 * Range: flat output element indices; disjoint ranges write disjoint elements.
 *
 * @example
 * ```ts
 * const d = concatDims([[1, 2], [1, 1]], 1);
 * const out = new Float32Array(3);
 * concatRange([new Float32Array([1, 2]), new Float32Array([3])], out, d, 0, 3); // [1, 2, 3]
 * ```
 */
export function concatRange(
  inputs: readonly TypedArray[],
  out: TypedArray,
  d: ConcatDims,
  start: number,
  end: number,
): void {
  const { widths, total } = d;
  let pos = start;
  while (pos < end) {
    const o = Math.floor(pos / total);
    const rowStart = o * total;
    let col = pos - rowStart;
    let left = 0;
    for (let k = 0; k < widths.length && pos < end; k++) {
      const w = widths[k]!;
      if (col < left + w) {
        const from = col - left;
        const n = Math.min(w - from, end - pos);
        const src = o * w + from;
        const x = inputs[k]!;
        if (n >= SET_MIN_RUN) (out as Float32Array).set((x as Float32Array).subarray(src, src + n), pos);
        else for (let i = 0; i < n; i++) out[pos + i] = x[src + i]!;
        pos += n;
        col += n;
      }
      left += w;
    }
  }
}

/** The view of a pad: shapes and the leading padding per axis. */
export interface PadPlan {
  readonly xShape: readonly number[];
  readonly outShape: readonly number[];
  readonly before: readonly number[];
}

/** Plan of padding `xShape` by `paddings` ([before, after] per axis). */
export function padPlan(
  xShape: readonly number[],
  paddings: readonly (readonly [number, number])[],
): PadPlan {
  const before = xShape.map((_, d) => paddings[d]?.[0] ?? 0);
  const outShape = xShape.map((n, d) => n + (paddings[d]?.[0] ?? 0) + (paddings[d]?.[1] ?? 0));
  return { xShape, outShape, before };
}

/**
 * Constant padding on output elements `[start, end)`: out is x placed at offset `before` in a tensor
 * filled with `value`.
 *
 * Range: flat output element indices; disjoint ranges write disjoint elements.
 *
 * @example
 * ```ts
 * const out = new Float32Array(4);
 * padRange(new Float32Array([1, 2]), out, padPlan([2], [[1, 1]]), 0, 0, 4); // [0, 1, 2, 0]
 * ```
 */
export function padRange(
  x: TypedArray,
  out: TypedArray,
  plan: PadPlan,
  value: number,
  start: number,
  end: number,
): void {
  const { xShape, outShape, before } = plan;
  const rank = outShape.length;
  if (rank === 0) {
    if (start < end) out[0] = x[0]!;
    return;
  }
  const xStrides = stridesOf(xShape);
  const L = outShape[rank - 1]!;
  const xL = xShape[rank - 1]!;
  const bL = before[rank - 1]!;
  let pos = start;
  while (pos < end) {
    const row = Math.floor(pos / L);
    const j0 = pos - row * L;
    const j1 = Math.min(L, j0 + (end - pos));
    const rowStart = row * L;
    // Locate the input row under this output row, or learn that the row is wholly padding.
    let xRow = 0;
    let inside = true;
    let rest = row;
    for (let d = rank - 2; d >= 0; d--) {
      const n = outShape[d]!;
      const i = (rest % n) - before[d]!;
      rest = Math.floor(rest / n);
      if (i < 0 || i >= xShape[d]!) {
        inside = false;
        break;
      }
      xRow += i * xStrides[d]!;
    }
    if (!inside) {
      out.fill(value, rowStart + j0, rowStart + j1);
    } else {
      const lo = Math.min(Math.max(bL, j0), j1);
      const hi = Math.max(Math.min(bL + xL, j1), lo);
      out.fill(value, rowStart + j0, rowStart + lo);
      for (let j = lo; j < hi; j++) out[rowStart + j] = x[xRow + j - bL]!;
      out.fill(value, rowStart + hi, rowStart + j1);
    }
    pos = rowStart + j1;
  }
}
