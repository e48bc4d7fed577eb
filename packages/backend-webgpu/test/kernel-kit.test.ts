/**
 * The plugin subpath `@myelin/backend-webgpu/kernel-kit`: a kernel written only with its exports (the
 * example of its documentation) runs on the backend, and `gpuContext` refuses another backend.
 */
import type { Backend, KernelImpl, TensorInfo } from '@myelin/core';
import { afterAll, describe, expect, it } from 'vitest';
import {
  COMMON,
  declareBindings,
  FLOAT_MATH,
  gpuContext,
  linearGrid,
  main1d,
  ParamWriter,
  WG,
} from '../src/kernel-kit.js';
import { backend, disposeBackend, expectClose, randoms } from './helpers.js';

afterAll(disposeBackend);

/** softsign(x)·scale with `scale` in the params block; `exp_f32` from FLOAT_MATH to prove it links. */
const softsign: KernelImpl = (inputs, attrs, out, b) => {
  const gpu = gpuContext(b);
  const x = gpu.input(inputs[0] as TensorInfo);
  const y = gpu.alloc('float32', out.size);
  gpu.dispatch({
    key: 'test-plugin:softsign',
    source: () =>
      declareBindings([{ name: 'xs', type: 'f32' }], { name: 'ys', type: 'f32' }) +
      COMMON +
      FLOAT_MATH +
      main1d('  ys[i] = pf(1u) * xs[i] / (1.0 + abs(xs[i])) + 0.0 * exp_f32(xs[i]);'),
    inputs: [x],
    output: y,
    params: new ParamWriter()
      .u32(out.size)
      .f32(Number(attrs.scale ?? 1))
      .finish(),
    grid: linearGrid(Math.ceil(out.size / WG), gpu.maxWorkgroupsPerDim),
  });
  return y;
};

describe('kernel-kit', () => {
  it('builds a plugin kernel that runs on the backend', async () => {
    const b = await backend();
    const xs = randoms(1000, 3, -5, 5);
    const id = b.upload(xs, 'float32');
    const info: TensorInfo = { dataId: id, shape: [1000], dtype: 'float32', size: 1000 };
    const y = softsign([info], { scale: 2 }, { shape: [1000], dtype: 'float32', size: 1000 }, b);
    expectClose(
      await b.read(y),
      Array.from(xs, (v) => (2 * v) / (1 + Math.abs(v))),
      1e-6,
      1e-6,
    );
    b.free(y);
    b.free(id);
  });

  it('gpuContext refuses a backend that is not WebGPU', () => {
    const cpu = { name: 'cpu', kernels: {} } as unknown as Backend;
    expect(() => gpuContext(cpu)).toThrow(/backend 'cpu' is not a WebGPU backend/);
  });
});
