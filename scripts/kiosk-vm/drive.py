#!/usr/bin/env python3
"""Drives the kiosk test VM over QMP (Python standard library only); run by scripts/kiosk-vm-test.sh.

Boots QEMU, waits for the library screen, taps the first sequence card, taps "None apply — start" on its screening,
checks that the session screen shows and that its countdown runs in real time, pulls the power (QMP quit), boots again
on the same data disk and checks that the session comes back near where it was.

Which screen shows is decided by comparing QEMU's screendump with references the same app binary renders headless
(`stillpoint screenshot`): the VM draws with the same software renderer and embedded font, so static regions match
pixel for pixel. The countdown is read the same way, by matching the clock's digits against references rendered at
each second of step 1. Where to tap is found in the references too (the first card of the grid, the accent-coloured
start button), so a layout change moves the taps with it.
"""

import argparse
import collections
import hashlib
import json
import os
import shutil
import socket
import struct
import subprocess
import sys
import time
import zlib

WIDTH, HEIGHT = 800, 480
# The clock's digits on the session screen: inside the clock panel, above the cue line and progress bar.
DIGITS_BOX = (100, 70, 700, 285)
# Parts of the session screen that do not change while step 1 runs: the step number and title, and the row of
# buttons. Not the right of the header: it shows the time left and badges laid out from the right ("Sound
# unavailable" appears in the VM, which has no sound card, and pushes "both sides" left); nor the clock panel, which
# glows on cues; nor the step's instructions, whose dot pulses.
SESSION_STATIC = [(0, 0, 380, 52), (0, 405, WIDTH, HEIGHT)]
SCREENS = {
    "library": [(0, 0, WIDTH, HEIGHT)],
    "screening": [(0, 0, WIDTH, HEIGHT)],
    "session": SESSION_STATIC,
}
# Where the pointer rests between taps: the top edge, clear of every button (a hovered button changes colour).
POINTER_REST = (400, 1)
# A pixel matches a reference when no channel differs by more than this (so far they have been identical).
TOLERANCE = 8
# Fraction of compared pixels that must match for a screen to count as recognised.
MATCH_FRACTION = 0.99
# The resume checkpoint is written at least this often during a running hold (src/store/checkpoint.rs).
CHECKPOINT_EVERY = 10


class Failure(Exception):
    pass


def log(message):
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


# ---------------------------------------------------------------------------------------------------------------
# Images: a frame is (width, height, RGB bytes).


def read_ppm(path):
    with open(path, "rb") as f:
        data = f.read()
    fields, pos = [], 0
    while len(fields) < 4:  # P6 <width> <height> <maxval>, then one whitespace byte, then the pixels
        while data[pos:pos + 1].isspace():
            pos += 1
        start = pos
        while pos < len(data) and not data[pos:pos + 1].isspace():
            pos += 1
        fields.append(data[start:pos])
    pos += 1
    if fields[0] != b"P6" or fields[3] != b"255":
        raise Failure(f"{path}: not an 8-bit binary PPM")
    width, height = int(fields[1]), int(fields[2])
    return width, height, data[pos:pos + width * height * 3]


def write_png(path, frame):
    width, height, rgb = frame
    stride = width * 3
    raw = b"".join(b"\0" + rgb[y * stride:(y + 1) * stride] for y in range(height))

    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)

    png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
           + chunk(b"IDAT", zlib.compress(raw, 6)) + chunk(b"IEND", b""))
    with open(path + ".tmp", "wb") as f:
        f.write(png)
    os.replace(path + ".tmp", path)


