#!/usr/bin/env bash
# The treatment-room panel, end to end, in an emulated machine.
#
# Proves that the kiosk build (`--no-default-features --features kiosk`) of Stillpoint boots on a real Linux kernel
# with nothing but DRM/KMS, udev and libinput (no X, Wayland or seat daemon), draws the library with Slint's
# linuxkms backend and software renderer, takes taps from an absolute pointer (first sequence card, then
# "None apply — start" on its screening), runs the session countdown in real time, and, after the power is pulled
# mid-session (QMP quit, no warning to the guest), comes back on the session near where it was from the data disk.
# Each screen is recognised by comparing QEMU's screendump with references the same binary renders headless
# (`stillpoint screenshot`): static regions match pixel for pixel, and the countdown is read by matching the clock's
# digits against references rendered at each second.
#
# Machine: qemu-system-x86_64 (TCG; KVM does not work on these hosts), q35, 1 GiB, virtio-vga at 800x480,
# virtio-tablet, a 64 MiB ext4 data disk (target/kiosk-vm/data.img) mounted at /data, Debian 12's 6.1 kernel,
# an initramfs with busybox as /init (scripts/kiosk-vm/).
#
# Time (2-core x86_64 Debian 12 host, measured): 18-20 s from QEMU start to the first frame of each boot and about
# 65 s for the whole test with the binary built and the downloads cached, on a quiet host; 25-37 s per boot and
# 90-120 s in all while other builds load the host. The first run adds the downloads (~85 MB of .deb files: seconds
# on a Debian mirror), unpacking (~10 s), any apt installs and the kiosk build (2-3.5 min when only the stillpoint
# crate changed; a target folder without the kiosk feature set's Slint crates takes longer).
#
# Usage: scripts/kiosk-vm-test.sh
#   STILLPOINT_KIOSK_BIN=path   test this kiosk binary instead of building one
#   KIOSK_VM_BOOT_TIMEOUT=s     seconds to wait for the first frame of a boot (default 120)
#   KIOSK_VM_RESUME_MODE=ask    before the reboot, set resume_after_power_cut=false in the disk's settings.json and
#                               answer the app's "Resume …?" question instead (default auto: the kiosk's first run
#                               turns automatic resume on, so the session comes back by itself)
#   KIOSK_VM_RESUME_TAP=x,y     where that question's Resume button is (default: found by its accent colour)
# Needs root or sudo for apt-get (packages it installs: see host_packages below). Everything it makes stays in
# target/kiosk-vm/: screenshots (*.png), serial.log (the guest's console and the app's stderr), qemu.log, caches.
# Exits non-zero on failure.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
helpers="$repo/scripts/kiosk-vm"
target_dir=${CARGO_TARGET_DIR:-$repo/target}
out="$repo/target/kiosk-vm"
cache="$out/cache"
start_time=$(date +%s.%N)
mkdir -p "$out" "$cache/debs"

say() { printf '[%(%H:%M:%S)T] %s\n' -1 "$*"; }
elapsed_since() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'; }

run_as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

apt_updated=no
apt_update_once() {
  if [ "$apt_updated" = no ]; then
    run_as_root apt-get update -qq
    apt_updated=yes
  fi
}

# Installs whichever of the named Debian packages are missing (no apt call when all are there).
need_packages() {
  local missing=() package state
  for package in "$@"; do
    state=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)
    [ "$state" = "install ok installed" ] || missing+=("$package")
  done
  [ "${#missing[@]}" -eq 0 ] && return 0
  say "installing ${missing[*]}"
  apt_update_once
  run_as_root env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# QEMU is started by drive.py; whatever happens, it does not outlive this script.
