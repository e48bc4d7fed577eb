/** Float64 references of matmul (NumPy semantics) and conv2d (NCHW / OIHW, as PyTorch). */

import { broadcastShape, size } from './layout.js';
import type { RefReduction } from './reduce.js';

/**
 * NumPy/PyTorch `matmul`: 1-D operands are promoted (and the added dim removed), batch dims broadcast.
 * Returns the result and, per element, the sum of |a_ik·b_kj| (for tolerances).
 */
export function refMatmul(
  a: ArrayLike<number>,
  aShape: readonly number[],
  b: ArrayLike<number>,
  bShape: readonly number[],
): RefReduction {
  const a2 = aShape.length === 1 ? [1, aShape[0] as number] : [...aShape];
  const b2 = bShape.length === 1 ? [bShape[0] as number, 1] : [...bShape];
  const m = a2[a2.length - 2] as number;
  const k = a2[a2.length - 1] as number;
  const n = b2[b2.length - 1] as number;
  if (b2[b2.length - 2] !== k) throw new Error('reference: matmul inner dims differ');
  const aBatch = a2.slice(0, -2);
  const bBatch = b2.slice(0, -2);
  const batch = broadcastShape(aBatch, bBatch);
  if (!batch) throw new Error('reference: matmul batch dims do not broadcast');
  const nb = size(batch);
  const data = new Float64Array(nb * m * n);
  const scale = new Float64Array(nb * m * n);
  const batchIndex = (shape: number[], bi: number): number => {
    // flat batch index of a (right-aligned, broadcast) operand batch for output batch bi
    let rem = bi;
    let idx = 0;
    let mult = 1;
    for (let d = batch.length - 1; d >= 0; d--) {
      const coord = rem % (batch[d] as number);
      rem = Math.floor(rem / (batch[d] as number));
      const sd = d - (batch.length - shape.length);
      if (sd >= 0) {
        if (shape[sd] !== 1) idx += coord * mult;
        mult *= shape[sd] as number;
      }
    }
    return idx;
  };
  for (let bi = 0; bi < nb; bi++) {
    const ao = batchIndex(aBatch, bi) * m * k;
    const bo = batchIndex(bBatch, bi) * k * n;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        let sa = 0;
        for (let p = 0; p < k; p++) {
          const t = (a[ao + i * k + p] as number) * (b[bo + p * n + j] as number);
          s += t;
          sa += Math.abs(t);
        }
        data[(bi * m + i) * n + j] = s;
        scale[(bi * m + i) * n + j] = sa;
      }
    }
  }
  const shape = [...batch];
  if (aShape.length > 1) shape.push(m);
  if (bShape.length > 1) shape.push(n);
  return { data, shape, scale };
}

/** conv2d attributes for the reference, as pairs. */
export interface RefConvAttrs {
  readonly stride: readonly [number, number];
  readonly padding: readonly [number, number];
  readonly dilation: readonly [number, number];
}

/** Direct 2-D cross-correlation: x [N,C,H,W], w [O,C,KH,KW], optional bias [O]. */
export function refConv2d(
  x: ArrayLike<number>,
  xShape: readonly number[],
  w: ArrayLike<number>,
  wShape: readonly number[],
  bias: ArrayLike<number> | null,
  attrs: RefConvAttrs,
): RefReduction {
  const [N, C, H, W] = xShape as [number, number, number, number];
  const [O, , KH, KW] = wShape as [number, number, number, number];
  const [sh, sw] = attrs.stride;
  const [ph, pw] = attrs.padding;
  const [dh, dw] = attrs.dilation;
  const OH = Math.floor((H + 2 * ph - dh * (KH - 1) - 1) / sh) + 1;
  const OW = Math.floor((W + 2 * pw - dw * (KW - 1) - 1) / sw) + 1;
  const data = new Float64Array(N * O * OH * OW);
  const scale = new Float64Array(data.length);
  for (let n = 0; n < N; n++) {
    for (let o = 0; o < O; o++) {
      for (let oh = 0; oh < OH; oh++) {
        for (let ow = 0; ow < OW; ow++) {
          let s = bias ? (bias[o] as number) : 0;
          let sa = Math.abs(s);
          for (let c = 0; c < C; c++) {
            for (let kh = 0; kh < KH; kh++) {
              const ih = oh * sh - ph + kh * dh;
              if (ih < 0 || ih >= H) continue;
              for (let kw = 0; kw < KW; kw++) {
                const iw = ow * sw - pw + kw * dw;
                if (iw < 0 || iw >= W) continue;
                const t =
                  (x[((n * C + c) * H + ih) * W + iw] as number) *
                  (w[((o * C + c) * KH + kh) * KW + kw] as number);
                s += t;
                sa += Math.abs(t);
              }
            }
          }
          const i = ((n * O + o) * OH + oh) * OW + ow;
          data[i] = s;
          scale[i] = sa;
        }
      }
    }
  }
  return { data, shape: [N, O, OH, OW], scale };
}
