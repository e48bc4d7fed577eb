import { describe, expect, it } from 'vitest';
import { expectClose, randFloats, randInt, rng, runKernel } from './helpers.js';

interface Case {
  N: number;
  C: number;
  H: number;
  W: number;
  O: number;
  KH: number;
  KW: number;
  stride: [number, number];
  padding: [number, number];
  dilation: [number, number];
}

function outSize(c: Case): [number, number] {
  const OH = Math.floor((c.H + 2 * c.padding[0] - c.dilation[0] * (c.KH - 1) - 1) / c.stride[0]) + 1;
  const OW = Math.floor((c.W + 2 * c.padding[1] - c.dilation[1] * (c.KW - 1) - 1) / c.stride[1]) + 1;
  return [OH, OW];
}

/** Calls `visit(xIndex, wIndex, outIndex)` for every multiply of the convolution (padding skipped). */
function forEachTap(c: Case, visit: (xi: number, wi: number, oi: number) => void): void {
  const [OH, OW] = outSize(c);
  for (let n = 0; n < c.N; n++)
    for (let o = 0; o < c.O; o++)
      for (let oh = 0; oh < OH; oh++)
        for (let ow = 0; ow < OW; ow++)
          for (let ch = 0; ch < c.C; ch++)
            for (let kh = 0; kh < c.KH; kh++)
              for (let kw = 0; kw < c.KW; kw++) {
                const ih = oh * c.stride[0] - c.padding[0] + kh * c.dilation[0];
                const iw = ow * c.stride[1] - c.padding[1] + kw * c.dilation[1];
                if (ih < 0 || ih >= c.H || iw < 0 || iw >= c.W) continue;
                visit(
                  ((n * c.C + ch) * c.H + ih) * c.W + iw,
                  ((o * c.C + ch) * c.KH + kh) * c.KW + kw,
                  ((n * c.O + o) * OH + oh) * OW + ow,
                );
              }
}

function attrsOf(c: Case) {
  return { stride: c.stride, padding: c.padding, dilation: c.dilation };
}

function shapes(c: Case) {
  const [OH, OW] = outSize(c);
  return { x: [c.N, c.C, c.H, c.W], w: [c.O, c.C, c.KH, c.KW], y: [c.N, c.O, OH, OW] };
}

const conv = (c: Case, x: Float32Array, w: Float32Array) =>
  runKernel(
    'conv2d',
    [
      { values: x, shape: shapes(c).x },
      { values: w, shape: shapes(c).w },
    ],
    attrsOf(c),
    shapes(c).y,
  ) as Float32Array;
const convDx = (c: Case, dy: Float32Array, w: Float32Array) =>
  runKernel(
    'conv2dBackwardInput',
    [
      { values: dy, shape: shapes(c).y },
      { values: w, shape: shapes(c).w },
    ],
    attrsOf(c),
    shapes(c).x,
  ) as Float32Array;
const convDw = (c: Case, x: Float32Array, dy: Float32Array) =>
  runKernel(
    'conv2dBackwardFilter',
    [
      { values: x, shape: shapes(c).x },
      { values: dy, shape: shapes(c).y },
    ],
    attrsOf(c),
    shapes(c).w,
  ) as Float32Array;

function randomCases(seed: number, count: number): Case[] {
  const r = rng(seed);
  const cases: Case[] = [
    { N: 1, C: 1, H: 1, W: 1, O: 1, KH: 1, KW: 1, stride: [1, 1], padding: [0, 0], dilation: [1, 1] },
    { N: 2, C: 3, H: 5, W: 4, O: 5, KH: 1, KW: 1, stride: [1, 1], padding: [0, 0], dilation: [1, 1] },
    { N: 2, C: 1, H: 8, W: 8, O: 4, KH: 5, KW: 5, stride: [1, 1], padding: [0, 0], dilation: [1, 1] },
    { N: 1, C: 2, H: 7, W: 6, O: 3, KH: 3, KW: 2, stride: [2, 3], padding: [1, 2], dilation: [2, 1] },
    { N: 1, C: 30, H: 5, W: 5, O: 6, KH: 3, KW: 3, stride: [1, 1], padding: [1, 1], dilation: [1, 1] },
    { N: 2, C: 2, H: 3, W: 3, O: 2, KH: 3, KW: 3, stride: [1, 1], padding: [2, 2], dilation: [1, 1] },
  ];
  while (cases.length < count) {
    const c: Case = {
      N: randInt(r, 1, 2),
      C: randInt(r, 1, 4),
      H: randInt(r, 1, 9),
      W: randInt(r, 1, 9),
      O: randInt(r, 1, 5),
      KH: randInt(r, 1, 3),
      KW: randInt(r, 1, 3),
      stride: [randInt(r, 1, 3), randInt(r, 1, 3)],
      padding: [randInt(r, 0, 2), randInt(r, 0, 2)],
      dilation: [randInt(r, 1, 2), randInt(r, 1, 2)],
    };
    const [OH, OW] = outSize(c);
    if (OH >= 1 && OW >= 1) cases.push(c);
  }
  return cases;
}

