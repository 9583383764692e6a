#!/bin/busybox sh
# shellcheck shell=dash
# /init of the kiosk test VM (see build-initramfs.sh): brings up just enough of a system for Slint's linuxkms
# backend (DRM device, input devices with udev properties, fonts, keyboard maps), mounts the persistent data disk at
# /data and runs the app. Every line it prints goes to the serial log; lines starting "kiosk-vm:" are read by
# drive.py.
/bin/busybox --install -s /bin
export PATH=/usr/bin:/usr/sbin:/bin:/sbin
export HOME=/root

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/pts /dev/shm
mount -t tmpfs -o mode=0755 tmpfs /run
mount -t tmpfs tmpfs /tmp
export XDG_RUNTIME_DIR=/run

stamp() { echo "kiosk-vm: $* at $(cut -d' ' -f1 /proc/uptime) s"; }
stamp "init started"

while read -r module; do
  # crc32c-intel needs SSE4.2, which TCG's default CPU lacks; crc32c_generic stands in for it.
  insmod "/lib/modules/kiosk/$module" 2>/dev/null || echo "kiosk-vm: insmod $module failed (ignored)"
done </etc/kiosk-modules
stamp "modules loaded"

/usr/lib/systemd/systemd-udevd --daemon
udevadm trigger --type=subsystems --action=add
udevadm trigger --type=devices --action=add
udevadm settle --timeout=30 || echo "kiosk-vm: udevadm settle timed out"
stamp "udev settled"

waited=0
while [ ! -b /dev/vda ] && [ "$waited" -lt 50 ]; do sleep 0.2; waited=$((waited + 1)); done
# shellcheck disable=SC2012 # a listing for the log only
if mount -t ext4 -o noatime /dev/vda /data; then
  stamp "data disk mounted ($(ls -A /data | tr '\n' ' '))"
else
  echo "kiosk-vm: FAILED to mount the data disk /dev/vda"
fi

for card in /dev/dri/card*; do [ -e "$card" ] && echo "kiosk-vm: DRM device $card"; done
for event in /dev/input/event*; do
  [ -e "$event" ] || continue
  echo "kiosk-vm: input $event: $(udevadm info --query=property --name="$event" | grep '^ID_INPUT' | tr '\n' ' ')"
done

export SLINT_BACKEND=linuxkms-software
export RUST_BACKTRACE=1
read -r app_args </etc/kiosk-app-args
stamp "starting stillpoint $app_args"
# shellcheck disable=SC2086 # the arguments are one line of words
/usr/bin/stillpoint $app_args 2>&1
status=$?
stamp "stillpoint exited with status $status"
sync
poweroff -f
