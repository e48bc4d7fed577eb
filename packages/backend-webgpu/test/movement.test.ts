import { afterAll, describe, expect, it } from 'vitest';
import { bool, coords, disposeBackend, f32, i32, randoms, run, sizeOf, stridesOf } from './helpers.js';

afterAll(disposeBackend);

function split(shape: readonly number[], axis: number): [number, number, number] {
  return [sizeOf(shape.slice(0, axis)), shape[axis] as number, sizeOf(shape.slice(axis + 1))];
}

describe('gather / scatterAdd / oneHot', () => {
  it('gather along each axis with N-d indices', async () => {
    const shape = [3, 4, 5];
    const x = randoms(60, 1);
    for (const axis of [0, 1, 2]) {
      const len = shape[axis] as number;
      const idx = [0, len - 1, 1, 1, len - 1, 0];
      const idxShape = [2, 3];
      const [outer, , inner] = split(shape, axis);
      const want: number[] = [];
      for (let o = 0; o < outer; o++)
        for (const k of idx)
          for (let j = 0; j < inner; j++) want.push(x[(o * len + k) * inner + j] as number);
      const outShape = [...shape.slice(0, axis), ...idxShape, ...shape.slice(axis + 1)];
      const got = await run('gather', [f32(x, shape), i32(idx, idxShape)], { axis }, outShape, 'float32');
      expect(Array.from(got)).toEqual(want);
    }
    const gi = await run('gather', [i32([10, 20, 30], [3]), i32([2, 0], [2])], { axis: 0 }, [2], 'int32');
    expect(Array.from(gi)).toEqual([30, 10]);
  });

  it('scatterAdd is the gradient of gather (repeated indices accumulate in order)', async () => {
    const outShape = [3, 4, 2];
    for (const axis of [0, 1, 2]) {
      const len = outShape[axis] as number;
      const idx = [0, len - 1, 0, 1, 0];
      const [outer, , inner] = split(outShape, axis);
      const updShape = [...outShape.slice(0, axis), idx.length, ...outShape.slice(axis + 1)];
      const upd = randoms(sizeOf(updShape), 9);
      const want = new Array<number>(sizeOf(outShape)).fill(0);
      for (let o = 0; o < outer; o++)
        idx.forEach((k, i) => {
          for (let j = 0; j < inner; j++) {
            const d = (o * len + k) * inner + j;
            want[d] = Math.fround((want[d] as number) + (upd[(o * idx.length + i) * inner + j] as number));
          }
        });
      const got = await run(
        'scatterAdd',
        [f32(upd, updShape), i32(idx, [idx.length])],
        { axis },
        outShape,
        'float32',
      );
      expect(Array.from(got)).toEqual(want);
    }
  });

  it('oneHot: on at the index, off elsewhere, out-of-range rows all off', async () => {
    const got = await run(
      'oneHot',
      [i32([0, 2, -1, 3, 1, 5], [2, 3])],
      { depth: 3, on: 5, off: -1 },
      [2, 3, 3],
      'float32',
    );
    expect(Array.from(got)).toEqual([5, -1, -1, -1, -1, 5, -1, -1, -1, -1, -1, -1, -1, 5, -1, -1, -1, -1]);
  });
});

