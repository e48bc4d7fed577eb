/** Model builders shared by the experiments. */
import type { Tensor } from '@myelin/core';
import { type LayerInit, Linear, type Module, ReLU, Sequential, Sigmoid, Tanh } from '@myelin/layers';

/** The activations the experiments compare, by name. */
export type ActivationName = 'sigmoid' | 'tanh' | 'relu';

/** A new activation layer by name. */
export function activation(name: ActivationName): Module {
  switch (name) {
    case 'sigmoid':
      return new Sigmoid();
    case 'tanh':
      return new Tanh();
    case 'relu':
      return new ReLU();
  }
}

/**
 * A multi-layer perceptron: `sizes[0]` inputs, hidden layers `sizes[1..-2]` each followed by a new
 * activation from `act`, and a linear output layer of `sizes[-1]`.
 *
 * @example
 * ```ts
 * mlp([64, 32, 10], () => new ReLU()); // Linear(64,32), ReLU, Linear(32,10)
 * ```
 */
export function mlp(sizes: readonly number[], act: () => Module, init?: LayerInit): Sequential {
  const model = new Sequential();
  for (let i = 0; i + 1 < sizes.length; i++) {
    model.append(new Linear(sizes[i] as number, sizes[i + 1] as number, init === undefined ? {} : { init }));
    if (i + 2 < sizes.length) model.append(act());
  }
  return model;
}

/** The `Linear` layers of a model, in order. */
export function linearLayers(model: Module): Linear[] {
  return model.modules().filter((m): m is Linear => m instanceof Linear);
}

/**
 * Runs `model` (a Sequential) on `x` and returns the outputs of the modules `pick` selects, in order (the
 * hidden activations, say), with the final output last. No gradients are recorded by the caller's choice.
 */
export function forwardCollect(
  model: Sequential,
  x: Tensor,
  pick: (m: Module) => boolean,
): { outputs: Tensor[]; final: Tensor } {
  const outputs: Tensor[] = [];
  let y = x;
  for (const m of model) {
    y = m.forward(y);
    if (pick(m)) outputs.push(y);
  }
  return { outputs, final: y };
}
