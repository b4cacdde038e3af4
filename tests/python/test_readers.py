"""canbao.read_roster / read_progress (issue 14 item 1): typed frames read by the
C++ readers the CLI uses, and roster DataFrames accepted wherever a roster path is.

Hand-worked facts of examples/rosters/004-sample.csv used below (GB 11643):
p01 500115198003012010: born 1980-03-01, 17th digit 1 (odd) -> male;
p02 50011519820101202X: 17th digit 2 (even) -> female;
p03 500115196205012052 has an empty birth_date cell: the number gives 1962-05-01, male.
"""
import os
import pathlib
import re

import numpy as np
import pandas as pd
import pytest

import canbao

SOURCE = pathlib.Path(os.environ.get("CANBAO_SOURCE_DIR", pathlib.Path(__file__).resolve().parents[2]))
OFFICE = SOURCE / "tests" / "data" / "office"
ROSTER = SOURCE / "examples" / "rosters" / "004-sample.csv"
PROGRESS = SOURCE / "examples" / "progress" / "000-xx-town-2021.csv"
P000 = canbao.Policy.from_file(SOURCE / "examples" / "policies" / "000-xx-town-2021.json")
P004 = canbao.Policy.from_file(SOURCE / "examples" / "policies" / "004-shiyan-2023.json")
FACTS_POLICY = canbao.Policy.from_file(SOURCE / "tests" / "data" / "policies" / "declared-facts.json")
FACTS_ROSTER = SOURCE / "tests" / "data" / "rosters" / "declared-facts.csv"
WHOLE_ID = re.compile(r"(?<![0-9])[0-9]{17}[0-9Xx]")


def test_roster_frame_types_and_derived_fields():
    f = canbao.read_roster(ROSTER, P004, "2023-06-30")
    assert len(f) == 30 and isinstance(f.index, pd.RangeIndex)
    assert list(f.columns) == ["id", "id_number_masked", "sex", "birth_date", "hukou_local", "insurance_status",
                               "employment", "resident_grade_yuan", "flags",
                               # 004's declared facts (defaults: the roster has no such columns)
                               "g2_groups", "suspended_scheme", "prior_contribution_years",
                               "unit_id", "village"]
    assert (f.g2_groups.dtype, f.prior_contribution_years.dtype) == (np.int32, np.int32)
    assert list(f.suspended_scheme.unique()) == ["none"]
    assert list(f.sex.cat.categories) == ["male", "female"]
    assert list(f.insurance_status.cat.categories) == list(P004.value_lists["insurance_status"])
    assert list(f.employment.cat.categories) == list(P004.value_lists["employment"])
    assert (f.birth_date.dtype, f.hukou_local.dtype) == (np.dtype("datetime64[ns]"), np.dtype(bool))
    assert (f.resident_grade_yuan.dtype, f["flags"].dtype) == (np.dtype(np.uint16), np.dtype(np.uint8))
    p = f.set_index("id")
    assert (p.at["p01", "sex"], p.at["p01", "birth_date"]) == ("male", pd.Timestamp("1980-03-01"))
    assert p.at["p02", "sex"] == "female"
    # p03's birth_date cell is empty: the ID number's 19620501.
    assert (p.at["p03", "sex"], p.at["p03", "birth_date"]) == ("male", pd.Timestamp("1962-05-01"))
    assert p.at["p01", "id_number_masked"] == "500115********2010"
    # p23: tekun;severe_disability -> the bits of those two flags.
    flags = P004.value_lists["flags"]
    assert p.at["p23", "flags"] == (1 << flags.index("tekun")) | (1 << flags.index("severe_disability"))
    assert p.at["p05", "resident_grade_yuan"] == 1500 and p.at["p01", "resident_grade_yuan"] == 0
    # (f["flags"]: f.flags is pandas' own DataFrame.flags.)
    assert f.attrs["source"] == str(ROSTER) and list(f.attrs["lines"][:2]) == [2, 3]
    assert f.attrs["extra_columns"] == ["village"]


def test_no_whole_id_number_in_frame_repr_csv_or_errors():
    f = canbao.read_roster(ROSTER, P004, "2023-06-30")
    for text in (repr(f), f.to_csv(), f.to_string(), str(f.attrs)):
        assert not WHOLE_ID.search(text)
    # A bad check digit: the error names the place and masks the number.
    bad = ROSTER.read_bytes().replace(b"500115198003012010", b"500115198003012011")
    with pytest.raises(canbao.InputError) as e:
        canbao.read_roster(bad, P004, "2023-06-30")
    assert e.value.path == "roster:2:2" and (e.value.line, e.value.column) == (2, 2)
    assert not WHOLE_ID.search(str(e.value))