describe('transpose / slice / concat / pad / fill', () => {
  it('transpose with any permutation and dtype', async () => {
    const shape = [2, 3, 4, 5];
    const x = Float32Array.from({ length: 120 }, (_, i) => i);
    for (const perm of [
      [3, 2, 1, 0],
      [0, 2, 1, 3],
      [1, 0, 2, 3],
      [0, 1, 2, 3],
      [2, 3, 0, 1],
    ]) {
      const outShape = perm.map((p) => shape[p] as number);
      const st = stridesOf(shape);
      const want = Array.from({ length: 120 }, (_, i) => {
        const c = coords(i, outShape);
        return c.reduce((s, v, d) => s + v * (st[perm[d] as number] as number), 0);
      });
      expect(Array.from(await run('transpose', [f32(x, shape)], { perm }, outShape, 'float32'))).toEqual(
        want,
      );
    }
    const b = await run('transpose', [bool([1, 0, 0, 1, 1, 0], [2, 3])], { perm: [1, 0] }, [3, 2], 'bool');
    expect(Array.from(b)).toEqual([1, 1, 0, 1, 0, 0]);
  });

  it('slice with begins and steps', async () => {
    const shape = [4, 5, 6];
    const x = Int32Array.from({ length: 120 }, (_, i) => i);
    const cases: [number[], number[], number[]][] = [
      [
        [1, 0, 2],
        [1, 1, 1],
        [2, 5, 3],
      ],
      [
        [0, 1, 0],
        [2, 2, 3],
        [2, 2, 2],
      ],
      [
        [3, 4, 5],
        [1, 1, 1],
        [1, 1, 1],
      ],
      [
        [0, 0, 0],
        [1, 1, 1],
        [4, 5, 6],
      ],
      [
        [2, 0, 0],
        [1, 1, 1],
        [2, 5, 6],
      ],
    ];
    const st = stridesOf(shape);
    for (const [begin, step, outShape] of cases) {
      const want = Array.from({ length: sizeOf(outShape) }, (_, i) =>
        coords(i, outShape).reduce(
          (s, c, d) => s + ((begin[d] as number) + c * (step[d] as number)) * (st[d] as number),
          0,
        ),
      );
      expect(Array.from(await run('slice', [i32(x, shape)], { begin, step }, outShape, 'int32'))).toEqual(
        want,
      );
    }
  });

  it('concat along each axis', async () => {
    const a = f32(randoms(2 * 3 * 2, 1), [2, 3, 2]);
    const b = f32(randoms(2 * 1 * 2, 2), [2, 1, 2]);
    const c = f32(randoms(2 * 2 * 2, 3), [2, 2, 2]);
    const got = await run('concat', [a, b, c], { axis: 1 }, [2, 6, 2], 'float32');
    const want: number[] = [];
    for (let o = 0; o < 2; o++)
      for (const t of [a, b, c]) {
        const rows = t.shape[1] as number;
        for (let r = 0; r < rows * 2; r++) want.push(t.values[o * rows * 2 + r] as number);
      }
    expect(Array.from(got)).toEqual(want);
    const g0 = await run(
      'concat',
      [f32([1, 2], [1, 2]), f32([3, 4, 5, 6], [2, 2])],
      { axis: 0 },
      [3, 2],
      'float32',
    );
    expect(Array.from(g0)).toEqual([1, 2, 3, 4, 5, 6]);
    const g1 = await run('concat', [bool([1, 0], [2, 1]), bool([0, 1], [2, 1])], { axis: 1 }, [2, 2], 'bool');
    expect(Array.from(g1)).toEqual([1, 0, 0, 1]);
  });

  it('pad with a value, per axis', async () => {
    const got = await run(
      'pad',
      [f32([1, 2, 3, 4, 5, 6], [2, 3])],
      {
        paddings: [
          [1, 0],
          [2, 1],
        ],
        value: -1,
      },
      [3, 6],
      'float32',
    );
    expect(Array.from(got)).toEqual([-1, -1, -1, -1, -1, -1, -1, -1, 1, 2, 3, -1, -1, -1, 4, 5, 6, -1]);
    const gi = await run('pad', [i32([7], [1])], { paddings: [[2, 1]], value: 3 }, [4], 'int32');
    expect(Array.from(gi)).toEqual([3, 3, 7, 3]);
  });

  it('fill every dtype', async () => {
    expect(Array.from(await run('fill', [], { value: 2.5 }, [2, 2], 'float32'))).toEqual([
      2.5, 2.5, 2.5, 2.5,
    ]);
    expect(Array.from(await run('fill', [], { value: -7 }, [3], 'int32'))).toEqual([-7, -7, -7]);
    expect(Array.from(await run('fill', [], { value: 1 }, [2], 'bool'))).toEqual([1, 1]);
    const big = await run('fill', [], { value: 1 }, [70000], 'float32');
    expect(big.every((v) => v === 1)).toBe(true);
  });
});
