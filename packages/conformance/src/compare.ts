/** Comparing computed values with expected ones: within a tolerance, NaN equal to NaN, infinities exact. */

/** How far a float result may be from the expected value: |actual - expected| ≤ atol + rtol·|expected|. */
export interface Tolerance {
  readonly rtol: number;
  readonly atol: number;
}

/** The default float32 tolerance (a backend may declare its own). */
export const DEFAULT_TOLERANCE: Tolerance = { rtol: 1e-4, atol: 1e-5 };

/**
 * Whether `actual` is close to `expected`. NaN matches only NaN; an infinity matches only the same
 * infinity. `scale` widens the relative part for sums whose terms are larger than the result (the sum
 * of the terms' magnitudes).
 */
export function isClose(actual: number, expected: number, tol: Tolerance, scale = 0): boolean {
  if (Number.isNaN(expected)) return Number.isNaN(actual);
  if (!Number.isFinite(expected)) return actual === expected;
  if (!Number.isFinite(actual)) return false;
  return Math.abs(actual - expected) <= tol.atol + tol.rtol * Math.max(Math.abs(expected), scale);
}

/** A readable number for messages (`NaN`, `-Infinity`, or up to 9 significant digits). */
export function show(v: number): string {
  return Number.isFinite(v) ? String(Number(v.toPrecision(9))) : String(v);
}

/**
 * A description of the first mismatches (index, expected, actual), or null when every element is close.
 * `exact` compares integers and bools exactly.
 */
export function describeMismatches(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  tol: Tolerance,
  options: { exact?: boolean; scale?: ArrayLike<number>; limit?: number } = {},
): string | null {
  if (actual.length !== expected.length) return `expected ${expected.length} values, got ${actual.length}`;
  const bad: string[] = [];
  let count = 0;
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i] as number;
    const e = expected[i] as number;
    const ok = options.exact ? a === e : isClose(a, e, tol, options.scale ? (options.scale[i] as number) : 0);
    if (!ok) {
      count++;
      if (Number.isFinite(a) && Number.isFinite(e)) worst = Math.max(worst, Math.abs(a - e));
      if (bad.length < (options.limit ?? 6)) bad.push(`[${i}] expected ${show(e)}, got ${show(a)}`);
    }
  }
  if (count === 0) return null;
  const tail =
    count > bad.length
      ? `, ... (${count} of ${expected.length} differ`
      : ` (${count} of ${expected.length} differ`;
  return `${bad.join('; ')}${tail}${worst > 0 ? `, worst |diff| ${show(worst)}` : ''})`;
}
