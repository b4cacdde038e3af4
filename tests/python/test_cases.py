"""The shared conformance case files (examples/cases/*.cases.json, also run by
`canbao test` in C++) through the Python methods: the same inputs must give
the expected outputs here too."""
import json
import pathlib

import pytest

import canbao

CASES_DIR = pathlib.Path(__file__).resolve().parents[2] / "examples" / "cases"


def load_cases():
    params = []
    for path in sorted(CASES_DIR.glob("*.cases.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        for case in doc["cases"]:
            params.append(pytest.param(path, doc["policy"], case, id=f"{path.stem}: {case['name'][:60]}"))
    return params


_policies = {}


def policy_for(case_file, relative):
    key = (case_file.parent / relative).resolve()
    if key not in _policies:
        _policies[key] = canbao.Policy.from_file(key)
    return _policies[key]


def by(items, key):
    return {item[key]: item for item in items}


def check_progress(expect, report):
    if "total_fen" in expect:
        assert report["work_fund"]["total_fen"] == expect["total_fen"]
    payouts = by(report["work_fund"]["payouts"], "unit_id") if "payouts" in expect else {}
    for unit, e in expect.get("payouts", {}).items():
        got = dict(payouts[unit])
        assert {k: got[k] for k in e} == e, unit
    completions = by(report["completions"], "unit_id")
    for unit, day in expect.get("completed_on", {}).items():
        assert completions[unit]["completed_on"] == day, unit
    scores = by(report["scores"]["units"], "unit_id") if report["scores"] else {}
    for key, field in (("ranks", "rank"), ("grades", "grade"), ("points", "points"),
                       ("eligible_for_awards", "eligible_for_awards")):
        for unit, e in expect.get(key, {}).items():
            assert scores[unit][field] == e, f"{key}.{unit}"
    milestones = by(report["milestones"], "id")
    for mid, units in expect.get("milestones", {}).items():
        got = by(milestones[mid]["units"], "unit_id")
        for unit, status in units.items():
            assert got[unit]["status"] == status, f"{mid}.{unit}"


@pytest.mark.parametrize("case_file,policy_path,case", load_cases())
def test_case(case_file, policy_path, case):
    policy = policy_for(case_file, policy_path)
    expect = case["expect"]
    if "person" in case:
        got = policy.recommend(case["person"], case["as_of"])
        assert got["scheme"] == expect.get("scheme", got["scheme"])
        assert sorted(got["actions"]) == sorted(expect.get("actions", got["actions"]))
        assert sorted(got["groups"]) == sorted(expect.get("groups", got["groups"]))
        assert got["facts"]["age"] == expect.get("age", got["facts"]["age"])
    elif "date" in case:
        assert [p["id"] for p in policy.phases_on(case["date"])] == expect["phases"]
    else:
        if "progress_file" in case:
            progress = case_file.parent / case["progress_file"]
        else:
            progress = case["progress"]
        check_progress(expect, policy.report(progress, case["as_of"]))


def test_every_case_file_is_covered():
    assert len(load_cases()) >= 20
