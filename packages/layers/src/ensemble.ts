/** Model averaging: `Ensemble` of classifiers, and Monte-Carlo dropout prediction. */
import {
  ArgumentError,
  add,
  div,
  mean,
  noGrad,
  softmax,
  sqrt,
  square,
  stack,
  sub,
  type Tensor,
  tidy,
} from '@myelin/core';
import { Dropout } from './dropout.js';
import { Module } from './module.js';

/**
 * Averages the softmax probabilities of its members (each a classifier returning logits [N, C]).
 * `forward` returns probabilities, not logits: use `nllLoss(log(p), y)` or accuracy on them.
 * Members are children `0`, `1`, ...; `train()`/`eval()` and `stateDict()` reach them all.
 *
 * @example
 * ```ts
 * const ens = new Ensemble([modelA, modelB, modelC]).eval();
 * const probs = noGrad(() => ens.forward(x));
 * ```
 */
export class Ensemble extends Module {
  constructor(members: readonly Module[]) {
    super();
    if (!Array.isArray(members) || members.length === 0)
      throw new ArgumentError('Ensemble', 'needs at least one member');
    for (const [i, m] of members.entries()) this.registerModule(String(i), m);
  }

  /** The member models. */
  get members(): Module[] {
    return this.children();
  }

  forward(x: Tensor): Tensor {
    const members = this.members;
    let acc: Tensor | null = null;
    for (const m of members) {
      const p = softmax(m.forward(x), -1);
      acc = acc ? add(acc, p) : p;
    }
    return div(acc as Tensor, members.length);
  }
}

/** Options of `mcDropoutPredict`. */
export interface MCDropoutOptions {
  /** Apply softmax (over the last dim) to each pass before averaging (default true: classifiers). */
  softmax?: boolean;
}

/**
 * Monte-Carlo dropout (Gal & Ghahramani): runs `passes` forward passes with the model in evaluation mode
 * but its `Dropout` layers on, and returns the mean of the passes' outputs (softmax probabilities by
 * default) and their standard deviation, a measure of the model's uncertainty. No gradients are recorded;
 * the model's modes are restored afterwards.
 *
 * @example
 * ```ts
 * const { mean, std } = mcDropoutPredict(model, x, 30);
 * ```
 */
export function mcDropoutPredict(
  model: Module,
  x: Tensor,
  passes: number,
  options: MCDropoutOptions = {},
): { mean: Tensor; std: Tensor } {
  if (!Number.isInteger(passes) || passes < 1)
    throw new ArgumentError('mcDropoutPredict', `passes must be a positive integer, got ${passes}`);
  const modes = model.modules().map((m) => [m, m.training] as const);
  model.eval();
  for (const m of model.modules()) if (m instanceof Dropout) m.training = true;
  try {
    return noGrad(() =>
      tidy(() => {
        const outs: Tensor[] = [];
        for (let i = 0; i < passes; i++) {
          const y = model.forward(x);
          outs.push(options.softmax === false ? y : softmax(y, -1));
        }
        const all = stack(outs, 0);
        const m = mean(all, 0);
        const s = sqrt(mean(square(sub(all, m)), 0));
        return { mean: m, std: s };
      }),
    );
  } finally {
    for (const [m, t] of modes) m.training = t;
  }
}
