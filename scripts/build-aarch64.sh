#!/usr/bin/env bash
# Cross-builds the treatment-room kiosk binary for a Raspberry Pi (64-bit Raspberry Pi OS) on an x86_64 machine.
#
# Proves that the kiosk build (`--no-default-features --features kiosk`, release profile, `--locked`) compiles and
# links for aarch64-unknown-linux-gnu with Debian's own Rust toolchain and cross gcc (no rustup targets, no unstable
# flags), against the arm64 builds of the libraries it links (libinput, libudev, libxkbcommon, ALSA, fontconfig).
# The result is target/aarch64/stillpoint; it prints the binary's NEEDED libraries and newest GLIBC symbol version.
#
# Where it builds:
#   - Debian 12 (bookworm) host: bookworm's rustc is too old and Debian's newer rustc needs glibc >= 2.39, so the
#     script makes a Debian trixie chroot (debootstrap --variant=minbase; trixie, trixie-updates and
#     trixie-backports sources), builds in it, and removes it afterwards. KEEP_CHROOT=1 keeps it (in
#     target/aarch64-chroot) for faster reruns.
#   - Debian trixie or newer, Ubuntu 24.04 or newer: builds directly, installing what is missing with apt-get
#     (adds the arm64 architecture; on trixie rustc/cargo come from trixie-backports, which must be in the sources).
#     Tested here only as the inside of the chroot above; on Ubuntu the arm64 packages need ports.ubuntu.com sources.
#
# Time (measured on a 2-core x86_64 Debian 12 host with other builds running): a cold run took about 24 min: the
# chroot ~2.5 min (debootstrap 35 s, packages 2 min, ~420 MB of .debs), the cold release build 20.5 min (about 13 min
# on a quieter machine). With target/aarch64-build kept: nothing changed and a kept chroot, 1 s; a change in
# Stillpoint's own sources recompiles only that crate, 2-5.5 min; a chroot made anew adds ~2.5 min, removing it
# ~40 s.
# Disk: the chroot ~2.3 GB (removed afterwards unless kept), target/aarch64-build ~1.2 GB, the crates it downloads
# (target/aarch64-cargo-home) ~0.35 GB; the binary is ~30 MB (not stripped).
# Network: the Debian mirror and crates.io; the chroot trusts the host's CA bundle (CARGO_HTTP_CAINFO, SSL_CERT_FILE
# or /etc/ssl/certs/ca-certificates.crt) and gets the host's proxy variables, so it reaches what the host reaches.
#
# Usage: scripts/build-aarch64.sh [--run COMMAND [ARG...]]
#   --run COMMAND...          after building, run COMMAND in the same environment (inside the chroot on bookworm,
#                             with the repository at the same path; the repository is read-only there except
#                             target/). scripts/kiosk-smoke.sh uses it to run the binary under qemu-aarch64.
#   KEEP_CHROOT=1             keep the trixie chroot (bookworm hosts)
#   AARCH64_USE_CHROOT=1      use the chroot even on a host that could build directly
#   AARCH64_CHROOT=DIR        where the chroot goes (default target/aarch64-chroot)
#   AARCH64_TARGET_DIR=DIR    cargo's target folder for this build (default target/aarch64-build; never target/debug)
#   AARCH64_CARGO_HOME=DIR    cargo home for the build, kept between runs (default target/aarch64-cargo-home)
#   DEBIAN_MIRROR=URL         Debian mirror for the chroot (default http://deb.debian.org/debian)
# Needs root (or sudo) for apt-get, debootstrap, mount and chroot. Exits non-zero on failure.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
triple=aarch64-unknown-linux-gnu
out_dir="$repo/target/aarch64"
build_dir=${AARCH64_TARGET_DIR:-$repo/target/aarch64-build}
cargo_home=${AARCH64_CARGO_HOME:-$repo/target/aarch64-cargo-home}
chroot_dir=${AARCH64_CHROOT:-$repo/target/aarch64-chroot}
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
host_ca_bundle=${CARGO_HTTP_CAINFO:-${SSL_CERT_FILE:-/etc/ssl/certs/ca-certificates.crt}}
# Proxy settings, if the host uses any, go into the chroot too.
proxy_env=()
for name in http_proxy https_proxy no_proxy HTTP_PROXY HTTPS_PROXY NO_PROXY CARGO_HTTP_PROXY; do
  if [ -n "${!name:-}" ]; then proxy_env+=("$name=${!name}"); fi
