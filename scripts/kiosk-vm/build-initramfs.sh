#!/usr/bin/env bash
# Builds the gzip cpio initramfs that kiosk-vm-test.sh boots: busybox as /init, the kernel modules for virtio
# (PCI, GPU, input, block), evdev and ext4, systemd-udevd with its rules and hwdb plus libinput's helpers (libinput
# reads udev's ID_INPUT* properties), the kiosk binary with every library ldd lists, libinput's and xkb's data,
# fonts, and init.sh (this folder) as /init.
#
# Usage: build-initramfs.sh KERNEL_ROOT KERNEL_VERSION APP_BINARY APP_ARGS OUTPUT
#   KERNEL_ROOT     a linux-image-*.deb unpacked with dpkg-deb -x (modules under lib/modules/VERSION)
#   APP_ARGS        the arguments /init gives the app, one string (e.g. "--kiosk --data-dir /data")
#   OUTPUT          the .cpio.gz to write
# Runs on the Debian host; takes the host's own busybox-static, udev, libinput-bin, xkb-data and fonts.
set -euo pipefail

if [ "$#" -ne 5 ]; then
  echo "usage: $0 KERNEL_ROOT KERNEL_VERSION APP_BINARY APP_ARGS OUTPUT" >&2
  exit 2
fi
kernel_root=$(realpath "$1")
kernel_version=$2
app=$(realpath "$3")
app_args=$4
output=$5
here=$(dirname "$(realpath "$0")")

root="${output%.cpio.gz}.root"
rm -rf "$root"
mkdir -p "$root"/usr/{bin,sbin,lib/x86_64-linux-gnu,lib64,lib/udev,lib/systemd,share/X11} \
  "$root"/{etc,proc,sys,dev,run,tmp,data,root,var/cache}
# Debian's merged /usr, so paths ldd prints (/lib/..., /lib64/...) land in usr/.
ln -s usr/bin "$root/bin"
ln -s usr/sbin "$root/sbin"
ln -s usr/lib "$root/lib"
ln -s usr/lib64 "$root/lib64"
mkdir -p "$root/lib/modules/kiosk"

# Copies a host file to the same path in the image (following symlinks for the file itself).
copy_file() {
  local source=$1 target
  target="$root$source"
  mkdir -p "$(dirname "$target")"
  cp -L "$source" "$target"
}

# Copies every shared library an executable needs, as ldd resolves them on this host.
copy_libraries() {
  local executable=$1 library
  while read -r library; do
    [ -n "$library" ] || continue
    [ -e "$root$library" ] || copy_file "$library"
  done < <(ldd "$executable" 2>/dev/null | awk '/=> \// { print $3 } /^\t\/[^ ]+ \(/ { print $1 }')
}

# A whole folder, as it is (symlinks inside it kept).
copy_tree() {
  local source=$1
  [ -d "$source" ] || return 0
  mkdir -p "$root$(dirname "$source")"
  cp -a "$source" "$root$(dirname "$source")/"
}

# busybox: the shell for /init and the applets it uses (links are made at boot with --install).
cp /bin/busybox "$root/usr/bin/busybox"

# Kernel modules in the order modprobe would load them.
modules="virtio_pci virtio_blk ext4 virtio_gpu virtio_input evdev"
if [ ! -e "$kernel_root/lib/modules/$kernel_version/modules.dep" ]; then
  depmod -b "$kernel_root" "$kernel_version"
fi
: >"$root/etc/kiosk-modules"
for module in $modules; do
  modprobe -S "$kernel_version" -d "$kernel_root" --show-depends "$module" | awk '$1 == "insmod" { print $2 }'
done | awk '!seen[$0]++' | while read -r path; do
  name=$(basename "$path")
  case "$name" in
    *.ko) cp "$path" "$root/lib/modules/kiosk/$name" ;;
    *.ko.xz) xz -dc "$path" >"$root/lib/modules/kiosk/${name%.xz}"; name=${name%.xz} ;;
    *.ko.zst) zstd -qdc "$path" >"$root/lib/modules/kiosk/${name%.zst}"; name=${name%.zst} ;;
    *) echo "unexpected module file $path" >&2; exit 1 ;;
  esac
  echo "$name" >>"$root/etc/kiosk-modules"
done
[ -s "$root/etc/kiosk-modules" ] || { echo "no kernel modules found under $kernel_root" >&2; exit 1; }

# udev: the daemon (one binary with udevadm), its rules, the compiled hwdb and libinput's helpers.
copy_file /usr/bin/udevadm
copy_libraries /usr/bin/udevadm
ln -s /usr/bin/udevadm "$root/usr/lib/systemd/systemd-udevd"
cp -a /usr/lib/udev/rules.d "$root/usr/lib/udev/"
cp /usr/lib/udev/hwdb.bin "$root/usr/lib/udev/"
for helper in /usr/lib/udev/libinput-*; do
  cp "$helper" "$root/usr/lib/udev/"
  copy_libraries "$helper"
done
copy_tree /etc/udev

# The app and what it loads at run time.
if command -v strip >/dev/null; then
  strip -o "$root/usr/bin/stillpoint" "$app"
else
  cp "$app" "$root/usr/bin/stillpoint"
fi
copy_libraries "$app"
copy_tree /usr/share/libinput
copy_tree /usr/share/libwacom
copy_tree /usr/share/X11/xkb
copy_tree /etc/fonts
copy_tree /usr/share/fontconfig
copy_tree /usr/share/fonts/truetype/dejavu
# glibc looks names up through these; the app needs no network or users, but a root entry keeps tools quiet.
echo 'root:x:0:0:root:/root:/bin/sh' >"$root/etc/passwd"
echo 'root:x:0:' >"$root/etc/group"

printf '%s\n' "$app_args" >"$root/etc/kiosk-app-args"
cp "$here/init.sh" "$root/init"
chmod 755 "$root/init"

rm -f "$output"
(cd "$root" && find . -mindepth 1 | LC_ALL=C sort | cpio --quiet -o -H newc -R 0:0) | gzip -1 >"$output.tmp"
mv "$output.tmp" "$output"
rm -rf "$root"
