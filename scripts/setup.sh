#!/usr/bin/env bash
# Installs the Debian packages canbao needs (only the missing ones), then
# configures and builds into build/ (scripts/test.sh builds the sanitizer and
# fuzz trees). Idempotent; fast when nothing changed.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(cmake g++ make pkg-config libboost-dev nlohmann-json3-dev libgtest-dev
          libbenchmark-dev pybind11-dev python3-pybind11 python3-dev python3-pytest
          python3-numpy python3-pandas python3-matplotlib valgrind
          clang libclang-rt-dev llvm
          libxlsxwriter-dev python3-openpyxl python3-jsonschema
          chromium chromium-driver python3-selenium fonts-noto-cjk
          python3-dask python3-distributed python3-setuptools python3-venv python3-pip ccache)
# libboost-dev: the Boost headers (Boost.Date_Time is header-only) for the tests
# and date_boost.hpp; the library itself uses no Boost (docs/architecture.md).
# clang + libclang-rt-dev (ASan, UBSan, TSan and libFuzzer runtimes) for the
# sanitizer and fuzz stages of scripts/test.sh; llvm for llvm-symbolizer, so
# sanitizer reports show file:line.
# libxlsxwriter-dev: `--format xlsx` (the CLI writes Excel files); python3-openpyxl
# reads them back in the tests. python3-jsonschema checks docs/schema against the
# loader. chromium, chromium-driver, python3-selenium and fonts-noto-cjk: the HTML
# report is tested (and its docs screenshot taken) in a real headless browser.
# python3-dask and python3-distributed: canbao.dask and its LocalCluster test.
# python3-setuptools, python3-venv and python3-pip: `pip install .` into a venv
# (pyproject.toml, tests/python/test_install.py). ccache: rebuilds, and that
# test's second build of the module, reuse the objects of build/.
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "== installing Debian packages: ${missing[*]}"
  sudo_cmd=""
  [ "$(id -u)" = 0 ] || sudo_cmd="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo_cmd apt-get update -qq
  $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

build_dir="${CANBAO_BUILD_DIR:-build}"
# With ccache, paths under the source folder are hashed relative to it, so a
# copy of the source built at the same depth (build-pip/ of the install test)
# hits the same cache entries.
launcher=()
if command -v ccache >/dev/null; then
  launcher=(-DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$PWD}"
fi
# Configure every time (seconds when cached) so an older build/ gets today's options too.
cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE=Release -DCANBAO_BUILD_PYTHON=ON \
      -DPython_EXECUTABLE=/usr/bin/python3 "${launcher[@]}" >/dev/null
cmake --build "$build_dir" -j2
