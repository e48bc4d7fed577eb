/**
 * The range tasks: every piece of work a thread can be given, by name. Each is a thin call of one
 * `@myelin/core/jsmath` range function, so the math exists once; the main thread and the workers import
 * this same table, and a job names its task so that a worker finds the same function.
 *
 * A task's arguments are plain data (numbers, plans, typed arrays over SharedArrayBuffers), because they
 * are posted to the workers; its range counts whatever the jsmath function's range counts.
 */

import type { BinaryOp, RandomAttrs, ReduceOp, TypedArray, UnaryOp } from '@myelin/core';
import {
  type ArgReduceDims,
  argReduceRange,
  avgPool2dBackwardRange,
  avgPool2dRange,
  binaryRange,
  type ConcatDims,
  type Conv2dDims,
  type CopyPlan,
  castRange,
  concatRange,
  conv2dBackwardFilterRange,
  conv2dBackwardInputRange,
  conv2dRange,
  fillRange,
  type GatherDims,
  gatherRange,
  type MatmulDims,
  matmulRange,
  maxPool2dBackwardRange,
  maxPool2dRange,
  oneHotRange,
  type PadPlan,
  type Pool2dDims,
  padRange,
  type ReducePlan,
  randomNormalRange,
  randomUniformRange,
  reduceRange,
  type StridedPlan,
  scatterAddRange,
  softmaxRange,
  stridedCopyRange,
  unaryRange,
  whereRange,
} from '@myelin/core/jsmath';
import type { RangeTask } from '../pool/board.js';

/** Arguments of each task, by task name. */
export interface TaskArgs {
  unary: { op: UnaryOp; x: TypedArray; out: TypedArray };
  binary: { op: BinaryOp; a: TypedArray; b: TypedArray; out: TypedArray; plan: StridedPlan };
  where: { cond: Uint8Array; a: TypedArray; b: TypedArray; out: TypedArray; plan: StridedPlan };
  cast: { x: TypedArray; out: TypedArray };
  reduce: { op: ReduceOp; x: TypedArray; out: TypedArray; plan: ReducePlan };
  argReduce: { op: 'argmax' | 'argmin'; x: TypedArray; out: Int32Array; dims: ArgReduceDims };
  /** Range: rows of the flattened [B·M, N] output. */
  matmul: { a: Float32Array; b: Float32Array; out: Float32Array; dims: MatmulDims };
  /** Range: whole samples (`per` = O planes each) or planes (`per` = 1). */
  conv2d: { x: Float32Array; w: Float32Array; out: Float32Array; d: Conv2dDims; per: number };
  /** Range: whole samples (`per` = C planes each) or planes (`per` = 1). */
  conv2dBackwardInput: { dy: Float32Array; w: Float32Array; out: Float32Array; d: Conv2dDims; per: number };
  /** Range: output channels (each sums over the whole batch). */
  conv2dBackwardFilter: { x: Float32Array; dy: Float32Array; out: Float32Array; d: Conv2dDims };
  /**
   * Range: groups of `per` samples; group g writes its own partial filter gradient at `partials[g·O·CKK]`
   * (summed by a `reduce` afterwards). Used when there are too few output channels to share out.
   */
  conv2dBackwardFilterBatch: {
    x: Float32Array;
    dy: Float32Array;
    partials: Float32Array;
    d: Conv2dDims;
    per: number;
  };
  maxPool2d: { x: Float32Array; out: Float32Array; d: Pool2dDims };
  maxPool2dBackward: { dy: Float32Array; x: Float32Array; out: Float32Array; d: Pool2dDims };
  avgPool2d: { x: Float32Array; out: Float32Array; d: Pool2dDims };
  avgPool2dBackward: { dy: Float32Array; out: Float32Array; d: Pool2dDims };
  /** Range: rows of `cols` elements. */
  softmax: { x: Float32Array; out: Float32Array; cols: number; log: boolean };
  gather: { x: TypedArray; indices: Int32Array; out: TypedArray; d: GatherDims };
  scatterAdd: { updates: TypedArray; indices: Int32Array; out: TypedArray; d: GatherDims };
  oneHot: { indices: Int32Array; out: Float32Array; depth: number; on: number; off: number };
  stridedCopy: { x: TypedArray; out: TypedArray; plan: CopyPlan };
  concat: { xs: TypedArray[]; out: TypedArray; d: ConcatDims };
  pad: { x: TypedArray; out: TypedArray; plan: PadPlan; value: number };
  fill: { out: TypedArray; value: number };
  randomUniform: { out: Float32Array; attrs: RandomAttrs & { low: number; high: number } };
  randomNormal: { out: Float32Array; attrs: RandomAttrs & { mean: number; std: number } };
}

