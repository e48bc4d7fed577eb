/**
 * The plugin's ops: `gelu` (exact or tanh) and `swish`, made with core's `defineOp`. Their forward passes
 * are kernels that each backend gets from `registerGeluPlugin()`; their gradients are written once here:
 * GELU's as a kernel of its own (its derivative needs Φ, which core has no op for), Swish's with core's
 * ops (so it needs no extra kernel).
 */
import {
  ArgumentError,
  add,
  DTypeError,
  defineOp,
  fmt,
  mul,
  ShapeError,
  sigmoid,
  sub,
  type Tensor,
} from '@myelin/core';
import type { GeluApproximation } from './math.js';

/** The package name: kernels are registered with it (`registerKernel(..., { plugin })`), so errors name it. */
export const PLUGIN_NAME = '@myelin/plugin-gelu';

/**
 * The kernel names this plugin registers on each backend (`registerKernel(backend, name, impl)`).
 * A backend of your own gets these ops by registering kernels under the same names.
 */
export const KERNELS = {
  gelu: 'gelu',
  geluGrad: 'geluGrad',
  swish: 'swish',
} as const;

/** Attributes of the `gelu` and `geluGrad` kernels. */
export interface GeluAttrs {
  readonly approximate: GeluApproximation;
}

function floatInput(op: string, x: Tensor): { shape: readonly number[]; dtype: 'float32' } {
  if (x.dtype !== 'float32')
    throw new DTypeError(op, `expects a float32 tensor, got ${x.dtype} ${fmt(x.shape)}`);
  return { shape: x.shape, dtype: 'float32' };
}

/** dL/dx of GELU from dL/dy and x: the kernel `geluGrad` ([dy, x] → dx). Not differentiable itself. */
const geluGradOp = defineOp<GeluAttrs>({
  name: 'geluGrad',
  kernel: KERNELS.geluGrad,
  output: ([dy, x]) => {
    const spec = floatInput('geluGrad', x as Tensor);
    floatInput('geluGrad', dy as Tensor);
    if ((dy as Tensor).shape.join(',') !== spec.shape.join(',')) {
      throw new ShapeError('geluGrad', `dy ${fmt((dy as Tensor).shape)} and x ${fmt(spec.shape)} differ`);
    }
    return spec;
  },
});

const geluOp = defineOp<GeluAttrs>({
  name: 'gelu',
  kernel: KERNELS.gelu,
  output: ([x]) => floatInput('gelu', x as Tensor),
  backward: (dy, [x], _y, attrs) => [geluGradOp([dy, x as Tensor], attrs)],
});

const swishOp = defineOp({
  name: 'swish',
  kernel: KERNELS.swish,
  output: ([x]) => floatInput('swish', x as Tensor),
  // d/dx x·σ(x) = σ(x) + x·σ(x)·(1 − σ(x)) = σ + y·(1 − σ).
  backward: (dy, [x], y) => {
    const s = sigmoid(x as Tensor);
    return [mul(dy, add(s, mul(y, sub(1, s))))];
  },
});

/** Options of {@link gelu}. */
export interface GeluOptions {
  /** `'none'` (default): x·Φ(x) with the exact normal CDF; `'tanh'`: PyTorch's tanh approximation. */
  readonly approximate?: GeluApproximation;
}

/**
 * GELU, as `torch.nn.functional.gelu`: x·Φ(x), or with `approximate: 'tanh'`
 * 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))). Differentiable. Needs `registerGeluPlugin()` first.
 *
 * @example
 * ```ts
 * registerGeluPlugin();
 * const y = gelu(tensor([-1, 0, 1]));                       // [-0.1587, 0, 0.8413]
 * const z = gelu(tensor([-1, 0, 1]), { approximate: 'tanh' });
 * ```
 */
export function gelu(x: Tensor, options: GeluOptions = {}): Tensor {
  const approximate = options.approximate ?? 'none';
  if (approximate !== 'none' && approximate !== 'tanh') {
    throw new ArgumentError(
      'gelu',
      `approximate must be 'none' or 'tanh', got ${JSON.stringify(approximate)}`,
    );
  }
  return geluOp([x], { approximate });
}

/**
 * Swish (SiLU), as `torch.nn.functional.silu`: x·σ(x). Differentiable. Needs `registerGeluPlugin()` first.
 *
 * @example
 * ```ts
 * registerGeluPlugin();
 * const y = swish(tensor([-1, 0, 1])); // [-0.2689, 0, 0.7311]
 * ```
 */
export function swish(x: Tensor): Tensor {
  return swishOp([x]);
}
