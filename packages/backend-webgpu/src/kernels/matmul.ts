/** Batched matmul with optional transposes and a broadcast batch of 1, on the tiled GEMM template. */
import type { KernelAttrs, OutSpec, TensorInfo } from '@myelin/core';
import type { GpuContext } from '../context.js';
import { GEMM_EXTRA, runGemm } from './gemm.js';

const E = GEMM_EXTRA;

function helpers(transposeA: boolean, transposeB: boolean): string {
  const aIndex = transposeA ? 'k * M + m' : 'm * K + k';
  const bIndex = transposeB ? 'n * K + k' : 'k * N + n';
  return /* wgsl */ `
fn load_a(z: u32, m: u32, k: u32) -> f32 {
  let M = pu(0u); let K = pu(2u);
  return in_a[select(0u, z, pu(${E}u) != 0u) * M * K + ${aIndex}];
}
fn load_b(z: u32, k: u32, n: u32) -> f32 {
  let N = pu(1u); let K = pu(2u);
  return in_b[select(0u, z, pu(${E + 1}u) != 0u) * K * N + ${bIndex}];
}
fn out_index(m: u32, n: u32) -> u32 { return m * pu(1u) + n; }
`;
}

/** The `matmul` kernel: a [Ba, M, K] (or [Ba, K, M]) times b [Bb, K, N] (or [Bb, N, K]) → [B, M, N]. */
export function matmul(
  gpu: GpuContext,
  inputs: readonly TensorInfo[],
  attrs: KernelAttrs['matmul'],
  out: OutSpec,
) {
  const [ia, ib] = inputs as [TensorInfo, TensorInfo];
  const rank = out.shape.length;
  const m = out.shape[rank - 2] as number;
  const n = out.shape[rank - 1] as number;
  const batch = out.size / (m * n);
  const k = attrs.transposeA
    ? (ia.shape[ia.shape.length - 2] as number)
    : (ia.shape[ia.shape.length - 1] as number);
  const batchA = ia.size / (m * k);
  const batchB = ib.size / (k * n);
  return runGemm(gpu, {
    key: `matmul/${attrs.transposeA ? 't' : 'n'}${attrs.transposeB ? 't' : 'n'}`,
    helpers: helpers(attrs.transposeA, attrs.transposeB),
    aContiguous: attrs.transposeA ? 'm' : 'k',
    bContiguous: attrs.transposeB ? 'k' : 'n',
    a: gpu.input(ia),
    b: gpu.input(ib),
    m,
    n,
    k,
    batch,
    outSize: m * n,
    extra: [batchA > 1 ? 1 : 0, batchB > 1 ? 1 : 0],
  });
}
