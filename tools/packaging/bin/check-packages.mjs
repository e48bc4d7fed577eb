#!/usr/bin/env node
/**
 * `pnpm check:packages`: packs every published @myelin package as `pnpm pack` does and checks the
 * tarballs with publint (strict) and arethetypeswrong (esm-only profile), checks each README's opening,
 * runs `changeset status` and checks the ranges `changeset version` would publish. Exits 1 on any
 * problem. Build first (`pnpm build`): the tarballs hold dist/.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  changedPackagesWithoutChangeset,
  changesetStatus,
  checkVersionedRanges,
  lintTarball,
  pack,
  publishedPackages,
  readmeProblems,
  summarize,
  typesOfTarball,
} from '../src/packages.mjs';

const dest = mkdtempSync(join(tmpdir(), 'myelin-pack-'));
let failed = false;
const report = (label, problems) => {
  if (problems.length > 0) failed = true;
  console.log(summarize(label, problems));
};

try {
  const packages = publishedPackages();
  for (const pkg of packages) {
    let file;
    try {
      file = pack(pkg, dest);
    } catch (e) {
      report(`${pkg.name}: pack`, [String(e.message).split('\n')[0]]);
      continue;
    }
    report(`${pkg.name}: publint`, await lintTarball(file));
    report(`${pkg.name}: attw --profile esm-only`, await typesOfTarball(file, pkg.name));
    report(`${pkg.name}: README opening`, readmeProblems(pkg));
  }
  const status = changesetStatus();
  report('changeset status', status.ok ? [] : status.output.trim().split('\n'));
  report(
    'every changed package is named in a pending changeset',
    changedPackagesWithoutChangeset(packages).map(
      (n) => `${n} changed since the base branch: run \`pnpm changeset\``,
    ),
  );
  const { versions, problems } = checkVersionedRanges();
  report(`ranges after changeset version (${[...new Set(Object.values(versions))].join(', ')})`, problems);
} finally {
  rmSync(dest, { recursive: true, force: true });
}
console.log(failed ? 'check:packages: problems found' : 'check:packages: all packages are fine');
process.exit(failed ? 1 : 0);
