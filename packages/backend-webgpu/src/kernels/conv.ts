/**
 * conv2d and its two gradients as implicit GEMMs on the tiled template (NCHW input, OIHW weight):
 * - forward: out[o, (n,oh,ow)] = Σ_(c,kh,kw) w[o, (c,kh,kw)] · x[n, c, oh·s − p + kh·d, ...];
 * - input gradient: dx[c, (n,h,w)] = Σ_(o,kh,kw) w[o, c, kh, kw] · dy[n, o, (h + p − kh·d)/s, ...]
 *   where the division is exact (other taps contribute nothing);
 * - filter gradient: dw[o, (c,kh,kw)] = Σ_(n,oh,ow) dy[n, o, oh, ow] · x[n, c, oh·s − p + kh·d, ...]
 *   (a long K and a small output: the template's split-K spreads it over many workgroups).
 */
import type { Conv2dAttrs, OutSpec, TensorInfo } from '@myelin/core';
import type { GpuContext } from '../context.js';
import { GEMM_EXTRA, runGemm } from './gemm.js';

const E = GEMM_EXTRA;

/** WGSL names for the conv geometry params (after the GEMM's own). */
const GEOMETRY = /* wgsl */ `
fn g_c() -> u32 { return pu(${E}u); }
fn g_h() -> u32 { return pu(${E + 1}u); }
fn g_w() -> u32 { return pu(${E + 2}u); }
fn g_o() -> u32 { return pu(${E + 3}u); }
fn g_oh() -> u32 { return pu(${E + 4}u); }
fn g_ow() -> u32 { return pu(${E + 5}u); }
fn g_kh() -> u32 { return pu(${E + 6}u); }
fn g_kw() -> u32 { return pu(${E + 7}u); }
fn g_sh() -> u32 { return pu(${E + 8}u); }
fn g_sw() -> u32 { return pu(${E + 9}u); }
fn g_ph() -> i32 { return pi(${E + 10}u); }
fn g_pw() -> i32 { return pi(${E + 11}u); }
fn g_dh() -> u32 { return pu(${E + 12}u); }
fn g_dw() -> u32 { return pu(${E + 13}u); }
// x[n, c, oh*sh - ph + kh*dh, ow*sw - pw + kw*dw], or 0 in the padding.
fn x_at(n: u32, c: u32, oh: u32, ow: u32, kh: u32, kw: u32) -> f32 {
  let ih = i32(oh * g_sh() + kh * g_dh()) - g_ph();
  let iw = i32(ow * g_sw() + kw * g_dw()) - g_pw();
  if (ih < 0 || iw < 0 || ih >= i32(g_h()) || iw >= i32(g_w())) { return 0.0; }
  return X_BUFFER[((n * g_c() + c) * g_h() + u32(ih)) * g_w() + u32(iw)];
}
`;

const FORWARD = /* wgsl */ `
fn load_a(z: u32, m: u32, k: u32) -> f32 { return in_a[m * pu(2u) + k]; }
fn load_b(z: u32, k: u32, n: u32) -> f32 {
  let khw = g_kh() * g_kw();
  let c = k / khw;
  let r = k % khw;
  let ohw = g_oh() * g_ow();
  let p = n % ohw;
  return x_at(n / ohw, c, p / g_ow(), p % g_ow(), r / g_kw(), r % g_kw());
}
fn out_index(m: u32, n: u32) -> u32 {
  let ohw = g_oh() * g_ow();
  return ((n / ohw) * g_o() + m) * ohw + n % ohw;
}
`;

const BACKWARD_INPUT = /* wgsl */ `
fn load_a(z: u32, m: u32, k: u32) -> f32 {
  let khw = g_kh() * g_kw();
  return in_a[((k / khw) * g_c() + m) * khw + k % khw];
}
fn load_b(z: u32, k: u32, n: u32) -> f32 {
  let khw = g_kh() * g_kw();
  let o = k / khw;
  let r = k % khw;
  let hw = g_h() * g_w();
  let nn = n / hw;
  let p = n % hw;
  let th = i32(p / g_w()) + g_ph() - i32((r / g_kw()) * g_dh());
  let tw = i32(p % g_w()) + g_pw() - i32((r % g_kw()) * g_dw());
  if (th < 0 || tw < 0) { return 0.0; }
  let uh = u32(th);
  let uw = u32(tw);
  if (uh % g_sh() != 0u || uw % g_sw() != 0u) { return 0.0; }
  let oh = uh / g_sh();
  let ow = uw / g_sw();
  if (oh >= g_oh() || ow >= g_ow()) { return 0.0; }
  return in_b[((nn * g_o() + o) * g_oh() + oh) * g_ow() + ow];
}
fn out_index(m: u32, n: u32) -> u32 {
  let hw = g_h() * g_w();
  return ((n / hw) * g_c() + m) * hw + n % hw;
}
`;

