/**
 * One matrix-multiply template behind matmul and the three convolutions (implicit GEMM: the
 * convolution's im2col matrix is never built; its loader computes each element as it is read).
 *
 * Two strategies, picked per adapter (`GpuContext.gemm`):
 * - `shared` (hardware GPUs): a workgroup of 16×16 threads computes a 64×64 output tile; each thread
 *   keeps a 4×4 block of accumulators in registers (rows `ty + 16i`, columns `tx + 16j`), and K advances
 *   in steps of 16 through two tiles in workgroup memory.
 * - `registers` (software adapters such as lavapipe): each thread computes a 4×4 block straight from
 *   storage, with no workgroup memory and no barriers. On a CPU a barrier is a coroutine switch for
 *   every 8-wide slice of the workgroup, which made the shared version 5× slower there (measured on
 *   lavapipe: 512³ in ~110 ms instead of ~600 ms).
 *
 * A kernel supplies `load_a(z, m, k)`, `load_b(z, k, n)` and `out_index(m, n)`; the output element lands
 * at `z * zStride + out_index(m, n)`. `z` is either a batch index (batched matmul) or, with split-K, the
 * index of a slice of K: when only a few tiles exist but K is long (the filter gradient of a
 * convolution), slices of K run in parallel into partial outputs that a reduction then sums.
 */
import type { GpuContext } from '../context.js';
import type { GpuTensor } from '../gpu-tensor.js';
import { ParamWriter } from '../params.js';
import { COMMON, declareBindings, linearGrid } from '../wgsl.js';
import { reduceInto } from './reduce.js';

const TILE = 64;
const TILE_K = 16;

/** The standard params of the template; a kernel's own params follow from index `GEMM_EXTRA`. */
export const GEMM_EXTRA = 9;

/** One GEMM-shaped computation. */
export interface GemmSpec {
  /** Pipeline cache key (the loaders' variant). */
  readonly key: string;
  /** WGSL defining `load_a`, `load_b`, `out_index` over bindings `in_a`, `in_b`. */
  readonly helpers: string;
  /** Which index of A (and of B) is contiguous in memory: sets how a tile is read. */
  readonly aContiguous: 'm' | 'k';
  readonly bContiguous: 'k' | 'n';
  readonly a: GpuTensor;
  readonly b: GpuTensor;
  readonly m: number;
  readonly n: number;
  readonly k: number;
  /** Batch count (1 unless a batched matmul). */
  readonly batch: number;
  /** Elements of the output per batch. */
  readonly outSize: number;
  /** The kernel's own params (after the standard ones). */
  readonly extra: readonly number[];
}

/** The `shared` strategy: 64×64 tiles through workgroup memory, 4×4 accumulators per thread. */
function sharedSource(spec: GemmSpec): string {
  // Element e of a 64×16 tile (1024 elements, 4 per thread) → (row-in-tile, k-in-tile), so that
  // neighbouring threads read neighbouring addresses.
  const aMap =
    spec.aContiguous === 'k' ? 'let ka = e % 16u; let ma = e / 16u;' : 'let ma = e % 64u; let ka = e / 64u;';
  const bMap =
    spec.bContiguous === 'n' ? 'let nb = e % 64u; let kb = e / 64u;' : 'let kb = e % 16u; let nb = e / 16u;';
  return `${declareBindings(
    [
      { name: 'in_a', type: 'f32' },
      { name: 'in_b', type: 'f32' },
    ],
    { name: 'ys', type: 'f32' },
  )}${COMMON}${spec.helpers}
var<workgroup> tile_a: array<f32, ${TILE * TILE_K}>;
var<workgroup> tile_b: array<f32, ${TILE * TILE_K}>;

@compute @workgroup_size(16, 16)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u,
        @builtin(local_invocation_id) lid3: vec3u, @builtin(local_invocation_index) lid: u32) {
  let M = pu(0u);
  let N = pu(1u);
  let K = pu(2u);
  var w = wid.y * nwg.x + wid.x;
  let tile_n = w % pu(4u);
  w = w / pu(4u);
  let tile_m = w % pu(5u);
  let z = w / pu(5u);
  if (z >= pu(3u)) { return; }
  let split = pu(7u) != 0u;
  let zb = select(z, 0u, split);
  var k_begin = 0u;
  var k_end = K;
  if (split) {
    k_begin = z * pu(6u);
    k_end = min(k_begin + pu(6u), K);
  }
  let m0 = tile_m * ${TILE}u;
  let n0 = tile_n * ${TILE}u;
  let tx = lid3.x;
  let ty = lid3.y;
  var acc0 = vec4f(0.0);
  var acc1 = vec4f(0.0);
  var acc2 = vec4f(0.0);
  var acc3 = vec4f(0.0);
  for (var k0 = k_begin; k0 < k_end; k0 += ${TILE_K}u) {
    for (var l = 0u; l < 4u; l++) {
      let e = lid + l * 256u;
      ${aMap}
      var va = 0.0;
      if (k0 + ka < k_end && m0 + ma < M) { va = load_a(zb, m0 + ma, k0 + ka); }
      tile_a[ka * ${TILE}u + ma] = va;
      ${bMap}
      var vb = 0.0;
      if (k0 + kb < k_end && n0 + nb < N) { vb = load_b(zb, k0 + kb, n0 + nb); }
      tile_b[kb * ${TILE}u + nb] = vb;
    }
    workgroupBarrier();
    for (var k = 0u; k < ${TILE_K}u; k++) {
      let row = k * ${TILE}u;
      let b = vec4f(tile_b[row + tx], tile_b[row + tx + 16u], tile_b[row + tx + 32u], tile_b[row + tx + 48u]);
      acc0 += tile_a[row + ty] * b;
      acc1 += tile_a[row + ty + 16u] * b;
      acc2 += tile_a[row + ty + 32u] * b;
      acc3 += tile_a[row + ty + 48u] * b;
    }
    workgroupBarrier();
  }
  let base = z * pu(8u);
  var accs = array<vec4f, 4>(acc0, acc1, acc2, acc3);
  for (var i = 0u; i < 4u; i++) {
    let m = m0 + ty + 16u * i;
    if (m >= M) { break; }
    for (var j = 0u; j < 4u; j++) {
      let n = n0 + tx + 16u * j;
      if (n < N) { ys[base + out_index(m, n)] = accs[i][j]; }
    }
  }
}
`;
}

