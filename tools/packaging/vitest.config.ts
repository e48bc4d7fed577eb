import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Packing, installing and compiling take tens of seconds on 2 cores.
    testTimeout: 120_000,
    hookTimeout: 180_000,
    // The JSON report is what scripts/summarize-tests.mjs adds up across packages.
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results/vitest.json' },
  },
});
