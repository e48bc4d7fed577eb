import { describe, expect, it } from 'vitest';
import { expectClose, randFloats, randInt, rng, runKernel } from './helpers.js';

interface Case {
  N: number;
  C: number;
  H: number;
  W: number;
  kernel: [number, number];
  stride: [number, number];
  padding: [number, number];
}

function outSize(c: Case): [number, number] {
  return [
    Math.floor((c.H + 2 * c.padding[0] - c.kernel[0]) / c.stride[0]) + 1,
    Math.floor((c.W + 2 * c.padding[1] - c.kernel[1]) / c.stride[1]) + 1,
  ];
}

/** For each output element, the flat input indices of its window (row-major), padding skipped. */
function windows(c: Case): number[][] {
  const [OH, OW] = outSize(c);
  const out: number[][] = [];
  for (let p = 0; p < c.N * c.C; p++)
    for (let oh = 0; oh < OH; oh++)
      for (let ow = 0; ow < OW; ow++) {
        const win: number[] = [];
        for (let kh = 0; kh < c.kernel[0]; kh++)
          for (let kw = 0; kw < c.kernel[1]; kw++) {
            const ih = oh * c.stride[0] - c.padding[0] + kh;
            const iw = ow * c.stride[1] - c.padding[1] + kw;
            if (ih >= 0 && ih < c.H && iw >= 0 && iw < c.W) win.push((p * c.H + ih) * c.W + iw);
          }
        out.push(win);
      }
  return out;
}

function randomCases(seed: number): Case[] {
  const r = rng(seed);
  const cases: Case[] = [
    { N: 1, C: 1, H: 4, W: 4, kernel: [2, 2], stride: [2, 2], padding: [0, 0] },
    { N: 2, C: 3, H: 5, W: 5, kernel: [3, 3], stride: [1, 1], padding: [1, 1] },
    { N: 1, C: 2, H: 7, W: 6, kernel: [3, 2], stride: [2, 1], padding: [1, 0] },
    { N: 1, C: 1, H: 1, W: 1, kernel: [1, 1], stride: [1, 1], padding: [0, 0] },
    { N: 2, C: 1, H: 6, W: 6, kernel: [4, 4], stride: [1, 2], padding: [2, 2] },
  ];
  while (cases.length < 25) {
    const kernel: [number, number] = [randInt(r, 1, 4), randInt(r, 1, 4)];
    const c: Case = {
      N: randInt(r, 1, 2),
      C: randInt(r, 1, 3),
      H: randInt(r, 1, 9),
      W: randInt(r, 1, 9),
      kernel,
      stride: [randInt(r, 1, 3), randInt(r, 1, 3)],
      padding: [randInt(r, 0, Math.floor(kernel[0] / 2)), randInt(r, 0, Math.floor(kernel[1] / 2))],
    };
    const [OH, OW] = outSize(c);
    if (OH >= 1 && OW >= 1) cases.push(c);
  }
  return cases;
}

const shapesOf = (c: Case) => ({ x: [c.N, c.C, c.H, c.W], y: [c.N, c.C, ...outSize(c)] });
const attrsOf = (c: Case) => ({ kernel: c.kernel, stride: c.stride, padding: c.padding });
const label = (c: Case) => JSON.stringify(c);
const size = (s: number[]) => s.reduce((a, b) => a * b, 1);

/** Distinct values (a shuffled grid with 0.01 spacing), so a max is never tied and FD steps keep the argmax. */
function distinct(r: () => number, n: number): Float32Array {
  const v = Float32Array.from({ length: n }, (_, i) => (i - n / 2) * 0.01);
  for (let i = n - 1; i > 0; i--) {
    const j = randInt(r, 0, i);
    [v[i], v[j]] = [v[j] as number, v[i] as number];
  }
  return v;
}

