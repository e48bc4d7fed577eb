/**
 * Spatial augmentation of image batches: random shift, random crop, horizontal flip. Each sample of the
 * batch gets its own random choice, drawn on the host from the transform's seeded generator; the pixels
 * move on the backend (pad + one slice per sample + concat; flip by gather + where).
 */
import {
  ArgumentError,
  arange,
  concat,
  fmt,
  gather,
  pad,
  reshape,
  ShapeError,
  slice,
  type Tensor,
  tensor,
  tidy,
  where,
} from '@myelin/core';
import { drawSeed, Rng } from '../random/rng.js';
import type { Transform } from './transform.js';

/** Options shared by the spatial transforms. */
export interface SpatialOptions {
  /** Seed of the random choices (default: drawn from core's global generator). */
  seed?: number;
  /**
   * The CHW (or HW) shape of one sample, for batches of flat rows (`[N, 64]` digits as `[1, 8, 8]`).
   * Batches of rank 3 (`[N, H, W]`) and 4 (NCHW) need none.
   */
  imageShape?: readonly number[];
  /** Value of the pixels shifted or padded in (default 0). */
  fill?: number;
}

/** The NCHW dims of the batch `x` (read from its shape alone: no tensor is made). */
function imageDims(op: string, x: Tensor, imageShape?: readonly number[]): [number, number, number, number] {
  const n = x.shape[0] as number;
  if (x.rank === 4) return x.shape as unknown as [number, number, number, number];
  if (x.rank === 3) return [n, 1, x.shape[1] as number, x.shape[2] as number];
  if (x.rank === 2 && imageShape) {
    const chw = imageShape.length === 2 ? [1, ...imageShape] : [...imageShape];
    if (chw.length !== 3 || chw.reduce((p, d) => p * d, 1) !== x.shape[1]) {
      throw new ShapeError(op, `imageShape ${fmt(imageShape)} does not hold a row of ${x.shape[1]} values`);
    }
    return [n, ...(chw as [number, number, number])];
  }
  throw new ShapeError(
    op,
    `needs images [N, C, H, W] or [N, H, W] (or rows with an imageShape option), got ${fmt(x.shape)}`,
  );
}

/** Runs `fn` on `x` viewed as NCHW images and gives the result back in `x`'s layout; frees the rest. */
function onImages(x: Tensor, dims: readonly number[], fn: (images: Tensor) => Tensor): Tensor {
  return tidy(() => {
    const y = fn(x.rank === 4 ? x : reshape(x, dims));
    if (x.rank === 4) return y;
    if (x.rank === 3) return reshape(y, [dims[0] as number, y.shape[2] as number, y.shape[3] as number]);
    return reshape(y, [dims[0] as number, -1]);
  });
}

/** Cuts an `h × w` window at (tops[i], lefts[i]) out of each sample of `padded`, and stacks them. */
function cropEach(
  padded: Tensor,
  tops: readonly number[],
  lefts: readonly number[],
  h: number,
  w: number,
): Tensor {
  const c = padded.shape[1] as number;
  const parts = tops.map((top, i) => {
    const left = lefts[i] as number;
    return slice(padded, [i, 0, top, left], [i + 1, c, top + h, left + w]);
  });
  return parts.length === 1 ? (parts[0] as Tensor) : concat(parts, 0);
}

function checkOptions(op: string, options: SpatialOptions): void {
  if (options.fill !== undefined && !Number.isFinite(options.fill))
    throw new ArgumentError(op, `fill must be finite, got ${options.fill}`);
}

/**
 * Shifts each image by a random whole number of pixels in `[-maxPixels, maxPixels]` along each axis,
 * filling the uncovered border with `fill` (the classic MNIST augmentation).
 *
 * @example
 * ```ts
 * const shift = randomShift(2, { seed: 1 });
 * const moved = shift(images); // same shape, content moved by up to 2 pixels
 * ```
 */
