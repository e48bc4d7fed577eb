// biome-ignore-all lint/style/noNonNullAssertion: typed-array reads in hot loops are in bounds by construction.
/**
 * 2-D convolution (NCHW input, OIHW weight, as PyTorch) and its two gradients, by im2col + the packed
 * gemm of `matmul.ts`, one batch sample at a time:
 * - forward: `out[n] (O × P) = w (O × CKK) @ col(x[n]) (CKK × P)`
 * - input gradient: `dcol = wᵀ (CKK × O) @ dy[n] (O × P)`, then col2im adds dcol back into dx[n]
 * - filter gradient: `dw (O × CKK) = Σₙ dy[n] (O × P) @ im2row(x[n]) (P × CKK)` (im2row: the transpose of
 *   im2col, so that the gemm reads it in place)
 *
 * where CKK = C·KH·KW and P = OH·OW. A 1×1 kernel with stride 1 and no padding needs no im2col: x[n]
 * itself is the column matrix.
 */
import type { Conv2dAttrs } from '../backend/kernels.js';
import { gemm } from './matmul.js';

/** Every size a conv2d kernel needs, derived once from the shapes and attributes. */
export interface Conv2dDims {
  readonly N: number;
  readonly C: number;
  readonly H: number;
  readonly W: number;
  readonly O: number;
  readonly KH: number;
  readonly KW: number;
  readonly OH: number;
  readonly OW: number;
  readonly sh: number;
  readonly sw: number;
  readonly ph: number;
  readonly pw: number;
  readonly dh: number;
  readonly dw: number;
}

/**
 * Dims of a convolution of x [N, C, H, W] with w [O, C, KH, KW]. For the gradients pass the shape
 * that is the kernel's output: `conv2dDims(out.shape, w.shape, attrs)` for the input gradient,
 * `conv2dDims(x.shape, out.shape, attrs)` for the filter gradient.
 *
 * @example
 * ```ts
 * conv2dDims([64, 1, 28, 28], [8, 1, 5, 5], { stride: [1, 1], padding: [0, 0], dilation: [1, 1] });
 * // { N: 64, C: 1, H: 28, W: 28, O: 8, KH: 5, KW: 5, OH: 24, OW: 24, ... }
 * ```
 */
export function conv2dDims(
  xShape: readonly number[],
  wShape: readonly number[],
  attrs: Conv2dAttrs,
): Conv2dDims {
  const [N, C, H, W] = xShape as [number, number, number, number];
  const [O, , KH, KW] = wShape as [number, number, number, number];
  const [sh, sw] = attrs.stride;
  const [ph, pw] = attrs.padding;
  const [dh, dw] = attrs.dilation;
  const OH = Math.floor((H + 2 * ph - dh * (KH - 1) - 1) / sh) + 1;
  const OW = Math.floor((W + 2 * pw - dw * (KW - 1) - 1) / sw) + 1;
  return { N, C, H, W, O, KH, KW, OH, OW, sh, sw, ph, pw, dh, dw };
}

/** True when x[n] viewed as [C, H·W] already is the column matrix (1×1 kernel, stride 1, no padding). */
function isPointwise(d: Conv2dDims): boolean {
  return d.KH === 1 && d.KW === 1 && d.sh === 1 && d.sw === 1 && d.ph === 0 && d.pw === 0;
}

/** The output columns `[lo, hi)` whose input column `ow*sw + shift` lies inside `[0, W)`. */
function validSpan(shift: number, stride: number, size: number, outSize: number): [number, number] {
  const lo = shift >= 0 ? 0 : Math.ceil(-shift / stride);
  const hi = Math.min(outSize, Math.floor((size - 1 - shift) / stride) + 1);
  return [Math.min(lo, outSize), Math.max(hi, Math.min(lo, outSize))];
}

/**
 * Writes the im2col rows of channels `[c0, c1)` of one sample (starting at `x[xOff]`, [C, H, W]) into
 * `col` from `colOff`: row `(c - c0)·KH·KW + kh·KW + kw`, column `oh·OW + ow`, zero where the window
 * falls in the padding.
 */
function im2col(
  x: Float32Array,
  xOff: number,
  d: Conv2dDims,
  c0: number,
  c1: number,
  col: Float32Array,
  colOff: number,
): void {
  const { H, W, KH, KW, OH, OW, sh, sw, ph, pw, dh, dw } = d;
  const P = OH * OW;
  let row = colOff;
  for (let c = c0; c < c1; c++) {
    const plane = xOff + c * H * W;
    for (let kh = 0; kh < KH; kh++) {
      const hShift = kh * dh - ph;
      for (let kw = 0; kw < KW; kw++) {
        const wShift = kw * dw - pw;
        const [owLo, owHi] = validSpan(wShift, sw, W, OW);
        for (let oh = 0; oh < OH; oh++) {
          const ih = oh * sh + hShift;
          const dst = row + oh * OW;
          if (ih < 0 || ih >= H || owLo >= owHi) {
            col.fill(0, dst, dst + OW);
            continue;
          }
          if (owLo > 0) col.fill(0, dst, dst + owLo);
          if (owHi < OW) col.fill(0, dst + owHi, dst + OW);
          let src = plane + ih * W + owLo * sw + wShift;
          if (sw === 1) {
            for (let ow = owLo; ow < owHi; ow++, src++) col[dst + ow] = x[src]!;
          } else {
            for (let ow = owLo; ow < owHi; ow++, src += sw) col[dst + ow] = x[src]!;
          }
        }
        row += P;
      }
    }
  }
}

