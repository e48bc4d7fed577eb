/**
 * `myelin lab`: listing, one quick experiment (JSON, files), the human output, `lab all` on two quick
 * experiments (report, figures, stale figures removed) and the usage errors. Quick mode and the CPU backend
 * keep the whole file to a few seconds of experiments.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { json, runCli, tempDir } from './helpers.js';

const { dir: tmp, cleanup } = tempDir('myelin-lab-');
afterAll(cleanup);

const EXPERIMENTS = [
  'vanishing-gradients',
  'relu-cost-and-sparsity',
  'dead-relu',
  'zero-init',
  'mse-vs-cross-entropy',
  'regularization',
  'dropout',
  'ensemble',
  'augmentation',
  'batchnorm',
  'conv-vs-dense',
  'pooling-invariance',
];
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

interface Figure {
  title: string;
  kind: 'chart' | 'image';
  svg: string;
  png: string;
}

interface LabResultJson {
  name: string;
  title: string;
  claim: string;
  setup: string;
  reading: string;
  table: { columns: string[]; rows: unknown[][] };
  charts: { title: string }[];
  images?: { title: string }[];
  metrics: Record<string, number>;
  run: { seed: number; quick: boolean; backend: string; seconds: number };
}

function expectFigureFiles(figure: Figure): void {
  expect(readFileSync(figure.svg, 'utf8')).toMatch(/^<svg[\s\S]*<\/svg>\s*$/);
  expect(readFileSync(figure.png).subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
}

describe('myelin lab list', () => {
  it('lists every experiment with its claim', async () => {
    const r = await runCli(['lab', 'list']);
    expect(r.code).toBe(0);
    for (const name of EXPERIMENTS) expect(r.stdout).toContain(name);
    expect(r.stdout).toContain('Zero or constant initialisation never breaks the symmetry');
    expect(r.stdout).toContain('every hidden unit of a layer');
    expect(r.stdout).toContain("'myelin lab all'");
  });

  it('is what `myelin lab` alone shows', async () => {
    const r = await runCli(['lab', '--json']);
    expect(r.code).toBe(0);
    const doc = json<{ experiments: { name: string; title: string; claim: string }[] }>(r);
    expect(doc.experiments.map((e) => e.name)).toEqual(EXPERIMENTS);
    for (const e of doc.experiments) expect(e.claim.length).toBeGreaterThan(40);
  });
});

describe('myelin lab <experiment>', () => {
  it('--json prints the result and the paths of the figures it wrote', async () => {
    const out = join(tmp, 'zero-init');
    const r = await runCli([
      'lab',
      'zero-init',
      '--quick',
      '--seed',
      '1',
      '-b',
      'cpu',
      '--out',
      out,
      '--json',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const doc = json<{
      ok: boolean;
      result: LabResultJson;
      figures: Figure[];
      files: { dir: string; markdown: string; json: string };
    }>(r);
    expect(doc.ok).toBe(true);
    const { result } = doc;
    expect(result.name).toBe('zero-init');
    expect(result.run).toMatchObject({ seed: 1, quick: true, backend: 'cpu' });
    for (const key of ['zeros_test_accuracy', 'random_test_accuracy', 'random_distinct_units_layer1'])
      expect(Number.isFinite(result.metrics[key])).toBe(true);
    // The claim the experiment is about, measured: random init breaks the symmetry, zeros do not.
    expect(result.metrics.zeros_distinct_units_layer1).toBe(1);
    expect(result.metrics.random_distinct_units_layer1).toBeGreaterThan(1);

    const count = result.charts.length + (result.images?.length ?? 0);
    expect(doc.figures).toHaveLength(count);
    expect(doc.figures[0]?.svg).toBe(join(out, 'zero-init-chart-1.svg'));
    for (const figure of doc.figures) expectFigureFiles(figure);
    expect(readFileSync(doc.files.markdown, 'utf8')).toContain('](zero-init-chart-1.svg)');
    expect(JSON.parse(readFileSync(doc.files.json, 'utf8')).metrics).toEqual(result.metrics);
  });

  it('prints the claim, setup, table and reading', async () => {
    const out = join(tmp, 'vanishing');
    const r = await runCli(['lab', 'vanishing-gradients', '--quick', '-b', 'cpu', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('myelin lab · vanishing-gradients · seed 0 · quick');
    expect(r.stdout).toContain('Vanishing gradients in deep sigmoid and tanh networks');
    for (const label of ['Claim', 'Setup', 'Reading'])
      expect(r.stdout).toMatch(new RegExp(`^${label} `, 'm'));
    expect(r.stdout).toMatch(/┌.*┬/); // cli-table3's table
    expect(r.stdout).toContain('sigmoid');
    expect(r.stdout).toMatch(/✔ vanishing-gradients in .+ on cpu/);
    expect(existsSync(join(out, 'vanishing-gradients-chart-1.png'))).toBe(true);
  });

  it('rejects an unknown experiment with exit 2 and lists them', async () => {
    const r = await runCli(['lab', 'alchemy']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown experiment 'alchemy'");
    for (const name of EXPERIMENTS) expect(r.stderr).toContain(name);
  });

  it('rejects an unknown experiment with a JSON document too', async () => {
    const r = await runCli(['lab', 'alchemy', '--json']);
    expect(r.code).toBe(2);
    const doc = json<{ ok: boolean; error: { message: string; hint: string; exitCode: number } }>(r);
    expect(doc.ok).toBe(false);
    expect(doc.error.exitCode).toBe(2);
    expect(doc.error.hint).toContain('zero-init');
  });

  it('rejects a bad seed and a bad backend (exit 2)', async () => {
    expect((await runCli(['lab', 'zero-init', '--seed', '-1'])).code).toBe(2);
    expect((await runCli(['lab', 'zero-init', '--backend', 'tpu'])).code).toBe(2);
  });
});

describe('myelin lab all', () => {
  it('writes the Markdown report and its figures, and removes figures it no longer draws', async () => {
    const out = join(tmp, 'all');
    mkdirSync(join(out, 'lab'), { recursive: true });
    // A figure a previous run drew and this one does not, and a file that is not the lab's.
    writeFileSync(join(out, 'lab', 'pooling-invariance-chart-9.svg'), '<svg/>');
    writeFileSync(join(out, 'lab', 'notes.txt'), 'mine');
    const r = await runCli([
      'lab',
      'all',
      '--only',
      'pooling-invariance,zero-init',
      '--quick',
      '-b',
      'cpu',
      '--out',
      out,
    ]);
    expect(r.code, r.stderr).toBe(0);
    // One line per experiment, with its time.
    expect(r.stdout).toMatch(/\[1\/2\] pooling-invariance +\d+(ms|\.\d+s)/);
    expect(r.stdout).toMatch(/\[2\/2\] zero-init +\d+(ms|\.\d+s)/);
    const report = readFileSync(join(out, 'lab.md'), 'utf8');
    expect(report).toContain('# Myelin lab report');
    expect(report).toContain('## 1. Pooling buys invariance');
    expect(report).toContain('## 2. Zero or constant initialisation');
    expect(report).toContain(
      '`myelin lab all --seed 0 --only pooling-invariance,zero-init --quick --backend cpu`',
    );
    const links = [...report.matchAll(/!\[[^\]]*\]\(([^)]+)\)/g)].map((m) => m[1] as string);
    expect(links.length).toBeGreaterThan(2);
    for (const link of links) {
      expect(link).toMatch(/^lab\/.+\.svg$/);
      expect(existsSync(join(out, link))).toBe(true);
      expect(existsSync(join(out, link.replace(/\.svg$/, '.png')))).toBe(true);
    }
    expect(existsSync(join(out, 'lab', 'pooling-invariance-chart-9.svg'))).toBe(false);
    expect(existsSync(join(out, 'lab', 'notes.txt'))).toBe(true);
  });

  it('--json lists each result with its figures', async () => {
    const r = await runCli([
      'lab',
      'all',
      '--only',
      'pooling-invariance',
      '--quick',
      '-b',
      'cpu',
      '--out',
      join(tmp, 'all-json'),
      '--json',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const doc = json<{
      results: LabResultJson[];
      figures: Record<string, Figure[]>;
      files: { report: string };
    }>(r);
    expect(doc.results.map((x) => x.name)).toEqual(['pooling-invariance']);
    for (const figure of doc.figures['pooling-invariance'] ?? []) expectFigureFiles(figure);
    expect(existsSync(doc.files.report)).toBe(true);
  });

  it('Ctrl-C stops after the running experiment, writes nothing and exits 130', async () => {
    const out = join(tmp, 'stopped');
    let sent = false;
    const r = await runCli(
      [
        'lab',
        'all',
        '--only',
        'zero-init,pooling-invariance,zero-init',
        '--quick',
        '-b',
        'cpu',
        '--out',
        out,
      ],
      {
        onSpawn: (child, output) => {
          const poll = setInterval(() => {
            if (!sent && /\[1\/3\] zero-init/.test(output.stdout())) {
              sent = true;
              child.kill('SIGINT');
            }
            if (sent) clearInterval(poll);
          }, 20);
          child.on('close', () => clearInterval(poll));
        },
      },
    );
    expect(sent).toBe(true);
    expect(r.code, r.stderr).toBe(130);
    expect(r.stdout).toMatch(/stopped by Ctrl-C; [12] of 3 experiments done; no report written/);
    expect(existsSync(join(out, 'lab.md'))).toBe(false);
  });

  it('rejects an unknown name in --only (exit 2)', async () => {
    const r = await runCli(['lab', 'all', '--only', 'zero-init,alchemy']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown experiment 'alchemy'");
  });
});
