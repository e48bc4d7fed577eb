import { describe, expect, it } from 'vitest';
import { counterAdd, fillNormal, fillUniform, philox4x32 } from '../src/random/philox.js';

const hex = (a: Uint32Array) => [...a].map((x) => x.toString(16).padStart(8, '0')).join(' ');

describe('philox4x32-10', () => {
  // Known-answer vectors of Random123 (kat_vectors), the reference implementation.
  it('matches the Random123 known-answer vectors', () => {
    const o = new Uint32Array(4);
    expect(hex(philox4x32(0, 0, 0, 0, 0, 0, o))).toBe('6627e8d5 e169c58d bc57ac4c 9b00dbd8');
    const f = 0xffffffff;
    expect(hex(philox4x32(f, f, f, f, f, f, o))).toBe('408f276d 41c83b0e a20bc7c6 6d5451fd');
    expect(hex(philox4x32(0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344, 0xa4093822, 0x299f31d0, o))).toBe(
      'd16cfe09 94fdcceb 5001e420 24126ea1',
    );
  });

  it('adds block offsets to a 64-bit counter with carry', () => {
    expect(counterAdd([0xffffffff, 0], 1)).toEqual([0, 1]);
    expect(counterAdd([5, 7], 2 ** 32 + 3)).toEqual([8, 8]);
  });

  it('fills ranges independently: two halves equal one whole', () => {
    const whole = new Float32Array(37);
    fillUniform(whole, [1, 2], [3, 0], -1, 1);
    const parts = new Float32Array(37);
    fillUniform(parts, [1, 2], [3, 0], -1, 1, 0, 13);
    fillUniform(parts, [1, 2], [3, 0], -1, 1, 13, 37);
    expect(parts).toEqual(whole);
    const n1 = new Float32Array(9);
    fillNormal(n1, [4, 5], [0, 0], 0, 1);
    const n2 = new Float32Array(9);
    fillNormal(n2, [4, 5], [0, 0], 0, 1, 0, 4);
    fillNormal(n2, [4, 5], [0, 0], 0, 1, 4, 9);
    expect(n2).toEqual(n1);
  });

  it('gives uniform values in [low, high) with the right moments', () => {
    const u = new Float32Array(20000);
    fillUniform(u, [42, 0], [0, 0], 0, 1);
    let mean = 0;
    for (const v of u) {
      expect(v >= 0 && v < 1).toBe(true);
      mean += v;
    }
    expect(mean / u.length).toBeCloseTo(0.5, 2);
    const z = new Float32Array(20000);
    fillNormal(z, [42, 0], [0, 0], 0, 1);
    let m = 0;
    let s = 0;
    for (const v of z) {
      m += v;
      s += v * v;
    }
    expect(m / z.length).toBeCloseTo(0, 1);
    expect(s / z.length).toBeCloseTo(1, 1);
  });
});
