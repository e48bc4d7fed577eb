import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    passWithNoTests: true,
    // Software Vulkan (lavapipe) compiles each pipeline on the CPU: give first runs time.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // One file at a time: each file drives its own lavapipe device, whose worker threads already use
    // both cores; in parallel the suite took 2m38s, one file at a time 52s.
    fileParallelism: false,
    // The JSON report is what scripts/summarize-tests.mjs adds up across packages.
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results/vitest.json' },
  },
});
