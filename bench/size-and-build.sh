#!/usr/bin/env bash
# Binary size (stripped release) and cold release build time for each feature set that builds on a Linux x86_64
# host: `desktop` (the default: winit window) and `kiosk` (linuxkms + libinput). `android` needs the NDK to link
# (docs/android.md) and is not built here.
#
# "Cold" means a fresh target folder: each build starts from nothing but the crates already downloaded into
# ~/.cargo (run `cargo fetch --locked` once before, so no download is timed). The builds are niced; on a shared
# machine the time is noisy — quote it with the machine's load (printed).
#
# Needs: what scripts/install-system-packages.sh installs; the kiosk set also needs
#   libudev-dev libinput-dev libxkbcommon-dev
# Usage: bench/size-and-build.sh [SET...]     (default: desktop kiosk)
# Folders: target/cold-build/SET (emptied first, kept afterwards: target/cold-build/desktop/release/stillpoint is a
# release binary the other bench scripts can use).
set -euo pipefail
cd "$(dirname "$0")/.."

base=${COLD_TARGET_BASE:-target/cold-build}
sets=("$@")
[ ${#sets[@]} -gt 0 ] || sets=(desktop kiosk)

flags_for() {
  case "$1" in
    desktop) echo "" ;;
    kiosk) echo "--no-default-features --features kiosk" ;;
    *) echo "unknown feature set: $1" >&2; exit 2 ;;
  esac
}

cargo fetch --locked >/dev/null
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -g | awk '/Mem:/{print $2}') GB RAM"
echo "toolchain: $(rustc --version)"
echo "date: $(date -u +%Y-%m-%dT%H:%MZ)"
printf '%-8s %-40s %12s %12s %10s %s\n' set flags unstripped stripped build "load before/after"
for set in "${sets[@]}"; do
  flags=$(flags_for "$set")
  dir="$base/$set"
  rm -rf "$dir"
  mkdir -p "$dir"
  load_before=$(cut -d' ' -f1 /proc/loadavg)
  start=$(date +%s.%N)
  # shellcheck disable=SC2086
  if ! nice -n 10 cargo build --locked --release $flags --target-dir "$dir" >"$dir/build.log" 2>&1; then
    echo "$set: build failed, see $dir/build.log" >&2
    tail -20 "$dir/build.log" >&2
    continue
  fi
  end=$(date +%s.%N)
  load_after=$(cut -d' ' -f1 /proc/loadavg)
  bin="$dir/release/stillpoint"
  strip -o "$dir/stillpoint.stripped" "$bin"
  unstripped=$(stat -c %s "$bin")
  stripped=$(stat -c %s "$dir/stillpoint.stripped")
  seconds=$(echo "$end - $start" | bc)
  printf '%-8s %-40s %9.1f MB %9.1f MB %7.0f s   %s/%s\n' "$set" "${flags:-(default)}" \
    "$(echo "$unstripped / 1048576" | bc -l)" "$(echo "$stripped / 1048576" | bc -l)" "$seconds" \
    "$load_before" "$load_after"
done
