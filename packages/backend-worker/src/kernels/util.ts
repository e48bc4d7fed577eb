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
 * Rough single-thread cost of one unit of work, in ns, measured with bench/calibrate.mjs on the reference
 * machine (2 vCPUs, see README). They only decide whether a kernel is worth splitting and how big its
 * chunks are; being off by 2× moves the split point, never the result.
 */
export const COST = {
  /** One element of a cheap elementwise op (add, relu, cast). */
  element: 2,
  /** One element of a transcendental op (exp, tanh, sigmoid, pow...). */
  transcendental: 11,
  /** One element of a uniform Philox fill. */
  randomUniform: 25,
  /** One element of a normal Philox fill (Box–Muller: a log, a sqrt, a cos or sin). */
  randomNormal: 70,
  /** One multiply-add of the packed gemm on big operands. */
  madd: 0.35,
  /** One multiply-add of the gemms of a conv2d, whose operands are small and packed per sample. */
  convMadd: 0.8,
  /** One element read by a reduction, a strided copy or a gather. */
  touch: 1,
  /** One element moved by a transpose or slice (strided reads miss the cache). */
  strided: 3,
  /** One element of a max-pooling window (a compare, NaN and bounds checks). */
  window: 10,
  /** One element of an average-pooling window (an add). */
  avgWindow: 4,
} as const;
