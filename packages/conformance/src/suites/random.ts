/**
 * Random streams: Philox 4x32-10 known-answer vectors, and `rand`/`randn` producing exactly the stream
 * of the spec (`fillUniform`/`fillNormal` in @myelin/core) on the backend, so the same seed gives the same
 * weights and dropout masks everywhere.
 */
import * as core from '@myelin/core';
import { describe } from 'vitest';
import { describeMismatches } from '../compare.js';
import type { Harness } from '../harness.js';

/** Known answers of Philox 4x32-10 (Random123's kat_vectors): counter, key → output words. */
const KAT: { counter: number[]; key: number[]; out: number[] }[] = [
  { counter: [0, 0, 0, 0], key: [0, 0], out: [0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8] },
  {
    counter: [0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff],
    key: [0xffffffff, 0xffffffff],
    out: [0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd],
  },
  {
    counter: [0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344],
    key: [0xa4093822, 0x299f31d0],
    out: [0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1],
  },
];

const hex = (words: ArrayLike<number>) =>
  Array.from(words, (w) => (w >>> 0).toString(16).padStart(8, '0')).join(' ');

/** The Philox key of a seed, as core's generator derives it. */
function keyOf(seed: number): [number, number] {
  return [seed >>> 0, Math.floor(seed / 4294967296) >>> 0];
}

async function expectStream(
  actual: core.Tensor,
  expected: Float32Array,
  label: string,
  tol = { rtol: 0, atol: 0 },
) {
  const got = await actual.data();
  const problem = describeMismatches(got, expected, tol, { exact: tol.rtol === 0 && tol.atol === 0 });
  if (problem) throw new Error(`${label}: ${problem}`);
}

/** Registers the random-stream tests. */
export function registerRandomSuite(h: Harness): void {
  describe('random streams (Philox 4x32-10)', () => {
    h.test([], 'philox4x32 known-answer vectors', () => {
      const out = new Uint32Array(4);
      for (const v of KAT) {
        const [c0, c1, c2, c3] = v.counter as [number, number, number, number];
        core.philox4x32(c0, c1, c2, c3, v.key[0] as number, v.key[1] as number, out);
        if (hex(out) !== hex(v.out))
          throw new Error(
            `philox4x32(${hex(v.counter)}; ${hex(v.key)}) = ${hex(out)}, expected ${hex(v.out)}`,
          );
      }
    });

    h.test(
      ['randomUniform'],
      'rand with seed 0 starts with the known-answer words of counter 0, key 0',
      async () => {
        // Block 0 of key [0, 0] is the first known-answer vector: u = (w >>> 8) · 2^-24.
        const expected = new Float32Array(
          (KAT[0] as (typeof KAT)[number]).out.map((w) => (w >>> 8) / 16777216),
        );
        using u = core.rand([4], { seed: 0 });
        await expectStream(u, expected, 'rand([4], {seed: 0})');
      },
    );

    const SHAPES = [[1], [4], [7], [3, 5], [1001]];
    for (const shape of SHAPES) {
      h.test(
        ['randomUniform'],
        `rand ${JSON.stringify(shape)} with a seed is exactly the uniform stream`,
        async () => {
          const seed = 12345 + shape.length;
          const n = shape.reduce((a, b) => a * b, 1);
          const expected = new Float32Array(n);
          core.fillUniform(expected, keyOf(seed), [0, 0], -2, 3);
          using u = core.rand(shape, { seed, low: -2, high: 3 });
          if (u.shape.join(',') !== shape.join(','))
            throw new Error(`shape [${u.shape}], expected [${shape}]`);
          await expectStream(u, expected, `rand(${JSON.stringify(shape)})`);
        },
      );
      h.test(
        ['randomNormal'],
        `randn ${JSON.stringify(shape)} with a seed is the normal stream`,
        async () => {
          const seed = 2 ** 40 + 777; // a seed above 2^32 uses both key words
          const n = shape.reduce((a, b) => a * b, 1);
          const expected = new Float32Array(n);
          core.fillNormal(expected, keyOf(seed), [0, 0], 0.5, 2);
          using z = core.randn(shape, { seed, mean: 0.5, std: 2 });
          // Box–Muller uses log, sqrt, cos and sin: allow their last-bit differences.
          await expectStream(z, expected, `randn(${JSON.stringify(shape)})`, { rtol: 1e-5, atol: 1e-5 });
        },
      );
    }

    h.test(
      ['randomUniform', 'randomNormal'],
      'the global generator: manualSeed, consecutive draws, counter carry',
      async () => {
        const saved = core.getRngState();
        try {
          core.manualSeed(99);
          const key = keyOf(99);
          using a = core.rand([5]);
          using b = core.randn([3]);
          using c = core.rand([6]);
          // Each draw starts where the previous one's blocks end.
          const ea = new Float32Array(5);
          core.fillUniform(ea, key, [0, 0], 0, 1);
          const eb = new Float32Array(3);
          const afterA = core.counterAdd([0, 0], core.blocksUsed('uniform', 5));
          core.fillNormal(eb, key, afterA, 0, 1);
          const ec = new Float32Array(6);
          core.fillUniform(ec, key, core.counterAdd(afterA, core.blocksUsed('normal', 3)), 0, 1);
          await expectStream(a, ea, 'first draw');
          await expectStream(b, eb, 'second draw', { rtol: 1e-5, atol: 1e-5 });
          await expectStream(c, ec, 'third draw');

          // A counter about to wrap its low word: blocks must carry into the high word.
          core.setRngState({ key: [7, 8], counter: [0xfffffffe, 3] });
          using d = core.rand([16]);
          const ed = new Float32Array(16);
          core.fillUniform(ed, [7, 8], [0xfffffffe, 3], 0, 1);
          await expectStream(d, ed, 'draw across the counter carry');
          core.setRngState({ key: [7, 8], counter: [0xffffffff, 0xffffffff] });
          using e = core.randn([6]);
          const ee = new Float32Array(6);
          core.fillNormal(ee, [7, 8], [0xffffffff, 0xffffffff], 0, 1);
          await expectStream(e, ee, 'normal draw across the 64-bit wrap', { rtol: 1e-5, atol: 1e-5 });
        } finally {
          core.setRngState(saved);
        }
      },
    );

    h.test(['randomUniform', 'randomNormal'], 'uniform and normal draws have the right moments', async () => {
      using u = core.rand([20000], { seed: 5 });
      using z = core.randn([20000], { seed: 6 });
      const uv = Array.from(await u.data());
      const zv = Array.from(await z.data());
      const mean = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;
      const mu = mean(uv);
      const mz = mean(zv);
      const vz = mean(zv.map((x) => (x - mz) ** 2));
      const minU = Math.min(...uv);
      const maxU = Math.max(...uv);
      if (Math.abs(mu - 0.5) > 0.01 || minU < 0 || maxU >= 1)
        throw new Error(`uniform: mean ${mu}, range [${minU}, ${maxU}]`);
      if (Math.abs(mz) > 0.03 || Math.abs(vz - 1) > 0.05)
        throw new Error(`normal: mean ${mz}, variance ${vz}`);
    });
  });
}
