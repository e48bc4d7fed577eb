import type { KernelAttrs, KernelImpl, KernelName, TensorInfo } from '@myelin/core';
import type { CpuBackend } from '../backend.js';

/** A CPU kernel: the contract's kernel type, specialised to this backend. */
export type CpuKernel<K extends KernelName> = KernelImpl<KernelAttrs[K], CpuBackend>;

/** The i-th input of a kernel (core always passes them all; this only satisfies the type checker). */
export function nth(inputs: readonly TensorInfo[], i: number): TensorInfo {
  const t = inputs[i];
  if (t === undefined) throw new Error(`cpu kernel: missing input ${i}`);
  return t;
}

/** An axis in [0, rank), accepting negative axes defensively (core normalises them already). */
export function axisIn(axis: number, rank: number): number {
  return axis < 0 ? axis + rank : axis;
}
