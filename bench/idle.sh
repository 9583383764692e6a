#!/usr/bin/env bash
# What a running countdown costs, against what a user would pick instead: Stillpoint's window and GNOME Clocks'
# timer under the same Xvfb (1280×800), each counting down a 3-minute timer, measured one at a time, interleaved
# A B A B. Prints each one's CPU (% of one core, median of its runs) and RSS, the ratios, and the time from launch to
# the first painted frame. Figures, not a pass/fail test.
#
# Usage: bench/idle.sh [--runs N] [--seconds S] [--audio none|null|both] [--launch-runs N] [--clocks-renderer R]
#                      [STILLPOINT_BINARY]
#   defaults: 2 runs of each app per audio mode, 60 s each, both audio modes, 5 launches of each app;
#   the binary defaults to target/release/stillpoint (built if missing). --clocks-renderer sets GSK_RENDERER for
#   Clocks (e.g. cairo: GTK's CPU renderer, instead of its OpenGL one on Mesa's software rasterizer under Xvfb).
# Audio modes: `none` — no sound device at all (no /dev/snd here, no sound server): Stillpoint shows "sound
#   unavailable"; `null` — a PulseAudio null sink as the default output (ALSA → pulse), as on a desktop: Stillpoint
#   opens the device at start and keeps one stream running; the sound server's CPU is counted separately.
# Needs (installed if missing, with apt-get): xvfb xdotool x11-utils gnome-clocks python3-xlib dbus
#   and for the null sink: pulseaudio pulseaudio-utils libasound2-plugins.
#
# How each app is driven (no window manager; windows map at +0+0):
#   Stillpoint: `stillpoint --data-dir FRESH bench/fixtures/three-minutes.json` opens screening; xdotool focuses the
#     window and presses Enter ("None apply — start").
#   GNOME Clocks 43: gsettings (dconf on a private session bus) saves one 3-minute timer named "Hold", the Timer
#     panel and the default 870×690 size before launch; Clocks then shows the timer's row, and xdotool clicks its
#     start button at (434, 228) in the window. (Clocks 43 crashes loading a saved timer without a "name".)
#   Both: the script then checks that the window's pixels change within 2 s (the countdown runs) and waits 3 s more
#   before the measured window starts.
# CPU is the process's own CPU time (the scheduler's per-thread account, all threads) over the measured seconds; the X server's
# and the sound server's CPU over the same seconds are printed beside it (each app runs alone, so that is the cost
# it causes there). RSS is VmRSS at the end of the run. wakeups/s counts the app's context switches (all threads).
# First frame: bench/x11probe.py starts the app and polls the window's pixels every 2 ms until it shows a drawn
# frame (≥ 8 colours in a sample): the time from fork to that frame, and to the window being mapped.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)

runs=2 seconds=60 audio=both launch_runs=5 binary="" clocks_gsk=""
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --audio) audio=$2; shift 2 ;;
    --launch-runs) launch_runs=$2; shift 2 ;;
    --clocks-renderer) clocks_gsk=$2; shift 2 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) binary=$1; shift ;;
  esac
done
binary=${binary:-target/release/stillpoint}
if [ ! -x "$binary" ]; then
  echo "building $binary (cargo build --release)…" >&2
  nice -n 10 cargo build --locked --release >&2
fi
binary=$(realpath "$binary")
fixture="$repo/bench/fixtures/three-minutes.json"

need=()
command -v Xvfb >/dev/null || need+=(xvfb)
command -v xdotool >/dev/null || need+=(xdotool)
command -v xwininfo >/dev/null || need+=(x11-utils)
command -v gnome-clocks >/dev/null || need+=(gnome-clocks)
command -v dbus-daemon >/dev/null || need+=(dbus)
/usr/bin/python3 -c 'import Xlib' 2>/dev/null || need+=(python3-xlib)
if [ "$audio" != none ]; then
  command -v pulseaudio >/dev/null || need+=(pulseaudio)
  command -v pactl >/dev/null || need+=(pulseaudio-utils)
  [ -e /usr/lib/x86_64-linux-gnu/alsa-lib/libasound_module_pcm_pulse.so ] || need+=(libasound2-plugins)
