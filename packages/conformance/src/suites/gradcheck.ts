/**
 * Gradients by finite differences: for each differentiable op, the analytic gradient (backward through
 * the backend's kernels) must match central differences of the backend's own forward pass along random
 * directions. Inputs are spread out (distinct, away from 0 and from clamp bounds) so no step crosses a
 * kink, a tie or a bound.
 */

import type { Tensor } from '@myelin/core';
import * as core from '@myelin/core';
import { describe } from 'vitest';
import { show } from '../compare.js';
import { asList, disposeAll, type Harness } from '../harness.js';
import type { ConformanceKernel } from '../kernel-names.js';
import { BINARY_FNS, UNARY_FNS } from '../op-table.js';
import { Rng, randomValues, sizeOf, spreadValues } from '../random-data.js';

/** One input of a gradient check. */
interface GradInput {
  readonly shape: number[];
  readonly data: Float32Array | Int32Array;
  /** int32 inputs (indices) get no gradient. */
  readonly dtype?: 'float32' | 'int32';
}

/** A gradient check: inputs from a seed, the op, and the kernels it covers. */
interface GradSpec {
  readonly name: string;
  readonly kernels: readonly ConformanceKernel[];
  readonly inputs: (rng: Rng) => { inputs: GradInput[]; attrs?: Record<string, number> };
  readonly call: (xs: Tensor[], attrs: Record<string, number>) => Tensor | Tensor[];
}

/** Step of the central difference (inputs are at least 0.06 from any kink, 0.12 from each other). */
const EPS = 1e-2;
const SEEDS = 2;

const spread = (rng: Rng, shape: number[]): GradInput => ({ shape, data: spreadValues(rng, sizeOf(shape)) });
const uniform = (rng: Rng, shape: number[], lo: number, hi: number): GradInput => {
  const data = new Float32Array(sizeOf(shape));
  for (let i = 0; i < data.length; i++) data[i] = rng.uniform(lo, hi);
  return { shape, data };
};
const awayFromZero = (rng: Rng, shape: number[]): GradInput => {
  const x = uniform(rng, shape, 0.5, 2);
  for (let i = 0; i < x.data.length; i++) if (rng.chance(0.5)) x.data[i] = -(x.data[i] as number);
  return x;
};
/** Two inputs whose values are all distinct (for maximum/minimum: no ties between a and b). */
const distinctPair = (rng: Rng, a: number[], b: number[]): GradInput[] => {
  const pool = spreadValues(rng, sizeOf(a) + sizeOf(b));
  return [
    { shape: a, data: pool.slice(0, sizeOf(a)) },
    { shape: b, data: pool.slice(sizeOf(a)) },
  ];
};
const one = (f: (rng: Rng) => GradInput) => (rng: Rng) => ({ inputs: [f(rng)] });
const x0 = (xs: Tensor[]): Tensor => xs[0] as Tensor;
const x1 = (xs: Tensor[]): Tensor => xs[1] as Tensor;

const UNARY: [string, (rng: Rng) => GradInput][] = [
  ['neg', (r) => spread(r, [3, 4])],
  ['abs', (r) => spread(r, [3, 4])],
  ['square', (r) => spread(r, [3, 4])],
  ['sqrt', (r) => uniform(r, [3, 4], 0.5, 3)],
  ['rsqrt', (r) => uniform(r, [3, 4], 0.5, 3)],
  ['reciprocal', (r) => awayFromZero(r, [3, 4])],
  ['exp', (r) => spread(r, [3, 4])],
  ['expm1', (r) => spread(r, [3, 4])],
  ['log', (r) => uniform(r, [3, 4], 0.5, 3)],
  ['log1p', (r) => uniform(r, [3, 4], -0.5, 3)],
  ['sin', (r) => spread(r, [3, 4])],
  ['cos', (r) => spread(r, [3, 4])],
  ['tanh', (r) => spread(r, [3, 4])],
  ['sigmoid', (r) => spread(r, [3, 4])],
  ['softplus', (r) => spread(r, [3, 4])],
  ['relu', (r) => spread(r, [3, 4])],
];

const BROADCASTS: [number[], number[]][] = [
  [
    [3, 4],
    [3, 4],
  ],
  [[3, 4], [4]],
  [
    [2, 3, 1],
    [3, 4],
  ],
  [[], [2, 3]],
];

