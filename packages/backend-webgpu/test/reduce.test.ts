import type { ReduceOp } from '@myelin/core';
import { afterAll, describe, expect, it } from 'vitest';
import {
  bool,
  coords,
  disposeBackend,
  expectClose,
  f32,
  i32,
  randoms,
  run,
  sizeOf,
  stridesOf,
} from './helpers.js';

afterAll(disposeBackend);

/** Naive reduction: each output (reduced axes kept as 1) folds its elements in index order (float64). */
function reduceRef(
  x: ArrayLike<number>,
  shape: readonly number[],
  axes: readonly number[],
  op: ReduceOp,
): { values: number[]; outShape: number[] } {
  const outShape = shape.map((d, i) => (axes.includes(i) ? 1 : d));
  const outStrides = stridesOf(outShape);
  const init: Record<ReduceOp, number> = {
    sum: 0,
    mean: 0,
    prod: 1,
    max: -Infinity,
    min: Infinity,
    any: 0,
    all: 1,
  };
  const acc = new Array<number>(sizeOf(outShape)).fill(init[op]);
  for (let i = 0; i < x.length; i++) {
    const c = coords(i, shape);
    let o = 0;
    c.forEach((v, d) => {
      o += (axes.includes(d) ? 0 : v) * (outStrides[d] as number);
    });
    const a = acc[o] as number;
    const v = x[i] as number;
    if (op === 'sum' || op === 'mean') acc[o] = a + v;
    else if (op === 'prod') acc[o] = a * v;
    else if (op === 'max') acc[o] = Number.isNaN(a) || Number.isNaN(v) ? Number.NaN : Math.max(a, v);
    else if (op === 'min') acc[o] = Number.isNaN(a) || Number.isNaN(v) ? Number.NaN : Math.min(a, v);
    else if (op === 'any') acc[o] = a || v ? 1 : 0;
    else acc[o] = a && v ? 1 : 0;
  }
  const count = axes.reduce((n, d) => n * (shape[d] as number), 1);
  return { values: op === 'mean' ? acc.map((v) => v / count) : acc, outShape };
}

const CASES: [number[], number[]][] = [
  [[3, 4, 5], [2]],
  [[3, 4, 5], [0]],
  [[3, 4, 5], [1]],
  [
    [3, 4, 5],
    [0, 2],
  ],
  [
    [3, 4, 5],
    [0, 1, 2],
  ],
  [
    [2, 3, 4, 5],
    [1, 3],
  ],
  [[6], [0]],
  [[4, 3], []],
  [[2, 300], [1]], // a workgroup per output
  [[300, 2], [0]],
  [[100000], [0]], // two passes
  [[3, 40000], [1]], // two passes, several outputs
  [[20000, 3], [1]], // a thread per output, many outputs
];

describe('reduce float32', () => {
  for (const op of ['sum', 'mean', 'max', 'min', 'prod'] as ReduceOp[]) {
    it(op, async () => {
      for (const [shape, axes] of CASES) {
        const n = sizeOf(shape);
        // prod over many elements: values near 1 so that the product stays finite.
        const x = op === 'prod' ? randoms(n, 11, 0.999, 1.001) : randoms(n, 11, -2, 2);
        const { values, outShape } = reduceRef(x, shape, axes, op);
        const got = await run('reduce', [f32(x, shape)], { op, axes }, outShape, 'float32');
        // float32 accumulation error grows like sqrt(n) for sums and products (the reference is float64).
        const grows = 2e-6 * Math.sqrt(n) + 1e-5;
        expectClose(got, values, op === 'sum' ? grows : 1e-5, op === 'prod' ? grows : 1e-5);
      }
    });
  }

  it('max and min propagate NaN; reductions over infinities', async () => {
    const x = [1, Number.NaN, 3, -Infinity, 2, 5];
    expectClose(await run('reduce', [f32(x, [2, 3])], { op: 'max', axes: [1] }, [2, 1], 'float32'), [
      Number.NaN,
      5,
    ]);
    expectClose(await run('reduce', [f32(x, [2, 3])], { op: 'min', axes: [1] }, [2, 1], 'float32'), [
      Number.NaN,
      -Infinity,
    ]);
    const big = new Float32Array(5000).fill(1);
    big[4321] = Number.NaN;
    expectClose(await run('reduce', [f32(big, [5000])], { op: 'max', axes: [0] }, [1], 'float32'), [
      Number.NaN,
    ]);
  });
});

