"""Output for Excel (issue 13 items 2 and 6): `--format xlsx` workbooks read
back with openpyxl (cell values AND types), CSV `--bom`/`--no-bom`, and the
progress bar on a terminal (pty) but never on a pipe or with --quiet.

The figures are the 000 example's (docs/report.md): as of 2021-12-31 东风村
completed 2021-08-31 in tier 1, 1.00 yuan x 1234 persons = 1234.00 yuan, and
the total work fund is 6779.60 yuan (677960 fen)."""
import datetime
import json
import os
import pathlib
import pty
import re
import select
import subprocess

import openpyxl
import pytest

SOURCE_DIR = pathlib.Path(os.environ.get("CANBAO_SOURCE_DIR", pathlib.Path(__file__).resolve().parents[2]))
EX = SOURCE_DIR / "examples"
P000 = str(EX / "policies" / "000-xx-town-2021.json")
PROG000 = str(EX / "progress" / "000-xx-town-2021.csv")
P004 = str(EX / "policies" / "004-shiyan-2023.json")
ROSTER004 = EX / "rosters" / "004-sample.csv"
PATCH = str(EX / "patches" / "000-second-tier-90.merge.json")
BOM = b"\xef\xbb\xbf"
ID_RUN = re.compile(r"\d{15}|\d{17}[\dXx]")


def cli():
    path = os.environ.get("CANBAO_CLI") or str(SOURCE_DIR / os.environ.get("CANBAO_BUILD_DIR", "build") / "canbao")
    assert os.access(path, os.X_OK), f"no canbao CLI at {path}: set CANBAO_CLI"
    return path


def run(*args, check=True):
    done = subprocess.run([cli(), *map(str, args)], capture_output=True)
    if check:
        assert done.returncode == 0, done.stderr.decode()
    return done


def campaign(command, as_of, *more):
    return [command, P000, "--progress", PROG000, "--as-of", as_of, *more]


def xlsx(tmp_path, args, name="out.xlsx"):
    out = tmp_path / name
    run(*args, "--format", "xlsx", "--out", out)
    return openpyxl.load_workbook(out), out


def table(ws):
    """(header row number, headers, rows as dicts) of a sheet: the header row is the frozen one."""
    frozen = ws.freeze_panes  # "A5": rows 1..4 stay in view, the header is row 4
    assert frozen is not None and frozen.startswith("A"), ws.title
    header_row = int(frozen[1:]) - 1
    headers = [c.value for c in ws[header_row]]
    rows = []
    for r in ws.iter_rows(min_row=header_row + 1, values_only=True):
        rows.append(dict(zip(headers, r)))
    return header_row, headers, rows


def json_of(*args):
    return json.loads(run(*args, "--format", "json").stdout)


def fen_to_yuan(fen):
    return fen / 100