/** Adds the rows of `dcol` for channels `[c0, c1)` (laid out as im2col writes them) back into `dx`. */
function col2imAdd(
  dcol: Float32Array,
  colOff: number,
  d: Conv2dDims,
  c0: number,
  c1: number,
  dx: Float32Array,
  dxOff: number,
): void {
  const { H, W, KH, KW, OH, OW, sh, sw, ph, pw, dh, dw } = d;
  const P = OH * OW;
  let row = colOff;
  for (let c = c0; c < c1; c++) {
    const plane = dxOff + c * H * W;
    for (let kh = 0; kh < KH; kh++) {
      const hShift = kh * dh - ph;
      for (let kw = 0; kw < KW; kw++) {
        const wShift = kw * dw - pw;
        const [owLo, owHi] = validSpan(wShift, sw, W, OW);
        for (let oh = 0; oh < OH; oh++) {
          const ih = oh * sh + hShift;
          if (ih < 0 || ih >= H) continue;
          const src = row + oh * OW;
          let dst = plane + ih * W + owLo * sw + wShift;
          for (let ow = owLo; ow < owHi; ow++, dst += sw) dx[dst] = dx[dst]! + dcol[src + ow]!;
        }
        row += P;
      }
    }
  }
}

/**
 * Forward convolution on output planes `[start, end)`: plane `n·O + o` is out[n, o] (OH × OW).
 *
 * Range: flat (sample, output channel) planes of out [N, O, OH, OW]; disjoint ranges write disjoint
 * planes. A range that covers whole samples builds each sample's im2col once; a range that cuts a sample
 * rebuilds it, so split by whole samples where N allows.
 *
 * @example
 * ```ts
 * const d = conv2dDims([1, 1, 3, 3], [1, 1, 2, 2], { stride: [1, 1], padding: [0, 0], dilation: [1, 1] });
 * const out = new Float32Array(4);
 * conv2dRange(x, w, out, d, 0, d.N * d.O);
 * ```
 */
export function conv2dRange(
  x: Float32Array,
  w: Float32Array,
  out: Float32Array,
  d: Conv2dDims,
  start: number,
  end: number,
): void {
  const { C, H, W, O, KH, KW, OH, OW } = d;
  const P = OH * OW;
  const CKK = C * KH * KW;
  const pointwise = isPointwise(d);
  const col = pointwise ? x : new Float32Array(CKK * P);
  for (let n = Math.floor(start / O); n * O < end; n++) {
    const o0 = Math.max(start - n * O, 0);
    const o1 = Math.min(end - n * O, O);
    let colOff = n * C * H * W;
    if (!pointwise) {
      im2col(x, n * C * H * W, d, 0, C, col, 0);
      colOff = 0;
    }
    gemm(o1 - o0, P, CKK, w, o0 * CKK, CKK, 1, col, colOff, P, 1, out, (n * O + o0) * P, P, false);
  }
}

/**
 * Input gradient on planes `[start, end)` of dx: plane `n·C + c` is dx[n, c] (H × W).
 *
 * Range: flat (sample, input channel) planes of out = dx [N, C, H, W]; disjoint ranges write disjoint
 * planes (col2im only adds into the planes of its own channels).
 *
 * @example
 * ```ts
 * const d = conv2dDims(dx.shape, w.shape, attrs);
 * conv2dBackwardInputRange(dy, w, dx, d, 0, d.N * d.C);
 * ```
 */
export function conv2dBackwardInputRange(
  dy: Float32Array,
  w: Float32Array,
  out: Float32Array,
  d: Conv2dDims,
  start: number,
  end: number,
): void {
  const { C, H, W, O, KH, KW, OH, OW } = d;
  const P = OH * OW;
  const KK = KH * KW;
  const CKK = C * KK;
  const pointwise = isPointwise(d);
  const dcol = pointwise ? null : new Float32Array(Math.min(C, end - start) * KK * P);
  for (let n = Math.floor(start / C); n * C < end; n++) {
    const c0 = Math.max(start - n * C, 0);
    const c1 = Math.min(end - n * C, C);
    const dyOff = n * O * P;
    // Rows of wᵀ for channels [c0, c1): element (r, o) of wᵀ is w[o·CKK + r].
    if (dcol === null) {
      gemm(c1 - c0, P, O, w, c0, 1, CKK, dy, dyOff, P, 1, out, (n * C + c0) * H * W, P, false);
      continue;
    }
    gemm((c1 - c0) * KK, P, O, w, c0 * KK, 1, CKK, dy, dyOff, P, 1, dcol, 0, P, false);
    out.fill(0, (n * C + c0) * H * W, (n * C + c1) * H * W);
    col2imAdd(dcol, 0, d, c0, c1, out, n * C * H * W);
  }
}

