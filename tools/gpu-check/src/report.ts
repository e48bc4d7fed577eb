/**
 * The check's report: one JSON document, rewritten after every phase (so a run cut short still leaves
 * what it measured), and the human-readable lines printed at the end.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { AdapterReport } from './adapter.js';
import type { Timing } from './timing.js';
import type { MemorySnapshot } from './workloads.js';

export interface ConformanceReport {
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
  readonly seconds: number;
  /** Failed tests (the first 100), name and message. */
  readonly failures: readonly { name: string; error: string }[];
}

/** One workload on one backend. */
export interface CaseReport {
  readonly id: string;
  readonly label: string;
  readonly backend: string;
  readonly unit: string;
  /** Throughput from the median step time (GFLOP/s or samples/s); absent when the case failed. */
  value?: number;
  timing?: Timing;
  /** Memory before building the case, after warm-up, after the timed runs, after disposing it. */
  memory?: {
    before: MemorySnapshot;
    afterWarmup: MemorySnapshot;
    afterTimed: MemorySnapshot;
    afterDispose: MemorySnapshot;
  };
  /** Whether the timed runs left memory as they found it, and disposing freed all the case made. */
  memoryOk?: boolean;
  error?: string;
}

export interface Report {
  tool: 'myelin-gpu-check';
  status: 'running' | 'ok' | 'failed' | 'software-adapter' | 'error' | 'timeout';
  /** What failed, for a status other than ok. */
  problems: string[];
  phase: string;
  startedAt: string;
  seconds: number;
  environment: Record<string, unknown>;
  adapter?: AdapterReport | { error: string };
  conformance?: ConformanceReport | { error: string } | { skipped: string };
  cases: CaseReport[];
  skipped: string[];
}

/** Writes the report atomically (a reader never sees half a file). */
export function writeReport(path: string, report: Report): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(report, null, 2)}\n`);
  renameSync(tmp, path);
}

const fmt = (v: number | undefined, digits = 1): string =>
  v === undefined ? '—' : v >= 100 ? v.toFixed(0) : v.toFixed(digits);

/** A table of the timed cases: one row per workload, CPU and WebGPU side by side. */
export function timingTable(cases: readonly CaseReport[]): string[] {
  const ids = [...new Set(cases.map((c) => c.id))];
  const lines = [
    `  ${'case'.padEnd(36)} ${'cpu'.padStart(10)} ${'webgpu'.padStart(10)}  unit        gpu/cpu`,
  ];
  for (const id of ids) {
    const cpu = cases.find((c) => c.id === id && c.backend === 'cpu');
    const gpu = cases.find((c) => c.id === id && c.backend === 'webgpu');
    const any = cpu ?? gpu;
    const ratio = cpu?.value && gpu?.value ? `${(gpu.value / cpu.value).toFixed(2)}×` : '—';
    lines.push(
      `  ${(any?.label ?? id).padEnd(36)} ${fmt(cpu?.value).padStart(10)} ${fmt(gpu?.value).padStart(10)}  ${(any?.unit ?? '').padEnd(10)}  ${ratio}`,
    );
  }
  for (const c of cases) {
    if (c.error) lines.push(`  ERROR ${c.id} on ${c.backend}: ${c.error}`);
    else if (c.memoryOk === false)
      lines.push(`  MEMORY ${c.id} on ${c.backend}: ${JSON.stringify(c.memory)}`);
  }
  return lines;
}
