/**
 * `defineExperiment`: the frame every experiment runs in. It seeds the global generator, times the run,
 * names the backend, reports progress and frees every tensor the experiment registered, so an experiment
 * file holds only its science.
 */
import { getBackendName, manualSeed } from '@myelin/core';
import type { Experiment, LabOptions, LabResult } from '../types.js';

/** Anything the frame can free: tensors, modules, optimisers. */
export interface Owned {
  dispose(): void;
}

/** What an experiment's body gets: its options, a progress reporter and a place to leave tensors to free. */
export interface LabContext {
  seed: number;
  quick: boolean;
  /** Reports progress (`done` of `total`, with a message). */
  progress(done: number, total: number, message: string): void;
  /** Frees `t` (a tensor, module, optimiser — anything with `dispose()` — or an array of them) at the end, even on error. */
  own<T extends Owned | Owned[]>(t: T): T;
  /** A seed derived from the run's seed and `salts`, for a data split, a shuffle or one model of many. */
  derive(...salts: number[]): number;
}

/** What an experiment's body returns: the result without the fields the frame fills in. */
export type LabBody = Omit<LabResult, 'name' | 'title' | 'claim' | 'run'>;

/** Mixes a seed with salts into a non-negative 31-bit integer (stable across platforms). */
export function deriveSeed(seed: number, ...salts: number[]): number {
  let h = (seed >>> 0) ^ 0x9e3779b9;
  for (const s of salts) {
    h = Math.imul(h ^ (s >>> 0), 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
  }
  return (h >>> 0) & 0x7fffffff;
}

/**
 * Declares an experiment. `body` runs after `manualSeed(seed)`; the tensors and modules it passes to
 * `ctx.own` are disposed afterwards.
 *
 * @example
 * ```ts
 * export default defineExperiment({ name: 'x', title: 'X', claim: '...', body: async (ctx) => ({ ... }) });
 * ```
 */
export function defineExperiment(spec: {
  name: string;
  title: string;
  claim: string;
  body: (ctx: LabContext) => Promise<LabBody>;
}): Experiment {
  const { name, title, claim } = spec;
  return {
    name,
    title,
    claim,
    async run(options: LabOptions): Promise<LabResult> {
      const seed = options.seed;
      if (!Number.isSafeInteger(seed) || seed < 0)
        throw new RangeError(`lab ${name}: seed must be a non-negative integer, got ${seed}`);
      const quick = options.quick ?? false;
      const owned: Owned[] = [];
      const ctx: LabContext = {
        seed,
        quick,
        progress: (done, total, message) => options.onProgress?.({ experiment: name, done, total, message }),
        own: (t) => {
          if (Array.isArray(t)) owned.push(...t);
          else owned.push(t as Owned);
          return t;
        },
        derive: (...salts) => deriveSeed(seed, ...salts),
      };
      manualSeed(seed);
      const started = performance.now();
      try {
        const body = await spec.body(ctx);
        const seconds = (performance.now() - started) / 1000;
        return {
          name,
          title,
          claim,
          ...body,
          run: { seed, quick, backend: getBackendName() ?? 'none', seconds },
        };
      } finally {
        for (const t of owned) t.dispose();
      }
    },
  };
}
