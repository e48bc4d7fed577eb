/** Pooling layers over NCHW images. */
import { ArgumentError, avgPool2d, maxPool2d, type Tensor } from '@myelin/core';
import { expectRank, Module } from './module.js';

type Pair = number | readonly [number, number];

function toPair(layer: string, name: string, v: Pair, min: number): [number, number] {
  const p: [number, number] = typeof v === 'number' ? [v, v] : [v[0], v[1]];
  if (!p.every((n) => Number.isInteger(n) && n >= min)) {
    throw new ArgumentError(
      layer,
      `${name} must be an integer ≥ ${min} or a pair of them, got ${JSON.stringify(v)}`,
    );
  }
  return p;
}

/** Options of the pooling layers: stride defaults to the kernel size, padding to 0 (PyTorch). */
export interface Pool2dOptions {
  stride?: Pair;
  padding?: Pair;
}

abstract class Pool2d extends Module {
  readonly kernelSize: [number, number];
  readonly stride: [number, number];
  readonly padding: [number, number];

  constructor(kernelSize: Pair, options: Pool2dOptions) {
    super();
    const name = this.constructor.name;
    this.kernelSize = toPair(name, 'kernelSize', kernelSize, 1);
    this.stride = toPair(name, 'stride', options.stride ?? this.kernelSize, 1);
    this.padding = toPair(name, 'padding', options.padding ?? 0, 0);
  }

  override config(): Record<string, unknown> {
    return { kernelSize: this.kernelSize, stride: this.stride, padding: this.padding };
  }
}

/**
 * Max pooling: each output is the maximum of a kernel window.
 *
 * @example
 * ```ts
 * new MaxPool2d(2).forward(x); // [N,C,28,28] → [N,C,14,14]
 * ```
 */
export class MaxPool2d extends Pool2d {
  constructor(kernelSize: Pair, options: Pool2dOptions = {}) {
    super(kernelSize, options);
  }
  forward(x: Tensor): Tensor {
    expectRank('MaxPool2d', x, [4], 'input [N, C, H, W]');
    return maxPool2d(x, this.kernelSize, { stride: this.stride, padding: this.padding });
  }
}

/**
 * Average pooling: each output is the mean of a kernel window (padded zeros count, PyTorch's default).
 *
 * @example
 * ```ts
 * new AvgPool2d(2).forward(x);
 * ```
 */
export class AvgPool2d extends Pool2d {
  constructor(kernelSize: Pair, options: Pool2dOptions = {}) {
    super(kernelSize, options);
  }
  forward(x: Tensor): Tensor {
    expectRank('AvgPool2d', x, [4], 'input [N, C, H, W]');
    return avgPool2d(x, this.kernelSize, { stride: this.stride, padding: this.padding });
  }
}
