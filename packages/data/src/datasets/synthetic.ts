/**
 * Seeded 2-D toy data sets for classifiers and decision-boundary plots. Each returns points `x` (n × 2)
 * and class labels `y`, in a shuffled order; the same arguments give the same data everywhere.
 */
import { ArgumentError } from '@myelin/core';
import type { LabeledData } from '../dataset/types.js';
import { Rng } from '../random/rng.js';

function checkCount(op: string, name: string, n: number, min = 1): void {
  if (!Number.isInteger(n) || n < min)
    throw new ArgumentError(op, `${name} must be an integer ≥ ${min}, got ${n}`);
}

function checkNoise(op: string, noise: number): void {
  if (!(noise >= 0) || !Number.isFinite(noise))
    throw new ArgumentError(op, `noise must be ≥ 0 and finite, got ${noise}`);
}

/** Packs points and labels, shuffled with `rng` so that any prefix mixes the classes. */
function pack(points: number[][], labels: number[], numClasses: number, rng: Rng): LabeledData {
  const n = labels.length;
  const order = rng.shuffle(Array.from({ length: n }, (_, i) => i));
  const x = new Float32Array(n * 2);
  const y = new Int32Array(n);
  order.forEach((src, dst) => {
    const p = points[src] as number[];
    x[2 * dst] = p[0] as number;
    x[2 * dst + 1] = p[1] as number;
    y[dst] = labels[src] as number;
  });
  return { x, y, n, sampleShape: [2], numClasses };
}

/**
 * Interleaved spiral arms, one per class (the CS231n toy problem): radius grows from 0 to 1 along each
 * arm; `noise` is the standard deviation of the angle, in radians.
 *
 * @example
 * ```ts
 * const s = spiral(100, 3, 0.2, 0); // 300 points, 3 classes
 * ```
 */
export function spiral(nPerClass = 100, classes = 3, noise = 0.2, seed = 0): LabeledData {
  checkCount('spiral', 'nPerClass', nPerClass);
  checkCount('spiral', 'classes', classes, 2);
  checkNoise('spiral', noise);
  const rng = new Rng(seed);
  const points: number[][] = [];
  const labels: number[] = [];
  for (let c = 0; c < classes; c++) {
    for (let i = 0; i < nPerClass; i++) {
      const r = nPerClass === 1 ? 1 : i / (nPerClass - 1);
      const t = (2 * Math.PI * c) / classes + 4 * r + noise * rng.normal();
      points.push([r * Math.sin(t), r * Math.cos(t)]);
      labels.push(c);
    }
  }
  return pack(points, labels, classes, rng);
}

/**
 * Two interleaving half circles (scikit-learn's `make_moons`), with Gaussian `noise` on the points.
 *
 * @example
 * ```ts
 * const m = moons(200, 0.1, 0);
 * ```
 */
export function moons(n = 200, noise = 0.1, seed = 0): LabeledData {
  checkCount('moons', 'n', n, 2);
  checkNoise('moons', noise);
  const rng = new Rng(seed);
  const outer = Math.floor(n / 2);
  const inner = n - outer;
  const points: number[][] = [];
  const labels: number[] = [];
  for (let i = 0; i < outer; i++) {
    const t = outer === 1 ? 0 : (Math.PI * i) / (outer - 1);
    points.push([Math.cos(t) + noise * rng.normal(), Math.sin(t) + noise * rng.normal()]);
    labels.push(0);
  }
  for (let i = 0; i < inner; i++) {
    const t = inner === 1 ? 0 : (Math.PI * i) / (inner - 1);
    points.push([1 - Math.cos(t) + noise * rng.normal(), 1 - Math.sin(t) - 0.5 + noise * rng.normal()]);
    labels.push(1);
  }
  return pack(points, labels, 2, rng);
}

/**
 * A circle (class 0) around a smaller one of radius `factor` (class 1), as scikit-learn's `make_circles`.
 *
 * @example
 * ```ts
 * const c = circles(200, 0.05, 0.5, 0);
 * ```
 */
export function circles(n = 200, noise = 0.05, factor = 0.5, seed = 0): LabeledData {
  checkCount('circles', 'n', n, 2);
  checkNoise('circles', noise);
  if (!(factor > 0 && factor < 1))
    throw new ArgumentError('circles', `factor must be in (0, 1), got ${factor}`);
  const rng = new Rng(seed);
  const outer = Math.floor(n / 2);
  const inner = n - outer;
  const points: number[][] = [];
  const labels: number[] = [];
  const ring = (count: number, radius: number, label: number) => {
    for (let i = 0; i < count; i++) {
      const t = (2 * Math.PI * i) / count;
      points.push([radius * Math.cos(t) + noise * rng.normal(), radius * Math.sin(t) + noise * rng.normal()]);
      labels.push(label);
    }
  };
  ring(outer, 1, 0);
  ring(inner, factor, 1);
  return pack(points, labels, 2, rng);
}

/**
 * Points uniform in [-1, 1]², labelled 1 where exactly one coordinate is positive (the XOR problem);
 * `noise` is then added to the coordinates, so some points cross the axes.
 *
 * @example
 * ```ts
 * const d = xor(200, 0.1, 0);
 * ```
 */
export function xor(n = 200, noise = 0.1, seed = 0): LabeledData {
  checkCount('xor', 'n', n);
  checkNoise('xor', noise);
  const rng = new Rng(seed);
  const points: number[][] = [];
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const a = 2 * rng.next() - 1;
    const b = 2 * rng.next() - 1;
    labels.push(a > 0 !== b > 0 ? 1 : 0);
    points.push([a + noise * rng.normal(), b + noise * rng.normal()]);
  }
  return pack(points, labels, 2, rng);
}

/**
 * Gaussian blobs of standard deviation `std` around `centers`: a count (centres drawn uniformly in
 * [-10, 10]², as scikit-learn's `make_blobs`) or explicit `[x, y]` points. Samples are spread evenly
 * over the blobs.
 *
 * @example
 * ```ts
 * const b = blobs(300, [[-2, 0], [2, 0], [0, 3]], 0.5, 0);
 * ```
 */
export function blobs(
  n = 200,
  centers: number | readonly (readonly [number, number])[] = 3,
  std = 1,
  seed = 0,
): LabeledData {
  checkCount('blobs', 'n', n);
  if (!(std >= 0) || !Number.isFinite(std))
    throw new ArgumentError('blobs', `std must be ≥ 0 and finite, got ${std}`);
  const rng = new Rng(seed);
  let where: (readonly [number, number])[];
  if (typeof centers === 'number') {
    checkCount('blobs', 'centers', centers);
    where = Array.from({ length: centers }, () => [20 * rng.next() - 10, 20 * rng.next() - 10] as const);
  } else {
    if (centers.length === 0 || centers.some((c) => c.length !== 2 || !c.every(Number.isFinite))) {
      throw new ArgumentError(
        'blobs',
        'centers must be a positive count or a non-empty list of [x, y] points',
      );
    }
    where = [...centers];
  }
  const points: number[][] = [];
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const k = i % where.length;
    const [cx, cy] = where[k] as readonly [number, number];
    points.push([cx + std * rng.normal(), cy + std * rng.normal()]);
    labels.push(k);
  }
  return pack(points, labels, where.length, rng);
}
