/**
 * randomUniform / randomNormal: Philox 4x32-10 in WGSL, word for word the stream of core's
 * `random/philox.ts`. WGSL has no 64-bit integers, so the high half of each 32×32 product is built from
 * 16-bit halves exactly as `mulhi32` does, and the 64-bit counter `c + block` carries by hand.
 *
 * Uniform values are `low + (high - low) · u` with `u = (w >>> 8) · 2^-24`, rounded exactly as core's
 * float64 computation rounds them (see `exact-uniform.ts`), so they equal the CPU's bit for bit.
 * Normal values compute log, sqrt, cos and sin in float32 (`float-math.ts`, not WGSL's loose builtins, so
 * every adapter agrees): equal to the CPU's within a few ulp, not bit for bit.
 */
import type { KernelAttrs, OutSpec, TensorInfo } from '@myelin/core';
import type { GpuContext } from '../context.js';
import { FLOAT_MATH } from '../float-math.js';
import { ParamWriter } from '../params.js';
import { COMMON, declareBindings, linearGrid, main1d, WG } from '../wgsl.js';
import { EXACT_UNIFORM_WGSL, float64Words } from './exact-uniform.js';

/** Philox 4x32-10 in WGSL: `philox(counter: vec4u, key: vec2u) -> vec4u` (needs `COMMON`'s `mulhi32`). */
export const PHILOX_WGSL = /* wgsl */ `
fn philox(counter: vec4u, key: vec2u) -> vec4u {
  var x = counter;
  var k = key;
  for (var round = 0u; round < 10u; round++) {
    let hi0 = mulhi32(0xd2511f53u, x.x);
    let lo0 = 0xd2511f53u * x.x;
    let hi1 = mulhi32(0xcd9e8d57u, x.z);
    let lo1 = 0xcd9e8d57u * x.z;
    x = vec4u(hi1 ^ x.y ^ k.x, lo1, hi0 ^ x.w ^ k.y, lo0);
    k = k + vec2u(0x9e3779b9u, 0xbb67ae85u);
  }
  return x;
}
// Block b of the stream with start counter (c_lo, c_hi): the counter c + b, as 64 bits.
fn block_words(b: u32) -> vec4u {
  let lo = pu(1u) + b;
  let hi = pu(2u) + select(0u, 1u, lo < b);
  return philox(vec4u(lo, hi, 0u, 0u), vec2u(pu(3u), pu(4u)));
}
`;

/** Params: [n, counter lo, counter hi, key0, key1, a, b] with (a, b) = (low, high) or (mean, std). */
function randomParams(
  n: number,
  attrs: KernelAttrs['randomUniform'] | KernelAttrs['randomNormal'],
  a: number,
  b: number,
) {
  return new ParamWriter()
    .u32(n)
    .u32(attrs.counter[0])
    .u32(attrs.counter[1])
    .u32(attrs.key[0])
    .u32(attrs.key[1])
    .f32(a)
    .f32(b)
    .finish();
}

/** The `randomUniform` kernel: one thread per Philox block, writing up to four elements. */
export function randomUniform(
  gpu: GpuContext,
  _inputs: readonly TensorInfo[],
  attrs: KernelAttrs['randomUniform'],
  out: OutSpec,
) {
  const y = gpu.alloc('float32', out.size);
  const blocks = Math.ceil(out.size / 4);
  const span = attrs.high - attrs.low;
  // Non-finite bounds take the float32 formula (the exact path handles finite numbers only).
  const exact = Number.isFinite(attrs.low) && Number.isFinite(span);
  const params = new ParamWriter()
    .u32s(Array.from(randomParams(out.size, attrs, attrs.low, attrs.high)))
    .u32(exact ? 1 : 0)
    .u32s(float64Words(exact ? attrs.low : 0))
    .u32s(float64Words(exact ? span : 0))
    .finish();
  gpu.dispatch({
    key: 'randomUniform',
    source: () =>
      declareBindings([], { name: 'ys', type: 'f32' }) +
      COMMON +
      PHILOX_WGSL +
      EXACT_UNIFORM_WGSL +
      main1d(
        `  let w = block_words(i);
  let n = pu(0u);
  for (var j = 0u; j < 4u; j++) {
    let e = i * 4u + j;
    if (e >= n) { break; }
    let m = w[j] >> 8u;
    if (pu(7u) != 0u) {
      ys[e] = bitcast<f32>(uniform_bits(m, 8u, 12u));
    } else {
      let low = pf(5u);
      ys[e] = low + (pf(6u) - low) * (f32(m) * 5.9604644775390625e-8);
    }
  }`,
        `((pu(0u) + 3u) / 4u)`,
      ),
    inputs: [],
    output: y,
    params,
    grid: linearGrid(Math.ceil(blocks / WG), gpu.maxWorkgroupsPerDim),
  });
  return y;
}

/** The `randomNormal` kernel (Box–Muller): one thread per block, writing two elements. */
export function randomNormal(
  gpu: GpuContext,
  _inputs: readonly TensorInfo[],
  attrs: KernelAttrs['randomNormal'],
  out: OutSpec,
) {
  const y = gpu.alloc('float32', out.size);
  const blocks = Math.ceil(out.size / 2);
  gpu.dispatch({
    key: 'randomNormal',
    source: () =>
      declareBindings([], { name: 'ys', type: 'f32' }) +
      COMMON +
      FLOAT_MATH +
      PHILOX_WGSL +
      main1d(
        `  let w = block_words(i);
  let u1 = f32((w.x >> 8u) + 1u) * 5.9604644775390625e-8;
  let u2 = f32(w.y >> 8u) * 5.9604644775390625e-8;
  let r = sqrt(-2.0 * log_f32(u1));
  let cs = cos_sin_turn_f32(u2);
  let mean = pf(5u);
  let sd = pf(6u);
  let e = i * 2u;
  ys[e] = mean + sd * (r * cs.x);
  if (e + 1u < pu(0u)) { ys[e + 1u] = mean + sd * (r * cs.y); }`,
        `((pu(0u) + 1u) / 2u)`,
      ),
    inputs: [],
    output: y,
    params: randomParams(out.size, attrs, attrs.mean, attrs.std),
    grid: linearGrid(Math.ceil(blocks / WG), gpu.maxWorkgroupsPerDim),
  });
  return y;
}
