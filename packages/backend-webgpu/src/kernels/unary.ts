/**
 * Elementwise unary ops. Each op is one WGSL expression of `x`; the transcendental ones that lose
 * precision or overflow when written naively (expm1, log1p, tanh, sigmoid, softplus) have stable forms.
 */
import type { DType, KernelAttrs, OutSpec, TensorInfo, UnaryOp } from '@myelin/core';
import type { GpuContext } from '../context.js';
import type { GpuTensor } from '../gpu-tensor.js';
import { ParamWriter } from '../params.js';
import { COMMON, declareBindings, linearGrid, main1d, WG, wgslType } from '../wgsl.js';

/** Float helpers with a stable or exact-at-the-edges form. */
export const FLOAT_MATH = /* wgsl */ `
// exp(x) - 1 without cancellation: a Taylor series near 0 (error < 1e-9 relative for |x| < 0.5).
fn expm1_f32(x: f32) -> f32 {
  if (abs(x) < 0.5) {
    return x * (1.0 + x * (1.0 / 2.0 + x * (1.0 / 6.0 + x * (1.0 / 24.0 + x * (1.0 / 120.0
      + x * (1.0 / 720.0 + x * (1.0 / 5040.0 + x * (1.0 / 40320.0 + x * (1.0 / 362880.0)))))))));
  }
  return exp_f32(x) - 1.0;
}
// log(1 + x) without cancellation: 2 atanh(s) with s = x / (2 + x), a series for |x| < 0.5.
fn log1p_f32(x: f32) -> f32 {
  if (abs(x) < 0.5) {
    let s = x / (2.0 + x);
    let s2 = s * s;
    return 2.0 * s * (1.0 + s2 * (1.0 / 3.0 + s2 * (1.0 / 5.0 + s2 * (1.0 / 7.0 + s2 * (1.0 / 9.0
      + s2 * (1.0 / 11.0 + s2 * (1.0 / 13.0 + s2 * (1.0 / 15.0))))))));
  }
  return log_f32(1.0 + x);
}
// exp to about 1 ulp on every GPU (WGSL only promises 3 + 2|x| ulp, which is 60 ulp at x = 30):
// x = n ln2 + r with ln2 split in two (Cody–Waite, so n · C1 is exact), exp(r) by its Taylor series to
// degree 7 (|r| <= ln2/2: truncation < 1e-8 relative), then the exponent added in two halves (ldexp
// accepts at most 2^128 in one step).
fn exp_f32(x: f32) -> f32 {
  if (is_nan_f32(x)) { return x; }
  if (x > 88.72284) { return inf_f32(); }
  if (x < -103.97208) { return 0.0; }
  let n = round(x * 1.4426950408889634);
  let r = (x - n * 0.693359375) + n * 2.12194440e-4;
  let p = 1.0 + r * (1.0 + r * (1.0 / 2.0 + r * (1.0 / 6.0 + r * (1.0 / 24.0 + r * (1.0 / 120.0
    + r * (1.0 / 720.0 + r * (1.0 / 5040.0)))))));
  let k = i32(n);
  let half = k / 2;
  return ldexp(ldexp(p, half), k - half);
}
// atan on [0, 1] (Cephes atanf: about 2e-7 relative), for atan2.
fn atan01_f32(t: f32) -> f32 {
  var x = t;
  var base = 0.0;
  if (x > 0.41421356) {
    base = 0.78539816;
    x = (x - 1.0) / (x + 1.0);
  }
  let z = x * x;
  return base + (((8.05374449538e-2 * z - 1.38776856032e-1) * z + 1.99777106478e-1) * z - 3.33329491539e-1) * z * x + x;
}
fn sign_bit_f32(x: f32) -> bool { return (bitcast<u32>(x) & 0x80000000u) != 0u; }
fn copysign_f32(m: f32, s: f32) -> f32 { return select(abs(m), -abs(m), sign_bit_f32(s)); }
// atan2(y, x) with C's special cases (signed zeros, infinities); WGSL's builtin may be off by 4096 ulp.
fn atan2_f32(y: f32, x: f32) -> f32 {
  let pi = 3.14159265358979;
  if (is_nan_f32(x) || is_nan_f32(y)) { return nan_f32(); }
  if (y == 0.0) {
    if (x > 0.0 || (x == 0.0 && !sign_bit_f32(x))) { return y; }
    return copysign_f32(pi, y);
  }
  if (x == 0.0) { return copysign_f32(pi / 2.0, y); }
  if (is_inf_f32(x)) {
    if (x > 0.0) { return select(copysign_f32(0.0, y), copysign_f32(pi / 4.0, y), is_inf_f32(y)); }
    return select(copysign_f32(pi, y), copysign_f32(3.0 * pi / 4.0, y), is_inf_f32(y));
  }
  if (is_inf_f32(y)) { return copysign_f32(pi / 2.0, y); }
  let ax = abs(x);
  let ay = abs(y);
  var a: f32;
  if (ay <= ax) { a = atan01_f32(ay / ax); } else { a = pi / 2.0 - atan01_f32(ax / ay); }
  if (x < 0.0) { a = pi - a; }
  return copysign_f32(a, y);
}
// log with IEEE edges: log(0) = -inf, log(x < 0) = NaN, log(inf) = inf.
fn log_f32(x: f32) -> f32 {
  if (is_nan_f32(x) || x < 0.0) { return nan_f32(); }
  if (x == 0.0) { return -inf_f32(); }
  if (is_inf_f32(x)) { return x; }
  return log(x);
}
fn tanh_f32(x: f32) -> f32 {
  if (is_nan_f32(x)) { return x; }
  let e = expm1_f32(-2.0 * abs(x));
  return sign(x) * (-e / (2.0 + e));
}
fn sigmoid_f32(x: f32) -> f32 {
  if (x >= 0.0) { return 1.0 / (1.0 + exp_f32(-x)); }
  let e = exp_f32(x);
  return e / (1.0 + e);
}
fn softplus_f32(x: f32) -> f32 {
  if (is_nan_f32(x)) { return x; }
  return max(x, 0.0) + log1p_f32(exp_f32(-abs(x)));
}
fn sign_f32(x: f32) -> f32 {
  if (is_nan_f32(x)) { return x; }
  return select(select(0.0, -1.0, x < 0.0), 1.0, x > 0.0);
}
fn sqrt_f32(x: f32) -> f32 {
  if (x < 0.0) { return nan_f32(); }
  return sqrt(x);
}
`;

