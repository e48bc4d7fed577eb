/** Host-side image helpers for 8×8 (or any H×W) grey images stored as row-major arrays. */

/** Moves an H×W image by (dy, dx) pixels (down and right for positive values), filling with zeros. */
export function shiftImage(
  values: ArrayLike<number>,
  h: number,
  w: number,
  dy: number,
  dx: number,
): Float32Array {
  const out = new Float32Array(h * w);
  for (let r = 0; r < h; r++) {
    const sr = r - dy;
    if (sr < 0 || sr >= h) continue;
    for (let c = 0; c < w; c++) {
      const sc = c - dx;
      if (sc >= 0 && sc < w) out[r * w + c] = values[sr * w + sc] as number;
    }
  }
  return out;
}

/**
 * Resamples an H×W image under the affine map that scales by `scale` and rotates by `degrees` about the
 * image centre (bilinear interpolation, zeros outside), giving an image of the same size.
 */
export function warpImage(
  values: ArrayLike<number>,
  h: number,
  w: number,
  scale: number,
  degrees: number,
): Float32Array {
  const out = new Float32Array(h * w);
  const cy = (h - 1) / 2;
  const cx = (w - 1) / 2;
  const t = (degrees * Math.PI) / 180;
  const cos = Math.cos(t);
  const sin = Math.sin(t);
  const at = (r: number, c: number) =>
    r >= 0 && r < h && c >= 0 && c < w ? (values[r * w + c] as number) : 0;
  for (let r = 0; r < h; r++) {
    for (let c = 0; c < w; c++) {
      // The source point of output (r, c): undo the rotation, then the scaling.
      const y = r - cy;
      const x = c - cx;
      const sy = (cos * y - sin * x) / scale + cy;
      const sx = (sin * y + cos * x) / scale + cx;
      const r0 = Math.floor(sy);
      const c0 = Math.floor(sx);
      const fy = sy - r0;
      const fx = sx - c0;
      out[r * w + c] =
        (1 - fy) * ((1 - fx) * at(r0, c0) + fx * at(r0, c0 + 1)) +
        fy * ((1 - fx) * at(r0 + 1, c0) + fx * at(r0 + 1, c0 + 1));
    }
  }
  return out;
}

/** Bilinear upsampling of an H×W image by an integer factor (for a finer grid on which a pixel is a small move). */
export function upsample(values: ArrayLike<number>, h: number, w: number, factor: number): Float32Array {
  const H = h * factor;
  const W = w * factor;
  const out = new Float32Array(H * W);
  const at = (r: number, c: number) =>
    values[Math.min(h - 1, Math.max(0, r)) * w + Math.min(w - 1, Math.max(0, c))] as number;
  for (let r = 0; r < H; r++) {
    for (let c = 0; c < W; c++) {
      const sy = (r + 0.5) / factor - 0.5;
      const sx = (c + 0.5) / factor - 0.5;
      const r0 = Math.floor(sy);
      const c0 = Math.floor(sx);
      const fy = sy - r0;
      const fx = sx - c0;
      out[r * W + c] =
        (1 - fy) * ((1 - fx) * at(r0, c0) + fx * at(r0, c0 + 1)) +
        fy * ((1 - fx) * at(r0 + 1, c0) + fx * at(r0 + 1, c0 + 1));
    }
  }
  return out;
}