describe('maxPool2d', () => {
  const cases = randomCases(30);
  it('forward and backward match naive references (overlapping windows, padding)', () => {
    const r = rng(31);
    for (const c of cases) {
      const s = shapesOf(c);
      // Few distinct values: ties are frequent, so "first max in row-major order" is exercised.
      const x = Float32Array.from(randFloats(r, size(s.x), 0, 4), Math.floor);
      const dy = randFloats(r, size(s.y));
      const wins = windows(c);
      const y = new Float64Array(wins.length);
      const dx = new Float64Array(x.length);
      wins.forEach((win, o) => {
        let at = win[0] as number;
        for (const i of win) if ((x[i] as number) > (x[at] as number)) at = i;
        y[o] = x[at] as number;
        dx[at] = (dx[at] as number) + (dy[o] as number);
      });
      expectClose(runKernel('maxPool2d', [{ values: x, shape: s.x }], attrsOf(c), s.y), y, 0, 0, label(c));
      const got = runKernel(
        'maxPool2dBackward',
        [
          { values: dy, shape: s.y },
          { values: x, shape: s.x },
        ],
        attrsOf(c),
        s.x,
      );
      expectClose(got, dx, 1e-6, 1e-6, `dx ${label(c)}`);
    }
  });

  it('gradient agrees with finite differences of the forward kernel', () => {
    const r = rng(32);
    for (const c of cases.slice(0, 10)) {
      const s = shapesOf(c);
      const x = distinct(r, size(s.x));
      const dy = randFloats(r, size(s.y));
      const loss = (xv: Float32Array) => {
        const y = runKernel('maxPool2d', [{ values: xv, shape: s.x }], attrsOf(c), s.y);
        let l = 0;
        for (let i = 0; i < y.length; i++) l += (y[i] as number) * (dy[i] as number);
        return l;
      };
      const dx = runKernel(
        'maxPool2dBackward',
        [
          { values: dy, shape: s.y },
          { values: x, shape: s.x },
        ],
        attrsOf(c),
        s.x,
      );
      const eps = 1 / 1024;
      for (let i = 0; i < x.length; i++) {
        const keep = x[i] as number;
        x[i] = keep + eps;
        const up = loss(x);
        x[i] = keep - eps;
        const down = loss(x);
        x[i] = keep;
        expect(Math.abs((up - down) / (2 * eps) - (dx[i] as number)), label(c)).toBeLessThan(1e-3);
      }
    }
  });
});

describe('avgPool2d', () => {
  const cases = randomCases(40);
  it('forward and backward match naive references (divisor counts padding)', () => {
    const r = rng(41);
    for (const c of cases) {
      const s = shapesOf(c);
      const x = randFloats(r, size(s.x));
      const dy = randFloats(r, size(s.y));
      const k = c.kernel[0] * c.kernel[1];
      const wins = windows(c);
      const y = new Float64Array(wins.length);
      const dx = new Float64Array(x.length);
      wins.forEach((win, o) => {
        for (const i of win) {
          y[o] = (y[o] as number) + (x[i] as number) / k;
          dx[i] = (dx[i] as number) + (dy[o] as number) / k;
        }
      });
      expectClose(
        runKernel('avgPool2d', [{ values: x, shape: s.x }], attrsOf(c), s.y),
        y,
        1e-5,
        1e-6,
        label(c),
      );
      expectClose(
        runKernel('avgPool2dBackward', [{ values: dy, shape: s.y }], attrsOf(c), s.x),
        dx,
        1e-5,
        1e-6,
        `dx ${label(c)}`,
      );
    }
  });

  it('gradient agrees with finite differences of the forward kernel', () => {
    const r = rng(42);
    for (const c of cases.slice(0, 10)) {
      const s = shapesOf(c);
      const x = randFloats(r, size(s.x));
      const dy = randFloats(r, size(s.y));
      const loss = (xv: Float32Array) => {
        const y = runKernel('avgPool2d', [{ values: xv, shape: s.x }], attrsOf(c), s.y);
        let l = 0;
        for (let i = 0; i < y.length; i++) l += (y[i] as number) * (dy[i] as number);
        return l;
      };
      const dx = runKernel('avgPool2dBackward', [{ values: dy, shape: s.y }], attrsOf(c), s.x);
      const eps = 1 / 64;
      for (let i = 0; i < x.length; i++) {
        const keep = x[i] as number;
        x[i] = keep + eps;
        const up = loss(x);
        x[i] = keep - eps;
        const down = loss(x);
        x[i] = keep;
        expect(Math.abs((up - down) / (2 * eps) - (dx[i] as number)), label(c)).toBeLessThan(1e-3);
      }
    }
  });
});
