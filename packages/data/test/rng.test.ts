import { manualSeed } from '@myelin/core';
import { describe, expect, it } from 'vitest';
import { permutation, Rng } from '../src/index.js';
import { drawSeed, hashSeed } from '../src/random/rng.js';

describe('Rng', () => {
  it('gives the same stream for the same seed and another for another seed', () => {
    const a = new Rng(42);
    const b = new Rng(42);
    const c = new Rng(43);
    const sa = Array.from({ length: 8 }, () => a.uint32());
    expect(Array.from({ length: 8 }, () => b.uint32())).toEqual(sa);
    expect(Array.from({ length: 8 }, () => c.uint32())).not.toEqual(sa);
  });

  it('draws uniform floats in [0, 1) and integers in range', () => {
    const r = new Rng(1);
    const us = Array.from({ length: 10000 }, () => r.next());
    const ks = Array.from({ length: 10000 }, () => r.intBetween(-2, 2));
    expect(us.every((u) => u >= 0 && u < 1)).toBe(true);
    expect(new Set(ks)).toEqual(new Set([-2, -1, 0, 1, 2]));
    const sum = us.reduce((p, u) => p + u, 0);
    expect(sum / 10000).toBeCloseTo(0.5, 1);
  });

  it('draws normals with mean 0 and variance 1', () => {
    const r = new Rng(3);
    const xs = Array.from({ length: 20000 }, () => r.normal());
    const mean = xs.reduce((p, x) => p + x, 0) / xs.length;
    const variance = xs.reduce((p, x) => p + (x - mean) ** 2, 0) / xs.length;
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(Math.abs(variance - 1)).toBeLessThan(0.05);
  });

  it('makes permutations that are reproducible and salted', () => {
    const p = permutation(100, 7);
    expect([...p].sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(permutation(100, 7)).toEqual(p);
    expect(permutation(100, 7, 1)).not.toEqual(p);
  });

  it('hashes large seeds using their high bits', () => {
    expect(hashSeed(2 ** 40)).not.toBe(hashSeed(0));
  });

  it('draws default seeds from the global generator, reproducibly after manualSeed', () => {
    manualSeed(5);
    const a = [drawSeed(), drawSeed()];
    manualSeed(5);
    expect([drawSeed(), drawSeed()]).toEqual(a);
    expect(a[0]).not.toBe(a[1]);
  });
});
