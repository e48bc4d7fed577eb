/**
 * Runs a recipe: Myelin through the built `myelin` command (apps/cli/dist/cli.js), PyTorch through
 * tools/bench/recipes/torch_recipes.py with a Python that has Debian's python3-torch.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Recipe, SeedRun } from './catalog.js';

type Progress = (message: string) => void;

/** Runs a child process to its end; rejects with its stderr's tail if it fails. */
function runChild(
  cmd: string,
  args: string[],
  cwd: string,
  onLine?: (line: string) => void,
): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let pending = '';
    child.stdout.on('data', (chunk: Buffer) => {
      const text = chunk.toString();
      out += text;
      if (!onLine) return;
      pending += text;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) onLine(line);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      err += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolvePromise(out);
      else
        reject(
          new Error(
            `${cmd} ${args.join(' ')} exited with ${code}: ${err.trim().split('\n').slice(-5).join(' | ')}`,
          ),
        );
    });
  });
}

/** The parts of `myelin train --json` that a recipe reads. */
interface TrainJson {
  test: { accuracy: number };
  seconds: { training: number };
  samplesPerSecond: number;
}

/** One seed of a recipe on Myelin: a run per checkpoint, each resuming the previous one's checkpoint. */
export async function runMyelin(
  root: string,
  recipe: Recipe,
  seed: number,
  progress: Progress,
): Promise<SeedRun> {
  const dir = mkdtempSync(join(tmpdir(), `myelin-recipe-${recipe.id}-`));
  const checkpoint = join(dir, 'model.safetensors');
  const run: SeedRun = { seed, accuracy: [], trainSeconds: [], samplesPerSecond: 0 };
  let seconds = 0;
  let samplesPerSecond = 0;
  try {
    for (const [k, epochs] of recipe.epochs.entries()) {
      const args = [
        'apps/cli/dist/cli.js',
        'train',
        ...recipe.cliArgs,
        '-b',
        recipe.backend,
        '--seed',
        String(seed),
        '-e',
        String(epochs),
        '--val-split',
        '0',
        '--no-plot',
        '--json',
        '--save',
        checkpoint,
        ...(k > 0 ? ['--resume', checkpoint] : []),
      ];
      const report = JSON.parse(await runChild(process.execPath, args, root)) as TrainJson;
      seconds += report.seconds.training;
      samplesPerSecond = report.samplesPerSecond;
      run.accuracy.push(report.test.accuracy);
      run.trainSeconds.push(seconds);
      progress(
        `  myelin seed ${seed}, epoch ${epochs}: test ${(report.test.accuracy * 100).toFixed(2)} %, ${seconds.toFixed(1)} s training, ${Math.round(samplesPerSecond)} samples/s`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  run.samplesPerSecond = samplesPerSecond;
  return run;
}

/** A Python that imports torch (Debian's python3-torch lives under /usr/bin/python3), or why there is none. */
export function findTorchPython(): { python: string } | { skipped: string } {
  for (const python of ['/usr/bin/python3', 'python3']) {
    const probe = spawnSync(python, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8' });
    if (probe.status === 0) return { python };
  }
  return { skipped: 'no python3 with torch here (install Debian’s python3-torch)' };
}

/** The PyTorch version a Python reports. */
export function torchVersion(python: string): string {
  const probe = spawnSync(python, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8' });
  return probe.stdout.trim();
}

interface TorchLine {
  seed: number;
  epoch: number;
  test_accuracy: number;
  seconds: number;
  samples_per_second: number;
}

/** Every seed of a recipe on PyTorch (one process; one JSON line per seed and epoch). */
export async function runTorch(
  root: string,
  python: string,
  recipe: Recipe,
  progress: Progress,
): Promise<SeedRun[]> {
  const runs = new Map<number, SeedRun>();
  const last = recipe.epochs.at(-1) as number;
  await runChild(
    python,
    [
      'tools/bench/recipes/torch_recipes.py',
      recipe.torch as string,
      '--seeds',
      recipe.seeds.join(','),
      '--epochs',
      String(last),
    ],
    root,
    (line) => {
      if (!line.startsWith('{')) return;
      const l = JSON.parse(line) as TorchLine;
      if (!recipe.epochs.includes(l.epoch)) return;
      let run = runs.get(l.seed);
      if (!run) {
        run = { seed: l.seed, accuracy: [], trainSeconds: [], samplesPerSecond: 0 };
        runs.set(l.seed, run);
      }
      run.accuracy.push(l.test_accuracy);
      run.trainSeconds.push(l.seconds);
      run.samplesPerSecond = l.samples_per_second;
      progress(
        `  pytorch seed ${l.seed}, epoch ${l.epoch}: test ${(l.test_accuracy * 100).toFixed(2)} %, ${l.seconds.toFixed(1)} s training`,
      );
    },
  );
  return [...runs.values()];
}

/** PyTorch's training throughput (samples/s) on the bench's MLP and LeNet-style cases, random data. */
export interface TorchThroughput {
  mlp: number;
  lenet: number;
}

/** Runs `torch_recipes.py throughput` (about 10 s). */
export async function runTorchThroughput(root: string, python: string): Promise<TorchThroughput> {
  const out = await runChild(python, ['tools/bench/recipes/torch_recipes.py', 'throughput'], root);
  const result: Partial<TorchThroughput> = {};
  for (const line of out.split('\n')) {
    if (!line.startsWith('{')) continue;
    const l = JSON.parse(line) as { model: keyof TorchThroughput; samples_per_second: number };
    result[l.model] = l.samples_per_second;
  }
  if (result.mlp === undefined || result.lenet === undefined)
    throw new Error(`torch_recipes.py throughput printed no result: ${out.slice(0, 200)}`);
  return result as TorchThroughput;
}
