/**
 * Myelin's GPU check: on a machine with a real GPU, (a) make sure the WebGPU backend gets a hardware
 * adapter, (b) run the shared conformance suite on it, (c) time matmuls and two training steps on WebGPU
 * and on the CPU backend in the same process, (d) check that the timed loops leave memory as they found
 * it, and (e) write it all to $OUT/gpu-check.json with a summary on stdout. See README.md.
 *
 * Exit codes: 0 all good; 1 a conformance test, a case or a memory check failed; 2 no usable hardware
 * adapter; 3 the hard time limit was reached; 4 the check itself crashed.
 */
import os from 'node:os';
import { createCpuBackend } from '@myelin/backend-cpu';
import { createWebGpuBackend } from '@myelin/backend-webgpu';
import * as core from '@myelin/core';
import { probeAdapter } from './adapter.js';
import { CONFORMANCE_BACKEND, runWebGpuConformance } from './conformance.js';
import { envVar, readOptions } from './options.js';
import { type CaseReport, type Report, timingTable, writeReport } from './report.js';
import { type TimingSettings, timeRuns, warmUp } from './timing.js';
import {
  lenetWorkload,
  matmulWorkload,
  memorySnapshot,
  mlpWorkload,
  sameMemory,
  type Workload,
} from './workloads.js';

const options = readOptions();
const started = performance.now();
const elapsed = (): number => (performance.now() - started) / 1000;
/** After this many seconds the check writes what it has and exits (run.sh's `timeout` is the outer bound). */
const HARD_LIMIT_S = options.hardLimitSeconds;

const report: Report = {
  tool: 'myelin-gpu-check',
  status: 'running',
  problems: [],
  phase: 'start',
  startedAt: new Date().toISOString(),
  seconds: 0,
  environment: {
    node: process.version,
    execPath: process.execPath,
    platform: `${process.platform}-${process.arch}`,
    cpus: `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'unknown'}`,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    VK_DRIVER_FILES: envVar('VK_DRIVER_FILES') ?? null,
    VK_ICD_FILENAMES: envVar('VK_ICD_FILENAMES') ?? null,
    quick: options.quick,
    allowSoftware: options.allowSoftware,
    phases: [...options.phases],
    budgetSeconds: options.budgetSeconds,
  },
  cases: [],
  skipped: [],
};

function save(): void {
  report.seconds = Math.round(elapsed() * 10) / 10;
  try {
    writeReport(options.jsonPath, report);
  } catch (e) {
    console.error(`gpu-check: could not write ${options.jsonPath}: ${(e as Error).message}`);
  }
}

function finish(code: number): never {
  save();
  console.log(`gpu-check: status ${report.status}, ${report.seconds} s, report in ${options.jsonPath}`);
  process.exit(code);
}

function enter(phase: string): void {
  report.phase = phase;
  console.log(`\n== ${phase} (t = ${elapsed().toFixed(1)} s)`);
}

const messageOf = (e: unknown): string => (e instanceof Error ? `${e.name}: ${e.message}` : String(e));

// Errors that escape every await (a Dawn callback, say) are recorded rather than crashing the run.
const unhandled: string[] = [];
process.on('unhandledRejection', (e) => {
  unhandled.push(`${report.phase}: ${messageOf(e)}`);
  console.log(`  UNHANDLED REJECTION in ${report.phase}: ${messageOf(e)}`);
});

const watchdog = setTimeout(() => {
  report.status = 'timeout';
  report.problems.push(`hard limit of ${HARD_LIMIT_S} s reached during ${report.phase}`);
  console.log(`\ngpu-check: TIMEOUT after ${HARD_LIMIT_S} s in ${report.phase}`);
  finish(3);
}, HARD_LIMIT_S * 1000);

function timingSettings(queued: boolean): TimingSettings {
  return options.quick
    ? {
        warmupSteps: 2,
        runs: 3,
        targetRunMs: 100,
        minSteps: queued ? 3 : 1,
        maxSteps: 100,
        caseBudgetMs: 1500,
      }
    : {
        warmupSteps: 3,
        runs: 7,
        targetRunMs: 250,
        minSteps: queued ? 3 : 1,
        maxSteps: 200,
        caseBudgetMs: 4000,
      };
}

