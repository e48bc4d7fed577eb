/**
 * How the suite calls each public op of a fixture, and which kernels a test of it covers.
 * Fixture attributes carry Myelin's own argument names (see tools/fixtures/README.md).
 */

import type { DType, Tensor } from '@myelin/core';
import * as core from '@myelin/core';
import type { ConformanceKernel } from './kernel-names.js';

/** Fixture attributes, by Myelin argument name. */
export type Attrs = Readonly<Record<string, unknown>>;

/** Calls an op on the fixture's inputs. */
export type OpCall = (inputs: readonly Tensor[], attrs: Attrs) => Tensor | Tensor[];

/** How to call an op and which kernels its forward and backward tests cover. */
export interface OpSpec {
  readonly call: OpCall;
  /** Kernels the forward pass runs. */
  readonly kernels: readonly ConformanceKernel[];
  /** Kernels the gradient runs (beyond the forward's). */
  readonly gradKernels: readonly ConformanceKernel[];
}

type Axis = number | readonly number[] | undefined;

const at = (inputs: readonly Tensor[], i: number): Tensor => {
  const t = inputs[i];
  if (!t) throw new Error(`fixture: missing input ${i}`);
  return t;
};
const opt = <T>(attrs: Attrs, name: string): T | undefined => attrs[name] as T | undefined;

