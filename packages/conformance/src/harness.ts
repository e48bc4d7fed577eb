/**
 * What every conformance test shares: the declared tolerance, test registration with kernel tags, and
 * turning fixture tensors into Myelin tensors and back.
 */

import type { Tensor } from '@myelin/core';
import * as core from '@myelin/core';
import { it } from 'vitest';
import { describeMismatches, type Tolerance } from './compare.js';
import { decodeData, type FixtureTensor } from './fixtures.js';
import { type ConformanceKernel, kernelTags } from './kernel-names.js';
import { inversePermutation, permuteData } from './reference/layout.js';

/** State shared by the suites of one `runConformance` call. */
export interface Harness {
  /** The backend's float tolerance. */
  readonly tolerance: Tolerance;
  /** Registers a test tagged with the kernels it covers. */
  test(
    kernels: readonly ConformanceKernel[],
    title: string,
    fn: () => Promise<void> | void,
    timeout?: number,
  ): void;
  /** Kernels that have at least one registered test. */
  readonly covered: Set<ConformanceKernel>;
}

/** A harness whose `test` registers vitest tests and records coverage. */
export function createHarness(tolerance: Tolerance, defaultTimeout?: number): Harness {
  const covered = new Set<ConformanceKernel>();
  return {
    tolerance,
    covered,
    test(kernels, title, fn, timeout) {
      for (const k of kernels) covered.add(k);
      it(`${kernelTags(kernels)}${title}`, fn, timeout ?? defaultTimeout);
    },
  };
}

/** A fixture tensor made on the active backend: `value` is what the op gets, `leaf` what holds `.grad`. */
export interface MadeInput {
  readonly value: Tensor;
  readonly leaf: Tensor;
  /** The permutation that made `value` from `leaf`, for a non-contiguous input. */
  readonly permute?: readonly number[];
}

/**
 * Makes a fixture tensor. A tensor with a `layout` is built as PyTorch built it: a contiguous base,
 * then `permute` (so the op gets the result of a transpose kernel, and gradients flow through it).
 */
export function makeInput(f: FixtureTensor, requiresGrad = false): MadeInput {
  const data = decodeData(f);
  if (!f.layout) {
    const t = core.tensor(data, { shape: f.shape, dtype: f.dtype, requiresGrad });
    return { value: t, leaf: t };
  }
  const perm = f.layout.permute;
  const base = permuteData(data, f.shape, inversePermutation(perm));
  const leaf = core.tensor(base.data, { shape: base.shape, dtype: f.dtype, requiresGrad });
  return { value: core.permute(leaf, perm), leaf, permute: perm };
}

/** The expected values of a fixture tensor in the layout of the leaf it is compared with. */
export function expectedInLeafLayout(
  f: FixtureTensor,
  permute?: readonly number[],
): { data: number[]; shape: number[] } {
  const data = decodeData(f);
  if (!permute) return { data, shape: [...f.shape] };
  return permuteData(data, f.shape, inversePermutation(permute));
}

/** Throws a descriptive error unless `actual` has the expected shape, dtype and values. */
export async function expectTensor(
  actual: Tensor,
  expected: { shape: readonly number[]; dtype: string; data: readonly number[] },
  tol: Tolerance,
  label: string,
  scale?: ArrayLike<number>,
): Promise<void> {
  if (actual.shape.join(',') !== expected.shape.join(',')) {
    throw new Error(
      `${label}: shape [${actual.shape}] (${actual.dtype}), expected [${expected.shape}] (${expected.dtype})`,
    );
  }
  if (actual.dtype !== expected.dtype)
    throw new Error(`${label}: dtype ${actual.dtype}, expected ${expected.dtype}`);
  const values = await actual.data();
  const opts = scale ? { exact: actual.dtype !== 'float32', scale } : { exact: actual.dtype !== 'float32' };
  const problem = describeMismatches(values, expected.data, tol, opts);
  if (problem) throw new Error(`${label} [${actual.shape}] ${actual.dtype}: ${problem}`);
}

/** Disposes every tensor of a list (and nested lists), ignoring ones already disposed. */
export function disposeAll(...items: unknown[]): void {
  for (const item of items) {
    if (Array.isArray(item)) disposeAll(...item);
    else if (item instanceof core.Tensor) item.dispose();
  }
}

/** `x` as a list of tensors (ops like `split` return several). */
export function asList(x: Tensor | Tensor[]): Tensor[] {
  return Array.isArray(x) ? x : [x];
}