@pytest.mark.parametrize("as_of", ["2021-09-15", "2021-12-31"])
def test_report_workbook_has_a_typed_sheet_per_section(tmp_path, as_of):
    book, _ = xlsx(tmp_path, campaign("report", as_of))
    names = book.sheetnames
    for sheet in ["阶段 phases", "期限 deadlines", "完成 completion", "节点 milestones", "指标 values",
                  "工作经费 work fund", "排名 ranking", "预测 projections"]:
        assert sheet in names
    assert all(len(n) <= 31 for n in names)
    report = json_of(*campaign("report", as_of))

    # 工作经费: yuan are floats equal to the JSON's fen / 100; the total row is 合计.
    _, headers, rows = table(book["工作经费 work fund"])
    assert headers[:3] == ["unit_id", "name", "completed_on"]
    payouts = {p["unit_id"]: p for p in report["work_fund"]["payouts"]}
    units = [r for r in rows if r["unit_id"]]
    assert [r["unit_id"] for r in units] == [p["unit_id"] for p in report["work_fund"]["payouts"]]
    for r in units:
        p = payouts[r["unit_id"]]
        # A number, never text (openpyxl reads 1234 without decimals back as an int).
        assert isinstance(r["amount_yuan"], (int, float)) and r["amount_yuan"] == fen_to_yuan(p["amount_fen"])
        assert r["per_person_yuan"] == fen_to_yuan(p["per_person_fen"])
        assert isinstance(r["basis"], int) and r["basis"] == p["basis"]
        assert isinstance(r["amount_fen"], int) and r["amount_fen"] == p["amount_fen"]
        assert isinstance(r["basis_on"], datetime.datetime)
        assert r["basis_on"].date().isoformat() == p["basis_on"]
        if p["completed_on"]:
            assert r["completed_on"].date().isoformat() == p["completed_on"]
        else:
            assert r["completed_on"] is None
        assert r["tier"] == p["tier"]  # 1-based integer, or empty
    total = rows[-1]
    assert total["unit_id"] is None and total["name"] == "合计"
    assert total["amount_yuan"] == fen_to_yuan(report["work_fund"]["total_fen"])
    cell = book["工作经费 work fund"].cell(row=table(book["工作经费 work fund"])[0] + 1,
                                       column=headers.index("amount_yuan") + 1)
    assert cell.data_type == "n" and cell.number_format == "#,##0.00"

    # 排名: ranks integers, points numbers, completions in a percent format.
    header_row, headers, rows = table(book["排名 ranking"])
    ranked = report["scores"]["units"]
    assert [r["unit_id"] for r in rows] == [u["unit_id"] for u in ranked]
    for r, u in zip(rows, ranked):
        assert isinstance(r["rank"], int) and r["rank"] == u["rank"]
        assert isinstance(r["micro_points"], int) and r["micro_points"] == u["micro_points"]
        assert r["points"] == pytest.approx(u["micro_points"] / 1e6, abs=1e-9)
    col = headers.index("enrollment_completion") + 1
    assert book["排名 ranking"].cell(row=header_row + 1, column=col).number_format == "0.00%"

    # 完成: every unit, completion dates as dates.
    _, _, rows = table(book["完成 completion"])
    done = {c["unit_id"]: c["completed_on"] for c in report["completions"]}
    assert [r["unit_id"] for r in rows] == list(done)
    for r in rows:
        got = r["completed_on"].date().isoformat() if r["completed_on"] else None
        assert got == done[r["unit_id"]]

    # 节点: one row per (milestone, unit), statuses as in JSON.
    _, _, rows = table(book["节点 milestones"])
    want = [(m["id"], u["unit_id"], u["status"]) for m in report["milestones"] for u in m["units"]]
    assert [(r["milestone_id"], r["unit_id"], r["status"]) for r in rows] == want
    assert all(isinstance(r["due"], datetime.datetime) for r in rows)
    values = [u["value_on_due"] for m in report["milestones"] for u in m["units"]]
    assert [r["value"] for r in rows] == [float(v) if v is not None else None for v in values]

    # The title rows above the frozen header, and columns wide enough for Chinese names.
    ws = book["工作经费 work fund"]
    assert ws["A1"].value == report["campaign_title"] + " — 工作经费 work fund"
    assert ws["A2"].value == "截至 as of " + as_of
    assert ws.column_dimensions["B"].width >= 10  # 向阳社区: 4 CJK characters = 8 columns + 2


@pytest.mark.parametrize("as_of, provisional", [("2021-09-15", True), ("2021-12-31", False)])
def test_report_workbook_summary_actions_and_money_at_stake(tmp_path, as_of, provisional):
    book, _ = xlsx(tmp_path, campaign("report", as_of))
    assert book.sheetnames[0] == "摘要 summary"
    action = json_of(*campaign("report", as_of))["action"]
    s = action["summary"]
    _, headers, rows = table(book["摘要 summary"])
    [row] = [list(r.values()) for r in rows]
    # 2021-09-15 (docs/report.md): 9 units, 1 complete, 4 on track, 1 at risk, 3 late;
    # paid 1234.00 (东风村), still possible 8990.00 yuan; provisional until 2021-12-31.
    assert row[:6] == [s["units"], s["complete"], s["on_track"], s["at_risk"], s["late"], s["no_trend"]]
    assert row[6] == s["paid_fen"] / 100 and row[7] == s["still_possible_fen"] / 100
    assert row[8] == ("是 yes" if provisional else "否 no") and s["provisional"] == provisional
    assert row[9] == datetime.datetime(2021, 12, 31)
    if provisional:
        assert row[:8] == [9, 1, 4, 1, 3, 0, 1234, 8990]
        assert book["排名 ranking"]["A1"].value.endswith("(暂定)")
    else:
        assert not book["排名 ranking"]["A1"].value.endswith("(暂定)")
    # 行动清单: one row per unit target, worst first as in JSON.
    _, _, rows = table(book["行动清单 actions"])
    want = [(u["unit_id"], t["metric"], t["shortfall"], t["needed_per_day"])
            for u in action["units"] for t in u["targets"]]
    got = [(r["unit_id"], r["metric"], r["shortfall"], r["needed_per_day"]) for r in rows]
    assert got == [(a, m, float(sh), float(n) if n is not None else None) for a, m, sh, n in want]
    # 待得经费: yuan = fen / 100 for every remaining rule of every unfinished paid unit.
    stakes = [(u["unit_id"], a["tier"], a["amount_fen"]) for u in action["units"] for a in u["at_stake"]]
    if stakes:
        _, _, rows = table(book["待得经费 at stake"])
        assert [(r["unit_id"], r["tier"], r["amount_yuan"]) for r in rows] == \
            [(u, t, fen / 100) for u, t, fen in stakes]
    if provisional:  # 向阳社区 1265 enrolled: tier 1 1.00 x 1265 = 1265.00, tier 2 0.80 x 1265 = 1012.00
        assert stakes[:2] == [("xiangyang", 1, 126500), ("xiangyang", 2, 101200)]


