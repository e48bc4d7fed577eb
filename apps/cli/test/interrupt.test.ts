/** Ctrl-C: the run stops at the end of a batch, saves its checkpoint, and exits with 130. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeSafetensors } from '@myelin/layers';
import { afterAll, describe, expect, it } from 'vitest';
import { json, runCli, tempDir } from './helpers.js';

const env = { MYELIN_DISABLE_BACKENDS: 'webgpu' };
const tmp = tempDir();
afterAll(() => tmp.cleanup());

describe('Ctrl-C during myelin train', () => {
  it('saves the checkpoint of the epochs done and exits 130; the checkpoint resumes', async () => {
    const checkpoint = join(tmp.dir, 'stopped.safetensors');
    let sent = false;
    const r = await runCli(['train', '-e', '500', '-b', 'cpu', '--save', checkpoint], {
      env,
      timeoutMs: 90_000,
      onSpawn: (child, output) => {
        const poll = setInterval(() => {
          // Wait for the first epoch's row, so at least one epoch is in the checkpoint.
          if (!sent && /\b2\/500\b/.test(output.stdout())) {
            sent = true;
            child.kill('SIGINT');
          }
          if (sent) clearInterval(poll);
        }, 50);
        child.on('close', () => clearInterval(poll));
      },
    });
    expect(sent).toBe(true);
    expect(r.code, r.stderr).toBe(130);
    expect(r.stderr).toContain('stopping at the end of this batch');
    expect(r.stdout).toContain('stopped by Ctrl-C');
    expect(r.stdout).toMatch(/resume\s+myelin train --resume .*stopped\.safetensors --epochs 500/);
    expect(existsSync(checkpoint)).toBe(true);
    expect(existsSync(join(tmp.dir, 'stopped.curves.svg'))).toBe(true);

    // The checkpoint holds the full epochs done (a partial epoch is not counted) and says it was stopped.
    const { metadata } = decodeSafetensors(new Uint8Array(readFileSync(checkpoint)));
    const training = JSON.parse(metadata['myelin.training'] as string) as { epoch: number };
    const meta = JSON.parse(metadata['myelin.meta'] as string) as {
      training: { interrupted: boolean; history: unknown[] };
    };
    expect(training.epoch).toBeGreaterThanOrEqual(1);
    expect(meta.training.history).toHaveLength(training.epoch);
    expect(meta.training.interrupted).toBe(true);

    const resumed = await runCli(
      [
        'train',
        '--resume',
        checkpoint,
        '-e',
        String(training.epoch + 1),
        '-b',
        'cpu',
        '--no-save',
        '--no-plot',
        '--json',
      ],
      { env },
    );
    expect(resumed.code, resumed.stderr).toBe(0);
    const doc = json<{ epochs: { startedAfter: number; history: unknown[] } }>(resumed);
    expect(doc.epochs.startedAfter).toBe(training.epoch);
    expect(doc.epochs.history).toHaveLength(training.epoch + 1);
  });
});
