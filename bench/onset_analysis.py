#!/usr/bin/env python3
"""Compares chime onsets in a recording with the engine's schedule from a `--events` file.

Usage: onset_analysis.py RECORDING.wav EVENTS.jsonl

Absolute offsets are meaningless here (the recording starts at an arbitrary moment and the PulseAudio monitor drops
its first second or two), so the constant part of the delay (the median of heard minus scheduled) is taken out and
what is left is each chime's error against the schedule. Prints p50, p99 and max of that error in milliseconds, and
the first chime's error separately (it is the one most at risk: the device has only just opened).
"""
import array
import json
import sys
import wave

SOUNDING = {"step_started", "halfway", "warning", "offset", "check_in", "minimum_reached", "side_switch"}


def chime_times(events_path):
    """Scheduled times (ms) of moments that make a chime: one per distinct time, as the cue planner plays them."""
    times = []
    for line in open(events_path):
        event = json.loads(line)
        name = event["event"]
        sounding = name in SOUNDING or (name == "step_finished" and event.get("reason") in ("time_up", "released", "max_reached"))
        sounding = sounding or (name == "session_finished" and event.get("completed"))
        if sounding and (not times or times[-1] != event["scheduled_ms"]):
            times.append(event["scheduled_ms"])
    return times


def onsets(recording_path, frame_ms=1):
    with wave.open(recording_path) as recording:
        rate = recording.getframerate()
        channels = recording.getnchannels()
        samples = array.array("h", recording.readframes(recording.getnframes()))
    if channels > 1:
        samples = samples[::channels]
    frame = rate * frame_ms // 1000
    energy = [sum(s * s for s in samples[i:i + frame]) / frame for i in range(0, len(samples) - frame, frame)]
    floor = sorted(energy)[len(energy) // 10] + 1.0
    loudest = max(energy)
    found = []
    history = 20
    for i in range(history, len(energy)):
        before = sum(energy[i - history:i]) / history
        if energy[i] > 6 * before + floor and energy[i] > loudest * 0.002:
            if not found or i - found[-1] > 1000 // frame_ms:
                found.append(i)
    return [i * frame_ms for i in found]


def main():
    recording, events = sys.argv[1], sys.argv[2]
    scheduled = chime_times(events)
    found = onsets(recording)
    if not found:
        print("no chimes heard in the recording")
        sys.exit(1)
    # Pair each scheduled chime with the onset nearest to where the first one puts it; later strikes inside a
    # multi-strike chime (and any click when the stream closes) stay unpaired.
    shift = found[0] - scheduled[0]
    heard = []
    for s in scheduled:
        nearest = min(found, key=lambda h: abs(h - (s + shift)))
        if abs(nearest - (s + shift)) > 500:
            print(f"no onset near the chime scheduled at {s} ms; heard {found}")
            sys.exit(1)
        heard.append(nearest)
    delays = [h - s for h, s in zip(heard, scheduled)]
    constant = sorted(delays)[len(delays) // 2]
    errors = sorted(abs(d - constant) for d in delays)
    p = lambda q: errors[min(len(errors) - 1, round((len(errors) - 1) * q))]
    print(f"{len(errors)} chimes; onset error against the schedule: p50 {p(0.5)} ms, p99 {p(0.99)} ms, "
          f"max {errors[-1]} ms; first chime {abs(delays[0] - constant)} ms")


if __name__ == "__main__":
    main()