/** Builds, warms up, times and disposes one workload on one backend, with memory snapshots between. */
async function runCase(w: Workload, backend: string): Promise<CaseReport> {
  const out: CaseReport = { id: w.id, label: w.label, backend, unit: w.unit };
  await core.setBackend(backend);
  const before = await memorySnapshot();
  const settings = timingSettings(backend !== 'cpu');
  let runner: ReturnType<Workload['build']> | undefined;
  try {
    runner = w.build();
    const warm = await warmUp(runner, settings);
    const afterWarmup = await memorySnapshot();
    const timing = await timeRuns(runner, settings, warm);
    const afterTimed = await memorySnapshot();
    runner.dispose();
    runner = undefined;
    const afterDispose = await memorySnapshot();
    out.timing = timing;
    out.value = w.perStep / (timing.medianMs / 1000);
    out.memory = { before, afterWarmup, afterTimed, afterDispose };
    out.memoryOk = sameMemory(afterWarmup, afterTimed) && sameMemory(before, afterDispose);
  } catch (e) {
    out.error = messageOf(e);
    try {
      runner?.dispose();
    } catch {
      // The case already failed; its error is what the report needs.
    }
  }
  const shown = out.error
    ? `ERROR ${out.error}`
    : `${out.value?.toFixed(1)} ${w.unit} (median ${out.timing?.medianMs.toFixed(2)} ms/step, ` +
      `${out.timing?.runs}×${out.timing?.stepsPerRun} steps, first ${out.timing?.firstStepMs.toFixed(0)} ms)` +
      `${out.memoryOk ? '' : ' MEMORY NOT BACK TO BASELINE'}`;
  console.log(`  ${w.id.padEnd(12)} ${backend.padEnd(7)} ${shown}`);
  return out;
}

async function main(): Promise<number> {
  console.log(`gpu-check: node ${process.version}, ${report.environment.cpus}, JSON → ${options.jsonPath}`);
  console.log(
    `  VK_DRIVER_FILES=${envVar('VK_DRIVER_FILES') ?? '(unset)'} quick=${options.quick} ` +
      `allowSoftware=${options.allowSoftware} phases=${[...options.phases].join(',')}`,
  );

  // (a) The adapter.
  enter('adapter');
  try {
    const a = await probeAdapter();
    report.adapter = a;
    console.log(`  vendor:       ${a.vendor}`);
    console.log(`  architecture: ${a.architecture}`);
    console.log(`  device:       ${a.device}`);
    console.log(`  description:  ${a.description}`);
    console.log(`  backend:      ${a.backend}`);
    console.log(`  limits:       ${JSON.stringify(a.limits)}`);
    console.log(`  created in ${a.createMs.toFixed(0)} ms`);
    if (a.software) {
      if (!options.allowSoftware) {
        report.status = 'software-adapter';
        report.problems.push(`software adapter (${a.backend}): the GPU's Vulkan driver was not used`);
        console.log('\n!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!');
        console.log(`!! FAIL: SOFTWARE ADAPTER (${a.description || a.architecture}).`);
        console.log(
          '!! Dawn did not get the GPU. Check the Vulkan loader and VK_DRIVER_FILES (see run.sh output).',
        );
        console.log('!! Set GPU_CHECK_ALLOW_SOFTWARE=1 to run on it anyway (local tests with lavapipe).');
        console.log('!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!');
        return 2;
      }
      console.log('  (software adapter allowed by GPU_CHECK_ALLOW_SOFTWARE)');
    }
  } catch (e) {
    report.adapter = { error: messageOf(e) };
    report.status = 'error';
    report.problems.push(`no WebGPU backend: ${messageOf(e)}`);
    console.log(`\n!! FAIL: no WebGPU backend: ${messageOf(e)}`);
    return 2;
  }
  save();
  const software = report.adapter !== undefined && 'software' in report.adapter && report.adapter.software;

  // (b) The conformance suite.
  if (options.phases.has('conformance')) {
    enter('conformance');
    try {
      const s = await runWebGpuConformance(options.testTimeoutMs ?? (software ? 120_000 : 30_000));
      report.conformance = {
        passed: s.passed,
        failed: s.failed,
        skipped: s.skipped,
        seconds: Math.round(s.seconds * 10) / 10,
        failures: s.failures.slice(0, 100),
      };
      for (const f of s.failures.slice(0, 30)) console.log(`  FAILED ${f.name}\n         ${f.error}`);
      if (s.failures.length > 30) console.log(`  … and ${s.failures.length - 30} more (see the JSON)`);
      console.log(`  ${s.seconds.toFixed(1)} s`);
      console.log(`conformance: ${s.passed} passed, ${s.failed} failed`);
      if (s.failed > 0) report.problems.push(`conformance: ${s.failed} failed`);
    } catch (e) {
      report.conformance = { error: messageOf(e) };
      report.problems.push(`conformance crashed: ${messageOf(e)}`);
      console.log(`  ERROR ${messageOf(e)}`);
    }
    save();
  } else report.conformance = { skipped: 'not in GPU_CHECK_PHASES' };

  // (c, d) Timings and memory, on a fresh WebGPU backend and on the CPU backend.
  const workloads: Workload[] = [];
  if (options.phases.has('matmul')) {
    for (const n of options.quick ? [512, 1024] : [512, 1024, 2048]) workloads.push(matmulWorkload(n));
  }
  if (options.phases.has('training')) workloads.push(lenetWorkload, mlpWorkload);
  if (workloads.length > 0) {
    enter('timing');
    core.registerBackend('cpu', () => createCpuBackend());
    await core.setBackend('cpu');
    await core.removeBackend(CONFORMANCE_BACKEND);
    core.registerBackend('webgpu', () => createWebGpuBackend());
    for (const w of workloads) {
      for (const backend of ['cpu', 'webgpu']) {
        if (elapsed() > options.budgetSeconds) {
          report.skipped.push(`${w.id} on ${backend}: over the ${options.budgetSeconds} s budget`);
          console.log(`  ${w.id.padEnd(12)} ${backend.padEnd(7)} SKIPPED (over the time budget)`);
          continue;
        }
        report.phase = `timing ${w.id} on ${backend}`;
        report.cases.push(await runCase(w, backend));
        save();
      }
    }
  }

  for (const c of report.cases) {
    if (c.error) report.problems.push(`${c.id} on ${c.backend}: ${c.error}`);
    else if (!c.memoryOk) report.problems.push(`${c.id} on ${c.backend}: memory not back to baseline`);
  }
  if (unhandled.length > 0) report.problems.push(...unhandled.slice(0, 10).map((u) => `unhandled: ${u}`));
  return report.problems.length === 0 ? 0 : 1;
}

