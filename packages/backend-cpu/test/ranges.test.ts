/**
 * The contract of `@myelin/core/jsmath` that the worker backend relies on: any split of a kernel's range
 * into disjoint chunks, run in any order, writes each output element exactly once and gives the same
 * result as one call over the whole range.
 */
import {
  argReduceDims,
  argReduceRange,
  avgPool2dBackwardRange,
  avgPool2dRange,
  binaryRange,
  broadcastPlan,
  castRange,
  concatDims,
  concatRange,
  conv2dBackwardFilterRange,
  conv2dBackwardInputRange,
  conv2dDims,
  conv2dRange,
  gatherDims,
  gatherRange,
  im2rowRange,
  matmulDims,
  matmulRange,
  maxPool2dBackwardRange,
  maxPool2dRange,
  oneHotRange,
  padPlan,
  padRange,
  pool2dDims,
  randomNormalRange,
  reducePlan,
  reduceRange,
  scatterAddRange,
  slicePlan,
  softmaxRange,
  stridedCopyRange,
  transposePlan,
  unaryRange,
  whereRange,
} from '@myelin/core/jsmath';
import { describe, expect, it } from 'vitest';
import { randFloats, randInt, randInts, rng, sizeOf } from './helpers.js';

type Run = (out: Float32Array, start: number, end: number) => void;

/** Random cut points splitting [0, total) into 1..6 chunks. */
function chunks(r: () => number, total: number): [number, number][] {
  const cuts = new Set<number>([0, total]);
  const n = randInt(r, 0, Math.min(5, total - 1));
  for (let i = 0; i < n; i++) cuts.add(randInt(r, 1, total - 1));
  const sorted = [...cuts].sort((a, b) => a - b);
  const out: [number, number][] = [];
  for (let i = 0; i + 1 < sorted.length; i++) out.push([sorted[i] as number, sorted[i + 1] as number]);
  return out;
}

/**
 * Runs `run` over the whole range, then over random chunks in random order, each chunk on its own
 * NaN-filled buffer: every element must be written by exactly one chunk, with the whole-range value.
 */
function checkSplits(label: string, total: number, outLength: number, run: Run, seed = 1): void {
  const whole = new Float32Array(outLength).fill(NaN);
  run(whole, 0, total);
  for (let i = 0; i < outLength; i++)
    if (Number.isNaN(whole[i] as number)) expect.fail(`${label}: element ${i} unwritten`);
  const r = rng(seed);
  for (let trial = 0; trial < 4; trial++) {
    const parts = chunks(r, total);
    parts.sort(() => r() - 0.5);
    const writes = new Uint8Array(outLength);
    const merged = new Float32Array(outLength);
    for (const [s, e] of parts) {
      const buf = new Float32Array(outLength).fill(NaN);
      run(buf, s, e);
      for (let i = 0; i < outLength; i++) {
        if (!Number.isNaN(buf[i] as number)) {
          writes[i] = (writes[i] as number) + 1;
          merged[i] = buf[i] as number;
        }
      }
    }
    for (let i = 0; i < outLength; i++) {
      if (writes[i] !== 1)
        expect.fail(`${label}: element ${i} written ${writes[i]} times by chunks ${JSON.stringify(parts)}`);
    }
    expect(Array.from(merged), label).toEqual(Array.from(whole));
  }
}

