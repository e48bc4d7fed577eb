/**
 * Test helpers: a seeded generator, a one-call kernel runner on a fresh CpuBackend, and the index
 * arithmetic that the float64 naive references use.
 */
import type { DType, KernelAttrs, KernelName, TypedArray } from '@myelin/core';
import { expect } from 'vitest';
import { CpuBackend } from '../src/index.js';

/** A small seeded generator (mulberry32), so failures reproduce. */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Uniform floats in [lo, hi), rounded to float32. */
export function randFloats(r: () => number, n: number, lo = -1, hi = 1): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = lo + (hi - lo) * r();
  return a;
}

/** Integers in [lo, hi). */
export function randInts(r: () => number, n: number, lo: number, hi: number): Int32Array {
  const a = new Int32Array(n);
  for (let i = 0; i < n; i++) a[i] = lo + Math.floor((hi - lo) * r());
  return a;
}

export function randInt(r: () => number, lo: number, hi: number): number {
  return lo + Math.floor((hi - lo + 1) * r());
}

export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

export function stridesOf(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    s[d] = acc;
    acc *= shape[d] as number;
  }
  return s;
}

/** Multi-index of flat index `i` in `shape`. */
export function unravel(i: number, shape: readonly number[]): number[] {
  const idx = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    const n = shape[d] as number;
    idx[d] = i % n;
    i = Math.floor(i / n);
  }
  return idx;
}

/** Flat index of a multi-index. */
export function ravel(idx: readonly number[], shape: readonly number[]): number {
  let off = 0;
  for (let d = 0; d < shape.length; d++) off = off * (shape[d] as number) + (idx[d] as number);
  return off;
}

/** Flat index in `inShape` of the element that broadcasting maps output multi-index `outIdx` to. */
export function broadcastIndex(outIdx: readonly number[], inShape: readonly number[]): number {
  const lead = outIdx.length - inShape.length;
  let off = 0;
  for (let d = 0; d < inShape.length; d++) {
    const n = inShape[d] as number;
    off = off * n + (n === 1 ? 0 : (outIdx[lead + d] as number));
  }
  return off;
}

export function broadcastShape(a: readonly number[], b: readonly number[]): number[] {
  const rank = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let d = 0; d < rank; d++) {
    const x = a[a.length - rank + d] ?? 1;
    const y = b[b.length - rank + d] ?? 1;
    out.push(x === 1 ? y : x);
  }
  return out;
}

export interface In {
  values: TypedArray;
  shape: readonly number[];
  dtype?: DType;
}

function dtypeOf(values: TypedArray): DType {
  if (values instanceof Float32Array) return 'float32';
  if (values instanceof Int32Array) return 'int32';
  return 'bool';
}

/**
 * Runs one kernel on a fresh backend: uploads the inputs, calls `backend.kernels[kernel]`, reads the
 * output back, and checks that only the output buffer is left once the inputs are freed.
 */
export function runKernel<K extends KernelName>(
  kernel: K,
  inputs: readonly In[],
  attrs: KernelAttrs[K],
  outShape: readonly number[],
  outDtype: DType = 'float32',
): TypedArray {
  const be = new CpuBackend();
  const infos = inputs.map((t) => {
    const dtype = t.dtype ?? dtypeOf(t.values);
    return { dataId: be.upload(t.values, dtype), shape: t.shape, dtype, size: sizeOf(t.shape) };
  });
  const out = { shape: outShape, dtype: outDtype, size: sizeOf(outShape) };
  const impl = be.kernels[kernel] as unknown as (...args: unknown[]) => object;
  const id = impl(infos, attrs, out, be);
  expect(be.describe(id)).toEqual({ dtype: outDtype, size: out.size });
  const values = be.readSync(id);
  for (const t of infos) be.free(t.dataId);
  be.free(id);
  expect(be.memory()).toEqual({ buffers: 0, bytes: 0 });
  return values;
}

/**
 * Asserts `actual` ≈ `expected` elementwise: |a - e| <= atol + rtol·|e|, NaN matching NaN and infinities
 * matching exactly. Reports the first mismatch with its index.
 */
export function expectClose(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  rtol = 1e-5,
  atol = 1e-6,
  label = '',
): void {
  expect(actual.length, `${label} length`).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i] as number;
    const e = expected[i] as number;
    if (Number.isNaN(e)) {
      if (!Number.isNaN(a)) expect.fail(`${label}[${i}]: expected NaN, got ${a}`);
      continue;
    }
    if (!Number.isFinite(e)) {
      if (a !== e) expect.fail(`${label}[${i}]: expected ${e}, got ${a}`);
      continue;
    }
    if (!(Math.abs(a - e) <= atol + rtol * Math.abs(e))) {
      expect.fail(`${label}[${i}]: expected ${e}, got ${a} (diff ${Math.abs(a - e)})`);
    }
  }
}
