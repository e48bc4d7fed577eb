/**
 * `pnpm --filter @myelin/bench recipes [--only digits-mlp,fashion-lenet] [--no-torch] [--out FILE]`:
 * trains the accuracy recipes of docs/benchmarks.md with `myelin train` and with PyTorch, prints progress
 * to stderr and rewrites the "Training recipes" block of docs/benchmarks.md (the rest of it is left as
 * `bench` wrote it). Needs `pnpm build` first (it runs apps/cli/dist/cli.js). Takes about half an hour.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { messageOf } from './engines/engine.js';
import { repoRoot } from './paths.js';
import { RECIPES, type RecipeResult, type RecipeRunInfo, type SeedRun } from './recipes/catalog.js';
import { renderRecipes, type StoredThroughput, spliceRecipes } from './recipes/report.js';
import { findTorchPython, runMyelin, runTorch, runTorchThroughput, torchVersion } from './recipes/run.js';
import { machineInfo } from './report/machine.js';

const USAGE = `Usage: pnpm --filter @myelin/bench recipes [options]

Trains the recipes (${RECIPES.map((r) => r.id).join(', ')}) with \`myelin train\` and with PyTorch
(Debian's python3-torch), and writes their block of docs/benchmarks.md. Run \`pnpm build\` first.

Options:
  --only a,b      only these recipes (torch-throughput: PyTorch on the bench's training cases)
  --no-torch      skip the PyTorch reference runs
  --out FILE      the Markdown file whose recipes block is rewritten (default docs/benchmarks.md)
  -h, --help      this text`;

const started = performance.now();

/** `--only` name of the PyTorch throughput measurement. */
const THROUGHPUT_ID = 'torch-throughput';

/** What tools/bench/results/recipes.json keeps of each recipe's latest run. */
interface StoredResult {
  id: string;
  myelin: SeedRun[];
  torch: SeedRun[] | { skipped: string };
  info: RecipeRunInfo;
}

/** Writes `text` to `path` atomically (temporary file, then rename). */
function writeAtomic(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

interface StoreFile {
  results: StoredResult[];
  throughput: StoredThroughput | null;
}

function loadStored(path: string): StoreFile {
  if (!existsSync(path)) return { results: [], throughput: null };
  try {
    const data = JSON.parse(readFileSync(path, 'utf8')) as Partial<StoreFile>;
    return {
      results: Array.isArray(data.results) ? data.results : [],
      throughput: data.throughput ?? null,
    };
  } catch (err) {
    progress(`ignoring ${path}: ${messageOf(err)}`);
    return { results: [], throughput: null };
  }
}

function progress(message: string): void {
  const secs = ((performance.now() - started) / 1000).toFixed(0).padStart(5);
  process.stderr.write(`[${secs} s] ${message}\n`);
}

interface Args {
  only: string[];
  torch: boolean;
  out?: string;
  help: boolean;
}

function parseArgs(argv: readonly string[]): Args {
  const args: Args = { only: [], torch: true, help: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '--') continue;
    else if (a === '--only') args.only = (argv[++i] ?? '').split(',').filter(Boolean);
    else if (a === '--no-torch') args.torch = false;
    else if (a === '--out') args.out = argv[++i];
    else if (a === '-h' || a === '--help') args.help = true;
    else throw new Error(`unknown argument '${a}'`);
  }
  const unknown = args.only.filter((id) => id !== THROUGHPUT_ID && !RECIPES.some((r) => r.id === id));
  if (unknown.length > 0)
    throw new Error(`unknown recipe '${unknown.join(', ')}'; known: ${RECIPES.map((r) => r.id).join(', ')}`);
  return args;
}

async function main(): Promise<number> {
  let args: Args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`recipes: ${messageOf(err)}\n\n${USAGE}\n`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const root = repoRoot();
  if (!existsSync(join(root, 'apps/cli/dist/cli.js'))) {
    process.stderr.write('recipes: apps/cli/dist/cli.js is missing: run `pnpm build` first\n');
    return 2;
  }
  const torch = args.torch ? findTorchPython() : { skipped: 'skipped with --no-torch' };
  if ('skipped' in torch) progress(`PyTorch: ${torch.skipped}`);
  const recipes = RECIPES.filter((r) => args.only.length === 0 || args.only.includes(r.id));
  const storePath = join(root, 'tools', 'bench', 'results', 'recipes.json');
  const file = loadStored(storePath);
  const stored = new Map(file.results.map((r) => [r.id, r]));
  let throughput = file.throughput;
  const save = () =>
    writeAtomic(storePath, `${JSON.stringify({ results: [...stored.values()], throughput }, null, 1)}\n`);
  const version = 'python' in torch ? torchVersion(torch.python) : null;
  for (const recipe of recipes) {
    const loadStart = os.loadavg()[0] ?? 0;
    progress(`${recipe.id}: ${recipe.title}`);
    const myelin = [];
    for (const seed of recipe.seeds) myelin.push(await runMyelin(root, recipe, seed, progress));
    const reference =
      recipe.torch && 'python' in torch
        ? await runTorch(root, torch.python, recipe, progress)
        : { skipped: 'skipped' in torch ? torch.skipped : 'no PyTorch recipe' };
    const m = machineInfo(root, loadStart);
    const info: RecipeRunInfo = {
      date: m.date,
      commit: m.commit,
      loadStart,
      loadEnd: m.loadEnd,
      torchVersion: 'skipped' in reference ? null : version,
    };
    const result: RecipeResult = { recipe, myelin, torch: reference, info };
    const verdict = recipe.judge(result);
    progress(`${recipe.id}: ${verdict.met ? 'MET' : 'NOT MET'} — ${verdict.detail}`);
    stored.set(recipe.id, { id: recipe.id, myelin, torch: reference, info });
    // Saved after each recipe, so a long run that is stopped keeps what it finished.
    save();
  }
  if ('python' in torch && (args.only.length === 0 || args.only.includes(THROUGHPUT_ID))) {
    progress('PyTorch throughput on the bench cases (MLP, LeNet-style)');
    const t = await runTorchThroughput(root, torch.python);
    throughput = { date: machineInfo(root, 0).date, torchVersion: version ?? '', ...t };
    progress(`  pytorch: MLP ${Math.round(t.mlp)} samples/s, LeNet-style ${Math.round(t.lenet)} samples/s`);
    save();
  }
  const results: RecipeResult[] = RECIPES.flatMap((recipe) => {
    const s = stored.get(recipe.id);
    return s ? [{ recipe, myelin: s.myelin, torch: s.torch, info: s.info }] : [];
  });
  const out = args.out ? resolve(args.out) : join(root, 'docs', 'benchmarks.md');
  const doc = existsSync(out) ? readFileSync(out, 'utf8') : '# Benchmarks\n';
  writeAtomic(out, spliceRecipes(doc, renderRecipes(machineInfo(root, 0), results, throughput)));
  progress(`wrote ${out} and ${storePath}`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`recipes: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
