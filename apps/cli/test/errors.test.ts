/**
 * Every bad input gets one sentence saying what is wrong and how to fix it, the right exit code, and no
 * stack trace unless --verbose.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasStackTrace, json, runCli, tempDir } from './helpers.js';

const env = { MYELIN_DISABLE_BACKENDS: 'webgpu' };
const tmp = tempDir();
afterAll(() => tmp.cleanup());
const file = (name: string, content: string | Uint8Array) => {
  const path = join(tmp.dir, name);
  writeFileSync(path, content);
  return path;
};

const mlpCheckpoint = join(tmp.dir, 'mlp.safetensors');
beforeAll(async () => {
  const r = await runCli(
    ['train', '-e', '1', '--limit', '100', '-b', 'cpu', '--save', mlpCheckpoint, '--no-plot'],
    { env },
  );
  expect(r.code, r.stderr).toBe(0);
}, 60_000);

/** Runs, and checks the exit code, that stderr says `message` in one `error:` line (plus an optional hint), and no stack. */
async function expectError(args: string[], code: number, message: string | RegExp, hint?: string | RegExp) {
  const r = await runCli(args, { env });
  expect(r.code, r.stderr).toBe(code);
  const lines = r.stderr.trim().split('\n');
  expect(lines[0]).toMatch(/^error: /);
  expect(lines[0]).toMatch(message);
  if (hint) expect(lines[1]).toMatch(hint);
  expect(lines.length).toBeLessThanOrEqual(2);
  expect(hasStackTrace(r.stderr)).toBe(false);
  expect(r.stdout).toBe('');
  return r;
}

describe('datasets', () => {
  it('an unknown dataset', () =>
    expectError(
      ['train', '-d', 'digitz'],
      2,
      "unknown dataset 'digitz'",
      /hint: use one of: digits, fashion-mnist, mnist10k/,
    ));

  it('a missing file', () =>
    expectError(
      ['train', '-d', join(tmp.dir, 'missing.csv')],
      2,
      /the dataset file .*missing\.csv does not exist/,
      'hint: check the path',
    ));

  it('a CSV whose last column is not a class', () => {
    const csv = file('bad-labels.csv', '1,2,0.5\n3,4,1\n5,6,-1\n');
    return expectError(
      ['train', '-d', csv],
      2,
      /bad-labels\.csv: line 1: label '0\.5' is not an integer/,
      /the class index/,
    );
  });
});

describe('architectures', () => {
  it('a convolution on 2-D points', () => {
    const arch = file(
      'conv.json',
      JSON.stringify({
        layers: [{ type: 'conv2d', out: 4, kernel: 3 }, { type: 'flatten' }, { type: 'linear', out: 2 }],
      }),
    );
    return expectError(
      ['train', '-m', arch, '-d', 'moons'],
      2,
      /layer 1 \(conv2d\) needs an image input \[channels,height,width\], but gets \[2\]/,
      /not an image dataset/,
    );
  });

  it('the wrong number of outputs', () => {
    const arch = file(
      'five.json',
      JSON.stringify({ layers: [{ type: 'flatten' }, { type: 'linear', out: 5 }] }),
    );
    return expectError(
      ['train', '-m', arch],
      2,
      /ends with 5 outputs, but 'digits' has 10 classes/,
      /"out" to 10/,
    );
  });

  it('a linear layer on images without flatten', () => {
    const arch = file('noflat.json', JSON.stringify({ layers: [{ type: 'linear', out: 10 }] }));
    return expectError(
      ['train', '-m', arch],
      2,
      /layer 1 \(linear\) needs a flat input, but gets \[1,8,8\]/,
      /flatten/,
    );
  });

  it('a kernel larger than the image', () => {
    const arch = file(
      'big.json',
      JSON.stringify({
        layers: [{ type: 'conv2d', out: 2, kernel: 9 }, { type: 'flatten' }, { type: 'linear', out: 10 }],
      }),
    );
    return expectError(['train', '-m', arch], 2, /9×9 kernel but gets a 8×8 image/);
  });

  it('an unknown layer type', () => {
    const arch = file('typo.json', JSON.stringify({ layers: [{ type: 'lineer', out: 10 }] }));
    return expectError(['train', '-m', arch], 2, /layer 1 has an unknown type "lineer"/, /linear, conv2d/);
  });

  it('a file that is not JSON', () =>
    expectError(['train', '-m', file('bad.json', '{ layers: ')], 2, /is not valid JSON/));

  it('an unknown preset', () =>
    expectError(['train', '-m', 'resnet'], 2, "unknown model 'resnet'", /mlp, lenet, cnn/));

  it('a preset that needs images, on points', () =>
    expectError(
      ['train', '-m', 'lenet', '-d', 'spiral'],
      2,
      /the lenet preset: layer 1 \(conv2d\) needs an image input/,
    ));
});

