import type { BinaryOp, UnaryOp } from '@myelin/core';
import { afterAll, describe, expect, it } from 'vitest';
import {
  bool,
  coords,
  disposeBackend,
  expectClose,
  f32,
  i32,
  randoms,
  run,
  sizeOf,
  stridesOf,
} from './helpers.js';

afterAll(disposeBackend);

const f = Math.fround;

/** Edge values plus a spread of ordinary ones. */
const SPECIAL = [0, -0, 1, -1, 0.5, -0.5, 1e-7, -1e-7, 3.4e38, -3.4e38, Infinity, -Infinity, Number.NaN];
const XS = Float32Array.from([
  ...SPECIAL,
  ...randoms(200, 7, -10, 10),
  2.5,
  3.5,
  -2.5,
  0.49999997,
  100,
  -100,
]);

function roundHalfEven(v: number): number {
  const r = Math.round(v);
  return Math.abs(v % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

const FLOAT_REFS: Partial<Record<UnaryOp, (x: number) => number>> = {
  neg: (x) => -x,
  abs: Math.abs,
  sign: Math.sign,
  square: (x) => x * x,
  sqrt: Math.sqrt,
  rsqrt: (x) => 1 / Math.sqrt(x),
  reciprocal: (x) => 1 / x,
  exp: Math.exp,
  expm1: Math.expm1,
  log: Math.log,
  log1p: Math.log1p,
  sin: Math.sin,
  cos: Math.cos,
  tanh: Math.tanh,
  sigmoid: (x) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x))),
  softplus: (x) => Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x))),
  relu: (x) => Math.max(x, 0),
  step: (x) => (x > 0 ? 1 : 0),
  floor: Math.floor,
  ceil: Math.ceil,
  round: roundHalfEven,
};

describe('unary float32', () => {
  for (const [op, ref] of Object.entries(FLOAT_REFS) as [UnaryOp, (x: number) => number][]) {
    it(op, async () => {
      // sin/cos: finite arguments of a sensible size (huge arguments are not meaningful in float32).
      const xs = op === 'sin' || op === 'cos' ? XS.filter((x) => Math.abs(x) < 1e4) : XS;
      const got = await run('unary', [f32(xs, [xs.length])], { op }, [xs.length], 'float32');
      const want = Array.from(xs, (x) => f(ref(x)));
      expectClose(got, want, 2e-6, 4e-6);
    });
  }

  it('isNaN gives bool', async () => {
    const got = await run('unary', [f32(XS, [XS.length])], { op: 'isNaN' }, [XS.length], 'bool');
    expect(got).toBeInstanceOf(Uint8Array);
    expect(Array.from(got)).toEqual(Array.from(XS, (x) => (Number.isNaN(x) ? 1 : 0)));
  });
});

describe('unary int32 and bool', () => {
  const ints = [0, 1, -1, 7, -7, 46341, 2147483647, -2147483647];
  const refs: [UnaryOp, (x: number) => number][] = [
    ['neg', (x) => -x | 0],
    ['abs', (x) => Math.abs(x) | 0],
    ['sign', Math.sign],
    ['square', (x) => Math.imul(x, x)],
    ['relu', (x) => Math.max(x, 0)],
  ];
  for (const [op, ref] of refs) {
    it(op, async () => {
      const got = await run('unary', [i32(ints, [ints.length])], { op }, [ints.length], 'int32');
      expect(got).toBeInstanceOf(Int32Array);
      expect(Array.from(got)).toEqual(ints.map(ref));
    });
  }
  it('logicalNot', async () => {
    const got = await run('unary', [bool([1, 0, 0, 1], [4])], { op: 'logicalNot' }, [4], 'bool');
    expect(Array.from(got)).toEqual([0, 1, 1, 0]);
  });
});

/** Naive broadcast of a binary function: reads both inputs at the output's coordinates. */
function broadcastRef(
  a: ArrayLike<number>,
  as: readonly number[],
  b: ArrayLike<number>,
  bs: readonly number[],
  out: readonly number[],
  fn: (x: number, y: number) => number,
): number[] {
  const read = (v: ArrayLike<number>, shape: readonly number[], c: number[]) => {
    const st = stridesOf(shape);
    let off = 0;
    for (let d = 0; d < shape.length; d++) {
      const cd = c[c.length - shape.length + d] as number;
      off += (shape[d] === 1 ? 0 : cd) * (st[d] as number);
    }
    return v[off] as number;
  };
  return Array.from({ length: sizeOf(out) }, (_, i) => {
    const c = coords(i, out);
    return fn(read(a, as, c), read(b, bs, c));
  });
}

