import { resolve } from 'node:path';
import { defineConfig } from 'vite';

/**
 * SharedArrayBuffer (the worker backend's storage) exists only on a cross-origin isolated page, so both
 * the dev and the preview server send these two headers with every response.
 */
const CROSS_ORIGIN_ISOLATION = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  // Relative asset URLs: the built site works from any sub-path (GitHub Pages, a file server).
  base: './',
  server: { headers: CROSS_ORIGIN_ISOLATION },
  preview: { headers: CROSS_ORIGIN_ISOLATION },
  resolve: {
    // @myelin/conformance registers its tests with vitest's describe/it; in the browser page a small
    // shim of ours collects and runs them instead. The playground never imports vitest.
    alias: { vitest: resolve(import.meta.dirname, 'src/conformance/vitest-shim.ts') },
  },
  // Module workers: the training worker starts the worker backend's own threads (nested workers) and
  // shares chunks with the page, which only the `es` format allows.
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 2048,
    rolldownOptions: {
      input: {
        main: resolve(import.meta.dirname, 'index.html'),
        conformance: resolve(import.meta.dirname, 'conformance.html'),
      },
    },
  },
});
