import { fillNormal, fillUniform } from '@myelin/core';
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

describe('softmax / logSoftmax', () => {
  it('match a float64 reference over the last axis, stably', () => {
    const r = rng(50);
    for (const shape of [[1], [5], [3, 1], [2, 3, 7], [4, 100]]) {
      const x = randFloats(r, sizeOf(shape), -20, 20);
      x[0] = 1000; // a huge logit must not overflow
      const cols = shape[shape.length - 1] as number;
      const sm = new Float64Array(x.length);
      const lsm = new Float64Array(x.length);
      for (let row = 0; row < x.length / cols; row++) {
        const v = Array.from(x.subarray(row * cols, (row + 1) * cols));
        const m = Math.max(...v);
        const z = v.reduce((a, b) => a + Math.exp(b - m), 0);
        v.forEach((e, j) => {
          sm[row * cols + j] = Math.exp(e - m) / z;
          lsm[row * cols + j] = e - m - Math.log(z);
        });
      }
      expectClose(
        runKernel('softmax', [{ values: x, shape }], {}, shape),
        sm,
        1e-5,
        1e-7,
        `softmax ${shape}`,
      );
      expectClose(
        runKernel('logSoftmax', [{ values: x, shape }], {}, shape),
        lsm,
        1e-5,
        1e-5,
        `logSoftmax ${shape}`,
      );
    }
  });
  it('a row of -Infinity but one finite value gives a one-hot, not NaN', () => {
    const x = new Float32Array([-Infinity, 3, -Infinity]);
    expect(Array.from(runKernel('softmax', [{ values: x, shape: [3] }], {}, [3]))).toEqual([0, 1, 0]);
  });
});

describe('gather / scatterAdd / oneHot', () => {
  it('gather along any axis with N-d indices, and scatterAdd as its exact adjoint', () => {
    const r = rng(60);
    for (let t = 0; t < 20; t++) {
      const rank = randInt(r, 1, 3);
      const xShape = Array.from({ length: rank }, () => randInt(r, 1, 5));
      const axis = randInt(r, 0, rank - 1);
      const idxShape = Array.from({ length: randInt(r, 0, 2) }, () => randInt(r, 1, 4));
      const indices = randInts(r, sizeOf(idxShape), 0, xShape[axis] as number); // repeats likely
      const outShape = [...xShape.slice(0, axis), ...idxShape, ...xShape.slice(axis + 1)];
      const x = randFloats(r, sizeOf(xShape));
      const expected: number[] = [];
      const inner = xShape.slice(axis + 1);
      for (let o = 0; o < sizeOf(outShape); o++) {
        const idx = unravel(o, outShape);
        const before = idx.slice(0, axis);
        const k = ravel(idx.slice(axis, axis + idxShape.length), idxShape);
        const after = idx.slice(axis + idxShape.length);
        expected.push(x[ravel([...before, indices[k] as number, ...after], xShape)] as number);
        void inner;
      }
      const got = runKernel(
        'gather',
        [
          { values: x, shape: xShape },
          { values: indices, shape: idxShape },
        ],
        { axis },
        outShape,
      );
      expect(Array.from(got), `gather ${xShape} axis ${axis} idx ${idxShape}`).toEqual(expected);

      // scatterAdd(u) is the adjoint of gather: <gather(x), u> = <x, scatterAdd(u)>.
      const u = randFloats(r, sizeOf(outShape));
      const s = runKernel(
        'scatterAdd',
        [
          { values: u, shape: outShape },
          { values: indices, shape: idxShape },
        ],
        { axis },
        xShape,
      );
      let lhs = 0;
      let rhs = 0;
      for (let i = 0; i < u.length; i++) lhs += (got[i] as number) * (u[i] as number);
      for (let i = 0; i < x.length; i++) rhs += (x[i] as number) * (s[i] as number);
      expect(Math.abs(lhs - rhs)).toBeLessThan(1e-4);
    }
  });
  it('scatterAdd accumulates repeated indices', () => {
    const u = new Float32Array([1, 2, 3, 4, 5, 6]);
    const idx = new Int32Array([2, 0, 2]);
    const out = runKernel(
      'scatterAdd',
      [
        { values: u, shape: [3, 2] },
        { values: idx, shape: [3] },
      ],
      { axis: 0 },
      [4, 2],
    );
    expect(Array.from(out)).toEqual([3, 4, 0, 0, 6, 8, 0, 0]);
  });
  it('oneHot with on/off values; out-of-range rows are all off', () => {
    const idx = new Int32Array([1, 0, 3, -1]);
    const out = runKernel(
      'oneHot',
      [{ values: idx, shape: [2, 2] }],
      { depth: 3, on: 5, off: -1 },
      [2, 2, 3],
    );
    expect(Array.from(out)).toEqual([-1, 5, -1, 5, -1, -1, -1, -1, -1, -1, -1, -1]);
  });
});

