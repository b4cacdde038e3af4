"""The CLI on tables as offices produce them (issue 13 item 1, docs/office-data.md).

tests/data/office/ holds the 000 progress and the 004 roster as Excel on Chinese
Windows and the social-insurance exports write them (make_office_files.py):
GB18030 with CRLF, Chinese headers and unit names, 2021/6/1 dates, "1,450";
UTF-8 with a BOM, tabs, 20210601 dates and full-width digits; extra columns
and trailing ",,," rows. Every command must give the same answers for them
as for the examples, say which columns it ignored, and refuse GB18030 that it
was not told about.
"""
import os
import pathlib
import subprocess

import pytest

SOURCE = pathlib.Path(os.environ.get("CANBAO_SOURCE_DIR", pathlib.Path(__file__).resolve().parents[2]))
CLI = os.environ.get("CANBAO_CLI") or str(SOURCE / os.environ.get("CANBAO_BUILD_DIR", "build") / "canbao")
OFFICE = SOURCE / "tests" / "data" / "office"
P000 = "examples/policies/000-xx-town-2021.json"
P004 = "examples/policies/004-shiyan-2023.json"
PROGRESS = "examples/progress/000-xx-town-2021.csv"
ROSTER = "examples/rosters/004-sample.csv"

pytestmark = pytest.mark.skipif(not os.path.exists(CLI), reason="the CLI is not built")


