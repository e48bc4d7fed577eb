/** Neural-network functions: convolution, pooling, softmax, dropout. */

import { record } from '../autograd/tape.js';
import type { Conv2dAttrs, Pool2dAttrs } from '../backend/kernels.js';
import { ArgumentError, DTypeError, fmt, ShapeError } from '../errors/errors.js';
import { normalizeAxis } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { add, div, greaterEqual, mul, where } from './binary.js';
import { asTensor, composite } from './convert.js';
import { rand } from './creation.js';
import { runKernel } from './dispatch.js';
import { sum } from './reduce.js';
import { reshape, transpose } from './shape.js';
import { exp } from './unary.js';

type Pair = number | readonly [number, number];

function pair(op: string, name: string, v: Pair, min: number): [number, number] {
  const p: [number, number] = typeof v === 'number' ? [v, v] : [v[0], v[1]];
  if (!p.every((x) => Number.isInteger(x) && x >= min)) {
    throw new ArgumentError(
      op,
      `${name} must be an integer ≥ ${min} or a pair of them, got ${JSON.stringify(v)}`,
    );
  }
  return p;
}

function floatInput(op: string, x: Tensor, name: string): void {
  asTensor(op, x, name);
  if (x.dtype !== 'float32')
    throw new DTypeError(op, `${name} must be float32, got ${x.dtype} ${fmt(x.shape)}`);
}

/** Options of `conv2d`. */
export interface Conv2dOptions {
  stride?: Pair;
  padding?: Pair;
  dilation?: Pair;
}

/**
 * 2-D convolution (cross-correlation, as PyTorch): x [N,C,H,W], w [O,C,KH,KW], bias [O].
 *
 * @example
 * ```ts
 * conv2d(images, kernels, bias, { padding: 2 }); // 'same' size for 5×5 kernels
 * ```
 */
export function conv2d(x: Tensor, w: Tensor, bias?: Tensor | null, options: Conv2dOptions = {}): Tensor {
  floatInput('conv2d', x, 'input');
  floatInput('conv2d', w, 'weight');
  const attrs: Conv2dAttrs = {
    stride: pair('conv2d', 'stride', options.stride ?? 1, 1),
    padding: pair('conv2d', 'padding', options.padding ?? 0, 0),
    dilation: pair('conv2d', 'dilation', options.dilation ?? 1, 1),
  };
  if (x.rank !== 4 || w.rank !== 4) {
    throw new ShapeError(
      'conv2d',
      `expects input [N,C,H,W] and weight [O,C,KH,KW], got ${fmt(x.shape)} and ${fmt(w.shape)}`,
    );
  }
  const [n, c, h, wd] = x.shape as [number, number, number, number];
  const [o, ci, kh, kw] = w.shape as [number, number, number, number];
  if (c !== ci)
    throw new ShapeError(
      'conv2d',
      `input ${fmt(x.shape)} has ${c} channels but weight ${fmt(w.shape)} expects ${ci}`,
    );
  const oh = Math.floor((h + 2 * attrs.padding[0] - attrs.dilation[0] * (kh - 1) - 1) / attrs.stride[0]) + 1;
  const ow = Math.floor((wd + 2 * attrs.padding[1] - attrs.dilation[1] * (kw - 1) - 1) / attrs.stride[1]) + 1;
  if (oh < 1 || ow < 1) {
    throw new ShapeError(
      'conv2d',
      `kernel ${fmt([kh, kw])} (dilation ${attrs.dilation}) is larger than the padded input ${fmt(x.shape)}`,
    );
  }
  if (bias !== undefined && bias !== null) {
    floatInput('conv2d', bias, 'bias');
    if (bias.rank !== 1 || bias.shape[0] !== o)
      throw new ShapeError('conv2d', `bias ${fmt(bias.shape)} should be [${o}] for weight ${fmt(w.shape)}`);
  }
  const xShape = x.shape;
  const wShape = w.shape;
  const conv = (): Tensor => {
    const y = runKernel('conv2d', 'conv2d', [x, w], attrs, [n, o, oh, ow], 'float32');
    return record('conv2d', y, [x, w], (dy) => [
      x.requiresGrad ? runKernel('conv2d', 'conv2dBackwardInput', [dy, w], attrs, xShape, 'float32') : null,
      w.requiresGrad ? runKernel('conv2d', 'conv2dBackwardFilter', [x, dy], attrs, wShape, 'float32') : null,
    ]);
  };
  if (!bias) return conv();
  return composite(() => add(conv(), reshape(bias, [1, o, 1, 1])));
}

/** Options of the pooling ops. */
export interface Pool2dOptions {
  stride?: Pair;
  padding?: Pair;
}

