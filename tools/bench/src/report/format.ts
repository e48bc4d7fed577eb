/** Numbers as the report prints them. */
import type { Metric, Timing } from '../types.js';

/** The value a metric reports for one op that took `ms` milliseconds. */
export function metricValue(metric: Metric, ms: number): number {
  if (metric.kind === 'throughput') return metric.perOp / (ms / 1000);
  return metric.unit === 'µs' ? ms * 1000 : ms;
}

/** Median, slowest and fastest values of a timing, in the metric's unit (best first for the range). */
export function valuesOf(metric: Metric, t: Timing): { median: number; best: number; worst: number } {
  return {
    median: metricValue(metric, t.medianMs),
    best: metricValue(metric, t.minMs),
    worst: metricValue(metric, t.maxMs),
  };
}

/** Three significant digits, thousands separated: 0.912, 12.3, 456, 6,649. */
export function num(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  if (a >= 1000) return Math.round(v).toLocaleString('en-US');
  if (a >= 100) return v.toFixed(0);
  if (a >= 10) return v.toFixed(1);
  if (a >= 1) return v.toFixed(2);
  return v.toPrecision(3);
}

/** A speed ratio: 4.21×. */
export function ratio(r: number): string {
  return `${r >= 100 ? r.toFixed(0) : r >= 10 ? r.toFixed(1) : r.toFixed(2)}×`;
}

/** `lo–hi` in the metric's unit, lower value first. */
export function range(metric: Metric, t: Timing): string {
  const v = valuesOf(metric, t);
  const [lo, hi] = v.best < v.worst ? [v.best, v.worst] : [v.worst, v.best];
  return `${num(lo)}–${num(hi)}`;
}
