// biome-ignore-all lint/style/noNonNullAssertion: typed-array reads in hot loops are in bounds by construction.
import type { ReduceOp, TypedArray } from '../backend/kernels.js';
import { coalesce, RunCursor, type StridedPlan, stridesOf } from './layout.js';

/**
 * How a reduction walks its input: the kept dims (one output element each, row-major) and the reduced
 * dims (folded into that element), both coalesced and given as input strides.
 */
export interface ReducePlan {
  /** Kept dims, coalesced (rank >= 1); `keptStrides` are input strides. Output is dense over them. */
  readonly keptShape: readonly number[];
  readonly keptStrides: readonly number[];
  /** Reduced dims, coalesced (rank >= 1); `redStrides` are input strides. */
  readonly redShape: readonly number[];
  readonly redStrides: readonly number[];
  /** Elements folded into each output element. */
  readonly redSize: number;
}

/**
 * The walk of reducing `xShape` over `axes` (non-negative, distinct).
 *
 * @example
 * ```ts
 * reducePlan([2, 3, 4], [1]); // kept [2, 4] strides [12, 1]; reduced [3] stride [4]
 * ```
 */
export function reducePlan(xShape: readonly number[], axes: readonly number[]): ReducePlan {
  const strides = stridesOf(xShape);
  const keptShape: number[] = [];
  const keptStrides: number[] = [];
  const redShape: number[] = [];
  const redStrides: number[] = [];
  let redSize = 1;
  for (let d = 0; d < xShape.length; d++) {
    if (axes.includes(d)) {
      redShape.push(xShape[d]!);
      redStrides.push(strides[d]!);
      redSize *= xShape[d]!;
    } else {
      keptShape.push(xShape[d]!);
      keptStrides.push(strides[d]!);
    }
  }
  const kept = coalesce(keptShape, [keptStrides]);
  const red = coalesce(redShape, [redStrides]);
  return {
    keptShape: kept.shape,
    keptStrides: kept.strides[0]!,
    redShape: red.shape,
    redStrides: red.strides[0]!,
    redSize,
  };
}

function identityOf(op: ReduceOp): number {
  switch (op) {
    case 'max':
      return Number.NEGATIVE_INFINITY;
    case 'min':
      return Number.POSITIVE_INFINITY;
    case 'prod':
    case 'all':
      return 1;
    default:
      return 0;
  }
}

/** Folds `n` elements of `x` from `off` with stride `stride` into `acc`. NaN propagates for max/min. */
function foldRun(
  op: ReduceOp,
  intMath: boolean,
  x: TypedArray,
  off: number,
  stride: number,
  n: number,
  acc: number,
): number {
  // Loops count elements rather than compare offsets: a coalesced size-1 dim has stride 0.
  const end = off + n * stride;
  if (stride === 0 && n > 0) return foldRun(op, intMath, x, off, 1, 1, acc);
  switch (op) {
    case 'sum':
    case 'mean':
      for (let i = off; i !== end; i += stride) acc += x[i]!;
      return acc;
    case 'max':
      for (let i = off; i !== end; i += stride) {
        const v = x[i]!;
        if (v > acc || Number.isNaN(v)) acc = v;
      }
      return acc;
    case 'min':
      for (let i = off; i !== end; i += stride) {
        const v = x[i]!;
        if (v < acc || Number.isNaN(v)) acc = v;
      }
      return acc;
    case 'prod':
      if (intMath) {
        for (let i = off; i !== end; i += stride) acc = Math.imul(acc, x[i]!);
      } else {
        for (let i = off; i !== end; i += stride) acc *= x[i]!;
      }
      return acc;
    case 'any':
      for (let i = off; i !== end; i += stride) if (x[i] !== 0) return 1;
      return acc;
    case 'all':
      for (let i = off; i !== end; i += stride) if (x[i] === 0) return 0;
      return acc;
  }
}

/** `acc[j] = op(acc[j], x[off + j])` for `j < n`: one reduced slice folded into a row of outputs. */
function foldColumns(
  op: ReduceOp,
  intMath: boolean,
  x: TypedArray,
  off: number,
  acc: Float64Array,
  n: number,
): void {
  switch (op) {
    case 'sum':
    case 'mean':
      for (let j = 0; j < n; j++) acc[j] = acc[j]! + x[off + j]!;
      return;
    case 'max':
      for (let j = 0; j < n; j++) {
        const v = x[off + j]!;
        if (v > acc[j]! || Number.isNaN(v)) acc[j] = v;
      }
      return;
    case 'min':
      for (let j = 0; j < n; j++) {
        const v = x[off + j]!;
        if (v < acc[j]! || Number.isNaN(v)) acc[j] = v;
      }
      return;
    case 'prod':
      if (intMath) {
        for (let j = 0; j < n; j++) acc[j] = Math.imul(acc[j]!, x[off + j]!);
      } else {
        for (let j = 0; j < n; j++) acc[j] = acc[j]! * x[off + j]!;
      }
      return;
    case 'any':
      for (let j = 0; j < n; j++) if (x[off + j] !== 0) acc[j] = 1;
      return;
    case 'all':
      for (let j = 0; j < n; j++) if (x[off + j] === 0) acc[j] = 0;
      return;
  }
}

