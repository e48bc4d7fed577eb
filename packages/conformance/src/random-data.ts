/** Seeded test data: a small PRNG, random shapes (with size-0 and size-1 dims) and well-spread values. */

/** A seeded PRNG (mulberry32): the same seed gives the same test data on every backend and run. */
export class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  /** A float in [lo, hi). */
  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }

  /** One element of a list. */
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** Whether an event of probability p happens. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** A random permutation of 0..n-1. */
  permutation(n: number): number[] {
    const p = Array.from({ length: n }, (_, i) => i);
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [p[i], p[j]] = [p[j] as number, p[i] as number];
    }
    return p;
  }
}

/** Options of `randomShape`. */
export interface ShapeOptions {
  readonly minRank?: number;
  readonly maxRank?: number;
  /** Probability that a dim is 0 (an empty tensor). */
  readonly zeroDim?: number;
  readonly maxDim?: number;
}

/** A random shape: rank 0 (a scalar) to maxRank, dims mostly 1..maxDim, sometimes 0. */
export function randomShape(rng: Rng, options: ShapeOptions = {}): number[] {
  const rank = rng.int(options.minRank ?? 0, options.maxRank ?? 4);
  const zero = options.zeroDim ?? 0;
  return Array.from({ length: rank }, () =>
    rng.chance(zero) ? 0 : rng.chance(0.25) ? 1 : rng.int(1, options.maxDim ?? 5),
  );
}

/** A shape that broadcasts against `shape`: some dims set to 1, some leading dims dropped. */
export function broadcastPartner(rng: Rng, shape: readonly number[]): number[] {
  const drop = rng.int(0, shape.length);
  return shape.slice(drop).map((d) => (rng.chance(0.3) ? 1 : d));
}

/** Number of elements of a shape. */
export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Values rounded to float32, normal-ish in [-scale, scale]. */
export function randomValues(rng: Rng, n: number, scale = 1): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = scale * (rng.next() + rng.next() + rng.next() - 1.5) * 1.3;
  return out;
}

/**
 * Distinct values at least `gap` apart (a shuffled grid with jitter), so maxima, ties and kinks stay
 * clear of a finite-difference step. Centred on 0 with |x| ≥ gap/2 unless `positive`.
 */
export function spreadValues(rng: Rng, n: number, gap = 0.1, positive = false): Float32Array {
  const out = new Float32Array(n);
  const order = rng.permutation(n);
  for (let i = 0; i < n; i++) {
    const slot = order[i] as number;
    const centred = positive ? slot + 1 : slot - (n - 1) / 2;
    const base = centred === 0 ? 0.5 : centred; // keep away from 0 (relu, abs, sign kinks)
    out[i] = (base + rng.uniform(-0.2, 0.2)) * gap * 2;
  }
  return out;
}

/** Integers in [lo, hi] as an Int32Array. */
export function randomInts(rng: Rng, n: number, lo: number, hi: number): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = rng.int(lo, hi);
  return out;
}
