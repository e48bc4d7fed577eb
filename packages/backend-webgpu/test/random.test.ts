import { fillNormal, fillUniform, philox4x32 } from '@myelin/core';
import { afterAll, describe, expect, it } from 'vitest';
import { PHILOX_WGSL } from '../src/kernels/random.js';
import { ParamWriter } from '../src/params.js';
import { COMMON, declareBindings, linearGrid, main1d, WG } from '../src/wgsl.js';
import { backend, disposeBackend, expectClose, run } from './helpers.js';

afterAll(disposeBackend);

describe('Philox 4x32-10 in WGSL', () => {
  it('produces the same uint32 words as core philox.ts', async () => {
    const b = await backend();
    const blocks = 1000;
    const streams: [number, number, number, number][] = [
      [0, 0, 0, 0],
      [0x12345678, 0x9abcdef0, 0xdeadbeef, 0x0badf00d],
      [0xffffffff, 0xffffffff, 0xfffffe00, 7], // the counter's low word carries into the high word
    ];
    for (const [k0, k1, c0, c1] of streams) {
      const out = b.alloc('int32', blocks * 4);
      b.dispatch({
        key: 'test/philoxWords',
        source: () =>
          declareBindings([], { name: 'ys', type: 'u32' }) +
          COMMON +
          PHILOX_WGSL +
          main1d('  let w = block_words(i);\n  for (var j = 0u; j < 4u; j++) { ys[i * 4u + j] = w[j]; }'),
        inputs: [],
        output: out,
        params: new ParamWriter().u32(blocks).u32(c0).u32(c1).u32(k0).u32(k1).finish(),
        grid: linearGrid(Math.ceil(blocks / WG), b.maxWorkgroupsPerDim),
      });
      const got = new Uint32Array((await b.read(out)).buffer);
      b.release(out);
      const want = new Uint32Array(blocks * 4);
      const words = new Uint32Array(4);
      for (let j = 0; j < blocks; j++) {
        const lo = (c0 + j) % 4294967296;
        const hi = (c1 + Math.floor((c0 + j) / 4294967296)) >>> 0;
        philox4x32(lo, hi, 0, 0, k0, k1, words);
        want.set(words, j * 4);
      }
      expect(Array.from(got)).toEqual(Array.from(want));
    }
    // The reference vector of philox.ts's own documentation.
    expect(Array.from(philox4x32(0, 0, 0, 0, 0, 0, new Uint32Array(4)))).toEqual([
      0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8,
    ]);
  });
});

describe('randomUniform / randomNormal', () => {
  const key: [number, number] = [42, 7];
  const counter: [number, number] = [0xfffffff0, 3];

  it('uniform in [0, 1) equals the CPU stream exactly (odd lengths too)', async () => {
    for (const n of [1, 3, 4, 1001]) {
      const got = await run('randomUniform', [], { key, counter, low: 0, high: 1 }, [n], 'float32');
      const want = new Float32Array(n);
      fillUniform(want, key, counter, 0, 1);
      expect(Array.from(got)).toEqual(Array.from(want));
    }
  });

  it('uniform in any range equals the CPU stream bit for bit (float64 rounding reproduced)', async () => {
    const n = 4000;
    const ranges: [number, number][] = [
      [-0.3, 0.7],
      [-2, 3],
      [-1 / Math.sqrt(784), 1 / Math.sqrt(784)],
      [5, 5],
      [1e-40, 3e-39], // subnormal results
      [-1e30, 1e30],
      [7, -3], // high < low
      [-1, 1],
      [0.1, 0.1 + 1e-6],
    ];
    const bits = (a: Float32Array) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));
    for (const [low, high] of ranges) {
      const got = await run('randomUniform', [], { key, counter, low, high }, [n], 'float32');
      const want = new Float32Array(n);
      fillUniform(want, key, counter, low, high);
      expect(bits(got as Float32Array), `[${low}, ${high})`).toEqual(bits(want));
    }
  });

  it('uniform with infinite bounds falls back to the float32 formula', async () => {
    const got = await run('randomUniform', [], { key, counter, low: 0, high: Infinity }, [8], 'float32');
    const want = new Float32Array(8);
    fillUniform(want, key, counter, 0, Infinity);
    expect(Array.from(got)).toEqual(Array.from(want));
  });

  it('normal matches the CPU stream within float tolerance', async () => {
    for (const n of [1, 2, 5, 2000]) {
      const got = await run('randomNormal', [], { key, counter, mean: 1, std: 2 }, [n], 'float32');
      const want = new Float32Array(n);
      fillNormal(want, key, counter, 1, 2);
      expectClose(got, want, 2e-5, 2e-5);
    }
  });
});
