import type { Conv2dAttrs, Pool2dAttrs } from '@myelin/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backend, disposeBackend, expectClose, f32, randoms, run, sizeOf, useBackend } from './helpers.js';

afterAll(disposeBackend);

/** Naive batched matmul in float64 (a [Ba,M,K] or [Ba,K,M]; b [Bb,K,N] or [Bb,N,K]). */
function matmulRef(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  batch: number,
  batchA: number,
  batchB: number,
  m: number,
  n: number,
  k: number,
  ta: boolean,
  tb: boolean,
): number[] {
  const out: number[] = [];
  for (let z = 0; z < batch; z++) {
    const oa = (batchA === 1 ? 0 : z) * m * k;
    const ob = (batchB === 1 ? 0 : z) * k * n;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0; p < k; p++) {
          const av = a[oa + (ta ? p * m + i : i * k + p)] as number;
          const bv = b[ob + (tb ? j * k + p : p * n + j)] as number;
          s += av * bv;
        }
        out.push(s);
      }
    }
  }
  return out;
}

type Shape4 = [number, number, number, number];

function outSize(h: number, k: number, s: number, p: number, d: number): number {
  return Math.floor((h + 2 * p - d * (k - 1) - 1) / s) + 1;
}

/** Naive conv2d and its gradients, sharing one loop over (n, o, oh, ow, c, kh, kw). */
function convLoops(
  x: Shape4,
  w: Shape4,
  attrs: Conv2dAttrs,
  visit: (xi: number, wi: number, yi: number) => void,
): Shape4 {
  const [N, C, H, W] = x;
  const [O, , KH, KW] = w;
  const OH = outSize(H, KH, attrs.stride[0], attrs.padding[0], attrs.dilation[0]);
  const OW = outSize(W, KW, attrs.stride[1], attrs.padding[1], attrs.dilation[1]);
  for (let n = 0; n < N; n++)
    for (let o = 0; o < O; o++)
      for (let oh = 0; oh < OH; oh++)
        for (let ow = 0; ow < OW; ow++)
          for (let c = 0; c < C; c++)
            for (let kh = 0; kh < KH; kh++)
              for (let kw = 0; kw < KW; kw++) {
                const ih = oh * attrs.stride[0] - attrs.padding[0] + kh * attrs.dilation[0];
                const iw = ow * attrs.stride[1] - attrs.padding[1] + kw * attrs.dilation[1];
                if (ih < 0 || iw < 0 || ih >= H || iw >= W) continue;
                visit(
                  ((n * C + c) * H + ih) * W + iw,
                  ((o * C + c) * KH + kh) * KW + kw,
                  ((n * O + o) * OH + oh) * OW + ow,
                );
              }
  return [N, O, OH, OW];
}

const CONVS: [Shape4, Shape4, Conv2dAttrs][] = [
  [[1, 1, 5, 5], [1, 1, 3, 3], { stride: [1, 1], padding: [0, 0], dilation: [1, 1] }],
  [[2, 3, 7, 6], [4, 3, 3, 2], { stride: [2, 1], padding: [1, 0], dilation: [1, 1] }],
  [[2, 2, 9, 9], [3, 2, 3, 3], { stride: [2, 2], padding: [2, 1], dilation: [2, 1] }],
  [[3, 4, 8, 8], [70, 4, 1, 1], { stride: [1, 1], padding: [0, 0], dilation: [1, 1] }],
  [[16, 2, 12, 12], [3, 2, 3, 3], { stride: [1, 1], padding: [1, 1], dilation: [1, 1] }], // filter grad: split-K
];

