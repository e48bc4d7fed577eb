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
export { Module, StateDictError, type ModuleSpec, type StateDict } from './module.js';
export { Sequential } from './sequential.js';
export { Linear, type LinearOptions } from './linear.js';
export { Conv2d, type Conv2dOptions } from './conv.js';
export { AvgPool2d, MaxPool2d, type Pool2dOptions } from './pooling.js';
export { BatchNorm1d, BatchNorm2d, type BatchNormOptions } from './batchnorm.js';
export { Dropout } from './dropout.js';
export { Flatten } from './flatten.js';
export { LeakyReLU, LogSoftmax, PReLU, RReLU, ReLU, Sigmoid, Softmax, Tanh, type PReLUOptions } from './activations.js';
export * as init from './init.js';
export type { FanMode, InitFn, InitSpec, KaimingOptions, LayerInit, Nonlinearity } from './init.js';
export {
  binaryCrossEntropy,
  binaryCrossEntropyWithLogits,
  crossEntropy,
  mseLoss,
  nllLoss,
  type BCEOptions,
  type BCEWithLogitsOptions,
  type LossOptions,
  type Reduction,
} from './losses.js';
export { l1Penalty, l2Penalty } from './regularization.js';
export { Ensemble, mcDropoutPredict, type MCDropoutOptions } from './ensemble.js';
export {
  correctCount,
  evaluate,
  fit,
  type Batch,
  type BatchLog,
  type BatchSource,
  type EarlyStopping,
  type EpochLog,
  type EpochScheduler,
  type Evaluation,
  type EvaluateOptions,
  type FitOptions,
  type History,
  type LossFn,
  type Metric,
  type MetricFn,
  type StepOptimizer,
} from './train.js';
export {
  MAX_HEADER_BYTES,
  SafetensorsError,
  decodeSafetensors,
  encodeSafetensors,
  fromRawTensors,
  toRawTensors,
  type DecodedSafetensors,
  type RawTensor,
} from './safetensors.js';
export {
  CHECKPOINT_FORMAT,
  CheckpointError,
  decodeCheckpoint,
  encodeCheckpoint,
  type Checkpoint,
  type CheckpointContents,
  type RestoreTargets,
  type RngState,
  type Stateful,
} from './checkpoint.js';