describe('reduce int32 and bool', () => {
  it('sum / max / min / prod of int32', async () => {
    const x = Int32Array.from({ length: 24 }, (_, i) => ((i * 7) % 11) - 5);
    for (const op of ['sum', 'max', 'min', 'prod'] as ReduceOp[]) {
      const { values, outShape } = reduceRef(x, [2, 3, 4], [0, 2], op);
      const got = await run('reduce', [i32(x, [2, 3, 4])], { op, axes: [0, 2] }, outShape, 'int32');
      expect(Array.from(got)).toEqual(values.map((v) => v | 0));
    }
    const many = Int32Array.from({ length: 70000 }, (_, i) => i % 3);
    const sum = await run('reduce', [i32(many, [70000])], { op: 'sum', axes: [0] }, [1], 'int32');
    expect(sum[0]).toBe(69999);
  });

  it('any / all of bool', async () => {
    const x = [1, 0, 0, 0, 1, 1, 0, 0, 0];
    expect(
      Array.from(await run('reduce', [bool(x, [3, 3])], { op: 'any', axes: [1] }, [3, 1], 'bool')),
    ).toEqual([1, 1, 0]);
    expect(
      Array.from(await run('reduce', [bool(x, [3, 3])], { op: 'all', axes: [0] }, [1, 3], 'bool')),
    ).toEqual([0, 0, 0]);
    const ones = new Array(20000).fill(1);
    expect(
      Array.from(await run('reduce', [bool(ones, [20000])], { op: 'all', axes: [0] }, [1], 'bool')),
    ).toEqual([1]);
  });
});

function argRef(
  x: ArrayLike<number>,
  shape: readonly number[],
  axis: number,
  op: 'argmax' | 'argmin',
): number[] {
  const outer = shape.slice(0, axis).reduce((a, b) => a * b, 1);
  const len = shape[axis] as number;
  const inner = shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  const out: number[] = [];
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++) {
      let best = 0;
      for (let k = 1; k < len; k++) {
        const v = x[(o * len + k) * inner + j] as number;
        const b = x[(o * len + best) * inner + j] as number;
        if (Number.isNaN(b)) break;
        if (Number.isNaN(v) || (op === 'argmax' ? v > b : v < b)) best = k;
      }
      out.push(best);
    }
  }
  return out;
}

describe('argReduce', () => {
  for (const op of ['argmax', 'argmin'] as const) {
    it(`${op}: first extreme, NaN wins, both strategies`, async () => {
      const cases: [number[], number][] = [
        [[3, 4, 5], 1],
        [[3, 4, 5], 2],
        [[3, 4, 5], 0],
        [[2, 1000], 1],
        [[5000], 0],
      ];
      for (const [shape, axis] of cases) {
        // Rounded values make ties, which must resolve to the first index.
        const x = randoms(sizeOf(shape), 5, -3, 3).map(Math.round);
        const outShape = shape.map((d, i) => (i === axis ? 1 : d));
        const got = await run('argReduce', [f32(x, shape)], { op, axis }, outShape, 'int32');
        expect(Array.from(got)).toEqual(argRef(x, shape, axis, op));
      }
      const withNan = [1, Number.NaN, 9, Number.NaN];
      expect(Array.from(await run('argReduce', [f32(withNan, [4])], { op, axis: 0 }, [1], 'int32'))).toEqual([
        1,
      ]);
      const ints = [3, 9, 9, -4];
      expect(Array.from(await run('argReduce', [i32(ints, [4])], { op, axis: 0 }, [1], 'int32'))).toEqual([
        op === 'argmax' ? 1 : 3,
      ]);
    });
  }
});

function softmaxRef(x: ArrayLike<number>, d: number, log: boolean): number[] {
  const out: number[] = [];
  for (let r = 0; r < x.length / d; r++) {
    const row = Array.from({ length: d }, (_, j) => x[r * d + j] as number);
    const m = Math.max(...row);
    const s = row.reduce((a, v) => a + Math.exp(v - m), 0);
    for (const v of row) out.push(log ? v - m - Math.log(s) : Math.exp(v - m) / s);
  }
  return out;
}

describe('softmax / logSoftmax', () => {
  for (const log of [false, true]) {
    it(log ? 'logSoftmax' : 'softmax', async () => {
      for (const shape of [[4, 10], [3, 300], [2, 2, 5], [7]]) {
        const x = randoms(sizeOf(shape), 2, -20, 20);
        const d = shape[shape.length - 1] as number;
        const got = await run(log ? 'logSoftmax' : 'softmax', [f32(x, shape)], {}, shape, 'float32');
        expectClose(got, softmaxRef(x, d, log), 1e-6, 1e-5);
      }
      // Large logits stay finite.
      const big = [1000, 0, -1000, 999];
      expectClose(
        await run(log ? 'logSoftmax' : 'softmax', [f32(big, [4])], {}, [4], 'float32'),
        softmaxRef(big, 4, log),
        1e-6,
        1e-5,
      );
    });
  }
});
