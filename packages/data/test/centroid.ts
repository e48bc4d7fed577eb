/** A check that labels belong to their features: nearest-class-mean accuracy on the data itself. */
import type { LabeledData } from '../src/index.js';

export function nearestCentroidAccuracy(d: LabeledData): number {
  const f = d.x.length / d.n;
  const sums = new Float64Array(d.numClasses * f);
  const counts = new Float64Array(d.numClasses);
  for (let i = 0; i < d.n; i++) {
    const c = d.y[i] as number;
    counts[c] = (counts[c] as number) + 1;
    for (let j = 0; j < f; j++) sums[c * f + j] = (sums[c * f + j] as number) + (d.x[i * f + j] as number);
  }
  for (let c = 0; c < d.numClasses; c++)
    for (let j = 0; j < f; j++) sums[c * f + j] = (sums[c * f + j] as number) / (counts[c] as number);
  let right = 0;
  for (let i = 0; i < d.n; i++) {
    let best = -1;
    let bestDist = Number.POSITIVE_INFINITY;
    for (let c = 0; c < d.numClasses; c++) {
      let dist = 0;
      for (let j = 0; j < f; j++) dist += ((d.x[i * f + j] as number) - (sums[c * f + j] as number)) ** 2;
      if (dist < bestDist) {
        bestDist = dist;
        best = c;
      }
    }
    if (best === d.y[i]) right++;
  }
  return right / d.n;
}
