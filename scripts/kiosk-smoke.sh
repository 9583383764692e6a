#!/usr/bin/env bash
# Smoke test of the Raspberry Pi kiosk binary, run under qemu-aarch64 on an x86_64 machine.
#
# Proves that the aarch64 kiosk build from scripts/build-aarch64.sh starts and behaves like the x86_64 build of the
# same source: `stillpoint validate sequences` gives the same output and exit status, `stillpoint list --json`
# prints byte-identical JSON, and `stillpoint screenshot --screen session` at 800x480 and 480x320 (the software
# renderer, with the fonts the UI embeds) gives the same pixels as the x86_64 binary. PNGs are compared pixel by
# pixel by a stdlib-only Python PNG decoder (zlib), which reports the count of differing pixels and the largest
# channel difference. It does not exercise the DRM/KMS display or libinput (qemu-user has no display devices):
# scripts/kiosk-vm-test.sh does that on x86_64.
#
# How: builds the host binary (`cargo build`, desktop default, target/debug; a no-op when current), renders the x86_64
# side, then runs scripts/build-aarch64.sh --run with this script's aarch64 half: the cross build (incremental) and,
# in the same environment, the binary under qemu-aarch64 with the multiarch arm64 libraries (on a Debian 12 host
# that is the trixie chroot; never `qemu-aarch64 -L /usr/aarch64-linux-gnu`, under which threads hang).
#
# Time (measured on a 2-core x86_64 Debian 12 host with other builds running), with target/aarch64-build and
# target/debug current: about 3.5 min when the chroot is made anew (it is removed afterwards), about 10 s with
# KEEP_CHROOT=1 and a kept chroot; the aarch64 commands themselves take ~3 s under qemu. A changed source tree adds
# the incremental builds (here 1 min host, 2-5.5 min aarch64); a cold run the cold builds (scripts/build-aarch64.sh).
#
# Usage: scripts/kiosk-smoke.sh
#   STILLPOINT_HOST_BIN=path   compare against this x86_64 binary instead of building target/debug/stillpoint
#   KEEP_CHROOT=1 etc.         passed on to scripts/build-aarch64.sh
# Everything it writes goes to target/kiosk-smoke/ (outputs of both sides, PNGs, comparison). Prints PASS or FAIL and
# exits non-zero on failure. Needs root or sudo (through scripts/build-aarch64.sh).
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
out="$repo/target/kiosk-smoke"
arm_bin="$repo/target/aarch64/stillpoint"
sizes=(800x480 480x320)

say() { printf '[%(%H:%M:%S)T] %s\n' -1 "$*" >&2; }

# Runs every check with one binary, in a clean environment (the language comes from the environment), writing
# <arch>-validate.txt, <arch>-list.json, <arch>-session-<size>.png and each command's exit status
# (<arch>-status.txt) into $out. A command that fails does not stop the run: the comparison judges the outputs.
run_side() {
  local arch=$1 size status
  shift
  local run=("$@")
  local data="$out/data-$arch"
  local clean_env=(env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME="$data" LANG=C.UTF-8)
  rm -rf "$data"
  mkdir -p "$data"
  cd "$repo"
  : >"$out/$arch-status.txt"
  status=0
  "${clean_env[@]}" "${run[@]}" --data-dir "$data" validate sequences >"$out/$arch-validate.txt" 2>&1 || status=$?
  echo "validate $status" >>"$out/$arch-status.txt"
  status=0
  "${clean_env[@]}" "${run[@]}" --data-dir "$data" --kiosk list --json >"$out/$arch-list.json" || status=$?
  echo "list $status" >>"$out/$arch-status.txt"
  for size in "${sizes[@]}"; do
    status=0
    "${clean_env[@]}" "${run[@]}" --data-dir "$data" screenshot --screen session --size "$size" \
      -o "$out/$arch-session-$size.png" || status=$?
    echo "screenshot-$size $status" >>"$out/$arch-status.txt"
  done
}

# The aarch64 half, run by scripts/build-aarch64.sh --run where qemu-aarch64 and the arm64 libraries are.
if [ "${1:-}" = --aarch64-side ]; then
  start=$(date +%s)
  run_side aarch64 qemu-aarch64 "$arm_bin"
  echo "$(($(date +%s) - start))" >"$out/aarch64-seconds"
  exit 0
fi

start=$(date +%s)
rm -rf "$out"
mkdir -p "$out"

host_bin=${STILLPOINT_HOST_BIN:-}
if [ -z "$host_bin" ]; then
  say "host binary: cargo build (desktop default, target/debug)"
  (cd "$repo" && nice -n 19 cargo build --locked --quiet)
  host_bin="$repo/target/debug/stillpoint"
