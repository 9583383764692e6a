#!/usr/bin/python3
"""X11 helpers for the bench scripts (python3-xlib; Debian package python3-xlib).

  x11probe.py shot [WINDOW_ID] OUT.png       screenshot of a window (default: the root window) as a PNG
  x11probe.py window PID [TIMEOUT_S]         prints the id of PID's largest mapped top-level window once it is mapped
  x11probe.py changes WINDOW_ID SECONDS     exits 0 if the window's pixels change within SECONDS (a countdown runs)
  x11probe.py first-frame [--runs N] -- CMD...
        starts CMD, and prints how long after the start its window was mapped and when that window first showed a
        painted frame (more than a few colours: text or shapes, not a blank fill); kills CMD after. Polls the
        window's pixels every 2 ms, so the figure is within a few ms of the frame reaching the X server.
"""
import json
import os
import signal
import struct
import subprocess
import sys
import time
import zlib

from Xlib import X, display


def png_bytes(width, height, rows):
    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)

    raw = b"".join(b"\x00" + row for row in rows)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 6)) + chunk(b"IEND", b""))


def grab(d, window):
    geometry = window.get_geometry()
    image = window.get_image(0, 0, geometry.width, geometry.height, X.ZPixmap, 0xFFFFFFFF)
    return geometry.width, geometry.height, image.data


def to_rgb_rows(width, height, data):
    stride = len(data) // height
    rows = []
    for y in range(height):
        line = data[y * stride: y * stride + width * 4]
        rgb = bytearray(width * 3)
        rgb[0::3] = line[2::4]
        rgb[1::3] = line[1::4]
        rgb[2::3] = line[0::4]
        rows.append(bytes(rgb))
    return rows


def colours(data):
    """Distinct pixel values in a sample of the image: a blank fill has one or two, a drawn frame many."""
    pixels = memoryview(data).cast("I")
    return len(set(pixels[::97]))


def windows_of(d, pid):
    atom = d.intern_atom("_NET_WM_PID")
    found = []

    def walk(window):
        try:
            children = window.query_tree().children
        except Exception:
            return
        for child in children:
            try:
                prop = child.get_full_property(atom, X.AnyPropertyType)
                attrs = child.get_attributes()
            except Exception:
                continue
            if prop and prop.value and prop.value[0] == pid and attrs.map_state == X.IsViewable:
                g = child.get_geometry()
                if g.width > 1 and g.height > 1:
                    found.append((g.width * g.height, child))
            walk(child)

    walk(d.screen().root)
    found.sort(key=lambda item: -item[0])
    return [w for _, w in found]


def first_frame(command):
    d = display.Display()
    start = time.monotonic()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    mapped = painted = None
    window = None
    try:
        while time.monotonic() - start < 20:
            if window is None:
                found = windows_of(d, process.pid)
                if found:
                    window = found[0]
                    mapped = time.monotonic() - start
            if window is not None:
                try:
                    _, _, data = grab(d, window)
                except Exception:
                    data = b""
                if data and colours(data) >= 8:
                    painted = time.monotonic() - start
                    break
            time.sleep(0.002)
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(5)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    return {"mapped_ms": None if mapped is None else round(mapped * 1000),
            "painted_ms": None if painted is None else round(painted * 1000)}


def main(args):
    if args[0] == "shot":
        d = display.Display()
        window = d.create_resource_object("window", int(args[1], 0)) if len(args) > 2 else d.screen().root
        width, height, data = grab(d, window)
        with open(args[-1], "wb") as out:
            out.write(png_bytes(width, height, to_rgb_rows(width, height, data)))
    elif args[0] == "window":
        d = display.Display()
        deadline = time.monotonic() + (float(args[2]) if len(args) > 2 else 20)
        while time.monotonic() < deadline:
            found = windows_of(d, int(args[1]))
            if found:
                print(hex(found[0].id))
                return 0
            time.sleep(0.05)
        return 1
    elif args[0] == "changes":
        d = display.Display()
        window = d.create_resource_object("window", int(args[1], 0))
        _, _, before = grab(d, window)
        deadline = time.monotonic() + float(args[2])
        while time.monotonic() < deadline:
            time.sleep(0.1)
            if grab(d, window)[2] != before:
                return 0
        return 1
    elif args[0] == "first-frame":
        runs = 1
        rest = args[1:]
        if rest[:1] == ["--runs"]:
            runs, rest = int(rest[1]), rest[2:]
        if rest[:1] == ["--"]:
            rest = rest[1:]
        for _ in range(runs):
            print(json.dumps(first_frame(rest)), flush=True)
            time.sleep(0.5)
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