@pytest.mark.parametrize("name, encoding", [("roster-004-gb18030.csv", "gb18030"), ("roster-004-bom.tsv", "utf-8")])
def test_office_rosters_give_the_examples_frame(name, encoding):
    # Chinese headers, 男/女, 是/否 and 本地/外地, 1980年3月1日, "1,500", tabs, GB18030.
    want = canbao.read_roster(ROSTER, P004, "2023-06-30")
    got = canbao.read_roster(OFFICE / name, P004, "2023-06-30", encoding=encoding)
    assert got.attrs["extra_columns"] == ["village", "备注"]
    pd.testing.assert_frame_equal(got.drop(columns=["备注"]), want)


@pytest.mark.parametrize("name, encoding", [("progress-000-gb18030.csv", "gb18030"), ("progress-000-bom.tsv", "utf-8")])
def test_office_progress_gives_the_examples_frame(name, encoding):
    want = canbao.read_progress(PROGRESS, P000)
    with pytest.warns(UserWarning, match="ignored columns: "):
        got = canbao.read_progress(OFFICE / name, P000, encoding=encoding)
    assert got.attrs["ignored_columns"] in (["备注"], ["name"])
    pd.testing.assert_frame_equal(got, want)


def test_gb18030_without_encoding_names_line_column_and_gb18030():
    with pytest.raises(canbao.InputError) as e:
        canbao.read_roster(OFFICE / "roster-004-gb18030.csv", P004)
    assert (e.value.line, e.value.column) == (1, 1)
    assert str(e.value).startswith(f"{OFFICE / 'roster-004-gb18030.csv'}:1:1: not valid UTF-8")
    assert "give --encoding gb18030" in str(e.value)
    with pytest.raises(canbao.InputError, match=r":1:1: not valid UTF-8 .*GB18030"):
        canbao.read_progress(OFFICE / "progress-000-gb18030.csv", P000)


def test_progress_frame_types_and_round_trip():
    f = canbao.read_progress(PROGRESS, P000)
    assert list(f.columns) == ["unit_id", "metric", "date", "value"]
    assert (f.date.dtype, f.value.dtype) == (np.dtype("datetime64[ns]"), np.dtype(np.int64))
    raw = pd.read_csv(PROGRESS)
    assert list(f.unit_id) == list(raw.unit_id) and list(f.value) == list(raw.value)
    for day in ("2021-06-30", "2021-09-15", "2021-12-31"):
        assert P000.payouts(f, day) == P000.payouts(PROGRESS, day)
        assert P000.report(f, day) == P000.report(PROGRESS, day)
        assert P000.values(f, day) == P000.values(PROGRESS, day)


def test_progress_from_a_frame():
    # A DataFrame as pandas reads the file, and a read_progress frame read again: the same frame.
    want = canbao.read_progress(PROGRESS, P000)
    pd.testing.assert_frame_equal(canbao.read_progress(pd.read_csv(PROGRESS), P000), want)
    pd.testing.assert_frame_equal(canbao.read_progress(want, P000), want)
    bad = pd.read_csv(PROGRESS)
    bad.loc[3, "metric"] = "no_such_metric"
    with pytest.raises(canbao.InputError) as e:
        canbao.read_progress(bad, P000)
    assert e.value.path == "progress.metric[3]" and e.value.row == 3


def test_progress_segments_and_submitted_round_trip(tmp_path):
    text = PROGRESS.read_text(encoding="utf-8").splitlines()
    rows = [text[0] + ",submitted"] + [r + ("," + r.split(",")[2] if i % 2 else ",") for i, r in enumerate(text[1:])]
    path = tmp_path / "p.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    f = canbao.read_progress(path, P000)
    assert f.submitted.dtype == np.dtype("datetime64[ns]")
    assert f.submitted.isna().sum() == (len(rows) - 1 + 1) // 2  # every even row: unknown
    assert P000.report(f, "2021-12-31") == P000.report(path, "2021-12-31")


def test_rejects_frame_masks_fields():
    bad = ROSTER.read_bytes().replace(b"p04,500115197301012065,", b"p04,500115197301012066,")
    frame, rejects = canbao.read_roster(bad, P004, "2023-06-30", rejects=True)
    assert len(frame) == 29 and "p04" not in set(frame.id)
    assert list(rejects.columns[:3]) == ["line", "column", "reason"]
    assert (rejects.line[0], rejects.column[0], rejects.id[0]) == (5, 2, "p04")
    assert rejects.id_number[0] == "500115********2066"
    assert not WHOLE_ID.search(rejects.to_csv())


def test_as_of_none_has_no_born_after_check():
    # p14 was born 2010-03-03: as of 2000 that is after the day, an error; without as_of, read.
    with pytest.raises(canbao.InputError, match="after"):
        canbao.read_roster(ROSTER, P004, "2000-01-01")
    assert len(canbao.read_roster(ROSTER)) == 30


