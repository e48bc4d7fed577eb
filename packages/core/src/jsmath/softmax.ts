// biome-ignore-all lint/style/noNonNullAssertion: typed-array reads in hot loops are in bounds by construction.

/**
 * Softmax (or log-softmax, when `log`) over the last axis, on rows `[rowStart, rowEnd)` of x seen as
 * [rows, cols]. Stable: the row max is subtracted before exponentiating; sums are float64.
 *
 * Range: rows (all leading dims flattened); disjoint ranges write disjoint rows.
 *
 * @example
 * ```ts
 * const out = new Float32Array(2);
 * softmaxRange(new Float32Array([0, 0]), out, 2, 0, 1, false); // out = [0.5, 0.5]
 * ```
 */
export function softmaxRange(
  x: Float32Array,
  out: Float32Array,
  cols: number,
  rowStart: number,
  rowEnd: number,
  log: boolean,
): void {
  for (let r = rowStart; r < rowEnd; r++) {
    const off = r * cols;
    const end = off + cols;
    let max = Number.NEGATIVE_INFINITY;
    for (let i = off; i < end; i++) {
      const v = x[i]!;
      if (v > max || Number.isNaN(v)) max = v;
    }
    // A row of -Infinity has no finite max; subtracting nothing keeps exp(-inf) = 0 instead of NaN.
    const shift = max === Number.NEGATIVE_INFINITY ? 0 : max;
    let sum = 0;
    if (log) {
      for (let i = off; i < end; i++) sum += Math.exp(x[i]! - shift);
      const logSum = shift + Math.log(sum);
      for (let i = off; i < end; i++) out[i] = x[i]! - logSum;
    } else {
      for (let i = off; i < end; i++) {
        const e = Math.exp(x[i]! - shift);
        out[i] = e;
        sum += e;
      }
      const inv = 1 / sum;
      for (let i = off; i < end; i++) out[i] = out[i]! * inv;
    }
  }
}
