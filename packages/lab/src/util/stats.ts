/** Small statistics and formatting helpers for numbers read back from tensors. */

/** Arithmetic mean (NaN for an empty list). */
export function meanOf(xs: readonly number[]): number {
  return xs.length === 0 ? Number.NaN : xs.reduce((a, b) => a + b, 0) / xs.length;
}

/** Median (NaN for an empty list). */
export function medianOf(xs: readonly number[]): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

/** Population standard deviation. */
export function stdOf(xs: readonly number[]): number {
  const m = meanOf(xs);
  return Math.sqrt(meanOf(xs.map((x) => (x - m) ** 2)));
}

/** A number with `digits` significant digits, in exponent form when very small or large. */
export function fmt(x: number, digits = 3): string {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? 'NaN' : x > 0 ? '∞' : '-∞';
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a < 1e-3 || a >= 1e5) return x.toExponential(digits - 1);
  return Number(x.toPrecision(digits)).toString();
}

/** A fraction as a percentage with one decimal (`0.9731` → `97.3%`). */
export function pct(x: number): string {
  return Number.isFinite(x) ? `${(100 * x).toFixed(1)}%` : fmt(x);
}

/** `[x, y]` points from a list of y values at x = 1, 2, ... (epochs). */
export function curve(ys: readonly number[], x0 = 1): Array<[number, number]> {
  return ys.map((y, i) => [i + x0, y]);
}

/** A difference of two fractions in percentage points (`0.051` → `5.1 points`). */
export function pts(x: number): string {
  return Number.isFinite(x) ? `${(100 * x).toFixed(1)} points` : fmt(x);
}
