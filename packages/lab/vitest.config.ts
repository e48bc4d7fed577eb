import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // A package whose tests are still to be written reports zero tests instead of failing the run.
    passWithNoTests: true,
    // The JSON report is what scripts/summarize-tests.mjs adds up across packages.
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results/vitest.json' },
  },
});
