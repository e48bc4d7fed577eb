/**
 * Shape helpers for describing an index mapping to a shader: row-major strides, broadcast strides, and
 * coalescing (dropping size-1 dims and merging dims that are contiguous for every operand), which keeps
 * the rank a shader loops over small.
 */

/** The most dims a shader's index loop handles after coalescing. */
export const MAX_RANK = 8;

/** Row-major strides of a shape. */
export function stridesOf(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i] as number;
  }
  return strides;
}

/** Number of elements of a shape. */
export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/**
 * Strides for reading an input of shape `inShape` at the coordinates of a broadcast output of shape
 * `outShape` (NumPy rules: right-aligned; a dim of size 1 broadcasts, so its stride is 0).
 */
export function broadcastStrides(inShape: readonly number[], outShape: readonly number[]): number[] {
  const inStrides = stridesOf(inShape);
  const lead = outShape.length - inShape.length;
  return outShape.map((_, i) => {
    const j = i - lead;
    if (j < 0) return 0;
    return inShape[j] === 1 ? 0 : (inStrides[j] as number);
  });
}

/** An iteration space and, for each operand, the stride of each of its dims. */
export interface Layout {
  shape: number[];
  strides: number[][];
}

/**
 * Drops size-1 dims and merges neighbouring dims `i, i+1` when every operand steps through them as one
 * (`stride[i] == stride[i+1] * shape[i+1]`). The element order is unchanged.
 *
 * @example
 * coalesce([2, 3, 4], [[12, 4, 1], [0, 0, 1]]) // → { shape: [6, 4], strides: [[4, 1], [0, 1]] }
 */
export function coalesce(shape: readonly number[], strides: readonly (readonly number[])[]): Layout {
  const outShape: number[] = [];
  const outStrides: number[][] = strides.map(() => []);
  for (let d = 0; d < shape.length; d++) {
    const size = shape[d] as number;
    if (size === 1) continue;
    const last = outShape.length - 1;
    const mergeable =
      last >= 0 && strides.every((s, k) => (outStrides[k]?.[last] as number) === (s[d] as number) * size);
    if (mergeable) {
      outShape[last] = (outShape[last] as number) * size;
      strides.forEach((s, k) => {
        (outStrides[k] as number[])[last] = s[d] as number;
      });
    } else {
      outShape.push(size);
      strides.forEach((s, k) => {
        (outStrides[k] as number[]).push(s[d] as number);
      });
    }
  }
  return { shape: outShape, strides: outStrides };
}

/** Pads an array to `MAX_RANK` entries with `fill`, for a fixed-size params block. */
export function padRank(values: readonly number[], fill = 0): number[] {
  const out = values.slice();
  while (out.length < MAX_RANK) out.push(fill);
  return out;
}
