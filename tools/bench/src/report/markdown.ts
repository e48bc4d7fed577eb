/** Writes a run as docs/benchmarks.md: machine, engines, method, targets, then one table per workload. */
import type { EngineSkip } from '../engines/engine.js';
import { type MeasureSettings, STREAMING_MIN_OPS } from '../measure.js';
import { speedup, type TargetResult } from '../targets.js';
import { type BenchCase, ENGINE_IDS, type EngineId, type Measurement, type Workload } from '../types.js';
import { metricValue, num, range, ratio } from './format.js';
import type { MachineInfo } from './machine.js';

export interface CaseResult {
  workload: Workload;
  case: BenchCase;
  measurements: Measurement[];
  targets: TargetResult[];
}

export interface RunReport {
  command: string;
  machine: MachineInfo;
  settings: MeasureSettings;
  engines: { id: EngineId; description: string }[];
  skipped: EngineSkip[];
  versions: Record<string, string>;
  results: CaseResult[];
  wallSeconds: number;
}

/** The engines each row is compared with, when they were measured. */
const BASELINES: EngineId[] = ['tfjs-cpu', 'tfjs-wasm', 'myelin-cpu'];

const STATUS_MARK: Record<TargetResult['status'], string> = {
  met: '**met**',
  'not met': '**not met**',
  'n/a': 'n/a',
};

function table(head: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`;
  return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n');
}

function machineSection(r: RunReport): string {
  const m = r.machine;
  const rows = [
    ['CPU', m.cpu],
    ['logical cores', String(m.cores)],
    ['memory', `${m.memoryGiB} GiB`],
    ['OS', m.os],
    ['Node', `${m.node} (V8 ${m.v8})`],
    ['commit', m.commit],
    ['date', m.date],
    ['load average (1 min) at start / end', `${m.loadStart.toFixed(2)} / ${m.loadEnd.toFixed(2)}`],
    ...Object.entries(r.versions)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([pkg, v]) => [pkg, v]),
  ];
  return `## Machine and packages\n\n${table(['', ''], rows)}`;
}

function enginesSection(r: RunReport): string {
  const rows: string[][] = [];
  for (const id of ENGINE_IDS) {
    const e = r.engines.find((x) => x.id === id);
    const s = r.skipped.find((x) => x.id === id);
    if (e) rows.push([id, e.description, 'measured']);
    else if (s) rows.push([id, '—', `skipped: ${s.reason}`]);
  }
  const gpuNote =
    'On this machine myelin-webgpu runs on a software Vulkan driver, so its numbers say nothing about a GPU. ' +
    'The same backend on a real GPU (NVIDIA H200: conformance suite, matmul, training throughput) is measured by ' +
    '[tools/gpu-check](../tools/gpu-check/README.md#measured-on-the-gpu-machine).';
  return `## Engines\n\n${table(['engine', 'what', 'status'], rows)}\n\n${gpuNote}`;
}

function methodSection(r: RunReport): string {
  const s = r.settings;
  return [
    '## Method',
    '',
    '- All engines run in one Node process (garbage is collected before each case), one case at a time, each engine in turn on the same case, inputs made before timing on that ' +
      'engine. The load average in the machine table shows whether anything else competed for the cores.',
    `- Per case and engine: ${s.warmupRuns} untimed warm-up op${s.warmupRuns === 1 ? '' : 's'}; then ` +
      `untimed calibration runs grow the number of ops per run until a run lasts about ${s.targetRunMs} ms ` +
      `(at most ${s.maxOpsPerRun} ops), the last of them at the chosen count; then ${s.timedRuns} timed ` +
      `runs. Engines that queue kernels (myelin-worker, myelin-webgpu) get at least ${STREAMING_MIN_OPS} ops ` +
      'per run. Ops of a second or more are timed one per run.',
    '- A timed run issues its ops back to back (streaming mode: how a training loop drives a backend ' +
      'that queues kernels) and then awaits `data()` of the last result, so queued work is finished ' +
      'inside the timing. Reported: the median per-op value over the timed runs and the range ' +
      '(fastest–slowest run).',
    `- An engine whose single op takes over ${(s.maxOpMs / 1000).toFixed(0)} s on a case is not timed on it.`,
    '- "vs X" is how many times faster the row ran than engine X in this run (> 1: faster), from the ' +
      'median per-op times. Targets compare the same way, except a target between two Myelin engines ' +
      '(worker vs CPU): those two are also timed in interleaved rounds (each round: activate, warm up ' +
      '≥ 30 ms, one timed run of each), and the target is judged on the median of the per-round ratios, ' +
      "since a slow stretch of a vCPU can otherwise fall on one engine's block of runs only (src/paired.ts).",
    '- After each case the live-tensor count of the library is checked against its count before; a ' +
      'leak is noted under the table.',
  ].join('\n');
}

