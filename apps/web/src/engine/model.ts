/**
 * The playground's model: an MLP built from the controls (depth × width, activation, initialiser,
 * batch norm, dropout), its loss and its optimiser. Every hidden layer is one `Block`, so the metrics can
 * look inside it (the activation's output, the Linear's gradient) without hooks.
 */
import {
  abs,
  all,
  cast,
  greater,
  lessEqual,
  mean,
  mul,
  oneHot,
  softmax,
  sub,
  type Tensor,
} from '@myelin/core';
import {
  BatchNorm1d,
  crossEntropy,
  Dropout,
  LeakyReLU,
  Linear,
  type Module,
  mseLoss,
  ReLU,
  Sequential,
  Sigmoid,
  Tanh,
} from '@myelin/layers';
import { Adam, AdamW, RMSprop, SGD } from '@myelin/optim';
import type { ActivationName, LossName, OptimizerName, PlaygroundConfig } from '../protocol.js';

/** A built model and the pieces the metrics look at. */
export interface BuiltModel {
  model: Sequential;
  /** Each hidden layer's Linear, then the output Linear. */
  linears: Linear[];
  /** Each hidden layer's activation module. */
  activations: Module[];
}

function activation(name: ActivationName): Module {
  switch (name) {
    case 'relu':
      return new ReLU();
    case 'leakyRelu':
      return new LeakyReLU(0.01);
    case 'tanh':
      return new Tanh();
    case 'sigmoid':
      return new Sigmoid();
  }
}

/**
 * `depth` hidden layers of `width` units (Linear → [BatchNorm1d] → activation → [Dropout]) and a Linear
 * output of `classes` logits. Draws its initial weights from the global generator: seed it first.
 */
export function buildModel(config: PlaygroundConfig, inputs: number, classes: number): BuiltModel {
  const model = new Sequential();
  const linears: Linear[] = [];
  const activations: Module[] = [];
  let fanIn = inputs;
  for (let i = 0; i < config.depth; i++) {
    const fc = new Linear(fanIn, config.width, { init: config.init });
    model.append(fc);
    linears.push(fc);
    if (config.batchNorm) model.append(new BatchNorm1d(config.width));
    const act = activation(config.activation);
    model.append(act);
    activations.push(act);
    if (config.dropout > 0) model.append(new Dropout(config.dropout));
    fanIn = config.width;
  }
  const out = new Linear(fanIn, classes, { init: config.init });
  model.append(out);
  linears.push(out);
  return { model, linears, activations };
}

/** The loss of logits against class indices. */
export type LossFn = (logits: Tensor, labels: Tensor) => Tensor;

/**
 * The loss by name: cross-entropy on logits, or the squared error between the softmax probabilities and
 * the one-hot labels (the "MSE for classification" that trains more slowly, for comparison).
 */
export function lossFunction(name: LossName, classes: number): LossFn {
  switch (name) {
    case 'crossEntropy':
      return (logits, labels) => crossEntropy(logits, labels);
    case 'mse':
      // Summed over classes, averaged over samples: the scale of cross-entropy, so learning rates carry over.
      return (logits, labels) =>
        mul(mseLoss(softmax(logits, -1), cast(oneHot(labels, classes), 'float32')), classes);
  }
}

/** The optimiser by name; momentum is SGD with 0.9 momentum. */
export function makeOptimizer(
  name: OptimizerName,
  params: Tensor[],
  lr: number,
): Adam | AdamW | SGD | RMSprop {
  switch (name) {
    case 'adam':
      return new Adam(params, { lr });
    case 'adamw':
      return new AdamW(params, { lr, weightDecay: 0.01 });
    case 'sgd':
      return new SGD(params, { lr });
    case 'momentum':
      return new SGD(params, { lr, momentum: 0.9 });
    case 'rmsprop':
      return new RMSprop(params, { lr });
  }
}

/**
 * Per hidden unit, whether it is dead on this batch: a ReLU (or leaky) unit that is never active, a
 * tanh or sigmoid unit saturated (derivative under 2% of its peak) for every sample. Returns the fraction
 * of dead units of the layer, as a scalar tensor.
 */
export function deadFraction(name: ActivationName, activated: Tensor): Tensor {
  let inactive: Tensor;
  switch (name) {
    case 'relu':
    case 'leakyRelu':
      inactive = lessEqual(activated, 0);
      break;
    case 'tanh':
      inactive = greater(abs(activated), 0.99);
      break;
    case 'sigmoid':
      inactive = greater(abs(sub(activated, 0.5)), 0.495);
      break;
  }
  return mean(cast(all(inactive, 0), 'float32'));
}
