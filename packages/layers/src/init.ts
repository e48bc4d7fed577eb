/**
 * Weight initialisers, as PyTorch's `torch.nn.init`: each returns a new float32 tensor of `shape` drawn
 * from Myelin's seeded Philox stream (`manualSeed` makes them reproducible on every backend).
 * Fans follow PyTorch: for a weight [out, in, ...kernel], fanIn = in·∏kernel, fanOut = out·∏kernel.
 */
import { ArgumentError, full, rand, randn, type Tensor } from '@myelin/core';

/** Non-linearities whose recommended gain `calculateGain` knows. */
export type Nonlinearity =
  | 'linear'
  | 'conv1d'
  | 'conv2d'
  | 'conv3d'
  | 'sigmoid'
  | 'tanh'
  | 'relu'
  | 'leaky_relu'
  | 'selu';

/** Which fan Kaiming initialisation preserves: the forward pass's variance (`fan_in`) or the backward's. */
export type FanMode = 'fan_in' | 'fan_out';

/** The fans of a weight shape (PyTorch's `_calculate_fan_in_and_fan_out`). Needs at least 2 dims. */
export function computeFans(shape: readonly number[]): { fanIn: number; fanOut: number } {
  if (shape.length < 2) {
    throw new ArgumentError(
      'init',
      `fan in and fan out need a tensor of at least 2 dims, got [${shape.join(',')}]`,
    );
  }
  const receptive = shape.slice(2).reduce((a, b) => a * b, 1);
  return { fanIn: (shape[1] as number) * receptive, fanOut: (shape[0] as number) * receptive };
}

/**
 * The recommended gain for a non-linearity (PyTorch's `calculate_gain`): 1 for linear/conv/sigmoid,
 * 5/3 for tanh, √2 for relu, √(2/(1+a²)) for leaky_relu with slope `param` (default 0.01), 3/4 for selu.
 *
 * @example
 * ```ts
 * calculateGain('relu'); // 1.414...
 * ```
 */
export function calculateGain(nonlinearity: Nonlinearity, param?: number): number {
  switch (nonlinearity) {
    case 'linear':
    case 'conv1d':
    case 'conv2d':
    case 'conv3d':
    case 'sigmoid':
      return 1;
    case 'tanh':
      return 5 / 3;
    case 'relu':
      return Math.SQRT2;
    case 'leaky_relu': {
      const a = param ?? 0.01;
      return Math.sqrt(2 / (1 + a * a));
    }
    case 'selu':
      return 3 / 4;
    default:
      throw new ArgumentError('calculateGain', `unknown non-linearity '${String(nonlinearity)}'`);
  }
}

/** All zeros. @example `zeros([3, 4])` */
export function zeros(shape: readonly number[]): Tensor {
  return full(shape, 0);
}

/** All ones. */
export function ones(shape: readonly number[]): Tensor {
  return full(shape, 1);
}

/** Every element `value`. @example `constant([3], 0.25)` */
export function constant(shape: readonly number[], value: number): Tensor {
  return full(shape, value);
}

/** Uniform in [a, b) (default [0, 1)). */
export function uniform(shape: readonly number[], a = 0, b = 1): Tensor {
  return rand(shape, { low: a, high: b });
}

/** Normal with `mean` and `std` (default 0, 1). */
export function normal(shape: readonly number[], mean = 0, std = 1): Tensor {
  return randn(shape, { mean, std });
}

/**
 * Glorot/Xavier uniform: U(-a, a) with a = gain·√(6/(fanIn + fanOut)).
 *
 * @example
 * ```ts
 * xavierUniform([128, 784]);
 * ```
 */
export function xavierUniform(shape: readonly number[], gain = 1): Tensor {
  const { fanIn, fanOut } = computeFans(shape);
  const a = gain * Math.sqrt(6 / (fanIn + fanOut));
  return rand(shape, { low: -a, high: a });
}

/** Glorot/Xavier normal: N(0, std²) with std = gain·√(2/(fanIn + fanOut)). */
export function xavierNormal(shape: readonly number[], gain = 1): Tensor {
  const { fanIn, fanOut } = computeFans(shape);
  return randn(shape, { std: gain * Math.sqrt(2 / (fanIn + fanOut)) });
}

