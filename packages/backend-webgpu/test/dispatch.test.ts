/**
 * Large dispatches are spread over x and y (at most 65535 workgroups per dimension). With the cap
 * lowered to 3, small tensors take the same split paths that huge ones take on a real device.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { linearGrid } from '../src/wgsl.js';
import { disposeBackend, expectClose, f32, randoms, run, useBackend } from './helpers.js';

afterAll(disposeBackend);

describe('linearGrid', () => {
  it('covers every workgroup with x and y within the cap', () => {
    expect(linearGrid(10, 65535)).toEqual([10, 1, 1]);
    expect(linearGrid(0, 65535)).toEqual([1, 1, 1]);
    const [x, y] = linearGrid(100000, 65535);
    expect(x).toBeLessThanOrEqual(65535);
    expect(x * y).toBeGreaterThanOrEqual(100000);
    expect(() => linearGrid(65536 * 65536, 65535)).toThrow(/exceeds/);
  });
});

describe('kernels with dispatches split over x and y (cap of 3 workgroups per dimension)', () => {
  beforeAll(async () => {
    const b = await useBackend({ maxWorkgroupsPerDimension: 3 });
    expect(b.maxWorkgroupsPerDim).toBe(3);
  });

  it('elementwise over 2000 elements (8 workgroups)', async () => {
    const x = randoms(2000, 1);
    const got = await run('unary', [f32(x, [2000])], { op: 'neg' }, [2000], 'float32');
    expectClose(
      got,
      Array.from(x, (v) => -v),
      0,
      0,
    );
  });

  it('a workgroup per output (reduce, argReduce, softmax) over 7 rows', async () => {
    const x = randoms(7 * 300, 2);
    const sums = await run('reduce', [f32(x, [7, 300])], { op: 'sum', axes: [1] }, [7, 1], 'float32');
    const want = Array.from({ length: 7 }, (_, r) =>
      x.slice(r * 300, r * 300 + 300).reduce((a, b) => a + b, 0),
    );
    expectClose(sums, want, 1e-4, 1e-5);
    const arg = await run('argReduce', [f32(x, [7, 300])], { op: 'argmax', axis: 1 }, [7, 1], 'int32');
    const wantArg = Array.from({ length: 7 }, (_, r) => {
      const row = Array.from(x.slice(r * 300, r * 300 + 300));
      return row.indexOf(Math.max(...row));
    });
    expect(Array.from(arg)).toEqual(wantArg);
    const sm = await run('softmax', [f32(x, [7, 300])], {}, [7, 300], 'float32');
    for (let r = 0; r < 7; r++)
      expectClose([Array.from(sm.slice(r * 300, r * 300 + 300)).reduce((a, b) => a + b, 0)], [1], 1e-5, 1e-5);
  });

  it('matmul with 16 output blocks per workgroup dimension', async () => {
    const m = 40;
    const a = randoms(m * m, 3);
    const b = randoms(m * m, 4);
    const got = await run(
      'matmul',
      [f32(a, [1, m, m]), f32(b, [1, m, m])],
      { transposeA: false, transposeB: false },
      [1, m, m],
      'float32',
    );
    const want: number[] = [];
    for (let i = 0; i < m; i++)
      for (let j = 0; j < m; j++) {
        let s = 0;
        for (let k = 0; k < m; k++) s += (a[i * m + k] as number) * (b[k * m + j] as number);
        want.push(s);
      }
    expectClose(got, want, 1e-5, 1e-5);
  });
});
