/**
 * `backward()`: walk the tape from a result to its leaves, accumulating gradients.
 */
import { ArgumentError, fmt, ShapeError } from '../errors/errors.js';
import { keep, tidy } from '../memory/scope.js';
import { add } from '../ops/binary.js';
import { onesLike } from '../ops/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import { setGradEnabled, topoOrder } from './tape.js';

/**
 * Computes d(root)/d(leaf) for every leaf with `requiresGrad` reachable from `root`, adding it to the
 * leaf's `.grad` (as PyTorch accumulates). `gradient` is the upstream gradient (ones for a scalar root).
 */
export function backward(root: Tensor, gradient?: Tensor): void {
  if (!root.requiresGrad) {
    throw new ArgumentError(
      'backward',
      `tensor ${fmt(root.shape)} does not require a gradient (no input had requiresGrad)`,
    );
  }
  if (gradient === undefined && root.size !== 1) {
    throw new ShapeError(
      'backward',
      `an implicit gradient needs a scalar; pass a gradient for ${fmt(root.shape)}`,
    );
  }
  if (gradient !== undefined && gradient.shape.join(',') !== root.shape.join(',')) {
    throw new ShapeError('backward', `gradient ${fmt(gradient.shape)} does not match ${fmt(root.shape)}`);
  }
  const prev = setGradEnabled(false);
  try {
    tidy(() => {
      const order = topoOrder(root);
      const grads = new Map<Tensor, Tensor>();
      grads.set(root, gradient ?? onesLike(root));
      // One tensor may be the gradient of several inputs (add's backward); each leaf gets its own.
      const assigned = new Set<Tensor>();
      for (let i = order.length - 1; i >= 0; i--) {
        const t = order[i] as Tensor;
        const g = grads.get(t);
        if (!g) continue;
        const node = t.gradNode;
        if (!node) {
          // A leaf: accumulate into .grad, which outlives this scope.
          if (t.grad && !t.grad.isDisposed) {
            const sum = add(t.grad, g);
            t.grad.dispose();
            t.grad = keep(sum);
          } else {
            t.grad = keep(g === gradient || assigned.has(g) || g.kept ? add(g, 0) : g);
            assigned.add(t.grad);
          }
          continue;
        }
        const inputGrads = node.backward(g);
        node.inputs.forEach((input, k) => {
          const gi = inputGrads[k];
          if (!gi || !input.requiresGrad) return;
          const prevG = grads.get(input);
          grads.set(input, prevG ? add(prevG, gi) : gi);
        });
      }
    });
  } finally {
    setGradEnabled(prev);
  }
}