function specs(): GradSpec[] {
  const list: GradSpec[] = [];
  for (const [op, gen] of UNARY) {
    const fn = UNARY_FNS[op] as (x: Tensor) => Tensor;
    list.push({ name: op, kernels: ['unary', 'binary'], inputs: one(gen), call: (xs) => fn(x0(xs)) });
  }
  list.push({
    name: 'leakyRelu',
    kernels: ['where', 'binary'],
    inputs: one((r) => spread(r, [3, 4])),
    call: (xs) => core.leakyRelu(x0(xs), 0.2),
  });
  list.push({
    name: 'clamp',
    kernels: ['where', 'binary'],
    inputs: (r) => {
      const x = spread(r, [4, 4]);
      const sorted = Array.from(x.data).sort((a, b) => a - b);
      // Bounds halfway between neighbouring values: no value is within a step of a bound.
      const lo = ((sorted[3] as number) + (sorted[4] as number)) / 2;
      const hi = ((sorted[11] as number) + (sorted[12] as number)) / 2;
      return { inputs: [x], attrs: { lo, hi } };
    },
    call: (xs, a) => core.clamp(x0(xs), a.lo, a.hi),
  });
  const binary: [string, (r: Rng, a: number[], b: number[]) => GradInput[]][] = [
    ['add', (r, a, b) => [spread(r, a), spread(r, b)]],
    ['sub', (r, a, b) => [spread(r, a), spread(r, b)]],
    ['mul', (r, a, b) => [spread(r, a), spread(r, b)]],
    ['div', (r, a, b) => [spread(r, a), awayFromZero(r, b)]],
    ['pow', (r, a, b) => [uniform(r, a, 0.5, 2), uniform(r, b, -2, 2)]],
    ['maximum', distinctPair],
    ['minimum', distinctPair],
    ['atan2', (r, a, b) => [awayFromZero(r, a), awayFromZero(r, b)]],
  ];
  for (const [op, gen] of binary) {
    const fn = BINARY_FNS[op] as (a: Tensor, b: Tensor) => Tensor;
    BROADCASTS.forEach(([sa, sb], i) => {
      // Every other configuration puts the broadcast operand on the left.
      const [a, b] = i % 2 === 0 ? [sa, sb] : [sb, sa];
      list.push({
        name: `${op} [${a}] with [${b}]`,
        kernels: ['binary', ...(i > 0 ? (['reduce'] as const) : [])],
        inputs: (r) => ({ inputs: gen(r, a, b) }),
        call: (xs) => fn(x0(xs), x1(xs)),
      });
    });
  }
  list.push({
    name: 'where (broadcast)',
    kernels: ['where', 'reduce'],
    inputs: (r) => ({
      inputs: [
        { shape: [3, 1], data: new Int32Array([1, 0, 1]), dtype: 'int32' },
        spread(r, [4]),
        spread(r, [3, 4]),
      ],
    }),
    call: (xs) => {
      // The bool mask is a temporary of the enclosing tidy (where's backward may read it).
      return core.where(core.cast(x0(xs), 'bool'), x1(xs), xs[2] as Tensor);
    },
  });
  const reductions: [string, (x: Tensor, axis?: number | number[]) => Tensor][] = [
    ['sum', (x, a) => core.sum(x, a)],
    ['mean', (x, a) => core.mean(x, a)],
    ['max', (x, a) => core.max(x, a)],
    ['min', (x, a) => core.min(x, a)],
    ['prod', (x, a) => core.prod(x, a)],
    ['variance', (x, a) => core.variance(x, a)],
    ['std', (x, a) => core.std(x, a, { unbiased: false })],
    ['logSumExp', (x, a) => core.logSumExp(x, a)],
  ];
  for (const [op, fn] of reductions) {
    for (const axis of [undefined, 1, [0, 2]] as const) {
      const shape = axis === 1 ? [3, 4] : [2, 3, 2];
      list.push({
        name: `${op} axis ${JSON.stringify(axis ?? 'all')}`,
        kernels: ['reduce', 'binary'],
        inputs: one((r) => (op === 'prod' ? uniform(r, shape, 0.5, 1.5) : spread(r, shape))),
        call: (xs) => fn(x0(xs), axis as number | number[] | undefined),
      });
    }
  }
  const matmuls: [string, number[], number[], boolean, boolean][] = [
    ['2-D', [3, 4], [4, 2], false, false],
    ['batched, broadcast batch', [2, 3, 4], [4, 2], false, false],
    ['vector @ matrix', [4], [4, 3], false, false],
    ['matrix @ vector', [3, 4], [4], false, false],
    ['transposed a', [4, 3], [4, 2], true, false],
    ['transposed b', [3, 4], [2, 4], false, true],
  ];
  for (const [label, a, b, ta, tb] of matmuls) {
    list.push({
      name: `matmul ${label}`,
      kernels: ta || tb ? ['matmul', 'transpose'] : ['matmul'],
      inputs: (r) => ({ inputs: [spread(r, a), spread(r, b)] }),
      call: (xs) => {
        const at = ta ? core.transpose(x0(xs)) : x0(xs);
        const bt = tb ? core.transpose(x1(xs)) : x1(xs);
        return core.matmul(at, bt);
      },
    });
  }
  const convs: [string, number[], number[], core.Conv2dOptions][] = [
    ['stride 2 padding 1 with bias', [2, 2, 5, 5], [3, 2, 3, 3], { stride: 2, padding: 1 }],
    ['dilation 2, asymmetric', [1, 2, 6, 5], [2, 2, 2, 3], { dilation: 2, padding: [1, 0], stride: [1, 2] }],
  ];
  convs.forEach(([label, xs, ws, options], i) => {
    list.push({
      name: `conv2d ${label}`,
      kernels: ['conv2d', 'conv2dBackwardInput', 'conv2dBackwardFilter'],
      inputs: (r) => ({
        inputs: [spread(r, xs), spread(r, ws), ...(i === 0 ? [spread(r, [ws[0] as number])] : [])],
      }),
      call: (t) => core.conv2d(x0(t), x1(t), t[2] ?? null, options),
    });
  });
  for (const [op, fn, kernels] of [
    ['maxPool2d', core.maxPool2d, ['maxPool2d', 'maxPool2dBackward']],
    ['avgPool2d', core.avgPool2d, ['avgPool2d', 'avgPool2dBackward']],
  ] as const) {
    list.push({
      name: `${op} kernel 3 stride 2 padding 1`,
      kernels,
      inputs: one((r) => spread(r, [1, 2, 5, 5])),
      call: (xs) => fn(x0(xs), 3, { stride: 2, padding: 1 }),
    });
    list.push({
      name: `${op} kernel 2 overlapping`,
      kernels,
      inputs: one((r) => spread(r, [2, 1, 4, 3])),
      call: (xs) => fn(x0(xs), 2, { stride: 1 }),
    });
  }
  for (const axis of [-1, 0]) {
    list.push({
      name: `softmax axis ${axis}`,
      kernels: ['softmax'],
      inputs: one((r) => spread(r, [3, 4])),
      call: (xs) => core.softmax(x0(xs), axis),
    });
    list.push({
      name: `logSoftmax axis ${axis}`,
      kernels: ['logSoftmax'],
      inputs: one((r) => spread(r, [3, 4])),
      call: (xs) => core.logSoftmax(x0(xs), axis),
    });
  }
  list.push({
    name: 'gather axis 1, repeated indices',
    kernels: ['gather', 'scatterAdd'],
    inputs: (r) => ({
      inputs: [spread(r, [3, 4]), { shape: [2, 2], data: new Int32Array([3, 0, 3, 3]), dtype: 'int32' }],
    }),
    call: (xs) => core.gather(x0(xs), x1(xs), 1),
  });
  list.push({
    name: 'slice with steps',
    kernels: ['slice', 'pad'],
    inputs: one((r) => spread(r, [5, 4])),
    call: (xs) => core.slice(x0(xs), [1, 0], [5, 4], [2, 3]),
  });
  list.push({
    name: 'concat axis 1',
    kernels: ['concat', 'slice'],
    inputs: (r) => ({ inputs: [spread(r, [2, 3]), spread(r, [2, 1])] }),
    call: (xs) => core.concat(xs, 1),
  });
  list.push({
    name: 'stack axis -1',
    kernels: ['concat', 'slice'],
    inputs: (r) => ({ inputs: [spread(r, [2, 3]), spread(r, [2, 3])] }),
    call: (xs) => core.stack(xs, -1),
  });
  list.push({
    name: 'split',
    kernels: ['slice', 'concat'],
    inputs: one((r) => spread(r, [5, 2])),
    call: (xs) => core.split(x0(xs), [2, 3]),
  });
  list.push({
    name: 'pad',
    kernels: ['pad', 'slice'],
    inputs: one((r) => spread(r, [2, 3])),
    call: (xs) =>
      core.pad(
        x0(xs),
        [
          [1, 0],
          [2, 1],
        ],
        0.5,
      ),
  });
  list.push({
    name: 'transpose 3-D',
    kernels: ['transpose'],
    inputs: one((r) => spread(r, [2, 3, 4])),
    call: (xs) => core.transpose(x0(xs), [2, 0, 1]),
  });
  list.push({
    name: 'expand',
    kernels: ['binary', 'reduce'],
    inputs: one((r) => spread(r, [3, 1])),
    call: (xs) => core.expand(x0(xs), [2, 3, 4]),
  });
  list.push({
    name: 'reshape then mul',
    kernels: ['binary'],
    inputs: one((r) => spread(r, [2, 6])),
    call: (xs) => {
      const y = core.reshape(x0(xs), [3, 4]);
      return core.mul(y, y);
    },
  });
  return list;
}

