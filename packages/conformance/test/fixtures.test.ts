import { describe, expect, it } from 'vitest';
import { describeMismatches } from '../src/compare.js';
import { caseOutputs, decodeData, FIXTURES, type FixtureCase, type FixtureTensor } from '../src/fixtures.js';
import { OP_TABLE } from '../src/op-table.js';
import { BINARY_REF, refBinary, refUnary, UNARY_REF } from '../src/reference/elementwise.js';
import { inversePermutation, permuteData } from '../src/reference/layout.js';
import { refConv2d, refMatmul } from '../src/reference/linalg.js';
import { refReduce } from '../src/reference/reduce.js';

const ALL_CASES: FixtureCase[] = Object.values(FIXTURES).flatMap((f) => [...f.cases]);

/** The deterministic ops of the public API (docs/architecture.md, "Core public API"). */
const PUBLIC_OPS = [
  'zeros',
  'ones',
  'full',
  'arange',
  'eye',
  'zerosLike',
  'onesLike',
  'fullLike',
  'neg',
  'abs',
  'sign',
  'square',
  'sqrt',
  'rsqrt',
  'reciprocal',
  'exp',
  'expm1',
  'log',
  'log1p',
  'sin',
  'cos',
  'tanh',
  'sigmoid',
  'softplus',
  'relu',
  'floor',
  'ceil',
  'round',
  'logicalNot',
  'isNaN',
  'leakyRelu',
  'clamp',
  'add',
  'sub',
  'mul',
  'div',
  'pow',
  'maximum',
  'minimum',
  'mod',
  'atan2',
  'equal',
  'notEqual',
  'less',
  'lessEqual',
  'greater',
  'greaterEqual',
  'logicalAnd',
  'logicalOr',
  'where',
  'sum',
  'mean',
  'max',
  'min',
  'prod',
  'any',
  'all',
  'argmax',
  'argmin',
  'variance',
  'std',
  'logSumExp',
  'matmul',
  'reshape',
  'flatten',
  'squeeze',
  'unsqueeze',
  'expand',
  'transpose',
  'permute',
  'slice',
  'concat',
  'stack',
  'split',
  'pad',
  'gather',
  'oneHot',
  'cast',
  'conv2d',
  'maxPool2d',
  'avgPool2d',
  'softmax',
  'logSoftmax',
];

const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);
const tol = { rtol: 2e-6, atol: 1e-6 };

function wellFormed(t: FixtureTensor, where: string) {
  expect(t.data.length, where).toBe(size(t.shape));
  expect(['float32', 'int32', 'bool'], where).toContain(t.dtype);
}

describe('fixture files', () => {
  it('name unique cases of ops the suite knows, with well-formed tensors', () => {
    const names = new Set<string>();
    for (const c of ALL_CASES) {
      expect(names.has(c.name), c.name).toBe(false);
      names.add(c.name);
      expect(OP_TABLE[c.op], `op-table entry for ${c.op}`).toBeDefined();
      expect(c.name.startsWith(`${c.op}/`), c.name).toBe(true);
      c.inputs.forEach((t, i) => {
        wellFormed(t, `${c.name} input ${i}`);
      });
      caseOutputs(c).forEach((t, i) => {
        wellFormed(t, `${c.name} output ${i}`);
      });
      if (c.grads) {
        expect(c.grads.length, c.name).toBe(c.inputs.length);
        c.grads.forEach((g, i) => {
          if (!g) return;
          wellFormed(g, `${c.name} grad ${i}`);
          expect(g.shape, `${c.name} grad ${i}`).toEqual(c.inputs[i]?.shape);
        });
        expect(c.cotangent ?? c.cotangents, c.name).toBeDefined();
      }
    }
  });

  it('cover every deterministic op of the public API', () => {
    const ops = new Set(ALL_CASES.map((c) => c.op));
    expect(PUBLIC_OPS.filter((op) => !ops.has(op))).toEqual([]);
  });

  it('stay small (the repository carries them)', () => {
    const bytes = Object.values(FIXTURES).reduce((n, f) => n + JSON.stringify(f).length, 0);
    expect(bytes).toBeLessThan(2_000_000);
  });
});

