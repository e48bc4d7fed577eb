/** `gaussianNoise`: adds seeded normal noise on the backend. */
import { ArgumentError, add, randn, tidy } from '@myelin/core';
import { drawSeed, Rng } from '../random/rng.js';
import type { Transform } from './transform.js';

/**
 * Adds normal noise of standard deviation `std` to every value. The noise comes from core's Philox stream
 * (the same on every backend); each call uses a fresh stream drawn from the transform's seed.
 *
 * @example
 * ```ts
 * const noisy = gaussianNoise(0.1, { seed: 7 });
 * ```
 */
export function gaussianNoise(std: number, options: { seed?: number } = {}): Transform {
  if (!(std >= 0) || !Number.isFinite(std))
    throw new ArgumentError('gaussianNoise', `std must be ≥ 0 and finite, got ${std}`);
  const rng = new Rng(options.seed ?? drawSeed());
  return (x) => {
    const seed = rng.uint32(); // drawn even when std is 0, so the stream does not depend on it
    if (std === 0) return x;
    return tidy(() => add(x, randn(x.shape, { std, seed })));
  };
}