describe('jsmath ranges split safely', () => {
  const r = rng(90);

  it('elementwise, broadcast, where, cast', () => {
    const a = randFloats(r, 24);
    const b = randFloats(r, 4);
    checkSplits('unary', 24, 24, (o, s, e) => unaryRange('exp', a, o, s, e));
    const plan = broadcastPlan([3, 2, 4], [[3, 2, 4], [4]]);
    checkSplits('binary', 24, 24, (o, s, e) => binaryRange('mul', a, b, o, plan, s, e));
    const plan2 = broadcastPlan([6, 4], [[6, 1], [4]]);
    checkSplits('binary outer', 24, 24, (o, s, e) => binaryRange('add', a, b, o, plan2, s, e));
    const cond = Uint8Array.from(randInts(r, 24, 0, 2));
    const wplan = broadcastPlan([6, 4], [[6, 4], [6, 4], [4]]);
    checkSplits('where', 24, 24, (o, s, e) => whereRange(cond, a, b, o, wplan, s, e));
    checkSplits('cast', 24, 24, (o, s, e) => castRange(randInts(rng(5), 24, -9, 9), o, s, e));
  });

  it('reduce and argReduce', () => {
    const x = randFloats(r, 2 * 3 * 5 * 4);
    for (const axes of [[0], [1], [3], [0, 2], [1, 3], [0, 1, 2, 3]]) {
      const plan = reducePlan([2, 3, 5, 4], axes);
      const size = [2, 3, 5, 4].reduce((p, n, d) => (axes.includes(d) ? p : p * n), 1);
      checkSplits(`reduce ${axes}`, size, size, (o, s, e) => reduceRange('sum', x, o, plan, s, e));
    }
    const d = argReduceDims([2, 3, 5, 4], 2);
    checkSplits('argReduce', 24, 24, (o, s, e) => {
      const idx = new Int32Array(24).fill(-1);
      argReduceRange('argmax', x, idx, d, s, e);
      idx.forEach((v, i) => {
        if (v >= 0) o[i] = v;
      });
    });
  });

  it('matmul rows (batched, broadcast, transposed)', () => {
    for (const [aShape, bShape, ta, tb] of [
      [[3, 7, 5], [3, 5, 6], false, false],
      [[1, 5, 7], [3, 6, 5], true, true],
      [[3, 7, 5], [1, 5, 6], false, false],
      [[2, 70, 30], [1, 30, 40], false, false],
    ] as const) {
      const dims = matmulDims(aShape, bShape, { transposeA: ta, transposeB: tb });
      const a = randFloats(r, sizeOf(aShape));
      const b = randFloats(r, sizeOf(bShape));
      checkSplits(`matmul ${aShape} ${bShape}`, dims.B * dims.M, dims.B * dims.M * dims.N, (o, s, e) =>
        matmulRange(a, b, o, dims, s, e),
      );
    }
  });

  it('conv2d and both gradients; im2row', () => {
    const attrs = { stride: [2, 1], padding: [1, 2], dilation: [1, 2] } as const;
    const d = conv2dDims([3, 2, 7, 6], [4, 2, 3, 2], attrs);
    const x = randFloats(r, 3 * 2 * 7 * 6);
    const w = randFloats(r, 4 * 2 * 3 * 2);
    const dy = randFloats(r, d.N * d.O * d.OH * d.OW);
    checkSplits('conv2d', d.N * d.O, dy.length, (o, s, e) => conv2dRange(x, w, o, d, s, e));
    checkSplits('conv2dBackwardInput', d.N * d.C, x.length, (o, s, e) =>
      conv2dBackwardInputRange(dy, w, o, d, s, e),
    );
    checkSplits('conv2dBackwardFilter', d.O, w.length, (o, s, e) =>
      conv2dBackwardFilterRange(x, dy, o, d, s, e),
    );
    const rowsLength = d.N * d.OH * d.OW * d.C * d.KH * d.KW;
    checkSplits('im2row', d.N * d.OH, rowsLength, (o, s, e) => im2rowRange(x, o, d, s, e));
    // Precomputed patch rows give the same filter gradient.
    const rows = new Float32Array(rowsLength);
    im2rowRange(x, rows, d, 0, d.N * d.OH);
    const a = new Float32Array(w.length);
    const b = new Float32Array(w.length);
    conv2dBackwardFilterRange(x, dy, a, d, 0, d.O);
    conv2dBackwardFilterRange(x, dy, b, d, 0, d.O, rows);
    expect(Array.from(b)).toEqual(Array.from(a));
  });

  it('pooling forward and backward (overlapping windows)', () => {
    const attrs = { kernel: [3, 3], stride: [2, 1], padding: [1, 1] } as const;
    const d = pool2dDims([2, 3, 6, 5], attrs);
    const x = randFloats(r, 2 * 3 * 6 * 5);
    const dy = randFloats(r, d.planes * d.OH * d.OW);
    checkSplits('maxPool2d', d.planes, dy.length, (o, s, e) => maxPool2dRange(x, o, d, s, e));
    checkSplits('maxPool2dBackward', d.planes, x.length, (o, s, e) =>
      maxPool2dBackwardRange(dy, x, o, d, s, e),
    );
    checkSplits('avgPool2d', d.planes, dy.length, (o, s, e) => avgPool2dRange(x, o, d, s, e));
    checkSplits('avgPool2dBackward', d.planes, x.length, (o, s, e) => avgPool2dBackwardRange(dy, o, d, s, e));
  });

  it('softmax, gather, scatterAdd, oneHot', () => {
    const x = randFloats(r, 6 * 7);
    checkSplits('softmax', 6, 42, (o, s, e) => softmaxRange(x, o, 7, s, e, false));
    checkSplits('logSoftmax', 6, 42, (o, s, e) => softmaxRange(x, o, 7, s, e, true));
    const idx = randInts(r, 5, 0, 3); // repeats likely
    const g = gatherDims([2, 3, 7], 1, 5);
    checkSplits('gather', 2 * 5, 2 * 5 * 7, (o, s, e) => gatherRange(x, idx, o, g, s, e));
    const u = randFloats(r, 2 * 5 * 7);
    checkSplits('scatterAdd', 2 * 7, 2 * 3 * 7, (o, s, e) => scatterAddRange(u, idx, o, g, s, e));
    const emb = gatherDims([4, 3], 0, 5);
    checkSplits('scatterAdd embedding', 3, 12, (o, s, e) =>
      scatterAddRange(randFloats(rng(3), 15), idx, o, emb, s, e),
    );
    checkSplits('oneHot', 5, 15, (o, s, e) => oneHotRange(idx, o, 3, 1, 0, s, e));
  });

  it('transpose, slice, concat, pad, random', () => {
    const x = randFloats(r, 2 * 3 * 4 * 5);
    checkSplits('transpose', 120, 120, (o, s, e) =>
      stridedCopyRange(x, o, transposePlan([2, 3, 4, 5], [3, 1, 0, 2]), s, e),
    );
    const big = randFloats(r, 40 * 50);
    checkSplits('transpose 2-D', 2000, 2000, (o, s, e) =>
      stridedCopyRange(big, o, transposePlan([40, 50], [1, 0]), s, e),
    );
    checkSplits('slice', 2 * 2 * 2 * 2, 16, (o, s, e) =>
      stridedCopyRange(x, o, slicePlan([2, 3, 4, 5], [0, 1, 1, 0], [1, 1, 2, 3], [2, 2, 2, 2]), s, e),
    );
    const parts = [randFloats(r, 2 * 40), randFloats(r, 2 * 3)];
    checkSplits('concat', 86, 86, (o, s, e) =>
      concatRange(
        parts,
        o,
        concatDims(
          [
            [2, 40],
            [2, 3],
          ],
          1,
        ),
        s,
        e,
      ),
    );
    checkSplits('pad', 5 * 7 * 4, 140, (o, s, e) =>
      padRange(
        x,
        o,
        padPlan(
          [3, 5, 2],
          [
            [1, 1],
            [0, 2],
            [1, 1],
          ],
        ),
        -1,
        s,
        e,
      ),
    );
    checkSplits('randomNormal', 37, 37, (o, s, e) =>
      randomNormalRange(o, { key: [3, 4], counter: [5, 6], mean: 0, std: 1 }, s, e),
    );
  });
});
