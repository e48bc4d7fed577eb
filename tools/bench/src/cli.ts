/**
 * `pnpm --filter @myelin/bench bench [--quick] [--only matmul,conv2d]`: loads every engine that can run
 * here, times each workload's cases on each engine, prints progress to stderr and writes
 * docs/benchmarks.md.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { type Args, parseArgs, USAGE } from './args.js';
import { type Engine, messageOf } from './engines/engine.js';
import { loadMyelinEngines } from './engines/myelin.js';
import { loadTfjsEngines } from './engines/tfjs.js';
import { type MeasureSettings, measure, STREAMING_MIN_OPS, TooSlowError } from './measure.js';
import { measurePaired, type PairedRatio } from './paired.js';
import { repoRoot } from './paths.js';
import { recipesBlock, spliceRecipes } from './recipes/report.js';
import { metricValue, num, range } from './report/format.js';
import { machineInfo } from './report/machine.js';
import { type CaseResult, type RunReport, renderMarkdown } from './report/markdown.js';
import { judgeTargets, pairKey } from './targets.js';
import { type BenchCase, ENGINE_IDS, type Measurement, type Workload } from './types.js';
import { WORKLOADS } from './workloads/index.js';

const FULL: MeasureSettings = {
  warmupRuns: 2,
  timedRuns: 7,
  targetRunMs: 250,
  maxOpsPerRun: 5000,
  maxOpMs: 20_000,
};
const QUICK: MeasureSettings = {
  warmupRuns: 1,
  timedRuns: 5,
  targetRunMs: 50,
  maxOpsPerRun: 1000,
  maxOpMs: 3_000,
};

const started = performance.now();
const loadAtStart = os.loadavg()[0] ?? 0;

function progress(message: string): void {
  const secs = ((performance.now() - started) / 1000).toFixed(0).padStart(4);
  process.stderr.write(`[${secs} s] ${message}\n`);
}

/**
 * Frees what the previous case left for the garbage collector. The hook is enabled at run time, not with
 * `node --expose-gc`: worker threads inherit the process's execArgv and refuse that flag.
 */
const collectGarbage: () => void = (() => {
  v8.setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
})();

function selectWorkloads(only: string[]): Workload[] {
  if (only.length === 0) return [...WORKLOADS];
  const picked = WORKLOADS.filter((w) => only.some((o) => w.id.startsWith(o) || o.startsWith(w.id)));
  const unknown = only.filter((o) => !WORKLOADS.some((w) => w.id.startsWith(o) || o.startsWith(w.id)));
  if (unknown.length > 0) {
    throw new Error(
      `unknown workload '${unknown.join(', ')}'; known: ${WORKLOADS.map((w) => w.id).join(', ')}`,
    );
  }
  return picked;
}

async function runCase(engine: Engine, c: BenchCase, settings: MeasureSettings): Promise<Measurement> {
  await engine.activate();
  collectGarbage();
  const before = engine.liveTensors();
  let prepared: ReturnType<Engine['prepare']>;
  try {
    prepared = engine.prepare(c);
  } catch (err) {
    return { engine: engine.id, status: 'skipped', reason: `failed to set up: ${messageOf(err)}` };
  }
  if ('skip' in prepared) return { engine: engine.id, status: 'skipped', reason: prepared.skip };
  try {
    const timing = await measure(prepared, settings, engine.queued ? STREAMING_MIN_OPS : 1);
    prepared.dispose();
    return { engine: engine.id, status: 'ok', timing, leakedTensors: engine.liveTensors() - before };
  } catch (err) {
    try {
      prepared.dispose();
    } catch {
      // The failure above is the one worth reporting.
    }
    const reason = err instanceof TooSlowError ? err.message : `failed: ${messageOf(err)}`;
    return { engine: engine.id, status: 'skipped', reason };
  }
}

/**
 * Ratio targets between two Myelin engines, timed again in interleaved rounds (see paired.ts): the block
 * measurements of one engine after the other can land on a fast and a slow stretch of these vCPUs.
 */
