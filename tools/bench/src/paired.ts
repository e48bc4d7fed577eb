/**
 * A speed ratio between two engines of the same library, measured in interleaved rounds.
 *
 * Why: on these 2-vCPU virtual machines a core runs at full speed or 1.4–1.9× slower, in stretches of
 * seconds. Timing one engine's runs in a block and then the other's lets a slow stretch land on one side
 * only: the worker-vs-CPU ratio of one case moved between 1.0× and 2.5× across runs of the same code.
 * Alternating the two engines round by round, and taking the median of the per-round ratios, puts both
 * under the same conditions. Each round re-activates the engine (Myelin moves live tensors to it, outside
 * the timing) and warms it up for at least `WARM_MS`, so the other engine's worker threads have gone back
 * to sleep before the timed run starts.
 */
import type { Engine } from './engines/engine.js';
import { median, timeOps } from './measure.js';
import type { BenchCase, Runner } from './types.js';

/** Least warm-up per round, in ms (longer than a worker's 2 ms spin after its last job). */
const WARM_MS = 30;

export interface PairedRatio {
  /** Median over rounds of (b's time / a's time): how many times faster `a` ran than `b`. */
  median: number;
  min: number;
  max: number;
  rounds: number;
}

async function warm(runner: Runner): Promise<void> {
  const t0 = performance.now();
  do await runner.step();
  while (performance.now() - t0 < WARM_MS);
  await runner.sync();
}

/**
 * Times `a` and `b` on case `c` in `rounds` alternating rounds of `opsA` / `opsB` back-to-back ops each
 * (the counts their own measurements calibrated). Throws if either cannot run the case.
 */
export async function measurePaired(
  a: Engine,
  b: Engine,
  c: BenchCase,
  opsA: number,
  opsB: number,
  rounds: number,
): Promise<PairedRatio> {
  const prepared: { engine: Engine; runner: Runner; ops: number }[] = [];
  try {
    for (const [engine, ops] of [
      [a, opsA],
      [b, opsB],
    ] as const) {
      await engine.activate();
      const runner = engine.prepare(c);
      if ('skip' in runner) throw new Error(`${engine.id}: ${runner.skip}`);
      prepared.push({ engine, runner, ops });
    }
    const ratios: number[] = [];
    for (let r = 0; r < rounds; r++) {
      const times: number[] = [];
      for (const p of prepared) {
        await p.engine.activate();
        await warm(p.runner);
        times.push((await timeOps(p.runner, p.ops)) / p.ops);
      }
      ratios.push((times[1] as number) / (times[0] as number));
    }
    ratios.sort((x, y) => x - y);
    return {
      median: median(ratios),
      min: ratios[0] as number,
      max: ratios[ratios.length - 1] as number,
      rounds,
    };
  } finally {
    for (const p of prepared.reverse()) {
      await p.engine.activate();
      p.runner.dispose();
    }
  }
}
