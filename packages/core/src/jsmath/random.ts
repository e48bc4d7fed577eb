import type { RandomAttrs } from '../backend/kernels.js';
import { fillNormal, fillUniform } from '../random/philox.js';

/**
 * Uniform values in [low, high) from the Philox stream on elements `[start, end)` of the whole fill
 * (see `random/philox.ts` for the stream spec: the result does not depend on how the range is split).
 *
 * Range: flat element indices; disjoint ranges write disjoint elements.
 *
 * @example
 * ```ts
 * const out = new Float32Array(8);
 * randomUniformRange(out, { key: [1, 2], counter: [0, 0], low: 0, high: 1 }, 0, 8);
 * ```
 */
export function randomUniformRange(
  out: Float32Array,
  attrs: RandomAttrs & { readonly low: number; readonly high: number },
  start: number,
  end: number,
): void {
  fillUniform(out, attrs.key, attrs.counter, attrs.low, attrs.high, start, end);
}

/**
 * Normal(mean, std) values from the Philox stream (Box–Muller) on elements `[start, end)`.
 *
 * Range: flat element indices; disjoint ranges write disjoint elements.
 */
export function randomNormalRange(
  out: Float32Array,
  attrs: RandomAttrs & { readonly mean: number; readonly std: number },
  start: number,
  end: number,
): void {
  fillNormal(out, attrs.key, attrs.counter, attrs.mean, attrs.std, start, end);
}
