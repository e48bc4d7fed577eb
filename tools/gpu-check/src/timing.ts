/**
 * Timing one runner, as tools/bench does: untimed warm-up, then timed runs that each issue several steps
 * back to back and end by awaiting the last step's values (`data()`), so a queued backend (WebGPU) is
 * timed until its queue has drained. The result is the median time per step over the runs.
 */

/** Something to time: one op or one training step per `step()`. */
export interface Runner {
  step(): void;
  /** Awaits the last step's values. */
  sync(): Promise<void>;
  dispose(): void;
}

export interface TimingSettings {
  /** Untimed single steps first (compiles pipelines, fills the buffer pool, warms the JIT). */
  readonly warmupSteps: number;
  /** Timed runs; the median is over these. */
  readonly runs: number;
  /** Aim for runs of about this long (more steps per run for short steps). */
  readonly targetRunMs: number;
  /** At least this many steps per run (a queued backend shows its speed only when streaming). */
  readonly minSteps: number;
  /** At most this many steps per run. */
  readonly maxSteps: number;
  /** Stop adding runs once the case has taken this long (at least 3 runs are always made). */
  readonly caseBudgetMs: number;
}

export interface Timing {
  readonly medianMs: number;
  readonly minMs: number;
  readonly maxMs: number;
  readonly stepsPerRun: number;
  readonly runs: number;
  /** The first warm-up step, pipeline compilation and allocation included. */
  readonly firstStepMs: number;
}

async function timeSteps(runner: Runner, steps: number): Promise<number> {
  const t0 = performance.now();
  for (let i = 0; i < steps; i++) runner.step();
  await runner.sync();
  return performance.now() - t0;
}

/**
 * Warm-up steps only (the memory check snapshots between warm-up and the timed runs). Steps that are long
 * already (a 2048² matmul on the CPU) get one warm-up step after the first: more would only cost time.
 */
export async function warmUp(
  runner: Runner,
  s: TimingSettings,
): Promise<{ firstMs: number; lastMs: number }> {
  const firstMs = await timeSteps(runner, 1);
  let lastMs = firstMs;
  for (let i = 1; i < s.warmupSteps; i++) {
    lastMs = await timeSteps(runner, 1);
    if (lastMs >= s.targetRunMs) break;
  }
  return { firstMs, lastMs };
}

/** The timed runs, after `warmUp`. */
export async function timeRuns(
  runner: Runner,
  s: TimingSettings,
  warm: { firstMs: number; lastMs: number },
): Promise<Timing> {
  const started = performance.now();
  // Short steps: one more streamed run sizes the runs (a single synced step overstates a queued backend's
  // step time). Long steps run `minSteps` per run with no sizing run.
  let steps = Math.max(1, s.minSteps);
  if (warm.lastMs < s.targetRunMs) {
    const probe = (await timeSteps(runner, steps)) / steps;
    steps = Math.min(s.maxSteps, Math.max(steps, Math.ceil(s.targetRunMs / Math.max(probe, 1e-3))));
  }
  const perStep: number[] = [];
  while (perStep.length < s.runs) {
    perStep.push((await timeSteps(runner, steps)) / steps);
    if (perStep.length >= 3 && performance.now() - started > s.caseBudgetMs) break;
  }
  perStep.sort((a, b) => a - b);
  const mid = perStep.length >> 1;
  const median =
    perStep.length % 2 === 1
      ? (perStep[mid] as number)
      : ((perStep[mid - 1] as number) + (perStep[mid] as number)) / 2;
  return {
    medianMs: median,
    minMs: perStep[0] as number,
    maxMs: perStep[perStep.length - 1] as number,
    stepsPerRun: steps,
    runs: perStep.length,
    firstStepMs: warm.firstMs,
  };
}
