"""Results as pandas DataFrames (``as_frame=True``) and the :class:`Result` wrapper.

Every evaluation answers a small JSON document (one entry per unit, milestone or
payer, never per person of a roster except ``costs``' persons), so the tables are
built here from its rows. Typing rules, the same for every table:

* integers stay exact ``int64`` (money is integer fen: ``*_fen`` columns), or
  pandas ``Int64`` when a cell may be empty (``tier`` of a late unit);
* ISO days (``as_of``, ``date``, ``deadline``, ``due``, ``*_on``, ...) become
  ``datetime64[ns]`` (NaT where the JSON has null);
* exact decimals (``value``, ``target``, ``completion``, ``points``) stay text,
  as the core gives them: ``pandas.to_numeric`` when a float will do;
* a nested object becomes dotted columns (``schemes.employee``); a list stays a
  cell.
"""

from __future__ import annotations

import re
from typing import Any, Dict, List, Mapping, Optional

__all__ = ["Result", "ResultList", "result", "to_frame", "FRAME_KEYS"]

# The tables of each answer with several (as_frame=True gives a dict with these keys).
FRAME_KEYS: Dict[str, tuple] = {
    "report": ("summary", "phases", "completions", "deadlines", "late_reports", "milestones", "work_fund",
               "scores", "action", "action_targets", "projected_milestones", "projected_work_fund",
               "segments"),
    "projections": ("summary", "milestones", "work_fund"),
    "costs": ("summary", "payers", "incentives", "work_fund", "persons"),
    "unit_counts": ("units", "unlinked"),
    "compare": ("totals", "payouts", "transitions", "samples", "scores", "milestones"),
}

_ISO_DAY = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_DATE_NAMES = {"as_of", "date", "due", "start", "end", "last_observed", "next_milestone", "submitted"}


def _is_date_name(name: str) -> bool:
    last = name.rsplit(".", 1)[-1]
    return last in _DATE_NAMES or last.endswith(("_on", "_date", "_until", "deadline"))


def _flatten(row: Mapping[str, Any], prefix: str = "") -> Dict[str, Any]:
    out: Dict[str, Any] = {}
    for key, value in row.items():
        name = prefix + str(key)
        if isinstance(value, Mapping):
            out.update(_flatten(value, name + "."))
        else:
            out[name] = value
    return out


def _series(name: str, values: List[Any]) -> Any:
    """One column, typed by the rules of the module docstring (never through float)."""
    import pandas as pd

    present = [v for v in values if v is not None]
    whole = len(present) == len(values)
    if not present and values:  # all empty: typed by name, so frames of several days concatenate
        if _is_date_name(name):
            return pd.Series(values, dtype="datetime64[ns]")
        if name.endswith("_fen"):
            return pd.Series(values, dtype="Int64")
    if present and all(isinstance(v, bool) for v in present):
        return pd.Series(values, dtype=bool if whole else "boolean")
    if present and all(isinstance(v, int) and not isinstance(v, bool) for v in present):
        return pd.Series(values, dtype="int64" if whole else "Int64")
    if present and _is_date_name(name) and all(isinstance(v, str) and _ISO_DAY.match(v) for v in present):
        return pd.to_datetime(pd.Series(values, dtype=object), format="%Y-%m-%d")
    return pd.Series(values, dtype=object)


def _frame(rows: List[Mapping[str, Any]], index: Optional[str] = None,
           attrs: Optional[Mapping[str, Any]] = None, columns: List[str] = ()) -> Any:  # type: ignore[assignment]
    """A DataFrame of JSON rows (one row each), indexed by ``index`` when given;
    ``columns`` names the columns of an empty table."""
    import pandas as pd

    flat = [_flatten(r) for r in rows]
    names: Dict[str, None] = {} if flat else dict.fromkeys(columns)
    for r in flat:
        names.update(dict.fromkeys(r))
    frame = pd.DataFrame({k: _series(k, [r.get(k) for r in flat]) for k in names}, index=pd.RangeIndex(len(flat)))
    if index is not None:
        if index not in frame.columns:  # no rows: still the documented index
            frame[index] = pd.Series([], dtype=object)
        frame = frame.set_index(index)
    frame.attrs.update(attrs or {})
    return frame


def _columns_frame(table: Mapping[str, List[Any]], index: Optional[str], attrs: Mapping[str, Any]) -> Any:
    """A DataFrame of a dict of equal-length lists (compare's tables)."""
    keys = list(table)
    n = len(table[keys[0]]) if keys else 0
    return _frame([{k: table[k][i] for k in keys} for i in range(n)], index, attrs, keys)


def _explode(items: List[Mapping[str, Any]], child: str, rename: Mapping[str, str]) -> List[Dict[str, Any]]:
    """One row per child (``units`` of each milestone) led by its parent's scalar fields."""
    rows = []
    for item in items or []:
        head = {rename.get(k, k): v for k, v in item.items() if k != child and not isinstance(v, (list, dict))}
        rows.extend({**head, **c} for c in item.get(child) or [])
    return rows


def _scalars(data: Mapping[str, Any]) -> Dict[str, Any]:
    return {k: v for k, v in data.items() if not isinstance(v, list)}


