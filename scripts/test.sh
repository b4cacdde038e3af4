#!/usr/bin/env bash
# Every test: set-up and build (scripts/setup.sh), then ctest (C++ unit tests,
# header and compile-fail checks, C ABI, examples, policy case files, pytest,
# consumer projects) and a short benchmark run that watches for cliffs.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
build_dir="${CANBAO_BUILD_DIR:-build}"
ctest --test-dir "$build_dir" --output-on-failure -j2