describe('transpose / slice / concat / pad', () => {
  it('transpose with random permutations (2-D tiles included)', () => {
    const r = rng(70);
    const shapes = [
      [3, 5],
      [70, 45],
      [1, 4],
      [2, 3, 4],
      [2, 1, 3, 2],
      [5, 33, 40],
    ];
    for (let t = 0; t < 20; t++)
      shapes.push(Array.from({ length: randInt(r, 1, 4) }, () => randInt(r, 1, 5)));
    for (const shape of shapes) {
      const perm = shape.map((_, d) => d);
      for (let i = perm.length - 1; i > 0; i--) {
        const j = randInt(r, 0, i);
        [perm[i], perm[j]] = [perm[j] as number, perm[i] as number];
      }
      if (shape.length === 2 || shape.length === 3) perm.reverse();
      const x = Int32Array.from({ length: sizeOf(shape) }, (_, i) => i);
      const outShape = perm.map((p) => shape[p] as number);
      const expected: number[] = [];
      for (let o = 0; o < sizeOf(outShape); o++) {
        const idx = unravel(o, outShape);
        const src = new Array<number>(shape.length);
        perm.forEach((p, i) => {
          src[p] = idx[i] as number;
        });
        expected.push(ravel(src, shape));
      }
      const got = runKernel('transpose', [{ values: x, shape }], { perm }, outShape, 'int32');
      expect(Array.from(got), `${shape} perm ${perm}`).toEqual(expected);
    }
  });

  it('slice with begin and step per axis', () => {
    const r = rng(71);
    for (let t = 0; t < 25; t++) {
      const rank = randInt(r, 1, 4);
      const shape = Array.from({ length: rank }, () => randInt(r, 1, rank <= 2 ? 70 : 9));
      const begin = shape.map((n) => randInt(r, 0, n - 1));
      const step = shape.map(() => randInt(r, 1, 3));
      const outShape = shape.map((n, d) => Math.ceil((n - (begin[d] as number)) / (step[d] as number)));
      const x = Float32Array.from({ length: sizeOf(shape) }, (_, i) => i);
      const expected: number[] = [];
      for (let o = 0; o < sizeOf(outShape); o++) {
        const idx = unravel(o, outShape).map((i, d) => (begin[d] as number) + i * (step[d] as number));
        expected.push(ravel(idx, shape));
      }
      const got = runKernel('slice', [{ values: x, shape }], { begin, step }, outShape);
      expect(Array.from(got), `${shape} ${begin} ${step}`).toEqual(expected);
    }
  });

  it('concat along each axis, with bool and int32 too', () => {
    const r = rng(72);
    for (let t = 0; t < 20; t++) {
      const rank = randInt(r, 1, 3);
      const base = Array.from({ length: rank }, () => randInt(r, 1, 4));
      const axis = randInt(r, 0, rank - 1);
      const parts = Array.from({ length: randInt(r, 1, 4) }, () =>
        base.map((n, d) => (d === axis ? randInt(r, 1, 40) : n)),
      );
      const arrays = parts.map((s) => randInts(r, sizeOf(s), -100, 100));
      const outShape = base.map((n, d) => (d === axis ? parts.reduce((a, s) => a + (s[d] as number), 0) : n));
      const expected: number[] = [];
      for (let o = 0; o < sizeOf(outShape); o++) {
        const idx = unravel(o, outShape);
        let k = 0;
        let pos = idx[axis] as number;
        while (pos >= ((parts[k] as number[])[axis] as number)) {
          pos -= (parts[k] as number[])[axis] as number;
          k++;
        }
        idx[axis] = pos;
        expected.push((arrays[k] as Int32Array)[ravel(idx, parts[k] as number[])] as number);
      }
      const got = runKernel(
        'concat',
        parts.map((s, k) => ({ values: arrays[k] as Int32Array, shape: s })),
        { axis },
        outShape,
        'int32',
      );
      expect(Array.from(got), `${JSON.stringify(parts)} axis ${axis}`).toEqual(expected);
    }
    const b = runKernel(
      'concat',
      [
        { values: new Uint8Array([1, 0]), shape: [2] },
        { values: new Uint8Array([1]), shape: [1] },
      ],
      { axis: 0 },
      [3],
      'bool',
    );
    expect(Array.from(b)).toEqual([1, 0, 1]);
  });

  it('pad with a constant on every axis', () => {
    const r = rng(73);
    for (let t = 0; t < 20; t++) {
      const shape = Array.from({ length: randInt(r, 1, 4) }, () => randInt(r, 1, 4));
      const paddings = shape.map(() => [randInt(r, 0, 2), randInt(r, 0, 2)] as [number, number]);
      const outShape = shape.map(
        (n, d) => n + (paddings[d] as [number, number])[0] + (paddings[d] as [number, number])[1],
      );
      const x = Float32Array.from({ length: sizeOf(shape) }, (_, i) => i + 1);
      const expected: number[] = [];
      for (let o = 0; o < sizeOf(outShape); o++) {
        const idx = unravel(o, outShape).map((i, d) => i - (paddings[d] as [number, number])[0]);
        expected.push(
          idx.every((i, d) => i >= 0 && i < (shape[d] as number)) ? (x[ravel(idx, shape)] as number) : -7,
        );
      }
      const got = runKernel('pad', [{ values: x, shape }], { paddings, value: -7 }, outShape);
      expect(Array.from(got), `${shape} ${JSON.stringify(paddings)}`).toEqual(expected);
    }
  });
});

