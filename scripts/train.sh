#!/usr/bin/env bash
# Sets the machine up, then runs Myelin's main job: training a model. Extra arguments go to the job.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh

# The main job. Later: exec pnpm exec myelin train "$@"   (apps/cli)
MAIN_JOB=packages/backend-cpu/demo/train-demo.mjs
if [ -f "$MAIN_JOB" ]; then
  echo "==> node $MAIN_JOB $*"
  exec node "$MAIN_JOB" "$@"
fi
echo "train.sh: the training entry point ($MAIN_JOB) does not exist yet." >&2
exit 1