def test_report_workbook_as_of_mid_campaign_has_no_paid_village_yet(tmp_path):
    # As of 2021-09-15 东风村 (completed 08-31) is already in tier 1: 1234.00 yuan.
    book, _ = xlsx(tmp_path, campaign("payouts", "2021-09-15"))
    assert book.sheetnames == ["工作经费 work fund"]
    _, _, rows = table(book["工作经费 work fund"])
    dongfeng = next(r for r in rows if r["unit_id"] == "dongfeng")
    assert dongfeng["amount_yuan"] == 1234.0 and dongfeng["tier"] == 1
    assert dongfeng["completed_on"] == datetime.datetime(2021, 8, 31)


def test_payouts_and_score_workbooks_equal_their_json(tmp_path):
    book, _ = xlsx(tmp_path, campaign("payouts", "2021-12-31"))
    wf = json_of(*campaign("payouts", "2021-12-31"))
    _, _, rows = table(book["工作经费 work fund"])
    assert rows[-1]["amount_yuan"] == 6779.60 == fen_to_yuan(wf["total_fen"])
    assert rows[0]["unit_id"] == "dongfeng" and rows[0]["amount_yuan"] == 1234.00
    book, _ = xlsx(tmp_path, campaign("score", "2021-12-31"), "score.xlsx")
    assert book.sheetnames == ["排名 ranking"]
    _, _, rows = table(book["排名 ranking"])
    # docs/report.md: 1 东风村 110 points 通报表扬; 8 向阳社区 96.759259 通报批评.
    assert (rows[0]["rank"], rows[0]["name"], rows[0]["points"], rows[0]["grade_name"]) == (1, "东风村", 110, "通报表扬")
    assert (rows[-1]["rank"], rows[-1]["name"], rows[-1]["grade_name"]) == (8, "向阳社区", "通报批评")
    assert rows[-1]["points"] == pytest.approx(96.759259)


def test_recommend_workbook(tmp_path):
    args = ["recommend", P004, "--roster", ROSTER004, "--as-of", "2023-06-30"]
    book, out = xlsx(tmp_path, args)
    assert book.sheetnames == ["建议 recommendations", "理由 reasons"]
    _, headers, rows = table(book["建议 recommendations"])
    assert headers[:4] == ["id", "age", "scheme", "actions"]
    # Reason codes (docs/roster.md#reason-codes): p01, a man of 43, fired 004 四(二)'s
    # employee row (rows[20] of table scheme) and the priority groups' otherwise; the
    # texts once, on the reasons sheet.
    assert rows[0]["reasons"] == "scheme.20;priority_groups.otherwise"
    _, reason_headers, reasons = table(book["理由 reasons"])
    assert reason_headers == ["code", "reason", "reason_en"]
    by_code = {r["code"]: (r["reason"], r["reason_en"]) for r in reasons}
    assert by_code["scheme.20"] == ("男45岁以下、女40岁以下参加城镇企业职工养老保险",
                                    "men under 45 and women under 40: employee scheme")
    roster_rows = ROSTER004.read_text(encoding="utf-8").strip().split("\n")[1:]
    assert len(rows) == len(roster_rows) == 30
    # p01 王建国, born 1980-03-01: 43 on 2023-06-30, an integer.
    assert rows[0]["id"] == "p01" and rows[0]["age"] == 43 and isinstance(rows[0]["age"], int)
    for r in rows:
        if r["retirement_date"] is not None:
            assert isinstance(r["retirement_date"], datetime.datetime)
    # No whole ID number in any cell (the roster holds 18-digit ones).
    for ws in book.worksheets:
        for row in ws.iter_rows(values_only=True):
            for v in row:
                assert not (isinstance(v, str) and ID_RUN.search(v)), v
    # The same as the CSV, cell for cell (as text).
    csv_rows = run(*args).stdout.decode().strip().split("\n")
    assert len(csv_rows) == 31
    # --by-unit: one sheet of counts, integers.
    book, _ = xlsx(tmp_path, args + ["--by-unit"], "units.xlsx")
    assert book.sheetnames == ["按单位 by unit"]
    _, headers, rows = table(book["按单位 by unit"])
    assert any(isinstance(v, int) for r in rows for v in r.values())


