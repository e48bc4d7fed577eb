/** Initialisers: PyTorch's bounds and spreads, the layers' defaults, and the `init` option. */
import { manualSeed, type Tensor } from '@myelin/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { Conv2d, init, Linear, PReLU } from '../src/index.js';
import { useCpu } from './helpers.js';

beforeAll(useCpu);

async function stats(t: Tensor): Promise<{ min: number; max: number; mean: number; std: number }> {
  const v = Array.from(await t.data());
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  const std = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length);
  return { min: Math.min(...v), max: Math.max(...v), mean, std };
}

describe('initialisers', () => {
  it('computes fans as PyTorch (receptive field included)', () => {
    expect(init.computeFans([10, 20])).toEqual({ fanIn: 20, fanOut: 10 });
    expect(init.computeFans([8, 3, 5, 5])).toEqual({ fanIn: 75, fanOut: 200 });
    expect(() => init.computeFans([5])).toThrow(/at least 2 dims/);
  });

  it('xavierUniform stays within gain·√(6/(fanIn+fanOut)) with the uniform spread', async () => {
    const a = Math.sqrt(6 / (200 + 100));
    const s = await stats(init.xavierUniform([100, 200]));
    expect(s.max).toBeLessThanOrEqual(a);
    expect(s.min).toBeGreaterThanOrEqual(-a);
    expect(s.std).toBeCloseTo(a / Math.sqrt(3), 2);
  });

  it('xavierNormal and kaimingNormal have the documented standard deviations', async () => {
    expect((await stats(init.xavierNormal([100, 200]))).std).toBeCloseTo(Math.sqrt(2 / 300), 2);
    const he = await stats(init.kaimingNormal([64, 32, 3, 3], { nonlinearity: 'relu' }));
    expect(he.std / (Math.SQRT2 / Math.sqrt(32 * 9))).toBeCloseTo(1, 1);
    const fanOut = await stats(init.kaimingNormal([64, 32, 3, 3], { mode: 'fan_out', nonlinearity: 'relu' }));
    expect(fanOut.std / (Math.SQRT2 / Math.sqrt(64 * 9))).toBeCloseTo(1, 1);
  });

  it('kaimingUniform with a=√5 (the layers default) gives U(±1/√fanIn)', async () => {
    const s = await stats(init.kaimingUniform([50, 400], { a: Math.sqrt(5) }));
    expect(s.max).toBeLessThanOrEqual(1 / 20);
    expect(s.min).toBeGreaterThanOrEqual(-1 / 20);
    expect(s.max).toBeGreaterThan(0.9 / 20);
  });

  it('constant, zeros, uniform and normal', async () => {
    expect(Array.from(await init.constant([3], 0.5).data())).toEqual([0.5, 0.5, 0.5]);
    expect(Array.from(await init.zeros([2]).data())).toEqual([0, 0]);
    const u = await stats(init.uniform([4000], -2, 2));
    expect(u.min).toBeGreaterThanOrEqual(-2);
    expect(u.max).toBeLessThan(2);
    const n = await stats(init.normal([4000], 3, 0.5));
    expect(n.mean).toBeCloseTo(3, 1);
    expect(n.std).toBeCloseTo(0.5, 1);
  });

  it('Linear and Conv2d default to PyTorch init: weights and bias in ±1/√fanIn', async () => {
    const fc = new Linear(100, 50);
    const w = await stats(fc.weight);
    expect(w.max).toBeLessThanOrEqual(0.1);
    expect(w.min).toBeGreaterThanOrEqual(-0.1);
    expect(w.std).toBeCloseTo(0.1 / Math.sqrt(3), 2);
    const b = await stats(fc.bias as Tensor);
    expect(Math.max(Math.abs(b.min), Math.abs(b.max))).toBeLessThanOrEqual(0.1);
    const conv = new Conv2d(3, 8, 5);
    const cw = await stats(conv.weight);
    expect(Math.max(-cw.min, cw.max)).toBeLessThanOrEqual(1 / Math.sqrt(75));
    fc.dispose();
    conv.dispose();
  });

  it("the init option chooses: 'zeros' zeroes weights and bias, per-tensor specs and functions work", async () => {
    const z = new Linear(4, 3, { init: 'zeros' });
    expect(Array.from(await z.weight.data()).every((v) => v === 0)).toBe(true);
    expect(Array.from(await (z.bias as Tensor).data()).every((v) => v === 0)).toBe(true);
    const mixed = new Linear(4, 3, { init: { weight: 'xavierUniform', bias: (s) => init.constant(s, 0.1) } });
    expect(Array.from(await (mixed.bias as Tensor).data())).toEqual([0.1, 0.1, 0.1].map(Math.fround));
    expect(() => new Linear(4, 3, { init: { weight: () => init.zeros([1]) } })).toThrow(
      /returned \[1\], expected \[3,4\]/,
    );
    expect(Array.from(await new PReLU(2).weight.data())).toEqual([0.25, 0.25]);
  });

  it('the same seed gives the same weights', async () => {
    manualSeed(7);
    const a = Array.from(await new Linear(5, 5).weight.data());
    manualSeed(7);
    const b = Array.from(await new Linear(5, 5).weight.data());
    expect(a).toEqual(b);
  });
});