function poolAttrs(
  op: string,
  x: Tensor,
  kernel: Pair,
  options: Pool2dOptions,
): { attrs: Pool2dAttrs; shape: number[] } {
  floatInput(op, x, 'input');
  if (x.rank !== 4) throw new ShapeError(op, `expects input [N,C,H,W], got ${fmt(x.shape)}`);
  const k = pair(op, 'kernel', kernel, 1);
  const attrs: Pool2dAttrs = {
    kernel: k,
    stride: pair(op, 'stride', options.stride ?? k, 1),
    padding: pair(op, 'padding', options.padding ?? 0, 0),
  };
  if (attrs.padding[0] * 2 > k[0] || attrs.padding[1] * 2 > k[1]) {
    throw new ArgumentError(op, `padding ${fmt(attrs.padding)} must be at most half the kernel ${fmt(k)}`);
  }
  const [n, c, h, w] = x.shape as [number, number, number, number];
  const oh = Math.floor((h + 2 * attrs.padding[0] - k[0]) / attrs.stride[0]) + 1;
  const ow = Math.floor((w + 2 * attrs.padding[1] - k[1]) / attrs.stride[1]) + 1;
  if (oh < 1 || ow < 1)
    throw new ShapeError(op, `kernel ${fmt(k)} is larger than the padded input ${fmt(x.shape)}`);
  return { attrs, shape: [n, c, oh, ow] };
}

/**
 * Max pooling over `kernel` windows (stride defaults to the kernel). The gradient goes to each window's max.
 *
 * @example
 * ```ts
 * maxPool2d(featureMaps, 2); // halves H and W
 * ```
 */
export function maxPool2d(x: Tensor, kernel: Pair, options: Pool2dOptions = {}): Tensor {
  const { attrs, shape } = poolAttrs('maxPool2d', x, kernel, options);
  const y = runKernel('maxPool2d', 'maxPool2d', [x], attrs, shape, 'float32');
  const xShape = x.shape;
  return record('maxPool2d', y, [x], (dy) => [
    runKernel('maxPool2d', 'maxPool2dBackward', [dy, x], attrs, xShape, 'float32'),
  ]);
}

/** Mean pooling over `kernel` windows (padded zeros count in the divisor, as PyTorch's default). */
export function avgPool2d(x: Tensor, kernel: Pair, options: Pool2dOptions = {}): Tensor {
  const { attrs, shape } = poolAttrs('avgPool2d', x, kernel, options);
  const y = runKernel('avgPool2d', 'avgPool2d', [x], attrs, shape, 'float32');
  const xShape = x.shape;
  return record('avgPool2d', y, [x], (dy) => [
    runKernel('avgPool2d', 'avgPool2dBackward', [dy], attrs, xShape, 'float32'),
  ]);
}

function lastAxisOp(op: 'softmax' | 'logSoftmax', x: Tensor, axis: number): Tensor {
  floatInput(op, x, 'input');
  if (x.rank === 0) throw new ShapeError(op, `expects at least 1 dim, got ${fmt(x.shape)}`);
  const ax = normalizeAxis(op, axis, x.rank, x.shape);
  if (ax !== x.rank - 1) {
    // Move the axis last, apply, move it back.
    const perm = x.shape.map((_, i) => i).filter((i) => i !== ax);
    perm.push(ax);
    const inverse = new Array<number>(perm.length);
    perm.forEach((a, i) => {
      inverse[a] = i;
    });
    return composite(() => transpose(lastAxisOp(op, transpose(x, perm), -1), inverse));
  }
  const y = runKernel(op, op, [x], {}, x.shape, 'float32');
  return record(op, y, [x], (dy) =>
    op === 'softmax'
      ? [mul(y, sub_(dy, sum(mul(dy, y), -1, true)))]
      : [sub_(dy, mul(exp(y), sum(dy, -1, true)))],
  );
}

function sub_(a: Tensor, b: Tensor): Tensor {
  return add(a, mul(b, -1));
}

/**
 * Softmax along `axis` (default last), computed stably.
 *
 * @example
 * ```ts
 * softmax(logits); // rows sum to 1
 * ```
 */
export function softmax(x: Tensor, axis = -1): Tensor {
  return lastAxisOp('softmax', x, axis);
}

/** log(softmax(x)) along `axis`, computed stably (never log of 0 for finite inputs). */
export function logSoftmax(x: Tensor, axis = -1): Tensor {
  return lastAxisOp('logSoftmax', x, axis);
}

/**
 * Inverted dropout: in training, zeroes each element with probability `p` and scales the rest by
 * 1/(1-p), so evaluation needs no rescaling; identity when `training` is false.
 *
 * @example
 * ```ts
 * const h = dropout(relu(x), 0.5, model.training);
 * ```
 */
export function dropout(x: Tensor, p: number, training = true, options: { seed?: number } = {}): Tensor {
  floatInput('dropout', x, 'input');
  if (!(p >= 0 && p <= 1)) throw new ArgumentError('dropout', `p must be in [0, 1], got ${p}`);
  if (!training || p === 0) return x;
  return composite(() => {
    if (p === 1) return mul(x, 0);
    const keepMask = greaterEqual(rand(x.shape, { seed: options.seed }), p);
    return where(keepMask, div(x, 1 - p), 0);
  });
}
