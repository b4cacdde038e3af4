"""The Python package takes its name tables, batch defaults, date rule, case
checker and error places from the C++ core, not from copies of its own
(issue 10 item 5)."""
import datetime

import numpy as np
import pytest

import canbao
from canbao import _core
from canbao.testing import mismatches


def test_name_tables_are_the_cores_and_match_the_one_person_answers(policy_004):
    assert canbao.SCHEMES is _core.SCHEMES and canbao.FLAGS is _core.FLAGS
    assert canbao.SCHEMES == ("none", "employee", "resident")
    assert _core.SEXES == ("male", "female")
    assert len(canbao.INSURANCE_STATUSES) == 7 and canbao.INSURANCE_STATUSES[-1] == "receiving_pension"
    assert canbao.EMPLOYMENTS[-1] == "other" and canbao.FLAGS[0] == "dibao"
    # Every employment name round-trips through the one-person path: the core knows it.
    for name in canbao.EMPLOYMENTS:
        r = policy_004.recommend({"sex": "male", "birth_date": "1980-01-01", "employment": name}, "2023-06-30")
        assert r["scheme"] in canbao.SCHEMES


def test_left_out_columns_take_the_one_person_defaults(policy_004):
    assert _core.BATCH_DEFAULTS == {"hukou_local": 0, "insurance_status": 0,
                                    "employment": canbao.EMPLOYMENTS.index("other"),
                                    "resident_grade_yuan": 0, "flags": 0}
    births = ["1950-03-01", "1980-01-01", "1990-07-15", "2001-12-31"]
    batch = policy_004.recommend_batch({"sex": ["male", "female", "male", "female"], "birth_date": births},
                                       "2023-06-30")
    for i, b in enumerate(births):
        one = policy_004.recommend({"sex": ["male", "female"][i % 2], "birth_date": b}, "2023-06-30")
        assert canbao.SCHEMES[batch["scheme"][i]] == one["scheme"]


@pytest.mark.parametrize("text", ["20230630", "2023-6-30", "2023-06", "2023-06-31", "1899-12-31"])
def test_batch_as_of_follows_the_rule_of_every_other_door(policy_004, text):
    with pytest.raises(canbao.InputError) as batch_error:
        policy_004.recommend_batch({"sex": [0], "birth_day": [3650]}, text)
    with pytest.raises(canbao.InputError) as one_error:
        policy_004.recommend({"sex": "male", "birth_date": "1980-01-01"}, text)
    assert batch_error.value.message == one_error.value.message


@pytest.mark.parametrize("text", ["20230630", "2023-06", "1980-02-30"])
def test_batch_birth_date_text_is_parsed_by_the_core(policy_004, text):
    with pytest.raises(canbao.InputError) as info:
        policy_004.recommend_batch({"sex": ["male", "male"], "birth_date": ["1980-01-01", text]}, "2023-06-30")
    assert info.value.path == "columns.birth_date[1]"
    assert info.value.row == 1


def test_batch_error_carries_its_row(policy_004):
    days = np.full(40, (datetime.date(1980, 1, 1) - datetime.date(1970, 1, 1)).days, dtype=np.int32)
    employment = np.full(40, 4, dtype=np.uint8)
    employment[33] = 200
    with pytest.raises(canbao.InputError) as info:
        policy_004.recommend_batch({"sex": np.zeros(40, np.uint8), "birth_day": days, "employment": employment},
                                   "2023-06-30")
    assert (info.value.path, info.value.row, info.value.line) == ("columns.employment[33]", 33, None)


def test_csv_error_carries_line_and_column(policy_004, tmp_path):
    roster = tmp_path / "r.csv"
    roster.write_text("id,id_number,name,sex,birth_date,hukou_local,insurance_status,employment,"
                      "resident_grade_yuan,flags\na,,A,male,1980-01-01,true,none,farmer,,\n"
                      "b,,B,male,1980-01-01,maybe,none,farmer,,\n", encoding="utf-8")
    with pytest.raises(canbao.InputError) as info:
        policy_004.call({"op": "compare", "as_of": "2023-06-30", "patch": {},
                         "roster_csv": roster.read_text(encoding="utf-8"), "roster_csv_name": "r.csv"})
    assert (info.value.line, info.value.column, info.value.row) == (3, 6, None)
    assert info.value.path == "r.csv:3:6"


def test_case_checker_is_the_cores():
    assert mismatches("phases_on", {"phases": ["x"]}, []) == ['phases: expected ["x"], got []']
    assert mismatches("recommend", {"scheme": "resident", "actions": ["back_pay", "enroll_resident"]},
                      {"scheme": "resident", "actions": ["enroll_resident", "back_pay"], "groups": [],
                       "facts": {"age": 60}}) == []


def test_missing_birth_date_text_names_its_row(policy_004):
    with pytest.raises(canbao.InputError) as info:
        policy_004.recommend_batch({"sex": ["male"] * 3,
                                    "birth_date": np.array(["1980-01-01", "x", None], dtype=object)},
                                   "2023-06-30")
    assert (info.value.path, info.value.message, info.value.row) == ("columns.birth_date[2]", "missing date", 2)
