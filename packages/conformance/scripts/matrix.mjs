#!/usr/bin/env node
/**
 * `pnpm conformance`: the kernel × backend matrix.
 *
 * Reads the vitest JSON report of every backend package (packages/backend-* /test-results/vitest.json,
 * written by `pnpm test`), groups the conformance results by the `[kernel:<name>]` tags in their titles, and
 * prints, per kernel and backend: pass (all its tests passed), FAIL (some failed) or missing (no result).
 *
 * Options: `--json` prints the matrix as JSON; `--failures` lists every failing test (default: the first
 * few per backend); `--strict` exits 1 when a kernel fails or is missing on some backend (for CI).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const packageRoot = join(here, '..');
const packagesDir = join(packageRoot, '..');
const args = new Set(process.argv.slice(2));

/** The kernel names, read from the suite's own list (src/kernel-names.ts), so no build is needed. */
function kernelNames() {
  const text = readFileSync(join(packageRoot, 'src', 'kernel-names.ts'), 'utf8');
  const body = text.slice(text.indexOf('KERNEL_NAMES = ['), text.indexOf('] as const'));
  return [...body.matchAll(/'([A-Za-z0-9]+)'/g)].map((m) => m[1]);
}

/** Every backend package with a vitest report: { backend, dir, report }. */
function reports() {
  const found = [];
  for (const entry of readdirSync(packagesDir, { withFileTypes: true })) {
    if (!entry.isDirectory() || !entry.name.startsWith('backend-')) continue;
    const dir = join(packagesDir, entry.name);
    const file = join(dir, 'test-results', 'vitest.json');
    found.push({
      pkg: entry.name,
      dir,
      file,
      report: existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : null,
    });
  }
  return found.sort((a, b) => a.pkg.localeCompare(b.pkg));
}

const TAG = /\[kernel:([A-Za-z0-9]+)\]/g;
const UNTAGGED = '(no kernel)';

/** Per backend name: kernel → { passed, failed, skipped, failures: [title] }. */
function collect(found) {
  const backends = new Map();
  for (const { pkg, report } of found) {
    const fallback = pkg.replace(/^backend-/, '');
    if (!backends.has(fallback)) backends.set(fallback, new Map());
    if (!report) continue;
    for (const file of report.testResults ?? []) {
      for (const t of file.assertionResults ?? []) {
        const title = t.title ?? t.fullName ?? '';
        // The suite's describe is `conformance: <name>`; a package may run it for several configurations.
        const suite = (t.ancestorTitles ?? []).find((a) => a.startsWith('conformance: '));
        const tagged = [...title.matchAll(TAG)].map((m) => m[1]);
        // Conformance tests of no particular kernel (views, errors of reshape...) count in the failure list.
        const kernels = tagged.length > 0 ? tagged : suite ? [UNTAGGED] : [];
        if (kernels.length === 0) continue;
        const backend = suite ? suite.slice('conformance: '.length) : fallback;
        if (!backends.has(backend)) backends.set(backend, new Map());
        const table = backends.get(backend);
        for (const k of kernels) {
          if (!table.has(k)) table.set(k, { passed: 0, failed: 0, skipped: 0, failures: [] });
          const cell = table.get(k);
          if (t.status === 'passed') cell.passed++;
          else if (t.status === 'failed') {
            cell.failed++;
            cell.failures.push(title.replace(TAG, '').trim());
          } else cell.skipped++;
        }
      }
    }
  }
  // A package with no report and no results still shows, as all missing.
  return backends;
}

function cellText(cell) {
  if (!cell || cell.passed + cell.failed === 0) return 'missing';
  if (cell.failed > 0) return `FAIL ${cell.failed}/${cell.passed + cell.failed}`;
  return `pass ${cell.passed}`;
}

function main() {
  const names = kernelNames();
  const found = reports();
  const backends = collect(found);
  const columns = [...backends.keys()];

  if (args.has('--json')) {
    const out = {};
    for (const b of columns) {
      out[b] = {};
      for (const k of names) {
        const c = backends.get(b).get(k);
        out[b][k] = !c || c.passed + c.failed === 0 ? 'missing' : c.failed > 0 ? 'fail' : 'pass';
      }
    }
    console.log(JSON.stringify(out, null, 2));
  } else {
    if (columns.length === 0) {
      console.log('No backend packages found (packages/backend-*).');
      return 0;
    }
    const rows = names.map((k) => [k, ...columns.map((b) => cellText(backends.get(b).get(k)))]);
    const header = ['kernel', ...columns];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    const line = (cells) => cells.map((c, i) => c.padEnd(widths[i])).join('  ');
    console.log(line(header));
    console.log(widths.map((w) => '-'.repeat(w)).join('  '));
    for (const r of rows) console.log(line(r));
    console.log('');
    for (const { pkg, file, report } of found) {
      if (!report)
        console.log(`${pkg}: no report at ${relative(process.cwd(), file)} (run \`pnpm test\` first)`);
    }
    const limit = args.has('--failures') ? Number.POSITIVE_INFINITY : 5;
    for (const b of columns) {
      const failures = new Set();
      for (const cell of backends.get(b).values()) for (const f of cell.failures) failures.add(f);
      if (failures.size === 0) continue;
      console.log(`${b}: ${failures.size} failing conformance test(s)`);
      [...failures].slice(0, limit).forEach((f) => {
        console.log(`  - ${f}`);
      });
      if (failures.size > limit) console.log(`  ... (--failures lists all)`);
    }
  }
  if (!args.has('--strict')) return 0;
  const bad = columns.some((b) =>
    names.some((k) => {
      const c = backends.get(b).get(k);
      return !c || c.failed > 0 || c.passed === 0;
    }),
  );
  return bad ? 1 : 0;
}

process.exitCode = main();
