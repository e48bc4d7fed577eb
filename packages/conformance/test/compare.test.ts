import { describe, expect, it } from 'vitest';
import { describeMismatches, isClose } from '../src/compare.js';
import { KERNEL_NAMES, kernelTags } from '../src/kernel-names.js';
import { Rng, spreadValues } from '../src/random-data.js';

const tol = { rtol: 1e-4, atol: 1e-5 };

describe('isClose', () => {
  it('treats NaN as equal to NaN only, and infinities exactly', () => {
    expect(isClose(Number.NaN, Number.NaN, tol)).toBe(true);
    expect(isClose(0, Number.NaN, tol)).toBe(false);
    expect(isClose(Number.NaN, 0, tol)).toBe(false);
    expect(isClose(Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY, tol)).toBe(true);
    expect(isClose(Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY, tol)).toBe(false);
    expect(isClose(3e38, Number.POSITIVE_INFINITY, tol)).toBe(false);
    expect(isClose(Number.POSITIVE_INFINITY, 3e38, tol)).toBe(false);
  });

  it('allows atol + rtol·|expected|, widened by a scale', () => {
    expect(isClose(1.00005, 1, tol)).toBe(true);
    expect(isClose(1.001, 1, tol)).toBe(false);
    expect(isClose(0.001, 0, tol, 100)).toBe(true);
  });
});

describe('describeMismatches', () => {
  it('names the first differing indices', () => {
    expect(describeMismatches([1, 2, 3], [1, 2, 3], tol)).toBeNull();
    expect(describeMismatches([1, 5, 3], [1, 2, 3], tol)).toContain('[1] expected 2, got 5');
    expect(describeMismatches([1, 2], [1, 2, 3], tol)).toContain('expected 3 values');
    expect(describeMismatches([1, 2.00001], [1, 2], tol, { exact: true })).toContain('[1]');
  });
});

describe('test data', () => {
  it('is the same for the same seed', () => {
    const a = new Rng(42);
    const b = new Rng(42);
    expect(Array.from({ length: 5 }, () => a.next())).toEqual(Array.from({ length: 5 }, () => b.next()));
  });

  it('spreads values apart and away from 0', () => {
    const v = Array.from(spreadValues(new Rng(3), 40)).sort((x, y) => x - y);
    for (let i = 1; i < v.length; i++) expect((v[i] as number) - (v[i - 1] as number)).toBeGreaterThan(0.1);
    for (const x of v) expect(Math.abs(x)).toBeGreaterThan(0.05);
  });
});

describe('kernel tags', () => {
  it('list every kernel once and format titles the matrix can parse', () => {
    expect(new Set(KERNEL_NAMES).size).toBe(KERNEL_NAMES.length);
    expect(kernelTags(['matmul', 'transpose'])).toBe('[kernel:matmul] [kernel:transpose] ');
  });
});