const label = (c: Case) => JSON.stringify(c);

describe('conv2d', () => {
  const cases = randomCases(20, 30);

  it('forward matches a naive float64 convolution (stride, padding, dilation, 1×1)', () => {
    const r = rng(21);
    for (const c of cases) {
      const s = shapes(c);
      const x = randFloats(
        r,
        s.x.reduce((a, b) => a * b),
      );
      const w = randFloats(
        r,
        s.w.reduce((a, b) => a * b),
      );
      const ref = new Float64Array(s.y.reduce((a, b) => a * b));
      forEachTap(c, (xi, wi, oi) => {
        ref[oi] = (ref[oi] as number) + (x[xi] as number) * (w[wi] as number);
      });
      expectClose(conv(c, x, w), ref, 1e-5, 1e-5, label(c));
    }
  });

  it('input and filter gradients match naive float64 references', () => {
    const r = rng(22);
    for (const c of cases) {
      const s = shapes(c);
      const x = randFloats(
        r,
        s.x.reduce((a, b) => a * b),
      );
      const w = randFloats(
        r,
        s.w.reduce((a, b) => a * b),
      );
      const dy = randFloats(
        r,
        s.y.reduce((a, b) => a * b),
      );
      const dx = new Float64Array(x.length);
      const dw = new Float64Array(w.length);
      forEachTap(c, (xi, wi, oi) => {
        dx[xi] = (dx[xi] as number) + (dy[oi] as number) * (w[wi] as number);
        dw[wi] = (dw[wi] as number) + (dy[oi] as number) * (x[xi] as number);
      });
      expectClose(convDx(c, dy, w), dx, 1e-5, 1e-5, `dx ${label(c)}`);
      expectClose(convDw(c, x, dy), dw, 1e-5, 1e-5, `dw ${label(c)}`);
    }
  });

  it('gradients agree with finite differences of the forward kernel', () => {
    const r = rng(23);
    for (const c of cases.slice(0, 12)) {
      const s = shapes(c);
      const x = randFloats(
        r,
        s.x.reduce((a, b) => a * b),
      );
      const w = randFloats(
        r,
        s.w.reduce((a, b) => a * b),
      );
      const dy = randFloats(
        r,
        s.y.reduce((a, b) => a * b),
      );
      // L(x, w) = Σ conv(x, w) · dy, so dL/dx = conv2dBackwardInput(dy, w) and dL/dw = conv2dBackwardFilter(x, dy).
      const loss = (xv: Float32Array, wv: Float32Array) => {
        const y = conv(c, xv, wv);
        let l = 0;
        for (let i = 0; i < y.length; i++) l += (y[i] as number) * (dy[i] as number);
        return l;
      };
      const dx = convDx(c, dy, w);
      const dw = convDw(c, x, dy);
      const eps = 1 / 64;
      for (const [param, grad] of [
        [x, dx],
        [w, dw],
      ] as const) {
        for (let t = 0; t < 4; t++) {
          const i = randInt(r, 0, param.length - 1);
          const keep = param[i] as number;
          param[i] = keep + eps;
          const up = param === x ? loss(param, w) : loss(x, param);
          param[i] = keep - eps;
          const down = param === x ? loss(param, w) : loss(x, param);
          param[i] = keep;
          const fd = (up - down) / (2 * eps);
          expect(Math.abs(fd - (grad[i] as number)), `${label(c)} fd ${fd} vs ${grad[i]}`).toBeLessThan(
            2e-3 + 2e-3 * Math.abs(fd),
          );
        }
      }
    }
  });
});
