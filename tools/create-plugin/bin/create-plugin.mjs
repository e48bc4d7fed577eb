#!/usr/bin/env node
/**
 * Scaffolds a Myelin plugin package: an op with its gradient (defineOp), kernels for the CPU, worker and
 * WebGPU backends (registerKernel), a layer, and tests that run the plugin conformance checks.
 *
 *   pnpm create-plugin my-op                 # packages/plugin-my-op, @myelin/plugin-my-op, in this repository
 *   pnpm create-plugin my-op --dir /tmp/x    # /tmp/x/plugin-my-op, depending on the published versions
 *   pnpm create-plugin my-op --package @me/myelin-my-op
 *
 * Inside the repository the package uses `workspace:` ranges and a changeset is written for it; elsewhere
 * it gets the current versions of the @myelin packages as ranges. Templates: tools/create-plugin/templates.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const TEMPLATES = join(HERE, '..', 'templates');
const REPO = resolve(HERE, '..', '..', '..');

/** Files whose names are stored differently in the templates (so no tool takes them for the real thing). */
const RENAMES = { '_package.json': 'package.json', _gitignore: '.gitignore' };

const USAGE = `usage: pnpm create-plugin <name> [--dir <parent folder>] [--package <npm name>]

  <name>      the op's name in kebab-case (my-op → op myOp, layer MyOp, folder plugin-my-op)
  --dir       where to create the package folder (default: packages/ of this repository)
  --package   the npm package name (default: @myelin/plugin-<name>)`;

/** Parses argv; throws a UsageError that says why when the arguments are wrong. */
export function parseArgs(argv) {
  const out = { name: undefined, dir: undefined, packageName: undefined };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--dir' || a === '--package') {
      const v = argv[++i];
      if (!v) throw new UsageError(`${a} needs a value`);
      if (a === '--dir') out.dir = v;
      else out.packageName = v;
    } else if (a === '-h' || a === '--help') {
      throw new UsageError('');
    } else if (a.startsWith('-')) {
      throw new UsageError(`unknown option ${a}`);
    } else if (out.name === undefined) {
      out.name = a;
    } else {
      throw new UsageError(`unexpected argument ${a}`);
    }
  }
  if (!out.name) throw new UsageError('a plugin name is needed');
  return out;
}

class UsageError extends Error {}

/** The names derived from a kebab-case plugin name. */
export function namesOf(name) {
  const base = name.replace(/^plugin-/, '');
  if (!/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(base)) {
    throw new UsageError(`'${name}' is not a kebab-case name (lowercase letters, digits and single dashes)`);
  }
  const words = base.split('-');
  const camel = words.map((w, i) => (i === 0 ? w : w[0].toUpperCase() + w.slice(1))).join('');
  const pascal = camel[0].toUpperCase() + camel.slice(1);
  return { base, folder: `plugin-${base}`, op: camel, layer: pascal, packageName: `@myelin/plugin-${base}` };
}

function listFiles(dir) {
  const out = [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) out.push(...listFiles(path));
    else out.push(path);
  }
  return out;
}

/** The version of a workspace package of this repository. */
function versionOf(pkg) {
  const folder = pkg.replace('@myelin/', '');
  return JSON.parse(readFileSync(join(REPO, 'packages', folder, 'package.json'), 'utf8')).version;
}

/** Fills in the dependency ranges of the template's package.json. */
function packageJson(text, names, inRepo) {
  const pkg = JSON.parse(text);
  pkg.name = names.packageName;
  for (const field of ['peerDependencies', 'devDependencies']) {
    for (const dep of Object.keys(pkg[field])) {
      if (!dep.startsWith('@myelin/')) continue;
      if (inRepo) pkg[field][dep] = field === 'peerDependencies' ? 'workspace:^' : 'workspace:*';
      else pkg[field][dep] = `^${versionOf(dep)}`;
    }
  }
  return `${JSON.stringify(pkg, null, 2)}\n`;
}

function fill(text, names) {
  return text
    .replaceAll('__PACKAGE__', names.packageName)
    .replaceAll('__OP_PASCAL__', names.layer)
    .replaceAll('__OP__', names.op);
}

/**
 * Creates the plugin package; returns its folder. Throws when the folder exists.
 *
 * @example
 * ```js
 * createPlugin({ name: 'my-op', dir: '/tmp/plugins' }); // → /tmp/plugins/plugin-my-op
 * ```
 */
export function createPlugin({ name, dir, packageName }) {
  const names = namesOf(name);
  if (packageName) names.packageName = packageName;
  const parent = resolve(dir ?? join(REPO, 'packages'));
  const target = join(parent, names.folder);
  if (existsSync(target)) throw new UsageError(`${target} already exists`);
  const inRepo = !relative(REPO, target).startsWith('..');
  for (const source of listFiles(TEMPLATES)) {
    const rel = relative(TEMPLATES, source);
    const base = rel.split('/').pop();
    const dest = join(target, dirname(rel), RENAMES[base] ?? base);
    mkdirSync(dirname(dest), { recursive: true });
    const text = readFileSync(source, 'utf8');
    const filled = fill(text, names);
    writeFileSync(dest, base === '_package.json' ? packageJson(filled, names, inRepo) : filled);
  }
  if (inRepo) {
    // Every change to a published package needs a changeset (CI runs `changeset status`).
    const changeset = join(REPO, '.changeset', `${names.folder}-initial.md`);
    if (!existsSync(changeset)) {
      writeFileSync(
        changeset,
        `---\n"${names.packageName}": patch\n---\n\nFirst release: the \`${names.op}\` op, its kernels and the \`${names.layer}\` layer.\n`,
      );
    }
  }
  return { target, names, inRepo };
}

function main() {
  let created;
  try {
    created = createPlugin(parseArgs(process.argv.slice(2)));
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    if (e.message) console.error(`create-plugin: ${e.message}\n`);
    console.error(USAGE);
    process.exit(e.message ? 2 : 0);
  }
  const { target, names, inRepo } = created;
  const where = relative(process.cwd(), target) || '.';
  console.log(`created ${names.packageName} in ${where}: op ${names.op}, layer ${names.layer}`);
  console.log('next:');
  if (inRepo) {
    console.log('  pnpm install');
    console.log(`  pnpm --filter ${names.packageName} build && pnpm --filter ${names.packageName} test`);
    console.log(`  (a changeset was written to .changeset/${names.folder}-initial.md)`);
  } else {
    console.log(`  cd ${where} && npm install && npm run build && npm test`);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
