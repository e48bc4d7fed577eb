/**
 * softmax and log-softmax over the last axis, stable (the row maximum is subtracted first). Short rows
 * get a thread each; long rows a workgroup each, with the maximum and the sum reduced in a tree.
 */
import type { OutSpec, TensorInfo } from '@myelin/core';
import type { GpuContext } from '../context.js';
import { FLOAT_MATH } from '../float-math.js';
import { ParamWriter } from '../params.js';
import { COMMON, declareBindings, linearGrid, main1d, WG } from '../wgsl.js';

const HEAD =
  declareBindings([{ name: 'xs', type: 'f32' }], { name: 'ys', type: 'f32' }) + COMMON + FLOAT_MATH;

function finish(log: boolean): string {
  return log
    ? 'ys[base + j] = (xs[base + j] - mx) - log_f32(sum);'
    : 'ys[base + j] = exp_f32(xs[base + j] - mx) / sum;';
}

/** Max that lets NaN through (a row with a NaN gives NaN, as in PyTorch). */
const MAX_NAN = /* wgsl */ `
fn max_nan(a: f32, b: f32) -> f32 { if (is_nan_f32(a)) { return a; } if (is_nan_f32(b)) { return b; } return select(a, b, b > a); }
`;

function threadSource(log: boolean): string {
  return (
    HEAD +
    MAX_NAN +
    main1d(`  let d = pu(1u);
  let base = i * d;
  var m = -inf_f32();
  for (var j = 0u; j < d; j++) { m = max_nan(m, xs[base + j]); }
  let mx = m;
  var sum = 0.0;
  for (var j = 0u; j < d; j++) { sum += exp_f32(xs[base + j] - mx); }
  for (var j = 0u; j < d; j++) { ${finish(log)} }`)
  );
}

function workgroupSource(log: boolean): string {
  return `${HEAD}${MAX_NAN}
var<workgroup> scratch: array<f32, ${WG}>;
@compute @workgroup_size(${WG})
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u,
        @builtin(local_invocation_index) lid: u32) {
  let row = wid.y * nwg.x + wid.x;
  if (row >= pu(0u)) { return; }
  let d = pu(1u);
  let base = row * d;
  var m = -inf_f32();
  for (var j = lid; j < d; j += ${WG}u) { m = max_nan(m, xs[base + j]); }
  scratch[lid] = m;
  workgroupBarrier();
  for (var s = ${WG / 2}u; s > 0u; s >>= 1u) {
    if (lid < s) { scratch[lid] = max_nan(scratch[lid], scratch[lid + s]); }
    workgroupBarrier();
  }
  let mx = scratch[0];
  workgroupBarrier();
  var part = 0.0;
  for (var j = lid; j < d; j += ${WG}u) { part += exp_f32(xs[base + j] - mx); }
  scratch[lid] = part;
  workgroupBarrier();
  for (var s = ${WG / 2}u; s > 0u; s >>= 1u) {
    if (lid < s) { scratch[lid] = scratch[lid] + scratch[lid + s]; }
    workgroupBarrier();
  }
  let sum = scratch[0];
  for (var j = lid; j < d; j += ${WG}u) { ${finish(log)} }
}
`;
}

function run(gpu: GpuContext, log: boolean, inputs: readonly TensorInfo[], out: OutSpec) {
  const info = inputs[0] as TensorInfo;
  const x = gpu.input(info);
  const d = (info.shape[info.shape.length - 1] as number | undefined) ?? 1;
  const rows = info.size / d;
  const y = gpu.alloc(out.dtype, out.size);
  const serial = d <= 64 || rows >= 8192;
  const name = log ? 'logSoftmax' : 'softmax';
  gpu.dispatch({
    key: `${name}/${serial ? 'thread' : 'wg'}`,
    source: () => (serial ? threadSource(log) : workgroupSource(log)),
    inputs: [x],
    output: y,
    params: new ParamWriter().u32(rows).u32(d).finish(),
    grid: linearGrid(serial ? Math.ceil(rows / WG) : rows, gpu.maxWorkgroupsPerDim),
  });
  return y;
}

/** The `softmax` kernel (last axis). */
export function softmax(gpu: GpuContext, inputs: readonly TensorInfo[], _attrs: unknown, out: OutSpec) {
  return run(gpu, false, inputs, out);
}

/** The `logSoftmax` kernel (last axis). */
export function logSoftmax(gpu: GpuContext, inputs: readonly TensorInfo[], _attrs: unknown, out: OutSpec) {
  return run(gpu, true, inputs, out);
}
