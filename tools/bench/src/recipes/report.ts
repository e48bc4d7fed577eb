/**
 * The "Training recipes" section of docs/benchmarks.md. It sits between two markers so that each harness
 * rewrites only its own part: `bench` (throughput) keeps this block as it is, `recipes` replaces it.
 */
import type { MachineInfo } from '../report/machine.js';
import { mean, type RecipeResult, type SeedRun } from './catalog.js';

export const BEGIN = '<!-- recipes:begin (written by `pnpm --filter @myelin/bench recipes`) -->';
export const END = '<!-- recipes:end -->';

/** The recipes block of a document, markers included, or '' if it has none. */
export function recipesBlock(doc: string): string {
  const start = doc.indexOf(BEGIN);
  const stop = doc.indexOf(END);
  return start >= 0 && stop > start ? doc.slice(start, stop + END.length) : '';
}

/** `doc` with its recipes block replaced by `block` (appended if it had none). */
export function spliceRecipes(doc: string, block: string): string {
  const old = recipesBlock(doc);
  if (old) return doc.replace(old, block);
  return `${doc.trimEnd()}\n\n${block}\n`;
}

const pct = (a: number) => `${(a * 100).toFixed(2)} %`;
const spread = (xs: number[]) => (xs.length > 1 ? ` (${pct(Math.min(...xs))}–${pct(Math.max(...xs))})` : '');

function accuracyCell(runs: SeedRun[], k: number): string {
  const xs = runs.map((r) => r.accuracy[k] as number);
  return `${pct(mean(xs))}${spread(xs)}`;
}

function timeCell(runs: SeedRun[], k: number): string {
  return `${mean(runs.map((r) => r.trainSeconds[k] as number)).toFixed(1)} s`;
}

/** PyTorch's throughput on the bench's training cases, as stored. */
export interface StoredThroughput {
  date: string;
  torchVersion: string;
  mlp: number;
  lenet: number;
}

/** The Markdown block for the recipes' latest results (`results` in catalog order). */
export function renderRecipes(
  machine: MachineInfo,
  results: RecipeResult[],
  throughput: StoredThroughput | null = null,
): string {
  const m = machine;
  const lines: string[] = [
    BEGIN,
    '## Training recipes: accuracy against PyTorch',
    '',
    `Written by \`pnpm --filter @myelin/bench recipes\` on ${m.cpu} (${m.cores} logical cores), ${m.memoryGiB} GiB, ${m.os}, Node ${m.node}; each recipe below says when it was last run (\`--only\` reruns some and keeps the others' results, stored in tools/bench/results/recipes.json).`,
    '',
    `Myelin trains through the \`myelin train\` command (apps/cli), which a user runs; the reference is PyTorch (Debian's python3-torch, one thread) running tools/bench/recipes/torch_recipes.py on the same data (Fashion-MNIST pixels / 255, digits counts / 16), architecture (its default initialisation), optimiser, batch size and epochs, with a fresh shuffle each epoch and no augmentation. Test accuracy is read after the epochs listed (a run resumes from the previous checkpoint for the next one, which the checkpoint tests show to be exact). Time is training only: data loading and evaluation excluded. Seeds differ between the libraries (their random streams do), so compare means and ranges.`,
    '',
    '| recipe | target | measured | status |',
    '| --- | --- | --- | --- |',
  ];
  for (const r of results) {
    const j = r.recipe.judge(r);
    lines.push(
      `| ${r.recipe.id} | ${r.recipe.target} | ${j.detail} | ${j.met ? '**met**' : '**not met**'} |`,
    );
  }
  for (const r of results) {
    const i = r.info;
    lines.push('', `### ${r.recipe.id}: ${r.recipe.title}`, '');
    lines.push(
      `Run ${i.date}, commit ${i.commit}, load average ${i.loadStart.toFixed(2)} at the start and ${i.loadEnd.toFixed(2)} at the end; PyTorch ${i.torchVersion ?? 'not measured'}.`,
      '',
    );
    lines.push(
      `Myelin: \`myelin train ${r.recipe.cliArgs.join(' ')} -b ${r.recipe.backend} --val-split 0 --seed S -e E\`, seeds ${r.recipe.seeds.join(', ')}.`,
      '',
      '| epochs | Myelin test accuracy (mean, range) | Myelin training time | PyTorch test accuracy | PyTorch training time |',
      '| --- | --- | --- | --- | --- |',
    );
    for (const [k, e] of r.recipe.epochs.entries()) {
      const torch = 'skipped' in r.torch ? null : r.torch;
      lines.push(
        `| ${e} | ${accuracyCell(r.myelin, k)} | ${timeCell(r.myelin, k)} | ${torch ? accuracyCell(torch, k) : '—'} | ${torch ? timeCell(torch, k) : '—'} |`,
      );
    }
    const sps = mean(r.myelin.map((s) => s.samplesPerSecond));
    const torchNote =
      'skipped' in r.torch
        ? `PyTorch not measured: ${r.torch.skipped}.`
        : `PyTorch ${Math.round(mean(r.torch.map((s) => s.samplesPerSecond))).toLocaleString('en-US')} samples/s.`;
    lines.push(
      '',
      `Training throughput over the run: Myelin (${r.recipe.backend} backend) ${Math.round(sps).toLocaleString('en-US')} samples/s; ${torchNote}`,
    );
  }
  if (throughput) {
    const n = (v: number) => Math.round(v).toLocaleString('en-US');
    lines.push(
      '',
      '### PyTorch on the throughput cases',
      '',
      `The reference for the "MLP training" and "LeNet-style CNN training" tables above (same models, batch 64, Adam 1e-3, random data, one fixed batch): PyTorch ${throughput.torchVersion}, one thread, \`torch_recipes.py throughput\`, run ${throughput.date}. Median of 7 runs.`,
      '',
      '| case | PyTorch samples/s |',
      '| --- | --- |',
      `| MLP 784-128-64-10 | ${n(throughput.mlp)} |`,
      `| LeNet-style CNN | ${n(throughput.lenet)} |`,
    );
  }
  lines.push(END);
  return lines.join('\n');
}
