/**
 * Max and average pooling (NCHW) and their gradients. The gradients are gathers, not scatters: each
 * input element visits the few windows that contain it, so no atomics are needed and overlapping
 * windows accumulate in a fixed order.
 */
import type { OutSpec, Pool2dAttrs, TensorInfo } from '@myelin/core';
import type { GpuContext } from '../context.js';
import { ParamWriter } from '../params.js';
import { COMMON, declareBindings, linearGrid, main1d, WG } from '../wgsl.js';

/** Params: n, H, W, OH, OW, KH, KW, sh, sw, ph, pw (pads as i32). */
function poolParams(n: number, xShape: readonly number[], yShape: readonly number[], attrs: Pool2dAttrs) {
  return new ParamWriter()
    .u32(n)
    .u32s([xShape[2] as number, xShape[3] as number, yShape[2] as number, yShape[3] as number])
    .u32s([attrs.kernel[0], attrs.kernel[1], attrs.stride[0], attrs.stride[1]])
    .i32s([attrs.padding[0], attrs.padding[1]])
    .finish();
}

const GEOMETRY = /* wgsl */ `
fn g_h() -> u32 { return pu(1u); }
fn g_w() -> u32 { return pu(2u); }
fn g_oh() -> u32 { return pu(3u); }
fn g_ow() -> u32 { return pu(4u); }
fn g_kh() -> u32 { return pu(5u); }
fn g_kw() -> u32 { return pu(6u); }
fn g_sh() -> u32 { return pu(7u); }
fn g_sw() -> u32 { return pu(8u); }
fn g_ph() -> i32 { return pi(9u); }
fn g_pw() -> i32 { return pi(10u); }
// The first maximum of window (oh, ow) of plane 'plane' (row-major window order; NaN wins), as the
// flat index within the plane, or 0xffffffff when the window lies wholly in the padding.
fn window_argmax(plane: u32, oh: u32, ow: u32) -> u32 {
  var best = -inf_f32();
  var at = 0xffffffffu;
  let h0 = i32(oh * g_sh()) - g_ph();
  let w0 = i32(ow * g_sw()) - g_pw();
  for (var kh = 0u; kh < g_kh(); kh++) {
    let ih = h0 + i32(kh);
    if (ih < 0 || ih >= i32(g_h())) { continue; }
    for (var kw = 0u; kw < g_kw(); kw++) {
      let iw = w0 + i32(kw);
      if (iw < 0 || iw >= i32(g_w())) { continue; }
      let idx = u32(ih) * g_w() + u32(iw);
      let v = xs[plane * g_h() * g_w() + idx];
      if (at == 0xffffffffu || (!is_nan_f32(best) && (v > best || is_nan_f32(v)))) {
        best = v;
        at = idx;
      }
    }
  }
  return at;
}
// The range of output rows (or columns) whose windows contain input row i: [lo, hi).
fn covering(i: u32, pad: i32, k: u32, s: u32, count: u32) -> vec2u {
  let t = i32(i) + pad;
  let lo = select(0, (t - i32(k) + i32(s)) / i32(s), t - i32(k) + 1 > 0);
  let hi = min(t / i32(s) + 1, i32(count));
  return vec2u(u32(max(lo, 0)), u32(max(hi, 0)));
}
`;

function run(
  gpu: GpuContext,
  key: string,
  body: string,
  inputs: readonly TensorInfo[],
  names: readonly string[],
  xShape: readonly number[],
  yShape: readonly number[],
  attrs: Pool2dAttrs,
  out: OutSpec,
) {
  const tensors = inputs.map((t) => gpu.input(t));
  const y = gpu.alloc(out.dtype, out.size);
  gpu.dispatch({
    key: `pool/${key}`,
    source: () =>
      declareBindings(
        names.map((name) => ({ name, type: 'f32' as const })),
        { name: 'ys', type: 'f32' },
      ) +
      COMMON +
      (names.includes('xs') ? GEOMETRY : GEOMETRY.replace(/fn window_argmax[\s\S]*?\n}\n/, '')) +
      main1d(body),
    inputs: tensors,
    output: y,
    params: poolParams(out.size, xShape, yShape, attrs),
    grid: linearGrid(Math.ceil(out.size / WG), gpu.maxWorkgroupsPerDim),
  });
  return y;
}

