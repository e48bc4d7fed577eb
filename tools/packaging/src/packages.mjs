/**
 * The checks that keep Myelin's packages installable as users get them: which packages are published,
 * packing them as `pnpm pack` does (workspace: ranges replaced), publint and arethetypeswrong on the
 * tarballs, the README openings, and changesets (status, and the ranges `changeset version` produces).
 * Used by `bin/check-packages.mjs` (`pnpm check:packages`) and by this package's tests.
 */
import { execFileSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkPackage, createPackageFromTarballData } from '@arethetypeswrong/core';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import semver from 'semver';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/**
 * attw's `esm-only` profile: the packages ship ESM only (`"type": "module"`, `exports` with `import`
 * conditions, no CommonJS build), so the `node10` resolution (which ignores `exports`, hence cannot see
 * subpaths like `@myelin/core/jsmath`) and `require()` from CommonJS (`node16-cjs`) are not supported
 * ways to load them. Problems under `node16` from ESM and `bundler` still fail the check.
 */
export const ATTW_IGNORED_RESOLUTIONS = ['node10', 'node16-cjs'];

/**
 * Entry points that are not modules to import, excluded from attw's type check: the worker backend's
 * thread script, exported only so that bundlers can locate it (`new Worker(new URL(...))`).
 */
export const ATTW_EXCLUDED_ENTRYPOINTS = { '@myelin/backend-worker': ['./worker.js'] };

/** Every published (non-private) workspace package: `{ name, version, dir, manifest }`. */
export function publishedPackages() {
  const dir = join(REPO, 'packages');
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(join(dir, e.name, 'package.json')))
    .map((e) => {
      const manifest = JSON.parse(readFileSync(join(dir, e.name, 'package.json'), 'utf8'));
      return { name: manifest.name, version: manifest.version, dir: join(dir, e.name), manifest };
    })
    .filter((p) => !p.manifest.private)
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** The file name `pnpm pack` gives a package's tarball. */
export function tarballName(name, version) {
  return `${name.replace(/^@/, '').replace('/', '-')}-${version}.tgz`;
}

/**
 * Packs a package with `pnpm pack` (which replaces `workspace:` ranges with real ones) into `dest`;
 * returns the tarball's path. The package must be built (its `dist/` is what gets packed).
 */
