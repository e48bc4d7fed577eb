import { defineConfig } from 'tsup';

export default defineConfig({
  // Two entries: the backend, and the script each worker thread runs. The backend finds the worker with
  // `new URL('./worker.js', import.meta.url)`, so both must land side by side in dist/.
  entry: { index: 'src/index.ts', worker: 'src/worker.ts' },
  format: ['esm'],
  target: 'es2022',
  platform: 'neutral',
  // worker.d.ts is empty (`export {}`), but lets the `./worker.js` export name its types.
  dts: {
    entry: { index: 'src/index.ts', worker: 'src/worker.ts' },
    compilerOptions: { ignoreDeprecations: '6.0' },
  },
  sourcemap: true,
  clean: true,
  splitting: true,
  treeshake: true,
});
