import { defineConfig } from 'tsup';

export default defineConfig({
  // One executable. Dependencies (our packages, commander, vega, resvg...) stay external: they are
  // installed next to it, and resvg's native binary cannot be bundled.
  entry: { cli: 'src/cli.ts' },
  format: ['esm'],
  target: 'node20',
  platform: 'node',
  banner: { js: '#!/usr/bin/env node' },
  dts: false,
  sourcemap: true,
  clean: true,
  // Splitting keeps cli.js a small loader that imports the rest dynamically (see src/cli.ts).
  splitting: true,
});
