#!/usr/bin/env bash
# Runs Myelin's GPU check on a machine that has no Node.js and no network: unpacks the carried node,
# makes sure a Vulkan loader and the NVIDIA driver are found, then runs check.mjs with a time limit.
# build.sh copies this file to .gpu/run.sh; the device command is `bash .gpu/run.sh` from the repo root.
#
# Environment: OUT (folder whose files come back; default ./.gpu-out), GPU_CHECK_TIMEOUT_S (default 240),
# VK_DRIVER_FILES (a driver chosen by hand wins), and the GPU_CHECK_* settings of check.mjs (README.md).
set -u
cd "$(dirname "$0")/.." || exit 90
GPU=.gpu
OUT=${OUT:-$PWD/.gpu-out}
export OUT
mkdir -p "$OUT"
LOG=$OUT/gpu-check.log
# Node, Dawn's addon and the check run from one folder where executables are known to run (/tmp, else here).
NODE_DIR=/tmp/myelin-gpu
NODE=$NODE_DIR/node

say() { printf '\n### %s\n' "$*"; }

unpack_node() {
  mkdir -p "$NODE_DIR" || return 1
  rm -f "$NODE"
  if command -v xz >/dev/null 2>&1 && [ -z "${RUN_FORCE_PYTHON_UNXZ:-}" ]; then
    echo "unpacking node with xz"
    xz -dc "$GPU/node.xz" >"$NODE" || return 1
  elif command -v python3 >/dev/null 2>&1; then
    echo "unpacking node with python3's lzma (no xz here)"
    python3 -c 'import lzma, shutil, sys
with lzma.open(sys.argv[1]) as src, open(sys.argv[2], "wb") as dst: shutil.copyfileobj(src, dst, 1 << 20)' \
      "$GPU/node.xz" "$NODE" || return 1
  else
    echo "neither xz nor python3 is here: cannot unpack node" >&2
    return 1
  fi
  chmod +x "$NODE"
}

# Unpacks node into NODE_DIR and copies the check and the webgpu package beside it.
install_bundle() {
  unpack_node && "$NODE" -v && cp -r "$GPU/check.mjs" "$GPU/node_modules" "$NODE_DIR/"
}

# The Vulkan loader (libvulkan.so.1) and GLVND's dispatch library, which NVIDIA's Vulkan driver needs.
setup_loader() {
  if ldconfig -p | grep -q 'libvulkan\.so\.1' && ldconfig -p | grep -q 'libGLdispatch\.so\.0'; then
    echo "Vulkan loader and GLVND already installed"
  elif ls .gl/*.deb >/dev/null 2>&1; then
    echo "installing the carried loaders from .gl/"
    for f in .gl/*.deb; do dpkg -x "$f" / || echo "dpkg -x $f failed"; done
    ldconfig
  else
    echo "WARNING: no Vulkan loader here and no .gl/*.deb carried"
  fi
  # The driver's own libraries (libGLX_nvidia.so.0 is what its Vulkan ICD names) must be findable too.
  for d in /usr/local/nvidia/lib64 /usr/local/nvidia/lib; do
    if [ -d "$d" ] && ! ldconfig -p | grep -q "$d/"; then
      export LD_LIBRARY_PATH="$d${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
      echo "added $d to LD_LIBRARY_PATH"
    fi
  done
  ldconfig -p | grep -E 'libvulkan\.so|libGLdispatch|libGLX_nvidia|libnvidia-glvkspirv' | sed 's/^/  /'
}

# Prefer NVIDIA's ICD when one exists and no driver was named; else let the loader choose (locally: lavapipe).
choose_driver() {
  if [ -n "${VK_DRIVER_FILES:-}${VK_ICD_FILENAMES:-}" ]; then
    echo "driver named by the caller: VK_DRIVER_FILES=${VK_DRIVER_FILES:-} VK_ICD_FILENAMES=${VK_ICD_FILENAMES:-}"
    return
  fi
  local icd=''
  for f in /etc/vulkan/icd.d/nvidia_icd*.json /usr/share/vulkan/icd.d/nvidia_icd*.json \
    /usr/local/share/vulkan/icd.d/nvidia_icd*.json /usr/local/nvidia/share/vulkan/icd.d/nvidia_icd*.json \
    /usr/local/nvidia/icd.d/nvidia_icd*.json; do
    if [ -f "$f" ]; then icd=$f; break; fi
  done
  if [ -n "$icd" ]; then
    export VK_DRIVER_FILES=$icd
    echo "NVIDIA Vulkan ICD: VK_DRIVER_FILES=$icd"
    sed 's/^/  /' "$icd"
  else
    echo "no nvidia_icd.json found; the Vulkan loader chooses among:"
    ls /etc/vulkan/icd.d /usr/share/vulkan/icd.d /usr/local/share/vulkan/icd.d 2>/dev/null | sed 's/^/  /'
  fi
}

main() {
  say "myelin gpu-check: $(date -u +%FT%TZ) on $(uname -srm), as $(id -un)"
  if command -v sha256sum >/dev/null 2>&1; then
    (cd "$GPU" && sha256sum -c --quiet MANIFEST) && echo "bundle intact (MANIFEST)" ||
      echo "WARNING: bundle files differ from MANIFEST"
  fi

  say "node"
  local t0=$SECONDS
  if ! install_bundle; then
    echo "node does not run from $NODE_DIR; trying $PWD/.gpu-run"
    NODE_DIR=$PWD/.gpu-run
    NODE=$NODE_DIR/node
    install_bundle || { echo "FAIL: the carried node could not be unpacked or does not run here"; return 91; }
  fi
  echo "($((SECONDS - t0)) s)"

  say "vulkan"
  setup_loader
  choose_driver
  if command -v nvidia-smi >/dev/null 2>&1; then nvidia-smi -L; else echo "no nvidia-smi"; fi
  if command -v vulkaninfo >/dev/null 2>&1; then timeout 20 vulkaninfo --summary 2>&1 | head -40; fi

  say "check.mjs (timeout ${GPU_CHECK_TIMEOUT_S:-240} s)"
  timeout -k 10 "${GPU_CHECK_TIMEOUT_S:-240}" "$NODE" "$NODE_DIR/check.mjs"
  local rc=$?
  [ "$rc" = 124 ] && echo "FAIL: check.mjs ran past ${GPU_CHECK_TIMEOUT_S:-240} s and was stopped"
  say "done: exit code $rc after $SECONDS s"
  return "$rc"
}

main 2>&1 | tee "$LOG"
exit "${PIPESTATUS[0]}"