def read_png(path):
    """8-bit RGB or RGBA, not interlaced (what `stillpoint screenshot` writes); returns RGB."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise Failure(f"{path}: not a PNG")
    pos, idat, header = 8, [], None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat.append(body)
        pos += 12 + length
    width, height, depth, colour, _, _, interlace = header
    if depth != 8 or interlace or colour not in (2, 6):
        raise Failure(f"{path}: unsupported PNG (depth {depth}, colour type {colour}, interlace {interlace})")
    bpp = 3 if colour == 2 else 4
    raw = zlib.decompress(b"".join(idat))
    stride = width * bpp
    out = bytearray(height * stride)
    prev = bytearray(stride)
    pos = 0
    for y in range(height):
        kind = raw[pos]
        line = bytearray(raw[pos + 1:pos + 1 + stride])
        pos += 1 + stride
        if kind == 1:  # Sub
            for x in range(bpp, stride):
                line[x] = (line[x] + line[x - bpp]) & 255
        elif kind == 2:  # Up
            for x in range(stride):
                line[x] = (line[x] + prev[x]) & 255
        elif kind == 3:  # Average
            for x in range(stride):
                left = line[x - bpp] if x >= bpp else 0
                line[x] = (line[x] + ((left + prev[x]) >> 1)) & 255
        elif kind == 4:  # Paeth
            for x in range(stride):
                a = line[x - bpp] if x >= bpp else 0
                b = prev[x]
                c = prev[x - bpp] if x >= bpp else 0
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else (b if pb <= pc else c))) & 255
        out[y * stride:(y + 1) * stride] = line
        prev = line
    if bpp == 4:
        rgb = bytearray(width * height * 3)
        rgb[0::3], rgb[1::3], rgb[2::3] = out[0::4], out[1::4], out[2::4]
        out = rgb
    return width, height, bytes(out)


def pixel(frame, x, y):
    i = (y * frame[0] + x) * 3
    return tuple(frame[2][i:i + 3])


def region_match(frame, ref, box, budget=None):
    """(matching pixels, compared pixels, largest channel difference) of frame against ref inside box. With a
    budget, stops counting once more than `budget` pixels differ (enough to know it is not a match)."""
    width, _, a = frame
    b = ref[2]
    x0, y0, x1, y1 = box
    matching = total = worst = 0
    for y in range(y0, y1):
        start, end = (y * width + x0) * 3, (y * width + x1) * 3
        row_a, row_b = a[start:end], b[start:end]
        total += x1 - x0
        if row_a == row_b:
            matching += x1 - x0
            continue
        for i in range(0, end - start, 3):
            d = max(abs(row_a[i] - row_b[i]), abs(row_a[i + 1] - row_b[i + 1]), abs(row_a[i + 2] - row_b[i + 2]))
            worst = max(worst, d)
            if d <= TOLERANCE:
                matching += 1
        if budget is not None and total - matching > budget:
            return matching, total + (y1 - y - 1) * (x1 - x0), worst
    return matching, total, worst


def screen_score(frame, ref, boxes, budget_fraction=None):
    matching = total = worst = 0
    size = sum((x1 - x0) * (y1 - y0) for x0, y0, x1, y1 in boxes)
    budget = None if budget_fraction is None else int(size * budget_fraction)
    for box in boxes:
        m, t, w = region_match(frame, ref, box, None if budget is None else budget - (total - matching))
        matching, total, worst = matching + m, total + t, max(worst, w)
        if budget is not None and total - matching > budget:
            return matching / size, worst
    return matching / total, worst


# The clock digits are near-white; every channel above 160 counts as ink (the panel is dark, or amber on a cue).
_INK = bytes(1 if v > 160 else 0 for v in range(256))


def digits_mask(frame):
    """The clock's digits as one integer bit mask: one bit (set for ink) per pixel of DIGITS_BOX."""
    width, _, rgb = frame
    x0, y0, x1, y1 = DIGITS_BOX
    region = b"".join(rgb[(y * width + x0) * 3:(y * width + x1) * 3] for y in range(y0, y1))
    red, green, blue = (int.from_bytes(region[c::3].translate(_INK), "big") for c in range(3))
    return red & green & blue


def popcount(n):
    return bin(n).count("1")


# ---------------------------------------------------------------------------------------------------------------
# References, rendered by the app binary under test and cached per binary.


