"""scripts/check_ratios.py, the CI ratio guard's checker, on fake
measurements: it passes ratios at or above their floors and fails (exit 1,
naming the ratio) one below its floor or one not measured."""
import json
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
CHECKER = ROOT / "scripts" / "check_ratios.py"

FLOORS = {"floors": {"batch_vs_numpy_select": {"floor": 5.0, "why": "issue 15"},
                     "cli_roster_vs_pandas": {"floor": 3.0, "why": "issue 15"}}}


def run(tmp_path, measurements):
    floors = tmp_path / "floors.json"
    floors.write_text(json.dumps(FLOORS))
    m = tmp_path / "m.json"
    m.write_text(json.dumps(measurements))
    return subprocess.run([sys.executable, str(CHECKER), "--floors", str(floors), str(m)],
                          capture_output=True, text=True)


def test_passes_at_and_above_the_floors(tmp_path):
    # 0.5 s / 0.1 s = 5.0 (exactly the floor passes); 0.9 s / 0.2 s = 4.5 >= 3.
    r = run(tmp_path, [{"name": "batch_vs_numpy_select", "canbao_s": 0.1, "baseline_s": 0.5},
                       {"name": "cli_roster_vs_pandas", "canbao_s": 0.2, "baseline_s": 0.9}])
    assert r.returncode == 0, r.stderr
    assert "ok   batch_vs_numpy_select" in r.stdout and "ratio 5.00, floor 5.0" in r.stdout
    assert "ratio 4.50, floor 3.0" in r.stdout


def test_fails_a_ratio_below_its_floor(tmp_path):
    # 0.49 s / 0.1 s = 4.9 < 5: fails, even though the other ratio passes.
    r = run(tmp_path, [{"name": "batch_vs_numpy_select", "canbao_s": 0.1, "baseline_s": 0.49},
                       {"name": "cli_roster_vs_pandas", "canbao_s": 0.2, "baseline_s": 0.9}])
    assert r.returncode == 1
    assert "FAIL batch_vs_numpy_select" in r.stdout
    assert "batch_vs_numpy_select: ratio 4.90 is below its floor 5.0" in r.stderr
    assert "cli_roster_vs_pandas" not in r.stderr


def test_fails_a_ratio_not_measured(tmp_path):
    r = run(tmp_path, [{"name": "batch_vs_numpy_select", "canbao_s": 0.1, "baseline_s": 1.0}])
    assert r.returncode == 1
    assert "cli_roster_vs_pandas: not measured (floor 3.0)" in r.stderr


def test_the_repository_floors_are_well_formed():
    floors = json.loads((ROOT / "benchmarks" / "ratio_floors.json").read_text(encoding="utf-8"))["floors"]
    assert {"batch_vs_numpy_select", "cli_roster_vs_pandas"} <= floors.keys()
    assert floors["batch_vs_numpy_select"]["floor"] >= 5 and floors["cli_roster_vs_pandas"]["floor"] >= 3
    assert all(f["why"] for f in floors.values())
