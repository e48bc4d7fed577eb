import { ArgumentError } from '@myelin/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { DataLoader, randomSplit, Subset, TensorDataset } from '../src/index.js';
import { useCpu } from './setup.js';

beforeAll(useCpu);

const ds = new TensorDataset(
  { data: Float32Array.from({ length: 10 }, (_, i) => i), shape: [10, 1] },
  { data: Int32Array.from({ length: 10 }, (_, i) => i), shape: [10] },
);

function labels(s: Subset): number[] {
  return Array.from(s.indices);
}

describe('randomSplit', () => {
  it('splits by fractions into disjoint subsets that cover the dataset', () => {
    const [a, b] = randomSplit(ds, [0.7, 0.3], 1) as [Subset, Subset];
    expect([a.length, b.length]).toEqual([7, 3]);
    expect([...labels(a), ...labels(b)].sort((p, q) => p - q)).toEqual(
      Array.from({ length: 10 }, (_, i) => i),
    );
  });

  it('hands the rounding remainder to the first subsets, like PyTorch', () => {
    expect(randomSplit(ds, [1 / 3, 1 / 3, 1 / 3], 0).map((s) => s.length)).toEqual([4, 3, 3]);
  });

  it('splits by counts, reproducibly for a seed', () => {
    const one = randomSplit(ds, [8, 2], 5).map(labels);
    expect(randomSplit(ds, [8, 2], 5).map(labels)).toEqual(one);
    expect(randomSplit(ds, [8, 2], 6).map(labels)).not.toEqual(one);
  });

  it('rejects lengths that fit neither way', () => {
    expect(() => randomSplit(ds, [5, 4], 0)).toThrow(ArgumentError);
    expect(() => randomSplit(ds, [0.5, 0.6], 0)).toThrow(/neither counts/);
    expect(() => randomSplit(ds, [], 0)).toThrow(/non-empty/);
  });

  it('gives subsets that load through their parent, fast path included', async () => {
    const sub = new Subset(ds, [9, 2, 5]);
    expect((await sub.get(1)).y).toBe(2);
    expect(sub.sampleShape).toEqual({ x: [1], y: [] });
    for await (using b of new DataLoader(sub, { batchSize: 3 }))
      expect(await b.y.data()).toEqual(new Int32Array([9, 2, 5]));
    expect(() => sub.get(3)).toThrow(/out of range/);
    expect(() => new Subset(ds, [10])).toThrow(/out of range/);
  });
});
