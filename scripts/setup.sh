#!/usr/bin/env bash
# Prepares a fresh Debian 12 machine (Node 20 + npm, run as root) to build, test and train Myelin.
# Safe to run again: every step checks first and skips what is already done.
#
#   bash scripts/setup.sh             # pnpm, system packages, dependencies, build
#   bash scripts/setup.sh --no-build  # the same without the build (scripts/test.sh builds through turbo)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

PNPM_VERSION=12.4.2
BUILD=1
for arg in "$@"; do
  case "$arg" in
    --no-build) BUILD=0 ;;
    *) echo "setup.sh: unknown option $arg" >&2; exit 2 ;;
  esac
done

export TURBO_TELEMETRY_DISABLED=1 TURBO_NO_UPDATE_NOTIFIER=1 DEBIAN_FRONTEND=noninteractive

step() { printf '==> %s\n' "$*"; }

# Root runs apt directly; anyone else goes through sudo when it is there.
as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null 2>&1; then sudo "$@"; else return 1; fi
}

# --- Node and pnpm ---------------------------------------------------------------------------------
node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$node_major" -lt 20 ]; then
  echo "setup.sh: Node 20 or newer is needed (found: $(node --version 2>/dev/null || echo none))" >&2
  exit 1
fi

if [ "$(pnpm --version 2>/dev/null || true)" != "$PNPM_VERSION" ]; then
  # corepack cannot verify pnpm here (no registry signatures); npm can install it in seconds.
  step "installing pnpm $PNPM_VERSION"
  as_root npm install --global --no-fund --no-audit --loglevel=error "pnpm@$PNPM_VERSION"
fi
step "pnpm $(pnpm --version), node $(node --version)"

# --- Vulkan software driver for @myelin/backend-webgpu (lavapipe) --------------------------------------
# Dawn refuses Debian 12's own Mesa (22.3); Mesa 25 from bookworm-backports works.
mesa_ok() {
  local version
  version=$(dpkg-query -W -f='${Version}' mesa-vulkan-drivers 2>/dev/null) || return 1
  dpkg-query -W -f='${Status}' libvulkan1 2>/dev/null | grep -q 'install ok installed' || return 1
  dpkg --compare-versions "$version" ge 25
}

# The mirror this machine already uses, so backports come from the same place.
debian_mirror() {
  local uri=""
  if [ -f /etc/apt/sources.list.d/debian.sources ]; then
    uri=$(awk '/^URIs:/ { print $2; exit }' /etc/apt/sources.list.d/debian.sources)
  elif [ -f /etc/apt/sources.list ]; then
    uri=$(awk '$1 == "deb" && $3 == "bookworm" { print $2; exit }' /etc/apt/sources.list)
  fi
  echo "${uri:-http://deb.debian.org/debian}"
}

install_vulkan() {
  local list=/etc/apt/sources.list.d/bookworm-backports.sources need_update=0
  if ! grep -rqs 'bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/; then
    step "adding the bookworm-backports apt suite ($(debian_mirror))"
    as_root tee "$list" >/dev/null <<EOF || return 1
Types: deb
URIs: $(debian_mirror)
Suites: bookworm-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
    need_update=1
  fi
  if [ "$need_update" -eq 1 ] || ! compgen -G '/var/lib/apt/lists/*bookworm-backports*Packages*' >/dev/null; then
    step "apt-get update"
    as_root apt-get update -qq || return 1
  fi
  step "installing libvulkan1 and mesa-vulkan-drivers (bookworm-backports)"
  as_root apt-get install -y -qq --no-install-recommends libvulkan1 >/dev/null || return 1
  as_root apt-get install -y -qq --no-install-recommends -t bookworm-backports mesa-vulkan-drivers >/dev/null
}

if mesa_ok; then
  step "Vulkan software driver: mesa-vulkan-drivers $(dpkg-query -W -f='${Version}' mesa-vulkan-drivers) (already installed)"
elif ! grep -qs 'VERSION_CODENAME=bookworm' /etc/os-release; then
  step "not Debian 12: skipping lavapipe; WebGPU tests need a Vulkan driver that Dawn accepts"
elif ! install_vulkan; then
  step "could not install the Vulkan driver (not root, no sudo?); WebGPU tests will report it"
fi

# --- Other Debian packages the tests use -----------------------------------------------------------------
# dataset-fashion-mnist: the real IDX files for @myelin/data and the CLI; chromium + fonts-liberation: the web
# app's end-to-end tests (SwiftShader WebGPU ships inside chromium); tmux: the CLI's terminal test.
APT_PACKAGES=(dataset-fashion-mnist chromium fonts-liberation tmux)
missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ] && grep -qs 'ID=debian' /etc/os-release; then
  step "installing ${missing[*]}"
  if ! compgen -G '/var/lib/apt/lists/*Packages*' >/dev/null; then as_root apt-get update -qq || true; fi
  as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null ||
    { as_root apt-get update -qq && as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; } ||
    step "could not install ${missing[*]}; the tests that need them will say so"
fi

# --- JavaScript dependencies and build ----------------------------------------------------------------
if [ -f pnpm-lock.yaml ]; then
  step "pnpm install --frozen-lockfile"
  if ! pnpm install --frozen-lockfile --reporter=append-only; then
    # pnpm 12.4.2 leaves a dependency-free workspace package out of the lockfile until a full resolution.
    echo "setup.sh: pnpm-lock.yaml does not match the package.json files." >&2
    echo "          Run 'pnpm install --fix-lockfile' and commit pnpm-lock.yaml." >&2
    exit 1
  fi
else
  step "pnpm install (no lockfile yet)"
  pnpm install --reporter=append-only
fi

if [ "$BUILD" -eq 1 ]; then
  step "building every package"
  pnpm exec turbo run build --concurrency=2 --output-logs=errors-only
fi
step "setup done"
