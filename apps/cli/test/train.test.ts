/**
 * The main workflow end to end, on the built CLI: a tiny training run with a checkpoint and curves, resume,
 * eval, predict (CSV, PNG, IDX) and --json documents. The runs are small (a few hundred digits, 2 epochs).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { digits, encodeIdx } from '@myelin/data';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, runCli, tempDir } from './helpers.js';

const env = { MYELIN_DISABLE_BACKENDS: 'webgpu' };
const tmp = tempDir();
afterAll(() => tmp.cleanup());

interface TrainDoc {
  ok: boolean;
  interrupted: boolean;
  model: { name: string; parameters: number; layers: { type: string }[] };
  dataset: {
    name: string;
    inputShape: number[];
    classes: number;
    train: number;
    validation: number;
    test: number;
  };
  backend: { name: string; requested: string; why: string; notChosen: { name: string; why: string }[] };
  optimizer: { name: string; lr: number };
  epochs: {
    requested: number;
    startedAfter: number;
    history: { epoch: number; trainLoss: number; valAccuracy?: number }[];
  };
  test: { loss: number; accuracy: number; samples: number };
  checkpoint: string;
  plots: { svg: string; png: string };
}

const checkpoint = join(tmp.dir, 'tiny', 'model.safetensors');
let first: TrainDoc;

beforeAll(async () => {
  const r = await runCli(
    [
      'train',
      '-d',
      'digits',
      '-e',
      '2',
      '--limit',
      '300',
      '--batch-size',
      '32',
      '--backend',
      'cpu',
      '--save',
      checkpoint,
      '--json',
    ],
    { env },
  );
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  first = json<TrainDoc>(r);
}, 120_000);

describe('myelin train', () => {
  it('trains, and reports the run as one JSON document', () => {
    expect(first.ok).toBe(true);
    expect(first.interrupted).toBe(false);
    expect(first.model.name).toBe('mlp');
    expect(first.dataset).toMatchObject({ name: 'digits', inputShape: [1, 8, 8], classes: 10 });
    expect(first.dataset.train + first.dataset.validation).toBe(300);
    expect(first.backend).toMatchObject({ name: 'cpu', requested: 'cpu' });
    expect(first.optimizer.name).toBe('adam');
    expect(first.epochs.history.map((h) => h.epoch)).toEqual([1, 2]);
    expect(first.epochs.history[1]?.trainLoss).toBeLessThan(first.epochs.history[0]?.trainLoss as number);
    expect(first.test.samples).toBe(300);
    expect(first.test.accuracy).toBeGreaterThan(0.3);
  });

  it('writes the checkpoint where --save says, and the curves next to it', () => {
    expect(first.checkpoint).toBe(checkpoint);
    expect(existsSync(checkpoint)).toBe(true);
    expect(first.plots.svg).toBe(join(tmp.dir, 'tiny', 'model.curves.svg'));
    expect(readFileSync(first.plots.svg, 'utf8')).toMatch(/^<svg[\s\S]*loss[\s\S]*accuracy[\s\S]*<\/svg>$/);
    const png = readFileSync(first.plots.png);
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    const image = PNG.sync.read(png);
    expect(image.width).toBeGreaterThan(600);
  });

  it('writes into runs/<time>/ by default', async () => {
    const r = await runCli(['train', '-d', 'moons', '-e', '1', '--limit', '100', '-b', 'cpu', '--no-plot'], {
      env,
      cwd: tmp.dir,
    });
    expect(r.code).toBe(0);
    const match = /checkpoint\s+(runs\/\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d(?:-\d+)?\/model\.safetensors)/.exec(
      r.stdout,
    );
    expect(match, r.stdout).not.toBeNull();
    expect(existsSync(join(tmp.dir, match?.[1] as string))).toBe(true);
  });

  it('prints the header, one table row per epoch and a summary when not on a terminal', async () => {
    const r = await runCli(
      ['train', '-d', 'xor', '-e', '3', '--limit', '200', '-b', 'cpu', '--no-save', '--no-plot'],
      { env },
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('myelin train');
    expect(r.stdout).toMatch(/backend cpu .*— asked for with --backend/);
    for (const row of ['1/3', '2/3', '3/3']) expect(r.stdout).toContain(row);
    expect(r.stdout).toMatch(/✔ test accuracy \d+\.\d\d%/);
    expect(r.stdout).toContain('not saved (--no-save)');
    // No progress bar when stdout is not a terminal.
    expect(r.stdout + r.stderr).not.toContain('ETA');
  });

  it('explains the automatic backend choice', async () => {
    const r = await runCli(
      ['train', '-d', 'blobs', '-e', '1', '--limit', '100', '--no-save', '--no-plot', '--json'],
      { env },
    );
    expect(r.code).toBe(0);
    const doc = json<TrainDoc>(r);
    expect(doc.backend.requested).toBe('auto');
    expect(doc.backend.why.length).toBeGreaterThan(10);
    const others = Object.fromEntries(doc.backend.notChosen.map((o) => [o.name, o.why]));
    expect(others.webgpu).toContain('MYELIN_DISABLE_BACKENDS');
    expect(Object.keys(others).length).toBe(2);
  });

  it('trains a custom JSON architecture, with the options of the presets', async () => {
    const arch = join(tmp.dir, 'tiny-cnn.json');
    writeFileSync(
      arch,
      JSON.stringify({
        name: 'tiny-cnn',
        layers: [
          { type: 'conv2d', out: 4, kernel: 3, padding: 1 },
          { type: 'batchnorm' },
          { type: 'activation' },
          { type: 'maxpool2d', kernel: 2 },
          { type: 'flatten' },
          { type: 'dropout', p: 0.1 },
          { type: 'linear', out: 10 },
        ],
      }),
    );
    const r = await runCli(
      [
        'train',
        '-m',
        arch,
        '-e',
        '1',
        '--limit',
        '100',
        '-b',
        'cpu',
        '--activation',
        'tanh',
        '--optimizer',
        'sgd',
        '--lr',
        '0.05',
        '--init',
        'xavier-uniform',
        '--augment',
        '--no-save',
        '--no-plot',
        '--json',
      ],
      { env },
    );
    expect(r.code, r.stderr).toBe(0);
    const doc = json<TrainDoc>(r);
    expect(doc.model.name).toBe('tiny-cnn');
    expect(doc.model.layers.map((l) => l.type)).toEqual([
      'conv2d',
      'batchnorm',
      'tanh',
      'maxpool2d',
      'flatten',
      'dropout',
      'linear',
    ]);
    expect(doc.optimizer).toMatchObject({ name: 'sgd', lr: 0.05 });
  });

  it.each([['lenet'], ['cnn']])('trains the %s preset on digits', async (model) => {
    const r = await runCli(
      [
        'train',
        '-m',
        model,
        '-e',
        '1',
        '--limit',
        '64',
        '-b',
        'cpu',
        '--batch-norm',
        '--dropout',
        '0.2',
        '--no-save',
        '--no-plot',
        '--json',
      ],
      {
        env,
      },
    );
    expect(r.code, r.stderr).toBe(0);
    const doc = json<TrainDoc>(r);
    expect(doc.model.name).toBe(model);
    expect(doc.model.layers.some((l) => l.type === 'batchnorm')).toBe(true);
    expect(doc.model.layers.some((l) => l.type === 'dropout')).toBe(true);
  });

  it('trains on a CSV file (last column: the class), standardising its features', async () => {
    const csv = join(tmp.dir, 'points.csv');
    const rows = ['x,y,label'];
    for (let i = 0; i < 120; i++) rows.push(`${(i % 2) * 100 + Math.sin(i)},${Math.cos(i) * 50},${i % 2}`);
    writeFileSync(csv, `${rows.join('\n')}\n`);
    const r = await runCli(['train', '-d', csv, '-e', '5', '-b', 'cpu', '--no-save', '--no-plot', '--json'], {
      env,
    });
    expect(r.code, r.stderr).toBe(0);
    const doc = json<TrainDoc>(r);
    expect(doc.dataset).toMatchObject({ inputShape: [2], classes: 2 });
    expect(doc.test.accuracy).toBeGreaterThan(0.9);
  });
});

describe('myelin train --resume', () => {
  it('continues from the checkpoint: epochs, history and optimiser state', async () => {
    const resumed = join(tmp.dir, 'tiny', 'resumed.safetensors');
    const r = await runCli(
      [
        'train',
        '--resume',
        checkpoint,
        '-e',
        '3',
        '--limit',
        '300',
        '-b',
        'cpu',
        '--save',
        resumed,
        '--json',
      ],
      { env },
    );
    expect(r.code, r.stderr).toBe(0);
    const doc = json<TrainDoc & { resumedFrom: string }>(r);
    expect(doc.resumedFrom).toBe(checkpoint);
    expect(doc.model.name).toBe('mlp');
    expect(doc.dataset.name).toBe('digits');
    expect(doc.epochs.startedAfter).toBe(2);
    expect(doc.epochs.history.map((h) => h.epoch)).toEqual([1, 2, 3]);
    expect(doc.epochs.history.slice(0, 2)).toEqual(first.epochs.history);
  });
});

describe('myelin eval', () => {
  it('reproduces the test accuracy of the training run', async () => {
    const r = await runCli(['eval', checkpoint, '--limit', '300', '-b', 'cpu', '--json'], { env });
    expect(r.code, r.stderr).toBe(0);
    const doc = json<{
      accuracy: number;
      loss: number;
      samples: number;
      dataset: string;
      perClass: { samples: number }[];
    }>(r);
    expect(doc.dataset).toBe('digits');
    expect(doc.samples).toBe(300);
    expect(doc.accuracy).toBeCloseTo(first.test.accuracy, 6);
    expect(doc.loss).toBeCloseTo(first.test.loss, 4);
    expect(doc.perClass).toHaveLength(10);
    expect(doc.perClass.reduce((s, c) => s + c.samples, 0)).toBe(300);
  });

  it('prints a per-class table and the accuracy', async () => {
    const r = await runCli(['eval', checkpoint, '--limit', '100', '-b', 'cpu'], { env });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('class');
    expect(r.stdout).toMatch(/✔ accuracy \d+\.\d\d%/);
  });
});

describe('myelin predict', () => {
  const probabilitiesOk = (p: number[]) => {
    expect(p).toHaveLength(10);
    expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
  };

  it('reads CSV rows (an extra last column is the expected class)', async () => {
    const d = await digits();
    const csv = join(tmp.dir, 'rows.csv');
    const lines = [0, 1, 2].map((r) => [...d.x.subarray(r * 64, r * 64 + 64), d.y[r]].join(','));
    writeFileSync(csv, `${lines.join('\n')}\n`);
    const r = await runCli(['predict', checkpoint, csv, '-b', 'cpu', '--json'], { env });
    expect(r.code, r.stderr).toBe(0);
    const doc = json<{
      predictions: { input: string; class: number; expected: number; probabilities: number[] }[];
    }>(r);
    expect(doc.predictions).toHaveLength(3);
    expect(doc.predictions.map((p) => p.expected)).toEqual([0, 1, 2]);
    for (const p of doc.predictions) probabilitiesOk(p.probabilities);
  });

  it('reads a PNG (resized, inverted when its background is light) and prints every class', async () => {
    const d = await digits();
    const png = new PNG({ width: 32, height: 32 });
    for (let y = 0; y < 32; y++) {
      for (let x = 0; x < 32; x++) {
        const v = d.x[Math.floor(y / 4) * 8 + Math.floor(x / 4)] as number;
        const i = (y * 32 + x) * 4;
        png.data[i] = png.data[i + 1] = png.data[i + 2] = Math.round(255 * (1 - v));
        png.data[i + 3] = 255;
      }
    }
    const file = join(tmp.dir, 'zero.png');
    writeFileSync(file, PNG.sync.write(png));
    const r = await runCli(['predict', checkpoint, file, '-b', 'cpu', '--json'], { env });
    expect(r.code, r.stderr).toBe(0);
    const doc = json<{ predictions: { probabilities: number[] }[] }>(r);
    expect(doc.predictions).toHaveLength(1);
    probabilitiesOk(doc.predictions[0]?.probabilities as number[]);
    const text = await runCli(['predict', checkpoint, file, '-b', 'cpu'], { env });
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/zero\.png → \d/);
    expect(text.stdout.split('\n').filter((l) => /^\s+\d\s+.*%$/.test(l))).toHaveLength(10);
  });

  it('reads an IDX file of images', async () => {
    const file = join(tmp.dir, 'two-idx3-ubyte');
    const data = new Uint8Array(2 * 64).map((_, i) => (i * 37) % 256);
    writeFileSync(file, encodeIdx({ type: 'uint8', shape: [2, 8, 8], data }));
    const r = await runCli(['predict', checkpoint, file, '-b', 'cpu', '--json'], { env });
    expect(r.code, r.stderr).toBe(0);
    const doc = json<{ predictions: { input: string; probabilities: number[] }[] }>(r);
    expect(doc.predictions.map((p) => p.input)).toEqual([`${file}[0]`, `${file}[1]`]);
  });
});
