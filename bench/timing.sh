#!/usr/bin/env bash
# How close events land to their schedule in a real-time terminal session: `stillpoint play --no-window --mute
# --events FILE` of a 3-minute sequence with a cue every few seconds (bench/fixtures/timing-three-minutes.json:
# halfway, warnings, check-ins, offsets, a side switch, a metronome), then the same with both cores kept busy by
# `stress-ng --cpu 2`. Prints p50, p99 and max of actual_ms − scheduled_ms (session time, which at --time-scale 1
# is real time). Goal: p99 ≤ 5 ms. Chimes are off (--mute): this is the engine's and the driver's timing; the
# sound path is bench/chime-latency.sh.
#
# Usage: bench/timing.sh [--fixture FILE] [--no-stress] [STILLPOINT_BINARY]   (default: target/release/stillpoint)
#   STRESS_NICE=N runs stress-ng at that niceness (default 0: competing with the player on equal terms).
#   PLAY_PREFIX='chrt -f 10' runs the player under that command (here: real-time FIFO priority 10, as root).
# Needs: python3, stress-ng (installed with apt-get if missing).
set -euo pipefail
cd "$(dirname "$0")/.."

fixture=bench/fixtures/timing-three-minutes.json stress=yes binary=""
while [ $# -gt 0 ]; do
  case "$1" in
    --fixture) fixture=$2; shift 2 ;;
    --no-stress) stress=no; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) binary=$1; shift ;;
  esac
done
binary=${binary:-target/release/stillpoint}
[ -x "$binary" ] || nice -n 10 cargo build --locked --release >&2
if [ "$stress" = yes ] && ! command -v stress-ng >/dev/null; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends stress-ng >&2
fi

work=$(mktemp -d)
stressor=""
trap '[ -n "$stressor" ] && kill "$stressor" 2>/dev/null; rm -rf "$work"' EXIT

summarize() { # events file, label
  python3 - "$1" "$2" <<'PY'
import json, sys
path, label = sys.argv[1], sys.argv[2]
deltas = sorted(e["actual_ms"] - e["scheduled_ms"] for e in map(json.loads, open(path)))
def pct(p):
    return deltas[min(len(deltas) - 1, round((len(deltas) - 1) * p))]
early = sum(1 for d in deltas if d < 0)
print(f"{label:<28} {len(deltas):>6} {pct(0.5):>7} {pct(0.99):>7} {deltas[-1]:>7} {early:>7}")
PY
}

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -g | awk '/Mem:/{print $2}') GB RAM"
echo "date: $(date -u +%Y-%m-%dT%H:%MZ); binary: $binary; fixture: $fixture${PLAY_PREFIX:+; player run under: $PLAY_PREFIX}"
printf '%-28s %6s %7s %7s %7s %7s\n' "run (actual - scheduled, ms)" events p50 p99 max early
load=$(cut -d' ' -f1 /proc/loadavg)
${PLAY_PREFIX:-} "$binary" --data-dir "$work/data" play "$fixture" --no-window --mute --events "$work/quiet.jsonl" </dev/null >/dev/null 2>"$work/quiet.err"
summarize "$work/quiet.jsonl" "as is (load $load)"
if [ "$stress" = yes ]; then
  nice -n "${STRESS_NICE:-0}" stress-ng --cpu 2 --quiet &
  stressor=$!
  sleep 2
  load=$(cut -d' ' -f1 /proc/loadavg)
  ${PLAY_PREFIX:-} "$binary" --data-dir "$work/data" play "$fixture" --no-window --mute --events "$work/stress.jsonl" </dev/null >/dev/null 2>"$work/stress.err"
  load_after=$(cut -d' ' -f1 /proc/loadavg)
  kill "$stressor"; wait "$stressor" 2>/dev/null || true; stressor=""
  summarize "$work/stress.jsonl" "stress-ng --cpu 2 (nice ${STRESS_NICE:-0}; load $load→$load_after)"
fi
