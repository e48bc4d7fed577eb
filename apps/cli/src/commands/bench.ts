/**
 * `myelin bench`: the same training workload (same model, same seed, same batches) on every backend that
 * runs here, side by side. The initial loss column shows the backends agree before any step is timed.
 */
import { getBackend, manualSeed, noGrad, type Tensor, tensor, tidy } from '@myelin/core';
import { crossEntropy } from '@myelin/layers';
import { Adam } from '@myelin/optim';
import { type Command, Option } from 'commander';
import { activate, BACKEND_NAMES, type BackendName, surveyBackends } from '../backends/setup.js';
import { loadDataset } from '../data/datasets.js';
import { EXIT, usageError } from '../errors.js';
import type { Wrap } from '../main.js';
import { buildModel } from '../model/build.js';
import { architectureFor, resolveFor } from '../model/load.js';
import { modelCost } from '../model/spec.js';
import { positiveInt, positiveNumber } from '../options.js';
import { count, rate } from '../output/format.js';
import type { Output } from '../output/output.js';
import { table } from '../output/table.js';

interface BenchFlags {
  model: string;
  dataset: string;
  batchSize: number;
  steps: number;
  maxSeconds: number;
  backends?: string;
}

interface BenchRow {
  backend: string;
  available: boolean;
  reason: string | null;
  description: string | null;
  trainSamplesPerSecond: number | null;
  inferenceSamplesPerSecond: number | null;
  msPerStep: number | null;
  steps: number;
  initialLoss: number | null;
  speedupVsCpu: number | null;
}

const WARMUP_STEPS = 3;
const WARMUP_SECONDS = 1.5;

export function registerBenchCommand(program: Command, wrap: Wrap): void {
  program
    .command('bench')
    .description('time the same training workload on every available backend, side by side')
    .addOption(new Option('-m, --model <preset|file.json>', 'model').default('mlp'))
    .addOption(
      new Option('-d, --dataset <name|file>', 'dataset whose samples feed the model').default('digits'),
    )
    .addOption(new Option('--batch-size <n>', 'samples per step').argParser(positiveInt).default(64))
    .addOption(
      new Option('--steps <n>', 'timed training steps per backend').argParser(positiveInt).default(50),
    )
    .addOption(
      new Option('--max-seconds <s>', 'stop timing a backend after this long (slow software GPUs)')
        .argParser(positiveNumber)
        .default(10),
    )
    .addOption(
      new Option(
        '--backends <list>',
        `comma-separated subset of: ${BACKEND_NAMES.join(', ')} (default: all)`,
      ),
    )
    .addHelpText(
      'after',
      `
Examples:
  $ myelin bench                                  MLP on digits, batch 64, on cpu, worker and webgpu
  $ myelin bench -m lenet -d fashion-mnist --steps 20
  $ myelin bench --backends cpu,worker --json

Each backend: warm-up steps (at least ${WARMUP_STEPS} and ${WARMUP_SECONDS} s), then up to --steps timed steps (Adam, cross-entropy), then
forward passes for the inference rate. Unavailable backends are listed with the reason.`,
    )
    .action(
      wrap<BenchFlags>(async (flags, out, ctx) => {
        const wanted = parseBackendList(flags.backends);
        const data = await loadDataset(flags.dataset, { limit: Math.max(flags.batchSize * 4, 256) });
        const arch = architectureFor(flags.model, data.classes, {
          activation: 'relu',
          dropout: 0,
          batchNorm: false,
        });
        const layers = resolveFor(arch, data.inputShape, data.classes, data.name, flags.model);
        const cost = modelCost(layers);
        const infos = (await surveyBackends()).filter((i) => wanted.includes(i.name as BackendName));
        const rows: BenchRow[] = [];
        const { c } = out;
        out.line(
          `${c.bold('myelin bench')} ${c.dim('·')} ${arch.name} (${count(cost.params)} parameters) on ${data.name} samples [${data.inputShape.join(',')}] ${c.dim('·')} batch ${flags.batchSize} ${c.dim('·')} Adam`,
        );
        for (const info of infos) {
          if (ctx.signal.aborted) break;
          if (!info.available) {
            rows.push(emptyRow(info.name, false, info.reason ?? 'unknown reason', null));
            continue;
          }
          if (out.live) out.note(`  timing ${info.name}…`);
          try {
            rows.push(
              await benchOne(
                info.name as BackendName,
                info.description ?? null,
                layers,
                data.train,
                data.inputShape,
                flags,
                ctx.signal,
              ),
            );
          } catch (error) {
            rows.push(
              emptyRow(
                info.name,
                false,
                `failed: ${(error as Error).message.split('\n')[0]}`,
                info.description ?? null,
              ),
            );
          }
        }
        const cpu = rows.find((r) => r.backend === 'cpu')?.trainSamplesPerSecond;
        for (const r of rows)
          if (cpu && r.trainSamplesPerSecond) r.speedupVsCpu = r.trainSamplesPerSecond / cpu;
        out.emitJson({
          ok: true,
          command: 'bench',
          workload: {
            model: arch.name,
            dataset: data.name,
            inputShape: data.inputShape,
            parameters: cost.params,
            batchSize: flags.batchSize,
            optimizer: 'adam',
          },
          results: rows,
        });
        printBench(out, rows);
        return ctx.signal.aborted ? EXIT.interrupted : EXIT.ok;
      }),
    );
}