qemu_bin="$cache/qemu-root/usr/bin/qemu-system-x86_64"
# shellcheck disable=SC2317 # run by the EXIT trap
cleanup() {
  local pid
  if [ -f "$out/qemu.pid" ]; then
    pid=$(cat "$out/qemu.pid" 2>/dev/null || true)
    if [ -n "$pid" ] && [ "$(readlink "/proc/$pid/exe" 2>/dev/null)" = "$(readlink -f "$qemu_bin")" ]; then
      kill "$pid" 2>/dev/null || true
    fi
    rm -f "$out/qemu.pid"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Tools this script and the initramfs take from the host.
host_packages=(
  busybox-static cpio kmod         # /init and its applets; depmod/modprobe for the module order
  udev libinput-bin                # systemd-udevd, rules, hwdb; libinput's udev helpers
  xkb-data fontconfig-config fonts-dejavu-core
  e2fsprogs binutils python3       # the data disk (mkfs/e2fsck/debugfs); strip; the QMP driver
)
need_packages "${host_packages[@]}"

# 1. The kiosk binary, copied out of target/debug at once: a desktop build would overwrite it there.
if [ -n "${STILLPOINT_KIOSK_BIN:-}" ]; then
  app=$(realpath "$STILLPOINT_KIOSK_BIN")
  say "testing $app"
else
  need_packages gcc libc6-dev pkg-config libfontconfig1-dev libasound2-dev libudev-dev libinput-dev libxkbcommon-dev
  say "building the kiosk binary (cargo build --no-default-features --features kiosk)"
  build_start=$(date +%s.%N)
  if ! (cd "$repo" && CARGO_PROFILE_DEV_DEBUG=0 nice -n 10 cargo build --locked --no-default-features --features kiosk); then
    echo "kiosk VM test: FAIL (the kiosk build failed)" >&2
    exit 1
  fi
  cp "$target_dir/debug/stillpoint" "$out/stillpoint"
  app="$out/stillpoint"
  say "built in $(elapsed_since "$build_start") s"
fi
app_libraries=$(ldd "$app")
if [[ "$app_libraries" != *libinput.so* ]]; then
  echo "kiosk VM test: FAIL ($app does not link libinput: not a kiosk build; was target/debug/stillpoint" \
    "replaced by another build before it was copied? run again)" >&2
  exit 1
fi
app_args="--kiosk"
resume_check=yes
app_help=$("$app" --help)
if [[ "$app_help" == *--data-dir* ]]; then
  app_args="--kiosk --data-dir /data"
else
  resume_check=no
fi

# 2. QEMU (unpacked from Debian's packages: installing qemu-system-x86 fails on these hosts) and a Debian kernel.
# apt-get download, cached; a package already in the cache is not fetched again.
fetch_deb() {
  local package=$1 found
  found=$(find "$cache/debs" -maxdepth 1 -name "${package}_*.deb" | sort | tail -n 1)
  if [ -z "$found" ]; then
    apt_update_once
    (cd "$cache/debs" && apt-get download -qq "$package" >&2)
    found=$(find "$cache/debs" -maxdepth 1 -name "${package}_*.deb" | sort | tail -n 1)
  fi
  printf '%s\n' "$found"
}

qemu_packages=(qemu-system-x86 qemu-system-common qemu-system-data seabios ipxe-qemu)
qemu_debs=()
for package in "${qemu_packages[@]}"; do
  qemu_debs+=("$(fetch_deb "$package")")
done
qemu_stamp="$cache/qemu-root/.unpacked-from"
if [ ! -x "$qemu_bin" ] || [ "$(cat "$qemu_stamp" 2>/dev/null)" != "${qemu_debs[*]}" ]; then
  say "unpacking QEMU"
  rm -rf "$cache/qemu-root"
  for deb in "${qemu_debs[@]}"; do dpkg-deb -x "$deb" "$cache/qemu-root"; done
  printf '%s' "${qemu_debs[*]}" >"$qemu_stamp"
fi
# QEMU's own libraries, from its package's Depends (its siblings above excepted).
mapfile -t qemu_libraries < <(dpkg-deb -f "${qemu_debs[0]}" Depends | tr ',' '\n' | sed 's/|.*//; s/(.*//; s/ //g' |
  grep -v -E '^(qemu-system-common|qemu-system-data|seabios|ipxe-qemu|)$')
need_packages "${qemu_libraries[@]}"
qemu_libraries_found=$(ldd "$qemu_bin")
if [[ "$qemu_libraries_found" == *"not found"* ]]; then
  echo "kiosk VM test: FAIL (QEMU is missing libraries)" >&2
  grep 'not found' <<<"$qemu_libraries_found" >&2
  exit 1
fi

# The kernel linux-image-amd64 currently points at; a cached one when the package lists cannot say.
kernel_package=$(apt-cache show --no-all-versions linux-image-amd64 2>/dev/null |
  sed -n 's/^Depends:.*\(linux-image-6\.1\.0-[0-9]*-amd64\).*/\1/p' | head -n 1 || true)
if [ -z "$kernel_package" ]; then
  apt_update_once
  kernel_package=$(apt-cache show --no-all-versions linux-image-amd64 2>/dev/null |
    sed -n 's/^Depends:.*\(linux-image-6\.1\.0-[0-9]*-amd64\).*/\1/p' | head -n 1 || true)
fi
if [ -z "$kernel_package" ]; then
  kernel_package=$(find "$cache/debs" -maxdepth 1 -name 'linux-image-6.1.0-*-amd64_*.deb' -printf '%f\n' |
    sed 's/_.*//' | sort -V | tail -n 1)
fi
[ -n "$kernel_package" ] || { echo "kiosk VM test: FAIL (no linux-image-6.1.0-*-amd64 package)" >&2; exit 1; }
kernel_version=${kernel_package#linux-image-}
kernel_deb=$(fetch_deb "$kernel_package")
kernel_root="$cache/kernel-$kernel_version"
if [ ! -f "$kernel_root/boot/vmlinuz-$kernel_version" ] ||
  [ ! -f "$kernel_root/lib/modules/$kernel_version/modules.dep" ]; then
  say "unpacking $kernel_package"
  rm -rf "$kernel_root"
  dpkg-deb -x "$kernel_deb" "$kernel_root"
  depmod -b "$kernel_root" "$kernel_version"
fi
# Older kernels in the cache are no longer needed.
find "$cache" -maxdepth 1 -name 'kernel-*' ! -name "kernel-$kernel_version" -exec rm -rf {} +
find "$cache/debs" -maxdepth 1 -name 'linux-image-*.deb' ! -name "${kernel_package}_*" -delete

# 3. The initramfs (app, libraries, udev, modules, /init) and a fresh data disk.
say "building the initramfs ($kernel_version, app arguments: $app_args)"
"$helpers/build-initramfs.sh" "$kernel_root" "$kernel_version" "$app" "$app_args" "$out/initramfs.cpio.gz"
rm -f "$out/data.img"
truncate -s 64M "$out/data.img"
mkfs.ext4 -q -F -L stillpoint-data "$out/data.img"
rm -f "$out"/*.png "$out/serial.log" "$out/qemu.log" "$out/screendump.ppm" "$out/settings-for-boot-2.json" \
  "$out/debugfs-commands"

# References are rendered with an empty data folder, as the VM starts with one.
ref_data="$out/ref-data"
rm -rf "$ref_data"
mkdir -p "$ref_data"
if [ "$resume_check" = yes ]; then
  list_json=$("$app" --kiosk --data-dir "$ref_data" list --json)
else
  list_json=$("$app" --kiosk list --json)
  ref_data=""
fi
first_sequence=$(printf '%s' "$list_json" | python3 -c 'import json, sys; print(json.load(sys.stdin)[0]["id"])')
prepare_seconds=$(elapsed_since "$start_time")
say "prepared in $prepare_seconds s; booting (first card: $first_sequence)"

# 4-6. Boot, tap through, pull the power, boot again: scripts/kiosk-vm/drive.py.
status=0
python3 "$helpers/drive.py" \
  --qemu "$qemu_bin" \
  --firmware "$cache/qemu-root/usr/share/seabios" \
  --firmware "$cache/qemu-root/usr/share/qemu" \
  --firmware "$cache/qemu-root/usr/lib/ipxe/qemu" \
  --kernel "$kernel_root/boot/vmlinuz-$kernel_version" \
  --initrd "$out/initramfs.cpio.gz" \
  --disk "$out/data.img" \
  --out "$out" \
  --serial-log "$out/serial.log" \
  --app "$app" \
  --ref-data "$ref_data" \
  --first-sequence "$first_sequence" \
  --resume-check "$resume_check" \
  --resume-mode "${KIOSK_VM_RESUME_MODE:-auto}" \
  --resume-tap "${KIOSK_VM_RESUME_TAP:-}" \
  --boot-timeout "${KIOSK_VM_BOOT_TIMEOUT:-120}" || status=$?

echo "  time  preparation (packages, build, downloads, initramfs): $prepare_seconds s"
echo "  time  whole script: $(elapsed_since "$start_time") s"
if [ "$status" -eq 0 ]; then
  echo "kiosk VM test: PASS"
else
  echo "kiosk VM test: FAIL (serial log: $out/serial.log; last lines below)"
  tail -n 25 "$out/serial.log" 2>/dev/null | sed 's/^/  | /'
fi
exit "$status"
