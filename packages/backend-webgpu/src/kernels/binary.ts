/**
 * Elementwise binary ops with NumPy broadcasting. The iteration space (the output shape) and each
 * input's strides are coalesced first, so `[64, 128] + [128]` runs as a rank-2 loop and equal shapes as
 * a plain `a[i] op b[i]`.
 */
import type { BinaryOp, DType, KernelAttrs, OutSpec, TensorInfo } from '@myelin/core';
import type { GpuContext } from '../context.js';
import { FLOAT_MATH } from '../float-math.js';
import type { GpuTensor } from '../gpu-tensor.js';
import { ParamWriter } from '../params.js';
import { broadcastStrides, coalesce, MAX_RANK, padRank } from '../shape.js';
import { COMMON, declareBindings, linearGrid, main1d, offsetsLoop, WG, wgslType } from '../wgsl.js';

/** Float helpers for the ops whose WGSL builtins leave edge cases undefined. */
const BINARY_MATH = /* wgsl */ `
fn max_f32(a: f32, b: f32) -> f32 {
  if (is_nan_f32(a)) { return a; }
  if (is_nan_f32(b)) { return b; }
  return select(b, a, a > b);
}
fn min_f32(a: f32, b: f32) -> f32 {
  if (is_nan_f32(a)) { return a; }
  if (is_nan_f32(b)) { return b; }
  return select(b, a, a < b);
}
// Floored remainder (Python / torch.remainder): the result takes the divisor's sign.
fn mod_f32(a: f32, b: f32) -> f32 {
  if (b == 0.0 || is_nan_f32(a) || is_nan_f32(b) || is_inf_f32(a)) { return nan_f32(); }
  if (is_inf_f32(b)) { return select(b, a, a == 0.0 || (a < 0.0) == (b < 0.0)); }
  var r = a - b * floor(a / b);
  // floor(a / b) may be off by one after rounding; pull r back into [0, b) (or (b, 0]).
  if (b > 0.0) {
    if (r >= b) { r = r - b; } else if (r < 0.0) { r = r + b; }
  } else {
    if (r <= b) { r = r - b; } else if (r > 0.0) { r = r + b; }
  }
  return r;
}
fn mod_i32(a: i32, b: i32) -> i32 {
  if (b == 0) { return 0; }
  var r = a % b;
  if (r != 0 && ((r < 0) != (b < 0))) { r = r + b; }
  return r;
}
// pow with the edge cases of C's pow (as PyTorch): pow(x, 0) = pow(1, y) = 1 even for NaN, negative
// bases with integral exponents, zero and infinite operands; common exponents exact.
fn pow_f32(a: f32, b: f32) -> f32 {
  if (b == 0.0 || a == 1.0) { return 1.0; }
  if (is_nan_f32(a) || is_nan_f32(b)) { return nan_f32(); }
  if (b == 1.0) { return a; }
  if (b == 2.0) { return a * a; }
  if (b == 0.5 && a >= 0.0 && !is_inf_f32(a)) { return sqrt(a); }
  if (b == -1.0) { return 1.0 / a; }
  let ab = abs(a);
  let integral = floor(b) == b;
  let odd = integral && abs(b) < 16777216.0 && (b * 0.5 - floor(b * 0.5)) != 0.0;
  var r: f32;
  if (ab == 0.0) {
    r = select(0.0, inf_f32(), b < 0.0);
  } else if (is_inf_f32(ab)) {
    r = select(inf_f32(), 0.0, b < 0.0);
  } else if (ab == 1.0 && is_inf_f32(b)) {
    r = 1.0;
  } else {
    let l = b * log2(ab);
    if (l > 128.0) { r = inf_f32(); } else if (l < -150.0) { r = 0.0; } else { r = exp2(l); }
  }
  if (a < 0.0 || (a == 0.0 && (bitcast<u32>(a) & 0x80000000u) != 0u)) {
    if (!integral && !is_inf_f32(ab)) { return nan_f32(); }
    if (odd) { r = -r; }
  }
  return r;
}
fn eq_f32(a: f32, b: f32) -> bool { return !is_nan_f32(a) && !is_nan_f32(b) && a == b; }
fn lt_f32(a: f32, b: f32) -> bool { return !is_nan_f32(a) && !is_nan_f32(b) && a < b; }
fn le_f32(a: f32, b: f32) -> bool { return !is_nan_f32(a) && !is_nan_f32(b) && a <= b; }
`;

const ARITH_F32: Partial<Record<BinaryOp, string>> = {
  add: 'a + b',
  sub: 'a - b',
  mul: 'a * b',
  div: 'a / b',
  pow: 'pow_f32(a, b)',
  maximum: 'max_f32(a, b)',
  minimum: 'min_f32(a, b)',
  mod: 'mod_f32(a, b)',
  atan2: 'atan2_f32(a, b)',
  equal: 'u32(eq_f32(a, b))',
  notEqual: 'u32(!eq_f32(a, b))',
  less: 'u32(lt_f32(a, b))',
  lessEqual: 'u32(le_f32(a, b))',
  greater: 'u32(lt_f32(b, a))',
  greaterEqual: 'u32(le_f32(b, a))',
};

