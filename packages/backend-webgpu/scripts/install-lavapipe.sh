#!/usr/bin/env bash
# Installs Mesa's software Vulkan driver (lavapipe) so that Dawn (npm `webgpu`) finds a real adapter on a
# machine with no GPU. Debian 12's own Mesa (22.3) is refused by Dawn; Mesa 25 from bookworm-backports works.
# Idempotent: safe to run again. Needs root (or sudo).
set -euo pipefail

SUDO=''
if [ "$(id -u)" -ne 0 ]; then SUDO='sudo'; fi

BACKPORTS=/etc/apt/sources.list.d/bookworm-backports.sources
ICD=/usr/share/vulkan/icd.d/lvp_icd.json

if [ ! -f "$BACKPORTS" ]; then
  # Same mirror as the main Debian source, so no new host is contacted.
  MIRROR=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
  MIRROR=${MIRROR:-http://deb.debian.org/debian}
  $SUDO tee "$BACKPORTS" >/dev/null <<SRC
Types: deb
URIs: $MIRROR
Suites: bookworm-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
  $SUDO apt-get update
fi

# Install only what is missing, so a second run does no network work.
if ! dpkg -s libvulkan1 >/dev/null 2>&1; then
  $SUDO apt-get install -y --no-install-recommends libvulkan1
fi
if [ ! -f "$ICD" ]; then
  $SUDO apt-get install -y --no-install-recommends -t bookworm-backports mesa-vulkan-drivers
fi

echo "lavapipe ready: export VK_DRIVER_FILES=$ICD"
