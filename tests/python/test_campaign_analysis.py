"""examples/python/campaign_analysis.py (issue 14 item 6) runs, prints the figures
the docs work out by hand, and writes real charts and a workbook whose numbers
are the library's answers.

The script runs as a subprocess of this interpreter, like test_examples.py runs
the other examples, from a temporary working folder.
"""
import os
import pathlib
import re
import struct
import subprocess
import sys

import openpyxl
import pytest

import canbao

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def run(examples, cwd, *args):
    env = dict(os.environ)
    env["PYTHONPATH"] = os.path.dirname(os.path.dirname(canbao.__file__))
    env["MPLBACKEND"] = "Agg"
    done = subprocess.run([sys.executable, str(examples / "python" / "campaign_analysis.py"), *map(str, args)],
                          capture_output=True, text=True, env=env, cwd=cwd, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()


@pytest.fixture(scope="module")
def outcome(examples, tmp_path_factory):
    out = tmp_path_factory.mktemp("analysis") / "out"
    return run(examples, tmp_path_factory.mktemp("cwd"), out), out


def sheet(book, name):
    """The rows of a sheet as dicts under its header row."""
    rows = list(book[name].iter_rows(values_only=True))
    return [dict(zip(rows[0], r)) for r in rows[1:]]


def test_prints_the_hand_worked_figures(outcome):
    out, _ = outcome
    assert out[0] == "roster: 30 persons in 5 villages"
    # docs/roster.md, --by-unit on the same roster: the town row has 13 employee,
    # 14 resident and 3 none.
    assert out[1] == "schemes: none 3, employee 13, resident 14"
    # docs/roster.md: 长寿湖村 village-a has 6 persons, 4 employee, 1 resident, 1 none,
    # 3 uninsured (status_none), target 160; 石堰社区 6 persons, 1 / 4 / 1, 4 uninsured, target 230.
    rows = {line.split()[0]: line.split()[1:] for line in out if line.startswith(("village-", "shiyan-"))}
    assert rows["village-a"] == ["长寿湖村", "6", "4", "1", "1", "3", "160"]
    assert rows["shiyan-community"] == ["石堰社区", "6", "1", "4", "1", "4", "230"]
    # docs/testing-policy-changes.md: the 50/45 age rule moves p02 (李秀英, 41) and p08
    # (赵强, 45 on the as-of day) from the resident to the employee scheme.
    assert "2 persons change scheme: p02 resident->employee, p08 resident->employee" in out[-4]
    assert out[-3] == "compare: 2 of 30 change scheme or actions: p02, p08"
    # docs/projections.md, as of 2021-10-31: paid 4134.00 + 1188.80 + 421.80 = 5744.60 yuan;
    # tuanjie projected in tier 3: 1723 x 60 fen = 1033.80 yuan; total 6778.40 yuan.
    assert out[-2] == ("work fund as of 2021-10-31: actual 5744.60 yuan, projected 1033.80 yuan, "
                       "total 6778.40 yuan (县财政)")


def test_charts_are_real_pngs(outcome):
    _, out = outcome
    for name in ["schemes_per_village.png", "work_fund_bill.png"]:
        data = (out / name).read_bytes()
        assert data[:8] == PNG_MAGIC, name
        assert data[12:16] == b"IHDR"
        # figsize 7 x 4 inches at 100 dpi; a chart with bars and text is well over 10 kB.
        assert struct.unpack(">II", data[16:24]) == (700, 400), name
        assert len(data) > 10_000, name


def test_the_workbook_holds_the_library_answers(outcome, examples, policy_000, policy_004, progress_000):
    _, out = outcome
    book = openpyxl.load_workbook(out / "campaign_analysis.xlsx", read_only=True)
    assert book.sheetnames == ["summary", "recommendations", "villages", "transitions", "work_fund"]
    summary = {r["figure"]: r["value"] for r in sheet(book, "summary")}

    roster = examples / "rosters" / "004-sample.csv"
    c = canbao.compare(policy_004, patch=str(examples / "patches" / "004-age-rule-50-45.json"), roster=str(roster),
                       as_of="2023-06-30")
    changed = sum(n for n, ch in zip(c["transitions"]["count"], c["transitions"]["changed"]) if ch)
    assert summary["changed_by_reform"] == changed == 2
    transitions = sheet(book, "transitions")
    assert sum(r["count"] for r in transitions) == summary["persons"] == 30

    fund = policy_000.projections(progress_000, "2021-10-31")["work_fund"]
    assert summary["work_fund_total_fen"] == fund["total_fen"] == 677840
    assert summary["work_fund_actual_fen"] == fund["actual_total_fen"] == 574460
    assert summary["work_fund_projected_fen"] == fund["projected_total_fen"] == 103380
    assert sum(r["amount_fen"] for r in sheet(book, "work_fund")) == fund["total_fen"]

    counts = {u["unit_id"]: u for u in policy_004.unit_counts(roster, "2023-06-30")["units"]}
    villages = sheet(book, "villages")
    assert [v["unit_id"] for v in villages] == [u for u, c in counts.items() if c["level"] == "village"]
    for v in villages:
        u = counts[v["unit_id"]]
        assert (v["persons"], v["employee"], v["resident"], v["none"], v["uninsured"], v["target"]) == (
            u["persons"], u["schemes"]["employee"], u["schemes"]["resident"], u["schemes"]["none"],
            u["insurance_status"]["none"], int(u["targets"]["expansion_enrolled"])), v["unit_id"]

    recs = sheet(book, "recommendations")
    assert len(recs) == 30 and all(r["id"].startswith("p") for r in recs)
    book.close()


def test_output_goes_to_a_temporary_folder_by_default(examples, tmp_path):
    out = run(examples, tmp_path)
    written = pathlib.Path(out[-1].removeprefix("written: "))
    try:
        assert written.is_dir() and not written.is_relative_to(examples.parent)
        assert sorted(p.name for p in written.iterdir()) == [
            "campaign_analysis.xlsx", "schemes_per_village.png", "work_fund_bill.png"]
        assert list(tmp_path.iterdir()) == []  # nothing in the working folder either
    finally:
        for p in written.iterdir():
            p.unlink()
        written.rmdir()


def test_runs_cell_by_cell_as_a_notebook(examples, monkeypatch, capsys):
    # A notebook runs the `# %%` cells one by one in one namespace, without __file__,
    # from the folder it was opened in, with the kernel's own argv.
    text = (examples / "python" / "campaign_analysis.py").read_text(encoding="utf-8")
    cells = re.split(r"\n(?=# %% )", text)
    assert len(cells) >= 9  # the docstring, then setup ... workbook
    monkeypatch.chdir(examples.parent)
    monkeypatch.setattr(sys, "argv", ["ipykernel_launcher.py", "-f", "kernel-1.json"])
    namespace = {"__name__": "__main__"}
    for cell in cells:
        exec(compile(cell, "campaign_analysis.py", "exec"), namespace)
    out = namespace["OUT"]
    try:
        assert not out.is_relative_to(examples.parent)
        assert (out / "campaign_analysis.xlsx").stat().st_size > 0
        assert "compare: 2 of 30 change scheme or actions: p02, p08" in capsys.readouterr().out
    finally:
        for p in out.iterdir():
            p.unlink()
        out.rmdir()
