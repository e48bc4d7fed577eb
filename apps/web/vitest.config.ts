import { defineConfig } from 'vitest/config';

/**
 * The end-to-end tests: they serve the built site (dist/, made by `vite build`) with `vite preview` on a
 * free loopback port and drive Debian's Chromium through playwright-core. This file, not
 * vite.config.ts, configures them, so the page's `vitest` alias (the conformance shim) stays out.
 */
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // One file at a time: each starts a browser, and the machine has 2 cores.
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 60_000,
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results/vitest.json' },
  },
});
