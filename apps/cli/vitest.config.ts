import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The end-to-end tests run the built CLI (dist/cli.js) as a subprocess; some train tiny models.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // One file at a time: each test spawns node processes, and the machine has 2 cores.
    fileParallelism: false,
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results/vitest.json' },
  },
});
