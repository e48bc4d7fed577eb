/**
 * gather (index_select with N-d indices) and its gradient scatterAdd. scatterAdd needs no atomics: one
 * thread owns one column `out[o, :, j]` (fixed outer position o and inner position j), zeroes it, then
 * walks the indices in order adding each update — so sums come out in the same order as a serial loop.
 */
import type { KernelAttrs, OutSpec, TensorInfo } from '@myelin/core';
import type { GpuContext } from '../context.js';
import { ParamWriter } from '../params.js';
import { COMMON, declareBindings, linearGrid, main1d, WG, wgslType } from '../wgsl.js';

/** Splits a shape at `axis` into outer size, axis length and inner size. */
function split(shape: readonly number[], axis: number): [number, number, number] {
  let outer = 1;
  for (let d = 0; d < axis; d++) outer *= shape[d] as number;
  let inner = 1;
  for (let d = axis + 1; d < shape.length; d++) inner *= shape[d] as number;
  return [outer, shape[axis] as number, inner];
}

/** The `gather` kernel: out = x.shape[:axis] ++ indices.shape ++ x.shape[axis+1:]. */
export function gather(
  gpu: GpuContext,
  inputs: readonly TensorInfo[],
  attrs: KernelAttrs['gather'],
  out: OutSpec,
) {
  const [ix, iidx] = inputs as [TensorInfo, TensorInfo];
  const [, len, inner] = split(ix.shape, attrs.axis);
  const count = iidx.size;
  const y = gpu.alloc(out.dtype, out.size);
  gpu.dispatch({
    key: 'gather',
    source: () =>
      declareBindings(
        [
          { name: 'xs', type: 'u32' },
          { name: 'idx', type: 'i32' },
        ],
        { name: 'ys', type: 'u32' },
      ) +
      COMMON +
      main1d(`  let len = pu(1u);
  let count = pu(2u);
  let inner = pu(3u);
  let j = i % inner;
  let t = i / inner;
  let k = t % count;
  let o = t / count;
  var at = idx[k];
  if (at < 0) { at += i32(len); }
  ys[i] = xs[(o * len + u32(at)) * inner + j];`),
    inputs: [gpu.input(ix), gpu.input(iidx)],
    output: y,
    params: new ParamWriter().u32(out.size).u32(len).u32(count).u32(inner).finish(),
    grid: linearGrid(Math.ceil(out.size / WG), gpu.maxWorkgroupsPerDim),
  });
  return y;
}

/** The `scatterAdd` kernel: zeros of out's shape, then out[..., idx[k], ...] += updates[..., k, ...]. */
export function scatterAdd(
  gpu: GpuContext,
  inputs: readonly TensorInfo[],
  attrs: KernelAttrs['scatterAdd'],
  out: OutSpec,
) {
  const [iupd, iidx] = inputs as [TensorInfo, TensorInfo];
  const [outer, len, inner] = split(out.shape, attrs.axis);
  const count = iidx.size;
  const t = wgslType(out.dtype);
  const y = gpu.alloc(out.dtype, out.size);
  const columns = outer * inner;
  gpu.dispatch({
    key: `scatterAdd/${t}`,
    source: () =>
      declareBindings(
        [
          { name: 'upd', type: t },
          { name: 'idx', type: 'i32' },
        ],
        { name: 'ys', type: t },
      ) +
      COMMON +
      main1d(`  let len = pu(1u);
  let count = pu(2u);
  let inner = pu(3u);
  let j = i % inner;
  let o = i / inner;
  for (var a = 0u; a < len; a++) { ys[(o * len + a) * inner + j] = ${t}(0); }
  for (var k = 0u; k < count; k++) {
    var at = idx[k];
    if (at < 0) { at += i32(len); }
    if (at < 0 || at >= i32(len)) { continue; }
    let dst = (o * len + u32(at)) * inner + j;
    ys[dst] = ys[dst] + upd[(o * count + k) * inner + j];
  }`),
    inputs: [gpu.input(iupd), gpu.input(iidx)],
    output: y,
    params: new ParamWriter().u32(columns).u32(len).u32(count).u32(inner).finish(),
    grid: linearGrid(Math.ceil(columns / WG), gpu.maxWorkgroupsPerDim),
  });
  return y;
}
