/** `normalize`: `(x - mean) / std`, per channel or for all values. */
import { ArgumentError, div, sub, type Tensor, tensor, tidy } from '@myelin/core';
import type { Transform } from './transform.js';

/** A per-channel constant shaped to broadcast over axis 1 of `x` (`[C, 1, 1]` for NCHW, `[C]` for [N, C]). */
function perChannel(values: readonly number[], x: Tensor, what: string): Tensor {
  if (x.rank < 2 || x.shape[1] !== values.length) {
    throw new ArgumentError(
      'normalize',
      `${values.length} ${what} values for input [${x.shape.join(',')}]: axis 1 must have ${values.length} channels`,
    );
  }
  return tensor(Float32Array.from(values), {
    shape: [values.length, ...new Array<number>(x.rank - 2).fill(1)],
  });
}

/**
 * Standardises a batch: `(x - mean) / std`. Numbers apply to every value; arrays apply per channel
 * (axis 1: the C of NCHW images, the features of `[N, F]` rows), as torchvision's `Normalize`.
 *
 * @example
 * ```ts
 * normalize(0.2860, 0.3530); // Fashion-MNIST pixel statistics
 * normalize([0.5, 0.5, 0.5], [0.25, 0.25, 0.25]);
 * ```
 */
export function normalize(mean: number | readonly number[], std: number | readonly number[]): Transform {
  const stds = typeof std === 'number' ? [std] : std;
  if (stds.length === 0 || stds.some((s) => !(s > 0) || !Number.isFinite(s))) {
    throw new ArgumentError('normalize', `std must be positive and finite, got ${JSON.stringify(std)}`);
  }
  const means = typeof mean === 'number' ? [mean] : mean;
  if (means.length === 0 || means.some((m) => !Number.isFinite(m)))
    throw new ArgumentError('normalize', `mean must be finite, got ${JSON.stringify(mean)}`);
  return (x) =>
    tidy(() => {
      const m = typeof mean === 'number' ? mean : perChannel(mean, x, 'mean');
      const s = typeof std === 'number' ? std : perChannel(std, x, 'std');
      return div(sub(x, m), s);
    });
}
