/**
 * Myelin's packages as users get them. Every published package is packed (`pnpm pack`), checked with
 * publint and arethetypeswrong, and the tarballs are installed offline (from pnpm's store) into a fresh
 * project outside the workspace, where the runtime-switching example runs in TypeScript (type-checked
 * against the installed declarations, emitted by tsc, run by node) and in plain JavaScript, and every
 * package and subpath is imported from both. Changesets: `changeset status` passes, every published
 * package is in a pending changeset, and the ranges `changeset version` would publish are right.
 */
import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  changedPackagesWithoutChangeset,
  changesetStatus,
  checkVersionedRanges,
  lintTarball,
  pack,
  publishedPackages,
  REPO,
  readmeProblems,
  typesOfTarball,
} from '../src/packages.mjs';

const PACKAGES = publishedPackages();
const WORK = mkdtempSync(join(tmpdir(), 'myelin-packaging-'));
const TARBALLS = join(WORK, 'tarballs');
const APP = join(WORK, 'app');
const EXAMPLES = join(REPO, 'tools', 'packaging', 'examples');
const tarballs = new Map<string, string>();

afterAll(() => rmSync(WORK, { recursive: true, force: true }));

beforeAll(() => {
  const unbuilt = PACKAGES.filter((p) => !existsSync(join(p.dir, 'dist')));
  if (unbuilt.length > 0) {
    throw new Error(
      `not built: ${unbuilt.map((p) => p.name).join(', ')} — run \`pnpm build\` (turbo does it first)`,
    );
  }
  for (const pkg of PACKAGES) tarballs.set(pkg.name, pack(pkg, TARBALLS));
}, 180_000);

it('finds the published packages (every non-private package in packages/)', () => {
  expect(PACKAGES.map((p) => p.name)).toEqual(
    expect.arrayContaining(['@myelin/core', '@myelin/plugin-gelu']),
  );
  for (const p of PACKAGES) expect(p.manifest.type, p.name).toBe('module');
});

describe.each(PACKAGES.map((p) => [p.name, p] as const))('%s as packed', (name, pkg) => {
  it('passes publint (strict)', async () => {
    expect(await lintTarball(tarballs.get(name) as string)).toEqual([]);
  });
  it('passes arethetypeswrong (esm-only profile)', async () => {
    expect(await typesOfTarball(tarballs.get(name) as string, name)).toEqual([]);
  });
  it('has no workspace: range left in its packed package.json', () => {
    const manifest = execFileSync('tar', ['-xzOf', tarballs.get(name) as string, 'package/package.json'], {
      encoding: 'utf8',
    });
    expect(manifest).not.toContain('workspace:');
  });
  it('has a README that opens with the install command and a short example', () => {
    expect(readmeProblems(pkg)).toEqual([]);
  });
});

describe('changesets', () => {
  it('`changeset status` passes (as CI runs it; uncommitted package changes need a new changeset)', () => {
    const status = changesetStatus();
    expect(status.ok, `${status.output}\nAdd one with \`pnpm changeset\`.`).toBe(true);
  });
  it('names every package changed since the base branch in a pending changeset', () => {
    expect(changedPackagesWithoutChangeset(PACKAGES)).toEqual([]);
  });
  it('`changeset version` gives ranges that hold the versions released together', () => {
    const { versions, problems } = checkVersionedRanges();
    expect(problems).toEqual([]);
    // One fixed group: every package moves to the same version.
    expect(new Set(Object.values(versions)).size).toBe(1);
  }, 60_000);
});

