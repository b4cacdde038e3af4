"""scripts/bench-national.sh --small: the four CLI doors of issue 15 run end
to end on 7,000 villages and 10,000 roster rows, each reported with its wall
time, peak memory and a zero exit status; an unknown option is refused."""
import os
import pathlib
import re
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "bench-national.sh"


@pytest.mark.skipif(not os.environ.get("CANBAO_CLI"), reason="the CLI's path comes from ctest")
def test_small_run_times_every_door():
    run = subprocess.run([str(SCRIPT), "--small", "--cli", os.environ["CANBAO_CLI"]],
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "7000 villages, 10000 roster rows" in run.stdout
    for door in ("validate", "report --format json", "payouts --format csv", "recommend roster -> csv"):
        # door, wall seconds, peak MB, exit status 0
        assert re.search(re.escape(door) + r"\s+\d+\.\d\d\s+\d+\s+0$", run.stdout, re.M), run.stdout
    sizes = re.search(r"output bytes: report (\d+), payouts (\d+), recommend (\d+)", run.stdout)
    assert sizes and all(int(s) > 0 for s in sizes.groups()), run.stdout


def test_unknown_option_is_refused():
    run = subprocess.run([str(SCRIPT), "--big"], capture_output=True, text=True)
    assert run.returncode == 2
    assert "unknown option --big (expected --small, --cli PATH, --keep DIR)" in run.stderr
