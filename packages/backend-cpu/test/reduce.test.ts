import type { ReduceOp } from '@myelin/core';
import { describe, expect, it } from 'vitest';
import {
  expectClose,
  randFloats,
  randInt,
  randInts,
  ravel,
  rng,
  runKernel,
  sizeOf,
  unravel,
} from './helpers.js';

/** Naive float64 reduction: every input element folded into the output element it maps to. */
function refReduce(
  op: ReduceOp,
  x: ArrayLike<number>,
  shape: number[],
  axes: number[],
): { shape: number[]; values: number[] } {
  const outShape = shape.map((n, d) => (axes.includes(d) ? 1 : n));
  const init = op === 'max' ? -Infinity : op === 'min' ? Infinity : op === 'prod' || op === 'all' ? 1 : 0;
  const values = new Array<number>(sizeOf(outShape)).fill(init);
  const counts = new Array<number>(sizeOf(outShape)).fill(0);
  for (let i = 0; i < sizeOf(shape); i++) {
    const idx = unravel(i, shape).map((v, d) => (axes.includes(d) ? 0 : v));
    const o = ravel(idx, outShape);
    const v = x[i] as number;
    const acc = values[o] as number;
    counts[o] = (counts[o] as number) + 1;
    switch (op) {
      case 'sum':
      case 'mean':
        values[o] = acc + v;
        break;
      case 'max':
        values[o] = Number.isNaN(acc) || Number.isNaN(v) ? NaN : Math.max(acc, v);
        break;
      case 'min':
        values[o] = Number.isNaN(acc) || Number.isNaN(v) ? NaN : Math.min(acc, v);
        break;
      case 'prod':
        values[o] = acc * v;
        break;
      case 'any':
        values[o] = acc || v ? 1 : 0;
        break;
      case 'all':
        values[o] = acc && v ? 1 : 0;
        break;
    }
  }
  if (op === 'mean')
    for (let o = 0; o < values.length; o++) values[o] = (values[o] as number) / (counts[o] as number);
  return { shape: outShape, values };
}

/** Random shapes (size-1 dims included) with a random non-empty subset of axes. */
function cases(r: () => number): [number[], number[]][] {
  const out: [number[], number[]][] = [
    [[5], [0]],
    [[1], [0]],
    [[3, 4], [0]],
    [[3, 4], [1]],
    [
      [3, 4],
      [0, 1],
    ],
    [[2, 3, 4], [1]],
    [
      [2, 3, 4],
      [0, 2],
    ],
    [[64, 10], [0]],
    [
      [2, 1, 3, 1, 5],
      [1, 3],
    ],
    [[7, 3, 130], [0]],
  ];
  for (let t = 0; t < 20; t++) {
    const rank = randInt(r, 1, 5);
    const shape = Array.from({ length: rank }, () => (r() < 0.2 ? 1 : randInt(r, 1, 6)));
    const axes = shape.map((_, d) => d).filter(() => r() < 0.5);
    if (axes.length === 0) axes.push(randInt(r, 0, rank - 1));
    out.push([shape, axes]);
  }
  return out;
}

describe('reduce', () => {
  const r = rng(10);
  const all = cases(r);
  for (const op of ['sum', 'mean', 'max', 'min', 'prod'] as const) {
    it(`${op} over random axes matches a float64 reference`, () => {
      for (const [shape, axes] of all) {
        const x = randFloats(r, sizeOf(shape), op === 'prod' ? 0.5 : -2, op === 'prod' ? 1.5 : 2);
        const ref = refReduce(op, x, shape, axes);
        const out = runKernel('reduce', [{ values: x, shape }], { op, axes }, ref.shape);
        expectClose(out, Float32Array.from(ref.values), 1e-5, 1e-5, `${op} ${shape} ${axes}`);
      }
    });
  }
  for (const op of ['any', 'all'] as const) {
    it(`${op} on bool`, () => {
      for (const [shape, axes] of all) {
        const x = Uint8Array.from(
          randInts(r, sizeOf(shape), 0, 2).map((v) => (r() < 0.8 ? (op === 'all' ? 1 : 0) : v)),
        );
        const ref = refReduce(op, x, shape, axes);
        const out = runKernel('reduce', [{ values: x, shape }], { op, axes }, ref.shape, 'bool');
        expect(Array.from(out), `${op} ${shape} ${axes}`).toEqual(ref.values);
      }
    });
  }
  it('int32 sum and max stay integer', () => {
    const x = new Int32Array([1, 2, 3, 4, 5, 6]);
    expect(
      Array.from(
        runKernel('reduce', [{ values: x, shape: [2, 3] }], { op: 'sum', axes: [1] }, [2, 1], 'int32'),
      ),
    ).toEqual([6, 15]);
    expect(
      Array.from(
        runKernel('reduce', [{ values: x, shape: [2, 3] }], { op: 'max', axes: [0] }, [1, 3], 'int32'),
      ),
    ).toEqual([4, 5, 6]);
  });
  it('max/min propagate NaN', () => {
    const x = new Float32Array([1, NaN, 3, 4]);
    expect(
      Array.from(runKernel('reduce', [{ values: x, shape: [2, 2] }], { op: 'max', axes: [1] }, [2, 1])),
    ).toEqual([NaN, 4]);
    expect(
      Array.from(runKernel('reduce', [{ values: x, shape: [2, 2] }], { op: 'min', axes: [0] }, [1, 2])),
    ).toEqual([1, NaN]);
  });
});

describe('argReduce', () => {
  it('first max/min index along an axis', () => {
    const r = rng(11);
    for (let t = 0; t < 20; t++) {
      const rank = randInt(r, 1, 4);
      const shape = Array.from({ length: rank }, () => randInt(r, 1, 6));
      const axis = randInt(r, 0, rank - 1);
      // Few distinct values, so ties are common and "first" matters.
      const x = Float32Array.from(randInts(r, sizeOf(shape), 0, 3));
      const outShape = shape.map((n, d) => (d === axis ? 1 : n));
      for (const op of ['argmax', 'argmin'] as const) {
        const expected: number[] = [];
        for (let o = 0; o < sizeOf(outShape); o++) {
          const idx = unravel(o, outShape);
          let best = 0;
          let bestV = op === 'argmax' ? -Infinity : Infinity;
          for (let k = 0; k < (shape[axis] as number); k++) {
            idx[axis] = k;
            const v = x[ravel(idx, shape)] as number;
            if (op === 'argmax' ? v > bestV : v < bestV) {
              bestV = v;
              best = k;
            }
          }
          expected.push(best);
        }
        const out = runKernel('argReduce', [{ values: x, shape }], { op, axis }, outShape, 'int32');
        expect(Array.from(out), `${op} ${shape} axis ${axis}`).toEqual(expected);
      }
    }
  });
  it('NaN counts as the max', () => {
    const x = new Float32Array([1, 5, NaN, 7]);
    expect(
      Array.from(
        runKernel('argReduce', [{ values: x, shape: [4] }], { op: 'argmax', axis: 0 }, [1], 'int32'),
      ),
    ).toEqual([2]);
  });
});
