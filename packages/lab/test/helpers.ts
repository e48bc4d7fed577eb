/** Test helpers: the CPU backend, and quick runs of the lab's experiments cached per seed. */
import { CpuBackend } from '@myelin/backend-cpu';
import { memory, registerBackend, setBackend } from '@myelin/core';
import { expect } from 'vitest';
import { getExperiment, type LabResult } from '../src/index.js';

let ready: Promise<void> | undefined;

/** Selects the CPU backend (registered once per test file). */
export function useCpu(): Promise<void> {
  ready ??= (async () => {
    registerBackend('cpu', () => new CpuBackend());
    await setBackend('cpu');
  })();
  return ready;
}

/** Runs experiment `name` in quick mode with `seed`, and checks that it left no tensor behind. */
export async function runQuick(name: string, seed = 0): Promise<LabResult> {
  await useCpu();
  const before = memory().tensors;
  const result = await getExperiment(name).run({ seed, quick: true });
  expect(memory().tensors, `${name} leaked tensors`).toBe(before);
  return result;
}

/** A metric of a result, failing the test when it is missing. */
export function metric(result: LabResult, key: string): number {
  const v = result.metrics[key];
  expect(v, `metric ${key} of ${result.name}`).toBeTypeOf('number');
  return v as number;
}

/** Checks the shape every result must have: fields, a non-empty table, charts of finite-or-skipped points. */
export function expectWellFormed(result: LabResult): void {
  expect(result.setup.length).toBeGreaterThan(40);
  expect(result.reading.length).toBeGreaterThan(80);
  expect(result.table.columns.length).toBeGreaterThan(1);
  expect(result.table.rows.length).toBeGreaterThan(0);
  for (const row of result.table.rows) expect(row.length).toBe(result.table.columns.length);
  expect(result.charts.length).toBeGreaterThan(0);
  for (const c of result.charts) {
    expect(['line', 'bar']).toContain(c.kind);
    expect(c.series.length).toBeGreaterThan(0);
    for (const s of c.series) expect(s.points.length).toBeGreaterThan(0);
  }
  for (const im of result.images ?? []) expect(im.values.length).toBe(im.width * im.height);
  // The reading is written from the numbers: no placeholder text slipped through.
  expect(result.reading).not.toMatch(/undefined|\[object/);
  expect(result.run.backend).toBe('cpu');
  expect(result.run.quick).toBe(true);
}
