import type { TypedArray } from '../backend/kernels.js';

/**
 * `out[start..end) = value` (bool storage gets 0/1, int32 truncates, as a typed-array store does).
 *
 * Range: flat element indices; disjoint ranges write disjoint elements.
 *
 * @example
 * ```ts
 * const out = new Float32Array(3);
 * fillRange(out, 7, 0, 3); // [7, 7, 7]
 * ```
 */
export function fillRange(out: TypedArray, value: number, start: number, end: number): void {
  out.fill(out instanceof Uint8Array ? (value !== 0 ? 1 : 0) : value, start, end);
}
