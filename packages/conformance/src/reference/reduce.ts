/** Float64 references of reductions over a set of axes. */
import type { RefTensor } from './elementwise.js';
import { size, strides } from './layout.js';

/** A reduction result with, per output element, the sum of the magnitudes of its terms (for tolerances). */
export interface RefReduction extends RefTensor {
  readonly scale: Float64Array;
}

/** Normalises axes (undefined = all, negatives counted from the end) to sorted unique axes. */
export function normalizeAxes(axis: number | readonly number[] | undefined, rank: number): number[] {
  if (axis === undefined) return Array.from({ length: rank }, (_, i) => i);
  const list = typeof axis === 'number' ? [axis] : [...axis];
  return [...new Set(list.map((a) => (a < 0 ? a + rank : a)))].sort((x, y) => x - y);
}

/**
 * Reduces `x` over `axes` with `op` (sum, mean, max, min, prod, variance (biased or not), logSumExp).
 */
export function refReduce(
  op: 'sum' | 'mean' | 'max' | 'min' | 'prod' | 'variance' | 'varianceBiased' | 'logSumExp',
  x: ArrayLike<number>,
  shape: readonly number[],
  axis: number | readonly number[] | undefined,
  keepDims = false,
): RefReduction {
  const axes = normalizeAxes(axis, shape.length);
  const kept = shape.map((d, i) => (axes.includes(i) ? 1 : d));
  const outShape = keepDims ? kept : shape.filter((_, i) => !axes.includes(i));
  const nOut = size(kept);
  const groups: number[][] = Array.from({ length: nOut }, () => []);
  const inStrides = strides(shape);
  const keptStrides = strides(kept);
  for (let i = 0; i < x.length; i++) {
    let rem = i;
    let o = 0;
    for (let d = 0; d < shape.length; d++) {
      const coord = Math.floor(rem / (inStrides[d] as number));
      rem -= coord * (inStrides[d] as number);
      if (!axes.includes(d)) o += coord * (keptStrides[d] as number);
    }
    (groups[o] as number[]).push(x[i] as number);
  }
  const data = new Float64Array(nOut);
  const scale = new Float64Array(nOut);
  groups.forEach((g, o) => {
    const absSum = g.reduce((a, v) => a + Math.abs(v), 0);
    const s = g.reduce((a, v) => a + v, 0);
    const m = s / g.length;
    let value: number;
    switch (op) {
      case 'sum':
        value = s;
        scale[o] = absSum;
        break;
      case 'mean':
        value = m;
        scale[o] = absSum / g.length;
        break;
      case 'max':
        value = g.reduce((a, v) => Math.max(a, v), Number.NEGATIVE_INFINITY);
        break;
      case 'min':
        value = g.reduce((a, v) => Math.min(a, v), Number.POSITIVE_INFINITY);
        break;
      case 'prod':
        value = g.reduce((a, v) => a * v, 1);
        scale[o] = Math.abs(value) * g.length;
        break;
      case 'variance':
      case 'varianceBiased': {
        const ss = g.reduce((a, v) => a + (v - m) * (v - m), 0);
        value = ss / (op === 'variance' ? g.length - 1 : g.length);
        scale[o] = (g.reduce((a, v) => a + v * v, 0) / g.length) * 4;
        break;
      }
      case 'logSumExp': {
        const mx = g.reduce((a, v) => Math.max(a, v), Number.NEGATIVE_INFINITY);
        value = mx + Math.log(g.reduce((a, v) => a + Math.exp(v - mx), 0));
        scale[o] = Math.abs(mx);
        break;
      }
    }
    data[o] = value;
  });
  return { data, shape: outShape, scale };
}
