/**
 * The WebGPU backend: tensors live in GPU buffers, kernels are WGSL compute shaders, and reading is the
 * only moment data comes back. Work is recorded into one command encoder and submitted in batches
 * (every `FLUSH_EVERY` dispatches, and before any read), which costs far less than a submit per kernel.
 */
import {
  type Backend,
  BackendError,
  type BackendMemory,
  type DataId,
  type DType,
  type KernelImpl,
  type KernelTable,
  type TensorInfo,
  type TypedArray,
} from '@myelin/core';
import { BufferPool, type PoolStats } from './buffer-pool.js';
import type { DispatchSpec, GemmStrategy, GpuContext } from './context.js';
import { GpuTensor } from './gpu-tensor.js';
import { createKernelTable } from './kernels/index.js';

// GPUBufferUsage / GPUMapMode / GPUShaderStage values, spelled out so that nothing depends on the
// WebGPU globals being installed (Node's `webgpu` package does not install them by itself).
const USAGE_MAP_READ = 0x0001;
const USAGE_COPY_SRC = 0x0004;
const USAGE_COPY_DST = 0x0008;
const USAGE_STORAGE = 0x0080;
const MAP_READ = 0x0001;
const STAGE_COMPUTE = 0x4;

/** Dispatches recorded before a submit. */
const FLUSH_EVERY = 64;
/** Bytes of params for one batch of dispatches. */
const PARAMS_ARENA_BYTES = 64 * 1024;
/** The params window each dispatch binds (a dynamic offset moves it through the arena). */
const PARAMS_WINDOW_BYTES = 512;
/** Bind groups kept for reuse before the cache starts over. */
const MAX_BIND_GROUPS = 4096;

/** What the adapter says about itself. */
export interface AdapterDescription {
  readonly vendor: string;
  readonly architecture: string;
  readonly device: string;
  readonly description: string;
  /** Whether the adapter is a software fallback (lavapipe, SwiftShader). */
  readonly isFallback: boolean;
}

/** Options of a backend built around a device that already exists (see `createWebGpuBackend`). */
export interface WebGpuBackendInit {
  /**
   * The `GPUDevice` to run on. Typed `unknown` so that this package's declarations need no WebGPU types
   * (see README, "TypeScript"); pass a `GPUDevice`.
   */
  readonly device: unknown;
  readonly adapter: AdapterDescription;
  /** Objects that must stay referenced as long as the device lives (the Dawn `GPU` object). */
  readonly keepAlive?: unknown;
  /** Bytes of freed buffers the pool keeps for reuse (default 256 MiB). */
  readonly maxPooledBytes?: number;
  /** Matrix-product strategy; default: `registers` on software adapters, `shared` on GPUs. */
  readonly gemm?: GemmStrategy;
  /** A lower cap on workgroups per dispatch dimension (tests of dispatch splitting). */
  readonly maxWorkgroupsPerDimension?: number;
}

/** Whether an adapter runs on the CPU (lavapipe/llvmpipe, SwiftShader, WARP). */
export function isSoftwareAdapter(a: AdapterDescription): boolean {
  const text = `${a.vendor} ${a.architecture} ${a.device} ${a.description}`.toLowerCase();
  return (
    a.isFallback || a.architecture === 'software' || /llvmpipe|lavapipe|swiftshader|warp|software/.test(text)
  );
}

/** The bind-group layout and pipeline layout shared by every kernel with the same number of inputs. */
interface SharedLayout {
  readonly bindGroup: GPUBindGroupLayout;
  readonly pipeline: GPUPipelineLayout;
}

/**
 * Params of the dispatches of one batch, gathered on the CPU and written to the GPU with one
 * `writeBuffer` just before the batch is submitted. Each dispatch binds its own aligned slice.
 */
class ParamsArena {
  private readonly cpu = new Uint32Array(PARAMS_ARENA_BYTES / 4);
  private used = 0;
  readonly buffer: GPUBuffer;

  constructor(
    device: GPUDevice,
    private readonly alignment: number,
  ) {
    this.buffer = device.createBuffer({
      size: PARAMS_ARENA_BYTES,
      usage: USAGE_STORAGE | USAGE_COPY_DST,
      label: 'myelin params',
    });
  }

