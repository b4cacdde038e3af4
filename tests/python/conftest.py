"""Shared fixtures. ctest sets PYTHONPATH to the build tree's python/ folder and
CANBAO_SOURCE_DIR / CANBAO_CLI / CANBAO_LIBRARY; run by hand, the default
build folder is used."""

import os
import pathlib
import sys

import pytest

SOURCE_DIR = pathlib.Path(os.environ.get("CANBAO_SOURCE_DIR", pathlib.Path(__file__).resolve().parents[2]))
try:
    import canbao  # noqa: F401
except ImportError:  # run by hand: use build/python
    sys.path.insert(0, str(SOURCE_DIR / os.environ.get("CANBAO_BUILD_DIR", "build") / "python"))

EXAMPLES = SOURCE_DIR / "examples"


@pytest.fixture(scope="session")
def examples() -> pathlib.Path:
    return EXAMPLES


@pytest.fixture(scope="session")
def policy_000():
    import canbao
    return canbao.Policy.from_file(EXAMPLES / "policies" / "000-xx-town-2021.json")


@pytest.fixture(scope="session")
def policy_004():
    import canbao
    return canbao.Policy.from_file(EXAMPLES / "policies" / "004-shiyan-2023.json")


@pytest.fixture(scope="session")
def progress_000() -> pathlib.Path:
    return EXAMPLES / "progress" / "000-xx-town-2021.csv"
