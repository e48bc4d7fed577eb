/**
 * Split kernels give the same values as the same kernels run whole on one thread, and big kernels really
 * run on more than one thread while small ones stay inline.
 */
import type { Conv2dAttrs, KernelAttrs, KernelName, Pool2dAttrs } from '@myelin/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkerBackend } from '../src/index.js';
import { createWorkerBackend } from './built.js';
import { f32, floats, type Input, ints, rng, runKernel, worstMismatch } from './helpers.js';

let split: WorkerBackend;
let inline: WorkerBackend;

beforeAll(async () => {
  // Every kernel splits, however small; the reference runs everything on the calling thread alone.
  split = await createWorkerBackend({ threads: 2, minSplitMs: 0, poisonReused: true });
  inline = await createWorkerBackend({ threads: 1 });
});

afterAll(async () => {
  await split?.dispose();
  await inline?.dispose();
});

interface Case<K extends KernelName = KernelName> {
  readonly title: string;
  readonly kernel: K;
  readonly inputs: readonly Input[];
  readonly attrs: KernelAttrs[K];
  readonly out: readonly number[];
  readonly dtype?: 'float32' | 'int32' | 'bool';
  /** Sums in another order (partial sums per thread): compare with a tolerance. */
  readonly reordered?: boolean;
}

const r = rng(7);
const conv: Conv2dAttrs = { stride: [1, 1], padding: [1, 1], dilation: [1, 1] };
const convStrided: Conv2dAttrs = { stride: [2, 2], padding: [0, 0], dilation: [1, 1] };
const pool: Pool2dAttrs = { kernel: [2, 2], stride: [2, 2], padding: [0, 0] };
const poolOverlap: Pool2dAttrs = { kernel: [3, 3], stride: [2, 2], padding: [1, 1] };

function c<K extends KernelName>(x: Case<K>): Case {
  return x as unknown as Case;
}

