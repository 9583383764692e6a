#!/usr/bin/env bash
# Render cost of the session screen in instructions (stable on a noisy machine): runs benches/render_cost.rs under
# callgrind and prints the inclusive instruction count of each measured phase — the first frame at 800×480, and
# one once-a-second countdown update (2:59 → 2:58, and a quiet one at 2:31 → 2:30), split into the update (timer,
# controller tick, adapter properties) and the render (bindings, layout, dirty regions drawn into a reused buffer).
# The bench itself prints the allocations of each phase and the rectangles a tick redraws.
#
# Needs: valgrind. Usage: bench/render-cost.sh [LABEL]   (LABEL names the saved callgrind file, e.g. "before")
# Re-measure after a change to src/app or ui/ by running it again; compare the "Ir" column.
set -euo pipefail
cd "$(dirname "$0")/.."
label=${1:-now}
command -v valgrind >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq valgrind; }

exe=$(nice -n 10 cargo bench --locked --bench render_cost --no-run --message-format=json 2>/dev/null \
  | python3 -c 'import json, sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("reason") == "compiler-artifact" and m["target"]["name"] == "render_cost" and m.get("executable"):
        print(m["executable"])')
[ -n "$exe" ] || { echo "cargo bench --bench render_cost --no-run failed" >&2; nice -n 10 cargo bench --locked --bench render_cost --no-run; exit 1; }
out_dir=target/render-cost
mkdir -p "$out_dir"
out="$out_dir/callgrind.$label.out"
echo "binary: $exe"
commit=$(git rev-parse --short HEAD 2>/dev/null || echo "not a git checkout")
git diff --quiet HEAD -- src ui 2>/dev/null || commit="$commit (src/ or ui/ differ from it)"
echo "date: $(date -u +%Y-%m-%dT%H:%MZ); commit: $commit"
valgrind --tool=callgrind --callgrind-out-file="$out" "$exe" 2>"$out_dir/valgrind.$label.log"
echo
echo "instructions (inclusive Ir, callgrind; saved as $out):"
callgrind_annotate --inclusive=yes --threshold=100 "$out" 2>/dev/null \
  | grep -E 'stillpoint_bench_' \
  | sed -E 's/^ *([0-9,]+) .*(stillpoint_bench_[a-z_]+).*/\1 \2/' \
  | sort -k2 -u \
  | awk '{ n = $1; gsub(",", "", n); names["stillpoint_bench_first_frame"] = "first frame (show + layout + full render)";
           names["stillpoint_bench_tick_update"] = "2:59 -> 2:58 update (timer, tick, adapters)";
           names["stillpoint_bench_tick_render"] = "2:59 -> 2:58 render (partial)";
           names["stillpoint_bench_quiet_tick_update"] = "2:31 -> 2:30 update";
           names["stillpoint_bench_quiet_tick_render"] = "2:31 -> 2:30 render (partial)";
           printf "  %-48s %15s Ir\n", names[$2], $1; v[$2] = n }
         END { printf "  %-48s %15s Ir\n", "2:59 -> 2:58 whole tick", v["stillpoint_bench_tick_update"] + v["stillpoint_bench_tick_render"];
               printf "  %-48s %15s Ir\n", "2:31 -> 2:30 whole tick", v["stillpoint_bench_quiet_tick_update"] + v["stillpoint_bench_quiet_tick_render"] }'
echo "frames: $out_dir/*.png"
