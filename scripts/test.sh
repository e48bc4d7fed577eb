#!/usr/bin/env bash
# Sets the machine up, runs every package's tests and prints the totals; the last line is
# `N passed, N failed, N skipped`. Exits non-zero when a test failed, a package failed to build, or a
# test run crashed without a report.
set -uo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
export TURBO_TELEMETRY_DISABLED=1 TURBO_NO_UPDATE_NOTIFIER=1

# No build here: `turbo run test` builds what each package's tests need. A package that fails to build
# has its tests skipped (they would test a stale or missing dist) and the summary reports it.
bash scripts/setup.sh --no-build || exit $?

echo '==> running the tests of every package'
node scripts/summarize-tests.mjs --clean
# One package at a time: the machines have 2 cores and each vitest run uses both.
pnpm exec turbo run test --continue=dependencies-successful --concurrency=1
turbo_status=$?
node scripts/summarize-tests.mjs
summary_status=$?
exit $((turbo_status || summary_status))