fi
if [ ${#need[@]} -gt 0 ]; then
  echo "installing ${need[*]}…" >&2
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >&2
fi

work=$(mktemp -d /tmp/stillpoint-idle.XXXXXX)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  sleep 0.3
  rm -rf "$work"
}
trap cleanup EXIT
export HOME="$work/home" XDG_RUNTIME_DIR="$work/run" XDG_CONFIG_HOME="$work/home/.config"
unset DBUS_SESSION_BUS_ADDRESS PULSE_SERVER WAYLAND_DISPLAY SLINT_BACKEND
mkdir -p "$HOME/.config/pulse" "$XDG_RUNTIME_DIR"
chmod 700 "$XDG_RUNTIME_DIR"
echo "autospawn = no" > "$HOME/.config/pulse/client.conf"

display_number=$((90 + RANDOM % 100))
export DISPLAY=":$display_number"
Xvfb "$DISPLAY" -screen 0 1280x800x24 -nolisten tcp >"$work/xvfb.log" 2>&1 &
xvfb=$!
pids+=("$xvfb")
for _ in $(seq 100); do xwininfo -root >/dev/null 2>&1 && break; sleep 0.05; done
bus_pid=$(dbus-daemon --session --fork --print-pid=1 --address="unix:path=$XDG_RUNTIME_DIR/bus")
pids+=("$bus_pid")
export DBUS_SESSION_BUS_ADDRESS="unix:path=$XDG_RUNTIME_DIR/bus"

gsettings set org.gnome.clocks.state.window panel-id timer
gsettings set org.gnome.clocks.state.window size '(870, 690)'
gsettings set org.gnome.clocks.state.window maximized false
gsettings set org.gnome.clocks geolocation false

# CPU time of a process in ns, all its threads (the scheduler's own account, /proc/PID/task/*/schedstat, to the
# nanosecond; /proc/PID/stat counts in 10 ms ticks, too coarse for a process using 2 ms a second).
ticks() {
  [ -d "/proc/$1/task" ] || { echo 0; return; }
  cat /proc/"$1"/task/*/schedstat 2>/dev/null | awk '{s += $1} END {printf "%d\n", s}'
}
# Context switches of all of a process's threads (each is a wake-up, or a preemption).
switches() {
  [ -d "/proc/$1/task" ] || { echo 0; return; }
  cat /proc/"$1"/task/*/status 2>/dev/null | awk '/ctxt_switches:/{s += $2} END {printf "%d\n", s}'
}
rss_mb() { awk '/^VmRSS:/{printf "%.1f", $2/1024}' "/proc/$1/status"; }
pulse=""

# Measures the running app $1 for $seconds; prints "cpu_app% cpu_x% cpu_pulse% rss_mb".
measure() {
  local pid=$1 a0 x0 p0 t0 a1 x1 p1 t1 s0 s1
  a0=$(ticks "$pid"); x0=$(ticks "$xvfb"); p0=$([ -n "$pulse" ] && ticks "$pulse" || echo 0); t0=$(date +%s.%N)
  s0=$(switches "$pid")
  sleep "$seconds"
  a1=$(ticks "$pid"); x1=$(ticks "$xvfb"); p1=$([ -n "$pulse" ] && ticks "$pulse" || echo 0); t1=$(date +%s.%N)
  s1=$(switches "$pid")
  echo "$(( (s1 - s0) / seconds ))" >"$work/last-wakeups"
  local rss
  rss=$(rss_mb "$pid")
  awk -v a="$((a1 - a0))" -v x="$((x1 - x0))" -v p="$((p1 - p0))" -v t0="$t0" -v t1="$t1" -v rss="$rss" \
    'BEGIN { w = (t1 - t0) * 1e9; printf "%.3f %.3f %.3f %s\n", 100 * a / w, 100 * x / w, 100 * p / w, rss }'
}

stop_app() {
  kill "$1" 2>/dev/null || true
  for _ in $(seq 50); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.1; done
  kill -9 "$1" 2>/dev/null || true
}

run_stillpoint() {
  local data="$work/data-$RANDOM$RANDOM" pid win
  "$binary" --data-dir "$data" "$fixture" >>"$work/stillpoint.log" 2>&1 &
  pid=$!
  win=$(/usr/bin/python3 bench/x11probe.py window "$pid" 20) || { echo "stillpoint: no window" >&2; return 1; }
  sleep 1
  xdotool windowfocus --sync "$win" key Return
  /usr/bin/python3 bench/x11probe.py changes "$win" 3 || { echo "stillpoint: the countdown did not start" >&2; stop_app "$pid"; return 1; }
  sleep 3
  local streams=-
  [ -n "$pulse" ] && streams=$(pactl list short sink-inputs | wc -l)
  echo "$(measure "$pid") $streams $(cat "$work/last-wakeups")"
  stop_app "$pid"
}

run_clocks() {
  local pid win
  gsettings set org.gnome.clocks timers "[{'duration': <int32 180>, 'name': <'Hold'>}]"
  env ${clocks_gsk:+GSK_RENDERER=$clocks_gsk} gnome-clocks >>"$work/clocks.log" 2>&1 &
  pid=$!
  win=$(/usr/bin/python3 bench/x11probe.py window "$pid" 20) || { echo "clocks: no window" >&2; return 1; }
  sleep 1.5
  xdotool mousemove --window "$win" 434 228 click 1
  /usr/bin/python3 bench/x11probe.py changes "$win" 3 || { echo "clocks: the timer did not start" >&2; stop_app "$pid"; return 1; }
  sleep 3
  local streams=-
  [ -n "$pulse" ] && streams=$(pactl list short sink-inputs | wc -l)
  echo "$(measure "$pid") $streams $(cat "$work/last-wakeups")"
  if grep -q -E 'swrast|gallium|llvmpipe' "/proc/$pid/maps" 2>/dev/null; then echo gl >"$work/clocks-renderer"; fi
  stop_app "$pid"
  sleep 0.5
}

start_pulse() {
  cat >"$HOME/.asoundrc" <<'ASOUND'
pcm.!default { type pulse }
ctl.!default { type pulse }
ASOUND
  pulseaudio -n --daemonize=no --exit-idle-time=-1 --log-target=file:"$work/pulse.log" \
    --load=module-native-protocol-unix \
    --load="module-null-sink sink_name=spk rate=48000 channels=2" >/dev/null 2>&1 &
  pulse=$!
  pids+=("$pulse")
  for _ in $(seq 100); do pactl info >/dev/null 2>&1 && break; sleep 0.1; done
  pactl set-default-sink spk
}

stop_pulse() {
  [ -n "$pulse" ] || return 0
  stop_app "$pulse"
  pulse=""
  rm -f "$HOME/.asoundrc"
}

median() { sort -g | awk '{v[NR] = $1} END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -g | awk '/Mem:/{print $2}') GB RAM; load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "date: $(date -u +%Y-%m-%dT%H:%MZ); stillpoint: $binary; $(gnome-clocks --version 2>/dev/null)"
[ -n "$clocks_gsk" ] && echo "GNOME Clocks with GSK_RENDERER=$clocks_gsk"
echo "runs: $runs of each app per audio mode, ${seconds} s each, interleaved A B A B; Xvfb 1280x800x24, no window manager"

modes=(none null)
case "$audio" in none) modes=(none) ;; null) modes=(null) ;; both) ;; *) echo "--audio none|null|both" >&2; exit 2 ;; esac

