/**
 * A small seeded generator for the host-side random choices of this package (index shuffles, crop
 * offsets, flip decisions, synthetic data). Tensor-valued noise uses core's Philox stream instead, so it
 * is the same on every backend. The generator is SplitMix32-style: a 32-bit counter advanced by the
 * golden ratio and a strong output mix — fast, tiny, and good enough for shuffles.
 */
import { counterAdd, getRngState, philox4x32, setRngState } from '@myelin/core';

const GOLDEN = 0x9e3779b9;

/** Mixes 32 bits thoroughly (the finaliser of MurmurHash3 with SplitMix constants). */
function mix32(z: number): number {
  let x = z >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

/** Folds a seed (any non-negative safe integer) and optional extra words into one 32-bit state. */
export function hashSeed(seed: number, ...salt: number[]): number {
  let h = mix32((seed >>> 0) ^ mix32(Math.floor(seed / 4294967296) + GOLDEN));
  for (const s of salt) h = mix32(h ^ mix32((s >>> 0) + GOLDEN));
  return h;
}

/**
 * A seeded stream of random numbers.
 *
 * @example
 * ```ts
 * const rng = new Rng(42);
 * rng.int(10); // 0..9
 * rng.shuffle([0, 1, 2, 3]);
 * ```
 */
export class Rng {
  private state: number;

  constructor(seed: number, ...salt: number[]) {
    this.state = hashSeed(seed, ...salt);
  }

  /** A uniform 32-bit unsigned integer. */
  uint32(): number {
    this.state = (this.state + GOLDEN) >>> 0;
    return mix32(this.state);
  }

  /** A uniform float in [0, 1) with 32 random bits. */
  next(): number {
    return this.uint32() / 4294967296;
  }

  /** A uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** A uniform integer in [lo, hi] (both included). */
  intBetween(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }

  /** A standard normal value (Box–Muller; one of the pair is dropped for simplicity). */
  normal(): number {
    const u1 = 1 - this.next(); // (0, 1]: log never sees 0
    const u2 = this.next();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }

  /** Shuffles `items` in place (Fisher–Yates) and returns it. */
  shuffle<T extends { length: number; [i: number]: unknown }>(items: T): T {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = items[i];
      items[i] = items[j];
      items[j] = t;
    }
    return items;
  }
}

/** `[0, 1, ..., n-1]` in a seeded random order. */
export function permutation(n: number, seed: number, ...salt: number[]): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  return new Rng(seed, ...salt).shuffle(out);
}

/**
 * A seed drawn from core's global Philox generator (one block of its stream), for objects built without
 * an explicit seed: after `manualSeed(s)` they are reproducible too, as in PyTorch.
 */
export function drawSeed(): number {
  const state = getRngState();
  const words = philox4x32(
    state.counter[0],
    state.counter[1],
    0x64617461 /* 'data' */,
    0,
    state.key[0],
    state.key[1],
    new Uint32Array(4),
  );
  setRngState({ key: state.key, counter: counterAdd(state.counter, 1) });
  return words[0] as number;
}
