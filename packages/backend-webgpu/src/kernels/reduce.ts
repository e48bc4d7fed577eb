/**
 * Reductions over any set of axes. The input's dims are split into kept dims (they index the output)
 * and reduced dims (they are summed over), each coalesced, so that element `r` of the reduction for
 * output `o` sits at `keptOffset(o) + reducedOffset(r)`. Then one of three strategies:
 * - `thread`: one thread per output, a serial loop (short reductions, or many outputs);
 * - `wg`: one workgroup per output, a strided loop per thread and a tree in workgroup memory;
 * - two passes of `wg` when few outputs reduce very many elements (the first pass splits each
 *   reduction into chunks so that enough workgroups run, the second combines the chunks).
 */
import type { DType, KernelAttrs, OutSpec, ReduceOp, TensorInfo } from '@myelin/core';
import type { GpuContext } from '../context.js';
import type { GpuTensor } from '../gpu-tensor.js';
import { ParamWriter } from '../params.js';
import { coalesce, MAX_RANK, padRank, stridesOf } from '../shape.js';
import { COMMON, declareBindings, linearGrid, main1d, WG, type WgslType, wgslType } from '../wgsl.js';

/** Params layout shared by reduce and argReduce. */
const P = {
  outSize: 0,
  length: 1,
  chunks: 2,
  chunk: 3,
  keptRank: 4,
  redRank: 5,
  keptShape: 6,
  keptStrides: 6 + MAX_RANK,
  redShape: 6 + 2 * MAX_RANK,
  redStrides: 6 + 3 * MAX_RANK,
  divisor: 6 + 4 * MAX_RANK,
} as const;

/** The kept/reduced index mapping of a reduction. */
export interface ReducePlan {
  /** Number of outputs (product of kept dims). */
  readonly outSize: number;
  /** Elements per reduction (product of reduced dims). */
  readonly length: number;
  readonly keptShape: number[];
  readonly keptStrides: number[];
  readonly redShape: number[];
  readonly redStrides: number[];
}

/** Splits `shape` into kept and reduced dims (each coalesced) for a reduction over `axes`. */
export function planReduce(shape: readonly number[], axes: readonly number[]): ReducePlan {
  const strides = stridesOf(shape);
  const isReduced = shape.map((_, d) => axes.includes(d));
  const pick = (want: boolean) => shape.map((_, d) => d).filter((d) => isReduced[d] === want);
  const kept = coalesce(
    pick(false).map((d) => shape[d] as number),
    [pick(false).map((d) => strides[d] as number)],
  );
  const red = coalesce(
    pick(true).map((d) => shape[d] as number),
    [pick(true).map((d) => strides[d] as number)],
  );
  if (kept.shape.length > MAX_RANK || red.shape.length > MAX_RANK) {
    throw new Error(`reduction of rank ${shape.length} needs more than ${MAX_RANK} dims after merging`);
  }
  let outSize = 1;
  for (const d of kept.shape) outSize *= d;
  let length = 1;
  for (const d of red.shape) length *= d;
  return {
    outSize,
    length,
    keptShape: kept.shape,
    keptStrides: kept.strides[0] as number[],
    redShape: red.shape,
    redStrides: red.strides[0] as number[],
  };
}

/** The params block of a plan, reducing in `chunks` chunks of `chunk` elements. */
export function reduceParams(plan: ReducePlan, chunks: number, chunk: number, divisor = 1): Uint32Array {
  return new ParamWriter()
    .u32(plan.outSize)
    .u32(plan.length)
    .u32(chunks)
    .u32(chunk)
    .u32(plan.keptShape.length)
    .u32(plan.redShape.length)
    .u32s(padRank(plan.keptShape, 1))
    .u32s(padRank(plan.keptStrides))
    .u32s(padRank(plan.redShape, 1))
    .u32s(padRank(plan.redStrides))
    .f32(divisor)
    .finish();
}