  /** Whether `bytes` more fit in this batch (with room for a whole window at the offset). */
  fits(bytes: number): boolean {
    return this.aligned(this.used) + Math.max(bytes, PARAMS_WINDOW_BYTES) <= PARAMS_ARENA_BYTES;
  }

  /** Stores `words`; returns their byte offset in the buffer. */
  push(words: Uint32Array): number {
    const offset = this.aligned(this.used);
    this.cpu.set(words, offset / 4);
    this.used = offset + words.byteLength;
    return offset;
  }

  /** Writes this batch's params to the GPU (queued before the batch's submit) and starts a new batch. */
  upload(queue: GPUQueue): void {
    if (this.used > 0) queue.writeBuffer(this.buffer, 0, this.cpu, 0, Math.ceil(this.used / 4));
    this.used = 0;
  }

  private aligned(n: number): number {
    return Math.ceil(n / this.alignment) * this.alignment;
  }
}

/**
 * A Myelin backend on WebGPU. Create it with `createWebGpuBackend()`.
 *
 * @example
 * ```ts
 * import { registerBackend, setBackend } from '@myelin/core';
 * import { createWebGpuBackend } from '@myelin/backend-webgpu';
 * registerBackend('webgpu', () => createWebGpuBackend(), { priority: 3 });
 * await setBackend('webgpu');
 * ```
 */
export class WebGpuBackend implements Backend, GpuContext {
  readonly name = 'webgpu';
  readonly kernels: KernelTable;
  readonly extraKernels = new Map<string, KernelImpl>();
  readonly adapter: AdapterDescription;
  readonly maxWorkgroupsPerDim: number;
  readonly gemm: GemmStrategy;
  private readonly gpuDevice: GPUDevice;
  private readonly maxBindingBytes: number;
  private readonly keepAlive: unknown;
  private readonly pool: BufferPool;
  private readonly staging: BufferPool;
  private readonly params: ParamsArena;
  private readonly pipelines = new Map<string, GPUComputePipeline>();
  private readonly layouts: SharedLayout[] = [];
  /**
   * Bind groups by (input count, buffers): creating one costs ~60 µs in Dawn, more than the rest of a
   * small dispatch, and a training loop binds the same pooled buffers step after step.
   */
  private readonly bindGroups = new Map<string, GPUBindGroup>();
  /** The cache keys that mention each buffer, to drop them when the buffer is destroyed. */
  private readonly bindGroupsOf = new Map<GPUBuffer, string[]>();
  private readonly bufferIds = new WeakMap<GPUBuffer, number>();
  private nextBufferId = 1;
  private encoder: GPUCommandEncoder | null = null;
  private pass: GPUComputePassEncoder | null = null;
  private pendingDispatches = 0;
  /** Buffers used by recorded, not yet submitted work: an upload into one of them must submit first. */
  private readonly pendingBuffers = new Set<GPUBuffer>();
  private liveBuffers = 0;
  private liveBytes = 0;
  private lostReason: string | null = null;
  private disposed = false;
  private readonly errors: string[] = [];

  constructor(init: WebGpuBackendInit) {
    const device = init.device as GPUDevice;
    this.gpuDevice = device;
    this.adapter = init.adapter;
    this.keepAlive = init.keepAlive;
    const limits = device.limits;
    this.maxWorkgroupsPerDim = Math.min(
      limits.maxComputeWorkgroupsPerDimension,
      init.maxWorkgroupsPerDimension ?? Number.POSITIVE_INFINITY,
    );
    this.gemm = init.gemm ?? (isSoftwareAdapter(init.adapter) ? 'registers' : 'shared');
    this.maxBindingBytes = Math.min(limits.maxStorageBufferBindingSize, limits.maxBufferSize);
    const pooled = init.maxPooledBytes ?? 256 * 1024 * 1024;
    this.pool = new BufferPool(
      device,
      USAGE_STORAGE | USAGE_COPY_SRC | USAGE_COPY_DST,
      pooled,
      'myelin tensor',
      (buffer) => this.forgetBindGroups(buffer),
    );
    this.staging = new BufferPool(
      device,
      USAGE_MAP_READ | USAGE_COPY_DST,
      64 * 1024 * 1024,
      'myelin readback',
    );
    this.params = new ParamsArena(device, limits.minStorageBufferOffsetAlignment);
    this.kernels = createKernelTable(this);
    device.lost.then((info) => {
      if (!this.disposed) this.lostReason = `${info.reason}: ${info.message}`;
    });
    device.onuncapturederror = (event) => {
      if (this.errors.length < 16) this.errors.push(event.error.message);
    };
  }

