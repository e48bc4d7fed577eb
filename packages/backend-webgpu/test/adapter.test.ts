import { afterAll, describe, expect, it } from 'vitest';
import { isNullAdapter, requiredLimits } from '../src/create.js';
import { createWebGpuBackend } from '../src/index.js';
import { backend, bool, disposeBackend, f32, i32, run } from './helpers.js';

afterAll(disposeBackend);

describe('adapter and device', () => {
  it('is a real adapter (architecture not empty) and describes itself', async () => {
    const b = await backend();
    console.log(`[webgpu] ${b.describeSelf()}`);
    console.log(`[webgpu] adapter: ${JSON.stringify(b.adapter)}`);
    expect(b.adapter.architecture).not.toBe('');
    expect(b.describeSelf()).toContain(b.adapter.architecture);
  });

  it('requests only the limits it raises, clamped to the adapter and to what it can use', async () => {
    const adapterLimits = {
      maxStorageBufferBindingSize: 134217728,
      maxBufferSize: 4294967295,
      maxComputeWorkgroupsPerDimension: 65535,
      maxStorageBuffersPerShaderStage: 1000000,
      maxDynamicStorageBuffersPerPipelineLayout: 1000000,
      maxDynamicUniformBuffersPerPipelineLayout: 1000000,
    } as unknown as GPUSupportedLimits;
    expect(requiredLimits(adapterLimits)).toEqual({
      maxStorageBufferBindingSize: 134217728,
      maxBufferSize: 4294967295,
      maxComputeWorkgroupsPerDimension: 65535,
      maxStorageBuffersPerShaderStage: 10,
    });
    const device = (await backend()).device as GPUDevice;
    expect(device.limits.maxStorageBuffersPerShaderStage).toBeGreaterThanOrEqual(8);
    expect(device.limits.maxStorageBuffersPerShaderStage).toBeLessThanOrEqual(10);
    expect(device.limits.maxDynamicStorageBuffersPerPipelineLayout).toBe(4); // the default: not requested
  });
});

describe('storage', () => {
  it('round-trips every dtype, bool through u32 on the GPU', async () => {
    const b = await backend();
    const cases = [
      f32([1.5, -2, 3e30, Number.NaN], [4]),
      i32([1, -2, 2147483647, -2147483648], [4]),
      bool([1, 0, 1], [3]),
    ];
    for (const c of cases) {
      const id = b.upload(c.values, c.dtype);
      const back = await b.read(id);
      expect(back.constructor).toBe(c.values.constructor);
      expect(Array.from(back)).toEqual(Array.from(c.values));
      b.free(id);
    }
  });

  it('reads an empty buffer', async () => {
    const b = await backend();
    const id = b.upload(new Float32Array(0), 'float32');
    expect((await b.read(id)).length).toBe(0);
    b.free(id);
  });

  it('counts live buffers and bytes (contract bytes: bool is 1 byte), pooled buffers apart', async () => {
    const b = await backend();
    const base = b.memory();
    const a = b.upload(new Float32Array(10), 'float32');
    const c = b.upload(new Uint8Array(7), 'bool');
    expect(b.memory()).toEqual({ buffers: base.buffers + 2, bytes: base.bytes + 40 + 7 });
    b.free(a);
    b.free(c);
    expect(b.memory()).toEqual(base);
    const stats = b.poolStats();
    expect(stats.freeBuffers).toBeGreaterThanOrEqual(1);
    const hits = stats.hits;
    const again = b.upload(new Float32Array(12), 'float32');
    expect(b.poolStats().hits).toBe(hits + 1);
    b.free(again);
  });

  it('refuses a double free and a foreign id', async () => {
    const b = await backend();
    const a = b.upload(new Float32Array(2), 'float32');
    b.free(a);
    expect(() => b.free(a)).toThrow(/already freed/);
    expect(() => b.describe({})).toThrow(/not a buffer of this WebGPU backend/);
  });

  it('an upload into a reused buffer does not overtake queued kernels', async () => {
    const b = await backend();
    // x is read by a queued kernel, freed, and its buffer reused by an upload before any submit.
    const x = b.upload(new Float32Array([1, 2, 3, 4]), 'float32');
    const info = { dataId: x, shape: [4], dtype: 'float32' as const, size: 4 };
    const y = b.kernels.unary([info], { op: 'neg' }, { shape: [4], dtype: 'float32', size: 4 }, b);
    b.free(x);
    const z = b.upload(new Float32Array([9, 9, 9, 9]), 'float32');
    expect(Array.from(await b.read(y))).toEqual([-1, -2, -3, -4]);
    expect(Array.from(await b.read(z))).toEqual([9, 9, 9, 9]);
    b.free(y);
    b.free(z);
  });

  it('caches pipelines: a second run compiles nothing', async () => {
    const b = await backend();
    await run('unary', [f32([1, 2], [2])], { op: 'exp' }, [2], 'float32');
    const pipelines = b.poolStats().pipelines;
    await run('unary', [f32([3, 4, 5], [3])], { op: 'exp' }, [3], 'float32');
    expect(b.poolStats().pipelines).toBe(pipelines);
  });
});