/** WGSL functions `kept_offset(o)` and `red_offset(r)` over the params layout above. */
export const REDUCE_OFFSETS = /* wgsl */ `
fn kept_offset(o: u32) -> u32 {
  var rem = o;
  var off = 0u;
  for (var dd = pu(${P.keptRank}u); dd > 0u; dd--) {
    let d = dd - 1u;
    let s = pu(${P.keptShape}u + d);
    off += (rem % s) * pu(${P.keptStrides}u + d);
    rem = rem / s;
  }
  return off;
}
fn red_offset(r: u32) -> u32 {
  if (pu(${P.redRank}u) == 1u) { return r * pu(${P.redStrides}u); }
  var rem = r;
  var off = 0u;
  for (var dd = pu(${P.redRank}u); dd > 0u; dd--) {
    let d = dd - 1u;
    let s = pu(${P.redShape}u + d);
    off += (rem % s) * pu(${P.redStrides}u + d);
    rem = rem / s;
  }
  return off;
}
`;

/** Identity and combine of each reduction, per accumulator type. */
function reduceMath(op: ReduceOp, t: WgslType): { identity: string; combine: string } {
  switch (op) {
    case 'sum':
    case 'mean':
      return { identity: `${t}(0)`, combine: 'a + b' };
    case 'prod':
      return { identity: `${t}(1)`, combine: 'a * b' };
    case 'max':
      if (t === 'f32') return { identity: '-inf_f32()', combine: 'max_nan(a, b)' };
      return { identity: t === 'i32' ? 'i32(-2147483647) - 1' : '0u', combine: 'max(a, b)' };
    case 'min':
      if (t === 'f32') return { identity: 'inf_f32()', combine: 'min_nan(a, b)' };
      return { identity: t === 'i32' ? 'i32(2147483647)' : '1u', combine: 'min(a, b)' };
    case 'any':
      return { identity: '0u', combine: 'u32(a != 0u || b != 0u)' };
    case 'all':
      return { identity: '1u', combine: 'u32(a != 0u && b != 0u)' };
  }
}

const NAN_MINMAX = /* wgsl */ `
fn max_nan(a: f32, b: f32) -> f32 { if (is_nan_f32(a)) { return a; } if (is_nan_f32(b)) { return b; } return select(a, b, b > a); }
fn min_nan(a: f32, b: f32) -> f32 { if (is_nan_f32(a)) { return a; } if (is_nan_f32(b)) { return b; } return select(a, b, b < a); }
`;

function reduceSource(
  op: ReduceOp,
  inType: WgslType,
  outType: WgslType,
  mode: 'thread' | 'wg',
  scale: boolean,
) {
  const { identity, combine } = reduceMath(op, outType);
  const head =
    declareBindings([{ name: 'xs', type: inType }], { name: 'ys', type: outType }) +
    COMMON +
    REDUCE_OFFSETS +
    NAN_MINMAX +
    `fn combine(a: ${outType}, b: ${outType}) -> ${outType} { return ${combine}; }\n` +
    `fn finish(a: ${outType}) -> ${outType} { return ${scale ? `a / pf(${P.divisor}u)` : 'a'}; }\n`;
  if (mode === 'thread') {
    return (
      head +
      main1d(
        `  let base = kept_offset(i);
  var acc: ${outType} = ${identity};
  for (var r = 0u; r < pu(${P.length}u); r++) {
    acc = combine(acc, ${outType}(xs[base + red_offset(r)]));
  }
  ys[i] = finish(acc);`,
        `pu(${P.outSize}u)`,
      )
    );
  }
  return `${head}
var<workgroup> partial: array<${outType}, ${WG}>;
@compute @workgroup_size(${WG})
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u,
        @builtin(local_invocation_index) lid: u32) {
  let w = wid.y * nwg.x + wid.x;
  if (w >= pu(${P.outSize}u) * pu(${P.chunks}u)) { return; }
  let o = w / pu(${P.chunks}u);
  let r0 = (w % pu(${P.chunks}u)) * pu(${P.chunk}u);
  let r1 = min(r0 + pu(${P.chunk}u), pu(${P.length}u));
  let base = kept_offset(o);
  var acc: ${outType} = ${identity};
  for (var r = r0 + lid; r < r1; r += ${WG}u) {
    acc = combine(acc, ${outType}(xs[base + red_offset(r)]));
  }
  partial[lid] = acc;
  workgroupBarrier();
  for (var s = ${WG / 2}u; s > 0u; s >>= 1u) {
    if (lid < s) { partial[lid] = combine(partial[lid], partial[lid + s]); }
    workgroupBarrier();
  }
  if (lid == 0u) { ys[w] = finish(partial[0]); }
}
`;
}

