import { ArgumentError, arange, reshape, ShapeError, type Tensor, tensor } from '@myelin/core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  compose,
  gaussianNoise,
  normalize,
  randomCrop,
  randomHorizontalFlip,
  randomShift,
} from '../src/index.js';
import { expectNoLeak, useCpu } from './setup.js';

beforeAll(useCpu);

/** n images [n, c, h, w] whose pixel (s, k, i, j) is 1000 s + 100 k + 10 i + j + 1 (never 0). */
function images(n: number, c: number, h: number, w: number): Tensor {
  const v = new Float32Array(n * c * h * w);
  let at = 0;
  for (let s = 0; s < n; s++)
    for (let k = 0; k < c; k++)
      for (let i = 0; i < h; i++) for (let j = 0; j < w; j++) v[at++] = 1000 * s + 100 * k + 10 * i + j + 1;
  return tensor(v, { shape: [n, c, h, w] });
}

/** Pixel (s, k, i, j) of `src` moved by (dy, dx), 0 outside. */
function shifted(src: Float32Array, dims: number[], s: number, dy: number, dx: number): number[] {
  const [, c, h, w] = dims as [number, number, number, number];
  const out: number[] = [];
  for (let k = 0; k < c; k++)
    for (let i = 0; i < h; i++)
      for (let j = 0; j < w; j++) {
        const si = i - dy;
        const sj = j - dx;
        out.push(
          si < 0 || si >= h || sj < 0 || sj >= w ? 0 : (src[((s * c + k) * h + si) * w + sj] as number),
        );
      }
  return out;
}

/** Runs `t` on `x` with no leak and returns its values (and frees the result). */
async function run(
  t: (x: Tensor) => Tensor,
  x: Tensor,
): Promise<{ values: Float32Array; shape: readonly number[] }> {
  return expectNoLeak(async () => {
    const y = t(x);
    const values = (await y.data()) as Float32Array;
    const shape = y.shape;
    if (y !== x) y.dispose();
    return { values, shape };
  });
}

describe('randomShift', () => {
  it('moves each image by its own shift within ±maxPixels, zeros coming in', async () => {
    const x = images(12, 2, 5, 6);
    const src = (await x.data()) as Float32Array;
    const { values, shape } = await run(randomShift(2, { seed: 3 }), x);
    expect(shape).toEqual([12, 2, 5, 6]);
    const seen = new Set<string>();
    const per = 2 * 5 * 6;
    for (let s = 0; s < 12; s++) {
      const got = Array.from(values.subarray(s * per, (s + 1) * per));
      let match: string | undefined;
      for (let dy = -2; dy <= 2 && !match; dy++)
        for (let dx = -2; dx <= 2 && !match; dx++)
          if (shifted(src, [12, 2, 5, 6], s, dy, dx).every((v, i) => v === got[i])) match = `${dy},${dx}`;
      expect(match).toBeDefined();
      seen.add(match as string);
    }
    expect(seen.size).toBeGreaterThan(3);
    x.dispose();
  });

  it('is reproducible from its seed and changes from call to call', async () => {
    const x = images(6, 1, 4, 4);
    const a = randomShift(1, { seed: 9 });
    const b = randomShift(1, { seed: 9 });
    const a1 = (await run(a, x)).values;
    expect((await run(b, x)).values).toEqual(a1);
    expect((await run(a, x)).values).not.toEqual(a1);
    x.dispose();
  });

  it('handles [N, H, W] batches and flat rows with an imageShape, and fills with `fill`', async () => {
    const x3 = reshape(arange(1, 17, 1, 'float32'), [1, 4, 4]);
    expect((await run(randomShift(1, { seed: 1 }), x3)).shape).toEqual([1, 4, 4]);
    const flat = reshape(arange(1, 33, 1, 'float32'), [2, 16]);
    const { shape, values } = await run(randomShift(3, { seed: 2, imageShape: [4, 4], fill: -1 }), flat);
    expect(shape).toEqual([2, 16]);
    expect(values.some((v) => v === -1)).toBe(true);
    expect(() => randomShift(1)(reshape(flat, [32]))).toThrow(ShapeError);
    expect(() => randomShift(1, { imageShape: [3, 3] })(flat)).toThrow(/does not hold/);
    expect(() => randomShift(-1)).toThrow(ArgumentError);
    x3.dispose();
    flat.dispose();
  });

  it('returns its input unchanged for maxPixels 0', () => {
    const x = images(2, 1, 3, 3);
    expect(randomShift(0, { seed: 1 })(x)).toBe(x);
    x.dispose();
  });
});

