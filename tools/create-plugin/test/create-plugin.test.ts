/**
 * `pnpm create-plugin demo` makes a package that type-checks, builds and passes its own tests (the
 * plugin conformance checks on CPU, worker and WebGPU, and a model that trains) — generated into a
 * temporary folder outside the workspace, whose node_modules links this repository's built packages and
 * tools (no install, no network).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { namesOf, parseArgs } from '../bin/create-plugin.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const TOOL = resolve(HERE, '..');
const REPO = resolve(TOOL, '..', '..');
const CLI = join(TOOL, 'bin', 'create-plugin.mjs');
const require = createRequire(join(TOOL, 'package.json'));

const MYELIN = ['core', 'layers', 'optim', 'conformance', 'backend-cpu', 'backend-worker', 'backend-webgpu'];
const TOOLS = ['vitest', 'tsup', 'typescript', '@types/node'];

/** The folder of an installed package of this tool (its real path inside pnpm's store). */
function packageDir(name: string): string {
  return realpathSync(dirname(require.resolve(`${name}/package.json`)));
}

/** node_modules for a package outside the workspace: links to the built @myelin packages and the tools. */
function linkDependencies(pkgDir: string): void {
  for (const name of MYELIN) {
    const link = join(pkgDir, 'node_modules', '@myelin', name);
    mkdirSync(dirname(link), { recursive: true });
    symlinkSync(join(REPO, 'packages', name), link, 'dir');
  }
  for (const name of TOOLS) {
    const link = join(pkgDir, 'node_modules', name);
    mkdirSync(dirname(link), { recursive: true });
    symlinkSync(packageDir(name), link, 'dir');
  }
}

function run(file: string, args: string[], cwd: string): string {
  try {
    return execFileSync(process.execPath, [file, ...args], {
      cwd,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
      timeout: 150_000,
    });
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; message: string };
    throw new Error(
      `${file} ${args.join(' ')} failed in ${cwd}:\n${err.stdout ?? ''}\n${err.stderr ?? err.message}`,
    );
  }
}

describe('names and arguments', () => {
  it('derives the op, layer, folder and package names from a kebab-case name', () => {
    expect(namesOf('my-op')).toEqual({
      base: 'my-op',
      folder: 'plugin-my-op',
      op: 'myOp',
      layer: 'MyOp',
      packageName: '@myelin/plugin-my-op',
    });
    expect(namesOf('plugin-gelu2').folder).toBe('plugin-gelu2');
  });

  it('refuses names that are not kebab-case and unknown options', () => {
    expect(() => namesOf('MyOp')).toThrow(/kebab-case/);
    expect(() => namesOf('my--op')).toThrow(/kebab-case/);
    expect(() => parseArgs(['demo', '--frobnicate'])).toThrow(/unknown option --frobnicate/);
    expect(() => parseArgs([])).toThrow(/name is needed/);
    expect(parseArgs(['demo', '--dir', '/tmp/x'])).toEqual({
      name: 'demo',
      dir: '/tmp/x',
      packageName: undefined,
    });
  });

  it('is what `pnpm create-plugin` runs from the repository root', () => {
    const root = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8'));
    expect(root.scripts['create-plugin']).toBe('node tools/create-plugin/bin/create-plugin.mjs');
  });

  it('takes the plugin conformance checks from @myelin/conformance, not from a copy of its own', () => {
    const tests = join(TOOL, 'templates', 'test');
    expect(existsSync(join(tests, 'plugin-conformance.ts'))).toBe(false);
    const conformance = readFileSync(join(tests, 'conformance.test.ts'), 'utf8');
    expect(conformance).toContain("import { runPluginConformance } from '@myelin/conformance';");
    const backends = readFileSync(join(tests, 'backends.ts'), 'utf8');
    expect(backends).toContain("import type { PluginBackend } from '@myelin/conformance';");
    const manifest = JSON.parse(readFileSync(join(TOOL, 'templates', '_package.json'), 'utf8'));
    expect(Object.keys(manifest.devDependencies)).toContain('@myelin/conformance');
  });
});

describe('create-plugin demo, outside the workspace', () => {
  const parent = mkdtempSync(join(tmpdir(), 'myelin-create-plugin-'));
  const pkg = join(parent, 'plugin-demo');
  afterAll(() => rmSync(parent, { recursive: true, force: true }));

  it('generates, type-checks, builds and passes its own tests', () => {
    for (const name of MYELIN) {
      if (!existsSync(join(REPO, 'packages', name, 'dist', 'index.js'))) {
        throw new Error(
          `packages/${name} is not built: run \`pnpm build\` first (turbo does it before this test)`,
        );
      }
    }
    const out = run(CLI, ['demo', '--dir', parent], REPO);
    expect(out).toContain('created @myelin/plugin-demo');
    const manifest = JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8'));
    expect(manifest.name).toBe('@myelin/plugin-demo');
    // Outside the workspace the @myelin dependencies are version ranges, not workspace: links.
    expect(manifest.peerDependencies['@myelin/core']).toMatch(/^\^\d+\.\d+\.\d+$/);
    expect(readFileSync(join(pkg, 'src', 'ops.ts'), 'utf8')).toContain('export function demo(x: Tensor)');
    expect(existsSync(join(pkg, '.gitignore'))).toBe(true);

    linkDependencies(pkg);
    run(join(packageDir('typescript'), 'bin', 'tsc'), ['--noEmit', '-p', '.'], pkg);
    run(join(packageDir('tsup'), 'dist', 'cli-default.js'), [], pkg);
    expect(existsSync(join(pkg, 'dist', 'index.js'))).toBe(true);
    expect(existsSync(join(pkg, 'dist', 'index.d.ts'))).toBe(true);
    run(join(packageDir('vitest'), 'vitest.mjs'), ['run'], pkg);

    const report = JSON.parse(readFileSync(join(pkg, 'test-results', 'vitest.json'), 'utf8'));
    expect(report.numFailedTests).toBe(0);
    // 5 checks of one op on each of 3 backends, and the layer test; WebGPU ones may be skipped.
    expect(report.numPassedTests).toBeGreaterThanOrEqual(11);
    expect(report.numPassedTests + report.numPendingTests).toBe(16);
  });
});
