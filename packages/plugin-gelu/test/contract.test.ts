/**
 * A plugin that breaks the kernel contract is caught by core (`runKernel` in dispatch.ts) with a
 * `KernelError` that names the op, the plugin (given to `registerKernel` as `{ plugin }`), the kernel and
 * the backend — and nothing leaks.
 */
import { createCpuBackend } from '@myelin/backend-cpu';
import {
  type Backend,
  type DataId,
  defineOp,
  getBackend,
  KernelError,
  type KernelImpl,
  memory,
  type OutSpec,
  registerBackend,
  registerKernel,
  setBackend,
  type Tensor,
  tensor,
  tidy,
} from '@myelin/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gelu, KERNELS, registerGeluPlugin } from '../src/index.js';
import { BACKENDS, disposeBackends } from './backends.js';

const PLUGIN = 'broken-plugin';

/** Allocates an output on a typed-array backend (cpu: allocate, worker: produce). */
function allocate(backend: Backend, out: OutSpec): DataId {
  const b = backend as unknown as {
    allocate?: (o: OutSpec) => { id: DataId };
    produce?: (o: OutSpec, f: () => void) => DataId;
    alloc?: (dtype: string, size: number) => DataId;
  };
  if (b.allocate) return b.allocate(out).id;
  if (b.produce) return b.produce(out, () => undefined);
  if (b.alloc) return b.alloc(out.dtype, out.size);
  throw new Error('no allocator');
}

const BROKEN: Record<string, KernelImpl> = {
  // One element too many: the output cannot be the [2,3] tensor the op declared.
  wrongShape: (_i, _a, out, backend) =>
    allocate(backend, { ...out, shape: [out.size + 1], size: out.size + 1 }),
  wrongDtype: (_i, _a, out, backend) => allocate(backend, { ...out, dtype: 'int32' }),
  throws: () => {
    throw new Error('index out of range in my loop');
  },
  notABuffer: () => ({ hello: 'world' }),
};

const ops = Object.fromEntries(
  Object.keys(BROKEN).map((name) => [name, defineOp({ name: `broken.${name}`, kernel: name })]),
);

/** An op whose backward returns a gradient of the wrong shape. */
const badGradient = defineOp({
  name: 'broken.badGradient',
  kernel: KERNELS.swish,
  backward: (dy) => [dy.sum()],
});

beforeAll(() => {
  registerGeluPlugin();
  for (const b of BACKENDS)
    for (const [name, impl] of Object.entries(BROKEN)) registerKernel(b.name, name, impl, { plugin: PLUGIN });
});
afterAll(disposeBackends);

for (const backend of BACKENDS) {
  describe(`a broken plugin on ${backend.name}`, () => {
    let unavailable: string | undefined;
    beforeAll(async () => {
      registerBackend(backend.name, backend.factory);
      try {
        await setBackend(backend.name);
      } catch (e) {
        unavailable = (e as Error).message;
        console.warn(`skipping broken-plugin checks on '${backend.name}': ${unavailable}`);
      }
    });

    const cases: Array<[string, RegExp]> = [
      ['wrongShape', /expected \[2,3\] float32 \(6 elements\), got 7 elements of float32/],
      ['wrongDtype', /expected \[2,3\] float32 \(6 elements\), got 6 elements of int32/],
      ['throws', /threw: index out of range in my loop/],
      ['notABuffer', /returned something that is not a buffer of this backend/],
    ];
    for (const [name, detail] of cases) {
      it(`${name}: a KernelError naming the plugin, the kernel and the backend; nothing leaks`, async (ctx) => {
        if (unavailable) return ctx.skip();
        await setBackend(backend.name);
        const x = tensor([
          [1, 2, 3],
          [4, 5, 6],
        ]);
        const before = memory();
        let error: unknown;
        try {
          tidy(() => (ops[name] as (xs: Tensor[]) => Tensor)([x]));
        } catch (e) {
          error = e;
        }
        expect(error).toBeInstanceOf(KernelError);
        const message = (error as Error).message;
        expect(message).toContain(
          `broken.${name}: plugin '${PLUGIN}' kernel '${name}' on backend '${backend.name}'`,
        );
        expect(message).toMatch(detail);
        const after = memory();
        expect(after.tensors).toBe(before.tensors);
        // The contract checks free a rejected buffer; a kernel that throws frees what it allocated itself.
        expect(after.buffers).toBe(before.buffers);
        x.dispose();
      });
    }

    it('a backward that returns a gradient of the wrong shape is named', async (ctx) => {
      if (unavailable) return ctx.skip();
      await setBackend(backend.name);
      const x = tensor([1, 2, 3], { requiresGrad: true });
      expect(() => tidy(() => badGradient([x]).sum().backward())).toThrow(
        /broken\.badGradient: backward returned a gradient \[\] for input 0 of shape \[3\]/,
      );
      x.dispose();
    });

    it("the plugin's own ops check their input dtype before any kernel runs", async (ctx) => {
      if (unavailable) return ctx.skip();
      await setBackend(backend.name);
      const ints = tensor([1, 2], { dtype: 'int32' });
      expect(() => gelu(ints)).toThrow(/gelu: expects a float32 tensor, got int32 \[2\]/);
      ints.dispose();
    });
  });
}

describe('a backend the plugin has no kernel for', () => {
  it('says which backend lacks which kernel', async () => {
    // A CPU backend under another name (registry and instance) has none of the plugin's kernels.
    registerBackend('cpu-without-plugin', () => {
      const b = createCpuBackend();
      Object.defineProperty(b, 'name', { value: 'cpu-without-plugin' });
      return b;
    });
    await setBackend('cpu-without-plugin');
    const x = tensor([1, 2]);
    expect(() => gelu(x)).toThrow(`gelu: backend 'cpu-without-plugin' has no kernel '${KERNELS.gelu}'`);
    x.dispose();
    await setBackend('cpu');
    expect(getBackend().name).toBe('cpu');
  });
});

describe('a WebGPU plugin kernel whose WGSL does not compile', () => {
  it('fails at the next read with an error that names the pipeline key (the plugin and kernel)', async (ctx) => {
    registerBackend('webgpu', BACKENDS[2]?.factory as () => Promise<Backend>);
    try {
      await setBackend('webgpu');
    } catch (e) {
      console.warn(`skipping: ${(e as Error).message}`);
      return ctx.skip();
    }
    registerKernel(
      'webgpu',
      'badWgsl',
      (inputs, _attrs, out, backend) => {
        const gpu = backend as unknown as {
          input(i: unknown): DataId;
          alloc(d: string, n: number): DataId;
          dispatch(spec: object): void;
        };
        const y = gpu.alloc('float32', out.size);
        gpu.dispatch({
          key: `${PLUGIN}:badWgsl`,
          source: () => '@compute @workgroup_size(1) fn main() { let x: f32 = undefined_name; }',
          inputs: [gpu.input(inputs[0])],
          output: y,
          params: Uint32Array.of(out.size),
          grid: [1, 1, 1],
        });
        return y;
      },
      { plugin: PLUGIN },
    );
    const op = defineOp({ name: 'broken.badWgsl', kernel: 'badWgsl' });
    const x = tensor([1, 2, 3]);
    const y = op([x]);
    await expect(y.data()).rejects.toThrow(`pipeline '${PLUGIN}:badWgsl'`);
    x.dispose();
    y.dispose();
    await setBackend('cpu');
  });
});
