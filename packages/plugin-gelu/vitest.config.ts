import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Software Vulkan (lavapipe) compiles each WebGPU pipeline on the CPU: give first runs time.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // One file at a time: the worker backend's threads and lavapipe's each use both cores.
    fileParallelism: false,
    // The JSON report is what scripts/summarize-tests.mjs adds up across packages.
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results/vitest.json' },
  },
});
