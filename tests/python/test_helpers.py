import json
import os
import subprocess

import pytest

import canbao

CLI = os.environ.get("CANBAO_CLI", "")
needs_cli = pytest.mark.skipif(not CLI, reason="CANBAO_CLI not set (set by ctest)")


def test_retirement_boundaries_from_the_official_table():
    # 附件1: men born 1965-01 retire at 60y1m in 2025-02; 1976-09 and later at 63.
    first = canbao.retirement("male", "1965-01-20")
    assert first["statutory_age"] == {"years": 60, "months": 1}
    assert first["retirement_month"] == "2025-02"
    assert canbao.retirement("male", "1976-09")["statutory_age"] == {"years": 63, "months": 0}
    assert canbao.retirement("male", "1964-12")["delay_months"] == 0
    # Women originally 50: one month per two months from 1975-01, capped at 55.
    assert canbao.retirement("female", "1975-02", original_age=50)["statutory_age"] == {"years": 50, "months": 1}
    assert canbao.retirement("female", "1990-01", original_age=50)["statutory_age"] == {"years": 55, "months": 0}


def test_retirement_rejects_an_impossible_category():
    with pytest.raises(canbao.ArgumentError) as info:
        canbao.retirement("male", "1970-01", original_age=55)
    assert info.value.path == "original_age"
    with pytest.raises(canbao.InputError) as info:
        canbao.retirement("man", "1970-01")
    assert info.value.path == "request.sex"


@needs_cli
@pytest.mark.parametrize("sex,birth,original", [("male", "1970-05", None), ("female", "1975-03", None),
                                                ("female", "1980-07", 50)])
def test_retirement_agrees_with_the_cli(sex, birth, original):
    args = [CLI, "retirement", "--sex", sex, "--birth", birth, "--format", "json"]
    if original:
        args += ["--original-age", str(original)]
    cli = json.loads(subprocess.run(args, check=True, capture_output=True, text=True).stdout)
    py = canbao.retirement(sex, birth, original)
    assert py["statutory_age"] == cli["statutory_age"]
    for key in ("retirement_month", "retirement_date", "delay_months", "minimum_contribution_months"):
        assert py[key] == cli[key], key
    assert py["earliest_month"] == cli["flexible_earliest"]["month"]
    assert py["latest_month"] == cli["flexible_latest"]["month"]


def test_parse_id_never_gives_enough_to_spell_the_number():
    number = "11010519491231002X"  # GB 11643-1999's example
    result = canbao.parse_id(number)
    assert result == {"region_code": "110105", "birth_date": "1949-12-31", "sex": "female"}
    # masked form + birth date would be the whole number: the sequence digits stay hidden
    assert "002" not in json.dumps(result)


def test_invalid_id_error_never_shows_the_number():
    number = "110105194912310021"  # wrong check character
    with pytest.raises(canbao.InputError) as info:
        canbao.parse_id(number)
    assert info.value.path == "request.number"
    assert number not in str(info.value)
    assert "check" in str(info.value)


def roster_person(row):
    person = {"hukou_local": row["hukou_local"] == "true", "insurance_status": row["insurance_status"],
              "employment": row["employment"]}
    if row["sex"]:
        person["sex"] = row["sex"]
    if row["birth_date"]:
        person["birth_date"] = row["birth_date"]
    if row["id_number"]:
        person["id_number"] = row["id_number"]
    if row["resident_grade_yuan"]:
        person["resident_grade_yuan"] = int(row["resident_grade_yuan"])
    if row["flags"]:
        person["flags"] = row["flags"].split(";")
    return person


@needs_cli
def test_recommend_agrees_with_the_cli_on_the_004_roster(examples, policy_004):
    import csv

    roster = examples / "rosters" / "004-sample.csv"
    policy = examples / "policies" / "004-shiyan-2023.json"
    done = subprocess.run([CLI, "recommend", str(policy), "--roster", str(roster), "--as-of", "2023-06-30",
                           "--format", "json", "--reasons", "text"], check=True, capture_output=True, text=True)
    cli = json.loads(done.stdout)
    with open(roster, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == len(cli) > 20
    for row, expected in zip(rows, cli):
        got = policy_004.recommend(roster_person(row), as_of="2023-06-30")
        assert (got["scheme"], got["actions"], got["groups"], got["facts"]["age"]) == (
            expected["scheme"], expected["actions"], expected["groups"], expected["age"]), row["id"]
        assert got["reason_zh"] == expected["reason"]
