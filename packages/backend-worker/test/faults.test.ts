/**
 * A worker that throws, dies or hangs in the middle of a kernel makes that kernel fail with a clear error
 * (within a second of the fault), nothing hangs, and the backend replaces the worker and stays usable.
 */

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Fault, WorkerBackend } from '../src/index.js';
import { createWorkerBackend } from './built.js';
import { f32, floats, rng, runKernel, worstMismatch } from './helpers.js';

const N = 384;
const r = rng(3);
const a = f32(floats(r, N * N), [N, N]);
const b = f32(floats(r, N * N), [N, N]);
const attrs = { transposeA: false, transposeB: false };

let be: WorkerBackend;
let reference: Float32Array;

function matmul(): Float32Array {
  return runKernel(be, 'matmul', [a, b], attrs, [1, N, N]) as Float32Array;
}

/** Runs the matmul until it fails (the worker may miss a whole kernel if it wakes late); returns the error. */
function failingMatmul(): { error: Error; ms: number } {
  for (let attempt = 0; attempt < 10; attempt++) {
    const t = performance.now();
    try {
      matmul();
    } catch (e) {
      return { error: e as Error, ms: performance.now() - t };
    }
  }
  throw new Error('the injected fault never fired: the worker took no chunk in 10 kernels');
}

beforeAll(async () => {
  be = await createWorkerBackend({ threads: 2 });
  reference = matmul();
});

afterAll(async () => {
  await be?.dispose();
});

const expected: Record<Fault, RegExp> = {
  throw: /worker thread 1 threw: Error: fault injected by a test/,
  exit: /worker thread 1 died \(exit code 7\) in the middle of the kernel; a new worker thread replaces it/,
  hang: /worker thread 1 made no progress for 500 ms in the middle of the kernel/,
};

describe.each(Object.keys(expected) as Fault[])('a worker that faults with %s mid-kernel', (fault) => {
  it('fails that kernel with a clear error, quickly', () => {
    const replacedBefore = be.stats().replacedWorkers;
    be.injectFault(1, fault);
    const { error, ms } = failingMatmul();
    expect(error.message).toMatch(expected[fault]);
    // The kernel itself takes ~10–50 ms here; the fault must not add more than the stall timeout.
    expect(ms, `failed after ${ms.toFixed(0)} ms`).toBeLessThan(1000 + 500);
    expect(be.stats().replacedWorkers).toBe(replacedBefore + (fault === 'throw' ? 0 : 1));
  });

  it('leaves a backend that works, with the worker back', async () => {
    expect(await be.whenReady(10_000)).toBe(true);
    expect(be.readyWorkers()).toBe(1);
    const before = be.stats().chunksByThread[1] ?? 0;
    for (let i = 0; i < 3; i++) expect(worstMismatch(matmul(), reference)).toBeLessThanOrEqual(1);
    expect(be.stats().chunksByThread[1] ?? 0, 'the new worker takes chunks again').toBeGreaterThan(before);
  });
});

it('a worker that ends between kernels is replaced without failing any kernel', async () => {
  const replacedBefore = be.stats().replacedWorkers;
  be.injectFault(1, 'exit');
  // The first matmul may be the one the fault lands in; the next ones must succeed.
  try {
    matmul();
  } catch {
    // expected: the fault fired mid-kernel
  }
  expect(await be.whenReady(10_000)).toBe(true);
  expect(worstMismatch(matmul(), reference)).toBeLessThanOrEqual(1);
  expect(be.stats().replacedWorkers).toBeGreaterThan(replacedBefore);
});

describe('after dispose', () => {
  let gone: WorkerBackend;
  beforeAll(async () => {
    gone = await createWorkerBackend({ threads: 2 });
    await gone.dispose();
  });
  it('has no workers and refuses kernels with a clear error', () => {
    expect(gone.readyWorkers()).toBe(0);
    expect(() => runKernel(gone, 'fill', [], { value: 1 }, [4])).toThrow(/disposed/);
  });
});