export function pack(pkg, dest) {
  mkdirSync(dest, { recursive: true });
  execFileSync('pnpm', ['pack', '--pack-destination', dest], {
    cwd: pkg.dir,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const file = join(dest, tarballName(pkg.name, pkg.version));
  if (!existsSync(file)) throw new Error(`pnpm pack of ${pkg.name} did not write ${file}`);
  return file;
}

/** publint on a tarball, strict (warnings count as errors): the messages, formatted. */
export async function lintTarball(file) {
  const data = readFileSync(file);
  const tarball = data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength);
  const { messages, pkg } = await publint({ pack: { tarball }, strict: true, level: 'warning' });
  return messages.map((m) => `${m.type}: ${formatMessage(m, pkg, { color: false }) ?? m.code}`);
}

/**
 * arethetypeswrong on a tarball with the `esm-only` profile: the problems, formatted. A package
 * without types is a problem here (the attw CLI itself exits 0 for one).
 */
export async function typesOfTarball(file, name) {
  const pkg = createPackageFromTarballData(new Uint8Array(readFileSync(file)));
  const analysis = await checkPackage(pkg, { excludeEntrypoints: ATTW_EXCLUDED_ENTRYPOINTS[name] ?? [] });
  if (!analysis.types) return ['the package has no type declarations'];
  return analysis.problems
    .filter((p) => !('resolutionKind' in p) || !ATTW_IGNORED_RESOLUTIONS.includes(p.resolutionKind))
    .map(
      (p) =>
        `${p.kind}${p.entrypoint ? ` at ${p.entrypoint}` : ''}${p.resolutionKind ? ` (${p.resolutionKind})` : ''}`,
    );
}

/**
 * What is wrong with the opening of a package's README: it must start with a `# <name>` heading, then
 * within its first 40 lines an install command naming the package and a code example of 3 to 20 lines.
 */
export function readmeProblems(pkg) {
  const path = join(pkg.dir, 'README.md');
  if (!existsSync(path)) return ['no README.md'];
  const lines = readFileSync(path, 'utf8').split('\n');
  const problems = [];
  if (lines[0]?.trim() !== `# ${pkg.name}`) problems.push(`the first line is not '# ${pkg.name}'`);
  const head = lines.slice(0, 40);
  const install = head.findIndex(
    (l) => /^(npm install|pnpm add|yarn add) .*/.test(l) && l.includes(pkg.name),
  );
  if (install < 0) problems.push(`no 'npm install ... ${pkg.name}' in the first 40 lines`);
  const open = head.findIndex((l, i) => i > install && /^```(ts|js|typescript|javascript)\s*$/.test(l));
  const close = open >= 0 ? head.findIndex((l, i) => i > open && l.startsWith('```')) : -1;
  if (open < 0 || close < 0) problems.push('no ```ts example after the install line in the first 40 lines');
  else if (close - open - 1 < 3 || close - open - 1 > 20)
    problems.push(`the example has ${close - open - 1} lines, not 3 to 20`);
  return problems;
}

/**
 * The ref `changeset status` compares against: `MYELIN_CHANGESET_SINCE` if set, else the base branch
 * where it exists, else its remote copy (a CI clone may be a detached HEAD with no local `main`), else
 * HEAD itself (nothing changed). On `main` itself that means the uncommitted changes: commit a changeset
 * with every package change.
 */
export function changesetBaseRef() {
  // A release tag, or HEAD~1 to hold each commit on main to the rule, can be given from outside.
  if (process.env.MYELIN_CHANGESET_SINCE) return process.env.MYELIN_CHANGESET_SINCE;
  const base = JSON.parse(readFileSync(join(REPO, '.changeset', 'config.json'), 'utf8')).baseBranch ?? 'main';
  for (const ref of [base, `origin/${base}`]) {
    try {
      execFileSync('git', ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], {
        cwd: REPO,
        stdio: 'ignore',
      });
      return ref;
    } catch {
      // not here: try the next
    }
  }
  return 'HEAD';
}

/** `changeset status` (as CI runs it, with CI=true): `{ ok, output }`. */
export function changesetStatus() {
  try {
    const output = execFileSync(
      join(REPO, 'node_modules', '.bin', 'changeset'),
      ['status', `--since=${changesetBaseRef()}`],
      {
        cwd: REPO,
        env: { ...process.env, CI: 'true', NO_COLOR: '1', FORCE_COLOR: '0' },
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    return { ok: true, output };
  } catch (e) {
    return { ok: false, output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

/** Package names in the front matter of every pending changeset (`.changeset/*.md`, committed or not). */
export function packagesInChangesets() {
  const dir = join(REPO, '.changeset');
  const named = new Set();
  for (const f of readdirSync(dir).filter((f) => f.endsWith('.md') && f !== 'README.md')) {
    const front = readFileSync(join(dir, f), 'utf8').split('---')[1] ?? '';
    for (const m of front.matchAll(/^\s*["']?(@?[\w./-]+)["']?\s*:\s*(patch|minor|major)\s*$/gm))
      named.add(m[1]);
  }
  return named;
}

/** Files changed since `ref`: committed after it, modified in the working tree, or untracked. */
function changedFiles(ref) {
  const git = (...args) =>
    execFileSync('git', args, { cwd: REPO, encoding: 'utf8' }).split('\n').filter(Boolean);
  const base = ref === 'HEAD' ? 'HEAD' : git('merge-base', ref, 'HEAD')[0];
  return [...git('diff', '--name-only', base), ...git('ls-files', '--others', '--exclude-standard')];
}

/**
 * Published packages changed since the base ref (see `changesetBaseRef`) that no pending changeset
 * names — stricter than `changeset status`, which is satisfied by any one new changeset. Tests, READMEs
 * and other files outside a package's `files` count too: they are changes a reviewer should see named.
 */
export function changedPackagesWithoutChangeset(packages = publishedPackages()) {
  const named = packagesInChangesets();
  const changed = changedFiles(changesetBaseRef()).map((f) => join(REPO, f));
  return packages
    .filter((p) => !named.has(p.name) && changed.some((f) => f.startsWith(`${p.dir}/`)))
    .map((p) => p.name);
}

/** The range `pnpm pack` writes for a `workspace:` specifier of a dependency at `version`. */
export function publishedRange(spec, version) {
  if (!spec.startsWith('workspace:')) return spec;
  const rest = spec.slice('workspace:'.length);
  if (rest === '*') return version;
  if (rest === '^' || rest === '~') return `${rest}${version}`;
  return rest;
}

/**
 * Runs `changeset version` on a copy of the repository's manifests and changesets (in a temporary git
 * repository; the real tree is untouched) and checks the result as `pnpm pack` would publish it: each
 * internal dependency and peer dependency is satisfied by the version released with it, peers are ranges
 * (not pins), and no `workspace:` is left. Returns `{ versions, problems }`.
 */
export function checkVersionedRanges() {
  const work = mkdtempSync(join(tmpdir(), 'myelin-changeset-'));
  try {
    for (const f of ['package.json', 'pnpm-workspace.yaml']) cpSync(join(REPO, f), join(work, f));
    cpSync(join(REPO, '.changeset'), join(work, '.changeset'), { recursive: true });
    for (const parent of ['packages', 'apps', 'tools']) {
      if (!existsSync(join(REPO, parent))) continue;
      for (const e of readdirSync(join(REPO, parent), { withFileTypes: true })) {
        const manifest = join(REPO, parent, e.name, 'package.json');
        if (!e.isDirectory() || !existsSync(manifest)) continue;
        mkdirSync(join(work, parent, e.name), { recursive: true });
        cpSync(manifest, join(work, parent, e.name, 'package.json'));
      }
    }
    symlinkSync(join(REPO, 'node_modules'), join(work, 'node_modules'), 'dir');
    const git = (...args) => execFileSync('git', args, { cwd: work, stdio: 'ignore' });
    git('init', '-q', '-b', 'main');
    git('add', '-A');
    git('-c', 'user.email=ci@example.invalid', '-c', 'user.name=ci', 'commit', '-qm', 'snapshot');
    execFileSync(join(work, 'node_modules', '.bin', 'changeset'), ['version'], {
      cwd: work,
      env: { ...process.env, CI: 'true' },
      stdio: 'ignore',
    });
    const manifests = readdirSync(join(work, 'packages'))
      .map((d) => JSON.parse(readFileSync(join(work, 'packages', d, 'package.json'), 'utf8')))
      .filter((m) => !m.private);
    const versions = Object.fromEntries(manifests.map((m) => [m.name, m.version]));
    const problems = [];
    for (const m of manifests) {
      for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies']) {
        for (const [dep, spec] of Object.entries(m[field] ?? {})) {
          if (!(dep in versions)) continue;
          const range = publishedRange(spec, versions[dep]);
          if (range.startsWith('workspace:'))
            problems.push(`${m.name} ${field}.${dep}: '${spec}' is not publishable`);
          else if (!semver.satisfies(versions[dep], range)) {
            problems.push(
              `${m.name}@${m.version} ${field}.${dep}: '${range}' excludes ${dep}@${versions[dep]} released with it`,
            );
          } else if (field === 'peerDependencies' && semver.valid(range)) {
            problems.push(`${m.name} peerDependencies.${dep}: pinned to ${range}; a peer should be a range`);
          }
        }
      }
    }
    return { versions, problems };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** A summary line for a list of problems. */
export function summarize(label, problems) {
  return problems.length === 0
    ? `ok    ${label}`
    : `FAIL  ${label}\n${problems.map((p) => `        ${p}`).join('\n')}`;
}