describe('bind-group cache', () => {
  it('reuses bind groups of the same buffers and drops those of destroyed buffers', async () => {
    // maxPooledBytes 0: every freed buffer is destroyed instead of pooled.
    const b = await createWebGpuBackend({ maxPooledBytes: 0 });
    const x = b.upload(new Float32Array([1, 2]), 'float32');
    const info = { dataId: x, shape: [2], dtype: 'float32' as const, size: 2 };
    const out = { shape: [2], dtype: 'float32' as const, size: 2 };
    const y = b.kernels.unary([info], { op: 'neg' }, out, b);
    const z = b.kernels.unary([info], { op: 'neg' }, out, b);
    expect(b.poolStats().bindGroups).toBe(2); // x→y and x→z
    expect(Array.from(await b.read(z))).toEqual([-1, -2]);
    b.free(y);
    b.free(z);
    expect(b.poolStats().bindGroups).toBe(0);
    expect(b.poolStats().freeBuffers).toBe(0);
    b.free(x);
    b.dispose();
  });
});

describe('lifecycle', () => {
  it('a destroyed device gives a clear error, and a new backend works', async () => {
    const lost = await createWebGpuBackend();
    const id = lost.upload(new Float32Array([1]), 'float32');
    const device = lost.device as GPUDevice; // typed unknown in the public declarations
    device.destroy();
    await device.lost;
    expect(() => lost.upload(new Float32Array([1]), 'float32')).toThrow(
      /device was lost.*createWebGpuBackend/,
    );
    await expect(lost.read(id)).rejects.toThrow(/device was lost/);
    const fresh = await createWebGpuBackend();
    const again = fresh.upload(new Float32Array([5]), 'float32');
    expect(Array.from(await fresh.read(again))).toEqual([5]);
    fresh.dispose();
    expect(() => fresh.upload(new Float32Array([1]), 'float32')).toThrow(/disposed/);
  });
});

describe('no real adapter', () => {
  it("Dawn's null backend is refused with 'no adapter'", async () => {
    const { create } = (await import('webgpu')) as { create: (flags: string[]) => GPU };
    // Kept referenced for the whole file: a Dawn GPU object must not be collected while in use.
    nullGpu = create(['backend=null']);
    await expect(createWebGpuBackend({ gpu: nullGpu, requireRealAdapter: true })).rejects.toThrow(
      /webgpu: no adapter/,
    );
  });

  it('tells the null adapter from a real GPU that reports no architecture', () => {
    // As Dawn reported them: its null backend here, and NVIDIA's Vulkan driver on an H200.
    const nul = { vendor: '', architecture: '', device: 'null-backend', description: '', isFallback: false };
    const h200 = {
      vendor: 'nvidia',
      architecture: '',
      device: 'nvidia-h200',
      description: 'NVIDIA: 580.159.04 580.159.4.0',
      isFallback: false,
    };
    expect(isNullAdapter(nul)).toBe(true);
    expect(isNullAdapter(h200)).toBe(false);
    expect(isNullAdapter({ ...h200, vendor: '', device: '', description: '' })).toBe(true);
  });
});

let nullGpu: GPU | undefined;
