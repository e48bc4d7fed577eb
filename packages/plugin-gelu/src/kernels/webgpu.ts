/**
 * WGSL kernels for `@myelin/backend-webgpu`, through the hook its kernels use themselves: the backend
 * (`WebGpuBackend`, which implements its exported `GpuContext` type) hands out input buffers
 * (`input(info)`), allocates outputs (`alloc(dtype, size)`) and queues a compute dispatch
 * (`dispatch({ key, source, inputs, output, params, grid })`, pipelines cached by `key`).
 *
 * The shader must follow the backend's binding layout: inputs at bindings 0..k-1 (read-only storage),
 * the output at k (read-write storage), a block of u32 params at k+1 (read-only storage). The plugin
 * depends on the backend only through this structural type.
 */
import type { Backend, DataId, DType, KernelImpl, TensorInfo } from '@myelin/core';
import { type GeluAttrs, PLUGIN_NAME } from '../ops.js';

/** A buffer of the WebGPU backend, as the plugin sees it. */
type GpuBuffer = DataId;

/** The part of `@myelin/backend-webgpu`'s `GpuContext` this plugin uses. */
interface GpuKernelHost {
  readonly maxWorkgroupsPerDim: number;
  input(info: TensorInfo): GpuBuffer;
  alloc(dtype: DType, size: number): GpuBuffer;
  release(buffer: GpuBuffer): void;
  dispatch(spec: {
    key: string;
    source: () => string;
    inputs: readonly GpuBuffer[];
    output: GpuBuffer;
    params: Uint32Array;
    grid: readonly [number, number, number];
  }): void;
}

/** Threads per workgroup. */
const WG = 256;

function host(backend: Backend): GpuKernelHost {
  const b = backend as unknown as Partial<GpuKernelHost>;
  if (typeof b.dispatch !== 'function' || typeof b.alloc !== 'function' || typeof b.input !== 'function') {
    throw new Error(`backend '${backend.name}' offers no WebGPU dispatch hook (input, alloc, dispatch)`);
  }
  return b as GpuKernelHost;
}

/** Workgroup counts over x and y, for sizes beyond one dimension's limit (65535 workgroups). */
function grid(size: number, maxPerDim: number): [number, number, number] {
  const groups = Math.max(1, Math.ceil(size / WG));
  if (groups <= maxPerDim) return [groups, 1, 1];
  const y = Math.ceil(groups / maxPerDim);
  return [Math.ceil(groups / y), y, 1];
}

/**
 * Float helpers. `exp_f32` is exact to about 1 ulp (WGSL's `exp` only promises 3 + 2|x| ulp): x = n·ln2 + r
 * with ln2 split in two, a degree-7 Taylor series for exp(r), then the exponent in two halves.
 * `erfc_f32` is the same Chebyshev fit as the JavaScript kernels (relative error < 1.2e-7).
 */
const MATH = /* wgsl */ `
fn exp_f32(x: f32) -> f32 {
  if (x > 88.72284) { var inf_bits = 0x7f800000u; return bitcast<f32>(inf_bits); }
  if (x < -103.97208) { return 0.0; }
  let n = round(x * 1.4426950408889634);
  let r = (x - n * 0.693359375) + n * 2.12194440e-4;
  let p = 1.0 + r * (1.0 + r * (1.0 / 2.0 + r * (1.0 / 6.0 + r * (1.0 / 24.0 + r * (1.0 / 120.0
    + r * (1.0 / 720.0 + r * (1.0 / 5040.0)))))));
  let k = i32(n);
  let half = k / 2;
  return ldexp(ldexp(p, half), k - half);
}
fn sigmoid_f32(x: f32) -> f32 {
  let e = exp_f32(-abs(x));
  return select(e / (1.0 + e), 1.0 / (1.0 + e), x >= 0.0);
}
fn erfc_f32(x: f32) -> f32 {
  let z = abs(x);
  let t = 1.0 / (1.0 + 0.5 * z);
  let p = -1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806
    + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  let r = t * exp_f32(-z * z + p);
  return select(2.0 - r, r, x >= 0.0);
}
fn gelu_f32(x: f32, tanh_form: bool) -> f32 {
  if (tanh_form) {
    let u = 0.7978845608028654 * (x + 0.044715 * x * x * x);
    return x * sigmoid_f32(2.0 * u);
  }
  return x * 0.5 * erfc_f32(-x * 0.7071067811865476);
}
fn gelu_grad_f32(x: f32, tanh_form: bool) -> f32 {
  if (tanh_form) {
    let u = 0.7978845608028654 * (x + 0.044715 * x * x * x);
    let s = sigmoid_f32(2.0 * u);
    return s + 0.5 * x * 4.0 * s * (1.0 - s) * 0.7978845608028654 * (1.0 + 3.0 * 0.044715 * x * x);
  }
  return 0.5 * erfc_f32(-x * 0.7071067811865476) + x * 0.3989422804014327 * exp_f32(-0.5 * x * x);
}
`;

/** A 1-D elementwise shader: `params[0]` is the element count, `params[1]` a mode flag. */
function shader(inputs: readonly string[], body: string): string {
  const bindings = inputs.map(
    (name, i) => `@group(0) @binding(${i}) var<storage, read> ${name}: array<f32>;`,
  );
  const k = inputs.length;
  return /* wgsl */ `
${bindings.join('\n')}
@group(0) @binding(${k}) var<storage, read_write> out: array<f32>;
@group(0) @binding(${k + 1}) var<storage, read> params: array<u32>;
${MATH}
@compute @workgroup_size(${WG})
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u,
        @builtin(local_invocation_index) lid: u32) {
  let i = (wid.y * nwg.x + wid.x) * ${WG}u + lid;
  if (i >= params[0]) { return; }
  let tanh_form = params[1] == 1u;
  ${body}
}
`;
}

function elementwise(
  name: string,
  inputNames: readonly string[],
  body: string,
  mode: (attrs: Record<string, unknown>) => number,
): KernelImpl {
  return (inputs, attrs, out, backend) => {
    const gpu = host(backend);
    const buffers = inputs.map((info) => gpu.input(info));
    const y = gpu.alloc('float32', out.size);
    try {
      gpu.dispatch({
        // One key per WGSL source, unique across plugins: the backend compiles and caches a pipeline per key.
        key: `${PLUGIN_NAME}:${name}`,
        source: () => shader(inputNames, body),
        inputs: buffers,
        output: y,
        params: Uint32Array.of(out.size, mode(attrs)),
        grid: grid(out.size, gpu.maxWorkgroupsPerDim),
      });
    } catch (e) {
      gpu.release(y);
      throw e;
    }
    return y;
  };
}

const tanhFlag = (attrs: Record<string, unknown>): number =>
  (attrs as unknown as GeluAttrs).approximate === 'tanh' ? 1 : 0;

/** [x] → gelu(x). */
export const geluWebGpu = elementwise('gelu', ['x'], 'out[i] = gelu_f32(x[i], tanh_form);', tanhFlag);

/** [dy, x] → dy·gelu'(x). */
export const geluGradWebGpu = elementwise(
  'geluGrad',
  ['dy', 'x'],
  'out[i] = dy[i] * gelu_grad_f32(x[i], tanh_form);',
  tanhFlag,
);

/** [x] → x·σ(x). */
export const swishWebGpu = elementwise('swish', ['x'], 'out[i] = x[i] * sigmoid_f32(x[i]);', () => 0);
