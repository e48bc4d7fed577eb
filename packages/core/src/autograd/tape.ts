/**
 * Reverse-mode autograd on a tape, micrograd-clear: each op that produced a tensor leaves a node with
 * its inputs and a closure mapping the output's gradient to the inputs' gradients. `backward()` walks the
 * nodes in reverse topological order and accumulates into the leaves' `.grad`.
 */
import type { Tensor } from '../tensor/tensor.js';

/** Maps the gradient of an op's output to the gradients of its inputs (null where none flows). */
export type BackwardFn = (dy: Tensor) => readonly (Tensor | null)[];

/** How a non-leaf tensor was made. */
export interface GradNode {
  readonly op: string;
  readonly inputs: readonly Tensor[];
  readonly backward: BackwardFn;
}

let enabled = true;

/** Whether new ops record gradients. */
export function isGradEnabled(): boolean {
  return enabled;
}

/**
 * Runs `fn` without recording gradients (evaluation, optimiser updates).
 *
 * @example
 * ```ts
 * const pred = noGrad(() => model.forward(x));
 * ```
 */
export function noGrad<T>(fn: () => T): T {
  const prev = enabled;
  enabled = false;
  try {
    return fn();
  } finally {
    enabled = prev;
  }
}

/** Sets whether gradients are recorded; returns the previous setting. */
export function setGradEnabled(value: boolean): boolean {
  const prev = enabled;
  enabled = value;
  return prev;
}

/** Attaches a grad node to `out` if recording is on and some input requires a gradient. */
export function record(op: string, out: Tensor, inputs: readonly Tensor[], backward: BackwardFn): Tensor {
  if (!enabled) return out;
  if (!inputs.some((t) => t.requiresGrad)) return out;
  out.requiresGrad = true;
  out.gradNode = { op, inputs, backward };
  return out;
}

/** Tensors reachable from `root` through grad nodes, inputs before outputs. */
export function topoOrder(root: Tensor): Tensor[] {
  const order: Tensor[] = [];
  const seen = new Set<Tensor>();
  // Iterative DFS: deep networks would overflow a recursive one.
  const stack: [Tensor, number][] = [[root, 0]];
  seen.add(root);
  while (stack.length > 0) {
    const top = stack[stack.length - 1] as [Tensor, number];
    const [t, i] = top;
    const inputs = t.gradNode?.inputs ?? [];
    if (i < inputs.length) {
      top[1] = i + 1;
      const child = inputs[i] as Tensor;
      if (child.requiresGrad && !seen.has(child)) {
        seen.add(child);
        stack.push([child, 0]);
      }
    } else {
      stack.pop();
      order.push(t);
    }
  }
  return order;
}