  /**
   * The `GPUDevice` this backend runs on, typed `unknown` so that the declarations need no WebGPU types:
   * `backend.device as GPUDevice`.
   */
  get device(): unknown {
    return this.gpuDevice;
  }

  /** Whether the device was lost (a lost backend throws on every call; create a new one). */
  get isLost(): boolean {
    return this.lostReason !== null;
  }

  // ---------------------------------------------------------------- Backend: storage

  upload(values: TypedArray, dtype: DType): DataId {
    this.assertUsable('upload');
    const t = this.alloc(dtype, values.length);
    if (values.length > 0) {
      if (this.pendingBuffers.has(t.buffer)) this.flush();
      const words = dtype === 'bool' ? Uint32Array.from(values as Uint8Array) : values;
      this.gpuDevice.queue.writeBuffer(
        t.buffer,
        0,
        words as Float32Array | Int32Array | Uint32Array,
        0,
        values.length,
      );
    }
    return t;
  }

  async read(dataId: DataId): Promise<TypedArray> {
    this.assertUsable('read');
    const t = this.own(dataId, 'read');
    const bytes = t.byteLength;
    if (bytes === 0) return emptyOf(t.dtype);
    const staging = this.staging.acquire(bytes);
    this.endPass();
    this.commandEncoder().copyBufferToBuffer(t.buffer, 0, staging, 0, bytes);
    this.flush();
    try {
      await staging.mapAsync(MAP_READ, 0, bytes);
    } catch (e) {
      this.throwIfLost('read');
      throw new BackendError('webgpu', `read: mapping the readback buffer failed: ${(e as Error).message}`);
    }
    const copy = staging.getMappedRange(0, bytes).slice(0);
    staging.unmap();
    this.staging.release(staging);
    this.throwErrors('read');
    if (t.dtype === 'float32') return new Float32Array(copy);
    if (t.dtype === 'int32') return new Int32Array(copy);
    return Uint8Array.from(new Uint32Array(copy));
  }

  describe(dataId: DataId): { dtype: DType; size: number } {
    const t = this.own(dataId, 'describe');
    return { dtype: t.dtype, size: t.size };
  }

  free(dataId: DataId): void {
    const t = this.own(dataId, 'free');
    this.release(t);
  }

  /** Live tensors' buffers and their bytes as the contract counts them (bool: 1 byte per element). */
  memory(): BackendMemory {
    return { buffers: this.liveBuffers, bytes: this.liveBytes };
  }

  /** The buffer pool: live and waiting buffers (GPU bytes, by size class), hits and misses. */
  poolStats(): PoolStats & { pipelines: number; bindGroups: number } {
    return { ...this.pool.stats(), pipelines: this.pipelines.size, bindGroups: this.bindGroups.size };
  }

  async sync(): Promise<void> {
    this.assertUsable('sync');
    this.flush();
    await this.gpuDevice.queue.onSubmittedWorkDone();
    this.throwIfLost('sync');
    this.throwErrors('sync');
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.encoder = null;
    this.pass = null;
    this.pool.drain();
    this.staging.drain();
    this.pipelines.clear();
    this.bindGroups.clear();
    this.bindGroupsOf.clear();
    this.gpuDevice.destroy();
    // The Dawn GPU object (keepAlive) is module-level in create.ts and outlives this backend.
    void this.keepAlive;
  }

  describeSelf(): string {
    const a = this.adapter;
    return `webgpu: ${a.vendor || 'unknown vendor'} ${a.architecture || 'unknown architecture'} (${a.description || a.device || 'no description'})${a.isFallback ? ', software fallback' : ''}, ${this.gemm} gemm`;
  }

