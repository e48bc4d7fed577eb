import { describe, expect, it } from 'vitest';
import { CpuBackend, createCpuBackend } from '../src/index.js';

describe('CpuBackend storage', () => {
  it('upload copies, read returns a copy, dataOf is live', async () => {
    const be = createCpuBackend();
    const src = new Float32Array([1, 2, 3]);
    const id = be.upload(src, 'float32');
    src[0] = 99;
    expect(Array.from(await be.read(id))).toEqual([1, 2, 3]);
    const copy = be.readSync(id);
    copy[1] = 42;
    expect(Array.from(be.readSync(id))).toEqual([1, 2, 3]);
    (be.dataOf(id) as Float32Array)[2] = 7;
    expect(Array.from(be.readSync(id))).toEqual([1, 2, 7]);
    expect(be.describe(id)).toEqual({ dtype: 'float32', size: 3 });
  });

  it('uploads convert to the storage type of the dtype', () => {
    const be = new CpuBackend();
    const id = be.upload(new Float32Array([1.9, -1.9, 0]), 'int32');
    expect(be.dataOf(id)).toBeInstanceOf(Int32Array);
    expect(Array.from(be.readSync(id))).toEqual([1, -1, 0]);
    const b = be.upload(new Uint8Array([0, 1]), 'bool');
    expect(be.dataOf(b)).toBeInstanceOf(Uint8Array);
  });

  it('memory counts live buffers and bytes; free releases them once', () => {
    const be = new CpuBackend();
    const a = be.upload(new Float32Array(10), 'float32');
    const b = be.upload(new Uint8Array(3), 'bool');
    expect(be.memory()).toEqual({ buffers: 2, bytes: 43 });
    be.free(a);
    be.free(a);
    expect(be.memory()).toEqual({ buffers: 1, bytes: 3 });
    expect(() => be.dataOf(a)).toThrow(/freed/);
    be.free(b);
    expect(be.memory()).toEqual({ buffers: 0, bytes: 0 });
  });

  it('has every kernel of the contract and describes itself', () => {
    const be = new CpuBackend();
    expect(Object.keys(be.kernels).length).toBe(26);
    for (const impl of Object.values(be.kernels)) expect(typeof impl).toBe('function');
    expect(be.name).toBe('cpu');
    expect(be.describeSelf()).toMatch(/cpu/);
    expect(() => be.dataOf({})).toThrow(/not a buffer/);
  });
});