fi
say "x86_64 side: $host_bin"
run_side x86_64 "$host_bin"

say "aarch64 side: scripts/build-aarch64.sh --run (build, then qemu-aarch64)"
"$repo/scripts/build-aarch64.sh" --run bash "$repo/scripts/kiosk-smoke.sh" --aarch64-side

say "comparing"
status=0
python3 - "$out" "$arm_bin" "${sizes[@]}" <<'EOF' || status=$?
import struct
import sys
import zlib
from pathlib import Path

out, arm_bin, sizes = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3:]
failures = []


def check(ok, what):
    print(("ok    " if ok else "FAIL  ") + what)
    if not ok:
        failures.append(what)


def read_png(path):
    """(width, height, channels, rows of bytes) of an 8-bit RGB/RGBA/grey PNG, with the five filters undone."""
    data = path.read_bytes()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError(f"{path} is not a PNG")
    pos, idat, header = 8, [], None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat.append(body)
        elif kind == b"IEND":
            break
    width, height, depth, colour, _, _, interlace = header
    channels = {0: 1, 2: 3, 4: 2, 6: 4}.get(colour)
    if depth != 8 or channels is None or interlace:
        raise ValueError(f"{path}: only 8-bit, non-interlaced grey/RGB/RGBA PNGs are handled")
    raw = zlib.decompress(b"".join(idat))
    stride = width * channels
    rows, previous = [], bytearray(stride)
    for y in range(height):
        kind = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up = previous[i]
            upper_left = previous[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                p = left + up - upper_left
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - upper_left)
                predictor = left if pa <= pb and pa <= pc else up if pb <= pc else upper_left
                line[i] = (line[i] + predictor) & 0xFF
        rows.append(bytes(line))
        previous = line
    return width, height, channels, rows


elf = arm_bin.read_bytes()[:20]
check(elf[:4] == b"\x7fELF" and struct.unpack("<H", elf[18:20])[0] == 0xB7,
      f"{arm_bin.relative_to(out.parent.parent)} is an AArch64 ELF executable")

def statuses(arch):
    path = out / f"{arch}-status.txt"
    return dict(line.split() for line in path.read_text().splitlines()) if path.exists() else {}


x86_status, arm_status = statuses("x86_64"), statuses("aarch64")
expected = ["validate", "list"] + [f"screenshot-{size}" for size in sizes]
for command in expected:
    check(x86_status.get(command) == "0" and arm_status.get(command) == "0",
          f"{command}: exit status 0 on both (x86_64 {x86_status.get(command, 'not run')}, "
          f"aarch64 {arm_status.get(command, 'not run')})")

for name in ["validate.txt", "list.json"]:
    x86, arm = out / f"x86_64-{name}", out / f"aarch64-{name}"
    if not (x86.exists() and arm.exists()):
        check(False, f"{name}: output missing")
        continue
    same = x86.read_bytes() == arm.read_bytes()
    check(same, f"{name.split('.')[0]}: aarch64 output identical to x86_64 ({arm.stat().st_size} bytes)")

for size in sizes:
    x86, arm = out / f"x86_64-session-{size}.png", out / f"aarch64-session-{size}.png"
    if not (x86.exists() and arm.exists()):
        check(False, f"session {size}: PNG missing")
        continue
    w1, h1, c1, rows1 = read_png(x86)
    w2, h2, c2, rows2 = read_png(arm)
    if (w1, h1, c1) != (w2, h2, c2):
        check(False, f"session {size}: shapes differ ({w1}x{h1}x{c1} vs {w2}x{h2}x{c2})")
        continue
    differing, max_delta = 0, 0
    for row1, row2 in zip(rows1, rows2):
        if row1 == row2:
            continue
        for x in range(w1):
            a, b = row1[x * c1:(x + 1) * c1], row2[x * c1:(x + 1) * c1]
            if a != b:
                differing += 1
                max_delta = max(max_delta, max(abs(p - q) for p, q in zip(a, b)))
    check(w1 == int(size.split("x")[0]) and h1 == int(size.split("x")[1]), f"session {size}: PNG is {w1}x{h1}")
    check(differing == 0, f"session {size}: {differing} of {w1 * h1} pixels differ, largest channel difference {max_delta}")

sys.exit(1 if failures else 0)
EOF

elapsed=$(($(date +%s) - start))
qemu_seconds=$(cat "$out/aarch64-seconds" 2>/dev/null || echo '?')
if [ "$status" -eq 0 ]; then
  echo "PASS: kiosk smoke test (aarch64 under qemu: ${qemu_seconds} s; whole run ${elapsed} s; outputs in target/kiosk-smoke/)"
else
  echo "FAIL: kiosk smoke test (see above; outputs in target/kiosk-smoke/)"
  exit 1
fi
