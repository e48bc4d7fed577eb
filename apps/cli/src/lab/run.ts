/**
 * What `myelin lab` does: list the experiments, run one (print it, write its figures), or run them all
 * and write the Markdown report. Imported only by the `lab` command, on demand, so the lab's code loads
 * only when the lab is used.
 */
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { type Experiment, experiments, type LabResult, renderMarkdownReport } from '@myelin/lab';
import { type BackendChoice, selectBackend, type Workload } from '../backends/setup.js';
import { timestamp } from '../checkpoint/paths.js';
import { EXIT, type ExitCode, usageError } from '../errors.js';
import { displayPath, duration, padEnd } from '../output/format.js';
import type { Output } from '../output/output.js';
import { table } from '../output/table.js';
import { removeStaleFigures, type WrittenFigure, writeFigures } from './figures.js';
import { printResult, StatusLine } from './print.js';

/** The options of `myelin lab`. */
export interface LabFlags {
  backend: string;
  seed: number;
  quick: boolean;
  out?: string;
  /** `lab all --only a,b`: these experiments, in this order, instead of all. */
  only?: string;
}

/**
 * The lab's models are small (MLPs and small CNNs on 8×8 digits and 2-D points, batches of 32 to 128):
 * for `--backend auto` this is the workload of its largest layer, so `auto` decides as it would for
 * `myelin train` on such a model (a real GPU, else the CPU: too small for threads).
 */
const LAB_WORKLOAD: Workload = { macsPerSample: 50_000, largestLayerMacs: 8_192, batchSize: 64 };

/** Thrown from the progress callback after Ctrl-C: the experiment stops at its next progress report. */
class Stopped extends Error {}

/** The names, titles and claims of every experiment, for `lab list` and the `--json` document. */
function catalogue(): { name: string; title: string; claim: string }[] {
  return experiments.map((e) => ({ name: e.name, title: e.title, claim: e.claim }));
}

/** `myelin lab list`: every experiment with its claim. */
export function listExperiments(out: Output): ExitCode {
  out.emitJson({ ok: true, command: 'lab list', experiments: catalogue() });
  const claimWidth = Math.max(30, Math.min(out.columns, 140) - 30);
  out.line(
    table(
      out,
      ['experiment', 'what it shows'],
      experiments.map((e) => [
        out.c.cyan(e.name),
        `${out.c.bold(e.title)}\n${wrapPlain(e.claim, claimWidth)}`,
      ]),
    ),
  );
  out.line();
  out.note(
    "Run one with 'myelin lab <experiment>' (--quick for a smaller, faster run), or all of them with 'myelin lab all'.",
  );
  return EXIT.ok;
}

function wrapPlain(text: string, width: number): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines.join('\n');
}

/** The experiment called `name`, or a usage error (exit 2) that lists them. */
export function findExperiment(name: string): Experiment {
  const experiment = experiments.find((e) => e.name === name);
  if (!experiment) {
    throw usageError(
      `unknown experiment '${name}'`,
      `the lab's experiments are: ${experiments.map((e) => e.name).join(', ')} (or 'all'; see 'myelin lab list')`,
    );
  }
  return experiment;
}