printf '\n%-6s %-11s %3s %8s %8s %8s %8s %8s %9s\n' audio app run "cpu %" "X cpu %" "pa cpu %" "RSS MB" streams "wakeups/s"
for mode in "${modes[@]}"; do
  [ "$mode" = null ] && start_pulse
  for run in $(seq "$runs"); do
    if read -r c x p r s w < <(run_stillpoint); then
      printf '%-6s %-11s %3s %8s %8s %8s %8s %8s %9s\n' "$mode" stillpoint "$run" "$c" "$x" "$p" "$r" "$s" "$w"
      echo "$mode stillpoint $c $x $p $r" >>"$work/results"
    else
      echo "$mode stillpoint run $run failed" >&2
    fi
    if read -r c x p r s w < <(run_clocks); then
      printf '%-6s %-11s %3s %8s %8s %8s %8s %8s %9s\n' "$mode" gnome-clocks "$run" "$c" "$x" "$p" "$r" "$s" "$w"
      echo "$mode clocks $c $x $p $r" >>"$work/results"
    else
      echo "$mode gnome-clocks run $run failed" >&2
    fi
  done
  stop_pulse
done

echo
echo "medians (CPU in % of one core over ${seconds} s; RSS in MB):"
printf '%-6s %-11s %8s %8s %8s %8s\n' audio app "cpu %" "X cpu %" "pa cpu %" "RSS MB"
for mode in "${modes[@]}"; do
  for app in stillpoint clocks; do
    cols=()
    for col in 3 4 5 6; do cols+=("$(awk -v m="$mode" -v a="$app" -v c="$col" '$1 == m && $2 == a {print $c}' "$work/results" | median)"); done
    printf '%-6s %-11s %8s %8s %8s %8s\n' "$mode" "$app" "${cols[@]}"
    echo "$mode $app ${cols[*]}" >>"$work/medians"
  done
  awk -v m="$mode" '$1 == m && $2 == "stillpoint" {c = $3; x = $4; p = $5; r = $6} $1 == m && $2 == "clocks" {C = $3; X = $4; P = $5; R = $6}
    END { printf "%-6s stillpoint / clocks: CPU %.2f×, CPU incl. X and sound server %.2f×, RSS %.2f×\n", m,
      (C > 0 ? c / C : 0), ((C + X + P) > 0 ? (c + x + p) / (C + X + P) : 0), (R > 0 ? r / R : 0) }' "$work/medians"
