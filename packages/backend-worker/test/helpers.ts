/**
 * Test helpers: seeded data and a one-call kernel runner that uploads inputs, runs one kernel of a backend
 * directly (no core ops in between) and reads the result back.
 */
import type { Backend, DType, KernelAttrs, KernelName, TypedArray } from '@myelin/core';

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

/** Uniform floats in [-1, 1). */
export function floats(r: () => number, n: number): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = 2 * r() - 1;
  return a;
}

/** Integers in [0, hi). */
export function ints(r: () => number, n: number, hi: number): Int32Array {
  const a = new Int32Array(n);
  for (let i = 0; i < n; i++) a[i] = Math.floor(hi * r());
  return a;
}

export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** One kernel input: values, shape and dtype. */
export interface Input {
  readonly values: TypedArray;
  readonly shape: readonly number[];
  readonly dtype: DType;
}

export function f32(values: Float32Array, shape: readonly number[]): Input {
  return { values, shape, dtype: 'float32' };
}

/** Runs kernel `name` of `backend` once and returns a copy of its output. */
export function runKernel<K extends KernelName>(
  backend: Backend,
  name: K,
  inputs: readonly Input[],
  attrs: KernelAttrs[K],
  outShape: readonly number[],
  outDtype: DType = 'float32',
): TypedArray {
  const infos = inputs.map((i) => ({
    dataId: backend.upload(i.values, i.dtype),
    shape: i.shape,
    dtype: i.dtype,
    size: i.values.length,
  }));
  try {
    const kernel = backend.kernels[name] as (...args: unknown[]) => object;
    const id = kernel(infos, attrs, { shape: outShape, dtype: outDtype, size: sizeOf(outShape) }, backend);
    const values = backend.readSync?.(id);
    backend.free(id);
    if (!values) throw new Error('no readSync');
    return values;
  } finally {
    for (const i of infos) backend.free(i.dataId);
  }
}

/** The largest |a - b| / (atol + rtol·|b|) over all elements: ≤ 1 means close. */
export function worstMismatch(a: ArrayLike<number>, b: ArrayLike<number>, rtol = 1e-5, atol = 1e-6): number {
  if (a.length !== b.length) return Number.POSITIVE_INFINITY;
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as number;
    const y = b[i] as number;
    if (Number.isNaN(x) || Number.isNaN(y)) {
      if (Number.isNaN(x) !== Number.isNaN(y)) return Number.POSITIVE_INFINITY;
      continue;
    }
    if (x === y) continue;
    worst = Math.max(worst, Math.abs(x - y) / (atol + rtol * Math.abs(y)));
  }
  return worst;
}
