#!/usr/bin/env node
// Adds up the test reports of every workspace package and prints, as its last line,
// `N passed, N failed, N skipped`. Exits non-zero when a test failed or when a package that has a
// `test` script left no report (its run crashed, or never started because its build failed). Such a
// package counts as one failed test, so the last line alone never reads as green.
//
// A report is any `<package>/test-results/*.json` in one of two shapes:
// - vitest's (or jest's) JSON reporter: `numPassedTests`, `numFailedTests`, `numPendingTests`, ...
// - a plain `{ "passed": N, "failed": N, "skipped": N }`, for runners of our own (apps may add them).
//
// `--clean` deletes the old reports first, so a run that crashes cannot pass off a stale one.
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const REPORT_DIR = 'test-results';

/** Package folders named by pnpm-workspace.yaml (entries like `- packages/*`). */
function workspacePackages() {
  const yaml = readFileSync(join(root, 'pnpm-workspace.yaml'), 'utf8');
  const globs = [...yaml.matchAll(/^\s*-\s*['"]?([\w./-]+)\/\*['"]?\s*$/gm)].map((m) => m[1]);
  const dirs = [];
  for (const parent of globs) {
    const abs = join(root, parent);
    if (!existsSync(abs)) continue;
    for (const entry of readdirSync(abs, { withFileTypes: true })) {
      const dir = join(abs, entry.name);
      if (entry.isDirectory() && existsSync(join(dir, 'package.json'))) dirs.push(dir);
    }
  }
  return dirs.sort();
}

/** Counts from one report file; throws when the shape is not one we know. */
function countsOf(report) {
  if (typeof report.numPassedTests === 'number') {
    let failed = report.numFailedTests ?? 0;
    // A test file that fails to load (a syntax error, a missing import) fails no single test: count it.
    for (const file of report.testResults ?? []) {
      const anyTestFailed = (file.assertionResults ?? []).some((a) => a.status === 'failed');
      if (file.status === 'failed' && !anyTestFailed) failed += 1;
    }
    // Errors outside any test (unhandled rejections) make vitest fail the run with every test green.
    if (report.success === false && failed === 0) failed = 1;
    return {
      passed: report.numPassedTests,
      failed,
      skipped: (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0),
    };
  }
  if (typeof report.passed === 'number' && typeof report.failed === 'number') {
    return { passed: report.passed, failed: report.failed, skipped: report.skipped ?? 0 };
  }
  throw new Error('unknown report format');
}

function reportFiles(dir) {
  const folder = join(dir, REPORT_DIR);
  if (!existsSync(folder)) return [];
  return readdirSync(folder)
    .filter((name) => name.endsWith('.json'))
    .map((name) => join(folder, name));
}

const packages = workspacePackages();

if (process.argv.includes('--clean')) {
  for (const dir of packages) for (const file of reportFiles(dir)) rmSync(file);
  process.exit(0);
}

const total = { passed: 0, failed: 0, skipped: 0 };
const problems = [];
console.log('\nTest totals by package:');
for (const dir of packages) {
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  if (!pkg.scripts?.test) continue;
  const name = pkg.name ?? relative(root, dir);
  const files = reportFiles(dir);
  if (files.length === 0) {
    problems.push(
      `${name}: no report in ${relative(root, join(dir, REPORT_DIR))}/ (its build failed, or its tests crashed)`,
    );
    console.log(`  ${name}: NO REPORT (counted as 1 failed)`);
    total.failed += 1;
    continue;
  }
  const sum = { passed: 0, failed: 0, skipped: 0 };
  for (const file of files) {
    try {
      const counts = countsOf(JSON.parse(readFileSync(file, 'utf8')));
      for (const key of Object.keys(sum)) sum[key] += counts[key];
    } catch (error) {
      problems.push(`${relative(root, file)}: unreadable report (${error.message})`);
    }
  }
  for (const key of Object.keys(total)) total[key] += sum[key];
  console.log(`  ${name}: ${sum.passed} passed, ${sum.failed} failed, ${sum.skipped} skipped`);
}

for (const problem of problems) console.log(`  problem: ${problem}`);
console.log(`${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
process.exitCode = total.failed > 0 || problems.length > 0 ? 1 : 0;
