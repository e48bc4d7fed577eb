import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The tests run the built package (dist/): the worker threads load dist/worker.js, which Node 20
    // cannot load from TypeScript source. `turbo run test` builds first.
    passWithNoTests: true,
    // Test files each start their own thread pool; on a 2-core machine running them one at a time keeps
    // every pool at the thread count it asked for.
    fileParallelism: false,
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results/vitest.json' },
  },
});
