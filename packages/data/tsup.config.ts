import { defineConfig } from 'tsup';

export default defineConfig({
  // Two public entry points: `@myelin/data` (platform-neutral) and `@myelin/data/node` (file readers).
  // Splitting shares one copy of the common modules, so an error class is the same class in both.
  entry: { index: 'src/index.ts', node: 'src/node.ts' },
  format: ['esm'],
  target: 'es2022',
  platform: 'neutral',
  // Only the node entry imports these; a neutral build must be told they are provided by the runtime.
  external: [/^node:/],
  // Keep `node:fs` as written (tsup strips the prefix by default; Deno and bundlers want it).
  removeNodeProtocol: false,
  dts: { compilerOptions: { ignoreDeprecations: '6.0' } },
  sourcemap: true,
  clean: true,
  splitting: true,
  treeshake: true,
});
