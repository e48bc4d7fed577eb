/** `myelin bench`: the same workload on each backend, side by side. */
import { describe, expect, it } from 'vitest';
import { json, runCli } from './helpers.js';

interface BenchDoc {
  workload: { model: string; dataset: string; batchSize: number; parameters: number };
  results: {
    backend: string;
    available: boolean;
    reason: string | null;
    trainSamplesPerSecond: number | null;
    inferenceSamplesPerSecond: number | null;
    initialLoss: number | null;
    steps: number;
    speedupVsCpu: number | null;
  }[];
}

describe('myelin bench', () => {
  it('times every requested backend and lists the unavailable ones with the reason', async () => {
    const r = await runCli(['bench', '--steps', '3', '--batch-size', '16', '--json'], {
      env: { MYELIN_DISABLE_BACKENDS: 'webgpu' },
    });
    expect(r.code, r.stderr).toBe(0);
    const doc = json<BenchDoc>(r);
    expect(doc.workload).toMatchObject({ model: 'mlp', dataset: 'digits', batchSize: 16 });
    expect(doc.results.map((x) => x.backend)).toEqual(['cpu', 'worker', 'webgpu']);
    const cpu = doc.results[0];
    expect(cpu?.available).toBe(true);
    expect(cpu?.steps).toBe(3);
    expect(cpu?.trainSamplesPerSecond).toBeGreaterThan(0);
    expect(cpu?.inferenceSamplesPerSecond).toBeGreaterThan(0);
    expect(cpu?.speedupVsCpu).toBeCloseTo(1, 6);
    const gpu = doc.results[2];
    expect(gpu).toMatchObject({
      available: false,
      reason: 'turned off by MYELIN_DISABLE_BACKENDS',
      trainSamplesPerSecond: null,
    });
    // Same seed, same batch: every backend that ran starts from the same loss.
    for (const x of doc.results.filter((y) => y.available))
      expect(x.initialLoss).toBeCloseTo(cpu?.initialLoss as number, 4);
  });

  it('prints a table, one row per backend', async () => {
    const r = await runCli([
      'bench',
      '--backends',
      'cpu',
      '-m',
      'lenet',
      '--steps',
      '2',
      '--batch-size',
      '8',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('myelin bench');
    expect(r.stdout).toMatch(/train samples\/s.*inference samples\/s/);
    expect(r.stdout).toMatch(/│ cpu\s+│\s+[\d,.]+ │/);
    expect(r.stdout).not.toMatch(/│ worker/);
  });

  it('rejects an unknown backend in --backends (exit 2)', async () => {
    const r = await runCli(['bench', '--backends', 'cpu,tpu']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown backend 'tpu' in --backends");
  });
});
