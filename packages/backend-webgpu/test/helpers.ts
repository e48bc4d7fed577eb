/**
 * Test helpers: one backend per test file, and `run()` which uploads inputs, runs one kernel, reads the
 * result back and frees everything (so each test also checks that memory returns to baseline).
 */
import type { DType, KernelAttrs, KernelName, TypedArray } from '@myelin/core';
import { expect } from 'vitest';
import { createWebGpuBackend, type WebGpuBackend, type WebGpuBackendOptions } from '../src/index.js';

let shared: Promise<WebGpuBackend> | undefined;
let options: WebGpuBackendOptions = {};

/** The backend of this test file (created on first use). */
export function backend(): Promise<WebGpuBackend> {
  shared ??= createWebGpuBackend(options);
  return shared;
}

/** Replaces the file's backend by one made with `next` options (e.g. another GEMM strategy). */
export async function useBackend(next: WebGpuBackendOptions): Promise<WebGpuBackend> {
  await disposeBackend();
  options = next;
  return backend();
}

/** Disposes the file's backend (call in afterAll). */
export async function disposeBackend(): Promise<void> {
  if (!shared) return;
  const b = await shared;
  shared = undefined;
  await b.dispose();
}

/** A test input: values with a shape and dtype. */
export interface Input {
  readonly values: TypedArray;
  readonly shape: readonly number[];
  readonly dtype: DType;
}

export function f32(values: ArrayLike<number>, shape: readonly number[]): Input {
  return { values: Float32Array.from(values), shape, dtype: 'float32' };
}
export function i32(values: ArrayLike<number>, shape: readonly number[]): Input {
  return { values: Int32Array.from(values), shape, dtype: 'int32' };
}
export function bool(values: ArrayLike<number>, shape: readonly number[]): Input {
  return { values: Uint8Array.from(values, (v) => (v ? 1 : 0)), shape, dtype: 'bool' };
}

export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Runs one kernel on the shared backend and returns its output's values. */
export async function run<K extends KernelName>(
  kernel: K,
  inputs: readonly Input[],
  attrs: KernelAttrs[K],
  outShape: readonly number[],
  outDtype: DType,
): Promise<TypedArray> {
  const b = await backend();
  const before = b.memory();
  const ids = inputs.map((x) => b.upload(x.values, x.dtype));
  const infos = inputs.map((x, i) => ({
    dataId: ids[i] as object,
    shape: x.shape,
    dtype: x.dtype,
    size: x.values.length,
  }));
  const impl = b.kernels[kernel] as (i: unknown, a: unknown, o: unknown, be: unknown) => object;
  const out = impl(infos, attrs, { shape: outShape, dtype: outDtype, size: sizeOf(outShape) }, b);
  expect(b.describe(out)).toEqual({ dtype: outDtype, size: sizeOf(outShape) });
  const values = await b.read(out);
  b.free(out);
  for (const id of ids) b.free(id);
  expect(b.memory()).toEqual(before);
  return values;
}

/** Deterministic pseudo-random floats in [lo, hi) (a small LCG, independent of Philox). */
export function randoms(n: number, seed = 1, lo = -1, hi = 1): Float32Array {
  let s = seed >>> 0 || 1;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = lo + ((hi - lo) * s) / 4294967296;
  }
  return out;
}

/** Asserts |actual - expected| <= atol + rtol·|expected| elementwise (NaN must match NaN). */
export function expectClose(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  atol = 1e-5,
  rtol = 1e-5,
): void {
  expect(actual.length).toBe(expected.length);
  let worst = -1;
  let worstErr = 0;
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i] as number;
    const e = expected[i] as number;
    if (Number.isNaN(e)) {
      if (!Number.isNaN(a)) {
        worst = i;
        worstErr = Number.POSITIVE_INFINITY;
        break;
      }
      continue;
    }
    if (a === e) continue;
    const err = Math.abs(a - e) - (atol + rtol * Math.abs(e));
    if (!(err <= 0) && (worst < 0 || err > worstErr || Number.isNaN(err))) {
      worst = i;
      worstErr = Number.isNaN(err) ? Number.POSITIVE_INFINITY : err;
    }
  }
  if (worst >= 0) {
    expect.fail(
      `element ${worst}: got ${actual[worst]}, expected ${expected[worst]} (atol ${atol}, rtol ${rtol})`,
    );
  }
}

/** Row-major strides. */
export function stridesOf(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i] as number;
  }
  return s;
}

/** Coordinates of flat index `i` in `shape`. */
export function coords(i: number, shape: readonly number[]): number[] {
  const c = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    const s = shape[d] as number;
    c[d] = i % s;
    i = Math.floor(i / s);
  }
  return c;
}