/** Below this many elements per reduction a thread reduces alone. */
const SERIAL_LENGTH = 64;
/** With this many outputs there is parallelism enough for a thread per output. */
const MANY_OUTPUTS = 8192;

/** Runs one reduction pass from `x` into `y` (y.size = plan.outSize * chunks). */
function reducePass(
  gpu: GpuContext,
  op: ReduceOp,
  x: GpuTensor,
  y: GpuTensor,
  plan: ReducePlan,
  chunks: number,
  scale: boolean,
): void {
  const inType = wgslType(x.dtype);
  const outType = wgslType(y.dtype);
  const serial = chunks === 1 && (plan.length <= SERIAL_LENGTH || plan.outSize >= MANY_OUTPUTS);
  const mode = serial ? 'thread' : 'wg';
  const chunk = Math.ceil(plan.length / chunks);
  gpu.dispatch({
    key: `reduce/${op}/${inType}/${outType}/${mode}/${scale ? 'scaled' : 'plain'}`,
    source: () => reduceSource(op, inType, outType, mode, scale),
    inputs: [x],
    output: y,
    params: reduceParams(plan, chunks, chunk, plan.length),
    grid: linearGrid(serial ? Math.ceil(plan.outSize / WG) : plan.outSize * chunks, gpu.maxWorkgroupsPerDim),
  });
}

/** Reduces `x` (of `shape`) over `axes` into a new tensor of `outDtype`. Exported for other kernels. */
export function reduceInto(
  gpu: GpuContext,
  op: ReduceOp,
  x: GpuTensor,
  shape: readonly number[],
  axes: readonly number[],
  outDtype: DType,
): GpuTensor {
  const plan = planReduce(shape, axes);
  const y = gpu.alloc(outDtype, plan.outSize);
  const chunks = plan.outSize < 64 && plan.length >= 16384 ? Math.min(Math.ceil(plan.length / 4096), 256) : 1;
  if (chunks === 1) {
    reducePass(gpu, op, x, y, plan, 1, op === 'mean');
    return y;
  }
  // Two passes: chunk partials (mean sums them), then combine each output's chunks.
  const firstOp: ReduceOp = op === 'mean' ? 'sum' : op;
  const partials = gpu.alloc(outDtype, plan.outSize * chunks);
  reducePass(gpu, firstOp, x, partials, plan, chunks, false);
  const second: ReducePlan = {
    outSize: plan.outSize,
    length: chunks,
    keptShape: [plan.outSize],
    keptStrides: [chunks],
    redShape: [chunks],
    redStrides: [1],
  };
  const secondOp: ReduceOp = op === 'mean' ? 'sum' : op;
  const scaled = op === 'mean';
  // The second pass divides by the whole reduction's length, not by the number of chunks.
  const inType = wgslType(outDtype);
  const outType = inType;
  gpu.dispatch({
    key: `reduce/${secondOp}/${inType}/${outType}/thread/${scaled ? 'scaled' : 'plain'}`,
    source: () => reduceSource(secondOp, inType, outType, 'thread', scaled),
    inputs: [partials],
    output: y,
    params: reduceParams(second, 1, chunks, plan.length),
    grid: linearGrid(Math.ceil(plan.outSize / WG), gpu.maxWorkgroupsPerDim),
  });
  gpu.release(partials);
  return y;
}

/** The `reduce` kernel. */
export function reduce(
  gpu: GpuContext,
  inputs: readonly TensorInfo[],
  attrs: KernelAttrs['reduce'],
  out: OutSpec,
) {
  const info = inputs[0] as TensorInfo;
  return reduceInto(gpu, attrs.op, gpu.input(info), info.shape, attrs.axes, out.dtype);
}
