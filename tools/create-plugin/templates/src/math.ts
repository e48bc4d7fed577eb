/**
 * The op's math, in float64, over one range of the output: what the CPU and worker kernels run.
 * The scaffold computes softsign, x / (1 + |x|): replace it with your op (and `kernels/webgpu.ts`'s WGSL,
 * the gradient in `ops.ts`, and the reference in `test/conformance.test.ts`).
 */

/** The op on one value. */
export function __OP__Scalar(x: number): number {
  return x / (1 + Math.abs(x));
}

/** y[i] = op(x[i]) for i in [start, end). */
export function __OP__Range(x: Float32Array, y: Float32Array, start: number, end: number): void {
  for (let i = start; i < end; i++) y[i] = __OP__Scalar(x[i] as number);
}
