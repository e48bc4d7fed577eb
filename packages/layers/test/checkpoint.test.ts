/** Checkpoints on disk: round trips, malformed files, atomicity under SIGKILL, exact resume, PyTorch interop. */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getRngState, manualSeed, rand, type Tensor, tensor, tidy } from '@myelin/core';
import { Adam, StepLR } from '@myelin/optim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Batch,
  BatchNorm1d,
  BatchNorm2d,
  CheckpointError,
  Conv2d,
  crossEntropy,
  Dropout,
  encodeCheckpoint,
  Flatten,
  fit,
  LeakyReLU,
  Linear,
  MaxPool2d,
  PReLU,
  ReLU,
  SafetensorsError,
  Sequential,
} from '../src/index.js';
import { loadCheckpoint, saveCheckpoint, writeFileAtomic } from '../src/node.js';
import { useCpu } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'myelin-ckpt-'));
beforeAll(useCpu);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function makeModel(): Sequential {
  return new Sequential(
    new Linear(4, 16),
    new BatchNorm1d(16),
    new ReLU(),
    new Dropout(0.3),
    new Linear(16, 3),
  );
}

function batches(): Batch[] {
  const out: Batch[] = [];
  for (let b = 0; b < 4; b++) {
    const xs = new Float32Array(8 * 4).map((_, i) => Math.sin(i * 0.7 + b));
    const ys = new Int32Array(8).map((_, i) => (i + b) % 3);
    out.push({ x: tensor(xs, { shape: [8, 4] }), y: tensor(ys) });
  }
  return out;
}

async function weights(model: Sequential): Promise<number[][]> {
  return Promise.all(Object.values(model.stateDict()).map(async (t) => Array.from(await t.data())));
}

describe('saveCheckpoint / loadCheckpoint', () => {
  it('round-trips weights, buffers, optimiser, scheduler, training position, RNG and meta', async () => {
    manualSeed(5);
    const model = makeModel();
    const opt = new Adam(model.parameters(), { lr: 0.01 });
    const sched = new StepLR(opt, 1, 0.5);
    const data = batches();
    await fit(model, { optimizer: opt, loss: crossEntropy, train: data, epochs: 2, scheduler: sched });
    const path = join(dir, 'roundtrip.safetensors');
    const rng = getRngState();
    await saveCheckpoint(path, {
      model,
      optimizer: opt,
      scheduler: sched,
      epoch: 2,
      step: 8,
      meta: { dataset: 'toy' },
    });

    manualSeed(77);
    const model2 = makeModel();
    const opt2 = new Adam(model2.parameters(), { lr: 0.5 });
    const sched2 = new StepLR(opt2, 1, 0.5);
    const ckpt = await loadCheckpoint(path, {
      model: model2,
      optimizer: opt2,
      scheduler: sched2,
      restoreRng: true,
    });
    expect(ckpt.epoch).toBe(2);
    expect(ckpt.step).toBe(8);
    expect(ckpt.meta).toEqual({ dataset: 'toy' });
    expect(ckpt.rng).toEqual(rng);
    expect(getRngState()).toEqual(rng);
    expect(ckpt.architecture?.children.map((c) => c.type)).toEqual([
      'Linear',
      'BatchNorm1d',
      'ReLU',
      'Dropout',
      'Linear',
    ]);
    expect(await weights(model2)).toEqual(await weights(model));
    expect(opt2.lr).toBe(opt.lr);
    expect(await opt2.stateDict()).toEqual(await opt.stateDict());
    expect(sched2.lastEpoch).toBe(2);
    // Names are PyTorch state_dict keys.
    const bare = await loadCheckpoint(path);
    expect(Object.keys(bare.stateDict ?? {})).toContain('1.running_mean');
    expect(bare.stateDict?.['1.num_batches_tracked']?.dtype).toBe('int32');
    for (const t of Object.values(bare.stateDict ?? {})) t.dispose();
    for (const b of data) {
      b.x.dispose();
      b.y.dispose();
    }
    model.dispose();
    model2.dispose();
  });

  it('fails with a clear, typed error on missing, truncated, oversized and malformed files', async () => {
    const model = makeModel();
    const good = await encodeCheckpoint({ model });
    const cases: Array<[string, Uint8Array | null, new (...a: never[]) => Error, RegExp]> = [
      ['missing.safetensors', null, CheckpointError, /cannot read/],
      ['truncated.safetensors', good.subarray(0, Math.floor(good.length / 2)), SafetensorsError, /truncated/],
      ['header-only.safetensors', good.subarray(0, 5), SafetensorsError, /fewer than the 8-byte/],
      [
        'oversized.safetensors',
        new Uint8Array([0, 0, 0, 0, 0, 0, 0, 0x10, 1, 2]),
        SafetensorsError,
        /exceeds/,
      ],
      [
        'garbage.safetensors',
        new TextEncoder().encode('\u0010\0\0\0\0\0\0\0not json at all!'),
        SafetensorsError,
        /not valid JSON/,
      ],
    ];
    for (const [name, bytes, Err, message] of cases) {
      const path = join(dir, name);
      if (bytes) writeFileSync(path, bytes);
      const err = await loadCheckpoint(path, { model }).catch((e: unknown) => e);
      expect(err, name).toBeInstanceOf(Err);
      expect(String((err as Error).message), name).toMatch(message);
      expect(String((err as Error).message), name).toContain(name);
    }
    // A checkpoint of another architecture names the mismatched key.
    const other = join(dir, 'other.safetensors');
    await saveCheckpoint(other, { model: new Sequential(new Linear(4, 2)) });
    await expect(loadCheckpoint(other, { model })).rejects.toThrow(
      /size mismatch for '0\.weight'|missing key/,
    );
    // Asking for an optimiser state that was not saved.
    const plain = join(dir, 'plain.safetensors');
    await saveCheckpoint(plain, { model });
    await expect(loadCheckpoint(plain, { model, optimizer: new Adam(model.parameters()) })).rejects.toThrow(
      /no optimizer state/,
    );
    model.dispose();
  });

  it('writeFileAtomic replaces the file whole and leaves no temporary files', async () => {
    const path = join(dir, 'atomic.bin');
    await writeFileAtomic(path, new Uint8Array([1, 2, 3]));
    await writeFileAtomic(path, new Uint8Array([4, 5]));
    expect(Array.from(readFileSync(path))).toEqual([4, 5]);
    expect(readdirSync(dir).filter((f) => f.includes('atomic.bin.'))).toEqual([]);
  });
});

