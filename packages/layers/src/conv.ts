/** `Conv2d`: 2-D convolution over NCHW images. */
import { ArgumentError, conv2d, type Tensor } from '@myelin/core';
import type { LayerInit } from './init.js';
import { resolveInit } from './init.js';
import { defaultBiasInit, defaultWeightInit } from './linear.js';
import { expectRank, Module } from './module.js';

type Pair = number | readonly [number, number];

function toPair(name: string, v: Pair, min: number): [number, number] {
  const p: [number, number] = typeof v === 'number' ? [v, v] : [v[0], v[1]];
  if (!p.every((n) => Number.isInteger(n) && n >= min)) {
    throw new ArgumentError(
      'Conv2d',
      `${name} must be an integer ≥ ${min} or a pair of them, got ${JSON.stringify(v)}`,
    );
  }
  return p;
}

/** Options of `Conv2d` (PyTorch's defaults). */
export interface Conv2dOptions {
  stride?: Pair;
  padding?: Pair;
  dilation?: Pair;
  /** Learn a bias per output channel (default true). */
  bias?: boolean;
  /** Initialisation (default PyTorch's, as Linear). */
  init?: LayerInit;
}

/**
 * 2-D convolution: input [N, inChannels, H, W], `weight` [outChannels, inChannels, kH, kW], `bias`
 * [outChannels]. Cross-correlation, as PyTorch.
 *
 * @example
 * ```ts
 * const conv = new Conv2d(1, 8, 3, { padding: 1 }); // [N,1,28,28] → [N,8,28,28]
 * ```
 */
export class Conv2d extends Module {
  readonly weight: Tensor;
  readonly bias: Tensor | null;
  readonly kernelSize: [number, number];
  readonly stride: [number, number];
  readonly padding: [number, number];
  readonly dilation: [number, number];

  constructor(
    readonly inChannels: number,
    readonly outChannels: number,
    kernelSize: Pair,
    options: Conv2dOptions = {},
  ) {
    super();
    for (const [k, v] of [
      ['inChannels', inChannels],
      ['outChannels', outChannels],
    ] as const) {
      if (!Number.isInteger(v) || v < 1)
        throw new ArgumentError('Conv2d', `${k} must be a positive integer, got ${v}`);
    }
    this.kernelSize = toPair('kernelSize', kernelSize, 1);
    this.stride = toPair('stride', options.stride ?? 1, 1);
    this.padding = toPair('padding', options.padding ?? 0, 0);
    this.dilation = toPair('dilation', options.dilation ?? 1, 1);
    const wShape = [outChannels, inChannels, ...this.kernelSize];
    this.weight = this.registerParameter(
      'weight',
      resolveInit(options.init, 'weight', wShape, defaultWeightInit),
    );
    this.bias = this.registerParameter(
      'bias',
      (options.bias ?? true)
        ? resolveInit(options.init, 'bias', [outChannels], defaultBiasInit(wShape))
        : null,
    );
  }

  forward(x: Tensor): Tensor {
    expectRank('Conv2d', x, [4], `input [N, ${this.inChannels}, H, W]`);
    if (x.shape[1] !== this.inChannels) {
      throw new ArgumentError(
        'Conv2d',
        `expects ${this.inChannels} input channels, got [${x.shape.join(',')}]`,
      );
    }
    return conv2d(x, this.weight, this.bias, {
      stride: this.stride,
      padding: this.padding,
      dilation: this.dilation,
    });
  }

  override config(): Record<string, unknown> {
    return {
      inChannels: this.inChannels,
      outChannels: this.outChannels,
      kernelSize: this.kernelSize,
      stride: this.stride,
      padding: this.padding,
      dilation: this.dilation,
      bias: this.bias !== null,
    };
  }
}
