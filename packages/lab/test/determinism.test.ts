import { beforeAll, describe, expect, it } from 'vitest';
import { runQuick, useCpu } from './helpers.js';

beforeAll(useCpu);

describe('reproducibility', () => {
  it('gives identical numbers for the same seed, and different ones for another seed', async () => {
    const a = await runQuick('zero-init', 7);
    const b = await runQuick('zero-init', 7);
    expect(b.metrics).toEqual(a.metrics);
    expect(b.table).toEqual(a.table);
    expect(b.charts).toEqual(a.charts);
    expect(b.reading).toBe(a.reading);
    const c = await runQuick('zero-init', 8);
    expect(
      c.metrics.random_test_accuracy === a.metrics.random_test_accuracy &&
        c.metrics.random_max_unit_spread === a.metrics.random_max_unit_spread,
    ).toBe(false);
  }, 120_000);
});
