#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages Stillpoint needs to build, test and run its window and chimes.
# One list for the README's quick start and for CI, so the two cannot drift apart.
set -euo pipefail

packages=(
  gcc libc6-dev pkg-config   # C parts of dependencies
  libfontconfig1-dev         # font discovery for the window
  fonts-dejavu-core          # a system font fallback; the UI embeds its own
  libasound2-dev             # ALSA, for chimes through rodio/cpal
  libxkbcommon-x11-0         # keyboard handling for the X11 window at run time
  libudev-dev libinput-dev libxkbcommon-dev  # the kiosk build: touch and keys through libinput, no X or Wayland
  libespeak-ng1 espeak-ng-data  # spoken prompts, loaded at run time (without them: chimes only)
  desktop-file-utils         # checks packaging/stillpoint.desktop
)

run_as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

run_as_root apt-get update -qq
run_as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${packages[@]}"
