/**
 * The global random generator: a Philox key from the seed and a counter that every draw advances, so
 * the same seed gives the same weights and dropout masks on every backend.
 */
import { ArgumentError } from '../errors/errors.js';
import { blocksUsed, counterAdd } from './philox.js';

/** A position in a Philox stream. */
export interface StreamPosition {
  readonly key: readonly [number, number];
  readonly counter: readonly [number, number];
}

/** Splits a seed (a non-negative integer up to 2^53) into a Philox key. */
export function keyOf(seed: number): [number, number] {
  if (!Number.isSafeInteger(seed) || seed < 0)
    throw new ArgumentError('manualSeed', `seed must be a non-negative integer, got ${seed}`);
  return [seed >>> 0, Math.floor(seed / 4294967296) >>> 0];
}

let key: [number, number] = keyOf(Math.floor(Math.random() * 2 ** 31));
let counter: [number, number] = [0, 0];

/**
 * Seeds the global generator (PyTorch's `torch.manual_seed`).
 *
 * @example
 * ```ts
 * manualSeed(42); const a = randn([2]); manualSeed(42); const b = randn([2]); // a equals b
 * ```
 */
export function manualSeed(seed: number): void {
  key = keyOf(seed);
  counter = [0, 0];
}

/** The generator's state, to save in a checkpoint. */
export function getRngState(): { key: [number, number]; counter: [number, number] } {
  return { key: [...key], counter: [...counter] };
}

/** Restores a state saved by `getRngState`. */
export function setRngState(state: {
  key: readonly [number, number];
  counter: readonly [number, number];
}): void {
  key = [state.key[0] >>> 0, state.key[1] >>> 0];
  counter = [state.counter[0] >>> 0, state.counter[1] >>> 0];
}

/** Reserves the blocks a draw of `n` values needs and returns where the draw starts. */
export function reserve(kind: 'uniform' | 'normal', n: number, seed?: number): StreamPosition {
  if (seed !== undefined) return { key: keyOf(seed), counter: [0, 0] };
  const at: StreamPosition = { key: [key[0], key[1]], counter: [counter[0], counter[1]] };
  counter = counterAdd(counter, blocksUsed(kind, n));
  return at;
}