async function pairedRatios(
  engines: readonly Engine[],
  c: BenchCase,
  measurements: readonly Measurement[],
  rounds: number,
): Promise<Map<string, PairedRatio>> {
  const out = new Map<string, PairedRatio>();
  for (const t of c.targets ?? []) {
    if (t.vs === undefined) continue;
    const a = engines.find((e) => e.id === t.engine);
    const b = engines.find((e) => e.id === t.vs);
    const ma = measurements.find((m) => m.engine === t.engine);
    const mb = measurements.find((m) => m.engine === t.vs);
    if (!a || !b || a.framework !== 'myelin' || b.framework !== 'myelin') continue;
    if (ma?.status !== 'ok' || mb?.status !== 'ok') continue;
    try {
      const p = await measurePaired(a, b, c, ma.timing.opsPerRun, mb.timing.opsPerRun, rounds);
      out.set(pairKey(t.engine, t.vs), p);
      progress(
        `  ${t.engine} vs ${t.vs}, interleaved: ${p.median.toFixed(2)}× [${p.min.toFixed(2)}–${p.max.toFixed(2)}]`,
      );
    } catch (err) {
      progress(`  ${t.engine} vs ${t.vs}, interleaved: failed (${messageOf(err)})`);
    }
  }
  return out;
}

function describe(c: BenchCase, m: Measurement): string {
  if (m.status === 'skipped') return `${m.engine}: skipped (${m.reason})`;
  const v = metricValue(c.metric, m.timing.medianMs);
  const leak = m.leakedTensors !== 0 ? `, LEAKED ${m.leakedTensors} tensors` : '';
  return `${m.engine}: ${num(v)} ${c.metric.unit} [${range(c.metric, m.timing)}], ${m.timing.opsPerRun} ops/run${leak}`;
}

function commandLine(args: Args): string {
  const flags = [args.quick ? '--quick' : '', args.only.length ? `--only ${args.only.join(',')}` : ''];
  if (args.engines.length !== ENGINE_IDS.length) flags.push(`--engines ${args.engines.join(',')}`);
  return ['pnpm --filter @myelin/bench bench', ...flags.filter(Boolean)].join(' ');
}

async function main(): Promise<number> {
  let args: Args;
  let workloads: Workload[];
  try {
    args = parseArgs(process.argv.slice(2));
    workloads = selectWorkloads(args.only);
  } catch (err) {
    process.stderr.write(`bench: ${messageOf(err)}\n\n${USAGE}\n`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const settings = args.quick ? QUICK : FULL;
  const root = repoRoot();

  progress(
    `loading engines (load average ${loadAtStart.toFixed(2)}${loadAtStart > 0.5 ? ': something else is running, numbers will be noisy' : ''})`,
  );
  const loaded = [await loadTfjsEngines(args.engines), await loadMyelinEngines(args.engines)];
  const engines = loaded
    .flatMap((l) => l.engines)
    .sort((a, b) => ENGINE_IDS.indexOf(a.id) - ENGINE_IDS.indexOf(b.id));
  const skipped = loaded.flatMap((l) => l.skipped);
  for (const e of engines) progress(`engine ${e.id}: ${e.description}`);
  for (const s of skipped) progress(`engine ${s.id}: SKIPPED — ${s.reason}`);

  const results: CaseResult[] = [];
  for (const w of workloads) {
    for (const c of w.cases({ quick: args.quick })) {
      const measurements: Measurement[] = [];
      for (const e of engines) {
        const m = await runCase(e, c, settings);
        measurements.push(m);
        progress(`${w.id} ${c.label} · ${describe(c, m)}`);
      }
      const paired = await pairedRatios(engines, c, measurements, args.quick ? 5 : 9);
      const targets = judgeTargets(c, measurements, paired);
      for (const t of targets) progress(`  target ${t.text}: ${t.status} (${t.measured})`);
      results.push({ workload: w, case: c, measurements, targets });
    }
  }

  const report: RunReport = {
    command: commandLine(args),
    machine: machineInfo(root, loadAtStart),
    settings,
    engines: engines.map((e) => ({ id: e.id, description: e.description })),
    skipped,
    versions: Object.assign({}, ...loaded.map((l) => l.versions)),
    results,
    wallSeconds: (performance.now() - started) / 1000,
  };
  const markdown = renderMarkdown(report);
  if (args.out === '-') {
    process.stdout.write(markdown);
  } else {
    const out = args.out ? resolve(args.out) : join(root, 'docs', 'benchmarks.md');
    mkdirSync(dirname(out), { recursive: true });
    // The training-recipes block belongs to the `recipes` harness: keep it as it was.
    const recipes = existsSync(out) ? recipesBlock(readFileSync(out, 'utf8')) : '';
    writeFileSync(out, recipes ? spliceRecipes(markdown, recipes) : markdown);
    progress(`wrote ${out}`);
  }
  for (const e of engines) {
    try {
      await e.dispose();
    } catch (err) {
      progress(`engine ${e.id}: dispose failed: ${messageOf(err)}`);
    }
  }
  return 0;
}

// Exit explicitly: a backend's worker threads or GPU device must not keep the process alive.
main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`bench: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
