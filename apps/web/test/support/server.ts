/**
 * Serves the built site (dist/) with `vite preview` on a free loopback port. The preview server sends the
 * cross-origin-isolation headers of vite.config.ts, as the real site must.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { preview } from 'vite';

const appRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface Served {
  url: string;
  close(): Promise<void>;
}

/**
 * Starts the preview server. `isolated: false` serves the same files without the cross-origin-isolation
 * headers (no vite.config.ts), as a misconfigured host would: the worker backend must then say why it
 * cannot run.
 */
export async function servePreview(options: { isolated?: boolean } = {}): Promise<Served> {
  if (!existsSync(join(appRoot, 'dist', 'index.html'))) {
    throw new Error('dist/ is missing: run `vite build` first (`pnpm test` does)');
  }
  const isolated = options.isolated ?? true;
  // Port 0: the system picks a free port; the server reports the one it got.
  const server = await preview({
    root: appRoot,
    ...(isolated ? {} : { configFile: false as const, base: './' }),
    logLevel: 'warn',
    preview: { host: '127.0.0.1', port: 0, strictPort: true, open: false },
  });
  const url = server.resolvedUrls?.local[0];
  if (!url) {
    await server.close();
    throw new Error('vite preview did not report a URL');
  }
  return { url, close: () => server.close() };
}
