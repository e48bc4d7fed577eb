/** The transform contract and `compose`. */
import { type Tensor, tidy } from '@myelin/core';

/**
 * A function from a batch tensor to a batch tensor, run on the backend. It returns a new tensor (or `x`
 * itself when it changes nothing), never disposes `x`, and leaves no other tensor behind. Random
 * transforms carry their own seeded state: each call draws new choices, and two transforms made with the
 * same seed draw the same ones.
 */
export type Transform = (x: Tensor) => Tensor;

/**
 * Chains transforms left to right; the intermediates are freed.
 *
 * @example
 * ```ts
 * const augment = compose([randomShift(2, { seed: 1 }), gaussianNoise(0.05, { seed: 2 }), normalize(0.5, 0.25)]);
 * const loader = new DataLoader(ds, { batchSize: 64, transform: augment });
 * ```
 */
export function compose(transforms: readonly Transform[]): Transform {
  const steps = [...transforms];
  return (x) => tidy(() => steps.reduce((t, f) => f(t), x));
}
