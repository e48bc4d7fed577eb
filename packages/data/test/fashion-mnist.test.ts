import { copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataFormatError, DataNotFoundError, encodeIdx } from '../src/index.js';
import {
  FASHION_MNIST_CLASSES,
  FASHION_MNIST_DIR,
  fashionMnist,
  fashionMnistSplit,
  readIdx,
} from '../src/node.js';
import { nearestCentroidAccuracy } from './centroid.js';

const present = existsSync(join(FASHION_MNIST_DIR, 't10k-images-idx3-ubyte.gz'));
if (!present) {
  console.warn(
    `[fashion-mnist] skipping the tests on the real files: ${FASHION_MNIST_DIR} is missing (apt-get install dataset-fashion-mnist)`,
  );
}

describe('fashionMnist without the files', () => {
  it('says how to install them when the folder is missing', async () => {
    const err = await fashionMnist('/nonexistent/fashion').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataNotFoundError);
    expect((err as Error).message).toMatch(/apt-get install dataset-fashion-mnist/);
    expect((err as Error).message).toMatch(/or pass the folder/);
  });

  it('names the missing file when the folder lacks one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'myelin-fashion-'));
    await expect(fashionMnistSplit('test', dir)).rejects.toThrow(/t10k-images-idx3-ubyte\.gz does not exist/);
  });

  it('reads small uncompressed files and checks that images and labels agree', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'myelin-fashion-'));
    const images = Uint8Array.from({ length: 3 * 784 }, (_, i) => i % 256);
    writeFileSync(
      join(dir, 't10k-images-idx3-ubyte'),
      encodeIdx({ type: 'uint8', shape: [3, 28, 28], data: images }),
    );
    writeFileSync(
      join(dir, 't10k-labels-idx1-ubyte'),
      encodeIdx({ type: 'uint8', shape: [3], data: Uint8Array.from([9, 0, 4]) }),
    );
    const d = await fashionMnistSplit('test', dir);
    expect(d.n).toBe(3);
    expect(Array.from(d.y)).toEqual([9, 0, 4]);
    expect(d.x[255]).toBe(1);
    expect(d.classNames?.[9]).toBe('Ankle boot');
    writeFileSync(
      join(dir, 't10k-labels-idx1-ubyte'),
      encodeIdx({ type: 'uint8', shape: [2], data: Uint8Array.from([9, 0]) }),
    );
    await expect(fashionMnistSplit('test', dir)).rejects.toThrow(/has 3 images but .* has 2 labels/);
    writeFileSync(
      join(dir, 't10k-labels-idx1-ubyte'),
      encodeIdx({ type: 'uint8', shape: [3], data: Uint8Array.from([9, 0, 12]) }),
    );
    await expect(fashionMnistSplit('test', dir)).rejects.toThrow(DataFormatError);
  });
});

describe.skipIf(!present)(`fashionMnist from ${FASHION_MNIST_DIR}`, () => {
  it('reads the 10,000 test images and their labels', async () => {
    const test = await fashionMnistSplit('test');
    expect(test.n).toBe(10000);
    expect(test.x.length).toBe(10000 * 784);
    expect(test.sampleShape).toEqual([1, 28, 28]);
    expect(test.classNames).toEqual(FASHION_MNIST_CLASSES);
    const counts = new Array<number>(10).fill(0);
    for (const c of test.y) counts[c] = (counts[c] as number) + 1;
    expect(counts).toEqual(new Array(10).fill(1000));
    expect(Math.max(...test.x.subarray(0, 7840))).toBeLessThanOrEqual(1);
    expect(Array.from(test.y.subarray(0, 5))).toEqual([9, 2, 1, 1, 6]); // the published first test labels
    expect(
      nearestCentroidAccuracy({
        ...test,
        n: 2000,
        x: test.x.subarray(0, 2000 * 784),
        y: test.y.subarray(0, 2000),
      }),
    ).toBeGreaterThan(0.6);
  });

  it('reads both splits (60,000 + 10,000), with a limit for quick runs', async () => {
    const { train, test } = await fashionMnist(undefined, { limit: 500 });
    expect([train.n, test.n]).toEqual([500, 500]);
    const idx = await readIdx(join(FASHION_MNIST_DIR, 'train-labels-idx1-ubyte.gz'));
    expect(idx.shape).toEqual([60000]);
  }, 20000);

  it('reports a truncated copy of the real file as corrupt', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'myelin-fashion-'));
    const bytes = readFileSync(join(FASHION_MNIST_DIR, 't10k-images-idx3-ubyte.gz'));
    writeFileSync(join(dir, 't10k-images-idx3-ubyte.gz'), bytes.subarray(0, bytes.length >> 1));
    copyFileSync(
      join(FASHION_MNIST_DIR, 't10k-labels-idx1-ubyte.gz'),
      join(dir, 't10k-labels-idx1-ubyte.gz'),
    );
    await expect(fashionMnistSplit('test', dir)).rejects.toThrow(/truncated/);
  });
});