/** Calls `visit(offset)` for the input offset of every reduced position, in row-major order. */
function forEachReducedOffset(
  shape: readonly number[],
  strides: readonly number[],
  base: number,
  visit: (offset: number) => void,
): void {
  const rank = shape.length;
  const index = new Array<number>(rank).fill(0);
  let off = base;
  for (;;) {
    visit(off);
    let d = rank - 1;
    for (; d >= 0; d--) {
      const i = index[d]! + 1;
      if (i < shape[d]!) {
        index[d] = i;
        off += strides[d]!;
        break;
      }
      index[d] = 0;
      off -= (i - 1) * strides[d]!;
    }
    if (d < 0) return;
  }
}

/**
 * Reduction on output elements `[start, end)` (output = x.shape with reduced axes kept as size 1).
 *
 * Range: flat output element indices; disjoint ranges write disjoint elements. `plan` is
 * `reducePlan(x.shape, axes)`. Sums accumulate in float64. When the input's innermost dim is kept
 * (e.g. the bias gradient, a sum over the batch), whole rows of outputs are folded at once so the input
 * is read contiguously; otherwise each output folds its reduced elements with the innermost one tight.
 *
 * @example
 * ```ts
 * const x = new Float32Array([1, 2, 3, 4, 5, 6]); // [2, 3]
 * const out = new Float32Array(3);
 * reduceRange('sum', x, out, reducePlan([2, 3], [0]), 0, 3); // out = [5, 7, 9]
 * ```
 */
export function reduceRange(
  op: ReduceOp,
  x: TypedArray,
  out: TypedArray,
  plan: ReducePlan,
  start: number,
  end: number,
): void {
  const intMath = out instanceof Int32Array;
  const identity = identityOf(op);
  const scale = op === 'mean' ? 1 / plan.redSize : 1;
  const keptWalk: StridedPlan = { shape: plan.keptShape, strides: [plan.keptStrides] };
  const cursor = new RunCursor(keptWalk, start);
  const innerStride = cursor.innerStrides[0]!;
  const redShape = plan.redShape;
  const redStrides = plan.redStrides;
  const redRank = redShape.length;
  let pos = start;

  if (innerStride === 1 && cursor.inner > 1) {
    // Columns: the kept inner dim is contiguous in x, so fold whole reduced slices into a row of outputs.
    const acc = new Float64Array(Math.min(cursor.inner, end - start));
    while (pos < end) {
      const n = cursor.runLength(pos, end);
      const base = cursor.offsets[0]!;
      acc.fill(identity, 0, n);
      forEachReducedOffset(redShape, redStrides, base, (off) => foldColumns(op, intMath, x, off, acc, n));
      for (let j = 0; j < n; j++) out[pos + j] = acc[j]! * scale;
      pos += n;
      cursor.nextRow();
    }
    return;
  }

  // Rows: fold each output's reduced elements, the innermost reduced dim as one strided run.
  const runShape = redShape.slice(0, redRank - 1);
  const runStrides = redStrides.slice(0, redRank - 1);
  const runLen = redShape[redRank - 1]!;
  const runStride = redStrides[redRank - 1]!;
  while (pos < end) {
    const n = cursor.runLength(pos, end);
    let base = cursor.offsets[0]!;
    for (let j = 0; j < n; j++, base += innerStride) {
      let acc = identity;
      if (redRank === 1) {
        acc = foldRun(op, intMath, x, base, runStride, runLen, acc);
      } else {
        forEachReducedOffset(runShape, runStrides, base, (off) => {
          acc = foldRun(op, intMath, x, off, runStride, runLen, acc);
        });
      }
      out[pos + j] = acc * scale;
    }
    pos += n;
    cursor.nextRow();
  }
}

/** The view of an arg-reduction: x as [outer, size, inner] with the reduced axis in the middle. */
export interface ArgReduceDims {
  readonly outer: number;
  readonly size: number;
  readonly inner: number;
}

/** Dims of an arg-reduction of `xShape` along `axis` (non-negative). */
export function argReduceDims(xShape: readonly number[], axis: number): ArgReduceDims {
  let outer = 1;
  let inner = 1;
  for (let d = 0; d < axis; d++) outer *= xShape[d]!;
  for (let d = axis + 1; d < xShape.length; d++) inner *= xShape[d]!;
  return { outer, size: xShape[axis]!, inner };
}

/**
 * Index of the first max (or min) along the reduced axis, on output elements `[start, end)` of the
 * int32 output (shape x.shape with the axis as size 1). A NaN counts as the extreme, like PyTorch.
 *
 * Range: flat output element indices (`outer * inner` of them); disjoint ranges write disjoint elements.
 *
 * @example
 * ```ts
 * const out = new Int32Array(2);
 * argReduceRange('argmax', new Float32Array([1, 5, 2, 7, 0, 7]), out, { outer: 2, size: 3, inner: 1 }, 0, 2);
 * // out = [1, 0]
 * ```
 */
export function argReduceRange(
  op: 'argmax' | 'argmin',
  x: TypedArray,
  out: Int32Array,
  dims: ArgReduceDims,
  start: number,
  end: number,
): void {
  const { size, inner } = dims;
  const sign = op === 'argmax' ? 1 : -1;
  for (let o = start; o < end; o++) {
    const outer = Math.floor(o / inner);
    const base = outer * size * inner + (o - outer * inner);
    let best = sign * x[base]!;
    let bestIndex = 0;
    if (!Number.isNaN(best)) {
      for (let k = 1, i = base + inner; k < size; k++, i += inner) {
        const v = sign * x[i]!;
        if (v > best || Number.isNaN(v)) {
          best = v;
          bestIndex = k;
          if (Number.isNaN(v)) break;
        }
      }
    }
    out[o] = bestIndex;
  }
}
