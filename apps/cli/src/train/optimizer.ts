/** `--optimizer` and its hyperparameters, with PyTorch's defaults where a flag is left out. */
import type { Tensor } from '@myelin/core';
import { Adam, AdamW, type Optimizer, RMSprop, SGD } from '@myelin/optim';
import type { OptimizerSettings } from '../checkpoint/checkpoint.js';

export const OPTIMIZERS = ['sgd', 'adam', 'adamw', 'rmsprop'] as const;
export type OptimizerName = (typeof OPTIMIZERS)[number];

/** Learning rates that train the presets well in a few epochs (PyTorch's Adam default, 1e-3, is slower here). */
export const DEFAULT_LR: Record<OptimizerName, number> = {
  sgd: 0.01,
  adam: 3e-3,
  adamw: 3e-3,
  rmsprop: 1e-3,
};
/** AdamW decays by default (PyTorch: 0.01); the others do not. */
export const DEFAULT_WEIGHT_DECAY: Record<OptimizerName, number> = {
  sgd: 0,
  adam: 0,
  adamw: 0.01,
  rmsprop: 0,
};
/** SGD without momentum is slow on every preset, so the CLI's SGD has 0.9 unless told otherwise. */
export const DEFAULT_MOMENTUM: Record<OptimizerName, number> = { sgd: 0.9, adam: 0, adamw: 0, rmsprop: 0 };

/** The settings of a run: the flags given, the defaults for the rest. */
export function optimizerSettings(
  name: OptimizerName,
  given: { lr?: number | undefined; weightDecay?: number | undefined; momentum?: number | undefined },
): OptimizerSettings {
  return {
    name,
    lr: given.lr ?? DEFAULT_LR[name],
    weightDecay: given.weightDecay ?? DEFAULT_WEIGHT_DECAY[name],
    momentum: given.momentum ?? DEFAULT_MOMENTUM[name],
  };
}

// biome-ignore lint/suspicious/noExplicitAny: the optimisers differ only in their options type.
export type AnyOptimizer = Optimizer<any>;

/** Makes the optimiser over `params`. */
export function makeOptimizer(settings: OptimizerSettings, params: Tensor[]): AnyOptimizer {
  const { lr, weightDecay, momentum } = settings;
  switch (settings.name as OptimizerName) {
    case 'sgd':
      return new SGD(params, { lr, weightDecay, momentum });
    case 'adam':
      return new Adam(params, { lr, weightDecay });
    case 'adamw':
      return new AdamW(params, { lr, weightDecay });
    case 'rmsprop':
      return new RMSprop(params, { lr, weightDecay, momentum });
  }
}

/** `adam lr 0.001`, plus the non-default knobs. */
export function describeOptimizer(s: OptimizerSettings): string {
  const parts = [`${s.name} lr ${s.lr}`];
  if (s.weightDecay > 0) parts.push(`weight decay ${s.weightDecay}`);
  if (s.momentum > 0) parts.push(`momentum ${s.momentum}`);
  return parts.join(', ');
}
