/** The functional form of autograd: `grad(f)` and `valueAndGrad(f)`, JAX style. */
import { ArgumentError, fmt } from '../errors/errors.js';
import { tidy, unkeep } from '../memory/scope.js';
import { zerosLike } from '../ops/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import { backward } from './backward.js';

/**
 * Returns a function computing `f`'s value and the gradient of `f` (a scalar) with respect to each
 * argument. The arguments are not modified; their `.grad` is untouched.
 *
 * @example
 * ```ts
 * const { value, grads } = valueAndGrad((x) => x.mul(x).sum())(tensor([1, 2]));
 * // grads[0] = [2, 4]
 * ```
 */
export function valueAndGrad(
  f: (...xs: Tensor[]) => Tensor,
): (...xs: Tensor[]) => { value: Tensor; grads: Tensor[] } {
  return (...xs: Tensor[]) => {
    const leaves = xs.map((x) => {
      if (x.dtype !== 'float32')
        throw new ArgumentError('valueAndGrad', `arguments must be float32, got ${x.dtype} ${fmt(x.shape)}`);
      const l = x.detach();
      l.requiresGrad = true;
      return l;
    });
    try {
      const value = tidy(() => {
        const y = f(...leaves);
        if (y.size !== 1)
          throw new ArgumentError('valueAndGrad', `f must return a scalar, got ${fmt(y.shape)}`);
        backward(y);
        const v = y.detach();
        return v;
      });
      const grads = leaves.map((l, i) => {
        const g = l.grad;
        l.grad = null;
        // The gradient was kept through backward's scope; it now belongs to the caller's scope.
        if (g) return unkeep(g);
        return zerosLike(xs[i] as Tensor);
      });
      return { value, grads };
    } finally {
      for (const l of leaves) l.dispose();
    }
  };
}

/**
 * Returns a function computing the gradients of scalar `f` with respect to each argument.
 *
 * @example
 * ```ts
 * const [dx] = grad((x) => x.square().sum())(tensor([3])); // [6]
 * ```
 */
export function grad(f: (...xs: Tensor[]) => Tensor): (...xs: Tensor[]) => Tensor[] {
  const vg = valueAndGrad(f);
  return (...xs: Tensor[]) => {
    const { value, grads } = vg(...xs);
    value.dispose();
    return grads;
  };
}
