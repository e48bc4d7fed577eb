/**
 * @myelin/optim — optimisers, learning-rate schedules and gradient clipping. Imports only `@myelin/core`.
 *
 * @example
 * ```ts
 * import { Adam, CosineAnnealingLR } from '@myelin/optim';
 * const opt = new Adam(model.parameters(), { lr: 1e-3 });
 * const sched = new CosineAnnealingLR(opt, 20);
 * ```
 */

export { Adam, type AdamOptions, AdamW } from './adam.js';
export { clipGradNorm_, clipGradValue_ } from './clip.js';
export {
  type BaseOptions,
  Optimizer,
  type OptimizerStateDict,
  type ParamGroup,
  type ParamState,
  type ParamsInput,
  type SerializedTensor,
} from './optimizer.js';
export { RMSprop, type RMSpropOptions } from './rmsprop.js';
export {
  CosineAnnealingLR,
  ExponentialLR,
  LinearWarmup,
  LRScheduler,
  type SchedulableOptimizer,
  type SchedulerStateDict,
  StepLR,
} from './schedulers.js';
export { SGD, type SGDOptions } from './sgd.js';
