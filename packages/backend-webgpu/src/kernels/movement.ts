/**
 * Data movement: transpose, slice, concat, pad and fill. These only move 32-bit words, so one pipeline
 * serves every dtype. transpose and slice are one strided gather (`out[i] = x[base + Σ coord·stride]`),
 * concat is one strided scatter per input, and any of them that turns out to be a contiguous block after
 * coalescing becomes a plain buffer copy.
 */
import type { KernelAttrs, OutSpec, TensorInfo } from '@myelin/core';
import type { GpuContext } from '../context.js';
import type { GpuTensor } from '../gpu-tensor.js';
import { ParamWriter, valueBits } from '../params.js';
import { coalesce, MAX_RANK, padRank, stridesOf } from '../shape.js';
import { COMMON, declareBindings, linearGrid, main1d, offsetsLoop, WG } from '../wgsl.js';

const WORDS = { name: 'xs', type: 'u32' } as const;
const OUT_WORDS = { name: 'ys', type: 'u32' } as const;

/**
 * Copies `x` into `y` element by element along an index space of `shape` (row-major), reading
 * `x[srcBase + Σ c·srcStrides]` and writing `y[dstBase + Σ c·dstStrides]`.
 */
function stridedCopy(
  gpu: GpuContext,
  x: GpuTensor,
  y: GpuTensor,
  shape: readonly number[],
  srcBase: number,
  srcStrides: readonly number[],
  dstBase: number,
  dstStrides: readonly number[],
): void {
  const layout = coalesce(shape, [srcStrides, dstStrides]);
  const [src, dst] = layout.strides as [number[], number[]];
  let n = 1;
  for (const d of layout.shape) n *= d;
  const contiguous = layout.shape.length === 0 || (src[src.length - 1] === 1 && dst[dst.length - 1] === 1);
  if (layout.shape.length <= 1 && contiguous) {
    gpu.copy(x, y, n, srcBase, dstBase);
    return;
  }
  if (layout.shape.length > MAX_RANK)
    throw new Error(`copy of rank ${layout.shape.length} exceeds ${MAX_RANK}`);
  gpu.dispatch({
    key: 'stridedCopy',
    source: () =>
      declareBindings([WORDS], OUT_WORDS) +
      COMMON +
      main1d(`${offsetsLoop('pu(1u)', '4u', [`${4 + MAX_RANK}u`, `${4 + 2 * MAX_RANK}u`], 'i')}
  ys[pu(3u) + off1] = xs[pu(2u) + off0];`),
    inputs: [x],
    output: y,
    params: new ParamWriter()
      .u32(n)
      .u32(layout.shape.length)
      .u32(srcBase)
      .u32(dstBase)
      .u32s(padRank(layout.shape, 1))
      .u32s(padRank(src))
      .u32s(padRank(dst))
      .finish(),
    grid: linearGrid(Math.ceil(n / WG), gpu.maxWorkgroupsPerDim),
  });
}

/** The `transpose` kernel: out.shape[i] = x.shape[perm[i]]. */
export function transpose(
  gpu: GpuContext,
  inputs: readonly TensorInfo[],
  attrs: KernelAttrs['transpose'],
  out: OutSpec,
) {
  const info = inputs[0] as TensorInfo;
  const xStrides = stridesOf(info.shape);
  const y = gpu.alloc(out.dtype, out.size);
  stridedCopy(
    gpu,
    gpu.input(info),
    y,
    out.shape,
    0,
    attrs.perm.map((p) => xStrides[p] as number),
    0,
    stridesOf(out.shape),
  );
  return y;
}

/** The `slice` kernel: out[i...] = x[begin + i·step ...] per axis. */
export function slice(
  gpu: GpuContext,
  inputs: readonly TensorInfo[],
  attrs: KernelAttrs['slice'],
  out: OutSpec,
) {
  const info = inputs[0] as TensorInfo;
  const xStrides = stridesOf(info.shape);
  let base = 0;
  const strides = xStrides.map((s, d) => {
    base += (attrs.begin[d] ?? 0) * s;
    return (attrs.step[d] ?? 1) * s;
  });
  const y = gpu.alloc(out.dtype, out.size);
  stridedCopy(gpu, gpu.input(info), y, out.shape, base, strides, 0, stridesOf(out.shape));
  return y;
}

/** The `concat` kernel: inputs joined along `axis`, each copied into its place. */
export function concat(
  gpu: GpuContext,
  inputs: readonly TensorInfo[],
  attrs: KernelAttrs['concat'],
  out: OutSpec,
) {
  const y = gpu.alloc(out.dtype, out.size);
  const outStrides = stridesOf(out.shape);
  let offset = 0;
  for (const info of inputs) {
    if (info.size > 0) {
      stridedCopy(
        gpu,
        gpu.input(info),
        y,
        info.shape,
        0,
        stridesOf(info.shape),
        offset * (outStrides[attrs.axis] as number),
        outStrides,
      );
    }
    offset += info.shape[attrs.axis] as number;
  }
  return y;
}

/** The `pad` kernel: each axis padded by [before, after] elements of `value`. */
export function pad(gpu: GpuContext, inputs: readonly TensorInfo[], attrs: KernelAttrs['pad'], out: OutSpec) {
  const info = inputs[0] as TensorInfo;
  const rank = out.shape.length;
  if (rank > MAX_RANK) throw new Error(`pad of rank ${rank} exceeds ${MAX_RANK}`);
  const y = gpu.alloc(out.dtype, out.size);
  const R = MAX_RANK;
  gpu.dispatch({
    key: 'pad',
    source: () =>
      declareBindings([WORDS], OUT_WORDS) +
      COMMON +
      main1d(`  var rem = i;
  var off = 0u;
  var inside = true;
  for (var dd = pu(1u); dd > 0u; dd--) {
    let d = dd - 1u;
    let s = pu(3u + d);
    let c = i32(rem % s) - pi(${3 + R}u + d);
    rem = rem / s;
    if (c < 0 || c >= i32(pu(${3 + 2 * R}u + d))) { inside = false; break; }
    off += u32(c) * pu(${3 + 3 * R}u + d);
  }
  ys[i] = select(pu(2u), xs[off], inside);`),
    inputs: [gpu.input(info)],
    output: y,
    params: new ParamWriter()
      .u32(out.size)
      .u32(rank)
      .u32(valueBits(attrs.value, out.dtype))
      .u32s(padRank(out.shape, 1))
      .i32s(padRank(attrs.paddings.map((p) => p[0])))
      .u32s(padRank(info.shape, 1))
      .u32s(padRank(stridesOf(info.shape)))
      .finish(),
    grid: linearGrid(Math.ceil(out.size / WG), gpu.maxWorkgroupsPerDim),
  });
  return y;
}

/** Fills `y` with a value of its dtype. */
export function fillWith(gpu: GpuContext, y: GpuTensor, value: number): GpuTensor {
  gpu.dispatch({
    key: 'fill',
    source: () => declareBindings([], OUT_WORDS) + COMMON + main1d('  ys[i] = pu(1u);'),
    inputs: [],
    output: y,
    params: new ParamWriter().u32(y.size).u32(valueBits(value, y.dtype)).finish(),
    grid: linearGrid(Math.ceil(y.size / WG), gpu.maxWorkgroupsPerDim),
  });
  return y;
}

/** The `fill` kernel. */
export function fill(
  gpu: GpuContext,
  _inputs: readonly TensorInfo[],
  attrs: KernelAttrs['fill'],
  out: OutSpec,
) {
  return fillWith(gpu, gpu.alloc(out.dtype, out.size), attrs.value);
}
