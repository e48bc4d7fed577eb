/** oneHot: `on` where the last coordinate equals the index, `off` elsewhere (out-of-range → all off). */
import type { KernelAttrs, OutSpec, TensorInfo } from '@myelin/core';
import type { GpuContext } from '../context.js';
import { ParamWriter } from '../params.js';
import { COMMON, declareBindings, linearGrid, main1d, WG } from '../wgsl.js';

/** The `oneHot` kernel: indices (int32) → float32 of indices.shape ++ [depth]. */
export function oneHot(
  gpu: GpuContext,
  inputs: readonly TensorInfo[],
  attrs: KernelAttrs['oneHot'],
  out: OutSpec,
) {
  const y = gpu.alloc(out.dtype, out.size);
  gpu.dispatch({
    key: 'oneHot',
    source: () =>
      declareBindings([{ name: 'idx', type: 'i32' }], { name: 'ys', type: 'f32' }) +
      COMMON +
      main1d(`  let depth = pu(1u);
  ys[i] = select(pf(3u), pf(2u), idx[i / depth] == i32(i % depth));`),
    inputs: [gpu.input(inputs[0] as TensorInfo)],
    output: y,
    params: new ParamWriter().u32(out.size).u32(attrs.depth).f32(attrs.on).f32(attrs.off).finish(),
    grid: linearGrid(Math.ceil(out.size / WG), gpu.maxWorkgroupsPerDim),
  });
  return y;
}