/** Runs a command in the outside project; throws with its output when it fails. */
function sh(cmd: string, args: string[], env: Record<string, string> = {}): string {
  try {
    return execFileSync(cmd, args, {
      cwd: APP,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', ...env },
      timeout: 120_000,
    });
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${cmd} ${args.join(' ')} failed:\n${err.stdout ?? ''}\n${err.stderr ?? err.message}`);
  }
}

/** The version of a tool as installed in this workspace (so pnpm finds it in its store, offline). */
function workspaceVersion(name: string): string {
  return JSON.parse(readFileSync(join(REPO, 'node_modules', name, 'package.json'), 'utf8')).version;
}

/** Import specifiers of every public entry point (subpaths included; not the worker script). */
function entryPoints(): string[] {
  return PACKAGES.flatMap((p) =>
    Object.keys(p.manifest.exports ?? { '.': null })
      .filter((k) => k !== './package.json' && !k.endsWith('.js'))
      .map((k) => (k === '.' ? p.name : `${p.name}/${k.slice(2)}`)),
  );
}

describe('installed from the tarballs in a project outside the workspace', () => {
  let skipWebGpu = '';
  let installMode = '';

  beforeAll(() => {
    mkdirSync(APP, { recursive: true });
    const write = (webgpu: boolean): void => {
      const chosen = PACKAGES.filter((p) => webgpu || p.name !== '@myelin/backend-webgpu');
      const spec = (name: string): string => `file:${relative(APP, tarballs.get(name) as string)}`;
      const dependencies = Object.fromEntries(chosen.map((p) => [p.name, spec(p.name)]));
      writeFileSync(
        join(APP, 'package.json'),
        JSON.stringify({
          name: 'myelin-outside-app',
          private: true,
          type: 'module',
          dependencies,
          // What a TypeScript user adds; vitest is @myelin/conformance's peer.
          devDependencies: Object.fromEntries(
            ['typescript', '@types/node', 'vitest'].map((n) => [n, workspaceVersion(n)]),
          ),
        }),
      );
      // Our packages depend on each other by version (`^0.0.1`), which no registry has yet: point those
      // at the tarballs. pnpm 12 reads settings from pnpm-workspace.yaml; builds are decided, not run.
      const overrides = chosen.map((p) => `  "${p.name}": "${spec(p.name)}"`).join('\n');
      writeFileSync(
        join(APP, 'pnpm-workspace.yaml'),
        `allowBuilds:\n  esbuild: false\n  webgpu: false\nupdateNotifier: false\noverrides:\n${overrides}\n`,
      );
    };
    // Offline first (pnpm's store and metadata cache). Should that fail, say why and fall back: to the
    // registry for what the cache lacks, then to a project without the WebGPU backend (Dawn is the one
    // large third-party dependency).
    const attempts = [
      { webgpu: true, mode: '--offline' },
      { webgpu: true, mode: '--prefer-offline' },
      { webgpu: false, mode: '--offline' },
      { webgpu: false, mode: '--prefer-offline' },
    ];
    let lastError = '';
    for (const { webgpu, mode } of attempts) {
      rmSync(join(APP, 'node_modules'), { recursive: true, force: true });
      rmSync(join(APP, 'pnpm-lock.yaml'), { force: true });
      write(webgpu);
      try {
        sh('pnpm', ['install', mode, '--reporter=append-only']);
        installMode = mode;
        if (!webgpu) skipWebGpu = `the install with @myelin/backend-webgpu failed: ${lastError}`;
        break;
      } catch (e) {
        lastError = (e as Error).message.split('\n').slice(0, 6).join(' ');
        console.warn(
          `[packaging] pnpm install ${mode}${webgpu ? '' : ' (without WebGPU)'} failed: ${lastError}`,
        );
      }
    }
    if (!installMode) throw new Error(`the tarballs could not be installed: ${lastError}`);
    if (skipWebGpu) console.warn(`[packaging] WebGPU left out of the outside-workspace test: ${skipWebGpu}`);
    for (const f of ['runtime-switching.ts', 'runtime-switching.mjs'])
      copyFileSync(join(EXAMPLES, f), join(APP, f));
    const specs = entryPoints().filter((s) => !skipWebGpu || !s.startsWith('@myelin/backend-webgpu'));
    const importAll = (list: string[]): string =>
      `${list.map((s, i) => `import * as m${i} from '${s}';`).join('\n')}\n` +
      `export const exported: Record<string, number> = {\n${list.map((s, i) => `  '${s}': Object.keys(m${i}).length,`).join('\n')}\n};\n`;
    writeFileSync(join(APP, 'smoke.ts'), importAll(specs));
    // @myelin/backend-webgpu's declarations use WebGPU's types (GPUDevice...), which in a Node project
    // come from @webgpu/types, whose own declarations need the DOM lib: only skipLibCheck makes that
    // combination type-check (see .notes/core-bugs.md). Every other package must be clean without it.
    writeFileSync(
      join(APP, 'smoke-strict.ts'),
      importAll(specs.filter((s) => !s.startsWith('@myelin/backend-webgpu'))),
    );
    writeFileSync(
      join(APP, 'smoke.mjs'),
      `const specs = ${JSON.stringify(specs)};\nconst empty = [];\n` +
        'for (const s of specs) if (Object.keys(await import(s)).length === 0) empty.push(s);\n' +
        "if (empty.length) { console.error('no exports: ' + empty.join(', ')); process.exit(1); }\n" +
        "console.log('imported ' + specs.length + ' entry points');\n",
    );
    const tsconfig = (files: string[], options: Record<string, unknown> = {}) => ({
      compilerOptions: {
        target: 'ES2022',
        lib: ['ES2023', 'ESNext.Disposable'],
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        types: ['node'],
        strict: true,
        // What `tsc --init` writes; tsconfig.strict.json also checks the packages' own .d.ts files.
        skipLibCheck: true,
        noEmitOnError: true,
        outDir: 'dist',
        rootDir: '.',
        ...options,
      },
      files,
    });
    const example = skipWebGpu ? [] : ['runtime-switching.ts'];
    writeFileSync(join(APP, 'tsconfig.json'), JSON.stringify(tsconfig(example)));
    writeFileSync(join(APP, 'tsconfig.smoke.json'), JSON.stringify(tsconfig(['smoke.ts'], { noEmit: true })));
    writeFileSync(
      join(APP, 'tsconfig.strict.json'),
      JSON.stringify(tsconfig(['smoke-strict.ts'], { noEmit: true, skipLibCheck: false })),
    );
  }, 180_000);

  it('installs from the tarballs (offline where pnpm has cached the metadata), one copy of @myelin/core', () => {
    // A machine whose pnpm only ever ran `install --frozen-lockfile` has the packages in its store but no
    // registry metadata, which `--offline` needs to resolve typescript, vitest and webgpu: the install then
    // fetches just that metadata (`--prefer-offline`), and says so above.
    console.log(
      `[packaging] installed with pnpm install ${installMode}${skipWebGpu ? ' (without WebGPU)' : ''}`,
    );
    expect(['--offline', '--prefer-offline']).toContain(installMode);
    const pnpmDir = readFileSync(join(APP, 'node_modules', '.modules.yaml'), 'utf8');
    expect(pnpmDir).toContain('layout');
    const cores = execFileSync('ls', [join(APP, 'node_modules', '.pnpm')], { encoding: 'utf8' })
      .split('\n')
      .filter((d) => d.startsWith('@myelin+core@'));
    expect(cores).toHaveLength(1);
  });

  it('resolves the types of every package and subpath (tsc --noEmit, strict, NodeNext)', () => {
    sh(join(APP, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.smoke.json']);
  });

  it('type-checks the runtime-switching example against the installed declarations and emits it', (ctx) => {
    if (skipWebGpu) return ctx.skip();
    sh(join(APP, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.json']);
    expect(existsSync(join(APP, 'dist', 'runtime-switching.js'))).toBe(true);
  });

  it('type-checks the packages’ own declarations too (skipLibCheck: false; all but backend-webgpu)', () => {
    sh(join(APP, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.strict.json']);
  });

  it('imports every package and subpath from plain JavaScript', () => {
    expect(sh(process.execPath, ['smoke.mjs'])).toMatch(/imported \d+ entry points/);
  });

  it('runs the runtime-switching example compiled by tsc: cpu → worker → webgpu, save, reload, same predictions', (ctx) => {
    if (skipWebGpu) return ctx.skip();
    const out = sh(process.execPath, [join('dist', 'runtime-switching.js')]);
    const result = JSON.parse(
      out
        .split('\n')
        .find((l) => l.startsWith('RESULT '))
        ?.slice(7) ?? '{}',
    );
    console.log(out.trim());
    expect(result.ok).toBe(true);
    expect(result.losses.worker).toBeLessThan(result.first);
    expect(result.maxDiff).toBeLessThan(1e-4);
  });

  it('runs the same example as plain JavaScript (ESM)', () => {
    const env: Record<string, string> = skipWebGpu ? { MYELIN_SKIP_WEBGPU: '1' } : {};
    if (skipWebGpu) {
      // Without the WebGPU package installed, the example's import of it would fail: drop that backend.
      const js = readFileSync(join(APP, 'runtime-switching.mjs'), 'utf8')
        .replace(/^import \{ createWebGpuBackend \}.*$/m, '')
        .replace(/^registerBackend\('webgpu'.*$/m, '')
        .replace(/^await removeBackend\('webgpu'\);$/m, '');
      writeFileSync(join(APP, 'runtime-switching.mjs'), js);
    }
    const out = sh(process.execPath, ['runtime-switching.mjs'], env);
    const result = JSON.parse(
      out
        .split('\n')
        .find((l) => l.startsWith('RESULT '))
        ?.slice(7) ?? '{}',
    );
    expect(result.ok).toBe(true);
    expect(result.maxDiff).toBeLessThan(1e-4);
    if (!skipWebGpu && !String(result.webgpu).startsWith('used'))
      console.warn(`[packaging] WebGPU ${result.webgpu}`);
  });
});
