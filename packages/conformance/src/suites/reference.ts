/**
 * Float64 references on random shapes: broadcasting binary ops, unary ops, where, reductions, matmul
 * (with transposed inputs) and conv2d, over seeded shapes that include scalars, size-1 and size-0 dims and
 * non-contiguous (permuted) inputs.
 */

import type { Tensor } from '@myelin/core';
import * as core from '@myelin/core';
import { describe } from 'vitest';
import { disposeAll, expectTensor, type Harness } from '../harness.js';
import type { ConformanceKernel } from '../kernel-names.js';
import { BINARY_FNS, UNARY_FNS } from '../op-table.js';
import { broadcastPartner, Rng, randomShape, randomValues, sizeOf } from '../random-data.js';
import {
  BINARY_REF,
  type RefTensor,
  refBinary,
  refUnary,
  refWhere,
  UNARY_REF,
} from '../reference/elementwise.js';
import { inversePermutation, permuteData } from '../reference/layout.js';
import { refConv2d, refMatmul } from '../reference/linalg.js';
import { refReduce } from '../reference/reduce.js';

/** Seeded trials per op. */
const TRIALS = 10;

/** A host tensor: float32-rounded values and a shape. */
interface HostTensor {
  readonly data: Float32Array;
  readonly shape: number[];
}

function host(rng: Rng, shape: number[], domain: 'any' | 'positive' | 'nonzero' = 'any'): HostTensor {
  const n = sizeOf(shape);
  const data = randomValues(rng, n, 2);
  for (let i = 0; i < n; i++) {
    const v = data[i] as number;
    if (domain === 'positive') data[i] = Math.abs(v) + 0.1;
    if (domain === 'nonzero') data[i] = (v >= 0 ? 1 : -1) * (Math.abs(v) + 0.25);
  }
  return { data, shape };
}

/**
 * The host tensor on the backend; with `permuted`, built as a contiguous tensor of permuted shape then
 * permuted back (the input then comes out of a transpose kernel).
 */
function upload(rng: Rng, h: HostTensor, permuted: boolean, made: Tensor[]): Tensor {
  if (!permuted || h.shape.length < 2) {
    const t = core.tensor(h.data, { shape: h.shape });
    made.push(t);
    return t;
  }
  const perm = rng.permutation(h.shape.length);
  const base = permuteData(h.data, h.shape, inversePermutation(perm));
  const b = core.tensor(base.data, { shape: base.shape });
  const t = core.permute(b, perm);
  made.push(b, t);
  return t;
}

async function compare(
  h: Harness,
  actual: Tensor,
  ref: RefTensor & { scale?: Float64Array },
  label: string,
  dtype = 'float32',
) {
  await expectTensor(
    actual,
    { shape: ref.shape, dtype, data: Array.from(ref.data) },
    h.tolerance,
    label,
    ref.scale,
  );
}

/** Runs `trial` for TRIALS seeds, disposing what each made. */
function trials(
  h: Harness,
  kernels: readonly ConformanceKernel[],
  title: string,
  seed: number,
  trial: (rng: Rng, made: Tensor[], label: string) => Promise<void>,
) {
  h.test(kernels, title, async () => {
    for (let t = 0; t < TRIALS; t++) {
      const rng = new Rng(seed * 1000 + t);
      const made: Tensor[] = [];
      try {
        await trial(rng, made, `${title} (trial ${t})`);
      } finally {
        disposeAll(made);
      }
    }
  });
}

const UNARY_DOMAIN: Record<string, 'any' | 'positive' | 'nonzero'> = {
  sqrt: 'positive',
  rsqrt: 'positive',
  log: 'positive',
  log1p: 'positive',
  reciprocal: 'nonzero',
};

const BINARY_B_DOMAIN: Record<string, 'any' | 'positive' | 'nonzero'> = { div: 'nonzero', mod: 'nonzero' };

