/**
 * Elementwise unary ops. Each op is one WGSL expression of `x`; the transcendental ones that lose
 * precision or overflow when written naively (expm1, log1p, tanh, sigmoid, softplus) have stable forms.
 */
import type { DType, KernelAttrs, OutSpec, TensorInfo, UnaryOp } from '@myelin/core';
import type { GpuContext } from '../context.js';
import { FLOAT_MATH } from '../float-math.js';
import type { GpuTensor } from '../gpu-tensor.js';
import { ParamWriter } from '../params.js';
import { COMMON, declareBindings, linearGrid, main1d, WG, wgslType } from '../wgsl.js';

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
  sin: 'sin_f32(x)',
  cos: 'cos_f32(x)',
  tanh: 'tanh_f32(x)',
  sigmoid: 'sigmoid_f32(x)',
  softplus: 'softplus_f32(x)',
  // The explicit NaN test: NVIDIA's Vulkan compiler folds `select(x, 0.0, x < 0.0)` into max(x, 0), which
  // turns NaN into 0 (seen on an H200); PyTorch's relu keeps NaN.
  relu: 'select(select(x, 0.0, x < 0.0), x, is_nan_f32(x))',
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
