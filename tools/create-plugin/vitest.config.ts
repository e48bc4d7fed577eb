import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Generating, building and testing a plugin takes a while on 2 cores.
    testTimeout: 180_000,
    // The JSON report is what scripts/summarize-tests.mjs adds up across packages.
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results/vitest.json' },
  },
});
