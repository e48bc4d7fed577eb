/**
 * argmax / argmin along one axis: the index of the first extreme value. NaN counts as the extreme (as
 * in PyTorch), and ties go to the lower index, also across the threads of a workgroup tree.
 */
import type { KernelAttrs, OutSpec, TensorInfo } from '@myelin/core';
import type { GpuContext } from '../context.js';
import { COMMON, declareBindings, linearGrid, main1d, WG, type WgslType, wgslType } from '../wgsl.js';
import { planReduce, REDUCE_OFFSETS, reduceParams } from './reduce.js';

function argSource(op: 'argmax' | 'argmin', t: WgslType, mode: 'thread' | 'wg'): string {
  const isNan = t === 'f32' ? 'is_nan_f32(v)' : 'false';
  const cmp = op === 'argmax' ? '>' : '<';
  const head =
    declareBindings([{ name: 'xs', type: t }], { name: 'ys', type: 'i32' }) +
    COMMON +
    REDUCE_OFFSETS +
    /* wgsl */ `
fn nan_of(v: ${t}) -> bool { return ${isNan}; }
// Whether (v2, i2) should replace the current best (v1, i1).
fn better(v1: ${t}, i1: u32, v2: ${t}, i2: u32) -> bool {
  let n1 = nan_of(v1);
  let n2 = nan_of(v2);
  if (n1 || n2) {
    if (n1 && n2) { return i2 < i1; }
    return n2;
  }
  if (v2 == v1) { return i2 < i1; }
  return v2 ${cmp} v1;
}
`;
  if (mode === 'thread') {
    return (
      head +
      main1d(
        `  let base = kept_offset(i);
  var bv = xs[base];
  var bi = 0u;
  for (var r = 1u; r < pu(1u); r++) {
    let v = xs[base + red_offset(r)];
    if (better(bv, bi, v, r)) { bv = v; bi = r; }
  }
  ys[i] = i32(bi);`,
        'pu(0u)',
      )
    );
  }
  return `${head}
var<workgroup> best_v: array<${t}, ${WG}>;
var<workgroup> best_i: array<u32, ${WG}>;
@compute @workgroup_size(${WG})
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u,
        @builtin(local_invocation_index) lid: u32) {
  let w = wid.y * nwg.x + wid.x;
  if (w >= pu(0u)) { return; }
  let base = kept_offset(w);
  let n = pu(1u);
  // Every thread starts from a real element (n > lid is not guaranteed, so start from element 0).
  var bv = xs[base];
  var bi = 0u;
  for (var r = lid; r < n; r += ${WG}u) {
    let v = xs[base + red_offset(r)];
    if (better(bv, bi, v, r)) { bv = v; bi = r; }
  }
  best_v[lid] = bv;
  best_i[lid] = bi;
  workgroupBarrier();
  for (var s = ${WG / 2}u; s > 0u; s >>= 1u) {
    if (lid < s && better(best_v[lid], best_i[lid], best_v[lid + s], best_i[lid + s])) {
      best_v[lid] = best_v[lid + s];
      best_i[lid] = best_i[lid + s];
    }
    workgroupBarrier();
  }
  if (lid == 0u) { ys[w] = i32(best_i[0]); }
}
`;
}

/** The `argReduce` kernel. */
export function argReduce(
  gpu: GpuContext,
  inputs: readonly TensorInfo[],
  attrs: KernelAttrs['argReduce'],
  out: OutSpec,
) {
  const info = inputs[0] as TensorInfo;
  const x = gpu.input(info);
  const plan = planReduce(info.shape, [attrs.axis]);
  const y = gpu.alloc(out.dtype, plan.outSize);
  const t = wgslType(x.dtype);
  const serial = plan.length <= 64 || plan.outSize >= 8192;
  const mode = serial ? 'thread' : 'wg';
  gpu.dispatch({
    key: `argReduce/${attrs.op}/${t}/${mode}`,
    source: () => argSource(attrs.op, t, mode),
    inputs: [x],
    output: y,
    params: reduceParams(plan, 1, plan.length),
    grid: linearGrid(serial ? Math.ceil(plan.outSize / WG) : plan.outSize, gpu.maxWorkgroupsPerDim),
  });
  return y;
}
