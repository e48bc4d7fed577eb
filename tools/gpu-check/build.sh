#!/usr/bin/env bash
# Builds the ignored folder .gpu/ at the repo root: everything the GPU machine needs to run the check with
# no Node.js and no network (see README.md). Also creates .gl/ (the Vulkan and GLVND loaders as .debs) if
# it is missing. Run from anywhere: bash tools/gpu-check/build.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cd "$root"
out=.gpu
mkdir -p "$out"

# Everything but the compressed node (slow to make) is rebuilt each time.
find "$out" -mindepth 1 -maxdepth 1 ! -name node.xz ! -name node.stamp -exec rm -rf {} +

# 1. The check, with every Myelin package inlined from its dist/ (build the packages first).
node "$here/bundle.mjs" "$out/check.mjs"

# 2. The webgpu package: its JS entry loads dist/<platform>-<arch>/dawn.node with require(); nothing else
#    of it (nor its dependencies) is used at run time.
webgpu=$(realpath packages/backend-webgpu/node_modules/webgpu)
dest=$out/node_modules/webgpu
mkdir -p "$dest/dist/linux-x64"
cp "$webgpu/package.json" "$webgpu/index.js" "$webgpu/LICENSE.md" "$dest/"
cp "$webgpu/dist/linux-x64/dawn.node" "$dest/dist/linux-x64/"

# 3. Node itself, stripped of its debug info and xz-compressed (kept while the local node is unchanged).
nodebin=$(realpath "$(command -v node)")
stamp="$nodebin $(node -v) $(stat -c '%s %Y' "$nodebin")"
if [ -f "$out/node.xz" ] && [ "$(cat "$out/node.stamp" 2>/dev/null)" = "$stamp" ]; then
  echo "node.xz is up to date ($stamp)"
else
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  if command -v strip >/dev/null 2>&1; then strip -o "$tmp/node" "$nodebin"; else cp "$nodebin" "$tmp/node"; fi
  "$tmp/node" -e 'process.exit(0)'
  echo "compressing node $(node -v) ($(stat -c %s "$tmp/node") bytes) with xz -9e, about a minute"
  nice xz -T2 -9e -c "$tmp/node" >"$out/node.xz.tmp"
  mv "$out/node.xz.tmp" "$out/node.xz"
  echo "$stamp" >"$out/node.stamp"
fi

# 4. The script the device command calls, and checksums it verifies first.
cp "$here/run.sh" "$out/run.sh"
chmod +x "$out/run.sh"
(cd "$out" && find . -type f ! -name MANIFEST ! -name node.stamp -printf '%P\n' | sort | xargs sha256sum >MANIFEST)

# 5. The loaders the GPU machine may lack (as the device README says; .gl is ignored by git).
if ! ls .gl/*.deb >/dev/null 2>&1; then
  mkdir -p .gl /tmp/amd64/partial
  o='-oAPT::Architecture=amd64 -oAPT::Architectures=amd64 -oDir::State::Lists=/tmp/amd64'
  # shellcheck disable=SC2086
  apt-get $o update >/dev/null
  # shellcheck disable=SC2086
  (cd .gl && apt-get $o download libvulkan1 libegl1 libglvnd0 libopengl0 libgl1 libglx0 libgles2)
fi

total=$(du -scb "$out" .gl | tail -1 | cut -f1)
(cd "$out" && find . -type f -printf '%s\t%P\n' | sort -n | awk -F'\t' '{printf "  %8.1f MiB  %s\n", $1 / 1048576, $2}')
echo "total carried: $((total / 1024 / 1024)) MiB (+ the working tree); device command: bash .gpu/run.sh"
if [ "$total" -gt $((55 * 1024 * 1024)) ]; then
  echo "WARNING: over 55 MiB; the working tree and carried paths must stay under 64 MiB together" >&2
fi
