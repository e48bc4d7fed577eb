/**
 * Creating the backend: find a `GPU` (the caller's, `navigator.gpu`, or in Node the `webgpu` package's
 * Dawn), ask for an adapter and a device with the few limits the backend raises, and check that the adapter
 * is a real one.
 */
import { BackendError } from '@myelin/core';
import { type AdapterDescription, WebGpuBackend } from './backend.js';
import type { GemmStrategy } from './context.js';

/**
 * A `GPU` (`navigator.gpu`, or Dawn's from the `webgpu` package), described by the one method the backend
 * calls, so that this package's declarations need no WebGPU types: any `GPU` fits.
 */
export interface GpuProvider {
  requestAdapter(options?: { powerPreference?: GpuPowerPreference }): Promise<unknown>;
}

/** WebGPU's `GPUPowerPreference`. */
export type GpuPowerPreference = 'low-power' | 'high-performance';

/** Options of `createWebGpuBackend`. */
export interface WebGpuBackendOptions {
  /** The `GPU` to use; default `navigator.gpu`, else (in Node) Dawn from the `webgpu` package. */
  readonly gpu?: GpuProvider;
  /** Adapter preference passed to `requestAdapter` (default `high-performance`). */
  readonly powerPreference?: GpuPowerPreference;
  /**
   * Refuse Dawn's `null` adapter (one that runs nothing; see `isNullAdapter`). Default: true with Dawn in
   * Node, false otherwise (browsers may hide what the adapter is for privacy).
   */
  readonly requireRealAdapter?: boolean;
  /** Bytes of freed buffers kept for reuse (default 256 MiB). */
  readonly maxPooledBytes?: number;
  /**
   * How matrix products (matmul, convolutions) run: `shared` (workgroup-memory tiles, for GPUs) or
   * `registers` (no workgroup memory, for software adapters). Default: chosen from the adapter.
   */
  readonly gemm?: GemmStrategy;
  /**
   * Caps workgroups per dispatch dimension below the device's limit (65535), so that tests can
   * exercise the x/y splitting of large dispatches with small tensors.
   */
  readonly maxWorkgroupsPerDimension?: number;
}

interface DawnModule {
  create(flags: string[]): GPU;
}

/**
 * Dawn's `GPU` object for this process. Node crashes or hangs if it is garbage-collected while a device
 * lives, so it is made once and kept here for the life of the process; every backend reuses it.
 */
let dawnGpu: GPU | undefined;

async function dawn(): Promise<GPU> {
  if (dawnGpu) return dawnGpu;
  // A variable specifier, so that bundlers for the browser do not try to include a Node addon.
  const specifier = 'webgpu';
  let mod: DawnModule;
  try {
    mod = (await import(/* @vite-ignore */ specifier)) as DawnModule;
  } catch (e) {
    throw new BackendError(
      'webgpu',
      `no WebGPU here: navigator.gpu is missing and the 'webgpu' package could not be loaded (${(e as Error).message})`,
    );
  }
  dawnGpu = mod.create(['backend=vulkan']);
  return dawnGpu;
}

/**
 * Whether an adapter is Dawn's `null` one, which accepts work and runs none. Dawn names it by its device
 * (`null-backend`) and reports no vendor or architecture. A real adapter may lack an architecture too:
 * Dawn reports NVIDIA's H200 as vendor `nvidia`, device `nvidia-h200`, architecture '' (seen on a real
 * one), so the vendor and device decide, not the architecture alone.
 *
 * @example
 * ```ts
 * isNullAdapter({ vendor: '', architecture: '', device: 'null-backend', description: '', isFallback: false }); // true
 * isNullAdapter({ vendor: 'nvidia', architecture: '', device: 'nvidia-h200', description: 'NVIDIA: 580.159.04', isFallback: false }); // false
 * ```
 */
export function isNullAdapter(a: AdapterDescription): boolean {
  if (a.device === 'null-backend') return true;
  return a.vendor === '' && a.architecture === '' && a.device === '' && a.description === '';
}