done
[ -z "$clocks_gsk" ] && [ -e "$work/clocks-renderer" ] && echo "(GNOME Clocks drew with GTK's OpenGL renderer on Mesa's software rasterizer; Stillpoint with Slint's software renderer)"

if [ "$launch_runs" -gt 0 ]; then
  echo
  echo "launch to first painted frame (ms; $launch_runs launches each, interleaved; no sound device):"
  launch_data="$work/launch-data"
  gsettings set org.gnome.clocks timers "[{'duration': <int32 180>, 'name': <'Hold'>}]"
  for run in $(seq "$launch_runs"); do
    /usr/bin/python3 bench/x11probe.py first-frame -- "$binary" --data-dir "$launch_data" "$fixture" | sed 's/^/stillpoint /' >>"$work/launch"
    /usr/bin/python3 bench/x11probe.py first-frame -- env ${clocks_gsk:+GSK_RENDERER=$clocks_gsk} gnome-clocks | sed 's/^/clocks /' >>"$work/launch"
  done
  printf '%-11s %12s %12s %s\n' app "mapped p50" "painted p50" "painted, each run"
  for app in stillpoint clocks; do
    mapped=$(grep "^$app " "$work/launch" | sed 's/.*"mapped_ms": \([0-9null]*\).*/\1/' | grep -v null | median)
    painted_all=$(grep "^$app " "$work/launch" | sed 's/.*"painted_ms": \([0-9null]*\).*/\1/' | tr '\n' ' ')
    painted=$(echo "$painted_all" | tr ' ' '\n' | grep -E '^[0-9]+$' | median)
    printf '%-11s %12s %12s %s\n' "$app" "$mapped" "$painted" "$painted_all"
  done
fi