function parseBackendList(list: string | undefined): BackendName[] {
  if (list === undefined) return [...BACKEND_NAMES];
  const names = list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const n of names) {
    if (!(BACKEND_NAMES as readonly string[]).includes(n))
      throw usageError(
        `unknown backend '${n}' in --backends`,
        `use a comma-separated subset of: ${BACKEND_NAMES.join(', ')}`,
      );
  }
  return names as BackendName[];
}

function emptyRow(
  backend: string,
  available: boolean,
  reason: string | null,
  description: string | null,
): BenchRow {
  return {
    backend,
    available,
    reason,
    description,
    trainSamplesPerSecond: null,
    inferenceSamplesPerSecond: null,
    msPerStep: null,
    steps: 0,
    initialLoss: null,
    speedupVsCpu: null,
  };
}

async function benchOne(
  name: BackendName,
  description: string | null,
  layers: ReturnType<typeof resolveFor>,
  data: { x: Float32Array; y: Int32Array; n: number },
  inputShape: number[],
  flags: BenchFlags,
  signal: AbortSignal,
): Promise<BenchRow> {
  await activate(name);
  const backend = getBackend();
  manualSeed(0);
  const model = buildModel(layers, 'default');
  const optimizer = new Adam(model.parameters(), { lr: 1e-3 });
  const row = Math.round(data.x.length / data.n);
  const batchCount = Math.max(1, Math.min(4, Math.floor(data.n / flags.batchSize)));
  const size = Math.min(flags.batchSize, data.n);
  const batches: { x: Tensor; y: Tensor }[] = [];
  for (let b = 0; b < batchCount; b++) {
    batches.push({
      x: tensor(data.x.slice(b * size * row, (b + 1) * size * row), { shape: [size, ...inputShape] }),
      y: tensor(data.y.slice(b * size, (b + 1) * size), { dtype: 'int32' }),
    });
  }
  try {
    const first = batches[0] as { x: Tensor; y: Tensor };
    const initial = noGrad(() => tidy(() => crossEntropy(model.forward(first.x), first.y)));
    const initialLoss = (await initial.data())[0] as number;
    initial.dispose();
    const step = (i: number): Tensor => {
      const b = batches[i % batches.length] as { x: Tensor; y: Tensor };
      return tidy(() => {
        optimizer.zeroGrad();
        const loss = crossEntropy(model.forward(b.x), b.y);
        loss.backward();
        optimizer.step();
        return loss.detach();
      });
    };
    // Warm up until the JIT has settled: at least WARMUP_STEPS steps and WARMUP_SECONDS (a JS backend
    // runs its first hundred steps several times slower), within a quarter of the time budget.
    const warmupStarted = performance.now();
    const warmupLimit = Math.min(WARMUP_SECONDS, flags.maxSeconds / 4) * 1000;
    for (let i = 0; i < WARMUP_STEPS || performance.now() - warmupStarted < warmupLimit; i++) {
      const l = step(i);
      await l.data();
      l.dispose();
      if (signal.aborted) break;
    }
    const started = performance.now();
    let steps = 0;
    let last: Tensor | undefined;
    while (steps < flags.steps && !signal.aborted) {
      last?.dispose();
      last = step(steps);
      steps++;
      // Read the loss now and then: it waits for queued backends, so the clock stays honest.
      if (steps % 10 === 0 || steps === flags.steps) {
        await last.data();
        if ((performance.now() - started) / 1000 > flags.maxSeconds) break;
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    if (last) {
      await last.data();
      last.dispose();
    }
    await backend.sync?.();
    const trainSeconds = (performance.now() - started) / 1000;

    model.eval();
    const inferStarted = performance.now();
    let inferred = 0;
    while (!signal.aborted) {
      const b = batches[inferred % batches.length] as { x: Tensor; y: Tensor };
      const out = noGrad(() => model.forward(b.x));
      await out.data();
      out.dispose();
      inferred += 1;
      if (inferred >= 20 || performance.now() - inferStarted > Math.min(2000, flags.maxSeconds * 500)) break;
    }
    const inferSeconds = (performance.now() - inferStarted) / 1000;
    return {
      backend: name,
      available: true,
      reason: null,
      description,
      trainSamplesPerSecond: (steps * size) / trainSeconds,
      inferenceSamplesPerSecond: (inferred * size) / inferSeconds,
      msPerStep: (trainSeconds * 1000) / Math.max(1, steps),
      steps,
      initialLoss,
      speedupVsCpu: null,
    };
  } finally {
    for (const b of batches) {
      b.x.dispose();
      b.y.dispose();
    }
    model.dispose();
    optimizer.dispose();
  }
}

function printBench(out: Output, rows: BenchRow[]): void {
  const { c } = out;
  out.line(
    table(
      out,
      ['backend', 'train samples/s', 'ms/step', 'vs cpu', 'inference samples/s', 'initial loss', 'steps'],
      rows.map((r) =>
        r.available
          ? [
              c.green(r.backend),
              rate(r.trainSamplesPerSecond ?? 0),
              (r.msPerStep ?? 0).toFixed(2),
              r.speedupVsCpu ? `${r.speedupVsCpu.toFixed(2)}×` : '—',
              rate(r.inferenceSamplesPerSecond ?? 0),
              (r.initialLoss ?? Number.NaN).toFixed(5),
              String(r.steps),
            ]
          : [c.red(r.backend), c.dim('unavailable'), '—', '—', '—', '—', '—'],
      ),
      ['left', 'right', 'right', 'right', 'right', 'right', 'right'],
    ),
  );
  for (const r of rows) {
    const detail = r.available ? (r.description ?? '') : (r.reason ?? '');
    out.note(`  ${detail.startsWith(`${r.backend}:`) ? detail : `${r.backend}: ${detail}`}`);
  }
}
