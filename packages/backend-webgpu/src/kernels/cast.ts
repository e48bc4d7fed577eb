/**
 * Dtype conversion. float → int32 truncates toward zero and wraps like JavaScript's `ToInt32` (what
 * storing into an `Int32Array` does), so results match the CPU backends even out of range; → bool is
 * `x != 0` (NaN is true); bool → number is 0/1.
 */
import type { KernelAttrs, OutSpec, TensorInfo } from '@myelin/core';
import type { GpuContext } from '../context.js';
import { mapElements } from './unary.js';

/** WGSL for JavaScript's ToInt32 of a float: truncate, then wrap modulo 2^32; NaN and ±inf give 0. */
export const F32_TO_I32 = /* wgsl */ `
fn f32_to_i32(x: f32) -> i32 {
  if (is_nan_f32(x) || is_inf_f32(x)) { return 0; }
  let ax = abs(x);
  if (ax < 2147483648.0) { return i32(x); }
  // |x| >= 2^31 is an integer m * 2^e with a 24-bit m and e >= 8: keep the low 32 bits of m << e.
  let bits = bitcast<u32>(ax);
  let e = (bits >> 23u) - 150u;
  let m = (bits & 0x7fffffu) | 0x800000u;
  var r = 0u;
  if (e < 32u) { r = m << e; }
  if (x < 0.0) { r = 0u - r; }
  return bitcast<i32>(r);
}
`;

const EXPRESSIONS: Record<string, string> = {
  'float32>int32': 'f32_to_i32(x)',
  'float32>bool': 'u32((bitcast<u32>(x) & 0x7fffffffu) != 0u)',
  'int32>float32': 'f32(x)',
  'int32>bool': 'u32(x != 0)',
  'bool>float32': 'f32(x)',
  'bool>int32': 'i32(x)',
};

/** The `cast` kernel. */
export function cast(
  gpu: GpuContext,
  inputs: readonly TensorInfo[],
  _attrs: KernelAttrs['cast'],
  out: OutSpec,
) {
  const x = gpu.input(inputs[0] as TensorInfo);
  const y = gpu.alloc(out.dtype, out.size);
  if (x.dtype === out.dtype) {
    gpu.copy(x, y, out.size);
    return y;
  }
  const expr = EXPRESSIONS[`${x.dtype}>${out.dtype}`];
  if (!expr) throw new Error(`cast from ${x.dtype} to ${out.dtype} is not defined`);
  return mapElements(gpu, `cast/${x.dtype}>${out.dtype}`, expr, x, y, F32_TO_I32);
}
