/** Index arithmetic shared by the float64 references: strides, broadcasting, permutation. */

/** Row-major strides. */
export function strides(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i] as number;
  }
  return s;
}

/** Number of elements. */
export function size(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** NumPy broadcast of two shapes, or null when they do not broadcast. */
export function broadcastShape(a: readonly number[], b: readonly number[]): number[] | null {
  const rank = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) return null;
    out.push(da === 1 ? db : da);
  }
  return out;
}

/**
 * For each flat index of `out`, the flat index into a tensor of shape `shape` broadcast to `out`
 * (right-aligned, size-1 dims repeat).
 */
export function broadcastIndex(shape: readonly number[], out: readonly number[]): Int32Array {
  const n = size(out);
  const result = new Int32Array(n);
  const inStrides = strides(shape);
  const outStrides = strides(out);
  const lead = out.length - shape.length;
  for (let i = 0; i < n; i++) {
    let rem = i;
    let idx = 0;
    for (let d = 0; d < out.length; d++) {
      const coord = Math.floor(rem / (outStrides[d] as number));
      rem -= coord * (outStrides[d] as number);
      const sd = d - lead;
      if (sd >= 0 && shape[sd] !== 1) idx += coord * (inStrides[sd] as number);
    }
    result[i] = idx;
  }
  return result;
}

/** `data` of shape `shape` permuted: out.shape[i] = shape[perm[i]]. */
export function permuteData<T extends ArrayLike<number>>(
  data: T,
  shape: readonly number[],
  perm: readonly number[],
): { data: number[]; shape: number[] } {
  const outShape = perm.map((p) => shape[p] as number);
  const inStrides = strides(shape);
  const outStrides = strides(outShape);
  const n = size(shape);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    let rem = i;
    let idx = 0;
    for (let d = 0; d < outShape.length; d++) {
      const coord = Math.floor(rem / (outStrides[d] as number));
      rem -= coord * (outStrides[d] as number);
      idx += coord * (inStrides[perm[d] as number] as number);
    }
    out[i] = data[idx] as number;
  }
  return { data: out, shape: outShape };
}

/** The inverse of a permutation. */
export function inversePermutation(perm: readonly number[]): number[] {
  const inv = new Array<number>(perm.length);
  perm.forEach((p, i) => {
    inv[p] = i;
  });
  return inv;
}