describe('checkpoints', () => {
  it('a missing checkpoint', () =>
    expectError(
      ['eval', join(tmp.dir, 'nope.safetensors')],
      2,
      /the checkpoint .*nope\.safetensors does not exist/,
    ));

  it('a file that is not a checkpoint', () =>
    expectError(
      ['eval', file('junk.safetensors', new Uint8Array(64).fill(7))],
      2,
      /is not a valid safetensors checkpoint/,
    ));

  it('resuming with another architecture', () =>
    expectError(
      ['train', '--resume', mlpCheckpoint, '-m', 'lenet', '-e', '3'],
      2,
      /is from another architecture: it holds 'mlp' .* but this run builds 'lenet'/,
      /drop --model/,
    ));

  it('resuming on a dataset of another shape', () =>
    expectError(
      ['train', '--resume', mlpCheckpoint, '-d', 'moons', '-e', '3'],
      2,
      /was trained on 'digits' .* but 'moons' has samples \[2\]/,
    ));

  it('resuming with no epochs left', () =>
    expectError(
      ['train', '--resume', mlpCheckpoint, '-e', '1'],
      2,
      /has already trained 1 epoch/,
      /--epochs 6/,
    ));

  it('evaluating on a dataset of another shape', () =>
    expectError(
      ['eval', mlpCheckpoint, '-d', 'circles'],
      2,
      /takes samples \[1,8,8\] with 10 classes, but 'circles' has samples \[2\]/,
    ));

  it('predicting on a CSV with the wrong number of columns', () =>
    expectError(
      ['predict', mlpCheckpoint, file('three.csv', '1,2,3\n')],
      2,
      /has 3 columns, but the checkpoint's model takes 64 features/,
    ));

  it('predicting on a missing input', () =>
    expectError(
      ['predict', mlpCheckpoint, join(tmp.dir, 'gone.png')],
      2,
      /the input .*gone\.png does not exist/,
    ));
});

describe('backends', () => {
  it('an unavailable backend says why and which ones run (exit 1)', () =>
    expectError(
      ['train', '-b', 'webgpu', '-e', '1', '--limit', '50'],
      1,
      /the webgpu backend cannot run here: turned off by MYELIN_DISABLE_BACKENDS/,
      /backends that run here: cpu/,
    ));

  it('--json adds the error as a document', async () => {
    const r = await runCli(['train', '-b', 'webgpu', '--json'], { env });
    expect(r.code).toBe(1);
    const doc = json<{ ok: boolean; error: { message: string; hint: string; exitCode: number } }>(r);
    expect(doc).toMatchObject({ ok: false, error: { exitCode: 1 } });
    expect(doc.error.message).toContain('cannot run here');
  });
});

describe('--verbose', () => {
  it('adds the stack trace', async () => {
    const r = await runCli(['train', '-d', 'digitz', '--verbose'], { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown dataset 'digitz'");
    expect(hasStackTrace(r.stderr)).toBe(true);
  });
});