describe('randomCrop', () => {
  it('cuts size×size windows out of the padded images', async () => {
    const x = images(8, 1, 6, 6);
    const src = (await x.data()) as Float32Array;
    const { values, shape } = await run(randomCrop(4, { padding: 1, seed: 5 }), x);
    expect(shape).toEqual([8, 1, 4, 4]);
    for (let s = 0; s < 8; s++) {
      const got = Array.from(values.subarray(s * 16, (s + 1) * 16));
      let found = false;
      // A window at (top, left) of the padded image is the image shifted by (1 - top, 1 - left), then its first 4×4.
      for (let top = 0; top <= 4 && !found; top++)
        for (let left = 0; left <= 4 && !found; left++) {
          const want: number[] = [];
          for (let i = 0; i < 4; i++)
            for (let j = 0; j < 4; j++) {
              const si = top + i - 1;
              const sj = left + j - 1;
              want.push(si < 0 || si >= 6 || sj < 0 || sj >= 6 ? 0 : (src[(s * 6 + si) * 6 + sj] as number));
            }
          found = want.every((v, i) => v === got[i]);
        }
      expect(found).toBe(true);
    }
    expect(() => randomCrop(9, { padding: 1 })(x)).toThrow(/does not fit/);
    expect(() => randomCrop([2, 0])).toThrow(ArgumentError);
    x.dispose();
  });

  it('keeps the shape with the classic padding-4 crop, and flat rows stay flat', async () => {
    const x = images(3, 3, 8, 8);
    expect((await run(randomCrop(8, { padding: 4, seed: 1 }), x)).shape).toEqual([3, 3, 8, 8]);
    const flat = reshape(x, [3, 192]);
    expect((await run(randomCrop([4, 6], { seed: 1, imageShape: [3, 8, 8] }), flat)).shape).toEqual([3, 72]);
    flat.dispose();
    x.dispose();
  });
});

describe('randomHorizontalFlip', () => {
  it('mirrors each image or leaves it, with p = 1 mirroring all', async () => {
    const x = images(10, 2, 3, 4);
    const src = (await x.data()) as Float32Array;
    const all = (await run(randomHorizontalFlip(1, { seed: 1 }), x)).values;
    expect(Array.from(all.subarray(0, 4))).toEqual([4, 3, 2, 1]);
    const { values } = await run(randomHorizontalFlip(0.5, { seed: 2 }), x);
    let flipped = 0;
    for (let s = 0; s < 10; s++) {
      const got = values.subarray(s * 24, (s + 1) * 24);
      const same = got.every((v, i) => v === src[s * 24 + i]);
      const mirrored = got.every((v, i) => v === all[s * 24 + i]);
      expect(same || mirrored).toBe(true);
      if (mirrored) flipped++;
    }
    expect(flipped).toBeGreaterThan(0);
    expect(flipped).toBeLessThan(10);
    expect(randomHorizontalFlip(0)(x)).toBe(x);
    expect(() => randomHorizontalFlip(2)).toThrow(ArgumentError);
    x.dispose();
  });
});

describe('gaussianNoise', () => {
  it('adds noise of the given std, reproducible from the seed, new on each call', async () => {
    const x = tensor(new Float32Array(2000), { shape: [2, 1000] });
    const a = gaussianNoise(0.5, { seed: 1 });
    const first = (await run(a, x)).values;
    const mean = first.reduce((p, v) => p + v, 0) / first.length;
    const std = Math.sqrt(first.reduce((p, v) => p + (v - mean) ** 2, 0) / first.length);
    expect(Math.abs(mean)).toBeLessThan(0.05);
    expect(std).toBeGreaterThan(0.45);
    expect(std).toBeLessThan(0.55);
    expect((await run(gaussianNoise(0.5, { seed: 1 }), x)).values).toEqual(first);
    expect((await run(a, x)).values).not.toEqual(first);
    expect(gaussianNoise(0)(x)).toBe(x);
    expect(() => gaussianNoise(-1)).toThrow(ArgumentError);
    x.dispose();
  });
});

describe('normalize', () => {
  it('standardises with scalars or per channel', async () => {
    const x = tensor([[[[1, 3]], [[10, 30]]]]); // [1, 2, 1, 2]
    expect(Array.from((await run(normalize(1, 2), x)).values)).toEqual([0, 1, 4.5, 14.5]);
    expect(Array.from((await run(normalize([1, 10], [2, 10]), x)).values)).toEqual([0, 1, 0, 2]);
    const rows = tensor([
      [1, 10],
      [3, 30],
    ]);
    expect(Array.from((await run(normalize([1, 10], [1, 10]), rows)).values)).toEqual([0, 0, 2, 2]);
    expect(() => normalize([1, 2, 3], [1, 1, 1])(x)).toThrow(/channels/);
    expect(() => normalize(0, 0)).toThrow(ArgumentError);
    x.dispose();
    rows.dispose();
  });
});

describe('compose', () => {
  it('chains transforms and frees the intermediates', async () => {
    const x = images(4, 1, 6, 6);
    const t = compose([
      randomShift(1, { seed: 1 }),
      randomHorizontalFlip(0.5, { seed: 2 }),
      gaussianNoise(0.1, { seed: 3 }),
      normalize(0.5, 2),
    ]);
    const { shape } = await run(t, x);
    expect(shape).toEqual([4, 1, 6, 6]);
    expect(compose([])(x)).toBe(x);
    x.dispose();
  });
});
