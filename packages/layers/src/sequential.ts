/** `Sequential`: modules applied one after another. */
import { ArgumentError, type Tensor } from '@myelin/core';
import { Module } from './module.js';

/**
 * Chains modules; children are named `0`, `1`, ... as in PyTorch, so state-dict keys match
 * (`0.weight`, `2.running_mean`).
 *
 * @example
 * ```ts
 * const model = new Sequential(new Linear(784, 128), new ReLU(), new Linear(128, 10));
 * const logits = model.forward(x);
 * ```
 */
export class Sequential extends Module {
  constructor(...modules: Module[]) {
    super();
    for (const m of modules) this.append(m);
  }

  /** Adds a module at the end. Returns this. */
  append(module: Module): this {
    if (!(module instanceof Module))
      throw new ArgumentError('Sequential', `every item must be a Module, got ${typeof module}`);
    this.registerModule(String(this._modules.size), module);
    return this;
  }

  /** The i-th module (negative counts from the end). */
  at(index: number): Module {
    const list = [...this._modules.values()];
    const m = list[index < 0 ? list.length + index : index];
    if (!m)
      throw new ArgumentError('Sequential', `index ${index} is out of range for ${list.length} modules`);
    return m;
  }

  /** Number of modules. */
  get length(): number {
    return this._modules.size;
  }

  [Symbol.iterator](): Iterator<Module> {
    return this._modules.values();
  }

  forward(x: Tensor): Tensor {
    let y = x;
    for (const m of this._modules.values()) y = m.forward(y);
    return y;
  }
}
