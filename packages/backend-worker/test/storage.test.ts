/**
 * Storage: tensors live in shared slabs, freed blocks are reused, and a loop that allocates the same
 * shapes every step holds a fixed amount of memory.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { WorkerBackend } from '../src/index.js';
import { createWorkerBackend } from './built.js';

let be: WorkerBackend;

beforeAll(async () => {
  be = await createWorkerBackend({ threads: 2, minSplitMs: 0 });
});

afterAll(async () => {
  await be?.dispose();
});

function step(n: number): void {
  const x = be.upload(new Float32Array(n).fill(1), 'float32');
  const info = { dataId: x, shape: [n], dtype: 'float32' as const, size: n };
  const y = be.kernels.unary([info], { op: 'exp' }, { shape: [n], dtype: 'float32', size: n }, be);
  expect(be.dataOf(y)[n - 1]).toBeCloseTo(Math.E, 5);
  be.free(x);
  be.free(y);
}

it('buffers are views of shared memory, and reads are unshared copies', () => {
  const id = be.upload(new Int32Array([1, 2, 3]), 'int32');
  expect(be.dataOf(id).buffer).toBeInstanceOf(SharedArrayBuffer);
  const copy = be.readSync(id);
  expect(copy.buffer).toBeInstanceOf(ArrayBuffer);
  expect(Array.from(copy)).toEqual([1, 2, 3]);
  expect(be.memory()).toEqual({ buffers: 1, bytes: 12 });
  be.free(id);
  expect(be.memory()).toEqual({ buffers: 0, bytes: 0 });
  expect(() => be.dataOf(id)).toThrow(/used after it was freed/);
});

it('a loop of the same shapes reuses its blocks instead of growing', () => {
  for (const n of [1000, 300_000, 5_000_000]) {
    step(n);
    const held = be.stats().storageBytes;
    for (let i = 0; i < 20; i++) step(n);
    expect(be.stats().storageBytes).toBe(held);
  }
  expect(be.memory().buffers).toBe(0);
});

it('big tensors beyond the kept amount are released', async () => {
  const small = await createWorkerBackend({ threads: 2, minSplitMs: 0, keepFreedBytes: 0 });
  try {
    const n = 5_000_000; // 20 MB: storage of its own
    const id = small.upload(new Float32Array(n), 'float32');
    const held = small.stats().storageBytes;
    small.free(id);
    expect(small.stats().storageBytes).toBeLessThan(held);
  } finally {
    await small.dispose();
  }
});
