/**
 * `where(cond, a, b)` with three-way broadcasting. It only moves 32-bit words, so one pipeline serves
 * every dtype.
 */
import type { KernelAttrs, OutSpec, TensorInfo } from '@myelin/core';
import type { GpuContext } from '../context.js';
import { COMMON, declareBindings, linearGrid, main1d, WG } from '../wgsl.js';
import { broadcastIndices, planBroadcast } from './binary.js';

/** The `where` kernel. */
export function where(
  gpu: GpuContext,
  inputs: readonly TensorInfo[],
  _attrs: KernelAttrs['where'],
  out: OutSpec,
) {
  const [ic, ia, ib] = inputs as [TensorInfo, TensorInfo, TensorInfo];
  const operands = [gpu.input(ic), gpu.input(ia), gpu.input(ib)];
  const plan = planBroadcast([ic.shape, ia.shape, ib.shape], out.shape, out.size);
  const y = gpu.alloc(out.dtype, out.size);
  gpu.dispatch({
    key: `where/${plan.mode}`,
    source: () =>
      declareBindings(
        [
          { name: 'conds', type: 'u32' },
          { name: 'lhs', type: 'u32' },
          { name: 'rhs', type: 'u32' },
        ],
        { name: 'ys', type: 'u32' },
      ) +
      COMMON +
      main1d(`${broadcastIndices(plan.mode, 3)}\n  ys[i] = select(rhs[idx2], lhs[idx1], conds[idx0] != 0u);`),
    inputs: operands,
    output: y,
    params: plan.params,
    grid: linearGrid(Math.ceil(out.size / WG), gpu.maxWorkgroupsPerDim),
  });
  return y;
}
