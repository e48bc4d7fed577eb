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
export {
  Optimizer,
  type BaseOptions,
  type OptimizerStateDict,
  type ParamGroup,
  type ParamState,
  type ParamsInput,
  type SerializedTensor,
} from './optimizer.js';
export { SGD, type SGDOptions } from './sgd.js';
export { Adam, AdamW, type AdamOptions } from './adam.js';
export { RMSprop, type RMSpropOptions } from './rmsprop.js';
export {
  CosineAnnealingLR,
  ExponentialLR,
  LRScheduler,
  LinearWarmup,
  StepLR,
  type SchedulableOptimizer,
  type SchedulerStateDict,
} from './schedulers.js';
export { clipGradNorm_, clipGradValue_ } from './clip.js';