function floorMod(a: number, b: number): number {
  const r = a % b;
  return r !== 0 && r < 0 !== b < 0 ? r + b : r;
}

const BINARY_F32: [BinaryOp, (a: number, b: number) => number][] = [
  ['add', (a, b) => a + b],
  ['sub', (a, b) => a - b],
  ['mul', (a, b) => a * b],
  ['div', (a, b) => a / b],
  ['maximum', (a, b) => (Number.isNaN(a) || Number.isNaN(b) ? Number.NaN : Math.max(a, b))],
  ['minimum', (a, b) => (Number.isNaN(a) || Number.isNaN(b) ? Number.NaN : Math.min(a, b))],
  ['mod', floorMod],
  ['atan2', Math.atan2],
  ['pow', (a, b) => a ** b],
  ['equal', (a, b) => +(a === b)],
  ['notEqual', (a, b) => +(a !== b)],
  ['less', (a, b) => +(a < b)],
  ['lessEqual', (a, b) => +(a <= b)],
  ['greater', (a, b) => +(a > b)],
  ['greaterEqual', (a, b) => +(a >= b)],
];

const SHAPES: [number[], number[], number[]][] = [
  [
    [2, 3, 4],
    [2, 3, 4],
    [2, 3, 4],
  ],
  [
    [2, 3, 4],
    [3, 1],
    [2, 3, 4],
  ],
  [[1], [5, 2], [5, 2]],
  [
    [4, 1, 3],
    [1, 5, 1],
    [4, 5, 3],
  ],
  [
    [2, 1, 3, 1, 2, 2],
    [1, 2, 1, 2, 1, 2],
    [2, 2, 3, 2, 2, 2],
  ],
  [
    [2, 1, 2, 1, 2, 1, 2, 1],
    [1, 2, 1, 2, 1, 2, 1, 2],
    [2, 2, 2, 2, 2, 2, 2, 2],
  ],
];

describe('binary float32 with broadcasting', () => {
  for (const [op, fn] of BINARY_F32) {
    it(op, async () => {
      for (const [as, bs, os] of SHAPES) {
        let a = randoms(sizeOf(as), 3, -4, 4);
        let b = randoms(sizeOf(bs), 5, -4, 4);
        if (op === 'pow') a = a.map((v, i) => (i % 3 === 0 ? Math.round(v) : Math.abs(v)));
        if (op === 'pow') b = b.map((v, i) => (i % 2 === 0 ? Math.round(v) : v));
        if (op.includes('qual') || op === 'less' || op === 'greater')
          b = b.map((v, i) => (i % 2 ? Math.round(v) : v));
        if (op.includes('qual') || op === 'less' || op === 'greater')
          a = a.map((v, i) => (i % 2 ? Math.round(v) : v));
        const outDtype =
          fn.length === 2 &&
          ['equal', 'notEqual', 'less', 'lessEqual', 'greater', 'greaterEqual'].includes(op)
            ? 'bool'
            : 'float32';
        const got = await run('binary', [f32(a, as), f32(b, bs)], { op }, os, outDtype);
        const want = broadcastRef(a, as, b, bs, os, fn).map(f);
        expectClose(got, want, 1e-5, 1e-5);
      }
    });
  }

  it('edge cases: NaN propagation, pow of negatives, mod signs, division by zero', async () => {
    const a = [Number.NaN, 1, -8, -8, 0, 2, 5, -5, 5, -5, 1, -1, 0];
    const b = [1, Number.NaN, 3, 0.5, -1, 0, 3, 3, -3, -3, 0, 0, 0];
    const n = a.length;
    const check = async (op: BinaryOp, fn: (x: number, y: number) => number) => {
      const got = await run('binary', [f32(a, [n]), f32(b, [n])], { op }, [n], 'float32');
      expectClose(
        got,
        a.map((x, i) => f(fn(x, b[i] as number))),
        1e-6,
        1e-6,
      );
    };
    await check('maximum', (x, y) => (Number.isNaN(x) || Number.isNaN(y) ? Number.NaN : Math.max(x, y)));
    await check('pow', (x, y) => (x === 1 ? 1 : x ** y));
    await check('mod', (x, y) => (y === 0 ? Number.NaN : floorMod(x, y)));
    await check('div', (x, y) => x / y);
    const eq = await run('binary', [f32(a, [n]), f32(a, [n])], { op: 'equal' }, [n], 'bool');
    expect(Array.from(eq)).toEqual(a.map((x) => +!Number.isNaN(x)));
  });
});

