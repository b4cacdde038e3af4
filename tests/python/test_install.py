"""`pip install` into a fresh venv works (issue 14 item 4): the git-tracked
source is copied to a temporary folder, a venv of this interpreter is made
with --system-site-packages (numpy and pandas from Debian), and
`<venv>/bin/python -m pip install --no-build-isolation --no-index <copy>` builds
canbao._core with CMake (setup.py), offline. Then, from a folder outside the
source, the venv imports canbao from its own site-packages and runs
examples/python/payouts.py.

Marker `install`, its own ctest entry `python.install` (tests/extra.cmake;
not in sanitizer builds), left out of the main `python` entry. Measured on
the 2-core build machine while five other builds shared it (load 12-15), -j2:
warm 78 s and 97 s (ccache filled by the normal build/: every compiler call a
direct hit, checked with CCACHE_LOGFILE; the rest is the venv, CMake's
configure, linking and pip); cold 1786 s (CCACHE_DISABLE=1: the whole library
and the pybind11 module at -O3; an idle machine takes a fraction of that).
Run by hand:

    cd tests/python && CANBAO_SOURCE_DIR=$PWD/../.. /usr/bin/python3 -m pytest -q -m install test_install.py
"""
import os
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile

import pytest

SOURCE_DIR = pathlib.Path(os.environ.get("CANBAO_SOURCE_DIR", pathlib.Path(__file__).resolve().parents[2]))

pytestmark = pytest.mark.install

# What a build leaves in the source folder, never copied (the fallback without git).
BUILD_LEFTOVERS = re.compile(r"^(build|build-[^/]*|[^/]*\.egg-info)(/|$)|(^|/)(__pycache__|\.pytest_cache)(/|$)")


def source_files():
    """The files of the source tree, relative: git's list when it is a checkout."""
    if (SOURCE_DIR / ".git").exists() and shutil.which("git"):
        listed = subprocess.run(["git", "-C", str(SOURCE_DIR), "ls-files", "-z"], check=True,
                                stdout=subprocess.PIPE).stdout.decode("utf-8").split("\0")
        # A tracked file deleted in the working tree is not part of the source.
        return [f for f in listed if f and (SOURCE_DIR / f).is_file()]
    out = []
    for path in SOURCE_DIR.rglob("*"):
        rel = path.relative_to(SOURCE_DIR).as_posix()
        if path.is_file() and not rel.startswith(".git/") and not BUILD_LEFTOVERS.search(rel):
            out.append(rel)
    return out


def run(argv, cwd, env):
    done = subprocess.run(argv, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=3000)
    text = done.stdout.decode("utf-8", "replace")
    assert done.returncode == 0, f"{' '.join(map(str, argv))} failed ({done.returncode}):\n{text[-6000:]}"
    return text


def project_version():
    text = (SOURCE_DIR / "include" / "canbao" / "version.hpp").read_text(encoding="utf-8")
    return re.search(r'#define CANBAO_VERSION_STRING "([^"]+)"', text).group(1)


def test_pip_install_into_venv():
    with tempfile.TemporaryDirectory(prefix="canbao-install-") as tmp:
        tmp = pathlib.Path(tmp)
        src, venv, outside = tmp / "src", tmp / "venv", tmp / "elsewhere"
        files = source_files()
        assert "pyproject.toml" in files and "setup.py" in files
        for rel in files:
            (src / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(SOURCE_DIR / rel, src / rel)
        outside.mkdir()

        env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
        env.setdefault("CMAKE_BUILD_PARALLEL_LEVEL", "2")
        if shutil.which("ccache"):
            # build-pip/ is at build/'s depth: relative to the base folder the
            # compiler calls are those of the normal build, so they hit the cache.
            env.update(CCACHE_BASEDIR=str(src), CMAKE_CXX_COMPILER_LAUNCHER="ccache",
                       CMAKE_C_COMPILER_LAUNCHER="ccache")
        run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)], outside, env)
        python = venv / "bin" / "python"
        run([str(python), "-m", "pip", "install", "--no-build-isolation", "--no-index",
             "--disable-pip-version-check", str(src)], outside, env)

        # The build left only build-pip/ and canbao.egg-info/ in the source.
        left = {p.relative_to(src).as_posix() for p in src.rglob("*") if p.is_file()} - set(files)
        assert {f.split("/")[0] for f in left} <= {"build-pip", "canbao.egg-info"}, sorted(left)[:20]

        # The venv's own copy, its module built for this interpreter, same version as the source.
        out = run([str(python), "-c", "import canbao, sys; print(canbao.__file__); print(canbao.__version__); "
                   "print(canbao._core.__file__); print(sys.base_prefix)"], outside, env).splitlines()
        site = venv / "lib" / f"python{sys.version_info.major}.{sys.version_info.minor}" / "site-packages"
        assert pathlib.Path(out[0]) == site / "canbao" / "__init__.py"
        assert out[1] == project_version()
        assert pathlib.Path(out[2]).parent == site / "canbao"
        assert out[3] == sys.base_prefix  # the same interpreter underneath

        # An example runs against the installed package (as tests/python/test_examples.py checks it):
        # 1234x100 + 1995x100 + 905x100 + 1486x80 + 703x60 + 1725x60 = 677,960 fen.
        env["MPLBACKEND"] = "Agg"
        printed = run([str(python), str(src / "examples" / "python" / "payouts.py")], outside, env)
        assert "total: 6779.60 yuan, paid by 县财政" in printed.splitlines()
        assert "PolicyError at campaign.id" in printed
