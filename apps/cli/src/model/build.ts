/** Turns a resolved layer list into a `Sequential` of @myelin/layers modules. */
import {
  AvgPool2d,
  BatchNorm1d,
  BatchNorm2d,
  Conv2d,
  Dropout,
  Flatten,
  LeakyReLU,
  Linear,
  MaxPool2d,
  type Module,
  PReLU,
  ReLU,
  RReLU,
  Sequential,
  Sigmoid,
  Tanh,
} from '@myelin/layers';
import type { ResolvedLayer } from './spec.js';

/** Weight initialisers a run may choose (`default` is PyTorch's per-layer default). */
export const INITIALISERS = [
  'default',
  'kaiming-uniform',
  'kaiming-normal',
  'xavier-uniform',
  'xavier-normal',
] as const;
export type InitName = (typeof INITIALISERS)[number];

const INIT_SPEC = {
  default: 'default',
  'kaiming-uniform': 'kaimingUniform',
  'kaiming-normal': 'kaimingNormal',
  'xavier-uniform': 'xavierUniform',
  'xavier-normal': 'xavierNormal',
} as const;

/**
 * Builds the model. Biases keep their default initialisation; `init` chooses the weights'.
 *
 * @example
 * ```ts
 * const model = buildModel(resolveArchitecture(arch, [1, 8, 8], 10, 'digits'), 'kaiming-normal');
 * ```
 */
export function buildModel(layers: readonly ResolvedLayer[], init: InitName): Sequential {
  const weight = { weight: INIT_SPEC[init], bias: 'default' } as const;
  const modules: Module[] = layers.map(({ spec, inShape }): Module => {
    switch (spec.type) {
      case 'linear':
        return new Linear(inShape[0] as number, spec.out, { bias: spec.bias ?? true, init: weight });
      case 'conv2d':
        return new Conv2d(inShape[0] as number, spec.out, spec.kernel, {
          stride: spec.stride ?? 1,
          padding: spec.padding ?? 0,
          bias: spec.bias ?? true,
          init: weight,
        });
      case 'maxpool2d':
        return new MaxPool2d(spec.kernel, { stride: spec.stride ?? spec.kernel, padding: spec.padding ?? 0 });
      case 'avgpool2d':
        return new AvgPool2d(spec.kernel, { stride: spec.stride ?? spec.kernel, padding: spec.padding ?? 0 });
      case 'batchnorm':
        return inShape.length === 3
          ? new BatchNorm2d(inShape[0] as number)
          : new BatchNorm1d(inShape[0] as number);
      case 'dropout':
        return new Dropout(spec.p);
      case 'flatten':
        return new Flatten();
      case 'relu':
        return new ReLU();
      case 'leaky-relu':
        return new LeakyReLU();
      case 'prelu':
        return new PReLU();
      case 'rrelu':
        return new RReLU();
      case 'tanh':
        return new Tanh();
      case 'sigmoid':
        return new Sigmoid();
      default:
        throw new Error(`unknown layer type ${(spec as { type: string }).type}`);
    }
  });
  return new Sequential(...modules);
}
