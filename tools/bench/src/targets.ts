/** Checking measurements against the project's acceptance targets. */
import type { PairedRatio } from './paired.js';
import { metricValue, num, ratio } from './report/format.js';
import type { BenchCase, EngineId, Measurement, Target, Timing } from './types.js';

export type TargetStatus = 'met' | 'not met' | 'n/a';

export interface TargetResult {
  target: Target;
  caseId: string;
  /** e.g. `myelin-cpu ≥ 4× tfjs-cpu`. */
  text: string;
  status: TargetStatus;
  /** e.g. `5.21×`, `6,412 samples/s`, or why it could not be judged. */
  measured: string;
}

/** How many times faster `a` ran than `b` (per-op time of b over a's); > 1 means a is faster. */
export function speedup(a: Timing, b: Timing): number {
  return b.medianMs / a.medianMs;
}

function timingOf(ms: readonly Measurement[], id: EngineId): Timing | string {
  const m = ms.find((x) => x.engine === id);
  if (!m) return `${id} not run`;
  return m.status === 'ok' ? m.timing : `${id} skipped`;
}

/** Describes a target in words. */
export function targetText(t: Target, c: BenchCase): string {
  if (t.vs !== undefined) return `${t.engine} ≥ ${t.minRatio}× ${t.vs}`;
  return `${t.engine} ≥ ${num(t.minValue ?? 0)} ${c.metric.unit}`;
}

/** The key of a pair of engines in the `paired` map of `judgeTargets`. */
export function pairKey(engine: EngineId, vs: EngineId): string {
  return `${engine} vs ${vs}`;
}

/**
 * Judges every target of a case against its measurements. A ratio target whose two engines were also
 * timed in interleaved rounds (`paired`, see paired.ts) is judged on that ratio.
 */
export function judgeTargets(
  c: BenchCase,
  ms: readonly Measurement[],
  paired: ReadonlyMap<string, PairedRatio> = new Map(),
): TargetResult[] {
  return (c.targets ?? []).map((target) => {
    const text = targetText(target, c);
    const mine = timingOf(ms, target.engine);
    if (typeof mine === 'string') return { target, caseId: c.id, text, status: 'n/a', measured: mine };
    if (target.vs !== undefined) {
      const theirs = timingOf(ms, target.vs);
      if (typeof theirs === 'string') return { target, caseId: c.id, text, status: 'n/a', measured: theirs };
      const p = paired.get(pairKey(target.engine, target.vs));
      if (p) {
        return {
          target,
          caseId: c.id,
          text,
          status: p.median >= (target.minRatio ?? 1) ? 'met' : 'not met',
          measured: `${ratio(p.median)} (interleaved, ${p.rounds} rounds: ${ratio(p.min)}–${ratio(p.max)}; in the table ${ratio(speedup(mine, theirs))})`,
        };
      }
      const r = speedup(mine, theirs);
      return {
        target,
        caseId: c.id,
        text,
        status: r >= (target.minRatio ?? 1) ? 'met' : 'not met',
        measured: ratio(r),
      };
    }
    const v = metricValue(c.metric, mine.medianMs);
    const floor = target.minValue ?? 0;
    const ok = c.metric.kind === 'throughput' ? v >= floor : v <= floor;
    return {
      target,
      caseId: c.id,
      text,
      status: ok ? 'met' : 'not met',
      measured: `${num(v)} ${c.metric.unit}`,
    };
  });
}
