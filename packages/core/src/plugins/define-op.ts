/** Plugin ops: a new op backed by a kernel that plugins register per backend, with its gradient. */
import { record } from '../autograd/tape.js';
import { DTypeError, fmt, KernelError } from '../errors/errors.js';
import { asTensor } from '../ops/convert.js';
import { runKernel } from '../ops/dispatch.js';
import type { DType } from '../tensor/dtype.js';
import type { Tensor } from '../tensor/tensor.js';

/** What `defineOp` needs. */
export interface OpDefinition<A extends object> {
  /** The op's name, used in errors. */
  readonly name: string;
  /** The kernel name backends register with `registerKernel(backend, kernel, impl)`. Defaults to `name`. */
  readonly kernel?: string;
  /** The output's shape and dtype from the inputs (default: the first input's). Validate inputs here. */
  readonly output?: (inputs: readonly Tensor[], attrs: A) => { shape: readonly number[]; dtype: DType };
  /** Gradients of the inputs from the output's gradient, written with other ops (omit: not differentiable). */
  readonly backward?: (
    dy: Tensor,
    inputs: readonly Tensor[],
    output: Tensor,
    attrs: A,
  ) => readonly (Tensor | null)[];
}

/**
 * Defines a new op whose forward pass is a kernel registered per backend and whose backward pass is
 * written with existing ops (so it differentiates on every backend that has the kernel).
 *
 * @example
 * ```ts
 * const swish = defineOp<{}>({
 *   name: 'swish',
 *   backward: (dy, [x], y) => [dy.mul(sigmoid(x).add(y.mul(sub(1, sigmoid(x)))))],
 * });
 * registerKernel('cpu', 'swish', (inputs, attrs, out, backend) => ...);
 * const y = swish([x], {});
 * ```
 */
export function defineOp<A extends object = Record<string, never>>(
  def: OpDefinition<A>,
): (inputs: readonly Tensor[], attrs?: A) => Tensor {
  const kernel = def.kernel ?? def.name;
  return (inputs: readonly Tensor[], attrs: A = {} as A) => {
    if (!Array.isArray(inputs) || inputs.length === 0)
      throw new KernelError(def.name, 'needs an array of input tensors');
    for (const [i, t] of inputs.entries()) asTensor(def.name, t, `input ${i}`);
    const first = inputs[0] as Tensor;
    const spec = def.output ? def.output(inputs, attrs) : { shape: first.shape, dtype: first.dtype };
    const y = runKernel<never>(def.name, kernel, inputs, attrs as never, spec.shape, spec.dtype);
    if (!def.backward) return y;
    if (spec.dtype !== 'float32')
      throw new DTypeError(
        def.name,
        `a differentiable op must output float32, not ${spec.dtype} ${fmt(spec.shape)}`,
      );
    const bw = def.backward;
    return record(def.name, y, inputs, (dy) => {
      const grads = bw(dy, inputs, y, attrs);
      grads.forEach((g, i) => {
        const x = inputs[i] as Tensor;
        if (g && g.shape.join(',') !== x.shape.join(',')) {
          throw new KernelError(
            def.name,
            `backward returned a gradient ${fmt(g.shape)} for input ${i} of shape ${fmt(x.shape)}`,
          );
        }
      });
      return grads;
    });
  };
}
