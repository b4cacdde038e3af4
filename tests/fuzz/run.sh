#!/usr/bin/env bash
# Runs every libFuzzer harness of a fuzz build for SECONDS each, two at a time
# (2 cores), from the checked-in seeds plus the build's own growing corpus.
# A crash, leak, sanitizer report, timeout (10 s an input) or out-of-memory
# (2 GB) fails the run; the reproducer is left in BUILD/fuzz-artifacts/<harness>/
# and printed. Usage: tests/fuzz/run.sh BUILD_DIR [SECONDS] [HARNESS...]
# For hours: tests/fuzz/run.sh build-fuzz 14400 (docs/reliability.md).
set -euo pipefail
cd "$(dirname "$0")/../.."
build="$1"
seconds="${2:-60}"
shift $(($# < 2 ? $# : 2))
harnesses=("$@")
[ "${#harnesses[@]}" -gt 0 ] || harnesses=(policy call_json progress_csv roster_csv reform cases batch unit_table)

run_one() {
  local h="$1" build="$2" seconds="$3"
  local work="$build/fuzz-corpus/$h" artifacts="$build/fuzz-artifacts/$h"
  mkdir -p "$work" "$artifacts"
  if "$build/tests/fuzz/fuzz_$h" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
       -max_len=65536 -dict=tests/fuzz/json.dict -artifact_prefix="$artifacts/" -print_final_stats=1 \
       "$work" "tests/fuzz/corpus/$h" >"$build/fuzz-$h.log" 2>&1; then
    echo "fuzz_$h: no crash in ${seconds} s ($(grep -m1 -o 'stat::number_of_executed_units: *[0-9]*' "$build/fuzz-$h.log" | grep -o '[0-9]*$') runs)"
  else
    echo "fuzz_$h: FAILED; reproducer(s): $(ls "$artifacts"/* 2>/dev/null | tr '\n' ' ')"
    grep -E -m1 -A12 '^==[0-9]+==ERROR|runtime error|^fuzz: |deadly signal|ALARM|out-of-memory' "$build/fuzz-$h.log" || tail -n 20 "$build/fuzz-$h.log"
    return 1
  fi
}
export -f run_one
printf '%s\n' "${harnesses[@]}" | xargs -P2 -I{} bash -c 'run_one "$@"' _ {} "$build" "$seconds"
