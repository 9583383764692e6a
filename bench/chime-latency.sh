#!/usr/bin/env bash
# Measures how close chimes sound to the engine's schedule through a real audio stack: Stillpoint plays into a
# PulseAudio null sink through ALSA, parecord records the sink's monitor, and onset_analysis.py compares onset
# intervals with the scheduled intervals. A benchmark that prints figures, not a test.
#
# Needs: pulseaudio pulseaudio-utils libasound2-plugins python3 (apt-get install them), and a built binary.
# Usage: bench/chime-latency.sh [path/to/stillpoint]
set -euo pipefail
cd "$(dirname "$0")/.."
binary=$(realpath "${1:-target/release/stillpoint}")
[ -x "$binary" ] || { echo "build first: cargo build --release (or pass the binary's path)"; exit 2; }

work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
export HOME="$work" XDG_RUNTIME_DIR="$work/run" PULSE_RUNTIME_PATH="$work/run/pulse"
mkdir -p "$XDG_RUNTIME_DIR"
cat > "$HOME/.asoundrc" <<'ASOUND'
pcm.!default { type pulse }
ctl.!default { type pulse }
ASOUND

pulseaudio -n --daemonize=no --exit-idle-time=-1 --log-target=file:"$work/pulse.log" \
  --load=module-native-protocol-unix \
  --load="module-null-sink sink_name=spk rate=48000 channels=2" &
for _ in $(seq 50); do pactl info >/dev/null 2>&1 && break; sleep 0.1; done
pactl set-default-sink spk

parecord -d spk.monitor --rate=48000 --channels=1 --format=s16le --file-format=wav "$work/recording.wav" &
recorder=$!
sleep 5   # the monitor drops (or garbles) its first seconds
# No voice: spoken prompts would be onsets too (and hold the floor); this measures the chimes.
"$binary" play benches/fixtures/onset.json --no-window --no-voice --events "$work/events.jsonl" >/dev/null 2>&1
sleep 1
kill -INT "$recorder"; wait "$recorder" 2>/dev/null || true

python3 bench/onset_analysis.py "$work/recording.wav" "$work/events.jsonl"
