/**
 * The built-in kernels of the contract (`KernelAttrs` in `@myelin/core`'s `backend/kernels.ts`), in its
 * order. Every conformance test names the kernels it covers as `[kernel:<name>]` in its title; the
 * `pnpm conformance` matrix groups results by these tags, and the suite checks each name has a test.
 *
 * scripts/matrix.mjs reads this list from this file's text: keep it one quoted name per line.
 */
export const KERNEL_NAMES = [
  'unary',
  'binary',
  'where',
  'reduce',
  'argReduce',
  'cast',
  'matmul',
  'conv2d',
  'conv2dBackwardInput',
  'conv2dBackwardFilter',
  'maxPool2d',
  'maxPool2dBackward',
  'avgPool2d',
  'avgPool2dBackward',
  'softmax',
  'logSoftmax',
  'gather',
  'scatterAdd',
  'oneHot',
  'transpose',
  'slice',
  'concat',
  'pad',
  'fill',
  'randomUniform',
  'randomNormal',
] as const;

/** The name of a built-in kernel, as the conformance suite tags it. */
export type ConformanceKernel = (typeof KERNEL_NAMES)[number];

/**
 * The tag prefix of a test title: `[kernel:matmul] [kernel:transpose] `.
 *
 * @example
 * ```ts
 * it(`${kernelTags(['matmul'])}matmul/2d`, ...);
 * ```
 */
export function kernelTags(kernels: readonly ConformanceKernel[]): string {
  return kernels.map((k) => `[kernel:${k}] `).join('');
}