const cases: Case[] = [
  c({
    title: 'unary exp',
    kernel: 'unary',
    inputs: [f32(floats(r, 50_000), [50_000])],
    attrs: { op: 'exp' },
    out: [50_000],
  }),
  c({
    title: 'binary add, broadcast rows',
    kernel: 'binary',
    inputs: [f32(floats(r, 300 * 200), [300, 200]), f32(floats(r, 200), [200])],
    attrs: { op: 'add' },
    out: [300, 200],
  }),
  c({
    title: 'binary mul, broadcast columns',
    kernel: 'binary',
    inputs: [f32(floats(r, 300 * 200), [300, 200]), f32(floats(r, 300), [300, 1])],
    attrs: { op: 'mul' },
    out: [300, 200],
  }),
  c({
    title: 'where',
    kernel: 'where',
    inputs: [
      { values: Uint8Array.from(ints(r, 40_000, 2)), shape: [200, 200], dtype: 'bool' },
      f32(floats(r, 40_000), [200, 200]),
      f32(floats(r, 200), [200]),
    ],
    attrs: {},
    out: [200, 200],
  }),
  c({
    title: 'cast to int32',
    kernel: 'cast',
    inputs: [f32(floats(r, 30_000), [30_000])],
    attrs: {},
    out: [30_000],
    dtype: 'int32',
  }),
  c({
    title: 'reduce sum over rows',
    kernel: 'reduce',
    inputs: [f32(floats(r, 100 * 300), [100, 300])],
    attrs: { op: 'sum', axes: [0] },
    out: [1, 300],
  }),
  c({
    title: 'reduce max over the inner axis',
    kernel: 'reduce',
    inputs: [f32(floats(r, 300 * 100), [300, 100])],
    attrs: { op: 'max', axes: [1] },
    out: [300, 1],
  }),
  c({
    title: 'argmax',
    kernel: 'argReduce',
    inputs: [f32(floats(r, 300 * 100), [300, 100])],
    attrs: { op: 'argmax', axis: 1 },
    out: [300, 1],
    dtype: 'int32',
  }),
  c({
    title: 'matmul',
    kernel: 'matmul',
    inputs: [f32(floats(r, 200 * 150), [200, 150]), f32(floats(r, 150 * 120), [150, 120])],
    attrs: { transposeA: false, transposeB: false },
    out: [1, 200, 120],
  }),
  c({
    title: 'matmul, batched, both transposed, b broadcast',
    kernel: 'matmul',
    inputs: [f32(floats(r, 3 * 70 * 90), [3, 70, 90]), f32(floats(r, 80 * 70), [80, 70])],
    attrs: { transposeA: true, transposeB: true },
    out: [3, 90, 80],
  }),
  c({
    title: 'conv2d by samples',
    kernel: 'conv2d',
    inputs: [f32(floats(r, 8 * 3 * 16 * 16), [8, 3, 16, 16]), f32(floats(r, 16 * 3 * 3 * 3), [16, 3, 3, 3])],
    attrs: conv,
    out: [8, 16, 16, 16],
  }),
  c({
    title: 'conv2d by channel ranges of one sample',
    kernel: 'conv2d',
    inputs: [f32(floats(r, 1 * 4 * 15 * 15), [1, 4, 15, 15]), f32(floats(r, 40 * 4 * 3 * 3), [40, 4, 3, 3])],
    attrs: convStrided,
    out: [1, 40, 7, 7],
  }),
  c({
    title: 'conv2d backward input by samples',
    kernel: 'conv2dBackwardInput',
    inputs: [
      f32(floats(r, 8 * 16 * 16 * 16), [8, 16, 16, 16]),
      f32(floats(r, 16 * 3 * 3 * 3), [16, 3, 3, 3]),
    ],
    attrs: conv,
    out: [8, 3, 16, 16],
  }),
  c({
    title: 'conv2d backward input by channel ranges',
    kernel: 'conv2dBackwardInput',
    inputs: [f32(floats(r, 1 * 8 * 7 * 7), [1, 8, 7, 7]), f32(floats(r, 8 * 24 * 3 * 3), [8, 24, 3, 3])],
    attrs: convStrided,
    out: [1, 24, 15, 15],
  }),
  c({
    title: 'conv2d backward filter by batch groups',
    kernel: 'conv2dBackwardFilter',
    inputs: [
      f32(floats(r, 8 * 3 * 16 * 16), [8, 3, 16, 16]),
      f32(floats(r, 8 * 6 * 16 * 16), [8, 6, 16, 16]),
    ],
    attrs: conv,
    out: [6, 3, 3, 3],
    reordered: true,
  }),
  c({
    title: 'conv2d backward filter by output channels',
    kernel: 'conv2dBackwardFilter',
    inputs: [f32(floats(r, 1 * 4 * 15 * 15), [1, 4, 15, 15]), f32(floats(r, 1 * 40 * 7 * 7), [1, 40, 7, 7])],
    attrs: convStrided,
    out: [40, 4, 3, 3],
  }),
  c({
    title: 'max pool',
    kernel: 'maxPool2d',
    inputs: [f32(floats(r, 4 * 8 * 16 * 16), [4, 8, 16, 16])],
    attrs: pool,
    out: [4, 8, 8, 8],
  }),
  c({
    title: 'max pool backward, overlapping windows',
    kernel: 'maxPool2dBackward',
    inputs: [f32(floats(r, 4 * 8 * 8 * 8), [4, 8, 8, 8]), f32(floats(r, 4 * 8 * 16 * 16), [4, 8, 16, 16])],
    attrs: poolOverlap,
    out: [4, 8, 16, 16],
  }),
  c({
    title: 'avg pool',
    kernel: 'avgPool2d',
    inputs: [f32(floats(r, 4 * 8 * 16 * 16), [4, 8, 16, 16])],
    attrs: poolOverlap,
    out: [4, 8, 8, 8],
  }),
  c({
    title: 'avg pool backward',
    kernel: 'avgPool2dBackward',
    inputs: [f32(floats(r, 4 * 8 * 8 * 8), [4, 8, 8, 8])],
    attrs: poolOverlap,
    out: [4, 8, 16, 16],
  }),
  c({
    title: 'softmax',
    kernel: 'softmax',
    inputs: [f32(floats(r, 200 * 100), [200, 100])],
    attrs: {},
    out: [200, 100],
  }),
  c({
    title: 'log-softmax',
    kernel: 'logSoftmax',
    inputs: [f32(floats(r, 200 * 100), [200, 100])],
    attrs: {},
    out: [200, 100],
  }),
  c({
    title: 'gather rows',
    kernel: 'gather',
    inputs: [
      f32(floats(r, 500 * 64), [500, 64]),
      { values: ints(r, 300, 500), shape: [300], dtype: 'int32' },
    ],
    attrs: { axis: 0 },
    out: [300, 64],
  }),
  c({
    title: 'scatterAdd with repeated indices',
    kernel: 'scatterAdd',
    inputs: [f32(floats(r, 300 * 64), [300, 64]), { values: ints(r, 300, 50), shape: [300], dtype: 'int32' }],
    attrs: { axis: 0 },
    out: [50, 64],
  }),
  c({
    title: 'oneHot',
    kernel: 'oneHot',
    inputs: [{ values: ints(r, 1000, 12), shape: [1000], dtype: 'int32' }],
    attrs: { depth: 10, on: 1, off: 0 },
    out: [1000, 10],
  }),
  c({
    title: 'transpose',
    kernel: 'transpose',
    inputs: [f32(floats(r, 60 * 70 * 8), [60, 70, 8])],
    attrs: { perm: [2, 0, 1] },
    out: [8, 60, 70],
  }),
  c({
    title: 'slice with steps',
    kernel: 'slice',
    inputs: [f32(floats(r, 100 * 90), [100, 90])],
    attrs: { begin: [3, 1], step: [2, 3] },
    out: [49, 30],
  }),
  c({
    title: 'concat',
    kernel: 'concat',
    inputs: [f32(floats(r, 100 * 30), [100, 30]), f32(floats(r, 100 * 50), [100, 50])],
    attrs: { axis: 1 },
    out: [100, 80],
  }),
  c({
    title: 'pad',
    kernel: 'pad',
    inputs: [f32(floats(r, 90 * 90), [90, 90])],
    attrs: {
      paddings: [
        [2, 3],
        [1, 4],
      ],
      value: -1,
    },
    out: [95, 95],
  }),
  c({ title: 'fill', kernel: 'fill', inputs: [], attrs: { value: 2.5 }, out: [40_000] }),
  c({
    title: 'random uniform',
    kernel: 'randomUniform',
    inputs: [],
    attrs: { key: [12, 34], counter: [5, 0], low: -2, high: 3 },
    out: [40_001],
  }),
  c({
    title: 'random normal',
    kernel: 'randomNormal',
    inputs: [],
    attrs: { key: [12, 34], counter: [7, 1], mean: 1, std: 2 },
    out: [40_001],
  }),
];

