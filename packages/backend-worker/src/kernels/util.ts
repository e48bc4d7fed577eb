import type { KernelAttrs, KernelImpl, KernelName, TensorInfo } from '@myelin/core';
import type { WorkerBackend } from '../backend.js';

/** A worker-backend kernel: the contract's kernel type, specialised to this backend. */
export type WorkerKernel<K extends KernelName> = KernelImpl<KernelAttrs[K], WorkerBackend>;

/** The i-th input of a kernel (core always passes them all; this only satisfies the type checker). */
export function nth(inputs: readonly TensorInfo[], i: number): TensorInfo {
  const t = inputs[i];
  if (t === undefined) throw new Error(`worker kernel: missing input ${i}`);
  return t;
}

/** An axis in [0, rank), accepting negative axes defensively (core normalises them already). */
export function axisIn(axis: number, rank: number): number {
  return axis < 0 ? axis + rank : axis;
}

/**
 * Rough single-thread cost of one unit of work, in ns, measured on the reference machine (see README).
 * They only decide whether a kernel is worth splitting and how big its chunks are; being off by 2× moves
 * the split point, never the result.
 */
export const COST = {
  /** One element of a cheap elementwise op (add, relu, copy). */
  element: 1.5,
  /** One element of a transcendental op (exp, tanh, sigmoid...). */
  transcendental: 8,
  /** One element of a Philox random fill. */
  random: 12,
  /** One multiply-add of the packed gemm. */
  madd: 0.25,
  /** One element touched by a reduction, pooling window or strided copy. */
  touch: 1,
} as const;
