/**
 * Loads an optional package of ours, saying why it cannot be loaded (does not exist yet, not built) rather
 * than failing the run: a backend still being written is skipped with a note.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot } from '../paths.js';
import { messageOf } from './engine.js';

export type Loaded<T> = { module: T; version: string } | { reason: string };

function isNotFound(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'ERR_MODULE_NOT_FOUND' || code === 'ERR_PACKAGE_PATH_NOT_EXPORTED';
}

/**
 * Imports `name` (a workspace dependency of @myelin/bench), or else its built entry in `dir` of the
 * repository (for a package this harness does not list yet). Both resolve to the same files, so the
 * package shares one `@myelin/core` instance with everything else.
 */
export async function loadWorkspacePackage<T>(name: string, dir: string): Promise<Loaded<T>> {
  const pkgDir = join(repoRoot(), dir);
  const manifest = join(pkgDir, 'package.json');
  if (!existsSync(manifest)) return { reason: `${name} does not exist yet (no ${dir}/package.json)` };
  const version = (JSON.parse(readFileSync(manifest, 'utf8')) as { version?: string }).version ?? '?';
  const entry = join(pkgDir, 'dist', 'index.js');
  if (!existsSync(entry)) return { reason: `${name} is not built (no ${dir}/dist/index.js; run pnpm build)` };
  try {
    return { module: (await import(name)) as T, version };
  } catch (err) {
    if (!isNotFound(err)) return { reason: `${name} failed to load: ${messageOf(err)}` };
  }
  try {
    return { module: (await import(pathToFileURL(entry).href)) as T, version };
  } catch (err) {
    return { reason: `${name} failed to load: ${messageOf(err)}` };
  }
}