describe('a split kernel computes what the whole kernel computes', () => {
  for (const k of cases) {
    it(`${k.kernel}: ${k.title}`, () => {
      const before = split.stats().splitJobs;
      const got = runKernel(split, k.kernel, k.inputs, k.attrs as never, k.out, k.dtype);
      expect(split.stats().splitJobs).toBeGreaterThan(before);
      const want = runKernel(inline, k.kernel, k.inputs, k.attrs as never, k.out, k.dtype);
      if (k.reordered) expect(worstMismatch(got, want, 1e-4, 1e-5)).toBeLessThanOrEqual(1);
      else expect(Array.from(got)).toEqual(Array.from(want));
    });
  }
});

describe('what splits and what stays inline', () => {
  let be: WorkerBackend;
  beforeAll(async () => {
    be = await createWorkerBackend({ threads: 2 });
  });
  afterAll(async () => {
    await be?.dispose();
  });

  it('a 64×64 add runs inline on the calling thread', () => {
    const before = be.stats();
    const a = f32(floats(r, 4096), [64, 64]);
    runKernel(be, 'binary', [a, a], { op: 'add' }, [64, 64]);
    const after = be.stats();
    expect(after.splitJobs).toBe(before.splitJobs);
    expect(after.inlineJobs).toBe(before.inlineJobs + 1);
  });

  it('a 512×512 matmul is shared by the main thread and the worker', () => {
    const a = f32(floats(r, 512 * 512), [512, 512]);
    const before = be.stats();
    // A worker that is slow to wake may miss one kernel's chunks; over a few kernels it takes its share.
    for (let i = 0; i < 4; i++)
      runKernel(be, 'matmul', [a, a], { transposeA: false, transposeB: false }, [1, 512, 512]);
    const after = be.stats();
    const main = (after.chunksByThread[0] ?? 0) - (before.chunksByThread[0] ?? 0);
    const worker = (after.chunksByThread[1] ?? 0) - (before.chunksByThread[1] ?? 0);
    expect(after.splitJobs - before.splitJobs).toBe(4);
    expect(main).toBeGreaterThan(0);
    expect(worker).toBeGreaterThan(0);
  });

  it('with threads: 1 there are no workers and every kernel runs inline', async () => {
    const one = await createWorkerBackend({ threads: 1 });
    try {
      const a = f32(floats(r, 256 * 256), [256, 256]);
      runKernel(one, 'matmul', [a, a], { transposeA: false, transposeB: false }, [1, 256, 256]);
      expect(one.readyWorkers()).toBe(0);
      expect(one.stats().splitJobs).toBe(0);
      expect(one.describeSelf()).toContain('1 threads');
    } finally {
      await one.dispose();
    }
  });
});
