/**
 * The adapter check: create the WebGPU backend as any user would (`createWebGpuBackend()`, which in Node
 * loads Dawn from the `webgpu` package with its Vulkan backend), describe the adapter, and refuse a software
 * one unless the run allows it — a software adapter on the GPU machine means the NVIDIA driver was not used.
 */
import { createWebGpuBackend, isSoftwareAdapter, type WebGpuBackend } from '@myelin/backend-webgpu';

/** What the report says about the adapter. */
export interface AdapterReport {
  readonly vendor: string;
  readonly architecture: string;
  readonly device: string;
  readonly description: string;
  readonly isFallback: boolean;
  readonly software: boolean;
  /** The backend's own one-line description (includes the GEMM strategy it chose). */
  readonly backend: string;
  /** A few device limits that bound what the kernels can do. */
  readonly limits: Record<string, number>;
  /** Milliseconds from `createWebGpuBackend()` to a device. */
  readonly createMs: number;
}

const LIMITS_SHOWN = [
  'maxBufferSize',
  'maxStorageBufferBindingSize',
  'maxComputeWorkgroupsPerDimension',
  'maxComputeInvocationsPerWorkgroup',
  'maxComputeWorkgroupStorageSize',
  'maxStorageBuffersPerShaderStage',
] as const;

/** Creates a backend, describes its adapter and disposes it again. */
export async function probeAdapter(): Promise<AdapterReport> {
  const t0 = performance.now();
  const backend: WebGpuBackend = await createWebGpuBackend();
  const createMs = performance.now() - t0;
  try {
    const a = backend.adapter;
    const deviceLimits = (backend.device as { limits?: Record<string, unknown> }).limits ?? {};
    const limits: Record<string, number> = {};
    for (const name of LIMITS_SHOWN) {
      const v = deviceLimits[name];
      if (typeof v === 'number') limits[name] = v;
    }
    return {
      vendor: a.vendor,
      architecture: a.architecture,
      device: a.device,
      description: a.description,
      isFallback: a.isFallback,
      software: isSoftwareAdapter(a),
      backend: backend.describeSelf(),
      limits,
      createMs,
    };
  } finally {
    await backend.dispose();
  }
}