function printSummary(): void {
  console.log('\n== summary');
  const a = report.adapter;
  if (a && 'vendor' in a) console.log(`  adapter: ${a.backend}`);
  const c = report.conformance;
  if (c && 'passed' in c)
    console.log(`  conformance: ${c.passed} passed, ${c.failed} failed (${c.seconds} s)`);
  if (report.cases.length > 0) for (const line of timingTable(report.cases)) console.log(line);
  if (report.cases.length > 0) {
    const ok = report.cases.filter((x) => x.memoryOk).length;
    console.log(`  memory back to baseline: ${ok}/${report.cases.length} cases`);
  }
  for (const s of report.skipped) console.log(`  skipped: ${s}`);
  for (const p of report.problems) console.log(`  PROBLEM: ${p}`);
}

async function shutDown(): Promise<void> {
  // Destroy the devices before exiting; bounded, in case a driver hangs on the way out.
  const dispose = (async () => {
    if (core.getBackendName() === 'webgpu') await core.setBackend('cpu').catch(() => undefined);
    await core.removeBackend('webgpu').catch(() => undefined);
    await core.removeBackend(CONFORMANCE_BACKEND).catch(() => undefined);
  })();
  await Promise.race([dispose, new Promise((r) => setTimeout(r, 10_000))]);
}

let code: number;
try {
  code = await main();
  if (report.status === 'running') report.status = code === 0 ? 'ok' : 'failed';
} catch (e) {
  code = 4;
  report.status = 'error';
  report.problems.push(`crashed in ${report.phase}: ${messageOf(e)}`);
  console.log(`\ngpu-check: CRASHED in ${report.phase}: ${(e as Error)?.stack ?? messageOf(e)}`);
}
report.phase = 'done';
printSummary();
await shutDown();
clearTimeout(watchdog);
finish(code);
