#!/usr/bin/env bash
# Every test: set-up and build (scripts/setup.sh), then ctest (C++ unit tests,
# header and compile-fail checks, C ABI, examples, policy case files, pytest,
# consumer projects) and a short benchmark run that watches for cliffs.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
build_dir="${CANBAO_BUILD_DIR:-build}"
ctest --test-dir "$build_dir" --output-on-failure -j2

# A short benchmark run on every test run: performance cliffs go unnoticed
# otherwise. Small sizes only (seconds); full national-size runs are in docs/performance.md.
echo "== benchmark smoke (small sizes)"
"$build_dir/benchmarks/bench_campaign" --benchmark_filter='/7000$' --benchmark_min_time=0.05
"$build_dir/benchmarks/bench_recommend" --benchmark_filter='/1000/' --benchmark_min_time=0.05
