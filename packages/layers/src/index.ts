/**
 * @myelin/layers — `Module` and the layers of a PyTorch user's first models, initialisers, losses,
 * regularisers, ensembles, the `fit`/`evaluate` training loop and safetensors checkpoints.
 * Imports only `@myelin/core`; file checkpoints live in `@myelin/layers/node`.
 *
 * @example
 * ```ts
 * import { Sequential, Linear, ReLU, crossEntropy, fit } from '@myelin/layers';
 * const model = new Sequential(new Linear(64, 64), new ReLU(), new Linear(64, 10));
 * await fit(model, { optimizer, loss: crossEntropy, train: batches, epochs: 5 });
 * ```
 */

export {
  LeakyReLU,
  LogSoftmax,
  PReLU,
  type PReLUOptions,
  ReLU,
  RReLU,
  Sigmoid,
  Softmax,
  Tanh,
} from './activations.js';
export { BatchNorm1d, BatchNorm2d, type BatchNormOptions } from './batchnorm.js';
export {
  CHECKPOINT_FORMAT,
  type Checkpoint,
  type CheckpointContents,
  CheckpointError,
  decodeCheckpoint,
  encodeCheckpoint,
  type RestoreTargets,
  type RngState,
  type Stateful,
} from './checkpoint.js';
export { Conv2d, type Conv2dOptions } from './conv.js';
export { Dropout } from './dropout.js';
export { Ensemble, type MCDropoutOptions, mcDropoutPredict } from './ensemble.js';
export { Flatten } from './flatten.js';
export type { FanMode, InitFn, InitSpec, KaimingOptions, LayerInit, Nonlinearity } from './init.js';
export * as init from './init.js';
export { Linear, type LinearOptions } from './linear.js';
export {
  type BCEOptions,
  type BCEWithLogitsOptions,
  binaryCrossEntropy,
  binaryCrossEntropyWithLogits,
  crossEntropy,
  type LossOptions,
  mseLoss,
  nllLoss,
  type Reduction,
} from './losses.js';
export { Module, type ModuleSpec, type StateDict, StateDictError } from './module.js';
export { AvgPool2d, MaxPool2d, type Pool2dOptions } from './pooling.js';
export { l1Penalty, l2Penalty } from './regularization.js';
export {
  type DecodedSafetensors,
  decodeSafetensors,
  encodeSafetensors,
  fromRawTensors,
  MAX_HEADER_BYTES,
  type RawTensor,
  SafetensorsError,
  toRawTensors,
} from './safetensors.js';
export { Sequential } from './sequential.js';
export {
  type Batch,
  type BatchLog,
  type BatchSource,
  correctCount,
  type EarlyStopping,
  type EpochLog,
  type EpochScheduler,
  type EvaluateOptions,
  type Evaluation,
  evaluate,
  type FitOptions,
  fit,
  type History,
  type LossFn,
  type Metric,
  type MetricFn,
  type StepOptimizer,
} from './train.js';