done
start_time=$(date +%s)

# What the build needs. The -dev:arm64 libraries are exactly those the kiosk features link: alsa-sys (rodio/cpal),
# input-sys (libinput), libudev-sys, xkbcommon, yeslogic-fontconfig-sys (Slint's font lookup; pulls libfreetype-dev).
# drm-sys ships its bindings and the software renderer needs no GBM, so libdrm-dev and libgbm-dev are not needed.
toolchain_packages=(rustc cargo libstd-rust-dev:arm64)
build_packages=(
  ca-certificates pkg-config gcc-aarch64-linux-gnu libc6-dev-arm64-cross libc6:arm64 qemu-user binutils
  libinput-dev:arm64 libudev-dev:arm64 libxkbcommon-dev:arm64 libasound2-dev:arm64 libfontconfig-dev:arm64
)
# Mounts made under the chroot, most recent last (unmounted in reverse).
mounted=()

say() { printf '[%(%H:%M:%S)T] %s\n' -1 "$*" >&2; }
die() { say "error: $*"; exit 1; }

run_as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

missing_packages() {
  local package
  for package in "$@"; do
    if [ "$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null)" != "install ok installed" ]; then
      printf '%s\n' "$package"
    fi
  done
}

# One field of /etc/os-release (ID, VERSION_ID, VERSION_CODENAME), without its quotes.
os_field() {
  local line
  line=$(grep -E "^$1=" /etc/os-release | head -n 1) || true
  line=${line#*=}
  line=${line%\"}
  printf '%s' "${line#\"}"
}

# "direct" where this machine's distribution has a new enough Rust and arm64 libraries, "chroot" on Debian 12.
choose_route() {
  local id version codename
  id=$(os_field ID)
  version=$(os_field VERSION_ID)
  codename=$(os_field VERSION_CODENAME)
  if [ "${AARCH64_USE_CHROOT:-0}" = 1 ]; then
    echo chroot
  elif [ "$id" = debian ] && { [ -z "$version" ] || [ "${version%%.*}" -ge 13 ]; }; then
    echo direct   # trixie, forky, sid (testing/unstable have no VERSION_ID)
  elif [ "$id" = ubuntu ] && [ "${version%%.*}" -ge 24 ]; then
    echo direct
  elif [ "$id" = debian ] && [ "$codename" = bookworm ]; then
    echo chroot
  else
    die "unsupported host ($id $version): needs Debian 12 (chroot route), Debian 13+ or Ubuntu 24.04+"
  fi
}

# Installs the toolchain and arm64 libraries on this (trixie-or-newer) system if any is missing.
install_direct_packages() {
  local codename missing target_release=()
  codename=$(os_field VERSION_CODENAME)
  if [ "$codename" = trixie ]; then
    # trixie's own rustc is 1.85; Cargo.toml says rust-version 1.88.
    target_release=(-t trixie-backports)
  fi
  mapfile -t missing < <(missing_packages "${toolchain_packages[@]}" "${build_packages[@]}")
  if [ "${#missing[@]}" -eq 0 ]; then
    return
  fi
  # (Output captured first throughout: `grep -q` on a pipe fails the pipe under pipefail when it stops reading early.)
  if ! grep -qx arm64 <<<"$(dpkg --print-foreign-architectures)"; then
    say "adding the arm64 architecture to dpkg"
    run_as_root dpkg --add-architecture arm64
  fi
  say "installing ${missing[*]}"
  run_as_root apt-get update -qq
  if [ "$codename" = trixie ] && ! grep -q 'n=trixie-backports' <<<"$(apt-cache policy)"; then
    die "trixie-backports is not in the apt sources (needed for rustc >= 1.88); add it and rerun"
  fi
  if ! grep -q 'Candidate: [0-9]' <<<"$(apt-cache policy libc6:arm64)"; then
    die "no arm64 packages in the apt sources (on Ubuntu add ports.ubuntu.com for arm64) and rerun"
  fi
  run_as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    "${target_release[@]}" "${toolchain_packages[@]}"
  run_as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    "${build_packages[@]}"
}

# The cargo build itself, with the distribution's rustc/cargo (never a rustup proxy that lacks the arm64 std).
cargo_build() {
  local version
  version=$(/usr/bin/rustc --version)
  say "building with $version ($(/usr/bin/cargo --version)) into $build_dir"
  case $version in
    "rustc 1."[0-7][0-9].* | "rustc 1.8"[0-7].*) die "$version is older than the 1.88 Cargo.toml asks for" ;;
  esac
  mkdir -p "$cargo_home" "$build_dir"
  (
    cd "$repo"
    export CARGO_HOME="$cargo_home" RUSTC=/usr/bin/rustc CARGO_TARGET_DIR="$build_dir" CARGO_TERM_COLOR=never
    export CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_LINKER=aarch64-linux-gnu-gcc
    export CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_RUNNER=qemu-aarch64
    export PKG_CONFIG_aarch64_unknown_linux_gnu=aarch64-linux-gnu-pkg-config
    export CC_aarch64_unknown_linux_gnu=aarch64-linux-gnu-gcc
    unset RUSTUP_TOOLCHAIN RUSTFLAGS
    nice -n 19 /usr/bin/cargo build --locked --release --target "$triple" --no-default-features --features kiosk
  )
}

mount_under_chroot() {
  local target="$chroot_dir$2"
  mkdir -p "$target"
  run_as_root mount "${@:3}" "$1" "$target"
  mounted+=("$target")
}

# Mount points below $chroot_dir according to the kernel (so nothing is ever deleted through a bind mount).
mounts_below_chroot() {
  awk -v dir="$chroot_dir/" 'index($5 "/", dir) == 1 { print $5 }' /proc/self/mountinfo
}

unmount_chroot() {
  local i
  for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do
    run_as_root umount "${mounted[i]}" 2>/dev/null || run_as_root umount -l "${mounted[i]}" || true
  done
  mounted=()
}

remove_chroot() {
  if [ -n "$(mounts_below_chroot)" ]; then
    die "not removing $chroot_dir: still mounted there: $(mounts_below_chroot | tr '\n' ' ')"
  fi
  say "removing the chroot $chroot_dir"
  run_as_root rm -rf --one-file-system "$chroot_dir"
}

on_exit() {
  local status=$?
  if [ "${#mounted[@]}" -gt 0 ]; then
    unmount_chroot
  fi
  if [ "${KEEP_CHROOT:-0}" != 1 ] && [ -d "$chroot_dir" ]; then
    remove_chroot || status=1
  fi
  exit "$status"
}

make_chroot() {
  local missing
  mapfile -t missing < <(missing_packages debootstrap)
  if [ "${#missing[@]}" -gt 0 ]; then
    run_as_root apt-get update -qq
    run_as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap
  fi
  if [ -n "$(mounts_below_chroot)" ]; then
    die "$chroot_dir has mounts left from an earlier run: $(mounts_below_chroot | tr '\n' ' ')"
  fi
  if [ ! -e "$chroot_dir/.stillpoint-chroot-ready" ]; then
    run_as_root rm -rf --one-file-system "$chroot_dir"
    say "debootstrap --variant=minbase trixie into $chroot_dir"
    run_as_root debootstrap --variant=minbase --components=main trixie "$chroot_dir" "$mirror" \
      >"$repo/target/aarch64-debootstrap.log" 2>&1 \
      || die "debootstrap failed; see target/aarch64-debootstrap.log"
    run_as_root rm -f "$chroot_dir/etc/apt/sources.list"
    run_as_root tee "$chroot_dir/etc/apt/sources.list.d/debian.sources" >/dev/null <<EOF
Types: deb
URIs: $mirror
Suites: trixie trixie-updates trixie-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
    run_as_root touch "$chroot_dir/.stillpoint-chroot-ready"
  fi
  # The network as the host sees it: its resolver and the certificate authorities it trusts (a local or
  # TLS-inspecting CA that the host added is then trusted by cargo in the chroot too).
  run_as_root cp /etc/resolv.conf "$chroot_dir/etc/resolv.conf"
  run_as_root cp "$host_ca_bundle" "$chroot_dir/etc/host-ca-certificates.crt"
  mount_under_chroot proc /proc -t proc
  mount_under_chroot /dev /dev --bind
  mount_under_chroot /dev/pts /dev/pts --bind
  # The repository at the same path, read-only, with target/ (build folder, cargo home, outputs) writable on top.
  mount_under_chroot "$repo" "$repo" --bind
  run_as_root mount -o remount,bind,ro "$chroot_dir$repo"
  mkdir -p "$build_dir" "$cargo_home"
  mount_under_chroot "$repo/target" "$repo/target" --bind
  case $build_dir in "$repo/target/"*) ;; *) mount_under_chroot "$build_dir" "$build_dir" --bind ;; esac
  case $cargo_home in "$repo/target/"*) ;; *) mount_under_chroot "$cargo_home" "$cargo_home" --bind ;; esac
}

