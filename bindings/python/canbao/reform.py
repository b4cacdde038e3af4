"""Base-versus-reform comparison for analysts (docs/reforms.md).

>>> import canbao
>>> base = canbao.Policy.from_file("examples/policies/000-xx-town-2021.json")
>>> t = canbao.compare(base, patch="examples/patches/000-second-tier-90.merge.json",
...                    progress="examples/progress/000-xx-town-2021.csv", as_of="2021-12-31")
>>> t["totals"]["delta_fen"]
[14860]

Every table is a dict of equal-length lists, ready for ``pandas.DataFrame(t["payouts"])``.
The work is one ``compare`` request to the C++ core (the same as ``canbao diff``).
"""

from __future__ import annotations

import json as _json
import os as _os
from typing import Any, Dict, List, Optional

from ._api import Policy, _iso, _progress_fields, _read_text
from ._errors import ArgumentError, PolicyError
from ._readers import _call_with_frame, _roster_fields
from ._frames import result as _result

__all__ = ["compare"]


def _no_duplicates(pairs: List[Any]) -> Dict[str, Any]:
    seen: Dict[str, Any] = {}
    for key, value in pairs:
        if key in seen:
            raise PolicyError(f"{key!r}: duplicate key", str(key), "duplicate key")
        seen[key] = value
    return seen


def _strict_json(text: str, source: str) -> Any:
    """JSON text read as strictly as the core reads it: duplicate keys and deep nesting are errors."""
    try:
        return _json.loads(text, object_pairs_hook=_no_duplicates)
    except PolicyError as e:
        raise PolicyError(f"{source}: {e.path}: duplicate key", source, f"{e.path}: duplicate key") from None
    except RecursionError:
        raise PolicyError(f"{source}: nested too deeply", source, "nested too deeply") from None
    except ValueError as e:
        raise PolicyError(f"{source}: not valid JSON: {e}", source, f"not valid JSON: {e}") from None


def _columns(rows: List[Dict[str, Any]], keys: List[str]) -> Dict[str, List[Any]]:
    return {k: [r[k] for r in rows] for k in keys}


def compare(base: Policy, reform: Optional[Policy] = None, *, patch: Any = None, roster: Any = None,
            progress: Any = None, as_of: Any, samples: int = 10, as_frame: bool = False) -> Any:
    """Compares ``base`` with ``reform`` (a Policy) or ``patch`` (a merge-patch dict, a
    JSON Patch list, or a path to either) on a roster (a CSV path, a DataFrame, or a
    :func:`canbao.read_roster` frame) and/or progress.

    Returns ``{"base_fingerprint", "reform_fingerprint", "provenance", "totals",
    "payouts", "transitions", "samples", "scores", "milestones"}``; tables are
    dicts of lists (empty lists when that part was not compared), in a
    :class:`canbao.Result` whose ``fingerprint`` is the base's. ``as_frame=True``
    gives a dict of DataFrames, one per table (``totals``, ``payouts`` and ``scores``
    indexed by ``unit_id``, ``transitions``, ``samples``, ``milestones``), each with
    ``attrs`` base_fingerprint, reform_fingerprint and provenance.
    """
    if (reform is None) == (patch is None):
        raise ArgumentError("reform: give exactly one of reform, patch", "reform", "give exactly one of reform, patch")
    request: Dict[str, Any] = {"op": "compare", "as_of": _iso(as_of, "as_of"), "samples": samples}
    if reform is not None:
        request["reform"] = _json.loads(reform.to_json())
    elif isinstance(patch, (str, _os.PathLike)):
        request["patch"] = _strict_json(_read_text(patch, "patch"), _os.fspath(patch))
    else:
        request["patch"] = patch
    if roster is not None:
        request.update(_roster_fields(roster, base))
    if progress is not None:
        request.update(_progress_fields(progress))
    r = _call_with_frame(roster, base, lambda: base.call(request))
    pay = r["payouts"] or {"units": [], "total_before_fen": 0, "total_after_fen": 0, "total_delta_fen": 0}
    people = r["people"] or {"transitions": [], "samples": []}
    samples_rows = [{"row_id": s["row_id"], "id_number_masked": s["id_number_masked"], "sex": s["sex"],
                     "age": s["age"], "scheme_before": s["before"]["scheme"], "actions_before": s["before"]["actions"],
                     "scheme_after": s["after"]["scheme"], "actions_after": s["after"]["actions"]}
                    for s in people["samples"]]
    return _result("compare", {
        "base_fingerprint": r["base_fingerprint"],
        "reform_fingerprint": r["reform_fingerprint"],
        "provenance": r["reform_provenance"],
        "totals": {"before_fen": [pay["total_before_fen"]], "after_fen": [pay["total_after_fen"]],
                   "delta_fen": [pay["total_delta_fen"]]},
        "payouts": _columns(pay["units"], ["unit_id", "name", "completed_before", "completed_after", "tier_before",
                                           "tier_after", "before_fen", "after_fen", "delta_fen"]),
        "transitions": _columns(people["transitions"], ["scheme_before", "actions_before", "scheme_after",
                                                        "actions_after", "changed", "count"]),
        "samples": _columns(samples_rows, ["row_id", "id_number_masked", "sex", "age", "scheme_before",
                                           "actions_before", "scheme_after", "actions_after"]),
        "scores": _columns((r["scores"] or {"units": []})["units"],
                           ["unit_id", "points_before", "points_after", "rank_before", "rank_after",
                            "grade_before", "grade_after", "changed"]),
        "milestones": _columns(r["milestones"] or [], ["change", "milestone_id", "unit_id", "before", "after"]),
    }, base.fingerprint, as_frame)