class References:
    def __init__(self, app, ref_data, cache_dir, sequence_id):
        self.app = app
        self.ref_data = ref_data
        self.sequence_id = sequence_id
        digest = hashlib.sha256()
        with open(app, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                digest.update(block)
        key = digest.hexdigest()[:16]
        self.dir = os.path.join(cache_dir, key)
        os.makedirs(self.dir, exist_ok=True)
        for old in os.listdir(cache_dir):  # references of other binaries
            if old != key:
                shutil.rmtree(os.path.join(cache_dir, old), ignore_errors=True)
        self.frames = {}
        self.masks = {}
        self.rendered = 0

    def render(self, name, *args):
        path = os.path.join(self.dir, name + ".png")
        if not os.path.exists(path):
            data_dir = ["--data-dir", self.ref_data] if self.ref_data else []
            command = [self.app, "--kiosk", *data_dir, "screenshot", "--size", f"{WIDTH}x{HEIGHT}", *args,
                       "-o", path + ".tmp.png"]
            result = subprocess.run(command, capture_output=True, text=True)
            if result.returncode != 0:
                raise Failure(f"rendering the reference {name} failed: {' '.join(command)}\n{result.stderr}")
            os.replace(path + ".tmp.png", path)
            self.rendered += 1
        return path

    def frame(self, name):
        if name not in self.frames:
            if name == "library":
                path = self.render("library", "--screen", "library")
            elif name == "screening":
                path = self.render(f"screening-{self.sequence_id}", "--screen", "screening",
                                   "--sequence", self.sequence_id)
            elif name == "session":
                path = self.render(f"session-{self.sequence_id}-step1-5s", "--screen", "session",
                                   "--sequence", self.sequence_id, "--step", "1", "--elapsed", "5s")
            else:
                raise KeyError(name)
            self.frames[name] = read_png(path)
        return self.frames[name]

    def countdown_mask(self, elapsed):
        if elapsed not in self.masks:
            path = self.render(f"session-{self.sequence_id}-step1-{elapsed}s", "--screen", "session",
                               "--sequence", self.sequence_id, "--step", "1", "--elapsed", f"{elapsed}s")
            self.masks[elapsed] = digits_mask(read_png(path))
        return self.masks[elapsed]


def classify(frame, refs, full_scores=False):
    """The screen a frame shows (or None) and, with full_scores, how well it matched each reference."""
    if (frame[0], frame[1]) != (WIDTH, HEIGHT):
        return None, {}
    scores = {}
    found = None
    for name, boxes in SCREENS.items():
        score, _ = screen_score(frame, refs.frame(name), boxes, None if full_scores else 1 - MATCH_FRACTION)
        scores[name] = score
        if score >= MATCH_FRACTION and found is None:
            found = name
    return found, scores


def describe_match(frame, refs, screen):
    score, worst = screen_score(frame, refs.frame(screen), SCREENS[screen])
    if score == 1 and worst == 0:
        return f"matches the {screen} reference pixel for pixel"
    return f"{score * 100:.2f}% of the {screen} reference's pixels within {TOLERANCE} (largest difference {worst})"


def read_countdown(frame, refs, low, high=None):
    """Whole seconds into step 1 that the clock shows: the rendered second whose digits match best, searched in
    low..high first (low-6..low+6 without high), then 0..120. Returns (seconds, differing pixels, ink pixels)."""
    if high is None:
        low, high = low - 6, low + 6
    mask = digits_mask(frame)
    ink = popcount(mask)
    if ink < 500:
        raise Failure(f"no clock digits in the countdown region (only {ink} light pixels)")
    best = None
    searched = set()
    for window in (range(max(0, int(low)), int(high) + 1), range(0, 121)):
        for elapsed in window:
            if elapsed in searched:
                continue
            searched.add(elapsed)
            distance = popcount(mask ^ refs.countdown_mask(elapsed))
            if best is None or distance < best[1]:
                best = (elapsed, distance)
        if best[1] <= ink * 0.02:
            break
    elapsed, distance = best
    if distance > ink * 0.02:
        raise Failure(f"the clock matches no rendered second (nearest {elapsed} s: {distance} of {ink} pixels differ)")
    return elapsed, distance, ink


# Where to tap, found in the references (defaults if the search finds nothing plausible).


def most_common(colours):
    return collections.Counter(colours).most_common(1)[0][0]


def locate_first_card(frame, default=(200, 150)):
    """The centre of the first card of the library grid: below the header bar, the first box (not the page's
    background colour) met going down the column at a quarter of the width."""
    width, height, _ = frame
    background = most_common(pixel(frame, 2, y) for y in range(height // 2, height))  # the page's left margin
    y = 0
    while y < height and pixel(frame, 2, y) != background:  # the header bar spans the width
        y += 1
    column = width // 4
    while y < height and pixel(frame, column, y) == background:
        y += 1
    top = y
    while y < height and not all(pixel(frame, column, y + k) == background for k in range(3) if y + k < height):
        y += 1
    bottom = y
    if not 40 <= bottom - top <= height // 2:
        return default, "default (no card found in the reference)"
    middle = (top + bottom) // 2
    x = 0
    while x < width and pixel(frame, x, middle) == background:
        x += 1
    left = x
    while x < width and pixel(frame, x, middle) != background:
        x += 1
    right = x
    if not 80 <= right - left <= width:
        return default, "default (no card found in the reference)"
    return ((left + right) // 2, middle), f"centre of the first card ({left},{top})-({right},{bottom})"


def locate_accent_button(frame, rows=120, default=(550, 438)):
    """The centre of the accent-coloured (most saturated, most common) fill in the bottom rows: the start button."""
    width, height, _ = frame
    colours = collections.Counter()
    for y in range(height - rows, height):
        for x in range(0, width, 2):
            r, g, b = pixel(frame, x, y)
            if max(r, g, b) - min(r, g, b) >= 60:
                colours[(r, g, b)] += 1
    if not colours:
        return default, "default (no accent colour in the reference)", None
    accent, _ = colours.most_common(1)[0]
    xs, ys = [], []
    for y in range(height - rows, height):
        for x in range(0, width, 2):
            if pixel(frame, x, y) == accent:
                xs.append(x)
                ys.append(y)
    box = (min(xs), min(ys), max(xs), max(ys))
    if box[2] - box[0] < 60 or box[3] - box[1] < 20:
        return default, "default (accent fill too small)", accent
    return ((box[0] + box[2]) // 2, (box[1] + box[3]) // 2), f"centre of the accent button {box[:2]}-{box[2:]}", accent


def locate_dialog_button(frame, library, accent):
    """The confirming (accent-coloured) button of a dialog drawn over the library: the accent pixels that are not
    in the library reference at the same place. Returns (point or None, how)."""
    if accent is None:
        return None, "no accent colour known"
    width, height, _ = frame
    xs, ys = [], []
    for y in range(0, height, 2):
        for x in range(0, width, 2):
            if pixel(frame, x, y) == accent and pixel(library, x, y) != accent:
                xs.append(x)
                ys.append(y)
    if len(xs) < 200:
        return None, f"no accent-coloured button in the dialog ({len(xs)} pixels)"
    box = (min(xs), min(ys), max(xs), max(ys))
    return ((box[0] + box[2]) // 2, (box[1] + box[3]) // 2), f"centre of the dialog's accent button {box[:2]}-{box[2:]}"


def set_resume_setting(disk, out, settings, value):
    """Rewrites settings.json on the (powered-off) data disk with resume_after_power_cut=value: the journal is
    replayed first (as the kernel would on mounting), then the file replaced with debugfs."""
    subprocess.run(["e2fsck", "-fy", disk], capture_output=True)
    changed = dict(settings or {})
    changed["resume_after_power_cut"] = value
    local = os.path.join(out, "settings-for-boot-2.json")
    with open(local, "w") as f:
        json.dump(changed, f, indent=2)
        f.write("\n")
    commands = os.path.join(out, "debugfs-commands")
    with open(commands, "w") as f:
        f.write(f"cd /\nrm settings.json\nwrite {local} settings.json\nsif settings.json mode 0100600\n")
    result = subprocess.run(["debugfs", "-w", "-f", commands, disk], capture_output=True, text=True)
    if result.returncode != 0:
        raise Failure(f"could not rewrite settings.json on the data disk: {result.stderr}")


def parse_point(text):
    x, y = (int(v) for v in text.split(","))
    return x, y


# ---------------------------------------------------------------------------------------------------------------
# QEMU and QMP.


class Machine:
    def __init__(self, args, boot_name):
        self.args = args
        self.boot_name = boot_name
        self.sock_path = os.path.join(args.out, "qmp.sock")
        self.shot_path = os.path.join(args.out, "screendump.ppm")
        self.proc = self.sock = self.file = None
        self.started = None
        self.app_started = None  # host time when /init said it starts the app
        self.serial_offset = 0

    def start(self):
        args = self.args
        if os.path.exists(self.sock_path):
            os.unlink(self.sock_path)
        command = [args.qemu]
        for folder in args.firmware:
            command += ["-L", folder]
        command += [
            "-accel", "tcg", "-machine", "q35", "-m", "1024", "-smp", "1", "-nodefaults", "-no-reboot",
            "-display", "none",
            "-device", f"virtio-vga,xres={WIDTH},yres={HEIGHT}",
            "-device", "virtio-tablet-pci",
            "-chardev", f"file,id=serial0,path={args.serial_log},append=on", "-serial", "chardev:serial0",
            "-qmp", f"unix:{self.sock_path},server=on,wait=off",
            "-pidfile", os.path.join(args.out, "qemu.pid"),
            "-kernel", args.kernel, "-initrd", args.initrd,
            "-append", "console=ttyS0 panic=-1 quiet",
            "-drive", f"file={args.disk},format=raw,if=none,id=data",
            "-device", "virtio-blk-pci,drive=data",
        ]
        with open(args.serial_log, "a") as f:
            f.write(f"\n===== kiosk-vm-test: {self.boot_name} ({time.strftime('%H:%M:%S')}) =====\n")
        self.serial_offset = os.path.getsize(args.serial_log)
        with open(os.path.join(args.out, "qemu.log"), "a") as qemu_log:
            qemu_log.write(f"===== {self.boot_name}: {' '.join(command)}\n")
            qemu_log.flush()
            self.started = time.monotonic()
            self.proc = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=qemu_log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 30
        while True:
            self.check_alive()
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                sock.connect(self.sock_path)
                break
            except OSError:
                sock.close()
                if time.monotonic() > deadline:
                    raise Failure("QEMU's QMP socket did not appear within 30 s")
                time.sleep(0.05)
        sock.settimeout(60)
        self.sock = sock
        self.file = sock.makefile("rw", encoding="utf-8", newline="\n")
        greeting = json.loads(self.file.readline())
        if "QMP" not in greeting:
            raise Failure(f"unexpected QMP greeting {greeting}")
        self.command("qmp_capabilities")

    def serial_text(self):
        with open(self.args.serial_log, "rb") as f:
            f.seek(self.serial_offset)
            return f.read().decode("utf-8", "replace")

    def check_alive(self):
        if self.proc is not None and self.proc.poll() is not None:
            raise Failure(f"QEMU exited (status {self.proc.returncode}) during {self.boot_name}; "
                          "the app may have exited: see the serial log")

    def command(self, name, **arguments):
        message = {"execute": name}
        if arguments:
            message["arguments"] = arguments
        self.file.write(json.dumps(message) + "\n")
        self.file.flush()
        while True:
            line = self.file.readline()
            if not line:
                raise Failure(f"QMP connection closed during {name}")
            reply = json.loads(line)
            if "event" in reply:
                continue
            if "error" in reply:
                raise Failure(f"QMP {name} failed: {reply['error']}")
            return reply.get("return")

    def screenshot(self):
        self.check_alive()
        if self.app_started is None and "kiosk-vm: starting stillpoint" in self.serial_text():
            self.app_started = time.monotonic()
        self.command("screendump", filename=self.shot_path)
        return read_ppm(self.shot_path)

    def move(self, x, y):
        # virtio-tablet's axes run 0..32767 over the whole screen.
        self.command("input-send-event", events=[
            {"type": "abs", "data": {"axis": "x", "value": min(32767, int((x + 0.5) * 32768 / WIDTH))}},
            {"type": "abs", "data": {"axis": "y", "value": min(32767, int((y + 0.5) * 32768 / HEIGHT))}},
        ])

    def tap(self, x, y):
        self.move(x, y)
        time.sleep(0.2)
        self.command("input-send-event", events=[{"type": "btn", "data": {"down": True, "button": "left"}}])
        time.sleep(0.15)
        self.command("input-send-event", events=[{"type": "btn", "data": {"down": False, "button": "left"}}])
        time.sleep(0.2)
        self.move(*POINTER_REST)

    def power_cut(self):
        """QMP quit: QEMU stops at once and the guest gets no warning, as when the plug is pulled. What the guest had
        written to its disk (and not just to its page cache) is in the image file."""
        if self.proc is None:
            return
        try:
            self.command("quit")
        except (Failure, OSError, ValueError):
            pass
        for closeable in (self.file, self.sock):
            try:
                if closeable:
                    closeable.close()
            except OSError:
                pass
        self.file = self.sock = None
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.proc = None


def wait_for_screen(machine, refs, wanted, timeout, what, on_other=None):
    """Polls screendumps until the `wanted` screen shows; returns (frame, host time it was seen)."""
    deadline = time.monotonic() + timeout
    while True:
        frame = machine.screenshot()
        seen = time.monotonic()
        screen, _ = classify(frame, refs)
        if screen == wanted:
            return frame, seen
        if on_other:
            on_other(screen, frame)
        if seen > deadline:
            path = os.path.join(machine.args.out, f"failed-{what}.png")
            write_png(path, frame)
            screen, scores = classify(frame, refs, full_scores=True)
            detail = ", ".join(f"{k} {v * 100:.1f}%" for k, v in scores.items()) or f"a {frame[0]}x{frame[1]} picture"
            raise Failure(f"{what}: no {wanted} screen within {timeout:.0f} s (last frame "
                          f"{screen or 'unrecognised'}, pixels matching: {detail}; saved {path})")
        time.sleep(0.25)


def data_on_disk(disk, out):
    """checkpoint.json and settings.json as the next boot will find them: a copy of the disk image with its journal
    replayed by e2fsck, read with debugfs. (None, None) without e2fsprogs."""
    if not (shutil.which("e2fsck") and shutil.which("debugfs")):
        return None, None
    copy = os.path.join(out, "data-after-power-cut.img")
    subprocess.run(["cp", "--sparse=always", disk, copy], check=True)
    subprocess.run(["e2fsck", "-fy", copy], capture_output=True)
    found = []
    for name in ("checkpoint.json", "settings.json"):
        result = subprocess.run(["debugfs", "-R", f"cat /{name}", copy], capture_output=True, text=True)
        try:
            found.append(json.loads(result.stdout))
        except json.JSONDecodeError:
            found.append(None)
    os.unlink(copy)
    return found[0], found[1]


# ---------------------------------------------------------------------------------------------------------------
# The test.


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--qemu", required=True)
    parser.add_argument("--firmware", action="append", default=[], help="a QEMU firmware folder (-L)")
    parser.add_argument("--kernel", required=True)
    parser.add_argument("--initrd", required=True)
    parser.add_argument("--disk", required=True, help="the data disk image (ext4), fresh")
    parser.add_argument("--out", required=True, help="folder for screenshots, logs and the QMP socket")
    parser.add_argument("--serial-log", required=True)
    parser.add_argument("--app", required=True, help="the binary the VM runs, to render references with")
    parser.add_argument("--ref-data", default="", help="an empty data folder for the references (empty: the app "
                        "has no --data-dir)")
    parser.add_argument("--first-sequence", required=True, help="id of the library's first card")
    parser.add_argument("--resume-check", choices=["yes", "no"], default="yes")
    parser.add_argument("--card-tap", default="", help="X,Y of the first card (default: found in the reference)")
    parser.add_argument("--start-tap", default="", help="X,Y of 'None apply — start' (default: found)")
    parser.add_argument("--resume-mode", choices=["auto", "ask"], default="auto", help="auto: the kiosk resumes by "
                        "itself (its first-run default); ask: resume_after_power_cut is set to false on the disk "
                        "before the reboot, and the Resume button of the app's question is tapped")
    parser.add_argument("--resume-tap", default="", help="X,Y of the Resume button (default: found in the dialog)")
    parser.add_argument("--boot-timeout", type=float, default=120)
    parser.add_argument("--step-timeout", type=float, default=60)
    parser.add_argument("--cut-after", type=float, default=14, help="seconds after the session's first frame to "
                        "pull the power: past the first periodic checkpoint")
    args = parser.parse_args()

    t_begin = time.monotonic()
    checks, timings = [], {}

    def check(name, ok, detail):
        checks.append((name, ok, detail))
        log(f"{'ok  ' if ok else 'FAIL'} {name}: {detail}")
        if not ok:
            raise Failure(f"{name}: {detail}")

    refs = References(args.app, args.ref_data, os.path.join(args.out, "refs"), args.first_sequence)
    for name in SCREENS:
        write_png(os.path.join(args.out, f"reference-{name}.png"), refs.frame(name))
    card, card_how = (parse_point(args.card_tap), "given") if args.card_tap else locate_first_card(
        refs.frame("library"))
    located, start_how, accent = locate_accent_button(refs.frame("screening"))
    start = parse_point(args.start_tap) if args.start_tap else located
    start_how = "given" if args.start_tap else start_how
    log(f"references from {args.app}; first card {args.first_sequence}: tap {card} ({card_how}); "
        f"'None apply — start': tap {start} ({start_how})")

    machine = Machine(args, "boot 1")
    result = 1
    try:
        # Boot 1: library, first card, screening, start, session with its countdown running.
        machine.start()
        log("boot 1: QEMU started; waiting for the library screen")
        frame, seen = wait_for_screen(machine, refs, "library", args.boot_timeout, "boot-1")
        timings["boot 1: QEMU start to library drawn"] = seen - machine.started
        if machine.app_started:
            timings["boot 1: app start to library drawn"] = seen - machine.app_started
        write_png(os.path.join(args.out, "01-library.png"), frame)
        check("library screen", True, f"after {seen - machine.started:.1f} s; {describe_match(frame, refs, 'library')}")

        tapped = time.monotonic()
        machine.tap(*card)
        frame, seen = wait_for_screen(machine, refs, "screening", args.step_timeout, "tap-first-card")
        timings["tap on first card to screening drawn"] = seen - tapped
        write_png(os.path.join(args.out, "02-screening.png"), frame)
        check(f"screening of {args.first_sequence}", True, describe_match(frame, refs, "screening"))

        tapped = time.monotonic()
        machine.tap(*start)
        frame, seen = wait_for_screen(machine, refs, "session", args.step_timeout, "tap-start")
        timings["tap on start to session drawn"] = seen - tapped
        t_start = tapped
        write_png(os.path.join(args.out, "03-session.png"), frame)
        check("session screen", True, describe_match(frame, refs, "session"))

        # Two shots a few seconds apart and, for the resume check, a third just before the power is pulled. They are
        # read afterwards: reading the clock may render references, which takes time.
        time.sleep(1)
        frame_a, at_a = machine.screenshot(), time.monotonic()
        time.sleep(4)
        frame_b, at_b = machine.screenshot(), time.monotonic()
        first_tick = seen - t_start  # the session began between the tap and its first frame
        if args.resume_check == "yes":
            # Past the first periodic checkpoint (CHECKPOINT_EVERY into the session) and well inside step 1.
            time.sleep(max(0.0, seen + args.cut_after - time.monotonic()))
            frame_c, cut_at = machine.screenshot(), time.monotonic()
            machine.power_cut()
            log(f"power cut (QMP quit) {cut_at - seen:.1f} s after the session's first frame")
            write_png(os.path.join(args.out, "06-before-power-cut.png"), frame_c)
        write_png(os.path.join(args.out, "04-countdown-a.png"), frame_a)
        write_png(os.path.join(args.out, "05-countdown-b.png"), frame_b)
        elapsed_a, dist_a, _ = read_countdown(frame_a, refs, 0, int(at_a - t_start) + 1)
        elapsed_b, dist_b, _ = read_countdown(frame_b, refs, elapsed_a, int(at_b - t_start) + 1)
        wall = at_b - at_a
        changed = digits_mask(frame_a) != digits_mask(frame_b)
        exact = "digits match rendered seconds exactly" if dist_a == dist_b == 0 else \
            f"{dist_a} and {dist_b} digit pixels off (anti-aliased edges over the cue glow)"
        # Whole seconds read from two shots, either of which may be a redraw late when the host is busy: forward, never
        # ahead of the time since the tap, and within 3 s of the wall clock (the rate is checked again over the
        # longer span up to the power cut).
        ok = changed and elapsed_a < elapsed_b <= at_b - t_start + 1 and abs((elapsed_b - elapsed_a) - wall) <= 3
        check("countdown runs", ok,
              f"clock {elapsed_a} s then {elapsed_b} s into step 1 on shots {wall:.1f} s apart; {exact}")
        check("still on the session screen", classify(frame_b, refs)[0] == "session",
              describe_match(frame_b, refs, "session"))

        if args.resume_check == "no":
            log("resume check skipped: this build has no --data-dir yet")
            checks.append(("resume after a power cut", True, "skipped: this build has no --data-dir yet"))
        else:
            elapsed_c, _, _ = read_countdown(frame_c, refs, elapsed_b, int(cut_at - t_start) + 1)
            span = cut_at - t_start
            check("countdown keeps real time", span - first_tick - 2 <= elapsed_c <= span + 1,
                  f"{elapsed_c} s on the clock when the power was cut, {span:.1f} s after the tap on start (session "
                  f"first drawn {first_tick:.1f} s after the tap)")
            checkpoint, settings = data_on_disk(args.disk, args.out)
            saved = None
            if checkpoint:
                position = checkpoint.get("position", {})
                saved = position.get("step_elapsed")
                step = position.get("step_index")
                log(f"on the disk: checkpoint step {step + 1 if isinstance(step, int) else step}, {saved} s into it, "
                    f"{position.get('hold')}; settings.json resume_after_power_cut="
                    f"{(settings or {}).get('resume_after_power_cut')}")
                check("checkpoint on the disk after the cut", step == 0 and isinstance(saved, (int, float))
                      and elapsed_c - CHECKPOINT_EVERY - 1 <= saved <= elapsed_c + 1,
                      f"step {step + 1 if isinstance(step, int) else step} at {saved} s, the clock showed "
                      f"{elapsed_c} s (checkpoints at least every {CHECKPOINT_EVERY} s)")
            else:
                log("no readable checkpoint.json on the disk after the cut")

            if args.resume_mode == "ask":
                set_resume_setting(args.disk, args.out, settings, False)
                log("settings.json on the disk now has resume_after_power_cut=false: the app should ask")

            # Boot 2 on the same disk: the session comes back by itself (the kiosk's default), or after Resume.
            machine = Machine(args, "boot 2 (after the power cut)")
            machine.start()
            log("boot 2: QEMU started on the same data disk; waiting for the session screen")
            tapped_resume = []
            previous = []

            def answer_question(screen, frame):
                # The question is a dialog over the library: a settled picture of the app (not the firmware's black
                # text screen, which stays until the app's first frame) that is no known screen.
                settled = bool(previous) and previous[0][2] == frame[2]
                previous[:] = [frame]
                if args.resume_mode != "ask" or tapped_resume or screen is not None or not settled:
                    return
                if frame[:2] != (WIDTH, HEIGHT) or frame[2].count(b"\0\0\0") > WIDTH * HEIGHT // 2:
                    return
                if args.resume_tap:
                    point, how = parse_point(args.resume_tap), "given"
                else:
                    point, how = locate_dialog_button(frame, refs.frame("library"), accent)
                write_png(os.path.join(args.out, "07-resume-question.png"), frame)
                if point is None:
                    log(f"a dialog is showing but {how}; waiting (set KIOSK_VM_RESUME_TAP=x,y to tap it)")
                    return
                machine.tap(*point)
                tapped_resume.append(time.monotonic())
                log(f"the app asked (07-resume-question.png); tapped Resume at {point} ({how})")

            try:
                frame, seen = wait_for_screen(machine, refs, "session", args.boot_timeout, "resume", answer_question)
            except Failure as failure:
                raise Failure(f"{failure}; settings.json on the disk: {settings}") from None
            timings["boot 2: QEMU start to resumed session drawn"] = seen - machine.started
            app_started = tapped_resume[0] if tapped_resume else machine.app_started or machine.started
            time.sleep(3)
            frame_r2, at_r2 = machine.screenshot(), time.monotonic()
            write_png(os.path.join(args.out, "08-resumed.png"), frame)
            write_png(os.path.join(args.out, "09-resumed-running.png"), frame_r2)
            # The clock restarts from the checkpoint when the app starts (or Resume is tapped), and runs from then.
            running_since = seen - app_started
            base = saved if isinstance(saved, (int, float)) else elapsed_c - CHECKPOINT_EVERY
            low, high = int(base) - 1, int(base + running_since) + 1
            elapsed_r, _, _ = read_countdown(frame, refs, low, high)
            check("session resumed after the power cut", low <= elapsed_r <= high,
                  f"step 1 back with the clock {elapsed_r} s into it (cut at {elapsed_c} s, checkpoint {saved} s, app "
                  f"running {running_since:.1f} s: expected {low}..{high}); {describe_match(frame, refs, 'session')}")
            # Later frames move on, and never past the time since the restart (a frame can be drawn late while the
            # app is still busy starting, so the clock may jump forward to catch up).
            high_r2 = int(base + at_r2 - app_started) + 1
            elapsed_r2, _, _ = read_countdown(frame_r2, refs, elapsed_r, high_r2)
            check("resumed countdown runs", elapsed_r < elapsed_r2 <= high_r2,
                  f"{elapsed_r} s then {elapsed_r2} s into step 1 on shots {at_r2 - seen:.1f} s apart (at most "
                  f"{high_r2} s by then)")
        result = 0
    except Failure as failure:
        log(f"FAIL: {failure}")
    finally:
        machine.power_cut()

    timings["drive.py in all (references, boots, checks)"] = time.monotonic() - t_begin
    print()
    print("kiosk VM test:")
    for name, ok, detail in checks:
        print(f"  {'PASS' if ok else 'FAIL'}  {name}: {detail}")
    for name, seconds in timings.items():
        print(f"  time  {name}: {seconds:.1f} s")
    print(f"  references rendered this run: {refs.rendered} (cached in {refs.dir})")
    print(f"  screenshots: {args.out}/*.png; serial log: {args.serial_log}")
    return result


if __name__ == "__main__":
    sys.exit(main())