/** `{ a: 1, b: undefined }` → `{ a: 1 }`: options objects keep only the given fields. */
function defined(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

/** The elementwise unary ops, by name (an explicit map: the suite never indexes the namespace). */
export const UNARY_FNS: Readonly<Record<string, (x: Tensor) => Tensor>> = {
  neg: core.neg,
  abs: core.abs,
  sign: core.sign,
  square: core.square,
  sqrt: core.sqrt,
  rsqrt: core.rsqrt,
  reciprocal: core.reciprocal,
  exp: core.exp,
  expm1: core.expm1,
  log: core.log,
  log1p: core.log1p,
  sin: core.sin,
  cos: core.cos,
  tanh: core.tanh,
  sigmoid: core.sigmoid,
  softplus: core.softplus,
  relu: core.relu,
  floor: core.floor,
  ceil: core.ceil,
  round: core.round,
  logicalNot: core.logicalNot,
  isNaN: core.isNaN,
};

/** The broadcasting binary ops, by name. */
export const BINARY_FNS: Readonly<Record<string, (a: Tensor, b: Tensor) => Tensor>> = {
  add: core.add,
  sub: core.sub,
  mul: core.mul,
  div: core.div,
  pow: core.pow,
  maximum: core.maximum,
  minimum: core.minimum,
  mod: core.mod,
  atan2: core.atan2,
  equal: core.equal,
  notEqual: core.notEqual,
  less: core.less,
  lessEqual: core.lessEqual,
  greater: core.greater,
  greaterEqual: core.greaterEqual,
  logicalAnd: core.logicalAnd,
  logicalOr: core.logicalOr,
};

const REDUCE_FNS: Readonly<Record<string, (x: Tensor, axis?: Axis, keepDims?: boolean) => Tensor>> = {
  sum: core.sum,
  mean: core.mean,
  max: core.max,
  min: core.min,
  prod: core.prod,
  any: core.any,
  all: core.all,
  logSumExp: core.logSumExp,
};

const table: Record<string, OpSpec> = {};

for (const [name, fn] of Object.entries(UNARY_FNS)) {
  table[name] = { call: (x) => fn(at(x, 0)), kernels: ['unary'], gradKernels: ['binary'] };
}
for (const [name, fn] of Object.entries(BINARY_FNS)) {
  // The gradient of a broadcast operand is summed back to its shape.
  table[name] = { call: (x) => fn(at(x, 0), at(x, 1)), kernels: ['binary'], gradKernels: ['reduce'] };
}
for (const [name, fn] of Object.entries(REDUCE_FNS)) {
  table[name] = {
    call: (x, a) => fn(at(x, 0), opt<Axis>(a, 'axis'), opt<boolean>(a, 'keepDims') ?? false),
    kernels: ['reduce'],
    gradKernels: ['binary'],
  };
}
for (const [name, fn] of [
  ['argmax', core.argmax],
  ['argmin', core.argmin],
] as const) {
  table[name] = {
    call: (x, a) => fn(at(x, 0), opt<number>(a, 'axis'), opt<boolean>(a, 'keepDims') ?? false),
    kernels: ['argReduce'],
    gradKernels: [],
  };
}
for (const [name, fn] of [
  ['variance', core.variance],
  ['std', core.std],
] as const) {
  table[name] = {
    call: (x, a) =>
      fn(
        at(x, 0),
        opt<Axis>(a, 'axis'),
        defined({ unbiased: opt(a, 'unbiased'), keepDims: opt(a, 'keepDims') }),
      ),
    kernels: ['reduce', 'binary'],
    gradKernels: [],
  };
}

Object.assign(table, {
  leakyRelu: {
    call: (x, a) => core.leakyRelu(at(x, 0), opt<number>(a, 'slope')),
    kernels: ['binary', 'where'],
    gradKernels: [],
  },
  clamp: {
    call: (x, a) => core.clamp(at(x, 0), opt<number>(a, 'min'), opt<number>(a, 'max')),
    kernels: ['binary', 'where'],
    gradKernels: [],
  },
  where: {
    call: (x) => core.where(at(x, 0), at(x, 1), at(x, 2)),
    kernels: ['where'],
    gradKernels: ['reduce'],
  },
  matmul: { call: (x) => core.matmul(at(x, 0), at(x, 1)), kernels: ['matmul'], gradKernels: [] },
  reshape: { call: (x, a) => core.reshape(at(x, 0), a.shape as number[]), kernels: [], gradKernels: [] },
  flatten: {
    call: (x, a) => core.flatten(at(x, 0), opt<number>(a, 'startDim'), opt<number>(a, 'endDim')),
    kernels: [],
    gradKernels: [],
  },
  squeeze: { call: (x, a) => core.squeeze(at(x, 0), opt<number>(a, 'axis')), kernels: [], gradKernels: [] },
  unsqueeze: { call: (x, a) => core.unsqueeze(at(x, 0), a.axis as number), kernels: [], gradKernels: [] },
  // expand materialises the broadcast with a binary kernel; its gradient sums back.
  expand: {
    call: (x, a) => core.expand(at(x, 0), a.shape as number[]),
    kernels: ['binary'],
    gradKernels: ['reduce'],
  },
  transpose: {
    call: (x, a) => core.transpose(at(x, 0), opt<number[]>(a, 'perm')),
    kernels: ['transpose'],
    gradKernels: [],
  },
  permute: {
    call: (x, a) => core.permute(at(x, 0), a.perm as number[]),
    kernels: ['transpose'],
    gradKernels: [],
  },
  slice: {
    call: (x, a) =>
      core.slice(at(x, 0), a.begin as number[], opt<number[]>(a, 'end'), opt<number[]>(a, 'step')),
    kernels: ['slice'],
    gradKernels: ['pad'],
  },
  concat: {
    call: (x, a) => core.concat(x, opt<number>(a, 'axis')),
    kernels: ['concat'],
    gradKernels: ['slice'],
  },
  stack: {
    call: (x, a) => core.stack(x, opt<number>(a, 'axis')),
    kernels: ['concat'],
    gradKernels: ['slice'],
  },
  split: {
    call: (x, a) => core.split(at(x, 0), a.sizesOrSections as number | number[], opt<number>(a, 'axis')),
    kernels: ['slice'],
    gradKernels: ['concat'],
  },
  pad: {
    call: (x, a) => core.pad(at(x, 0), a.paddings as [number, number][], opt<number>(a, 'value')),
    kernels: ['pad'],
    gradKernels: ['slice'],
  },
  cast: { call: (x, a) => core.cast(at(x, 0), a.dtype as DType), kernels: ['cast'], gradKernels: [] },
  gather: {
    call: (x, a) => core.gather(at(x, 0), at(x, 1), opt<number>(a, 'axis')),
    kernels: ['gather'],
    gradKernels: ['scatterAdd'],
  },
  oneHot: { call: (x, a) => core.oneHot(at(x, 0), a.depth as number), kernels: ['oneHot'], gradKernels: [] },
  conv2d: {
    call: (x, a) =>
      core.conv2d(
        at(x, 0),
        at(x, 1),
        x[2] ?? null,
        defined({ stride: a.stride, padding: a.padding, dilation: a.dilation }),
      ),
    kernels: ['conv2d'],
    gradKernels: ['conv2dBackwardInput', 'conv2dBackwardFilter'],
  },
  maxPool2d: {
    call: (x, a) =>
      core.maxPool2d(at(x, 0), a.kernel as number, defined({ stride: a.stride, padding: a.padding })),
    kernels: ['maxPool2d'],
    gradKernels: ['maxPool2dBackward'],
  },
  avgPool2d: {
    call: (x, a) =>
      core.avgPool2d(at(x, 0), a.kernel as number, defined({ stride: a.stride, padding: a.padding })),
    kernels: ['avgPool2d'],
    gradKernels: ['avgPool2dBackward'],
  },
  softmax: {
    call: (x, a) => core.softmax(at(x, 0), opt<number>(a, 'axis')),
    kernels: ['softmax'],
    gradKernels: ['binary', 'reduce'],
  },
  logSoftmax: {
    call: (x, a) => core.logSoftmax(at(x, 0), opt<number>(a, 'axis')),
    kernels: ['logSoftmax'],
    gradKernels: ['unary', 'binary', 'reduce'],
  },
  zeros: {
    call: (_, a) => core.zeros(a.shape as number[], opt<DType>(a, 'dtype')),
    kernels: ['fill'],
    gradKernels: [],
  },
  ones: {
    call: (_, a) => core.ones(a.shape as number[], opt<DType>(a, 'dtype')),
    kernels: ['fill'],
    gradKernels: [],
  },
  full: {
    call: (_, a) => core.full(a.shape as number[], decodeAttrNumber(a.value), opt<DType>(a, 'dtype')),
    kernels: ['fill'],
    gradKernels: [],
  },
  arange: {
    call: (_, a) => core.arange(a.start as number, opt<number>(a, 'stop'), opt<number>(a, 'step')),
    kernels: [],
    gradKernels: [],
  },
  eye: { call: (_, a) => core.eye(a.n as number), kernels: [], gradKernels: [] },
  zerosLike: { call: (x) => core.zerosLike(at(x, 0)), kernels: ['fill'], gradKernels: [] },
  onesLike: { call: (x) => core.onesLike(at(x, 0)), kernels: ['fill'], gradKernels: [] },
  fullLike: {
    call: (x, a) => core.fullLike(at(x, 0), a.value as number),
    kernels: ['fill'],
    gradKernels: [],
  },
} satisfies Record<string, OpSpec>);

function decodeAttrNumber(v: unknown): number {
  if (v === 'NaN') return Number.NaN;
  if (v === 'Infinity') return Number.POSITIVE_INFINITY;
  if (v === '-Infinity') return Number.NEGATIVE_INFINITY;
  return v as number;
}

/** Every op the fixtures exercise, by Myelin op name. */
export const OP_TABLE: Readonly<Record<string, OpSpec>> = table;