build_in_chroot() {
  make_chroot
  say "entering the chroot"
  run_as_root chroot "$chroot_dir" /usr/bin/env -i HOME=/root LANG=C.UTF-8 TERM=dumb \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    AARCH64_TARGET_DIR="$build_dir" AARCH64_CARGO_HOME="$cargo_home" \
    CARGO_HTTP_CAINFO=/etc/host-ca-certificates.crt "${proxy_env[@]}" \
    bash "$repo/scripts/build-aarch64.sh" --inside-chroot
}

report() {
  local binary="$out_dir/stillpoint" readelf=readelf
  command -v aarch64-linux-gnu-readelf >/dev/null && readelf=aarch64-linux-gnu-readelf
  if ! command -v "$readelf" >/dev/null; then
    say "built $binary ($(du -h "$binary" | cut -f1)); install binutils to list its NEEDED libraries"
    return
  fi
  say "built $binary ($(du -h "$binary" | cut -f1)) in $(($(date +%s) - start_time)) s"
  echo "NEEDED: $("$readelf" -d "$binary" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | tr '\n' ' ')"
  echo "newest GLIBC symbol version: $("$readelf" -V "$binary" | grep -o 'GLIBC_[0-9.]*' | sort -uV | tail -n 1)"
}

main() {
  local run_command=()
  if [ "${1:-}" = --inside-chroot ]; then
    # Second half of the chroot route: this is the trixie chroot (its downloaded .debs are not needed again).
    install_direct_packages
    apt-get clean
    cargo_build
    return
  fi
  if [ "${1:-}" = --run ]; then
    shift
    [ "$#" -gt 0 ] || die "--run needs a command"
    run_command=("$@")
  elif [ "$#" -gt 0 ]; then
    die "unknown argument $1 (usage: scripts/build-aarch64.sh [--run COMMAND...])"
  fi
  case $build_dir in "$repo/target/debug" | "$repo/target/debug/"*) die "AARCH64_TARGET_DIR must not be target/debug" ;; esac
  mkdir -p "$out_dir"
  if [ "$(choose_route)" = chroot ]; then
    # The build first, then the copy, then the --run command in a second chroot call with the binary in place.
    trap on_exit EXIT
    build_in_chroot
    cp "$build_dir/$triple/release/stillpoint" "$out_dir/stillpoint"
    report
    if [ "${#run_command[@]}" -gt 0 ]; then
      say "running in the chroot: ${run_command[*]}"
      run_as_root chroot "$chroot_dir" /usr/bin/env -i HOME=/root LANG=C.UTF-8 TERM=dumb \
        PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin "${run_command[@]}"
    fi
  else
    install_direct_packages
    cargo_build
    cp "$build_dir/$triple/release/stillpoint" "$out_dir/stillpoint"
    report
    if [ "${#run_command[@]}" -gt 0 ]; then
      say "running: ${run_command[*]}"
      "${run_command[@]}"
    fi
  fi
}

main "$@"