/** The `registers` strategy: a thread per 4×4 output block, 64 threads per workgroup, no barriers. */
function registersSource(spec: GemmSpec): string {
  return `${declareBindings(
    [
      { name: 'in_a', type: 'f32' },
      { name: 'in_b', type: 'f32' },
    ],
    { name: 'ys', type: 'f32' },
  )}${COMMON}${spec.helpers}
@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u,
        @builtin(local_invocation_index) lid: u32) {
  let M = pu(0u);
  let N = pu(1u);
  let K = pu(2u);
  var t = (wid.y * nwg.x + wid.x) * 64u + lid;
  let block_n = t % pu(4u);
  t = t / pu(4u);
  let block_m = t % pu(5u);
  let z = t / pu(5u);
  if (z >= pu(3u)) { return; }
  let split = pu(7u) != 0u;
  let zb = select(z, 0u, split);
  var k_begin = 0u;
  var k_end = K;
  if (split) {
    k_begin = z * pu(6u);
    k_end = min(k_begin + pu(6u), K);
  }
  let m0 = block_m * 4u;
  let n0 = block_n * 4u;
  var acc: array<vec4f, 4>;
  if (m0 + 4u <= M && n0 + 4u <= N) {
    for (var k = k_begin; k < k_end; k++) {
      let b = vec4f(load_b(zb, k, n0), load_b(zb, k, n0 + 1u), load_b(zb, k, n0 + 2u), load_b(zb, k, n0 + 3u));
      for (var i = 0u; i < 4u; i++) { acc[i] += load_a(zb, m0 + i, k) * b; }
    }
  } else {
    for (var k = k_begin; k < k_end; k++) {
      var b = vec4f(0.0);
      for (var j = 0u; j < 4u; j++) { if (n0 + j < N) { b[j] = load_b(zb, k, n0 + j); } }
      for (var i = 0u; i < 4u; i++) { if (m0 + i < M) { acc[i] += load_a(zb, m0 + i, k) * b; } }
    }
  }
  let base = z * pu(8u);
  for (var i = 0u; i < 4u; i++) {
    if (m0 + i >= M) { break; }
    for (var j = 0u; j < 4u; j++) {
      if (n0 + j < N) { ys[base + out_index(m0 + i, n0 + j)] = acc[i][j]; }
    }
  }
}
`;
}

/** Runs a GEMM, choosing split-K when few workgroups would otherwise share a long K. */
export function runGemm(gpu: GpuContext, spec: GemmSpec): GpuTensor {
  const shared = gpu.gemm === 'shared';
  const block = shared ? TILE : 4;
  const tilesM = Math.ceil(spec.m / block);
  const tilesN = Math.ceil(spec.n / block);
  const perGroup = shared ? 1 : 64;
  const groups = Math.ceil((tilesM * tilesN * spec.batch) / perGroup);
  let slices = 1;
  if (spec.batch === 1 && groups < 64 && spec.k >= 1024) {
    slices = Math.min(Math.ceil(spec.k / 256), Math.max(1, Math.floor(128 / groups)));
  }
  let kChunk = spec.k;
  if (slices > 1) {
    kChunk = Math.ceil(spec.k / slices / TILE_K) * TILE_K;
    slices = Math.ceil(spec.k / kChunk);
  }
  const z = slices > 1 ? slices : spec.batch;
  const target = gpu.alloc('float32', spec.outSize * z);
  const params = new ParamWriter()
    .u32(spec.m)
    .u32(spec.n)
    .u32(spec.k)
    .u32(z)
    .u32(tilesN)
    .u32(tilesM)
    .u32(kChunk)
    .u32(slices > 1 ? 1 : 0)
    .u32(spec.outSize)
    .u32s(spec.extra.map((v) => v >>> 0))
    .finish();
  gpu.dispatch({
    key: `gemm/${gpu.gemm}/${spec.key}/${spec.aContiguous}${spec.bContiguous}`,
    source: () => (shared ? sharedSource(spec) : registersSource(spec)),
    inputs: [spec.a, spec.b],
    output: target,
    params,
    grid: linearGrid(Math.ceil((tilesM * tilesN * z) / perGroup), gpu.maxWorkgroupsPerDim),
  });
  if (slices === 1) return target;
  const summed = reduceInto(gpu, 'sum', target, [slices, spec.outSize], [0], 'float32');
  gpu.release(target);
  return summed;
}
