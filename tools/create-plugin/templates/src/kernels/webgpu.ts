/**
 * The WGSL kernel for `@myelin/backend-webgpu`, through its dispatch hook (`input`, `alloc`, `dispatch`).
 * Binding layout: inputs at 0..k-1 (read-only storage), the output at k, u32 params at k+1.
 */
import type { DataId, DType, KernelImpl, TensorInfo } from '@myelin/core';
import { PLUGIN_NAME } from '../ops.js';

interface GpuKernelHost {
  readonly maxWorkgroupsPerDim: number;
  input(info: TensorInfo): DataId;
  alloc(dtype: DType, size: number): DataId;
  release(buffer: DataId): void;
  dispatch(spec: {
    key: string;
    source: () => string;
    inputs: readonly DataId[];
    output: DataId;
    params: Uint32Array;
    grid: readonly [number, number, number];
  }): void;
}

const WG = 256;

const SOURCE = /* wgsl */ `
@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
@group(0) @binding(2) var<storage, read> params: array<u32>;

@compute @workgroup_size(${WG})
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u,
        @builtin(local_invocation_index) lid: u32) {
  let i = (wid.y * nwg.x + wid.x) * ${WG}u + lid;
  if (i >= params[0]) { return; }
  out[i] = x[i] / (1.0 + abs(x[i]));
}
`;

/** Workgroups over x and y: one dimension holds at most `maxPerDim` (65535). */
function grid(size: number, maxPerDim: number): [number, number, number] {
  const groups = Math.max(1, Math.ceil(size / WG));
  if (groups <= maxPerDim) return [groups, 1, 1];
  const y = Math.ceil(groups / maxPerDim);
  return [Math.ceil(groups / y), y, 1];
}

/** [x] → op(x). */
export const __OP__WebGpu: KernelImpl = (inputs, _attrs, out, backend) => {
  const gpu = backend as unknown as GpuKernelHost;
  if (typeof gpu.dispatch !== 'function')
    throw new Error(`backend '${backend.name}' has no WebGPU dispatch hook`);
  const y = gpu.alloc('float32', out.size);
  try {
    gpu.dispatch({
      key: `${PLUGIN_NAME}:__OP__`,
      source: () => SOURCE,
      inputs: [gpu.input(inputs[0] as TensorInfo)],
      output: y,
      params: Uint32Array.of(out.size),
      grid: grid(out.size, gpu.maxWorkgroupsPerDim),
    });
  } catch (e) {
    gpu.release(y);
    throw e;
  }
  return y;
};
