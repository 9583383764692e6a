#!/usr/bin/env bash
# Runs the fuzz targets in fuzz/ one after another (sequence, settings, history, checkpoint), each for SECONDS
# (default 600), niced, and prints for each: executions, time, executions per second, new inputs found, and crashes.
# New inputs go to fuzz/work-corpus/TARGET (not committed); the committed seeds in fuzz/corpus/TARGET are only read.
# Crashes are written to fuzz/artifacts/TARGET/.
#
# Needs: cargo-fuzz (`cargo install cargo-fuzz`) and a nightly toolchain (`cargo +nightly`); without nightly,
# FUZZ_TOOLCHAIN=stable runs it with RUSTC_BOOTSTRAP=1 and no sanitizer.
# Usage: bench/fuzz.sh [SECONDS] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")/../fuzz"

seconds=${1:-600}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(sequence settings history checkpoint)
toolchain=${FUZZ_TOOLCHAIN:-nightly}
fuzz=(cargo "+$toolchain" fuzz)
[ "$toolchain" = nightly ] || { export RUSTC_BOOTSTRAP=1; fuzz=(cargo "+$toolchain" fuzz); extra=(--sanitizer none); }

nice -n 10 "${fuzz[@]}" build "${extra[@]}" >/dev/null
echo "date: $(date -u +%Y-%m-%dT%H:%MZ); $(rustc "+$toolchain" --version); $(cargo fuzz --version 2>/dev/null || true)"
printf '%-11s %12s %8s %10s %8s %8s %s\n' target executions seconds "exec/s" "new" crashes "corpus (seeds → after)"
for target in "${targets[@]}"; do
  mkdir -p "work-corpus/$target" "artifacts/$target"
  log="work-corpus/$target.log"
  seeds=$(find "corpus/$target" -type f | wc -l)
  set +e
  nice -n 10 "${fuzz[@]}" run "${extra[@]}" "$target" "work-corpus/$target" "corpus/$target" -- \
    -max_total_time="$seconds" -print_final_stats=1 -artifact_prefix="artifacts/$target/" >"$log" 2>&1
  status=$?
  set -e
  execs=$(grep -m1 '^stat::number_of_executed_units' "$log" | awk '{print $2}')
  rate=$(grep -m1 '^stat::average_exec_per_sec' "$log" | awk '{print $2}')
  new=$(grep -m1 '^stat::new_units_added' "$log" | awk '{print $2}')
  took=$(grep -m1 -E '^Done [0-9]+ runs in' "$log" | awk '{print $5}')
  crashes=$(find "artifacts/$target" -type f | wc -l)
  after=$(find "work-corpus/$target" -type f | wc -l)
  printf '%-11s %12s %8s %10s %8s %8s %s\n' "$target" "${execs:-?}" "${took:-?}" "${rate:-?}" "${new:-?}" "$crashes" "$seeds → $after"
  if [ "$status" -ne 0 ]; then
    echo "  $target stopped with status $status; the end of its log ($log):"
    grep -E 'panicked|ERROR|SUMMARY|Test unit written|artifact' "$log" | head -8 | sed 's/^/    /'
  fi
done