/** Registers the float64-reference tests. */
export function registerReferenceSuite(h: Harness): void {
  describe('float64 references on random shapes', () => {
    let seed = 1;
    for (const [op, f] of Object.entries(UNARY_REF)) {
      trials(h, ['unary'], `${op} vs float64 on random shapes`, seed++, async (rng, made, label) => {
        const x = host(rng, randomShape(rng, { zeroDim: 0.1 }), UNARY_DOMAIN[op] ?? 'any');
        const y = (UNARY_FNS[op] as (t: Tensor) => Tensor)(upload(rng, x, rng.chance(0.3), made));
        made.push(y);
        await compare(h, y, refUnary(f, x.data, x.shape), label);
      });
    }

    // mod is left to the fixtures: near a multiple of b, float32 and float64 floors may differ by one.
    for (const [op, f] of Object.entries(BINARY_REF).filter(([name]) => name !== 'mod')) {
      const comparison = ['equal', 'notEqual', 'less', 'lessEqual', 'greater', 'greaterEqual'].includes(op);
      trials(h, ['binary'], `${op} with broadcasting vs float64`, seed++, async (rng, made, label) => {
        const shape = randomShape(rng, { zeroDim: 0.1 });
        let a = host(rng, shape, op === 'pow' ? 'positive' : 'any');
        let b = host(rng, broadcastPartner(rng, shape), BINARY_B_DOMAIN[op] ?? 'any');
        if (comparison && b.data.length > 0) b.data[0] = a.data[0] ?? 0; // at least one tie
        if (rng.chance(0.5)) [a, b] = op === 'pow' ? [a, b] : [b, a];
        const y = (BINARY_FNS[op] as (x: Tensor, z: Tensor) => Tensor)(
          upload(rng, a, rng.chance(0.3), made),
          upload(rng, b, rng.chance(0.3), made),
        );
        made.push(y);
        await compare(
          h,
          y,
          refBinary(f, a.data, a.shape, b.data, b.shape),
          label,
          comparison ? 'bool' : 'float32',
        );
      });
    }

    trials(h, ['where'], 'where with broadcasting vs float64', seed++, async (rng, made, label) => {
      const shape = randomShape(rng, { zeroDim: 0.1 });
      const c = broadcastPartner(rng, shape);
      const cond = Array.from({ length: sizeOf(c) }, () => (rng.chance(0.5) ? 1 : 0));
      const a = host(rng, broadcastPartner(rng, shape));
      const b = host(rng, shape);
      const ct = core.tensor(cond, { shape: c, dtype: 'bool' });
      made.push(ct);
      const y = core.where(ct, upload(rng, a, false, made), upload(rng, b, rng.chance(0.3), made));
      made.push(y);
      await compare(h, y, refWhere(cond, c, a.data, a.shape, b.data, b.shape), label);
    });

    const reductions = [
      ['sum', (x: Tensor, ax?: number[], k?: boolean) => core.sum(x, ax, k)],
      ['mean', (x: Tensor, ax?: number[], k?: boolean) => core.mean(x, ax, k)],
      ['max', (x: Tensor, ax?: number[], k?: boolean) => core.max(x, ax, k)],
      ['min', (x: Tensor, ax?: number[], k?: boolean) => core.min(x, ax, k)],
      ['prod', (x: Tensor, ax?: number[], k?: boolean) => core.prod(x, ax, k)],
      ['variance', (x: Tensor, ax?: number[], k?: boolean) => core.variance(x, ax, { keepDims: k ?? false })],
      [
        'varianceBiased',
        (x: Tensor, ax?: number[], k?: boolean) =>
          core.variance(x, ax, { keepDims: k ?? false, unbiased: false }),
      ],
      ['logSumExp', (x: Tensor, ax?: number[], k?: boolean) => core.logSumExp(x, ax, k)],
    ] as const;
    for (const [op, call] of reductions) {
      const allowEmpty = op === 'sum' || op === 'prod';
      trials(h, ['reduce'], `${op} over random axes vs float64`, seed++, async (rng, made, label) => {
        const shape = randomShape(rng, {
          zeroDim: allowEmpty ? 0.1 : 0,
          minRank: op.startsWith('variance') ? 1 : 0,
        });
        const x = host(rng, shape, op === 'prod' ? 'positive' : 'any');
        if (op === 'prod')
          x.data.forEach((v, i) => {
            x.data[i] = 0.6 + (v % 0.8);
          });
        const axes =
          shape.length === 0 || rng.chance(0.2)
            ? undefined
            : rng
                .permutation(shape.length)
                .slice(0, rng.int(1, shape.length))
                .map((a) => (rng.chance(0.3) ? a - shape.length : a));
        // (An unbiased variance of one element is 0/0 = NaN in the reference and on the backend.)
        const keep = rng.chance(0.5);
        const y = call(upload(rng, x, rng.chance(0.3), made), axes, keep);
        made.push(y);
        await compare(
          h,
          y,
          refReduce(op, x.data, x.shape, axes, keep),
          `${label} axes ${JSON.stringify(axes)} keepDims ${keep}`,
        );
      });
    }

    trials(
      h,
      ['matmul', 'transpose'],
      'matmul (1-D, 2-D, batched, transposed inputs) vs float64',
      seed++,
      async (rng, made, label) => {
        const m = rng.pick([0, 1, 2, 3, 5, 7]);
        const k = rng.pick([0, 1, 2, 4, 6, 9]);
        const n = rng.pick([0, 1, 3, 4, 8]);
        const batch = randomShape(rng, { maxRank: 2, maxDim: 3 });
        const kind = rng.int(0, 3); // 0: both n-D, 1: a is 1-D, 2: b is 1-D, 3: both 1-D
        const aShape = kind === 1 || kind === 3 ? [k] : [...broadcastPartner(rng, batch), m, k];
        const bShape = kind === 2 || kind === 3 ? [k] : [...broadcastPartner(rng, batch), k, n];
        const a = host(rng, aShape);
        const b = host(rng, bShape);
        const y = core.matmul(upload(rng, a, rng.chance(0.4), made), upload(rng, b, rng.chance(0.4), made));
        made.push(y);
        await compare(
          h,
          y,
          refMatmul(a.data, a.shape, b.data, b.shape),
          `${label} ${JSON.stringify(aShape)} @ ${JSON.stringify(bShape)}`,
        );
      },
    );

    trials(
      h,
      ['conv2d'],
      'conv2d (stride, padding, dilation) vs float64',
      seed++,
      async (rng, made, label) => {
        const N = rng.int(1, 2);
        const C = rng.int(1, 3);
        const O = rng.int(1, 3);
        const KH = rng.int(1, 3);
        const KW = rng.int(1, 3);
        const stride: [number, number] = [rng.int(1, 2), rng.int(1, 2)];
        const dilation: [number, number] = [rng.int(1, 2), rng.int(1, 2)];
        const padding: [number, number] = [rng.int(0, 2), rng.int(0, 2)];
        const H = Math.max(1, dilation[0] * (KH - 1) + 1 - 2 * padding[0] + rng.int(0, 4));
        const W = Math.max(1, dilation[1] * (KW - 1) + 1 - 2 * padding[1] + rng.int(0, 4));
        const x = host(rng, [N, C, H, W]);
        const w = host(rng, [O, C, KH, KW]);
        const bias = rng.chance(0.5) ? host(rng, [O]) : null;
        const bt = bias ? core.tensor(bias.data, { shape: bias.shape }) : null;
        if (bt) made.push(bt);
        const y = core.conv2d(upload(rng, x, rng.chance(0.3), made), upload(rng, w, false, made), bt, {
          stride,
          padding,
          dilation,
        });
        made.push(y);
        const ref = refConv2d(x.data, x.shape, w.data, w.shape, bias?.data ?? null, {
          stride,
          padding,
          dilation,
        });
        await compare(
          h,
          y,
          ref,
          `${label} x [${x.shape}] w [${w.shape}] stride ${stride} padding ${padding} dilation ${dilation}`,
        );
      },
    );
  });
}