def run(*args):
    done = subprocess.run([CLI, *args], cwd=SOURCE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    return done.returncode, done.stdout.decode("utf-8"), done.stderr.decode("utf-8")


OFFICE_PROGRESS = [
    ("progress-000-gb18030.csv", ["--encoding", "gb18030"], "备注"),
    ("progress-000-gb18030.csv", ["--encoding", "gbk"], "备注"),  # read as its superset
    ("progress-000-bom.tsv", [], "name"),
    ("progress-000-bom.tsv", ["--delimiter", "tab", "--encoding", "utf-8"], "name"),
]


@pytest.mark.parametrize("command", ["report", "payouts", "score", "values"])
@pytest.mark.parametrize("file, options, ignored", OFFICE_PROGRESS)
def test_campaign_commands_answer_as_for_the_example(command, file, options, ignored):
    code, want, err = run(command, P000, "--progress", PROGRESS, "--as-of", "2021-09-15", "--format", "json")
    assert code == 0 and err == "", err
    # --as-of as offices type it: the same day.
    code, got, err = run(command, P000, "--progress", str(OFFICE / file), *options, "--as-of", "2021/9/15",
                         "--format", "json")
    assert code == 0, err
    assert got == want
    # The ignored column is told once, naming the file.
    assert err == f"canbao: {OFFICE / file}: ignored columns: {ignored}\n"


def test_costs_and_diff_read_office_progress_and_roster():
    code, want, _ = run("costs", P000, "--progress", PROGRESS, "--as-of", "20211231", "--format", "json")
    assert code == 0
    code, got, err = run("costs", P000, "--progress", str(OFFICE / "progress-000-gb18030.csv"),
                         "--encoding", "gb18030", "--as-of", "2021-12-31", "--format", "json")
    assert (code, got) == (0, want), err
    assert err.count("ignored columns: 备注") == 1
    patch = "examples/patches/000-second-tier-90.merge.json"
    code, want, _ = run("diff", P000, "--patch", patch, "--progress", PROGRESS, "--as-of", "2021-12-31")
    code, got, err = run("diff", P000, "--patch", patch, "--progress", str(OFFICE / "progress-000-bom.tsv"),
                         "--as-of", "2021年12月31日")
    assert (code, got) == (0, want), err
    assert err.count("ignored columns: name") == 1  # read once per policy, told once


def result_columns(csv_text):
    # id..reason_en: the office files add a 备注 column after the example's extra columns.
    return [line.split(",")[:8] for line in csv_text.splitlines()]


@pytest.mark.parametrize("file, options", [("roster-004-gb18030.csv", ["--encoding", "gb18030"]),
                                           ("roster-004-bom.tsv", [])])
def test_recommend_answers_as_for_the_example_roster(file, options):
    code, want, err = run("recommend", P004, "--roster", ROSTER, "--as-of", "2023-06-30")
    assert code == 0, err
    code, got, err = run("recommend", P004, "--roster", str(OFFICE / file), *options, "--as-of", "2023/6/30")
    assert code == 0, err
    assert result_columns(got) == result_columns(want)
    assert len(got.splitlines()) == 31  # header + 30 persons; the trailing ",,," row is none
    # The extra columns are written back under the header as read.
    assert got.splitlines()[0].endswith(",village,单位编码,备注")


def test_gb18030_without_encoding_is_an_error_that_says_what_to_do():
    code, out, err = run("payouts", P000, "--progress", str(OFFICE / "progress-000-gb18030.csv"),
                         "--as-of", "2021-12-31")
    assert code == 1 and out == ""
    # Line 1, column 1: the header " 单位 " starts with a space, then B5 A5.
    assert err == (f"canbao payouts: {OFFICE / 'progress-000-gb18030.csv'}:1:1: not valid UTF-8 (byte 0xB5); "
                   "the file looks like GB18030/GBK (Excel on Chinese Windows): give --encoding gb18030\n")
    code, _, err = run("recommend", P004, "--roster", str(OFFICE / "roster-004-gb18030.csv"), "--as-of", "2023-06-30")
    assert code == 1 and "roster-004-gb18030.csv:1:1: not valid UTF-8 (byte 0xB1); the file looks like GB18030" in err


def test_bad_options_are_usage_errors_naming_the_option():
    code, _, err = run("report", P000, "--progress", PROGRESS, "--as-of", "2021-12-31", "--encoding", "big5")
    assert code == 2 and 'canbao report: --encoding: expected utf-8, gb18030 or gbk, got "big5"' in err
    code, _, err = run("recommend", P004, "--roster", ROSTER, "--as-of", "2023-06-30", "--delimiter", ";")
    assert code == 2 and 'canbao recommend: --delimiter: expected comma or tab, got ";"' in err
    code, _, err = run("report", P000, "--progress", PROGRESS, "--as-of", "30/6/2021")
    assert code == 2 and "--as-of: expected a date as YYYY/M/D" in err


def test_a_utf8_file_read_as_gb18030_is_refused_not_garbled(tmp_path):
    # progress-000-bom.tsv is UTF-8 with a BOM: asking for GB18030 is an error, not mojibake.
    code, _, err = run("report", P000, "--progress", str(OFFICE / "progress-000-bom.tsv"), "--encoding", "gb18030",
                       "--as-of", "2021-12-31")
    assert code == 1 and "starts with a UTF-8 byte order mark, but GB18030 was asked for" in err
    # Without a BOM, UTF-8 Chinese read as GB18030 mostly fails on its bytes:
    # 数值 is E6 95 B0 E5 80 BC, and 0x80 starts no GB18030 character.
    f = tmp_path / "p.csv"
    f.write_bytes("单位,指标,日期,数值\n东风村,resident_enrolled,2021-06-30,1\n".encode("utf-8"))
    code, _, err = run("report", P000, "--progress", str(f), "--encoding", "gb18030", "--as-of", "2021-12-31")
    assert code == 1 and f"{f}:1:4: not valid GB18030 (bytes 0x80 0xBC)" in err, err
    # Where it does not (单位 is E5 8D 95 E4 BD 8D, three GB18030 characters),
    # the header no longer names the columns: still an error, never mojibake in a result.
    f.write_bytes("单位,metric,date,value\ndongfeng,resident_enrolled,2021-06-30,1\n".encode("utf-8"))
    code, _, err = run("report", P000, "--progress", str(f), "--encoding", "gb18030", "--as-of", "2021-12-31")
    assert code == 1 and f'{f}:1: the header has no column "unit_id"' in err, err
    # Bytes that are not GB18030 either: line and column, in hex.
    f.write_bytes(b"unit_id,metric,date,value\ndongfeng,resident_enrolled,2021-06-30,1\x80\n")
    code, _, err = run("report", P000, "--progress", str(f), "--encoding", "gb18030", "--as-of", "2021-12-31")
    assert code == 1 and f"{f}:2:4: not valid GB18030 (bytes 0x80)" in err, err
