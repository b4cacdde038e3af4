#!/usr/bin/env bash
# Every test: set-up and build (scripts/setup.sh), a short benchmark run that
# watches for performance cliffs, then (unless CANBAO_SANITIZERS=0) the
# sanitizer and fuzz stages of docs/reliability.md, then ctest (C++ unit tests,
# header and compile-fail checks, C ABI under valgrind, 8 threads, examples,
# policy case files, bad-input corpus, pytest, consumer projects). Any failing
# stage fails the run; ctest's summary is the last thing printed.
#
#   CANBAO_SANITIZERS=0     skip the ASan/UBSan, TSan and fuzz stages (quick local run)
#   CANBAO_FUZZ_SECONDS=N   seconds per fuzzer (default 60; 0 skips fuzzing)
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
build_dir="${CANBAO_BUILD_DIR:-build}"
# The sanitizer and fuzz trees hash paths relative to the source folder too, so
# a fresh clone anywhere reuses the compiles of an earlier one (setup.sh does
# the same for build/).
export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$PWD}"
sanitizers="${CANBAO_SANITIZERS:-1}"
fuzz_seconds="${CANBAO_FUZZ_SECONDS:-60}"

stage() { echo "== $1"; stage_start=$SECONDS; }
stage_done() { echo "   ($((SECONDS - stage_start)) s)"; }
# Runs a long, chatty command into a log: its last lines on success, the whole
# log on failure (then the run fails).
logged() {  # log-file command...
  local log="$1"
  shift
  if "$@" >"$log" 2>&1; then
    tail -n 3 "$log"
  else
    cat "$log"
    echo "FAILED: $* (log: $log)"
    return 1
  fi
}

# Small sizes only (seconds); national-size runs are in docs/performance.md.
stage "benchmark smoke (small sizes)"
"$build_dir/benchmarks/bench_campaign" --benchmark_filter='/7000$' --benchmark_min_time=0.05
"$build_dir/benchmarks/bench_recommend" --benchmark_filter='/1000/' --benchmark_min_time=0.05
# Ratios measured in this run against the floors in benchmarks/ratio_floors.json
# (issue 15): never absolute times, each side the min over a few repeats.
ratios_dir="$(mktemp -d)"
PYTHONPATH="$build_dir/python" CANBAO_LIBRARY="$build_dir/libcanbao.so" \
  /usr/bin/python3 benchmarks/ratio_batch.py --persons 1000000 --out "$ratios_dir/batch.json"
PYTHONPATH="$build_dir/python" /usr/bin/python3 benchmarks/ratio_cli.py --cli "$build_dir/canbao" \
  --rows 100000 --out "$ratios_dir/cli.json"
/usr/bin/python3 scripts/check_ratios.py "$ratios_dir/batch.json" "$ratios_dir/cli.json"
rm -rf "$ratios_dir"
stage_done

# A sanitizer build: clang, its own build directory, only what it runs.
# -Werror stays with the main (gcc) build: clang warns about other things.
sanitizer_build() {  # dir sanitize-list extra-cmake-args... -- targets...
  local dir="$1" list="$2"
  shift 2
  local args=()
  while [ "$1" != "--" ]; do args+=("$1"); shift; done
  shift
  local launcher=()
  if command -v ccache >/dev/null; then
    launcher=(-DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  fi
  mkdir -p "$dir"
  logged "$dir/configure.log" cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=Release -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
        -DCANBAO_SANITIZE="$list" -DCANBAO_WERROR=OFF -DCANBAO_BUILD_BENCHMARKS=OFF \
        -DPython_EXECUTABLE=/usr/bin/python3 "${launcher[@]}" "${args[@]}"
  local targets=()
  [ "$#" -eq 0 ] || targets=(--target "$@")
  logged "$dir/build.log" cmake --build "$dir" -j2 "${targets[@]}"
}

if [ "$sanitizers" != 0 ]; then
  # The whole suite under AddressSanitizer + UndefinedBehaviorSanitizer. Not
  # defined there: the valgrind tests (valgrind cannot run ASan binaries) and
  # the consumer projects (they build without -fsanitize; packaging, not memory).
  stage "ASan+UBSan build (build-asan)"
  sanitizer_build build-asan address,undefined -DCANBAO_BUILD_PYTHON=ON --
  stage_done
  stage "ctest under ASan+UBSan"
  # Random-policy differential tests at a tenth of their Release size: ASan is ~10x slower.
  logged build-asan/ctest.log env CANBAO_RANDOM_POLICIES=200 CANBAO_RANDOM_POLICIES_PY=10 \
         ctest --test-dir build-asan --output-on-failure -j2
  stage_done

  # The multi-threaded tests under ThreadSanitizer: the C ABI's 8 threads on
  # one policy, the C++ concurrent batch calls and per-thread tables, and the
  # readers and writers that split their work over the cores (progress and
  # roster CSV, unit table, report JSON).
  stage "TSan build (build-tsan: threaded tests only)"
  sanitizer_build build-tsan thread -DCANBAO_BUILD_PYTHON=OFF -DCANBAO_BUILD_CLI=OFF \
                  -DCANBAO_INSTALL=OFF -- canbao_tests test_c_threads
  stage_done
  stage "threaded tests under TSan"
  logged build-tsan/ctest.log ctest --test-dir build-tsan --output-on-failure -j2 \
         -R '^c_abi\.threads$|Concurrent|OnThisThread|Parallel\.|ManyUnitsSameBytes|FirstErrorInFileOrderWins'

  stage_done

  if [ "$fuzz_seconds" != 0 ]; then
    stage "fuzzers build (build-fuzz)"
    sanitizer_build build-fuzz address,undefined -DCANBAO_BUILD_FUZZERS=ON -DCANBAO_BUILD_TESTS=OFF \
                    -DCANBAO_BUILD_CLI=OFF -DCANBAO_BUILD_PYTHON=OFF -DCANBAO_INSTALL=OFF --
    stage_done
    stage "fuzzing: each harness ${fuzz_seconds} s, two at a time"
    ./tests/fuzz/run.sh build-fuzz "$fuzz_seconds"
    stage_done
  fi
fi

stage "tests"
ctest --test-dir "$build_dir" --output-on-failure -j2
