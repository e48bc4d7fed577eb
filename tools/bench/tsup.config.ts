import { defineConfig } from 'tsup';

export default defineConfig({
  // One program, run by Node; the libraries it measures stay external so it loads their built dist/.
  entry: { cli: 'src/cli.ts', recipes: 'src/recipes-cli.ts' },
  format: ['esm'],
  target: 'es2022',
  platform: 'node',
  sourcemap: true,
  clean: true,
  external: [/^@myelin\//, /^@tensorflow\//],
});