def test_diff_workbook_shows_yuan_for_the_fen_columns(tmp_path):
    args = ["diff", P000, "--patch", PATCH, "--progress", PROG000, "--as-of", "2021-12-31"]
    book, _ = xlsx(tmp_path, args)
    assert book.sheetnames[0] == "政策 policies" and "工作经费 payouts" in book.sheetnames
    c = json_of(*args)
    _, headers, rows = table(book["工作经费 payouts"])
    assert "before_yuan" in headers and "before_fen" not in headers
    by_unit = {u["unit_id"]: u for u in c["payouts"]["units"]}
    for r in rows:
        if r["unit_id"] is None:  # the total row
            assert r["delta_yuan"] == fen_to_yuan(c["payouts"]["total_delta_fen"])
            continue
        u = by_unit[r["unit_id"]]
        assert r["before_yuan"] == fen_to_yuan(u["before_fen"])
        assert r["after_yuan"] == fen_to_yuan(u["after_fen"])
    _, _, rows = table(book["政策 policies"])
    assert rows[0]["as_of"] == datetime.datetime(2021, 12, 31)


def test_xlsx_needs_out_and_is_deterministic_and_atomic(tmp_path):
    done = run(*campaign("report", "2021-12-31"), "--format", "xlsx", check=False)
    assert done.returncode == 2 and b"--format/--out" in done.stderr and done.stdout == b""
    _, a = xlsx(tmp_path, campaign("report", "2021-12-31"), "a.xlsx")
    _, b = xlsx(tmp_path, campaign("report", "2021-12-31"), "b.xlsx")
    assert a.read_bytes() == b.read_bytes()
    # A failing run (a bad progress file) leaves the existing file as it was, and no temporary file.
    bad = tmp_path / "bad.csv"
    bad.write_text("unit_id,metric,date,value\ndongfeng,resident_enrolled,2021-06-31,1\n", encoding="utf-8")
    before = a.read_bytes()
    done = run("report", P000, "--progress", bad, "--as-of", "2021-12-31", "--format", "xlsx", "--out", a,
               check=False)
    assert done.returncode == 1 and a.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.xlsx", "b.xlsx", "bad.csv"]


# CSV --bom: on for a file (--out, --rejects), off on standard output, overridden both ways.
@pytest.mark.parametrize("command", [
    campaign("payouts", "2021-12-31", "--format", "csv"),
    campaign("score", "2021-12-31", "--format", "csv"),
    campaign("values", "2021-12-31", "--format", "csv"),
    ["costs", P004, "--as-of", "2023-06-30", "--roster", str(ROSTER004), "--format", "csv"],
    ["recommend", P004, "--roster", str(ROSTER004), "--as-of", "2023-06-30"],
    ["recommend", P004, "--roster", str(ROSTER004), "--as-of", "2023-06-30", "--by-unit"],
    ["diff", P000, "--patch", PATCH, "--progress", PROG000, "--as-of", "2021-12-31", "--format", "csv"],
])
def test_csv_bom_defaults(tmp_path, command):
    stdout = run(*command).stdout
    assert not stdout.startswith(BOM) and stdout
    assert run(*command, "--bom").stdout == BOM + stdout
    out = tmp_path / "out.csv"
    run(*command, "--out", out)
    assert out.read_bytes() == BOM + stdout
    run(*command, "--out", out, "--no-bom")
    assert out.read_bytes() == stdout
    done = run(*command, "--bom", "--no-bom", check=False)
    assert done.returncode == 2 and b"--bom" in done.stderr


