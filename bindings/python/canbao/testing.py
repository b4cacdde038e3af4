"""Policy test cases for pytest (docs/policy-tests.md): the same case files as
``canbao test``, read and checked by the same C++ code (``canbao::parse_case_file``
and ``canbao::check_expectations``), so a case passes in pytest exactly when it
passes in ``canbao test``.

    import pytest
    from canbao.testing import load_cases, check_case

    @pytest.mark.parametrize("policy_path, case", load_cases("examples/cases/000-xx-town-2021.cases.json"))
    def test_case(policy_path, case):
        check_case(policy_path, case)
"""

from __future__ import annotations

import json
import os
from typing import Any, Dict, List

from . import _core

__all__ = ["load_cases", "check_case", "mismatches"]

_SCHEMA = "canbao.cases/1"


def _read(path: str) -> str:
    with open(path, encoding="utf-8", newline="") as f:
        return f.read()


def _with_progress_text(request: Dict[str, Any]) -> Dict[str, Any]:
    """A case's ``progress_file`` (already resolved against its file's folder) is
    read here, as ``canbao test`` does: the core never opens files a request names."""
    if "progress_file" in request:
        path = request.pop("progress_file")
        request["progress_csv"] = _read(path)
        request["progress_csv_name"] = path
    return request


def load_cases(path: str) -> List[Any]:
    """One ``pytest.param(policy_path, case, id=name)`` per case of the file,
    validated as ``canbao test`` validates it (an unknown or duplicate key is a
    :class:`canbao.InputError` naming its path). ``policy`` and ``progress_file``
    are resolved against the file's folder; a progress file is read here."""
    import pytest

    folder = os.path.dirname(os.path.abspath(path))
    parsed = _core.parse_case_file(_read(path), path, folder)
    params = []
    for i, c in enumerate(parsed["cases"]):
        case = {"name": c["name"], "path": c["path"],
                "request": _with_progress_text(json.loads(c["request"])),
                "expect": json.loads(c["expect"])}
        params.append(pytest.param(parsed["policy"], case, id=f"{os.path.basename(path)}:{i}:{c['name']}"))
    return params


def _prepared(case: Dict[str, Any]) -> Dict[str, Any]:
    """A case from load_cases, or one written as in a case file
    ({"name", "as_of", "person" | "progress" | "date", "expect"}): validated by the core."""
    if "request" in case:
        return case
    doc = json.dumps({"schema": _SCHEMA, "cases": [case]}, ensure_ascii=False)
    c = _core.parse_case_file(doc, "case", "")["cases"][0]
    return {"name": c["name"], "request": _with_progress_text(json.loads(c["request"])),
            "expect": json.loads(c["expect"])}


def mismatches(op: str, expect: Dict[str, Any], got: Any) -> List[str]:
    """'path: expected X, got Y' lines for the expectations of an ``op``
    ("recommend", "report" or "phases_on") that ``got`` (its response) does not meet."""
    return [f"{path}: expected {e}, got {g}" for path, e, g in
            _core.check_expectations(op, json.dumps(expect, ensure_ascii=False),
                                     json.dumps(got, ensure_ascii=False))]


def check_case(policy: Any, case: Dict[str, Any]) -> None:
    """Runs one case on ``policy`` (a canbao.Policy or a path); AssertionError
    listing every expected-versus-got difference."""
    import canbao

    if not isinstance(policy, canbao.Policy):
        policy = canbao.Policy.from_file(policy)
    case = _prepared(case)
    request = case["request"]
    diffs = mismatches(request["op"], case["expect"], policy.call(request))
    assert not diffs, f"case {case['name']!r}:\n  " + "\n  ".join(diffs)
