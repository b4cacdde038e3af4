#!/usr/bin/env bash
# Every test: set-up and build (scripts/setup.sh), a short benchmark run that
# watches for performance cliffs, then ctest (C++ unit tests, header and
# compile-fail checks, C ABI under valgrind, 8 threads, examples, policy case
# files, pytest, consumer projects). ctest's summary is the last thing printed.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
build_dir="${CANBAO_BUILD_DIR:-build}"

# Small sizes only (seconds); national-size runs are in docs/performance.md.
echo "== benchmark smoke (small sizes)"
"$build_dir/benchmarks/bench_campaign" --benchmark_filter='/7000$' --benchmark_min_time=0.05
"$build_dir/benchmarks/bench_recommend" --benchmark_filter='/1000/' --benchmark_min_time=0.05

echo "== tests"
ctest --test-dir "$build_dir" --output-on-failure -j2
