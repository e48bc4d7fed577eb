// biome-ignore-all lint/style/noNonNullAssertion: typed-array reads in hot loops are in bounds by construction.
/**
 * Max and average pooling over NCHW planes, forward and backward. Every function works on whole
 * (sample, channel) planes, which never interact, so the range is a span of planes.
 */
import type { Pool2dAttrs } from '../backend/kernels.js';

/** Every size a pooling kernel needs. */
export interface Pool2dDims {
  /** Planes: N·C. */
  readonly planes: number;
  readonly H: number;
  readonly W: number;
  readonly OH: number;
  readonly OW: number;
  readonly kh: number;
  readonly kw: number;
  readonly sh: number;
  readonly sw: number;
  readonly ph: number;
  readonly pw: number;
}

/**
 * Dims of pooling x [N, C, H, W] (floor mode: OH = floor((H + 2ph - kh) / sh) + 1).
 *
 * @example
 * ```ts
 * pool2dDims([1, 1, 4, 4], { kernel: [2, 2], stride: [2, 2], padding: [0, 0] }); // OH = OW = 2
 * ```
 */
export function pool2dDims(xShape: readonly number[], attrs: Pool2dAttrs): Pool2dDims {
  const [N, C, H, W] = xShape as [number, number, number, number];
  const [kh, kw] = attrs.kernel;
  const [sh, sw] = attrs.stride;
  const [ph, pw] = attrs.padding;
  return {
    planes: N * C,
    H,
    W,
    OH: Math.floor((H + 2 * ph - kh) / sh) + 1,
    OW: Math.floor((W + 2 * pw - kw) / sw) + 1,
    kh,
    kw,
    sh,
    sw,
    ph,
    pw,
  };
}

/**
 * Offset (within its plane) of the first maximum of the window at (oh, ow), in row-major window order,
 * or -1 if the window lies wholly in the padding. A NaN counts as the maximum, like PyTorch.
 */
function argmaxInWindow(x: Float32Array, plane: number, d: Pool2dDims, oh: number, ow: number): number {
  const h0 = oh * d.sh - d.ph;
  const w0 = ow * d.sw - d.pw;
  const hLo = Math.max(h0, 0);
  const hHi = Math.min(h0 + d.kh, d.H);
  const wLo = Math.max(w0, 0);
  const wHi = Math.min(w0 + d.kw, d.W);
  let best = Number.NEGATIVE_INFINITY;
  let bestAt = -1;
  for (let h = hLo; h < hHi; h++) {
    const rowOff = plane + h * d.W;
    for (let w = wLo; w < wHi; w++) {
      const v = x[rowOff + w]!;
      if (v > best || bestAt < 0 || Number.isNaN(v)) {
        best = v;
        bestAt = rowOff + w;
        if (Number.isNaN(v)) return bestAt;
      }
    }
  }
  return bestAt;
}

/**
 * Max pooling on planes `[start, end)` (plane `n·C + c`); padding counts as -Infinity.
 *
 * Range: flat (sample, channel) planes of out [N, C, OH, OW]; disjoint ranges write disjoint planes.
 *
 * @example
 * ```ts
 * const d = pool2dDims([1, 1, 4, 4], { kernel: [2, 2], stride: [2, 2], padding: [0, 0] });
 * maxPool2dRange(x, out, d, 0, d.planes);
 * ```
 */
export function maxPool2dRange(
  x: Float32Array,
  out: Float32Array,
  d: Pool2dDims,
  start: number,
  end: number,
): void {
  const { H, W, OH, OW } = d;
  for (let p = start; p < end; p++) {
    const plane = p * H * W;
    let o = p * OH * OW;
    for (let oh = 0; oh < OH; oh++) {
      for (let ow = 0; ow < OW; ow++, o++) {
        const at = argmaxInWindow(x, plane, d, oh, ow);
        out[o] = at < 0 ? Number.NEGATIVE_INFINITY : x[at]!;
      }
    }
  }
}

/**
 * Max-pooling gradient on planes `[start, end)`: each dy goes to the first max of its window (found
 * again in x), adding up where windows overlap.
 *
 * Range: flat (sample, channel) planes of out = dx [N, C, H, W]; disjoint ranges write disjoint planes.
 */
export function maxPool2dBackwardRange(
  dy: Float32Array,
  x: Float32Array,
  out: Float32Array,
  d: Pool2dDims,
  start: number,
  end: number,
): void {
  const { H, W, OH, OW } = d;
  out.fill(0, start * H * W, end * H * W);
  for (let p = start; p < end; p++) {
    const plane = p * H * W;
    let o = p * OH * OW;
    for (let oh = 0; oh < OH; oh++) {
      for (let ow = 0; ow < OW; ow++, o++) {
        const at = argmaxInWindow(x, plane, d, oh, ow);
        if (at >= 0) out[at] = out[at]! + dy[o]!;
      }
    }
  }
}

/**
 * Average pooling on planes `[start, end)`. Padded positions count as zeros in the divisor
 * (PyTorch's default `count_include_pad=True`): the divisor is always kh·kw.
 *
 * Range: flat (sample, channel) planes of out [N, C, OH, OW]; disjoint ranges write disjoint planes.
 */
export function avgPool2dRange(
  x: Float32Array,
  out: Float32Array,
  d: Pool2dDims,
  start: number,
  end: number,
): void {
  const { H, W, OH, OW, kh, kw, sh, sw, ph, pw } = d;
  const scale = 1 / (kh * kw);
  for (let p = start; p < end; p++) {
    const plane = p * H * W;
    let o = p * OH * OW;
    for (let oh = 0; oh < OH; oh++) {
      const h0 = oh * sh - ph;
      const hLo = Math.max(h0, 0);
      const hHi = Math.min(h0 + kh, H);
      for (let ow = 0; ow < OW; ow++, o++) {
        const w0 = ow * sw - pw;
        const wLo = Math.max(w0, 0);
        const wHi = Math.min(w0 + kw, W);
        let s = 0;
        for (let h = hLo; h < hHi; h++) {
          const rowOff = plane + h * W;
          for (let w = wLo; w < wHi; w++) s += x[rowOff + w]!;
        }
        out[o] = s * scale;
      }
    }
  }
}

/**
 * Average-pooling gradient on planes `[start, end)`: each dy / (kh·kw) is added to every input
 * position of its window (positions in the padding receive nothing).
 *
 * Range: flat (sample, channel) planes of out = dx [N, C, H, W]; disjoint ranges write disjoint planes.
 */
export function avgPool2dBackwardRange(
  dy: Float32Array,
  out: Float32Array,
  d: Pool2dDims,
  start: number,
  end: number,
): void {
  const { H, W, OH, OW, kh, kw, sh, sw, ph, pw } = d;
  const scale = 1 / (kh * kw);
  out.fill(0, start * H * W, end * H * W);
  for (let p = start; p < end; p++) {
    const plane = p * H * W;
    let o = p * OH * OW;
    for (let oh = 0; oh < OH; oh++) {
      const h0 = oh * sh - ph;
      const hLo = Math.max(h0, 0);
      const hHi = Math.min(h0 + kh, H);
      for (let ow = 0; ow < OW; ow++, o++) {
        const w0 = ow * sw - pw;
        const wLo = Math.max(w0, 0);
        const wHi = Math.min(w0 + kw, W);
        const g = dy[o]! * scale;
        for (let h = hLo; h < hHi; h++) {
          const rowOff = plane + h * W;
          for (let w = wLo; w < wHi; w++) out[rowOff + w] = out[rowOff + w]! + g;
        }
      }
    }
  }
}