def test_declared_facts_columns():
    f = canbao.read_roster(FACTS_ROSTER, FACTS_POLICY, "2023-06-30")
    assert f.prior_contribution_years.dtype == np.int32 and f.veteran.dtype == bool
    assert list(f.retirement_category.cat.categories) == \
        [v[0] for v in next(x for x in FACTS_POLICY.facts if x["id"] == "retirement_category")["values"]]
    assert f.expropriated_on.dtype == np.dtype("datetime64[ns]")
    w = f.set_index("id")
    # w2's retirement_category is empty: the default, cadre. w4 newly expropriated 2023-01-01.
    assert (w.at["w1", "retirement_category"], w.at["w2", "retirement_category"]) == ("worker", "cadre")
    assert w.at["w3", "prior_contribution_years"] == 15
    assert w.at["w4", "expropriated_on"] == pd.Timestamp("2023-01-01")
    assert f.attrs["extra_columns"] == ["note"]


def test_excel_roster_through_read_excel(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    import csv
    import datetime
    with open(ROSTER, encoding="utf-8", newline="") as fh:
        head, *body = list(csv.reader(fh))
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(head)
    for r in body:
        row = dict(zip(head, r))
        cells = []
        for h in head:
            v = row[h]  # text: ID numbers are text cells
            if h == "birth_date" and v:
                v = datetime.datetime.strptime(v, "%Y-%m-%d")  # a real date cell
            elif h == "resident_grade_yuan" and v:
                v = int(v)
            elif h == "hukou_local":
                v = v == "true"  # a boolean cell
            elif v == "":
                v = None  # an empty cell (the grade, flags)
            cells.append(v)
        ws.append(cells)
    path = tmp_path / "roster.xlsx"
    wb.save(path)
    df = pd.read_excel(path)
    assert df.birth_date.dtype == np.dtype("datetime64[ns]") and df.resident_grade_yuan.dtype == float
    got = canbao.read_roster(df, P004, "2023-06-30")
    want = canbao.read_roster(ROSTER, P004, "2023-06-30")
    pd.testing.assert_frame_equal(got, want)
    assert got.attrs["source"] == "<DataFrame>" and want.attrs["source"] == str(ROSTER)


def test_frame_errors_name_row_and_column():
    df = pd.read_csv(ROSTER, dtype=str, keep_default_na=False, index_col=None)
    df.loc[6, "insurance_status"] = "unknown_status"
    with pytest.raises(canbao.InputError) as e:
        canbao.read_roster(df, P004, "2023-06-30")
    assert e.value.path == "roster.insurance_status[6]" and e.value.row == 6
    with pytest.raises(canbao.InputError) as e:
        P004.unit_counts(df, "2023-06-30")
    assert e.value.path == "roster.insurance_status[6]"


def _analyst_frame():
    # As an analyst holds it: pandas' own types (NaN in the grade, bools).
    return pd.read_csv(ROSTER, dtype={"id_number": str})


@pytest.mark.parametrize("make", [_analyst_frame, lambda: canbao.read_roster(ROSTER, P004, "2023-06-30")])
def test_roster_frames_wherever_a_path_is(make):
    frame = make()
    day = "2023-06-30"
    assert P004.unit_counts(frame, day) == P004.unit_counts(ROSTER, day)
    assert P004.costs(day, roster=frame) == P004.costs(day, roster=ROSTER)
    # The patch raises 004's age limits from 44 (men) / 39 (women) to 49 / 44: p02 (female,
    # 41 on 2023-06-30) and p08 (male, 45) move from resident to employee; nobody else.
    reform = P004.reform(SOURCE / "examples" / "patches" / "004-age-rule-50-45.json")
    got = canbao.compare(P004, reform, roster=frame, as_of=day)
    want = canbao.compare(P004, reform, roster=ROSTER, as_of=day)
    if "id_number" not in frame.columns:  # a read_roster frame: no ID number to mask
        assert set(got["samples"].pop("id_number_masked")) <= {""}
        want["samples"].pop("id_number_masked")
    assert got == want and got["samples"]["row_id"] == ["p02", "p08"]


def test_declared_facts_frame_wherever_a_path_is():
    day = "2023-06-30"
    for frame in (pd.read_csv(FACTS_ROSTER, dtype={"id_number": str}),
                  canbao.read_roster(FACTS_ROSTER, FACTS_POLICY, day)):
        got = canbao.compare(FACTS_POLICY, FACTS_POLICY, roster=frame, as_of=day)
        want = canbao.compare(FACTS_POLICY, FACTS_POLICY, roster=FACTS_ROSTER, as_of=day)
        got["samples"].pop("id_number_masked")
        want["samples"].pop("id_number_masked")
        assert got == want


def test_tsv_bad_byte_names_its_column(tmp_path):
    # Column 3 of line 2 holds 0xFF after a comma in column 2: the table readers' own
    # check counts tabs and names 2:3 (counting commas gave 2:2).
    path = tmp_path / "roster.tsv"
    path.write_bytes(b"id\tid_number\tname\n"
                     b"p1\ta,b\tab\xffc\n")
    with pytest.raises(canbao.InputError) as e:
        P004.unit_counts(path, "2023-06-30")
    assert (e.value.line, e.value.column) == (2, 3) and e.value.path == f"{path}:2:3"
    assert "not valid UTF-8 (byte 0xFF)" in str(e.value)
