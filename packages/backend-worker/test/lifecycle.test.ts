/**
 * Starting and ending: a process that used the backend exits by itself (disposed or not), the factory
 * says why threads cannot run where they cannot, and bad options fail early.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { createWorkerBackend } from './built.js';

const dist = new URL('../dist/index.js', import.meta.url).href;
const core = import.meta.resolve('@myelin/core');

/** Runs an ES module script in a fresh Node process; returns its exit code, output and duration. */
function runScript(source: string, timeoutMs = 20_000): { status: number | null; out: string; ms: number } {
  const t = performance.now();
  const res = spawnSync(process.execPath, ['--input-type=module', '-e', source], {
    encoding: 'utf8',
    timeout: timeoutMs,
  });
  return { status: res.status, out: `${res.stdout}${res.stderr}`, ms: performance.now() - t };
}

const work = `
  const { createWorkerBackend } = await import(${JSON.stringify(dist)});
  const be = await createWorkerBackend({ threads: 2 });
  const n = 256;
  const x = be.upload(new Float32Array(n * n).fill(1), 'float32');
  const info = { dataId: x, shape: [n, n], dtype: 'float32', size: n * n };
  for (let i = 0; i < 5; i++) {
    be.kernels.matmul([info, info], { transposeA: false, transposeB: false }, { shape: [1, n, n], dtype: 'float32', size: n * n }, be);
  }
  console.log('split', be.stats().splitJobs);
`;

describe('a process that used the backend', () => {
  it('exits by itself without dispose (the workers do not keep it alive)', () => {
    const res = runScript(work);
    expect(res.out).toContain('split 5');
    expect(res.status, res.out).toBe(0);
  });

  it('exits by itself after dispose, which ends every thread', () => {
    const res = runScript(`${work}
      await be.dispose();
      console.log('workers', be.readyWorkers());`);
    expect(res.out).toContain('workers 0');
    expect(res.status, res.out).toBe(0);
  });

  it('exits while a replacement worker is still starting', () => {
    const res = runScript(`${work}
      be.injectFault(1, 'exit');
      try { be.kernels.matmul([info, info], { transposeA: false, transposeB: false }, { shape: [1, n, n], dtype: 'float32', size: n * n }, be); } catch {}
      console.log('done');`);
    expect(res.out).toContain('done');
    expect(res.status, res.out).toBe(0);
  });
});

describe('where threads cannot run', () => {
  it('the factory throws the reason and listBackends reports it unavailable', () => {
    const res = runScript(`
      delete globalThis.SharedArrayBuffer;
      globalThis.crossOriginIsolated = false;
      const core = await import(${JSON.stringify(core)});
      const { createWorkerBackend } = await import(${JSON.stringify(dist)});
      core.registerBackend('worker', () => createWorkerBackend());
      const [info] = await core.listBackends();
      console.log(JSON.stringify(info));`);
    expect(res.status, res.out).toBe(0);
    const info = JSON.parse(res.out.trim().split('\n').pop() ?? '{}');
    expect(info.available).toBe(false);
    expect(info.reason).toMatch(/not cross-origin isolated/);
  });

  it('a worker script that does not load fails the factory with the reason', async () => {
    const missing = new URL('./no-such-worker.js', import.meta.url);
    await expect(createWorkerBackend({ threads: 2, workerUrl: missing })).rejects.toThrow(
      /worker thread 1 failed to start/,
    );
  });
});

describe('options', () => {
  it('rejects a thread count that is not a whole number ≥ 1', async () => {
    await expect(createWorkerBackend({ threads: 0 })).rejects.toThrow(/threads must be a whole number/);
    await expect(createWorkerBackend({ threads: 1.5 })).rejects.toThrow(/threads must be a whole number/);
  });

  it('defaults to one thread per core', async () => {
    const be = await createWorkerBackend();
    try {
      const { availableParallelism } = await import('node:os');
      expect(be.threads).toBe(availableParallelism());
      expect(be.readyWorkers()).toBe(availableParallelism() - 1);
    } finally {
      await be.dispose();
    }
  });
});