/** The output folder: `--out`, or a fresh `runs/lab-<time>/`; created here. */
async function outputDir(out: string | undefined): Promise<string> {
  let dir: string;
  if (out) dir = resolve(out);
  else {
    const base = resolve('runs', `lab-${timestamp(new Date())}`);
    dir = base;
    for (let n = 2; existsSync(dir); n++) dir = `${base}-${n}`;
  }
  try {
    await mkdir(dir, { recursive: true });
  } catch (error) {
    throw usageError(
      `cannot create the folder ${dir} for the lab's files (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
      'pass --out DIR somewhere writable',
    );
  }
  return dir;
}

function header(out: Output, what: string, flags: LabFlags, backend: BackendChoice): void {
  const { c } = out;
  out.line(
    `${c.bold('myelin lab')} ${c.dim('·')} ${c.cyan(what)} ${c.dim('·')} seed ${flags.seed}${flags.quick ? ` ${c.dim('·')} quick` : ''}`,
  );
  out.line(
    `  backend ${c.green(backend.name)}${backend.description && backend.description !== backend.name ? c.dim(` (${backend.description})`) : ''} ${c.dim('—')} ${backend.requested === 'auto' ? `auto: ${backend.why}` : backend.why}`,
  );
  for (const other of backend.others) out.note(`    not ${other.name}: ${other.why}`);
  out.line();
}

/** Lets signals in: a run of synchronous CPU kernels never yields to the event loop otherwise. */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Runs one experiment, reporting progress on the status line. Ctrl-C is seen between experiments and at
 * the experiment's progress reports that follow an await; an experiment on the CPU backend does not yield
 * while it computes, so the first Ctrl-C takes effect when it ends (`Stopped` is thrown then).
 */
async function runExperiment(
  experiment: Experiment,
  flags: LabFlags,
  status: StatusLine,
  signal: AbortSignal,
  prefix: string,
): Promise<LabResult> {
  await yieldToEventLoop();
  if (signal.aborted) throw new Stopped();
  status.show(`${prefix}${experiment.name} …`);
  const result = await experiment.run({
    seed: flags.seed,
    quick: flags.quick,
    onProgress: (p) => {
      if (signal.aborted) throw new Stopped();
      status.show(`${prefix}${experiment.name}  ${p.done}/${p.total}  ${p.message}`);
    },
  });
  await yieldToEventLoop();
  if (signal.aborted) throw new Stopped();
  return result;
}

function figuresJson(figures: readonly WrittenFigure[]) {
  return figures.map((f) => ({ title: f.title, kind: f.kind, svg: f.svg, png: f.png }));
}

/**
 * `myelin lab <name>`: runs it on the chosen backend, prints claim, setup, table and reading, and writes
 * into the output folder its figures (SVG and PNG), `<name>.md` (the report of this one run) and
 * `<name>.json` (the full result).
 */
export async function runOne(
  name: string,
  flags: LabFlags,
  out: Output,
  signal: AbortSignal,
): Promise<ExitCode> {
  const experiment = findExperiment(name);
  const backend = await selectBackend(flags.backend, LAB_WORKLOAD);
  header(out, experiment.name, flags, backend);
  const status = new StatusLine(out);
  let result: LabResult;
  try {
    result = await runExperiment(experiment, flags, status, signal, '  ');
  } catch (error) {
    status.clear();
    if (error instanceof Stopped) return stopped(out, 'nothing was written');
    throw error;
  }
  status.show(`  ${experiment.name}: drawing the figures …`);
  const dir = await outputDir(flags.out);
  const figures = await writeFigures(result, dir);
  const markdown = join(dir, `${result.name}.md`);
  const json = join(dir, `${result.name}.json`);
  await writeFile(
    markdown,
    renderMarkdownReport(
      [result],
      { [result.name]: figures.map((f) => relative(dir, f.svg)) },
      {
        title: `Myelin lab: ${result.title}`,
        preamble: `Generated by \`${commandLine(result.name, flags)}\` on Node ${process.versions.node}.`,
      },
    ),
  );
  await writeFile(json, `${JSON.stringify(result, null, 2)}\n`);
  status.clear();

  out.emitJson({
    ok: true,
    command: 'lab',
    result,
    figures: figuresJson(figures),
    files: { dir, markdown, json },
  });
  printResult(out, result);
  out.line();
  const { c } = out;
  out.line(
    `${c.green('✔')} ${result.name} in ${duration(result.run.seconds)} on ${result.run.backend} ${c.dim(`(seed ${result.run.seed}${result.run.quick ? ', quick' : ''})`)}`,
  );
  out.line(
    `  ${c.dim('files')}    ${displayPath(dir)}/: ${figures.length} figure${figures.length === 1 ? '' : 's'} (.svg and .png), ${result.name}.md, ${result.name}.json`,
  );
  return EXIT.ok;
}

/**
 * `myelin lab all`: every experiment, one line each as it finishes, then `<out>/lab.md` (the Markdown
 * report) and its figures in `<out>/lab/`. With `--out docs` this refreshes the repository's docs/lab.md.
 */