function targetsSection(r: RunReport): string {
  const all = r.results.flatMap((c) => c.targets.map((t) => ({ c, t })));
  if (all.length === 0) return '## Acceptance targets\n\nNo case with a target was run.';
  const rows = all.map(({ c, t }) => [
    `${c.workload.title}: ${c.case.label}`,
    t.text,
    t.target.source,
    t.measured,
    STATUS_MARK[t.status],
  ]);
  const met = all.filter((x) => x.t.status === 'met').length;
  const judged = all.filter((x) => x.t.status !== 'n/a').length;
  return [
    '## Acceptance targets',
    '',
    `${met} of ${judged} judged targets met (${all.length - judged} not judged: an engine was not measured).`,
    '',
    table(['case', 'target', 'from', 'measured', 'status'], rows),
  ].join('\n');
}

function caseRows(c: CaseResult): { rows: string[][]; notes: string[] } {
  const rows: string[][] = [];
  const notes: string[] = [];
  const metric = c.case.metric;
  let first = true;
  for (const m of c.measurements) {
    const label = first ? c.case.label : '';
    first = false;
    const targets = c.targets
      .filter((t) => t.target.engine === m.engine)
      .map((t) => `${t.text}: ${STATUS_MARK[t.status]}`)
      .join('; ');
    if (m.status === 'skipped') {
      rows.push([label, m.engine, `skipped: ${m.reason}`, '', '', ...BASELINES.map(() => ''), targets]);
      continue;
    }
    const vs = BASELINES.map((b) => {
      if (b === m.engine) return '—';
      const other = c.measurements.find((x) => x.engine === b);
      return other?.status === 'ok' ? ratio(speedup(m.timing, other.timing)) : '';
    });
    rows.push([
      label,
      m.engine,
      `${num(metricValue(metric, m.timing.medianMs))} ${metric.unit}`,
      range(metric, m.timing),
      String(m.timing.opsPerRun),
      ...vs,
      targets,
    ]);
    if (m.leakedTensors !== 0)
      notes.push(`${c.case.label}, ${m.engine}: ${m.leakedTensors} tensors left alive after the case.`);
  }
  return { rows, notes };
}

function workloadSection(w: Workload, results: CaseResult[]): string {
  const rows: string[][] = [];
  const notes: string[] = [];
  for (const c of results) {
    const r = caseRows(c);
    rows.push(...r.rows);
    notes.push(...r.notes);
  }
  const head = [
    'case',
    'engine',
    'median',
    'range',
    'ops/run',
    ...BASELINES.map((b) => `vs ${b}`),
    'targets',
  ];
  const parts = [`## ${w.title}`, '', w.description, '', table(head, rows)];
  if (notes.length > 0) parts.push('', ...notes.map((n) => `- Leak: ${n}`));
  return parts.join('\n');
}

/** The whole report as Markdown. */
export function renderMarkdown(r: RunReport): string {
  const workloads: Workload[] = [];
  for (const c of r.results) if (!workloads.includes(c.workload)) workloads.push(c.workload);
  return `${[
    '# Benchmarks',
    '',
    `Written by \`${r.command}\` (tools/bench) in ${Math.round(r.wallSeconds)} s. Do not edit by hand: ` +
      'run the harness again. The numbers come from this one run on the machine below; the range column ' +
      'shows how much they moved within it, and a load average well above 0 means other work shared the ' +
      'cores (then read ratios near a target with care).',
    '',
    machineSection(r),
    '',
    enginesSection(r),
    '',
    methodSection(r),
    '',
    targetsSection(r),
    '',
    ...workloads.flatMap((w) => [
      workloadSection(
        w,
        r.results.filter((c) => c.workload === w),
      ),
      '',
    ]),
  ]
    .join('\n')
    .trimEnd()}\n`;
}
