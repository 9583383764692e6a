#!/usr/bin/env bash
# Soak: does memory grow over a long session? Sessions are limited to 8 hours (MAX_SESSION in
# src/sequence/validate.rs), and `--time-scale` belongs to one `play` process, so a 12-hour session cannot be played in
# one process. This plays the longest allowed one — bench/fixtures/eight-hours.json: eight one-hour holds with a
# check-in every minute, halfway, warning and offset cues (~560 events) — at --time-scale 2400, which takes the
# same 12 s of wall time as 12 h at 3600, and samples the process's RSS every session minute (every 25 ms).
#
#   --window MINUTES   instead: the window under Xvfb (1280×800) counting down the same sequence at real time for
#                      MINUTES, RSS sampled every minute (the window has no time scale).
#
# Prints the first, lowest, highest and last RSS and the growth between the first and the last quarter of the run.
# Usage: bench/soak.sh [--time-scale N] [--window MINUTES] [STILLPOINT_BINARY]   (default: target/release/stillpoint)
set -euo pipefail
cd "$(dirname "$0")/.."

scale=2400 window_minutes="" binary=""
while [ $# -gt 0 ]; do
  case "$1" in
    --time-scale) scale=$2; shift 2 ;;
    --window) window_minutes=$2; shift 2 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) binary=$1; shift ;;
  esac
done
binary=${binary:-target/release/stillpoint}
[ -x "$binary" ] || nice -n 10 cargo build --locked --release >&2
binary=$(realpath "$binary")
fixture=$(realpath bench/fixtures/eight-hours.json)
work=$(mktemp -d)
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"' EXIT

rss_kb() { awk '/^VmRSS:/{print $2}' "/proc/$1/status" 2>/dev/null; }

report() { # samples file (one "minute rss_kb" per line), unit
  python3 - "$1" "$2" <<'PY'
import sys
rows = [tuple(map(float, l.split())) for l in open(sys.argv[1]) if l.strip()]
unit = sys.argv[2]
rss = [r for _, r in rows]
q = max(1, len(rss) // 4)
first_q, last_q = sum(rss[:q]) / q, sum(rss[-q:]) / q
print(f"samples: {len(rss)} over {rows[-1][0] - rows[0][0]:.0f} {unit}")
print(f"RSS: first {rss[0]/1024:.1f} MB, lowest {min(rss)/1024:.1f} MB, highest {max(rss)/1024:.1f} MB, last {rss[-1]/1024:.1f} MB")
print(f"mean of the first quarter {first_q/1024:.2f} MB, of the last quarter {last_q/1024:.2f} MB: growth {(last_q-first_q):+.0f} kB")
PY
}

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -g | awk '/Mem:/{print $2}') GB RAM"
echo "date: $(date -u +%Y-%m-%dT%H:%MZ); binary: $binary"
if [ -z "$window_minutes" ]; then
  echo "play bench/fixtures/eight-hours.json --no-window --mute --time-scale $scale (8 h of session time)"
  start=$(date +%s.%N)
  "$binary" --data-dir "$work/data" play "$fixture" --no-window --mute --time-scale "$scale" \
    --events "$work/events.jsonl" </dev/null >/dev/null 2>"$work/play.err" &
  pid=$!
  pids+=("$pid")
  # One sample per session minute (60 s / scale of wall time), until the process ends.
  python3 - "$pid" "$scale" "$start" >"$work/samples" <<'PY'
import sys, time
pid, scale, start = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3])
interval = 60 / scale
next_at = time.time()
while True:
    try:
        status = open(f"/proc/{pid}/status").read()
    except OSError:
        break
    if "VmRSS:" not in status:  # exiting
        break
    rss = int(status.split("VmRSS:")[1].split()[0])
    print(f"{(time.time() - start) * scale / 60:.2f} {rss}", flush=True)
    next_at += interval
    time.sleep(max(0.0, next_at - time.time()))
PY
  wait "$pid" || { echo "play failed:"; cat "$work/play.err"; exit 1; }
  echo "wall: $(echo "$(date +%s.%N) - $start" | bc | cut -c1-5) s; events: $(wc -l <"$work/events.jsonl"); finished: $(tail -1 "$work/events.jsonl")"
  report "$work/samples" "session minutes"
else
  for tool in Xvfb xdotool; do command -v "$tool" >/dev/null || { echo "needs $tool (apt-get install xvfb xdotool)"; exit 2; }; done
  display=":$((200 + RANDOM % 50))"
  Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
  pids+=("$!")
  export DISPLAY=$display
  sleep 1
  HOME="$work" "$binary" --data-dir "$work/data" "$fixture" >"$work/window.log" 2>&1 &
  pid=$!
  pids+=("$pid")
  win=$(/usr/bin/python3 bench/x11probe.py window "$pid" 20)
  sleep 1
  xdotool windowfocus --sync "$win" key Return
  echo "window: bench/fixtures/eight-hours.json counting down at real time for $window_minutes min"
  for minute in $(seq 0 "$window_minutes"); do
    echo "$minute $(rss_kb "$pid")" >>"$work/samples"
    [ "$minute" -lt "$window_minutes" ] && sleep 60
  done
  report "$work/samples" "minutes"
fi
cp "$work/samples" "${SOAK_SAMPLES:-/dev/null}" 2>/dev/null || true
