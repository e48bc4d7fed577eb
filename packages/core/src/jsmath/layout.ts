// biome-ignore-all lint/style/noNonNullAssertion: indices into shape/stride arrays are in range by construction.
/**
 * Shape bookkeeping shared by the range kernels: row-major strides, broadcast strides, dimension
 * coalescing and a cursor that walks the output in runs along its innermost dimension.
 *
 * Everything here is a plain object of numbers (no classes cross an API boundary), so a plan computed
 * once on the main thread can be posted to worker threads and used there for any range.
 */

/** Row-major (C order) strides of a shape, in elements. */
export function stridesOf(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    strides[d] = s;
    s *= shape[d]!;
  }
  return strides;
}

/** Product of a shape's dims (1 for a scalar). */
export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/**
 * Strides of `inShape` as seen from each dim of `outShape` under NumPy broadcasting: `inShape` is
 * right-aligned against `outShape`; a missing or size-1 dim gets stride 0.
 */
export function broadcastStrides(inShape: readonly number[], outShape: readonly number[]): number[] {
  const own = stridesOf(inShape);
  const lead = outShape.length - inShape.length;
  const strides = new Array<number>(outShape.length).fill(0);
  for (let d = 0; d < inShape.length; d++) {
    strides[lead + d] = inShape[d] === 1 ? 0 : own[d]!;
  }
  return strides;
}

/**
 * A strided walk over a dense output: the output (row-major, `shape`) reads input `k` at
 * `offsets[k] + sum(index[d] * strides[k][d])`. Dims are coalesced, so most walks have rank 1 or 2.
 */
export interface StridedPlan {
  /** Coalesced output shape, rank >= 1. */
  readonly shape: readonly number[];
  /** Per input, one stride per coalesced dim. */
  readonly strides: readonly (readonly number[])[];
}

/**
 * Drops size-1 dims and merges neighbouring dims that every input walks the same way (inner stride times
 * inner size equals outer stride), so the walk has as few dims, and as long inner runs, as possible.
 */
export function coalesce(shape: readonly number[], strides: readonly (readonly number[])[]): StridedPlan {
  const outShape: number[] = [];
  const outStrides: number[][] = strides.map(() => []);
  for (let d = 0; d < shape.length; d++) {
    const n = shape[d]!;
    if (n === 1) continue;
    const last = outShape.length - 1;
    if (last >= 0 && strides.every((s, k) => s[d]! * n === outStrides[k]![last])) {
      // Dim d merges into the previous (outer) kept dim: the pair walks like one dim of the product size.
      outShape[last] = outShape[last]! * n;
      strides.forEach((s, k) => {
        outStrides[k]![last] = s[d]!;
      });
    } else {
      outShape.push(n);
      strides.forEach((s, k) => {
        outStrides[k]!.push(s[d]!);
      });
    }
  }
  if (outShape.length === 0) {
    outShape.push(1);
    for (const s of outStrides) s.push(0);
  }
  return { shape: outShape, strides: outStrides };
}

/**
 * The walk of a broadcasting elementwise op: output `outShape`, inputs `inShapes` broadcast to it.
 *
 * @example
 * ```ts
 * broadcastPlan([2, 3], [[2, 3], [3]]); // { shape: [2, 3], strides: [[3, 1], [0, 1]] }
 * broadcastPlan([2, 3], [[2, 3], [2, 3]]); // { shape: [6], strides: [[1], [1]] }
 * ```
 */
export function broadcastPlan(
  outShape: readonly number[],
  inShapes: readonly (readonly number[])[],
): StridedPlan {
  return coalesce(
    outShape,
    inShapes.map((s) => broadcastStrides(s, outShape)),
  );
}

/**
 * Walks a {@link StridedPlan} from output element `start` one run at a time, a run being a stretch of the
 * innermost coalesced dim. After construction `offsets` hold each input's offset at `start`; `run(end)`
 * tells how many elements the current run covers before `end`; `nextRow()` moves to the start of the
 * next row. Kept as a small class used only inside one call (never shared between threads).
 */
export class RunCursor {
  /** Length of the innermost coalesced dim. */
  readonly inner: number;
  /** Per input: offset of the current position. */
  readonly offsets: number[];
  /** Per input: stride along the innermost dim. */
  readonly innerStrides: number[];
  private readonly outer: readonly number[];
  private readonly strides: readonly (readonly number[])[];
  private readonly index: number[];
  private readonly base: number[];
  /** Index within the innermost dim of the current position. */
  innerIndex: number;

  constructor(plan: StridedPlan, start: number, initialOffsets?: readonly number[]) {
    const rank = plan.shape.length;
    this.inner = plan.shape[rank - 1]!;
    this.outer = plan.shape.slice(0, rank - 1);
    this.strides = plan.strides;
    this.innerStrides = plan.strides.map((s) => s[rank - 1]!);
    let row = Math.floor(start / this.inner);
    this.innerIndex = start - row * this.inner;
    this.index = new Array<number>(rank - 1).fill(0);
    for (let d = rank - 2; d >= 0; d--) {
      const n = this.outer[d]!;
      this.index[d] = row % n;
      row = Math.floor(row / n);
    }
    this.base = plan.strides.map((s, k) => {
      let off = initialOffsets ? initialOffsets[k]! : 0;
      for (let d = 0; d < rank - 1; d++) off += this.index[d]! * s[d]!;
      return off;
    });
    this.offsets = this.base.map((b, k) => b + this.innerIndex * this.innerStrides[k]!);
  }

  /** Elements in the current run, stopping at output position `pos` + room before `end`. */
  runLength(pos: number, end: number): number {
    return Math.min(this.inner - this.innerIndex, end - pos);
  }

  /** Moves to the first element of the next row (carrying through the outer dims). */
  nextRow(): void {
    const index = this.index;
    const base = this.base;
    for (let d = index.length - 1; d >= 0; d--) {
      const i = index[d]! + 1;
      if (i < this.outer[d]!) {
        index[d] = i;
        for (let k = 0; k < base.length; k++) base[k] = base[k]! + this.strides[k]![d]!;
        break;
      }
      index[d] = 0;
      for (let k = 0; k < base.length; k++) base[k] = base[k]! - (i - 1) * this.strides[k]![d]!;
    }
    this.innerIndex = 0;
    for (let k = 0; k < base.length; k++) this.offsets[k] = base[k]!;
  }
}
