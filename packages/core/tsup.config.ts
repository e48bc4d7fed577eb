import { defineConfig } from 'tsup';

export default defineConfig({
  // Two public entry points: `@myelin/core` and `@myelin/core/jsmath` (the range kernels shared by the
  // CPU and worker backends). Keys are the output paths under dist/.
  entry: {
    index: 'src/index.ts',
    'jsmath/index': 'src/jsmath/index.ts',
  },
  format: ['esm'],
  target: 'es2022',
  platform: 'neutral',
  dts: { compilerOptions: { ignoreDeprecations: '6.0' } },
  sourcemap: true,
  clean: true,
  splitting: true,
  treeshake: true,
});