function describeAdapter(adapter: GPUAdapter): AdapterDescription {
  const info = adapter.info as GPUAdapterInfo & { isFallbackAdapter?: boolean };
  const legacy = (adapter as GPUAdapter & { isFallbackAdapter?: boolean }).isFallbackAdapter;
  return {
    vendor: info?.vendor ?? '',
    architecture: info?.architecture ?? '',
    device: info?.device ?? '',
    description: info?.description ?? '',
    isFallback: Boolean(info?.isFallbackAdapter ?? legacy),
  };
}

/**
 * The only limits requested above WebGPU's defaults, each as the adapter's value capped at what the
 * backend can use: bigger tensors (a tensor is one buffer bound whole as storage), more workgroups per
 * dispatch dimension, and storage bindings for kernels (plugins' included) of up to 8 inputs plus the
 * output and the params block (the defaults allow 6 inputs; the built-in kernels use at most 3).
 *
 * Requesting less does not silence Dawn's `maxDynamic...BuffersPerPipelineLayout artificially reduced`
 * warnings in Node: Dawn prints them while it lists adapters (inside `requestAdapter`), when a Vulkan
 * driver reports more dynamic buffers than Dawn supports (lavapipe reports 1,000,000); see README.
 */
const WANTED_LIMITS: Readonly<Record<string, number>> = {
  maxStorageBufferBindingSize: Number.POSITIVE_INFINITY,
  maxBufferSize: Number.POSITIVE_INFINITY,
  maxComputeWorkgroupsPerDimension: Number.POSITIVE_INFINITY,
  maxStorageBuffersPerShaderStage: 10,
};

/** `WANTED_LIMITS` clamped to the adapter's values (limits the adapter does not report are left out). */
export function requiredLimits(adapterLimits: GPUSupportedLimits): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, wanted] of Object.entries(WANTED_LIMITS)) {
    const supported = (adapterLimits as unknown as Record<string, unknown>)[name];
    if (typeof supported === 'number') out[name] = Math.min(supported, wanted);
  }
  return out;
}

/**
 * Creates a WebGPU backend. In browsers it uses `navigator.gpu`; in Node, Dawn from the npm package
 * `webgpu` (on a machine without a GPU, Mesa's lavapipe gives a real software adapter: see README).
 * Fails with a `BackendError` whose message ends in `no adapter` when there is none.
 *
 * @example
 * ```ts
 * const backend = await createWebGpuBackend();
 * console.log(backend.describeSelf()); // webgpu: mesa software (llvmpipe ...), software fallback
 * registerBackend('webgpu', createWebGpuBackend, { priority: 3 });
 * ```
 */
export async function createWebGpuBackend(options: WebGpuBackendOptions = {}): Promise<WebGpuBackend> {
  let gpu = options.gpu as GPU | undefined;
  let viaDawn = false;
  if (!gpu) {
    const nav = (globalThis as { navigator?: { gpu?: GPU } }).navigator;
    if (nav?.gpu) {
      gpu = nav.gpu;
    } else {
      gpu = await dawn();
      viaDawn = true;
    }
  }
  const adapter = await gpu.requestAdapter({
    powerPreference: options.powerPreference ?? 'high-performance',
  });
  if (!adapter) throw new BackendError('webgpu', 'no adapter');
  const description = describeAdapter(adapter);
  if ((options.requireRealAdapter ?? viaDawn) && isNullAdapter(description)) {
    throw new BackendError(
      'webgpu',
      'no adapter (the only adapter found is a null adapter that runs nothing; in Node install a Vulkan driver such as lavapipe and set VK_DRIVER_FILES)',
    );
  }
  let device: GPUDevice;
  try {
    device = await adapter.requestDevice({ requiredLimits: requiredLimits(adapter.limits), label: 'myelin' });
  } catch (e) {
    throw new BackendError('webgpu', `requestDevice failed: ${(e as Error).message}`);
  }
  return new WebGpuBackend({
    device,
    adapter: description,
    keepAlive: gpu,
    ...(options.maxPooledBytes !== undefined ? { maxPooledBytes: options.maxPooledBytes } : {}),
    ...(options.gemm !== undefined ? { gemm: options.gemm } : {}),
    ...(options.maxWorkgroupsPerDimension !== undefined
      ? { maxWorkgroupsPerDimension: options.maxWorkgroupsPerDimension }
      : {}),
  });
}
