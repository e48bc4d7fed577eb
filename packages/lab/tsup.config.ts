import { defineConfig } from 'tsup';

export default defineConfig({
  // One entry: the experiments, the report writer and the SVG chart renderer. Platform-neutral (Node and
  // browsers); the backend is chosen by the caller.
  entry: { index: 'src/index.ts' },
  format: ['esm'],
  target: 'es2022',
  platform: 'neutral',
  dts: { compilerOptions: { ignoreDeprecations: '6.0' } },
  sourcemap: true,
  clean: true,
  splitting: true,
  treeshake: true,
});