/**
 * Writes the patches of output rows `[oh0, oh1)` of one sample (starting at `x[xOff]`) as rows of
 * `rows` from `rowsOff`: row `oh·OW + ow` holds the window under output (oh, ow), laid out
 * `c·KH·KW + kh·KW + kw` (the transpose of im2col, "im2row"), zero where the window is in the padding.
 * The filter gradient reads it in place as its row-major B operand, so it needs no packing.
 */
function im2row(
  x: Float32Array,
  xOff: number,
  d: Conv2dDims,
  oh0: number,
  oh1: number,
  rows: Float32Array,
  rowsOff: number,
): void {
  const { C, H, W, KH, KW, OW, sh, sw, ph, pw, dh, dw } = d;
  const plane = H * W;
  const hSpan = (KH - 1) * dh;
  const wSpan = (KW - 1) * dw;
  let dst = rowsOff;
  for (let oh = oh0; oh < oh1; oh++) {
    const ih0 = oh * sh - ph;
    const rowsInside = ih0 >= 0 && ih0 + hSpan < H;
    for (let ow = 0; ow < OW; ow++) {
      const iw0 = ow * sw - pw;
      const inside = rowsInside && iw0 >= 0 && iw0 + wSpan < W;
      for (let c = 0; c < C; c++) {
        const base = xOff + c * plane + iw0;
        for (let kh = 0; kh < KH; kh++) {
          const ih = ih0 + kh * dh;
          const src = base + ih * W;
          if (inside) {
            for (let kw = 0, s = src; kw < KW; kw++, s += dw) rows[dst++] = x[s]!;
          } else if (ih < 0 || ih >= H) {
            rows.fill(0, dst, dst + KW);
            dst += KW;
          } else {
            for (let kw = 0, iw = iw0; kw < KW; kw++, iw += dw)
              rows[dst++] = iw >= 0 && iw < W ? x[src + kw * dw]! : 0;
          }
        }
      }
    }
  }
}

/**
 * Writes the patch rows (see {@link conv2dBackwardFilterRange}) of output rows `[start, end)`, output row
 * `n·OH + oh` being the OW patches of sample n under output row oh, into `rows` laid out [N, OH·OW, CKK].
 * Lets a multi-threaded backend build every sample's patches once, in parallel, and pass them to
 * {@link conv2dBackwardFilterRange}.
 *
 * Range: flat (sample, output row) pairs; disjoint ranges write disjoint rows of `rows`.
 */
export function im2rowRange(
  x: Float32Array,
  rows: Float32Array,
  d: Conv2dDims,
  start: number,
  end: number,
): void {
  const { C, H, W, KH, KW, OH, OW } = d;
  const CKK = C * KH * KW;
  for (let n = Math.floor(start / OH); n * OH < end; n++) {
    const oh0 = Math.max(start - n * OH, 0);
    const oh1 = Math.min(end - n * OH, OH);
    im2row(x, n * C * H * W, d, oh0, oh1, rows, (n * OH + oh0) * OW * CKK);
  }
}

/**
 * Filter gradient on output channels `[start, end)`: rows o of dw [O, C, KH, KW].
 *
 * `dw (O × CKK) = Σₙ dy[n] (O × P) @ patches(x[n]) (P × CKK)`, the patches being im2row's rows, which the
 * gemm reads in place.
 *
 * Range: output channels; disjoint ranges write disjoint filters (each sums over the whole batch itself,
 * so no two ranges add into the same element). Every range needs every sample's patches: it builds them
 * one sample at a time unless `rows` (from {@link im2rowRange}, [N, P, CKK]) is given.
 *
 * @example
 * ```ts
 * const d = conv2dDims(x.shape, dw.shape, attrs);
 * conv2dBackwardFilterRange(x, dy, dw, d, 0, d.O);
 * ```
 */
export function conv2dBackwardFilterRange(
  x: Float32Array,
  dy: Float32Array,
  out: Float32Array,
  d: Conv2dDims,
  start: number,
  end: number,
  rows?: Float32Array,
): void {
  const { N, C, H, W, O, KH, KW, OH, OW } = d;
  const P = OH * OW;
  const CKK = C * KH * KW;
  const pointwise = isPointwise(d);
  const scratch = pointwise || rows ? null : new Float32Array(P * CKK);
  for (let n = 0; n < N; n++) {
    const dyOff = (n * O + start) * P;
    if (pointwise) {
      // B = x[n]ᵀ: element (p, c) is x[n, c, p].
      gemm(end - start, CKK, P, dy, dyOff, P, 1, x, n * C * H * W, 1, P, out, start * CKK, CKK, n > 0);
      continue;
    }
    let src: Float32Array;
    let srcOff: number;
    if (rows) {
      src = rows;
      srcOff = n * P * CKK;
    } else {
      src = scratch as Float32Array;
      srcOff = 0;
      im2row(x, n * C * H * W, d, 0, OH, src, 0);
    }
    gemm(end - start, CKK, P, dy, dyOff, P, 1, src, srcOff, CKK, 1, out, start * CKK, CKK, n > 0);
  }
}