/** Reads every output and returns sum(out · g) in float64, with the sum of |out · g| (its rounding scale). */
async function lossOf(outs: Tensor[], cotangents: Float32Array[]): Promise<{ value: number; scale: number }> {
  let value = 0;
  let scale = 0;
  for (let i = 0; i < outs.length; i++) {
    const data = await (outs[i] as Tensor).data();
    const g = cotangents[i] as Float32Array;
    for (let j = 0; j < data.length; j++) {
      const t = (data[j] as number) * (g[j] as number);
      value += t;
      scale += Math.abs(t);
    }
  }
  return { value, scale };
}

async function forward(
  spec: GradSpec,
  inputs: GradInput[],
  attrs: Record<string, number>,
  cotangents: Float32Array[],
) {
  const made = inputs.map((x) => core.tensor(x.data, { shape: x.shape, dtype: x.dtype ?? 'float32' }));
  let outs: Tensor[] = [];
  try {
    outs = asList(core.tidy(() => core.noGrad(() => spec.call(made, attrs))));
    return await lossOf(outs, cotangents);
  } finally {
    disposeAll(outs, made);
  }
}

async function check(spec: GradSpec, seed: number): Promise<void> {
  const rng = new Rng(seed);
  const { inputs, attrs = {} } = spec.inputs(rng);
  // Output shapes, then a random cotangent per output.
  const probe = inputs.map((x) => core.tensor(x.data, { shape: x.shape, dtype: x.dtype ?? 'float32' }));
  const shapes = core.tidy(() =>
    core.noGrad(() =>
      asList(spec.call(probe, attrs)).map((o) => {
        const s = [...o.shape];
        o.dispose();
        return s;
      }),
    ),
  );
  disposeAll(probe);
  const cotangents = shapes.map((s) => randomValues(rng, sizeOf(s), 1));

  // The analytic gradient.
  const leaves = inputs.map((x) =>
    core.tensor(x.data, {
      shape: x.shape,
      dtype: x.dtype ?? 'float32',
      requiresGrad: (x.dtype ?? 'float32') === 'float32',
    }),
  );
  const grads: (Float32Array | null)[] = [];
  try {
    core.tidy(() => {
      const outs = asList(spec.call(leaves, attrs));
      let loss: Tensor | null = null;
      outs.forEach((o, i) => {
        const term = core.sum(core.mul(o, core.tensor(cotangents[i] as Float32Array, { shape: o.shape })));
        loss = loss ? core.add(loss, term) : term;
      });
      (loss as unknown as Tensor).backward();
    });
    for (const l of leaves)
      grads.push(
        l.requiresGrad ? (l.grad ? ((await l.grad.data()) as Float32Array) : new Float32Array(l.size)) : null,
      );
  } finally {
    disposeAll(leaves);
  }

  for (let i = 0; i < inputs.length; i++) {
    const grad = grads[i];
    if (!grad) continue;
    const x = inputs[i] as GradInput;
    for (let d = 0; d < 2; d++) {
      const plus = new Float32Array(x.data.length);
      const minus = new Float32Array(x.data.length);
      for (let j = 0; j < plus.length; j++) {
        const v = rng.uniform(-1, 1);
        plus[j] = (x.data[j] as number) + EPS * v;
        minus[j] = (x.data[j] as number) - EPS * v;
      }
      const withInput = (values: Float32Array) =>
        inputs.map((y, k) => (k === i ? { ...y, data: values } : y));
      const fPlus = await forward(spec, withInput(plus), attrs, cotangents);
      const fMinus = await forward(spec, withInput(minus), attrs, cotangents);
      const numeric = (fPlus.value - fMinus.value) / (2 * EPS);
      let analytic = 0;
      let gNorm = 0;
      let vNorm = 0;
      for (let j = 0; j < plus.length; j++) {
        const step = ((plus[j] as number) - (minus[j] as number)) / (2 * EPS); // the float32-rounded direction
        analytic += (grad[j] as number) * step;
        gNorm += (grad[j] as number) ** 2;
        vNorm += step * step;
      }
      const bound = Math.sqrt(gNorm * vNorm);
      const rounding = (8 * 2 ** -24 * Math.max(fPlus.scale, fMinus.scale)) / EPS;
      if (!(Math.abs(numeric - analytic) <= 2e-2 * bound + rounding + 1e-4)) {
        throw new Error(
          `${spec.name}: input ${i}, direction ${d}: backward gives a directional derivative of ${show(analytic)}, ` +
            `finite differences ${show(numeric)} (|grad|·|v| = ${show(bound)})`,
        );
      }
    }
  }
}

/** Registers one finite-difference test per differentiable op configuration. */
export function registerGradCheckSuite(h: Harness): void {
  describe('gradients by finite differences', () => {
    specs().forEach((spec, k) => {
      h.test(spec.kernels, `${spec.name} gradient matches finite differences`, async () => {
        for (let s = 0; s < SEEDS; s++) await check(spec, 7919 * (k + 1) + s);
      });
    });
  });
}
