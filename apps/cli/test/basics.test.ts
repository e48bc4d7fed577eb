/** Help, version, backends, colour and command-line mistakes: the conventions every command follows. */
import { describe, expect, it } from 'vitest';
import { hasStackTrace, json, runCli } from './helpers.js';

const NO_GPU = { MYELIN_DISABLE_BACKENDS: 'webgpu' };

describe('help', () => {
  it('lists every command with examples and the exit codes', async () => {
    const r = await runCli(['--help']);
    expect(r.code).toBe(0);
    for (const command of ['train', 'eval', 'predict', 'bench', 'backends', 'lab'])
      expect(r.stdout).toContain(command);
    expect(r.stdout).toContain('Examples:');
    expect(r.stdout).toContain('Exit codes: 0 success, 1 the run failed, 2 bad usage');
  });

  it.each(['train', 'eval', 'predict', 'bench', 'backends', 'lab'])(
    'myelin %s --help shows examples',
    async (command) => {
      const r = await runCli([command, '--help']);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`Usage: myelin ${command}`);
      expect(r.stdout).toContain('Examples:');
      expect(r.stdout).toContain(`$ myelin ${command}`);
      expect(r.stdout).toContain('--json');
    },
  );

  it('prints the version', async () => {
    const r = await runCli(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('with no command, shows the help and exits 2', async () => {
    const r = await runCli([]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Usage: myelin');
  });
});

describe('bad usage exits 2 with one sentence', () => {
  it.each([
    [['trian'], "unknown command 'trian'"],
    [['train', '--frobnicate'], "unknown option '--frobnicate'"],
    [['train', '--epochs', '0'], 'must be a whole number ≥ 1'],
    [['train', '--lr', 'fast'], 'must be a number > 0'],
    [['train', '--dropout', '1.5'], 'must be a number in [0, 1)'],
    [['train', '--backend', 'gpu'], 'Allowed choices are auto, cpu, worker, webgpu'],
    [['train', '--optimizer', 'lbfgs'], 'Allowed choices are sgd, adam, adamw, rmsprop'],
    [['eval'], "missing required argument 'checkpoint'"],
    [['predict', 'model.safetensors'], "missing required argument 'inputs'"],
  ])('myelin %j', async (args, message) => {
    const r = await runCli(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expect(hasStackTrace(r.stderr)).toBe(false);
  });

  it('a --json caller still gets a JSON document', async () => {
    const r = await runCli(['train', '--epochs', 'x', '--json']);
    expect(r.code).toBe(2);
    const doc = json<{ ok: boolean; error: { message: string; exitCode: number } }>(r);
    expect(doc.ok).toBe(false);
    expect(doc.error.exitCode).toBe(2);
  });
});

describe('myelin backends', () => {
  it('reports every backend, available or not, with a reason', async () => {
    const r = await runCli(['backends', '--json'], { timeoutMs: 60_000 });
    expect(r.code).toBe(0);
    const doc = json<{
      backends: { name: string; available: boolean; reason: string | null; description: string | null }[];
    }>(r);
    expect(doc.backends.map((b) => b.name)).toEqual(['cpu', 'worker', 'webgpu']);
    const cpu = doc.backends.find((b) => b.name === 'cpu');
    expect(cpu?.available).toBe(true);
    for (const b of doc.backends) {
      if (b.available) expect(b.description).toBeTruthy();
      else expect(b.reason).toBeTruthy();
    }
  });

  it('says why a backend is unavailable', async () => {
    const r = await runCli(['backends'], { env: NO_GPU });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/webgpu\s*│\s*no\s*│\s*turned off by MYELIN_DISABLE_BACKENDS/);
    expect(r.stdout).toMatch(/cpu\s*│\s*yes/);
  });
});

describe('colour', () => {
  it('FORCE_COLOR turns colour on when not on a terminal', async () => {
    const r = await runCli(['backends'], { env: { ...NO_GPU, FORCE_COLOR: '1' } });
    expect(r.stdout).toContain('\u001b[');
  });

  it('NO_COLOR wins over FORCE_COLOR', async () => {
    const r = await runCli(['backends'], { env: { ...NO_GPU, FORCE_COLOR: '1', NO_COLOR: '1' } });
    expect(r.stdout).not.toContain('\u001b[');
  });

  it('--no-color wins too', async () => {
    const r = await runCli(['lab', '--no-color'], { env: { FORCE_COLOR: '1' } });
    expect(r.stdout).not.toContain('\u001b[');
  });
});
