"""Builds the Python package canbao: the pure-Python files of
bindings/python/canbao plus the pybind11 module canbao._core, which CMake
builds (only it and the library it links; no tests, CLI or benchmarks).

    /usr/bin/python3 -m venv --system-site-packages venv
    venv/bin/python -m pip install --no-build-isolation .

The CMake build directory is build-pip/, at the depth of build/, so that with
CCACHE_BASEDIR=<source> and CMAKE_CXX_COMPILER_LAUNCHER=ccache in the
environment the compiler calls hit the cache of the normal build. setuptools'
own scratch files go there too: the source tree gains only build-pip/ and
canbao.egg-info/ (both in .gitignore).
"""
import os
import pathlib
import re
import shutil
import subprocess
import sys

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

ROOT = pathlib.Path(__file__).resolve().parent
BUILD_DIR = ROOT / "build-pip"


def version() -> str:
    """The one version source, as CMakeLists.txt reads it."""
    text = (ROOT / "include" / "canbao" / "version.hpp").read_text(encoding="utf-8")
    parts = [re.search(rf"#define CANBAO_VERSION_{p} (\d+)", text).group(1) for p in ("MAJOR", "MINOR", "PATCH")]
    return ".".join(parts)


class CMakeBuild(build_ext):
    """Configures and builds the target canbao_python, then copies _core*.so
    where setuptools packs it. CMake reads CMAKE_CXX_COMPILER_LAUNCHER,
    CMAKE_C_COMPILER_LAUNCHER, CXX, CXXFLAGS and CMAKE_BUILD_PARALLEL_LEVEL
    from the environment."""

    def run(self) -> None:
        configure = [
            "cmake", "-S", str(ROOT), "-B", str(BUILD_DIR),
            "-DCMAKE_BUILD_TYPE=Release",
            f"-DPython_EXECUTABLE={sys.executable}",
            "-DCANBAO_BUILD_PYTHON=ON",
            "-DCANBAO_BUILD_TESTS=OFF",
            "-DCANBAO_BUILD_BENCHMARKS=OFF",
            "-DCANBAO_BUILD_CLI=OFF",
            "-DCANBAO_BUILD_FUZZERS=OFF",
            "-DCANBAO_INSTALL=OFF",
            "-DCANBAO_SANITIZE=",
            "-DBUILD_SHARED_LIBS=OFF",  # the module carries the library: nothing else to install
        ]
        subprocess.check_call(configure)
        jobs = os.environ.get("CMAKE_BUILD_PARALLEL_LEVEL", "2")
        subprocess.check_call(["cmake", "--build", str(BUILD_DIR), "--target", "canbao_python", "-j", jobs])
        built = sorted((BUILD_DIR / "python" / "canbao").glob("_core*.so"))
        if len(built) != 1:
            raise RuntimeError(f"expected one _core*.so in {BUILD_DIR / 'python' / 'canbao'}, found {built}")
        for ext in self.extensions:
            target = pathlib.Path(self.get_ext_fullpath(ext.name))
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(built[0], target)


setup(
    version=version(),
    packages=["canbao"],
    package_dir={"canbao": "bindings/python/canbao"},
    package_data={"canbao": ["*.pyi", "py.typed"]},
    # No sources: CMakeBuild builds it. Declared so the wheel is platform-specific.
    ext_modules=[Extension("canbao._core", sources=[])],
    cmdclass={"build_ext": CMakeBuild},
    # setuptools' scratch folders (build/lib..., build/bdist...) would land in
    # the CMake build/ folder; keep them under build-pip/ instead.
    options={"build": {"build_base": str(BUILD_DIR / "setuptools")}},
    zip_safe=False,
)
