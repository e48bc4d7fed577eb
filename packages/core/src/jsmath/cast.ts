// biome-ignore-all lint/style/noNonNullAssertion: typed-array reads in hot loops are in bounds by construction.
import type { TypedArray } from '../backend/kernels.js';

/**
 * Converts elements `[start, end)` of `x` into `out`, whose storage type is the target dtype's:
 * float → int32 truncates toward zero (NaN → 0), anything → bool is `x != 0` (NaN → true, as PyTorch),
 * bool → number is 0/1, int32 → float32 rounds to the nearest float.
 *
 * Range: flat element indices; disjoint ranges write disjoint elements.
 *
 * @example
 * ```ts
 * const out = new Int32Array(3);
 * castRange(new Float32Array([1.7, -1.7, 0]), out, 0, 3); // out = [1, -1, 0]
 * ```
 */
export function castRange(x: TypedArray, out: TypedArray, start: number, end: number): void {
  if (out instanceof Uint8Array) {
    for (let i = start; i < end; i++) out[i] = +(x[i] !== 0);
    return;
  }
  // Storing a double into an Int32Array truncates toward zero (ToInt32), into a Float32Array rounds.
  for (let i = start; i < end; i++) out[i] = x[i]!;
}