/** The name of a task. */
export type TaskName = keyof TaskArgs;

type Tasks = { [K in TaskName]: (args: TaskArgs[K], start: number, end: number) => void };

const tasks: Tasks = {
  unary: (t, s, e) => unaryRange(t.op, t.x, t.out, s, e),
  binary: (t, s, e) => binaryRange(t.op, t.a, t.b, t.out, t.plan, s, e),
  where: (t, s, e) => whereRange(t.cond, t.a, t.b, t.out, t.plan, s, e),
  cast: (t, s, e) => castRange(t.x, t.out, s, e),
  reduce: (t, s, e) => reduceRange(t.op, t.x, t.out, t.plan, s, e),
  argReduce: (t, s, e) => argReduceRange(t.op, t.x, t.out, t.dims, s, e),
  matmul: (t, s, e) => matmulRange(t.a, t.b, t.out, t.dims, s, e),
  conv2d: (t, s, e) => conv2dRange(t.x, t.w, t.out, t.d, s * t.per, e * t.per),
  conv2dBackwardInput: (t, s, e) => conv2dBackwardInputRange(t.dy, t.w, t.out, t.d, s * t.per, e * t.per),
  conv2dBackwardFilter: (t, s, e) => conv2dBackwardFilterRange(t.x, t.dy, t.out, t.d, s, e),
  conv2dBackwardFilterBatch: (t, s, e) => {
    const { d, per } = t;
    const filterSize = d.O * d.C * d.KH * d.KW;
    // Group by group: each writes its own partial, so no two groups ever add into the same element.
    for (let g = s; g < e; g++) {
      const n0 = g * per;
      const n1 = Math.min(d.N, n0 + per);
      const x = t.x.subarray(n0 * d.C * d.H * d.W, n1 * d.C * d.H * d.W);
      const dy = t.dy.subarray(n0 * d.O * d.OH * d.OW, n1 * d.O * d.OH * d.OW);
      const out = t.partials.subarray(g * filterSize, (g + 1) * filterSize);
      conv2dBackwardFilterRange(x, dy, out, { ...d, N: n1 - n0 }, 0, d.O);
    }
  },
  maxPool2d: (t, s, e) => maxPool2dRange(t.x, t.out, t.d, s, e),
  maxPool2dBackward: (t, s, e) => maxPool2dBackwardRange(t.dy, t.x, t.out, t.d, s, e),
  avgPool2d: (t, s, e) => avgPool2dRange(t.x, t.out, t.d, s, e),
  avgPool2dBackward: (t, s, e) => avgPool2dBackwardRange(t.dy, t.out, t.d, s, e),
  softmax: (t, s, e) => softmaxRange(t.x, t.out, t.cols, s, e, t.log),
  gather: (t, s, e) => gatherRange(t.x, t.indices, t.out, t.d, s, e),
  scatterAdd: (t, s, e) => scatterAddRange(t.updates, t.indices, t.out, t.d, s, e),
  oneHot: (t, s, e) => oneHotRange(t.indices, t.out, t.depth, t.on, t.off, s, e),
  stridedCopy: (t, s, e) => stridedCopyRange(t.x, t.out, t.plan, s, e),
  concat: (t, s, e) => concatRange(t.xs, t.out, t.d, s, e),
  pad: (t, s, e) => padRange(t.x, t.out, t.plan, t.value, s, e),
  fill: (t, s, e) => fillRange(t.out, t.value, s, e),
  randomUniform: (t, s, e) => randomUniformRange(t.out, t.attrs, s, e),
  randomNormal: (t, s, e) => randomNormalRange(t.out, t.attrs, s, e),
};

/** Every task by name, as the pool and the workers look them up. */
export const TASKS: Readonly<Record<string, RangeTask>> = tasks as unknown as Record<string, RangeTask>;
