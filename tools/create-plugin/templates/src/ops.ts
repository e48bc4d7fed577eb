/**
 * The op, made with core's `defineOp`: its forward pass is a kernel each backend gets from `register()`,
 * its gradient is written once, with core's ops, so it runs on every backend.
 */
import { abs, add, DTypeError, defineOp, div, fmt, square, type Tensor } from '@myelin/core';

/** The package name: kernels are registered with it (`registerKernel(..., { plugin })`), so errors name it. */
export const PLUGIN_NAME = '__PACKAGE__';

/** The kernel names this plugin registers on each backend. */
export const KERNELS = { __OP__: '__OP__' } as const;

const op = defineOp({
  name: '__OP__',
  kernel: KERNELS.__OP__,
  output: ([x]) => {
    const t = x as Tensor;
    if (t.dtype !== 'float32')
      throw new DTypeError('__OP__', `expects a float32 tensor, got ${t.dtype} ${fmt(t.shape)}`);
    return { shape: t.shape, dtype: 'float32' };
  },
  // d/dx x / (1 + |x|) = 1 / (1 + |x|)².
  backward: (dy, [x]) => [div(dy, square(add(abs(x as Tensor), 1)))],
});

/**
 * The op. Differentiable. Call `register()` once first.
 *
 * @example
 * ```ts
 * register();
 * const y = __OP__(tensor([-1, 0, 3])); // [-0.5, 0, 0.75]
 * ```
 */
export function __OP__(x: Tensor): Tensor {
  return op([x]);
}
