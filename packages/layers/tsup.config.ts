import { defineConfig } from 'tsup';

export default defineConfig({
  // `@myelin/layers` runs anywhere; `@myelin/layers/node` adds file checkpoints (node:fs).
  entry: { index: 'src/index.ts', node: 'src/node.ts' },
  format: ['esm'],
  target: 'es2022',
  platform: 'neutral',
  external: [/^node:/],
  dts: { compilerOptions: { ignoreDeprecations: '6.0' } },
  sourcemap: true,
  clean: true,
  splitting: true,
  treeshake: true,
});
