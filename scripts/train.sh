#!/usr/bin/env bash
# Sets the machine up, then runs Myelin's main job: training a model. Extra arguments go to the job.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh

# The main job: `myelin train` (apps/cli; the same as `pnpm myelin train`). With no arguments it trains an
# MLP on the bundled digits and leaves a checkpoint and its curves in runs/<time>/.
MAIN_JOB=apps/cli/dist/cli.js
if [ -f "$MAIN_JOB" ]; then
  echo "==> myelin train $*"
  exec node "$MAIN_JOB" train "$@"
fi
echo "train.sh: the training entry point ($MAIN_JOB) does not exist yet." >&2
exit 1