def test_rejects_file_gets_a_bom_and_json_never(tmp_path):
    roster = tmp_path / "roster.csv"
    text = ROSTER004.read_text(encoding="utf-8")
    roster.write_text(text + "bad1,,某人,male,1980-02-30,true,none,farmer,,,,\n", encoding="utf-8")
    rejects, out = tmp_path / "rejects.csv", tmp_path / "out.json"
    run("recommend", P004, "--roster", roster, "--as-of", "2023-06-30", "--rejects", rejects,
        "--format", "json", "--out", out)
    assert rejects.read_bytes().startswith(BOM + b"line,column,reason,id,")
    assert not out.read_bytes().startswith(BOM)
    run("recommend", P004, "--roster", roster, "--as-of", "2023-06-30", "--rejects", rejects, "--no-bom")
    assert rejects.read_bytes().startswith(b"line,column,reason,id,")
    # xlsx: the rejected row on its own sheet too, line and column as integers, the bad date kept as text.
    book, _ = xlsx(tmp_path, ["recommend", P004, "--roster", roster, "--as-of", "2023-06-30", "--rejects", rejects])
    assert book.sheetnames == ["建议 recommendations", "理由 reasons", "未读入 rejects"]
    _, _, rows = table(book["未读入 rejects"])
    assert [(r["line"], r["column"], r["id"], r["birth_date"]) for r in rows] == [(32, 5, "bad1", "1980-02-30")]
    _, _, rows = table(book["建议 recommendations"])
    assert len(rows) == 30


# Progress bar: a roster of 120,000 rows (over the 100,000 of issue 13 item 6).
@pytest.fixture(scope="module")
def big_roster(tmp_path_factory):
    lines = ROSTER004.read_text(encoding="utf-8").strip().split("\n")
    header, rows = lines[0], lines[1:]
    path = tmp_path_factory.mktemp("big") / "roster.csv"
    with open(path, "w", encoding="utf-8") as f:
        f.write(header + "\n")
        for i in range(120000):
            row = rows[i % len(rows)].split(",")
            row[0] = f"r{i}"
            f.write(",".join(row) + "\n")
    return path


def run_with_tty_stderr(args):
    """Runs the CLI with standard error on a pseudo-terminal; returns (exit code, what the terminal got)."""
    master, slave = pty.openpty()
    proc = subprocess.Popen([cli(), *map(str, args)], stdout=subprocess.DEVNULL, stderr=slave)
    os.close(slave)
    got = b""
    while True:
        ready, _, _ = select.select([master], [], [], 60)
        if not ready:
            break
        try:
            chunk = os.read(master, 65536)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        got += chunk
    os.close(master)
    return proc.wait(timeout=120), got.decode("utf-8", "replace")


def test_progress_bar_on_a_terminal(tmp_path, big_roster):
    code, got = run_with_tty_stderr(["recommend", P004, "--roster", big_roster, "--as-of", "2023-06-30",
                                     "--out", tmp_path / "out.csv"])
    assert code == 0, got
    assert "\rcanbao recommend: reading the roster [" in got
    assert "100% (120001 rows)" in got  # the header and 120,000 rows, drawn last at 100%
    assert "canbao recommend: 120000 persons" in got  # the summary after it, on its own line
    code, got = run_with_tty_stderr(["diff", P004, "--patch", EX / "patches" / "004-age-rule-50-45.json",
                                     "--roster", big_roster, "--as-of", "2023-06-30", "--format", "csv",
                                     "--out", tmp_path / "diff.csv"])
    assert code == 0, got
    assert "\rcanbao diff: reading the roster [" in got and "100%" in got


def test_no_progress_bar_on_a_pipe_or_with_quiet(tmp_path, big_roster):
    args = ["recommend", P004, "--roster", big_roster, "--as-of", "2023-06-30", "--out", tmp_path / "out.csv"]
    done = run(*args)
    assert b"reading the roster" not in done.stderr and b"\r" not in done.stderr
    assert done.stderr.startswith(b"canbao recommend: 120000 persons")
    code, got = run_with_tty_stderr(args + ["--quiet"])
    assert code == 0 and "reading the roster" not in got and "\r canbao" not in got
    assert "canbao recommend: 120000 persons" in got


def test_no_progress_bar_for_a_small_roster():
    code, got = run_with_tty_stderr(["recommend", P004, "--roster", ROSTER004, "--as-of", "2023-06-30",
                                     "--format", "json", "--out", "/dev/null"])
    assert code == 0 and "reading the roster" not in got