/** Inputs of a case as float64 arrays (undoing nothing: fixture data is the logical value). */
const inputs = (c: FixtureCase) => c.inputs.map((t) => ({ data: decodeData(t), shape: [...t.shape] }));

function agree(c: FixtureCase, ref: { data: ArrayLike<number>; shape: number[]; scale?: ArrayLike<number> }) {
  const out = caseOutputs(c)[0] as FixtureTensor;
  expect(ref.shape, c.name).toEqual([...out.shape]);
  const opts = ref.scale ? { scale: ref.scale } : {};
  const problem = describeMismatches(Float32Array.from(ref.data), decodeData(out), tol, opts);
  expect(problem, c.name).toBeNull();
}

describe('the float64 references agree with PyTorch on the fixtures', () => {
  const float = (c: FixtureCase) => c.inputs.every((t) => t.dtype === 'float32');

  it('unary ops', () => {
    const cases = ALL_CASES.filter((c) => UNARY_REF[c.op] && float(c) && !c.name.includes('special'));
    expect(cases.length).toBeGreaterThan(50);
    for (const c of cases) {
      const [x] = inputs(c);
      if (x) agree(c, refUnary(UNARY_REF[c.op] as (v: number) => number, x.data, x.shape));
    }
  });

  it('binary ops with broadcasting', () => {
    const cases = ALL_CASES.filter((c) => BINARY_REF[c.op] && c.inputs.every((t) => t.dtype !== 'bool'));
    expect(cases.length).toBeGreaterThan(100);
    for (const c of cases) {
      const [a, b] = inputs(c);
      if (a && b)
        agree(
          c,
          refBinary(BINARY_REF[c.op] as (x: number, y: number) => number, a.data, a.shape, b.data, b.shape),
        );
    }
  });

  it('reductions', () => {
    const ops = ['sum', 'mean', 'max', 'min', 'prod', 'logSumExp', 'variance'] as const;
    const cases = ALL_CASES.filter(
      (c) =>
        (ops as readonly string[]).includes(c.op) &&
        float(c) &&
        !c.name.includes('size0') &&
        !c.name.includes('special'),
    );
    expect(cases.length).toBeGreaterThan(40);
    for (const c of cases) {
      const [x] = inputs(c);
      if (!x) continue;
      const op = c.op === 'variance' && c.attrs.unbiased === false ? 'varianceBiased' : c.op;
      const axis = c.attrs.axis as number | number[] | undefined;
      agree(c, refReduce(op as (typeof ops)[number], x.data, x.shape, axis, c.attrs.keepDims === true));
    }
  });

  it('matmul', () => {
    for (const c of ALL_CASES.filter((k) => k.op === 'matmul')) {
      const [a, b] = inputs(c);
      if (a && b) agree(c, refMatmul(a.data, a.shape, b.data, b.shape));
    }
  });

  it('conv2d', () => {
    const pair = (v: unknown, d: number): [number, number] =>
      v === undefined ? [d, d] : typeof v === 'number' ? [v, v] : (v as [number, number]);
    for (const c of ALL_CASES.filter((k) => k.op === 'conv2d' && !k.name.includes('size0'))) {
      const [x, w, b] = inputs(c);
      if (!x || !w) continue;
      const attrs = {
        stride: pair(c.attrs.stride, 1),
        padding: pair(c.attrs.padding, 0),
        dilation: pair(c.attrs.dilation, 1),
      };
      agree(c, refConv2d(x.data, x.shape, w.data, w.shape, b?.data ?? null, attrs));
    }
  });
});

describe('layout helpers', () => {
  it('permuteData and its inverse round-trip', () => {
    const data = Array.from({ length: 24 }, (_, i) => i);
    const p = permuteData(data, [2, 3, 4], [2, 0, 1]);
    expect(p.shape).toEqual([4, 2, 3]);
    expect(p.data.slice(0, 4)).toEqual([0, 4, 8, 12]);
    const back = permuteData(p.data, p.shape, inversePermutation([2, 0, 1]));
    expect(back).toEqual({ data, shape: [2, 3, 4] });
  });
});