def _report(d: Mapping[str, Any], attrs: Dict[str, Any]) -> Dict[str, Any]:
    action = d.get("action") or {}
    proj = d.get("projections") or {}
    sections = ("action", "projections", "work_fund", "scores")  # tables of their own
    summary = {k: v for k, v in d.items() if not isinstance(v, list) and k not in sections}
    summary["action"] = action.get("summary") or {}
    return {
        "summary": _frame([summary], None, attrs),
        "phases": _frame(d.get("phases") or [], None, attrs),
        "completions": _frame(d.get("completions") or [], "unit_id", attrs),
        "deadlines": _frame(d.get("deadlines") or [], None, attrs),
        "late_reports": _frame(d.get("late_reports") or [], None, attrs),
        "milestones": _frame(_explode(d.get("milestones") or [], "units", {"id": "milestone_id"}), None, attrs),
        "work_fund": _frame((d.get("work_fund") or {}).get("payouts") or [], "unit_id", attrs),
        "scores": _frame((d.get("scores") or {}).get("units") or [], "unit_id", attrs),
        "action": _frame(action.get("units") or [], "unit_id", attrs),
        "action_targets": _frame([{"unit_id": u["unit_id"], **t} for u in action.get("units") or []
                                  for t in u.get("targets") or []], None, attrs),
        "projected_milestones": _frame(_explode(proj.get("milestones") or [], "units", {"id": "milestone_id"}),
                                       None, attrs),
        "projected_work_fund": _frame((proj.get("work_fund") or {}).get("units") or [], "unit_id", attrs),
        "segments": _frame(d.get("segments") or [], None, attrs),
    }


def _projections(d: Mapping[str, Any], attrs: Dict[str, Any]) -> Dict[str, Any]:
    fund = d.get("work_fund") or {}
    summary = {k: v for k, v in d.items() if not isinstance(v, (list, dict))}
    summary["work_fund"] = _scalars(fund)
    return {
        "summary": _frame([summary], None, attrs),
        "milestones": _frame(_explode(d.get("milestones") or [], "units", {"id": "milestone_id"}), None, attrs),
        "work_fund": _frame(fund.get("units") or [], "unit_id", attrs),
    }


def _costs(d: Mapping[str, Any], attrs: Dict[str, Any]) -> Dict[str, Any]:
    fund = d.get("work_fund") or {}
    summary = {k: v for k, v in d.items() if not isinstance(v, list) and k != "work_fund"}
    return {
        "summary": _frame([summary], None, attrs),
        "payers": _frame(d.get("payers") or [], None, attrs),
        "incentives": _frame(d.get("incentives") or [], None, attrs),
        "work_fund": _frame(fund.get("payouts") or [], "unit_id", attrs),
        "persons": _frame(d.get("persons") or [], None, attrs),
    }


def _compare(d: Mapping[str, Any], attrs: Dict[str, Any]) -> Dict[str, Any]:
    attrs = {**attrs, "base_fingerprint": d["base_fingerprint"], "reform_fingerprint": d["reform_fingerprint"],
             "provenance": d["provenance"]}
    index = {"payouts": "unit_id", "scores": "unit_id"}
    return {k: _columns_frame(d[k], index.get(k), attrs) for k in FRAME_KEYS["compare"]}


def to_frame(kind: str, data: Any, fingerprint: str) -> Any:
    """The pandas form of an answer of ``kind`` (the Policy method's name)."""
    attrs: Dict[str, Any] = {"fingerprint": fingerprint}
    if isinstance(data, Mapping) and "as_of" in data:
        attrs["as_of"] = data["as_of"]
    if kind == "payouts":
        attrs.update(total_fen=data["total_fen"], payer=data["payer"])
        return _frame(data["payouts"], "unit_id", attrs)
    if kind == "scores":
        return _frame(data["units"], "unit_id", attrs)
    if kind == "values":
        return _frame(list(data), None, attrs)
    if kind == "unit_counts":
        attrs["persons"] = data["persons"]
        return {"units": _frame(data["units"], "unit_id", attrs),
                "unlinked": _frame([data["unlinked"]] if data.get("unlinked") is not None else [], None, attrs)}
    converters = {"report": _report, "projections": _projections, "costs": _costs, "compare": _compare}
    return converters[kind](data, attrs)


class _Answer:
    """What Result and ResultList share: the kind, the fingerprint, frames and HTML."""

    kind: str
    fingerprint: str

    def to_frame(self) -> Any:
        """The answer as pandas: what the method gives with ``as_frame=True``."""
        return to_frame(self.kind, self, self.fingerprint)

    def _repr_html_(self) -> str:
        from ._html import result_html

        return result_html(self)


class Result(_Answer, dict):  # type: ignore[misc]
    """An evaluation's answer: the same dict as before (same keys), plus

    ``fingerprint`` (the policy's, or the base's for ``compare``), ``kind`` (the
    method that made it), :meth:`to_frame` (pandas, as ``as_frame=True``) and a
    Jupyter display of its main table.
    """

    def __init__(self, data: Mapping[str, Any] = (), kind: str = "", fingerprint: str = "") -> None:  # type: ignore[assignment]
        dict.__init__(self, data)
        self.kind = kind
        self.fingerprint = fingerprint

    def __repr__(self) -> str:
        return dict.__repr__(self)


class ResultList(_Answer, list):  # type: ignore[misc]
    """A list answer (``values``): the same list as before, plus ``fingerprint``,
    ``kind``, :meth:`to_frame` and a Jupyter display."""

    def __init__(self, data: Any = (), kind: str = "", fingerprint: str = "") -> None:
        list.__init__(self, data)
        self.kind = kind
        self.fingerprint = fingerprint

    def __repr__(self) -> str:
        return list.__repr__(self)


def result(kind: str, data: Any, fingerprint: str, as_frame: bool) -> Any:
    """What a method returns: frames when ``as_frame``, else a Result (ResultList)."""
    if as_frame:
        return to_frame(kind, data, fingerprint)
    if isinstance(data, list):
        return ResultList(data, kind, fingerprint)
    return Result(data, kind, fingerprint)