/** Options of the Kaiming initialisers (PyTorch's defaults: a 0, fan_in, leaky_relu). */
export interface KaimingOptions {
  /** The negative slope of the rectifier after this layer (used by leaky_relu's gain). */
  a?: number;
  mode?: FanMode;
  nonlinearity?: Nonlinearity;
}

function kaimingStd(shape: readonly number[], options: KaimingOptions): number {
  const { fanIn, fanOut } = computeFans(shape);
  const mode = options.mode ?? 'fan_in';
  if (mode !== 'fan_in' && mode !== 'fan_out')
    throw new ArgumentError('init', `mode must be 'fan_in' or 'fan_out', got '${String(mode)}'`);
  const fan = mode === 'fan_in' ? fanIn : fanOut;
  const gain = calculateGain(options.nonlinearity ?? 'leaky_relu', options.a ?? 0);
  return gain / Math.sqrt(fan);
}

/**
 * He/Kaiming uniform: U(-b, b) with b = gain·√(3/fan). PyTorch's Linear and Conv2d use it with
 * `a = √5`, which gives b = 1/√fanIn.
 *
 * @example
 * ```ts
 * kaimingUniform([64, 32, 3, 3], { nonlinearity: 'relu' });
 * ```
 */
export function kaimingUniform(shape: readonly number[], options: KaimingOptions = {}): Tensor {
  const bound = Math.sqrt(3) * kaimingStd(shape, options);
  return rand(shape, { low: -bound, high: bound });
}

/** He/Kaiming normal: N(0, std²) with std = gain/√fan. */
export function kaimingNormal(shape: readonly number[], options: KaimingOptions = {}): Tensor {
  return randn(shape, { std: kaimingStd(shape, options) });
}

/** A function making an initial tensor of a shape. */
export type InitFn = (shape: readonly number[]) => Tensor;

/** An initialiser by name, or a function. `'default'` is the layer's PyTorch default. */
export type InitSpec =
  | 'default'
  | 'zeros'
  | 'ones'
  | 'xavierUniform'
  | 'xavierNormal'
  | 'kaimingUniform'
  | 'kaimingNormal'
  | InitFn;

/** How a layer's `init` option may be given: one spec for every tensor, or one per tensor. */
export type LayerInit = InitSpec | { weight?: InitSpec; bias?: InitSpec };

/**
 * Resolves a layer's `init` option for one of its tensors: a named initialiser, a function, or the
 * layer's PyTorch default (`fallback`). Named Xavier/Kaiming apply to weights; for a bias they mean its
 * default (fans are undefined for 1-D tensors).
 */
export function resolveInit(
  spec: LayerInit | undefined,
  which: 'weight' | 'bias',
  shape: readonly number[],
  fallback: InitFn,
): Tensor {
  const s: InitSpec | undefined = typeof spec === 'object' && spec !== null ? spec[which] : spec;
  if (s === undefined || s === 'default') return fallback(shape);
  if (typeof s === 'function') {
    const t = s(shape);
    if (t.shape.join(',') !== shape.join(',')) {
      throw new ArgumentError(
        'init',
        `the ${which} initialiser returned [${t.shape.join(',')}], expected [${shape.join(',')}]`,
      );
    }
    return t;
  }
  switch (s) {
    case 'zeros':
      return zeros(shape);
    case 'ones':
      return ones(shape);
    case 'xavierUniform':
      return shape.length < 2 ? fallback(shape) : xavierUniform(shape);
    case 'xavierNormal':
      return shape.length < 2 ? fallback(shape) : xavierNormal(shape);
    case 'kaimingUniform':
      return shape.length < 2 ? fallback(shape) : kaimingUniform(shape);
    case 'kaimingNormal':
      return shape.length < 2 ? fallback(shape) : kaimingNormal(shape);
    default:
      throw new ArgumentError('init', `unknown initialiser '${String(s)}'`);
  }
}