/** WGSL expression of each float32 op. */
const FLOAT_OPS: Partial<Record<UnaryOp, string>> = {
  neg: '-x',
  abs: 'abs(x)',
  sign: 'sign_f32(x)',
  square: 'x * x',
  sqrt: 'sqrt_f32(x)',
  rsqrt: '1.0 / sqrt_f32(x)',
  reciprocal: '1.0 / x',
  exp: 'exp_f32(x)',
  expm1: 'expm1_f32(x)',
  log: 'log_f32(x)',
  log1p: 'log1p_f32(x)',
  sin: 'sin(x)',
  cos: 'cos(x)',
  tanh: 'tanh_f32(x)',
  sigmoid: 'sigmoid_f32(x)',
  softplus: 'softplus_f32(x)',
  relu: 'select(x, 0.0, x < 0.0)',
  step: 'select(0.0, 1.0, x > 0.0)',
  floor: 'floor(x)',
  ceil: 'ceil(x)',
  round: 'round(x)',
  isNaN: 'u32(is_nan_f32(x))',
};

/** WGSL expression of each int32 op. */
const INT_OPS: Partial<Record<UnaryOp, string>> = {
  neg: '-x',
  abs: 'abs(x)',
  sign: 'sign(x)',
  square: 'x * x',
  relu: 'max(x, 0)',
  step: 'select(0, 1, x > 0)',
  floor: 'x',
  ceil: 'x',
  round: 'x',
  isNaN: '0u',
};

/** WGSL expression of each bool op. */
const BOOL_OPS: Partial<Record<UnaryOp, string>> = {
  logicalNot: 'u32(x == 0u)',
  isNaN: '0u',
};

function expression(op: UnaryOp, dtype: DType): string {
  const table = dtype === 'float32' ? FLOAT_OPS : dtype === 'int32' ? INT_OPS : BOOL_OPS;
  const expr = table[op];
  if (!expr) throw new Error(`unary '${op}' is not defined for ${dtype}`);
  return expr;
}

/** Runs a WGSL expression of `x` over every element (also used by other kernels). */
export function mapElements(
  gpu: GpuContext,
  key: string,
  expr: string,
  x: GpuTensor,
  out: GpuTensor,
  helpers = '',
): GpuTensor {
  const inType = wgslType(x.dtype);
  const outType = wgslType(out.dtype);
  gpu.dispatch({
    key: `map/${key}/${inType}/${outType}`,
    source: () =>
      declareBindings([{ name: 'xs', type: inType }], { name: 'ys', type: outType }) +
      COMMON +
      FLOAT_MATH +
      helpers +
      main1d(`  let x = xs[i];\n  ys[i] = ${expr};`),
    inputs: [x],
    output: out,
    params: new ParamWriter().u32(out.size).finish(),
    grid: linearGrid(Math.ceil(out.size / WG), gpu.maxWorkgroupsPerDim),
  });
  return out;
}

/** The `unary` kernel. */
export function unary(
  gpu: GpuContext,
  inputs: readonly TensorInfo[],
  attrs: KernelAttrs['unary'],
  out: OutSpec,
) {
  const x = gpu.input(inputs[0] as TensorInfo);
  const y = gpu.alloc(out.dtype, out.size);
  return mapElements(gpu, `unary/${attrs.op}`, expression(attrs.op, x.dtype), x, y);
}
