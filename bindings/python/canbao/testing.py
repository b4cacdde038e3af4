"""Policy test cases for pytest (docs/policy-tests.md): the same case files as
``canbao test``, checked in Python against the Python module's own answers.

    import pytest
    from canbao.testing import load_cases, check_case

    @pytest.mark.parametrize("policy_path, case", load_cases("examples/cases/000-xx-town-2021.cases.json"))
    def test_case(policy_path, case):
        check_case(policy_path, case)
"""

from __future__ import annotations

import json
import os
from typing import Any, Dict, List, Tuple

__all__ = ["load_cases", "check_case", "mismatches"]


def _no_duplicate_keys(pairs: List[Tuple[str, Any]]) -> Dict[str, Any]:
    """Case files are read as strictly as ``canbao test`` reads them: a key given twice is an error."""
    out: Dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise ValueError(f"{key!r}: duplicate key")
        out[key] = value
    return out


def load_cases(path: str) -> List[Any]:
    """One ``pytest.param(policy_path, case, id=name)`` per case of the file.
    ``progress_file`` and ``policy`` are resolved against the file's folder; a
    progress file is read here (the core never opens files a request names) and
    its text goes into the request as ``progress_csv``."""
    import pytest

    folder = os.path.dirname(os.path.abspath(path))
    with open(path, encoding="utf-8") as f:
        doc = json.load(f, object_pairs_hook=_no_duplicate_keys)
    policy = os.path.join(folder, doc["policy"]) if "policy" in doc else None
    params = []
    for i, case in enumerate(doc["cases"]):
        case = dict(case)
        if "progress_file" in case:
            csv_path = os.path.join(folder, case.pop("progress_file"))
            with open(csv_path, encoding="utf-8", newline="") as f:
                case["progress_csv"] = f.read()
            case["progress_csv_name"] = csv_path
        params.append(pytest.param(policy, case, id=f"{os.path.basename(path)}:{i}:{case['name']}"))
    return params


def _request(case: Dict[str, Any]) -> Tuple[str, Dict[str, Any]]:
    if "person" in case:
        return "recommend", {"op": "recommend", "as_of": case["as_of"], "person": case["person"]}
    if "date" in case:
        return "phases_on", {"op": "phases_on", "date": case["date"]}
    req = {"op": "report", "as_of": case["as_of"]}
    for key in ("progress", "progress_csv", "progress_csv_name"):
        if key in case:
            req[key] = case[key]
    return "report", req


def _by(rows: Any, key: str, value: str) -> Any:
    return next((r for r in rows or [] if r.get(key) == value), None)


def mismatches(op: str, expect: Dict[str, Any], got: Any) -> List[str]:
    """'path: expected X, got Y' lines, as ``canbao test`` prints them."""
    out: List[str] = []

    def eq(path: str, e: Any, g: Any) -> None:
        if e != g:
            out.append(f"{path}: expected {json.dumps(e, ensure_ascii=False)}, got {json.dumps(g, ensure_ascii=False)}")

    if op == "recommend":
        for k in ("scheme",):
            if k in expect:
                eq(k, expect[k], got[k])
        for k in ("actions", "groups"):
            if k in expect:
                eq(k, sorted(expect[k]), sorted(got[k]))
        if "age" in expect:
            eq("age", expect["age"], got["facts"]["age"])
    elif op == "phases_on":
        eq("phases", expect["phases"], [p["id"] for p in got])
    else:
        wf = got["work_fund"] or {}
        if "total_fen" in expect:
            eq("total_fen", expect["total_fen"], wf.get("total_fen"))
        for unit, e in expect.get("payouts", {}).items():
            p = _by(wf.get("payouts"), "unit_id", unit) or {}
            # Tiers count from 1 in cases and responses alike (tier 2 = the second deadline).
            for k, v in e.items():
                eq(f"payouts.{unit}.{k}", v, p.get(k))
        for unit, e in expect.get("completed_on", {}).items():
            eq(f"completed_on.{unit}", e, (_by(got["completions"], "unit_id", unit) or {}).get("completed_on"))
        units = (got["scores"] or {}).get("units")
        for key, field in (("ranks", "rank"), ("grades", "grade"), ("points", "points"),
                           ("eligible_for_awards", "eligible_for_awards")):
            for unit, e in expect.get(key, {}).items():
                eq(f"{key}.{unit}", e, (_by(units, "unit_id", unit) or {}).get(field))
        for mid, per_unit in expect.get("milestones", {}).items():
            m = _by(got["milestones"], "id", mid) or {}
            for unit, e in per_unit.items():
                eq(f"milestones.{mid}.{unit}", e, (_by(m.get("units"), "unit_id", unit) or {}).get("status"))
    return out


def check_case(policy: Any, case: Dict[str, Any]) -> None:
    """Runs one case on ``policy`` (a canbao.Policy or a path); AssertionError
    listing every expected-versus-got difference."""
    import canbao

    if not isinstance(policy, canbao.Policy):
        policy = canbao.Policy.from_file(policy)
    op, request = _request(case)
    diffs = mismatches(op, case["expect"], policy.call(request))
    assert not diffs, f"case {case['name']!r}:\n  " + "\n  ".join(diffs)
