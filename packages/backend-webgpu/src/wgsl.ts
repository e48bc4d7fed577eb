/**
 * WGSL building blocks shared by the kernels: storage types per dtype, the binding layout every kernel
 * uses, NaN/infinity helpers, and the 1-D entry point that spreads a large dispatch over x and y.
 *
 * Binding layout of every kernel: inputs at bindings 0..k-1 (read-only storage), the output at k
 * (read-write storage), the params block at k+1 (read-only storage, `params: array<u32>`).
 */
import type { DType } from '@myelin/core';

/** Threads per workgroup of the 1-D (elementwise) kernels. */
export const WG = 256;

/** A WGSL scalar type that a storage buffer holds. */
export type WgslType = 'f32' | 'i32' | 'u32';

/** The WGSL storage type of a dtype: bool is a u32 of 0/1. */
export function wgslType(dtype: DType): WgslType {
  if (dtype === 'float32') return 'f32';
  if (dtype === 'int32') return 'i32';
  return 'u32';
}

/** One storage binding: its WGSL name and element type. */
export interface Binding {
  readonly name: string;
  readonly type: WgslType;
}

/** Declares the inputs, the output and `params` in the standard layout. */
export function declareBindings(inputs: readonly Binding[], output: Binding): string {
  const lines = inputs.map(
    (b, i) => `@group(0) @binding(${i}) var<storage, read> ${b.name}: array<${b.type}>;`,
  );
  lines.push(
    `@group(0) @binding(${inputs.length}) var<storage, read_write> ${output.name}: array<${output.type}>;`,
  );
  lines.push(`@group(0) @binding(${inputs.length + 1}) var<storage, read> params: array<u32>;`);
  return `${lines.join('\n')}\n`;
}

/**
 * Helpers every shader may use. NaN is tested on the bit pattern because WGSL lets a compiler assume
 * that no NaN occurs, which can fold `x != x` away; NaN and infinity are made at run time (`var`)
 * because a NaN in a constant expression is a shader-creation error.
 */
export const COMMON = /* wgsl */ `
fn pu(i: u32) -> u32 { return params[i]; }
fn pi(i: u32) -> i32 { return bitcast<i32>(params[i]); }
fn pf(i: u32) -> f32 { return bitcast<f32>(params[i]); }
fn is_nan_f32(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) > 0x7f800000u; }
fn is_inf_f32(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) == 0x7f800000u; }
fn nan_f32() -> f32 { var bits = 0x7fc00000u; return bitcast<f32>(bits); }
fn inf_f32() -> f32 { var bits = 0x7f800000u; return bitcast<f32>(bits); }
// The high 32 bits of the 64-bit product a·b (WGSL has no 64-bit integers): from 16-bit halves.
fn mulhi32(a: u32, b: u32) -> u32 {
  let a_lo = a & 0xffffu;
  let a_hi = a >> 16u;
  let b_lo = b & 0xffffu;
  let b_hi = b >> 16u;
  let lolo = a_lo * b_lo;
  let hilo = a_hi * b_lo;
  let lohi = a_lo * b_hi;
  let hihi = a_hi * b_hi;
  // At most 2^32 - 1: lohi <= (2^16 - 1)^2 and the other two terms are below 2^16 each.
  let cross = (lolo >> 16u) + (hilo & 0xffffu) + lohi;
  return hihi + (hilo >> 16u) + (cross >> 16u);
}
`;

/**
 * A 1-D compute entry point: `i` runs over `0..count` where `count` is a WGSL expression (by
 * convention `pu(0u)`). Workgroups are laid out over x and y (`linearGrid`) so counts beyond 65535
 * workgroups work.
 */
export function main1d(body: string, count = 'pu(0u)'): string {
  return /* wgsl */ `
@compute @workgroup_size(${WG})
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u,
        @builtin(local_invocation_index) lid: u32) {
  let i = (wid.y * nwg.x + wid.x) * ${WG}u + lid;
  if (i >= ${count}) { return; }
${body}
}
`;
}

/**
 * Workgroup counts [x, y, 1] covering `groups` workgroups when one dimension holds at most `maxPerDim`;
 * shaders rebuild the linear index as `wid.y * nwg.x + wid.x` and skip the surplus.
 */
export function linearGrid(groups: number, maxPerDim: number): [number, number, number] {
  if (groups <= maxPerDim) return [Math.max(groups, 1), 1, 1];
  const y = Math.ceil(groups / maxPerDim);
  if (y > maxPerDim) throw new Error(`dispatch of ${groups} workgroups exceeds ${maxPerDim}²`);
  return [Math.ceil(groups / y), y, 1];
}

/** The WGSL index loop that turns a linear index `idx` into per-operand offsets (`off0`, `off1`...). */
export function offsetsLoop(
  rankExpr: string,
  shapeBase: string,
  strideBases: readonly string[],
  idx: string,
): string {
  const decl = strideBases.map((_, k) => `var off${k} = 0u;`).join(' ');
  const acc = strideBases.map((b, k) => `off${k} += c * pu(${b} + d);`).join(' ');
  return /* wgsl */ `
  ${decl}
  var rem = ${idx};
  for (var dd = ${rankExpr}; dd > 0u; dd--) {
    let d = dd - 1u;
    let s = pu(${shapeBase} + d);
    let c = rem % s;
    rem = rem / s;
    ${acc}
  }`;
}
