import {
  ArgumentError,
  arange,
  manualSeed,
  memory,
  reshape,
  ShapeError,
  type Tensor,
  tensor,
} from '@myelin/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Batch, DataError, DataLoader, type Dataset, normalize, TensorDataset } from '../src/index.js';
import { expectNoLeak, useCpu } from './setup.js';

beforeAll(useCpu);

/** n samples: x = [i, 10 i], y = i. */
function rows(n: number): TensorDataset {
  const x = new Float32Array(n * 2);
  for (let i = 0; i < n; i++) x.set([i, 10 * i], 2 * i);
  return new TensorDataset(
    { data: x, shape: [n, 2] },
    { data: Int32Array.from({ length: n }, (_, i) => i), shape: [n] },
  );
}

async function collect(
  loader: DataLoader,
): Promise<{ xs: number[][]; ys: number[][]; shapes: (readonly number[])[] }> {
  const xs: number[][] = [];
  const ys: number[][] = [];
  const shapes: (readonly number[])[] = [];
  for await (using b of loader) {
    xs.push([...(await b.x.data())]);
    ys.push([...(await b.y.data())]);
    shapes.push(b.x.shape);
    expect(b.y.dtype).toBe('int32');
  }
  return { xs, ys, shapes };
}

describe('TensorDataset', () => {
  it('serves rows of host arrays as views and numbers', () => {
    const ds = rows(5);
    expect(ds.length).toBe(5);
    expect(ds.sampleShape).toEqual({ x: [2], y: [] });
    const s = ds.get(3);
    expect(Array.from(s.x as Float32Array)).toEqual([3, 30]);
    expect(s.y).toBe(3);
  });

  it('gathers batches from tensors on the backend, leaving nothing behind', async () => {
    const x = reshape(arange(0, 12, 1, 'float32'), [6, 2]);
    const y = arange(6);
    const ds = new TensorDataset(x, y);
    await expectNoLeak(async () => {
      const b = ds.getBatch([4, 0]);
      expect(await b.x.array()).toEqual([
        [8, 9],
        [0, 1],
      ]);
      expect(await b.y.array()).toEqual([4, 0]);
      b.x.dispose();
      b.y.dispose();
      const s = ds.get(5);
      expect(await (s.x as Tensor).array()).toEqual([10, 11]);
      (s.x as Tensor).dispose();
      (s.y as Tensor).dispose();
    });
    x.dispose();
    y.dispose();
  });

  it('rejects mismatched lengths and bad indices', () => {
    expect(
      () =>
        new TensorDataset(
          { data: new Float32Array(4), shape: [2, 2] },
          { data: new Int32Array(3), shape: [3] },
        ),
    ).toThrow(ShapeError);
    expect(
      () =>
        new TensorDataset(
          { data: new Float32Array(4), shape: [3, 2] },
          { data: new Int32Array(3), shape: [3] },
        ),
    ).toThrow(/do not fill/);
    expect(() => rows(3).get(3)).toThrow(ArgumentError);
    expect(() => rows(3).getBatch([0, -1])).toThrow(/out of range/);
  });

  it('from() shapes labelled data as rows or images', () => {
    const data = {
      x: new Float32Array(2 * 4),
      y: new Int32Array(2),
      n: 2,
      sampleShape: [4],
      imageShape: [1, 2, 2],
      numClasses: 2,
    };
    expect(TensorDataset.from(data).sampleShape.x).toEqual([4]);
    expect(TensorDataset.from(data, { image: true }).sampleShape.x).toEqual([1, 2, 2]);
  });
});