for (const gemm of ['registers', 'shared'] as const) {
  describe(`${gemm} gemm`, () => {
    beforeAll(async () => {
      const b = await useBackend({ gemm });
      expect(b.gemm).toBe(gemm);
    });
    describe('matmul', () => {
      const shapes: [number, number, number, number, number, number][] = [
        // batch, batchA, batchB, M, N, K
        [1, 1, 1, 1, 1, 1],
        [1, 1, 1, 70, 65, 33],
        [3, 3, 3, 5, 7, 9],
        [3, 1, 3, 17, 4, 64],
        [2, 2, 1, 64, 64, 16],
        [1, 1, 1, 8, 6, 5000], // split-K
      ];
      for (const ta of [false, true]) {
        for (const tb of [false, true]) {
          it(`transposeA=${ta} transposeB=${tb}`, async () => {
            for (const [batch, batchA, batchB, m, n, k] of shapes) {
              const a = randoms(batchA * m * k, m + k, -1, 1);
              const b = randoms(batchB * k * n, n + k + 1, -1, 1);
              const aShape = ta ? [batchA, k, m] : [batchA, m, k];
              const bShape = tb ? [batchB, n, k] : [batchB, k, n];
              const got = await run(
                'matmul',
                [f32(a, aShape), f32(b, bShape)],
                { transposeA: ta, transposeB: tb },
                [batch, m, n],
                'float32',
              );
              expectClose(
                got,
                matmulRef(a, b, batch, batchA, batchB, m, n, k, ta, tb),
                1e-5 * Math.sqrt(k) + 1e-6,
                1e-5,
              );
            }
          });
        }
      }

      it('512×512 timing on this adapter (printed, not asserted)', async () => {
        const b = await backend();
        const n = 512;
        const x = b.upload(randoms(n * n, 1), 'float32');
        const y = b.upload(randoms(n * n, 2), 'float32');
        const info = (id: object) => ({
          dataId: id,
          shape: [1, n, n],
          dtype: 'float32' as const,
          size: n * n,
        });
        const out = { shape: [1, n, n], dtype: 'float32' as const, size: n * n };
        const once = async () => {
          const z = b.kernels.matmul([info(x), info(y)], { transposeA: false, transposeB: false }, out, b);
          await b.sync();
          return z;
        };
        b.free(await once()); // warm-up: compiles the pipeline
        const times: number[] = [];
        let last: object | undefined;
        for (let r = 0; r < 5; r++) {
          const t0 = performance.now();
          const z = await once();
          times.push(performance.now() - t0);
          if (last) b.free(last);
          last = z;
        }
        const values = await b.read(last as object);
        const a = await b.read(x);
        const c = await b.read(y);
        // Spot-check a few entries against float64.
        for (const [i, j] of [
          [0, 0],
          [511, 511],
          [100, 300],
        ] as const) {
          let s = 0;
          for (let p = 0; p < n; p++) s += (a[i * n + p] as number) * (c[p * n + j] as number);
          expectClose([values[i * n + j] as number], [s], 1e-4, 1e-4);
        }
        times.sort((p, q) => p - q);
        const median = times[2] as number;
        console.log(
          `[webgpu] matmul 512x512x512: median ${median.toFixed(1)} ms, ${((2 * n ** 3) / (median * 1e6)).toFixed(2)} GFLOP/s (runs: ${times.map((t) => t.toFixed(1)).join(', ')} ms) on ${b.describeSelf()}`,
        );
        b.free(last as object);
        b.free(x);
        b.free(y);
      });
    });

    describe('conv2d and its gradients', () => {
      it('conv2d', async () => {
        for (const [xs, ws, attrs] of CONVS) {
          const x = randoms(sizeOf(xs), 1);
          const w = randoms(sizeOf(ws), 2);
          const ys = convLoops(xs, ws, attrs, () => {});
          const want = new Array<number>(sizeOf(ys)).fill(0);
          convLoops(xs, ws, attrs, (xi, wi, yi) => {
            want[yi] = (want[yi] as number) + (x[xi] as number) * (w[wi] as number);
          });
          expectClose(await run('conv2d', [f32(x, xs), f32(w, ws)], attrs, ys, 'float32'), want, 1e-5, 1e-5);
        }
      });

      it('conv2dBackwardInput', async () => {
        for (const [xs, ws, attrs] of CONVS) {
          const ys = convLoops(xs, ws, attrs, () => {});
          const dy = randoms(sizeOf(ys), 3);
          const w = randoms(sizeOf(ws), 2);
          const want = new Array<number>(sizeOf(xs)).fill(0);
          convLoops(xs, ws, attrs, (xi, wi, yi) => {
            want[xi] = (want[xi] as number) + (dy[yi] as number) * (w[wi] as number);
          });
          expectClose(
            await run('conv2dBackwardInput', [f32(dy, ys), f32(w, ws)], attrs, xs, 'float32'),
            want,
            1e-5,
            1e-5,
          );
        }
      });

      it('conv2dBackwardFilter', async () => {
        for (const [xs, ws, attrs] of CONVS) {
          const ys = convLoops(xs, ws, attrs, () => {});
          const dy = randoms(sizeOf(ys), 3);
          const x = randoms(sizeOf(xs), 1);
          const want = new Array<number>(sizeOf(ws)).fill(0);
          convLoops(xs, ws, attrs, (xi, wi, yi) => {
            want[wi] = (want[wi] as number) + (dy[yi] as number) * (x[xi] as number);
          });
          const tol = 1e-5 * Math.sqrt(sizeOf(ys)) + 1e-6;
          expectClose(
            await run('conv2dBackwardFilter', [f32(x, xs), f32(dy, ys)], attrs, ws, 'float32'),
            want,
            tol,
            1e-5,
          );
        }
      });
    });
  });
}

