"""Per-unit roster counts from Python (Policy.unit_counts, docs/roster.md#counts-by-unit):
the hand answers of tests/unit/test_unit_counts.cpp, from a CSV path and from a DataFrame,
agree with the CLI's --by-unit JSON; an unknown unit names its line and column."""

import json
import os
import subprocess

import pandas as pd
import pytest

import canbao

# 004's age rule: a (man, 43) -> employee; b (woman, 63, uninsured local) -> resident with
# back pay; c (woman, 48) -> resident; d (man, 32, no unit) -> employee.
ROSTER = (
    "id,id_number,name,sex,birth_date,hukou_local,insurance_status,employment,"
    "resident_grade_yuan,flags,unit_id\n"
    "a,,甲,male,1980-03-01,true,none,farmer,,,village-a\n"
    "b,,乙,female,1960-01-01,true,none,farmer,,,village-a\n"
    "c,,丙,female,1975-05-05,true,none,farmer,,,village-b\n"
    "d,,丁,male,1990-07-01,true,none,farmer,,,\n")


def by_id(answer):
    return {u["unit_id"]: u for u in answer["units"]}


def check(answer):
    units = by_id(answer)
    assert answer["persons"] == 4
    a = units["village-a"]
    assert (a["persons"], a["own_persons"]) == (2, 2)
    assert a["schemes"] == {"employee": 1, "resident": 1, "none": 0}
    assert a["actions"]["back_pay"] == 1
    assert a["insurance_status"]["none"] == 2
    assert units["shiyan"]["persons"] == 3 and units["shiyan"]["own_persons"] == 0
    assert units["village-c"]["persons"] == 0
    assert answer["unlinked"]["persons"] == 1
    assert answer["unlinked"]["schemes"]["employee"] == 1


def test_from_a_csv_path_and_a_dataframe(policy_004, tmp_path):
    path = tmp_path / "r.csv"
    path.write_text(ROSTER, encoding="utf-8")
    from_path = policy_004.unit_counts(path, "2023-06-30")
    check(from_path)
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    assert policy_004.unit_counts(frame, "2023-06-30") == from_path


def test_agrees_with_the_cli(policy_004, tmp_path, examples):
    path = tmp_path / "r.csv"
    path.write_text(ROSTER, encoding="utf-8")
    cli = subprocess.run([os.environ.get("CANBAO_CLI", "build/canbao"), "recommend",
                          str(examples / "policies" / "004-shiyan-2023.json"), "--roster", str(path),
                          "--as-of", "2023-06-30", "--by-unit", "--format", "json"],
                         capture_output=True, text=True, check=True)
    assert json.loads(cli.stdout) == policy_004.unit_counts(path, "2023-06-30")


def test_an_unknown_unit_names_its_place(policy_004, tmp_path):
    path = tmp_path / "r.csv"
    path.write_text(ROSTER + "e,,戊,male,1990-07-01,true,none,farmer,,,nowhere\n", encoding="utf-8")
    with pytest.raises(canbao.InputError) as e:
        policy_004.unit_counts(path, "2023-06-30")
    assert e.value.path == f"{path}:6:11"
    assert 'unknown unit "nowhere"' in str(e.value)
    with pytest.raises(canbao.ArgumentError):
        policy_004.unit_counts(42, "2023-06-30")