describe('resume', () => {
  it('a run resumed from a checkpoint ends with exactly the weights of an uninterrupted run', async () => {
    const data = batches();
    const train = (model: Sequential, opt: Adam, from: number, to: number, step: number) =>
      fit(model, {
        optimizer: opt,
        loss: crossEntropy,
        train: data,
        epochs: to,
        initialEpoch: from,
        initialStep: step,
      });

    manualSeed(11);
    const a = makeModel();
    const optA = new Adam(a.parameters(), { lr: 0.01 });
    await train(a, optA, 0, 6, 0);
    const uninterrupted = await weights(a);

    manualSeed(11);
    const b = makeModel();
    const optB = new Adam(b.parameters(), { lr: 0.01 });
    const h = await train(b, optB, 0, 3, 0);
    const path = join(dir, 'resume.safetensors');
    await saveCheckpoint(path, { model: b, optimizer: optB, epoch: 3, step: h.steps });
    b.dispose();
    optB.dispose();
    // Disturb the generator, as a fresh process would have a different state.
    manualSeed(999);
    rand([10]).dispose();

    const c = makeModel();
    const optC = new Adam(c.parameters(), { lr: 0.01 });
    const ckpt = await loadCheckpoint(path, { model: c, optimizer: optC, restoreRng: true });
    await train(c, optC, ckpt.epoch as number, 6, ckpt.step as number);
    expect(await weights(c)).toEqual(uninterrupted);
    for (const b of data) {
      b.x.dispose();
      b.y.dispose();
    }
  });
});