  // ---------------------------------------------------------------- GpuContext: what kernels use

  input(info: TensorInfo): GpuTensor {
    return this.own(info.dataId, 'kernel');
  }

  alloc(dtype: DType, size: number): GpuTensor {
    this.assertUsable('alloc');
    const bytes = Math.max(size * 4, 4);
    if (bytes > this.maxBindingBytes) {
      throw new BackendError(
        'webgpu',
        `a tensor of ${size} elements (${bytes} bytes) exceeds this device's largest storage binding (${this.maxBindingBytes} bytes)`,
      );
    }
    const t = new GpuTensor(this.pool.acquire(bytes), dtype, size, this);
    this.liveBuffers++;
    this.liveBytes += size * (dtype === 'bool' ? 1 : 4);
    return t;
  }

  release(t: GpuTensor): void {
    if (t.freed) throw new BackendError('webgpu', 'free: buffer freed twice');
    t.freed = true;
    this.liveBuffers--;
    this.liveBytes -= t.size * (t.dtype === 'bool' ? 1 : 4);
    if (!this.disposed) this.pool.release(t.buffer);
  }

  dispatch(spec: DispatchSpec): void {
    this.assertUsable('dispatch');
    if (spec.params.byteLength > PARAMS_WINDOW_BYTES) {
      throw new BackendError(
        'webgpu',
        `${spec.key}: ${spec.params.byteLength} bytes of params exceed ${PARAMS_WINDOW_BYTES}`,
      );
    }
    const pipeline = this.pipeline(spec.key, spec.inputs.length, spec.source);
    if (!this.params.fits(spec.params.byteLength)) this.flush();
    const offset = this.params.push(spec.params);
    const pass = this.computePass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, this.bindGroup(spec.inputs, spec.output), [offset]);
    pass.dispatchWorkgroups(spec.grid[0], spec.grid[1], spec.grid[2]);
    for (const t of spec.inputs) this.pendingBuffers.add(t.buffer);
    this.pendingBuffers.add(spec.output.buffer);
    if (++this.pendingDispatches >= FLUSH_EVERY) this.flush();
  }

  copy(src: GpuTensor, dst: GpuTensor, elements: number, srcOffset = 0, dstOffset = 0): void {
    this.assertUsable('copy');
    if (elements === 0) return;
    this.endPass();
    this.commandEncoder().copyBufferToBuffer(
      src.buffer,
      srcOffset * 4,
      dst.buffer,
      dstOffset * 4,
      elements * 4,
    );
    this.pendingBuffers.add(src.buffer);
    this.pendingBuffers.add(dst.buffer);
  }

  /** Submits the recorded work. */
  flush(): void {
    if (!this.encoder || this.disposed) return;
    this.endPass();
    this.params.upload(this.gpuDevice.queue);
    this.gpuDevice.queue.submit([this.encoder.finish()]);
    this.encoder = null;
    this.pendingDispatches = 0;
    this.pendingBuffers.clear();
  }

  // ---------------------------------------------------------------- internals

  /** The layouts of kernels with `inputs` inputs (bindings: inputs, output, params window). */
  private layout(inputs: number): SharedLayout {
    const hit = this.layouts[inputs];
    if (hit) return hit;
    const entries: GPUBindGroupLayoutEntry[] = [];
    for (let i = 0; i < inputs; i++) {
      entries.push({ binding: i, visibility: STAGE_COMPUTE, buffer: { type: 'read-only-storage' } });
    }
    entries.push({ binding: inputs, visibility: STAGE_COMPUTE, buffer: { type: 'storage' } });
    entries.push({
      binding: inputs + 1,
      visibility: STAGE_COMPUTE,
      buffer: { type: 'read-only-storage', hasDynamicOffset: true },
    });
    const bindGroup = this.gpuDevice.createBindGroupLayout({ entries, label: `myelin ${inputs} inputs` });
    const layout = {
      bindGroup,
      pipeline: this.gpuDevice.createPipelineLayout({ bindGroupLayouts: [bindGroup] }),
    };
    this.layouts[inputs] = layout;
    return layout;
  }

  /** The pipeline of a kernel variant, compiled on first use. */
  private pipeline(key: string, inputs: number, source: () => string): GPUComputePipeline {
    const hit = this.pipelines.get(key);
    if (hit) return hit;
    this.gpuDevice.pushErrorScope('validation');
    const module = this.gpuDevice.createShaderModule({ code: source(), label: key });
    const pipeline = this.gpuDevice.createComputePipeline({
      layout: this.layout(inputs).pipeline,
      compute: { module, entryPoint: 'main' },
      label: key,
    });
    void this.gpuDevice.popErrorScope().then((error) => {
      if (error && this.errors.length < 16) this.errors.push(`pipeline '${key}': ${error.message}`);
    });
    this.pipelines.set(key, pipeline);
    return pipeline;
  }

  /** A bind group for these buffers, from the cache when the same buffers were bound before. */
  private bindGroup(inputs: readonly GpuTensor[], output: GpuTensor): GPUBindGroup {
    const buffers = [...inputs.map((t) => t.buffer), output.buffer];
    const key = buffers.map((b) => this.bufferId(b)).join(',');
    const hit = this.bindGroups.get(key);
    if (hit) return hit;
    if (this.bindGroups.size >= MAX_BIND_GROUPS) {
      this.bindGroups.clear();
      this.bindGroupsOf.clear();
    }
    const entries: GPUBindGroupEntry[] = buffers.map((buffer, i) => ({ binding: i, resource: { buffer } }));
    entries.push({
      binding: buffers.length,
      resource: { buffer: this.params.buffer, offset: 0, size: PARAMS_WINDOW_BYTES },
    });
    const group = this.gpuDevice.createBindGroup({ layout: this.layout(inputs.length).bindGroup, entries });
    this.bindGroups.set(key, group);
    for (const b of buffers) {
      const keys = this.bindGroupsOf.get(b);
      if (keys) keys.push(key);
      else this.bindGroupsOf.set(b, [key]);
    }
    return group;
  }

  private bufferId(buffer: GPUBuffer): number {
    let id = this.bufferIds.get(buffer);
    if (id === undefined) {
      id = this.nextBufferId++;
      this.bufferIds.set(buffer, id);
    }
    return id;
  }

  /** Drops the cached bind groups of a buffer that is being destroyed. */
  private forgetBindGroups(buffer: GPUBuffer): void {
    const keys = this.bindGroupsOf.get(buffer);
    if (!keys) return;
    for (const k of keys) this.bindGroups.delete(k);
    this.bindGroupsOf.delete(buffer);
  }

  private commandEncoder(): GPUCommandEncoder {
    if (!this.encoder) this.encoder = this.gpuDevice.createCommandEncoder();
    return this.encoder;
  }

  private computePass(): GPUComputePassEncoder {
    if (!this.pass) this.pass = this.commandEncoder().beginComputePass();
    return this.pass;
  }

  private endPass(): void {
    if (this.pass) {
      this.pass.end();
      this.pass = null;
    }
  }

  private own(dataId: DataId, op: string): GpuTensor {
    if (!(dataId instanceof GpuTensor) || dataId.owner !== this) {
      throw new BackendError('webgpu', `${op}: not a buffer of this WebGPU backend`);
    }
    if (dataId.freed) throw new BackendError('webgpu', `${op}: buffer already freed`);
    return dataId;
  }

  private assertUsable(op: string): void {
    if (this.disposed) throw new BackendError('webgpu', `${op}: the backend was disposed`);
    this.throwIfLost(op);
  }

  private throwIfLost(op: string): void {
    if (this.lostReason !== null) {
      throw new BackendError(
        'webgpu',
        `${op}: the GPU device was lost (${this.lostReason}); create a new backend with createWebGpuBackend()`,
      );
    }
  }

  private throwErrors(op: string): void {
    if (this.errors.length === 0) return;
    const messages = this.errors.splice(0);
    throw new BackendError(
      'webgpu',
      `${op}: the GPU reported ${messages.length} error(s): ${messages.join(' | ')}`,
    );
  }
}

function emptyOf(dtype: DType): TypedArray {
  if (dtype === 'float32') return new Float32Array(0);
  if (dtype === 'int32') return new Int32Array(0);
  return new Uint8Array(0);
}
