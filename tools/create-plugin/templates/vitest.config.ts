import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Software Vulkan (lavapipe) compiles each WebGPU pipeline on the CPU: give first runs time.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // One file at a time: the worker backend's threads and a software GPU each use every core.
    fileParallelism: false,
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results/vitest.json' },
  },
});