describe('atomicity under SIGKILL', () => {
  const child = fileURLToPath(new URL('./checkpoint-child.mjs', import.meta.url));
  const built = existsSync(fileURLToPath(new URL('../dist/node.js', import.meta.url)));

  it('after 30 kills at random moments, the last checkpoint always loads whole', async () => {
    if (!built)
      throw new Error(
        'this test runs the built package: run `pnpm build` first (turbo does it before `test`)',
      );
    const killDir = mkdtempSync(join(dir, 'kill-'));
    const path = join(killDir, 'model.safetensors');
    let confirmed = 0;
    let interruptedWrites = 0;
    for (let round = 0; round < 30; round++) {
      const proc = spawn(process.execPath, [child, path, String(confirmed)], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      let err = '';
      proc.stderr.on('data', (d: Buffer) => {
        err += d;
      });
      const exited = new Promise<void>((resolve) => proc.on('exit', () => resolve()));
      await new Promise<void>((resolve, reject) => {
        proc.stdout.on('data', (d: Buffer) => {
          out += d;
          if (out.includes('saved')) resolve();
        });
        proc.on('exit', () => reject(new Error(`child exited early: ${err}`)));
      });
      // A random moment within the next few saves (each takes a few milliseconds).
      await new Promise((r) => setTimeout(r, Math.random() * 30));
      proc.kill('SIGKILL');
      await exited;
      const steps = [...out.matchAll(/saved (\d+)/g)].map((m) => Number(m[1]));
      confirmed = Math.max(confirmed, ...steps);
      interruptedWrites += readdirSync(killDir).filter((f) => f.endsWith('.tmp')).length;
      for (const f of readdirSync(killDir)) if (f.endsWith('.tmp')) rmSync(join(killDir, f));

      const ckpt = await loadCheckpoint(path);
      const step = ckpt.step as number;
      expect(step).toBeGreaterThanOrEqual(confirmed);
      expect(ckpt.meta).toEqual({ step });
      for (const [k, t] of Object.entries(ckpt.stateDict ?? {})) {
        const v = await t.data();
        expect(
          v.every((x) => x === step),
          `${k} is whole at step ${step}`,
        ).toBe(true);
        t.dispose();
      }
      confirmed = step;
    }
    console.log(
      `kill test: 30 kills, ${interruptedWrites} landed during a write (temporary file left), last step ${confirmed}`,
    );
  }, 120_000);
});

describe('PyTorch interop (runs only where /usr/bin/python3 imports torch)', () => {
  const python = '/usr/bin/python3';
  const hasTorch =
    existsSync(python) && spawnSync(python, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0;
  const script = fileURLToPath(new URL('../../../tools/fixtures/load_checkpoint.py', import.meta.url));

  it.skipIf(!hasTorch)(
    'a Myelin checkpoint loads into torch.nn.Sequential with the same outputs, and back',
    async () => {
      manualSeed(3);
      const model = new Sequential(
        new Conv2d(1, 3, 3, { padding: 1 }),
        new BatchNorm2d(3),
        new PReLU(3),
        new MaxPool2d(2),
        new Flatten(),
        new Linear(12, 6),
        new LeakyReLU(0.1),
        new Dropout(0.2),
        new Linear(6, 3),
      );
      const x = tidy(() => rand([4, 1, 4, 4]).mul(2).sub(1));
      const y = tensor([0, 1, 2, 1], { dtype: 'int32' });
      await fit(model, {
        optimizer: new Adam(model.parameters(), { lr: 0.05 }),
        loss: crossEntropy,
        train: [{ x, y }],
        epochs: 3,
      });
      model.eval();
      const out = tidy(() => model.forward(x));
      const path = join(dir, 'interop.safetensors');
      const expected = join(dir, 'interop.expected.json');
      const back = join(dir, 'interop.torch.safetensors');
      await saveCheckpoint(path, { model });
      const enc = async (t: Tensor) => ({ shape: [...t.shape], data: Array.from(await t.data()) });
      writeFileSync(expected, JSON.stringify({ input: await enc(x), output: await enc(out) }));
      const r = spawnSync(python, [script, path, expected, '--write-back', back], { encoding: 'utf8' });
      expect(r.status, r.stderr + r.stdout).toBe(0);
      expect(JSON.parse(r.stdout).ok).toBe(true);
      // The way back: torch's state_dict (int64 num_batches_tracked) loads into a fresh Myelin model.
      const again = new Sequential(
        new Conv2d(1, 3, 3, { padding: 1 }),
        new BatchNorm2d(3),
        new PReLU(3),
        new MaxPool2d(2),
        new Flatten(),
        new Linear(12, 6),
        new LeakyReLU(0.1),
        new Dropout(0.2),
        new Linear(6, 3),
      ).eval();
      const ckpt = await loadCheckpoint(back, { model: again });
      expect(ckpt.metadata).toEqual({ written_by: 'torch' });
      const out2 = tidy(() => again.forward(x));
      expect(Array.from(await out2.data())).toEqual(Array.from(await out.data()));
    },
    60_000,
  );
});