export function randomShift(maxPixels: number, options: SpatialOptions = {}): Transform {
  if (!Number.isInteger(maxPixels) || maxPixels < 0) {
    throw new ArgumentError('randomShift', `maxPixels must be a non-negative integer, got ${maxPixels}`);
  }
  checkOptions('randomShift', options);
  const rng = new Rng(options.seed ?? drawSeed());
  const m = maxPixels;
  return (x) => {
    const dims = imageDims('randomShift', x, options.imageShape);
    const [n, , height, width] = dims;
    // Window origin m - shift in the padded image: origin 0 moves the content m pixels down/right.
    const tops = Array.from({ length: n }, () => rng.intBetween(0, 2 * m));
    const lefts = Array.from({ length: n }, () => rng.intBetween(0, 2 * m));
    if (m === 0 || n === 0) return x;
    return onImages(x, dims, (images) => {
      const padded = pad(
        images,
        [
          [0, 0],
          [0, 0],
          [m, m],
          [m, m],
        ],
        options.fill ?? 0,
      );
      return cropEach(padded, tops, lefts, height, width);
    });
  };
}

/**
 * Pads each image by `padding` pixels of `fill` and cuts a random `size` window out of it (torchvision's
 * `RandomCrop`). `size` is a number (square) or `[height, width]`.
 *
 * @example
 * ```ts
 * const crop = randomCrop(28, { padding: 4, seed: 3 }); // [N, 1, 28, 28] in and out
 * ```
 */
export function randomCrop(
  size: number | readonly [number, number],
  options: SpatialOptions & { padding?: number } = {},
): Transform {
  const [h, w] = typeof size === 'number' ? [size, size] : size;
  const p = options.padding ?? 0;
  if (!Number.isInteger(h) || !Number.isInteger(w) || h < 1 || w < 1) {
    throw new ArgumentError(
      'randomCrop',
      `size must be a positive integer or [height, width], got ${JSON.stringify(size)}`,
    );
  }
  if (!Number.isInteger(p) || p < 0)
    throw new ArgumentError('randomCrop', `padding must be a non-negative integer, got ${p}`);
  checkOptions('randomCrop', options);
  const rng = new Rng(options.seed ?? drawSeed());
  return (x) => {
    const dims = imageDims('randomCrop', x, options.imageShape);
    const [n, , height, width] = dims;
    if (h > height + 2 * p || w > width + 2 * p) {
      throw new ShapeError(
        'randomCrop',
        `a ${h}×${w} crop does not fit ${height}×${width} images padded by ${p}`,
      );
    }
    const tops = Array.from({ length: n }, () => rng.intBetween(0, height + 2 * p - h));
    const lefts = Array.from({ length: n }, () => rng.intBetween(0, width + 2 * p - w));
    if (n === 0) return x;
    return onImages(x, dims, (images) => {
      const padded =
        p === 0
          ? images
          : pad(
              images,
              [
                [0, 0],
                [0, 0],
                [p, p],
                [p, p],
              ],
              options.fill ?? 0,
            );
      return cropEach(padded, tops, lefts, h, w);
    });
  };
}

/**
 * Mirrors each image left to right with probability `p` (default 0.5).
 *
 * @example
 * ```ts
 * const flip = randomHorizontalFlip(0.5, { seed: 4 });
 * ```
 */
export function randomHorizontalFlip(p = 0.5, options: Omit<SpatialOptions, 'fill'> = {}): Transform {
  if (!(p >= 0 && p <= 1)) throw new ArgumentError('randomHorizontalFlip', `p must be in [0, 1], got ${p}`);
  const rng = new Rng(options.seed ?? drawSeed());
  return (x) => {
    const dims = imageDims('randomHorizontalFlip', x, options.imageShape);
    const [n, , , width] = dims;
    const flips = new Uint8Array(n);
    for (let i = 0; i < n; i++) flips[i] = rng.next() < p ? 1 : 0;
    if (!flips.includes(1)) return x;
    return onImages(x, dims, (images) => {
      const mirrored = gather(images, arange(width - 1, -1, -1), 3);
      if (!flips.includes(0)) return mirrored;
      return where(tensor(flips, { shape: [n, 1, 1, 1], dtype: 'bool' }), mirrored, images);
    });
  };
}