describe('fill / random', () => {
  it('fill writes the value in each dtype', () => {
    expect(Array.from(runKernel('fill', [], { value: 2.5 }, [2, 2]))).toEqual([2.5, 2.5, 2.5, 2.5]);
    expect(Array.from(runKernel('fill', [], { value: -3 }, [3], 'int32'))).toEqual([-3, -3, -3]);
    expect(Array.from(runKernel('fill', [], { value: 1 }, [2], 'bool'))).toEqual([1, 1]);
  });

  it('random streams equal core Philox fills, whatever the count', () => {
    for (const n of [1, 3, 4, 5, 1001]) {
      const key: [number, number] = [0x1234, 0xdeadbeef];
      const counter: [number, number] = [0xfffffffe, 7];
      const u = new Float32Array(n);
      fillUniform(u, key, counter, -2, 3);
      expect(Array.from(runKernel('randomUniform', [], { key, counter, low: -2, high: 3 }, [n]))).toEqual(
        Array.from(u),
      );
      const g = new Float32Array(n);
      fillNormal(g, key, counter, 1, 0.5);
      expect(Array.from(runKernel('randomNormal', [], { key, counter, mean: 1, std: 0.5 }, [n]))).toEqual(
        Array.from(g),
      );
    }
    const big = Array.from(
      runKernel('randomNormal', [], { key: [1, 2], counter: [0, 0], mean: 0, std: 1 }, [20000]),
    );
    const mean = big.reduce((a, b) => a + b, 0) / big.length;
    const variance = big.reduce((a, b) => a + (b - mean) ** 2, 0) / big.length;
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(Math.abs(variance - 1)).toBeLessThan(0.05);
  });
});