export async function runEverything(flags: LabFlags, out: Output, signal: AbortSignal): Promise<ExitCode> {
  const list = flags.only
    ? flags.only
        .split(',')
        .map((n) => n.trim())
        .filter(Boolean)
        .map(findExperiment)
    : experiments;
  if (list.length === 0) throw usageError('--only names no experiment', 'e.g. --only zero-init,dropout');
  const backend = await selectBackend(flags.backend, LAB_WORKLOAD);
  header(
    out,
    list === experiments ? `all ${list.length} experiments` : list.map((e) => e.name).join(', '),
    flags,
    backend,
  );
  const status = new StatusLine(out);
  const results: LabResult[] = [];
  const nameWidth = Math.max(...list.map((e) => e.name.length));
  const started = performance.now();
  const { c } = out;
  const digits = String(list.length).length;
  for (const [i, experiment] of list.entries()) {
    const counter = `[${String(i + 1).padStart(digits)}/${list.length}] `;
    try {
      results.push(await runExperiment(experiment, flags, status, signal, `  ${counter}`));
    } catch (error) {
      status.clear();
      if (error instanceof Stopped) {
        return stopped(out, `${results.length} of ${list.length} experiments done; no report written`);
      }
      throw error;
    }
    status.clear();
    const r = results[results.length - 1] as LabResult;
    out.line(
      `  ${c.dim(counter)}${padEnd(c.cyan(r.name), nameWidth)}  ${duration(r.run.seconds).padStart(6)}  ${c.dim(r.title)}`,
    );
  }

  status.show('  drawing the figures and writing the report …');
  const dir = await outputDir(flags.out);
  const figureDir = join(dir, 'lab');
  await mkdir(figureDir, { recursive: true });
  const figures: Record<string, WrittenFigure[]> = {};
  for (const r of results) figures[r.name] = await writeFigures(r, figureDir);
  const written = Object.values(figures).flat();
  await removeStaleFigures(
    figureDir,
    results.map((r) => r.name),
    new Set(written.flatMap((f) => [f.svg, f.png])),
  );
  const report = join(dir, 'lab.md');
  // The report links the SVGs: sharp at any zoom, and a few kB each; the PNGs sit next to them.
  const links = Object.fromEntries(
    Object.entries(figures).map(([name, list]) => [name, list.map((f) => relative(dir, f.svg))]),
  );
  await writeFile(
    report,
    renderMarkdownReport(results, links, {
      preamble:
        `Generated by \`${commandLine('all', flags)}\` on Node ${process.versions.node}. The numbers are this ` +
        "run's; the tests of @myelin/lab assert the direction and size of each effect over several seeds. " +
        'Each figure is also in `lab/` as a PNG, next to its SVG.',
    }),
  );
  status.clear();
  const seconds = (performance.now() - started) / 1000;

  out.emitJson({
    ok: true,
    command: 'lab all',
    seconds,
    results,
    figures: Object.fromEntries(Object.entries(figures).map(([name, list]) => [name, figuresJson(list)])),
    files: { dir, report, figures: figureDir },
  });
  out.line();
  out.line(
    `${c.green('✔')} ${results.length} experiments in ${duration(seconds)} on ${backend.name} ${c.dim(`(seed ${flags.seed}${flags.quick ? ', quick' : ''})`)}`,
  );
  out.line(`  ${c.dim('report')}   ${displayPath(report)}`);
  out.line(`  ${c.dim('figures')}  ${displayPath(figureDir)}/ (${written.length} figures, .svg and .png)`);
  return EXIT.ok;
}

/** The command that reproduces a run (for the reports' first line). */
function commandLine(what: string, flags: LabFlags): string {
  const parts = ['myelin lab', what, `--seed ${flags.seed}`];
  if (what === 'all' && flags.only) parts.push(`--only ${flags.only}`);
  if (flags.quick) parts.push('--quick');
  if (flags.backend !== 'auto') parts.push(`--backend ${flags.backend}`);
  return parts.join(' ');
}

function stopped(out: Output, what: string): ExitCode {
  out.emitJson({
    ok: false,
    command: 'lab',
    interrupted: true,
    error: { message: `stopped by Ctrl-C; ${what}` },
  });
  out.line(`${out.c.yellow('■')} stopped by Ctrl-C; ${what}`);
  return EXIT.interrupted;
}
