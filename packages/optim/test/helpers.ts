/** Test helpers: the CPU backend, fixture tensors, and closeness checks. */
import { readFileSync } from 'node:fs';
import { CpuBackend } from '@myelin/backend-cpu';
import { registerBackend, setBackend, type Tensor, tensor } from '@myelin/core';
import { expect } from 'vitest';

let registered = false;

/** Registers and selects the CPU backend (call in `beforeAll`). */
export async function useCpu(): Promise<void> {
  if (!registered) {
    registerBackend('cpu', () => new CpuBackend());
    registered = true;
  }
  await setBackend('cpu');
}

/** A tensor as the fixtures store it. */
export interface FixtureTensor {
  shape: number[];
  dtype: 'float32' | 'int32' | 'bool';
  data: Array<number | boolean | string>;
}

/** Fixture values as plain numbers (non-finite numbers are stored as strings). */
export function numbers(f: FixtureTensor): number[] {
  return f.data.map((v) => (typeof v === 'string' ? Number(v) : typeof v === 'boolean' ? (v ? 1 : 0) : v));
}

/** A Myelin tensor from a fixture tensor. */
export function fromFixture(f: FixtureTensor, requiresGrad = false): Tensor {
  return tensor(numbers(f), { shape: f.shape, dtype: f.dtype, requiresGrad });
}

/** Reads a JSON fixture file next to this file. */
export function loadFixture<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8')) as T;
}

/** Largest error seen, per label, for the report. */
export const worst = { abs: 0, rel: 0 };

/** Asserts `actual` matches fixture or array `expected` in shape and values within `atol + rtol·|e|`. */
export async function expectClose(
  actual: Tensor | null | undefined,
  expected: FixtureTensor | number[],
  label: string,
  tol: { rtol?: number; atol?: number } = {},
): Promise<void> {
  expect(actual, `${label}: missing`).toBeTruthy();
  const a = actual as Tensor;
  const rtol = tol.rtol ?? 1e-5;
  const atol = tol.atol ?? 1e-6;
  const want = Array.isArray(expected) ? expected : numbers(expected);
  if (!Array.isArray(expected)) expect([...a.shape], `${label}: shape`).toEqual(expected.shape);
  const got = Array.from(await a.data());
  expect(got.length, `${label}: size`).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    const e = want[i] as number;
    const g = got[i] as number;
    if (Number.isNaN(e)) {
      expect(Number.isNaN(g), `${label}[${i}]: expected NaN, got ${g}`).toBe(true);
      continue;
    }
    const err = Math.abs(g - e);
    if (Number.isFinite(e)) {
      worst.abs = Math.max(worst.abs, err);
      if (Math.abs(e) > 1e-3) worst.rel = Math.max(worst.rel, err / Math.abs(e));
    }
    if (!(err <= atol + rtol * Math.abs(e)) && g !== e) {
      throw new Error(
        `${label}[${i}]: got ${g}, expected ${e} (|diff| ${err.toExponential(2)} > ${atol} + ${rtol}·|e|)`,
      );
    }
  }
}