/** The `maxPool2d` kernel: x [N,C,H,W] → [N,C,OH,OW]. */
export function maxPool2d(gpu: GpuContext, inputs: readonly TensorInfo[], attrs: Pool2dAttrs, out: OutSpec) {
  const x = inputs[0] as TensorInfo;
  const body = `  let ohw = g_oh() * g_ow();
  let plane = i / ohw;
  let p = i % ohw;
  let at = window_argmax(plane, p / g_ow(), p % g_ow());
  if (at == 0xffffffffu) { ys[i] = -inf_f32(); } else { ys[i] = xs[plane * g_h() * g_w() + at]; }`;
  return run(gpu, 'max', body, [x], ['xs'], x.shape, out.shape, attrs, out);
}

/** The `maxPool2dBackward` kernel: [dy [N,C,OH,OW], x [N,C,H,W]] → dx [N,C,H,W]. */
export function maxPool2dBackward(
  gpu: GpuContext,
  inputs: readonly TensorInfo[],
  attrs: Pool2dAttrs,
  out: OutSpec,
) {
  const [dy, x] = inputs as [TensorInfo, TensorInfo];
  const body = `  let hw = g_h() * g_w();
  let plane = i / hw;
  let p = i % hw;
  let rows = covering(p / g_w(), g_ph(), g_kh(), g_sh(), g_oh());
  let cols = covering(p % g_w(), g_pw(), g_kw(), g_sw(), g_ow());
  var acc = 0.0;
  for (var oh = rows.x; oh < rows.y; oh++) {
    for (var ow = cols.x; ow < cols.y; ow++) {
      if (window_argmax(plane, oh, ow) == p) { acc += dys[(plane * g_oh() + oh) * g_ow() + ow]; }
    }
  }
  ys[i] = acc;`;
  return run(gpu, 'maxBackward', body, [dy, x], ['dys', 'xs'], x.shape, dy.shape, attrs, out);
}

/** The `avgPool2d` kernel (padded zeros count in the divisor, as PyTorch's default). */
export function avgPool2d(gpu: GpuContext, inputs: readonly TensorInfo[], attrs: Pool2dAttrs, out: OutSpec) {
  const x = inputs[0] as TensorInfo;
  const body = `  let ohw = g_oh() * g_ow();
  let plane = i / ohw;
  let p = i % ohw;
  let h0 = i32((p / g_ow()) * g_sh()) - g_ph();
  let w0 = i32((p % g_ow()) * g_sw()) - g_pw();
  var acc = 0.0;
  for (var kh = 0u; kh < g_kh(); kh++) {
    let ih = h0 + i32(kh);
    if (ih < 0 || ih >= i32(g_h())) { continue; }
    for (var kw = 0u; kw < g_kw(); kw++) {
      let iw = w0 + i32(kw);
      if (iw < 0 || iw >= i32(g_w())) { continue; }
      acc += xs[(plane * g_h() + u32(ih)) * g_w() + u32(iw)];
    }
  }
  ys[i] = acc / f32(g_kh() * g_kw());`;
  return run(gpu, 'avg', body, [x], ['xs'], x.shape, out.shape, attrs, out);
}

/** The `avgPool2dBackward` kernel: dy [N,C,OH,OW] → dx [N,C,H,W] (shape from out). */
export function avgPool2dBackward(
  gpu: GpuContext,
  inputs: readonly TensorInfo[],
  attrs: Pool2dAttrs,
  out: OutSpec,
) {
  const dy = inputs[0] as TensorInfo;
  const body = `  let hw = g_h() * g_w();
  let plane = i / hw;
  let p = i % hw;
  let rows = covering(p / g_w(), g_ph(), g_kh(), g_sh(), g_oh());
  let cols = covering(p % g_w(), g_pw(), g_kw(), g_sw(), g_ow());
  var acc = 0.0;
  for (var oh = rows.x; oh < rows.y; oh++) {
    for (var ow = cols.x; ow < cols.y; ow++) {
      acc += dys[(plane * g_oh() + oh) * g_ow() + ow];
    }
  }
  ys[i] = acc / f32(g_kh() * g_kw());`;
  return run(gpu, 'avgBackward', body, [dy], ['dys'], out.shape, dy.shape, attrs, out);
}
