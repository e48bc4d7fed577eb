import type { BinaryOp, UnaryOp } from '@myelin/core';
import { describe, expect, it } from 'vitest';
import {
  broadcastIndex,
  broadcastShape,
  expectClose,
  randFloats,
  randInt,
  randInts,
  rng,
  runKernel,
  sizeOf,
  unravel,
} from './helpers.js';

const specials = new Float32Array([
  0,
  -0,
  1,
  -1,
  0.5,
  -0.5,
  1.5,
  2.5,
  -2.5,
  100,
  -100,
  1e-7,
  Infinity,
  -Infinity,
  NaN,
]);

function roundHalfEven(v: number): number {
  const r = Math.round(v);
  return Math.abs(v % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

const unaryRef: Record<Exclude<UnaryOp, 'logicalNot' | 'isNaN'>, (v: number) => number> = {
  neg: (v) => -v,
  abs: Math.abs,
  sign: Math.sign,
  square: (v) => v * v,
  sqrt: Math.sqrt,
  rsqrt: (v) => 1 / Math.sqrt(v),
  reciprocal: (v) => 1 / v,
  exp: Math.exp,
  expm1: Math.expm1,
  log: Math.log,
  log1p: Math.log1p,
  sin: Math.sin,
  cos: Math.cos,
  tanh: Math.tanh,
  sigmoid: (v) => (v === -Infinity ? 0 : 1 / (1 + Math.exp(-v))),
  softplus: (v) => (v > 30 ? v : Math.log(1 + Math.exp(v))),
  relu: (v) => (Number.isNaN(v) ? v : Math.max(v, 0)),
  step: (v) => (v > 0 ? 1 : 0),
  floor: Math.floor,
  ceil: Math.ceil,
  round: roundHalfEven,
};

describe('unary', () => {
  const r = rng(1);
  const x = new Float32Array([...specials, ...randFloats(r, 200, -5, 5)]);
  for (const [op, f] of Object.entries(unaryRef)) {
    it(`${op} matches Math on float32, specials included`, () => {
      const out = runKernel('unary', [{ values: x, shape: [x.length] }], { op: op as UnaryOp }, [x.length]);
      expectClose(out, Float32Array.from(x, f), 1e-6, 1e-7, op);
    });
  }

  it('sigmoid and softplus are stable at large |x|', () => {
    const big = new Float32Array([-1000, -100, 100, 1000]);
    const s = runKernel('unary', [{ values: big, shape: [4] }], { op: 'sigmoid' }, [4]);
    expect(Array.from(s)).toEqual([0, Math.fround(1 / (1 + Math.exp(100))), 1, 1]);
    const sp = runKernel('unary', [{ values: big, shape: [4] }], { op: 'softplus' }, [4]);
    expectClose(sp, [0, Math.fround(Math.exp(-100)), 100, 1000]);
  });

  it('int32 ops stay integer; square wraps', () => {
    const xi = new Int32Array([-3, 0, 7, 65536, -2147483648]);
    const shape = [5];
    expect(Array.from(runKernel('unary', [{ values: xi, shape }], { op: 'neg' }, shape, 'int32'))).toEqual([
      3, 0, -7, -65536, -2147483648,
    ]);
    expect(Array.from(runKernel('unary', [{ values: xi, shape }], { op: 'abs' }, shape, 'int32'))).toEqual([
      3, 0, 7, 65536, -2147483648,
    ]);
    expect(Array.from(runKernel('unary', [{ values: xi, shape }], { op: 'square' }, shape, 'int32'))).toEqual(
      [9, 0, 49, 0, 0],
    );
    expect(Array.from(runKernel('unary', [{ values: xi, shape }], { op: 'relu' }, shape, 'int32'))).toEqual([
      0, 0, 7, 65536, 0,
    ]);
    expect(Array.from(runKernel('unary', [{ values: xi, shape }], { op: 'sign' }, shape, 'int32'))).toEqual([
      -1, 0, 1, 1, -1,
    ]);
  });

  it('logicalNot and isNaN give bool', () => {
    const b = new Uint8Array([0, 1, 1, 0]);
    expect(
      Array.from(runKernel('unary', [{ values: b, shape: [4] }], { op: 'logicalNot' }, [4], 'bool')),
    ).toEqual([1, 0, 0, 1]);
    const f = new Float32Array([NaN, 0, Infinity]);
    expect(Array.from(runKernel('unary', [{ values: f, shape: [3] }], { op: 'isNaN' }, [3], 'bool'))).toEqual(
      [1, 0, 0],
    );
  });
});

const floatBinary: Record<string, (a: number, b: number) => number> = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  pow: (a, b) => a ** b,
  maximum: (a, b) => (Number.isNaN(a) || Number.isNaN(b) ? NaN : Math.max(a, b)),
  minimum: (a, b) => (Number.isNaN(a) || Number.isNaN(b) ? NaN : Math.min(a, b)),
  mod: (a, b) => a - Math.floor(a / b) * b,
  atan2: Math.atan2,
};
const compare: Record<string, (a: number, b: number) => boolean> = {
  equal: (a, b) => a === b,
  notEqual: (a, b) => a !== b,
  less: (a, b) => a < b,
  lessEqual: (a, b) => a <= b,
  greater: (a, b) => a > b,
  greaterEqual: (a, b) => a >= b,
};

/** Random broadcast-compatible shape pairs: same shape, scalars, size-1 dims, different ranks. */
function shapePairs(r: () => number): [number[], number[]][] {
  const pairs: [number[], number[]][] = [
    [[7], [7]],
    [[], []],
    [[], [3, 4]],
    [[3, 4], []],
    [[1], [5]],
    [[2, 3, 4], [4]],
    [
      [2, 1, 4],
      [3, 1],
    ],
    [
      [4, 1],
      [1, 5],
    ],
    [
      [1, 1, 3],
      [2, 1, 1],
    ],
    [
      [6, 1, 1, 2],
      [1, 5, 3, 1],
    ],
  ];
  for (let t = 0; t < 10; t++) {
    const rank = randInt(r, 1, 4);
    const full = Array.from({ length: rank }, () => randInt(r, 1, 5));
    const a = full.map((n) => (r() < 0.3 ? 1 : n));
    const b = full.slice(randInt(r, 0, rank - 1)).map((n) => (r() < 0.3 ? 1 : n));
    pairs.push(r() < 0.5 ? [a, b] : [b, a]);
  }
  return pairs;
}

function refBinary(
  f: (a: number, b: number) => number,
  a: ArrayLike<number>,
  as: number[],
  b: ArrayLike<number>,
  bs: number[],
): { shape: number[]; values: number[] } {
  const shape = broadcastShape(as, bs);
  const values: number[] = [];
  for (let i = 0; i < sizeOf(shape); i++) {
    const idx = unravel(i, shape);
    values.push(f(a[broadcastIndex(idx, as)] as number, b[broadcastIndex(idx, bs)] as number));
  }
  return { shape, values };
}

describe('binary', () => {
  const r = rng(2);
  const pairs = shapePairs(r);
  for (const [op, f] of Object.entries(floatBinary)) {
    it(`${op} broadcasts like NumPy (float32)`, () => {
      for (const [as, bs] of pairs) {
        const a = randFloats(r, sizeOf(as), -3, 3);
        const b = randFloats(r, sizeOf(bs), -3, 3);
        if (op === 'pow') for (let i = 0; i < a.length; i++) a[i] = Math.abs(a[i] as number) + 0.1;
        const ref = refBinary(f, a, as, b, bs);
        const out = runKernel(
          'binary',
          [
            { values: a, shape: as },
            { values: b, shape: bs },
          ],
          { op: op as BinaryOp },
          ref.shape,
        );
        expectClose(out, Float32Array.from(ref.values), 1e-5, 1e-6, `${op} ${as} ${bs}`);
      }
    });
  }
  for (const [op, f] of Object.entries(compare)) {
    it(`${op} gives bool, on float32 and int32`, () => {
      for (const [as, bs] of pairs) {
        const a = randInts(r, sizeOf(as), -2, 3);
        const b = randInts(r, sizeOf(bs), -2, 3);
        const ref = refBinary((x, y) => (f(x, y) ? 1 : 0), a, as, b, bs);
        const outI = runKernel(
          'binary',
          [
            { values: a, shape: as },
            { values: b, shape: bs },
          ],
          { op: op as BinaryOp },
          ref.shape,
          'bool',
        );
        expect(Array.from(outI)).toEqual(ref.values);
        const outF = runKernel(
          'binary',
          [
            { values: Float32Array.from(a), shape: as },
            { values: Float32Array.from(b), shape: bs },
          ],
          { op: op as BinaryOp },
          ref.shape,
          'bool',
        );
        expect(Array.from(outF)).toEqual(ref.values);
      }
    });
  }

  it('int32 arithmetic wraps and mod is floored', () => {
    const a = new Int32Array([2147483647, -7, 7, -7, 65536, 5]);
    const b = new Int32Array([1, 3, -3, -3, 65536, -1]);
    const shape = [6];
    const run = (op: BinaryOp) =>
      Array.from(
        runKernel(
          'binary',
          [
            { values: a, shape },
            { values: b, shape },
          ],
          { op },
          shape,
          'int32',
        ),
      );
    expect(run('add')).toEqual([-2147483648, -4, 4, -10, 131072, 4]);
    expect(run('mul')).toEqual([2147483647, -21, -21, 21, 0, -5]);
    expect(run('mod')).toEqual([0, 2, -2, -1, 0, 0]);
    expect(run('maximum')).toEqual([2147483647, 3, 7, -3, 65536, 5]);
  });

  it('float mod takes the sign of the divisor', () => {
    const a = new Float32Array([5.5, -5.5, 5.5, -5.5]);
    const b = new Float32Array([2, 2, -2, -2]);
    const out = runKernel(
      'binary',
      [
        { values: a, shape: [4] },
        { values: b, shape: [4] },
      ],
      { op: 'mod' },
      [4],
    );
    expect(Array.from(out)).toEqual([1.5, 0.5, -0.5, -1.5]);
  });

  it('logicalAnd / logicalOr on bool with broadcasting', () => {
    const a = new Uint8Array([0, 1, 0, 1]);
    const b = new Uint8Array([0, 1]);
    const and = runKernel(
      'binary',
      [
        { values: a, shape: [2, 2] },
        { values: b, shape: [2, 1] },
      ],
      { op: 'logicalAnd' },
      [2, 2],
      'bool',
    );
    expect(Array.from(and)).toEqual([0, 0, 0, 1]);
    const or = runKernel(
      'binary',
      [
        { values: a, shape: [2, 2] },
        { values: b, shape: [2, 1] },
      ],
      { op: 'logicalOr' },
      [2, 2],
      'bool',
    );
    expect(Array.from(or)).toEqual([0, 1, 1, 1]);
  });
});

describe('where', () => {
  it('selects with three-way broadcasting', () => {
    const r = rng(3);
    const cases: [number[], number[], number[]][] = [
      [[5], [5], [5]],
      [[2, 3], [3], []],
      [
        [2, 1, 4],
        [3, 1],
        [1, 1, 4],
      ],
      [[], [2, 2], [2, 1]],
    ];
    for (const [cs, as, bs] of cases) {
      const shape = broadcastShape(broadcastShape(cs, as), bs);
      const c = Uint8Array.from(randInts(r, sizeOf(cs), 0, 2));
      const a = randFloats(r, sizeOf(as));
      const b = randFloats(r, sizeOf(bs));
      const expected: number[] = [];
      for (let i = 0; i < sizeOf(shape); i++) {
        const idx = unravel(i, shape);
        expected.push(
          c[broadcastIndex(idx, cs)]
            ? (a[broadcastIndex(idx, as)] as number)
            : (b[broadcastIndex(idx, bs)] as number),
        );
      }
      const out = runKernel(
        'where',
        [
          { values: c, shape: cs },
          { values: a, shape: as },
          { values: b, shape: bs },
        ],
        {},
        shape,
      );
      expect(Array.from(out)).toEqual(expected);
    }
  });
});

describe('cast', () => {
  it('float → int32 truncates toward zero, NaN → 0', () => {
    const x = new Float32Array([1.7, -1.7, 0.2, -0.2, NaN, 3]);
    expect(Array.from(runKernel('cast', [{ values: x, shape: [6] }], {}, [6], 'int32'))).toEqual([
      1, -1, 0, 0, 0, 3,
    ]);
  });
  it('→ bool is x != 0 (NaN is true); bool → float is 0/1', () => {
    const x = new Float32Array([0, -0, 2, NaN]);
    expect(Array.from(runKernel('cast', [{ values: x, shape: [4] }], {}, [4], 'bool'))).toEqual([0, 0, 1, 1]);
    const b = new Uint8Array([1, 0]);
    expect(Array.from(runKernel('cast', [{ values: b, shape: [2] }], {}, [2], 'float32'))).toEqual([1, 0]);
    const i = new Int32Array([-5, 16777217]);
    expect(Array.from(runKernel('cast', [{ values: i, shape: [2] }], {}, [2], 'float32'))).toEqual([
      -5, 16777216,
    ]);
  });
});