describe('binary int32 and bool', () => {
  const a = [7, -7, 7, -7, 0, 2147483647, -5, 3];
  const b = [3, 3, -3, -3, 5, 1, 0, 3];
  const refs: [BinaryOp, (x: number, y: number) => number][] = [
    ['add', (x, y) => (x + y) | 0],
    ['sub', (x, y) => (x - y) | 0],
    ['mul', (x, y) => Math.imul(x, y)],
    ['maximum', Math.max],
    ['minimum', Math.min],
    ['mod', (x, y) => (y === 0 ? 0 : floorMod(x, y))],
  ];
  for (const [op, fn] of refs) {
    it(op, async () => {
      const got = await run('binary', [i32(a, [8]), i32(b, [8])], { op }, [8], 'int32');
      expect(Array.from(got)).toEqual(a.map((x, i) => fn(x, b[i] as number)));
    });
  }
  it('int32 comparisons broadcast', async () => {
    const got = await run(
      'binary',
      [i32([1, 2, 3], [3, 1]), i32([2, 2], [2])],
      { op: 'lessEqual' },
      [3, 2],
      'bool',
    );
    expect(Array.from(got)).toEqual([1, 1, 1, 1, 0, 0]);
  });
  it('logicalAnd / logicalOr / equal on bool', async () => {
    const x = bool([1, 1, 0, 0], [4]);
    const y = bool([1, 0, 1, 0], [4]);
    expect(Array.from(await run('binary', [x, y], { op: 'logicalAnd' }, [4], 'bool'))).toEqual([1, 0, 0, 0]);
    expect(Array.from(await run('binary', [x, y], { op: 'logicalOr' }, [4], 'bool'))).toEqual([1, 1, 1, 0]);
    expect(Array.from(await run('binary', [x, y], { op: 'equal' }, [4], 'bool'))).toEqual([1, 0, 0, 1]);
  });
});

describe('where', () => {
  it('broadcasts condition and both branches, any dtype', async () => {
    const cond = bool([1, 0, 1], [3, 1]);
    const a = f32([1, 2, 3, 4], [4]);
    const b = f32([-1], [1]);
    const got = await run('where', [cond, a, b], {}, [3, 4], 'float32');
    expect(Array.from(got)).toEqual([1, 2, 3, 4, -1, -1, -1, -1, 1, 2, 3, 4]);
    const gi = await run('where', [bool([0, 1], [2]), i32([5, 6], [2]), i32([7, 8], [2])], {}, [2], 'int32');
    expect(Array.from(gi)).toEqual([7, 6]);
    const gb = await run('where', [bool([0, 1], [2]), bool([1, 1], [2]), bool([0, 0], [2])], {}, [2], 'bool');
    expect(Array.from(gb)).toEqual([0, 1]);
  });
});

describe('cast', () => {
  it('float32 → int32 truncates toward zero and wraps like Int32Array', async () => {
    const xs = [
      1.9,
      -1.9,
      0.5,
      -0.5,
      2147483520,
      3e9,
      -3e9,
      1e20,
      Number.NaN,
      Infinity,
      -Infinity,
      4294967296 + 512,
    ];
    const got = await run('cast', [f32(xs, [xs.length])], {}, [xs.length], 'int32');
    expect(Array.from(got)).toEqual(Array.from(Int32Array.from(xs.map((x) => Math.trunc(f(x))))));
  });
  it('→ bool is x != 0 (NaN true), bool → numbers is 0/1, int ↔ float', async () => {
    const xs = [0, -0, 2, Number.NaN, -1e-30];
    expect(Array.from(await run('cast', [f32(xs, [5])], {}, [5], 'bool'))).toEqual([0, 0, 1, 1, 1]);
    expect(Array.from(await run('cast', [i32([0, 3, -1], [3])], {}, [3], 'bool'))).toEqual([0, 1, 1]);
    expect(Array.from(await run('cast', [bool([1, 0], [2])], {}, [2], 'float32'))).toEqual([1, 0]);
    expect(Array.from(await run('cast', [bool([1, 0], [2])], {}, [2], 'int32'))).toEqual([1, 0]);
    expect(Array.from(await run('cast', [i32([-3, 16777217], [2])], {}, [2], 'float32'))).toEqual([
      -3, 16777216,
    ]);
    expect(Array.from(await run('cast', [f32([1.5, 2], [2])], {}, [2], 'float32'))).toEqual([1.5, 2]);
  });
});