/** Naive pooling: visits each (plane, oh, ow) window's in-bounds elements in row-major order. */
function poolWindows(shape: Shape4, attrs: Pool2dAttrs, visit: (yi: number, xis: number[]) => void): Shape4 {
  const [N, C, H, W] = shape;
  const OH = outSize(H, attrs.kernel[0], attrs.stride[0], attrs.padding[0], 1);
  const OW = outSize(W, attrs.kernel[1], attrs.stride[1], attrs.padding[1], 1);
  for (let p = 0; p < N * C; p++)
    for (let oh = 0; oh < OH; oh++)
      for (let ow = 0; ow < OW; ow++) {
        const xis: number[] = [];
        for (let kh = 0; kh < attrs.kernel[0]; kh++)
          for (let kw = 0; kw < attrs.kernel[1]; kw++) {
            const ih = oh * attrs.stride[0] - attrs.padding[0] + kh;
            const iw = ow * attrs.stride[1] - attrs.padding[1] + kw;
            if (ih >= 0 && iw >= 0 && ih < H && iw < W) xis.push((p * H + ih) * W + iw);
          }
        visit((p * OH + oh) * OW + ow, xis);
      }
  return [N, C, OH, OW];
}

const POOLS: [Shape4, Pool2dAttrs][] = [
  [[1, 1, 4, 4], { kernel: [2, 2], stride: [2, 2], padding: [0, 0] }],
  [[2, 3, 7, 6], { kernel: [3, 3], stride: [2, 2], padding: [1, 1] }],
  [[1, 2, 5, 8], { kernel: [2, 3], stride: [1, 2], padding: [1, 1] }],
];

describe('pooling', () => {
  it('maxPool2d and its gradient (first max of each window; overlaps accumulate)', async () => {
    for (const [xs, attrs] of POOLS) {
      // Rounded values make ties inside windows: the gradient must go to the first maximum.
      const x = randoms(sizeOf(xs), 4, -3, 3).map(Math.round);
      const ys = poolWindows(xs, attrs, () => {});
      const y = new Array<number>(sizeOf(ys)).fill(0);
      const dy = randoms(sizeOf(ys), 5);
      const dx = new Array<number>(sizeOf(xs)).fill(0);
      poolWindows(xs, attrs, (yi, xis) => {
        let best = xis[0] as number;
        for (const xi of xis) if ((x[xi] as number) > (x[best] as number)) best = xi;
        y[yi] = x[best] as number;
        dx[best] = (dx[best] as number) + (dy[yi] as number);
      });
      expectClose(await run('maxPool2d', [f32(x, xs)], attrs, ys, 'float32'), y, 0, 0);
      expectClose(
        await run('maxPool2dBackward', [f32(dy, ys), f32(x, xs)], attrs, xs, 'float32'),
        dx,
        1e-6,
        1e-6,
      );
    }
  });

  it('avgPool2d and its gradient (padding counts in the divisor)', async () => {
    for (const [xs, attrs] of POOLS) {
      const x = randoms(sizeOf(xs), 6);
      const area = attrs.kernel[0] * attrs.kernel[1];
      const ys = poolWindows(xs, attrs, () => {});
      const y = new Array<number>(sizeOf(ys)).fill(0);
      const dy = randoms(sizeOf(ys), 7);
      const dx = new Array<number>(sizeOf(xs)).fill(0);
      poolWindows(xs, attrs, (yi, xis) => {
        y[yi] = xis.reduce((s, xi) => s + (x[xi] as number), 0) / area;
        for (const xi of xis) dx[xi] = (dx[xi] as number) + (dy[yi] as number) / area;
      });
      expectClose(await run('avgPool2d', [f32(x, xs)], attrs, ys, 'float32'), y, 1e-6, 1e-5);
      expectClose(await run('avgPool2dBackward', [f32(dy, ys)], attrs, xs, 'float32'), dx, 1e-6, 1e-5);
    }
  });
});