const ARITH_I32: Partial<Record<BinaryOp, string>> = {
  add: 'a + b',
  sub: 'a - b',
  mul: 'a * b',
  maximum: 'max(a, b)',
  minimum: 'min(a, b)',
  mod: 'mod_i32(a, b)',
  equal: 'u32(a == b)',
  notEqual: 'u32(a != b)',
  less: 'u32(a < b)',
  lessEqual: 'u32(a <= b)',
  greater: 'u32(a > b)',
  greaterEqual: 'u32(a >= b)',
};

const ARITH_BOOL: Partial<Record<BinaryOp, string>> = {
  equal: 'u32(a == b)',
  notEqual: 'u32(a != b)',
  less: 'u32(a < b)',
  lessEqual: 'u32(a <= b)',
  greater: 'u32(a > b)',
  greaterEqual: 'u32(a >= b)',
  logicalAnd: 'u32(a != 0u && b != 0u)',
  logicalOr: 'u32(a != 0u || b != 0u)',
  maximum: 'max(a, b)',
  minimum: 'min(a, b)',
};

function expression(op: BinaryOp, dtype: DType): string {
  const table = dtype === 'float32' ? ARITH_F32 : dtype === 'int32' ? ARITH_I32 : ARITH_BOOL;
  const expr = table[op];
  if (!expr) throw new Error(`binary '${op}' is not defined for ${dtype}`);
  return expr;
}

/**
 * How operands are read: `same` (every operand has the output's shape), or `strided` (a rank ≤ 8 index
 * loop with per-operand strides; 0 where broadcast).
 */
export interface BroadcastPlan {
  readonly mode: 'same' | 'strided';
  /** Params: [n, rank, shape[8], strides of operand 0 [8], strides of operand 1 [8], ...]. */
  readonly params: Uint32Array;
}

/** Plans the reads of `operands` (their shapes) broadcast to `outShape`. */
export function planBroadcast(
  operands: readonly (readonly number[])[],
  outShape: readonly number[],
  n: number,
) {
  const same = operands.every((s) => s.length === outShape.length && s.every((d, i) => d === outShape[i]));
  const writer = new ParamWriter().u32(n);
  if (same) return { mode: 'same', params: writer.finish() } as BroadcastPlan;
  const layout = coalesce(
    outShape,
    operands.map((s) => broadcastStrides(s, outShape)),
  );
  if (layout.shape.length > MAX_RANK) {
    throw new Error(`broadcast of rank ${layout.shape.length} exceeds ${MAX_RANK} after merging dims`);
  }
  writer.u32(layout.shape.length).u32s(padRank(layout.shape, 1));
  for (const s of layout.strides) writer.u32s(padRank(s));
  return { mode: 'strided', params: writer.finish() } as BroadcastPlan;
}

/**
 * WGSL that defines `idx0`, `idx1`... (the element of each operand read for output element `i`) for a
 * plan's mode. Params layout as in `planBroadcast`.
 */
export function broadcastIndices(mode: BroadcastPlan['mode'], operands: number): string {
  if (mode === 'same') {
    return Array.from({ length: operands }, (_, k) => `  let idx${k} = i;`).join('\n');
  }
  const bases = Array.from({ length: operands }, (_, k) => `${2 + MAX_RANK * (k + 1)}u`);
  return `${offsetsLoop('pu(1u)', '2u', bases, 'i')}\n${bases.map((_, k) => `  let idx${k} = off${k};`).join('\n')}`;
}

/** The `binary` kernel. */
export function binary(
  gpu: GpuContext,
  inputs: readonly TensorInfo[],
  attrs: KernelAttrs['binary'],
  out: OutSpec,
) {
  const [ia, ib] = inputs as [TensorInfo, TensorInfo];
  const a = gpu.input(ia);
  const b = gpu.input(ib);
  const expr = expression(attrs.op, a.dtype);
  const plan = planBroadcast([ia.shape, ib.shape], out.shape, out.size);
  const y: GpuTensor = gpu.alloc(out.dtype, out.size);
  const inType = wgslType(a.dtype);
  const outType = wgslType(out.dtype);
  gpu.dispatch({
    key: `binary/${attrs.op}/${inType}/${plan.mode}`,
    source: () =>
      declareBindings(
        [
          { name: 'lhs', type: inType },
          { name: 'rhs', type: inType },
        ],
        { name: 'ys', type: outType },
      ) +
      COMMON +
      FLOAT_MATH +
      BINARY_MATH +
      main1d(
        `${broadcastIndices(plan.mode, 2)}\n  let a = lhs[idx0];\n  let b = rhs[idx1];\n  ys[i] = ${expr};`,
      ),
    inputs: [a, b],
    output: y,
    params: plan.params,
    grid: linearGrid(Math.ceil(out.size / WG), gpu.maxWorkgroupsPerDim),
  });
  return y;
}