describe('DataLoader', () => {
  it('yields batches in order, with a short last batch unless dropLast', async () => {
    const plain = await collect(new DataLoader(rows(5), { batchSize: 2 }));
    expect(plain.ys).toEqual([[0, 1], [2, 3], [4]]);
    expect(plain.xs[1]).toEqual([2, 20, 3, 30]);
    expect(plain.shapes).toEqual([
      [2, 2],
      [2, 2],
      [1, 2],
    ]);
    expect(new DataLoader(rows(5), { batchSize: 2 }).length).toBe(3);
    const dropped = await collect(new DataLoader(rows(5), { batchSize: 2, dropLast: true }));
    expect(dropped.ys).toEqual([
      [0, 1],
      [2, 3],
    ]);
    expect(new DataLoader(rows(5), { batchSize: 2, dropLast: true }).length).toBe(2);
  });

  it('shuffles reproducibly from a seed, with a new order each epoch', async () => {
    const a = new DataLoader(rows(20), { batchSize: 4, shuffle: true, seed: 7 });
    const b = new DataLoader(rows(20), { batchSize: 4, shuffle: true, seed: 7 });
    const a0 = (await collect(a)).ys.flat();
    const a1 = (await collect(a)).ys.flat();
    expect((await collect(b)).ys.flat()).toEqual(a0);
    expect((await collect(b)).ys.flat()).toEqual(a1);
    expect(a1).not.toEqual(a0);
    expect([...a0].sort((p, q) => p - q)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    const c = new DataLoader(rows(20), { batchSize: 4, shuffle: true, seed: 8 });
    expect((await collect(c)).ys.flat()).not.toEqual(a0);
  });

  it('takes its seed from manualSeed when none is given', async () => {
    manualSeed(11);
    const a = (await collect(new DataLoader(rows(16), { batchSize: 16, shuffle: true }))).ys[0];
    manualSeed(11);
    const b = (await collect(new DataLoader(rows(16), { batchSize: 16, shuffle: true }))).ys[0];
    expect(b).toEqual(a);
  });

  it('keeps x and y of each sample together when shuffled', async () => {
    const { xs, ys } = await collect(new DataLoader(rows(10), { batchSize: 3, shuffle: true, seed: 1 }));
    ys.forEach((batch, k) => {
      batch.forEach((label, i) => {
        expect(xs[k]?.slice(2 * i, 2 * i + 2)).toEqual([label, 10 * label]);
      });
    });
  });

  it('works with an asynchronous dataset without getBatch, stacking plain values', async () => {
    const slow: Dataset = {
      length: 5,
      get: async (i) => {
        await new Promise((r) => setTimeout(r, 1));
        return { x: new Float32Array([i, i, i, i]), y: i % 2 };
      },
      sampleShape: { x: [1, 2, 2] },
    };
    const { ys, shapes, xs } = await collect(new DataLoader(slow, { batchSize: 2 }));
    expect(shapes[0]).toEqual([2, 1, 2, 2]);
    expect(ys).toEqual([[0, 1], [0, 1], [0]]);
    expect(xs[2]).toEqual([4, 4, 4, 4]);
  });

  it('stacks tensor samples and frees them', async () => {
    const ds: Dataset = { length: 4, get: (i) => ({ x: tensor([i, -i]), y: tensor(i, { dtype: 'int32' }) }) };
    await expectNoLeak(async () => {
      for await (using b of new DataLoader(ds, { batchSize: 3 })) {
        expect(b.x.shape[1]).toBe(2);
        expect(b.y.dtype).toBe('int32');
      }
    });
  });

  it('follows declared dtypes and rejects fractional labels stored as int32', async () => {
    const reg: Dataset = {
      length: 2,
      get: (i) => ({ x: new Float32Array([i]), y: i + 0.5 }),
      dtypes: { y: 'float32' },
    };
    for await (using b of new DataLoader(reg, { batchSize: 2 }))
      expect(await b.y.data()).toEqual(new Float32Array([0.5, 1.5]));
    const bad: Dataset = { length: 2, get: (i) => ({ x: new Float32Array([i]), y: i + 0.5 }) };
    await expect(async () => {
      for await (using _ of new DataLoader(bad, { batchSize: 2 })) {
        // unreachable
      }
    }).rejects.toThrow(DataError);
  });

  it('rejects samples of different sizes with a DataError', async () => {
    const ragged: Dataset = { length: 2, get: (i) => ({ x: new Float32Array(i + 1), y: 0 }) };
    await expect(new DataLoader(ragged, { batchSize: 2 }).load([0, 1])).rejects.toThrow(
      /sample 1 of the batch has 2 values/,
    );
  });

  it('applies transforms to x and y, and a whole epoch leaves only the batches the caller holds', async () => {
    const loader = new DataLoader(rows(10), {
      batchSize: 4,
      transform: normalize(1, 2),
      targetTransform: (y) => y.add(100),
    });
    await expectNoLeak(async () => {
      const kept: Batch[] = [];
      for await (const b of loader) kept.push(b);
      expect(memory().tensors).toBeGreaterThanOrEqual(6);
      expect(await kept[0]?.x.data()).toEqual(new Float32Array([-0.5, -0.5, 0, 4.5, 0.5, 9.5, 1, 14.5]));
      expect(await kept[0]?.y.data()).toEqual(new Int32Array([100, 101, 102, 103]));
      for (const b of kept) b.dispose();
    });
  });

  it('validates its options', () => {
    expect(() => new DataLoader(rows(3), { batchSize: 0 })).toThrow(ArgumentError);
    expect(() => new DataLoader(rows(3), { seed: -1 })).toThrow(/seed/);
    expect(() => new DataLoader({} as Dataset)).toThrow(/get\(index\)/);
  });
});