const BACKWARD_FILTER = /* wgsl */ `
fn load_a(z: u32, m: u32, k: u32) -> f32 {
  let ohw = g_oh() * g_ow();
  return in_a[((k / ohw) * g_o() + m) * ohw + k % ohw];
}
fn load_b(z: u32, k: u32, n: u32) -> f32 {
  let ohw = g_oh() * g_ow();
  let p = k % ohw;
  let khw = g_kh() * g_kw();
  let r = n % khw;
  return x_at(k / ohw, n / khw, p / g_ow(), p % g_ow(), r / g_kw(), r % g_kw());
}
fn out_index(m: u32, n: u32) -> u32 { return m * pu(1u) + n; }
`;

/** The geometry params: C, H, W, O, OH, OW, KH, KW, sh, sw, ph, pw, dh, dw. */
function geometry(
  x: readonly number[],
  w: readonly number[],
  y: readonly number[],
  attrs: Conv2dAttrs,
): number[] {
  const [, c, h, wd] = x as [number, number, number, number];
  const [o, , kh, kw] = w as [number, number, number, number];
  const [, , oh, ow] = y as [number, number, number, number];
  return [
    c,
    h,
    wd,
    o,
    oh,
    ow,
    kh,
    kw,
    attrs.stride[0],
    attrs.stride[1],
    attrs.padding[0],
    attrs.padding[1],
    attrs.dilation[0],
    attrs.dilation[1],
  ];
}

/** The `conv2d` kernel: [x [N,C,H,W], w [O,C,KH,KW]] → [N,O,OH,OW]. */
export function conv2d(gpu: GpuContext, inputs: readonly TensorInfo[], attrs: Conv2dAttrs, out: OutSpec) {
  const [ix, iw] = inputs as [TensorInfo, TensorInfo];
  const [n, o, oh, ow] = out.shape as [number, number, number, number];
  const [, c, kh, kw] = iw.shape as [number, number, number, number];
  return runGemm(gpu, {
    key: 'conv2d',
    helpers: GEOMETRY.replace('X_BUFFER', 'in_b') + FORWARD,
    aContiguous: 'k',
    bContiguous: 'n',
    a: gpu.input(iw),
    b: gpu.input(ix),
    m: o,
    n: n * oh * ow,
    k: c * kh * kw,
    batch: 1,
    outSize: out.size,
    extra: geometry(ix.shape, iw.shape, out.shape, attrs),
  });
}

/** The `conv2dBackwardInput` kernel: [dy [N,O,OH,OW], w [O,C,KH,KW]] → dx [N,C,H,W]. */
export function conv2dBackwardInput(
  gpu: GpuContext,
  inputs: readonly TensorInfo[],
  attrs: Conv2dAttrs,
  out: OutSpec,
) {
  const [idy, iw] = inputs as [TensorInfo, TensorInfo];
  const [n, c, h, w] = out.shape as [number, number, number, number];
  const [o, , kh, kw] = iw.shape as [number, number, number, number];
  return runGemm(gpu, {
    key: 'conv2dBackwardInput',
    helpers: GEOMETRY.replace('X_BUFFER', 'in_b') + BACKWARD_INPUT,
    aContiguous: 'k',
    bContiguous: 'n',
    a: gpu.input(iw),
    b: gpu.input(idy),
    m: c,
    n: n * h * w,
    k: o * kh * kw,
    batch: 1,
    outSize: out.size,
    extra: geometry(out.shape, iw.shape, idy.shape, attrs),
  });
}

/** The `conv2dBackwardFilter` kernel: [x [N,C,H,W], dy [N,O,OH,OW]] → dw [O,C,KH,KW]. */
export function conv2dBackwardFilter(
  gpu: GpuContext,
  inputs: readonly TensorInfo[],
  attrs: Conv2dAttrs,
  out: OutSpec,
) {
  const [ix, idy] = inputs as [TensorInfo, TensorInfo];
  const [o, c, kh, kw] = out.shape as [number, number, number, number];
  const [n, , oh, ow] = idy.shape as [number, number, number, number];
  return runGemm(gpu, {
    key: 'conv2dBackwardFilter',
    helpers: GEOMETRY.replace('X_BUFFER', 'in_b') + BACKWARD_FILTER,
    aContiguous: 'k',
    bContiguous: 'k',
    a: gpu.input(idy),
    b: gpu.input(ix),
    m: o,
    n: c * kh * kw,
    k: n * oh * ow,
    batch: 1,
    outSize: out.size,
    extra: geometry(ix.shape, out.shape, idy.shape, attrs),
  });
}
