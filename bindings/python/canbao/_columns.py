"""Roster columns for the C++ batch engine: names and text mapped to codes,
dates to day numbers, declared facts to their codes, all checked with the row
and column named. Used by :meth:`canbao.Policy.recommend_batch` (_api.py).
"""

from __future__ import annotations

from typing import Any, Dict, List, Mapping, Optional, Sequence

import numpy as _np

from . import _core
from ._errors import ArgumentError, InputError

# ---- batch columns ------------------------------------------------------------

# A column left out takes the one-person API's default (the core's Person{}).
_BATCH_DEFAULTS = dict(_core.BATCH_DEFAULTS)
_BATCH_COLUMNS = ("sex", "birth_day", "birth_date") + tuple(_BATCH_DEFAULTS)
def _codes(values: _np.ndarray, name: str, names: Sequence[str]) -> _np.ndarray:
    """Strings ("female", "platform_worker") -> codes; unknown names are errors.
    ``names``: the policy's list in code order (built-in values and those it adds)."""
    uniques, inverse = _np.unique(values.astype(str), return_inverse=True)
    inverse = inverse.reshape(-1)
    lookup = _np.empty(len(uniques), dtype=_np.uint8)
    for i, u in enumerate(uniques):
        if u not in names:
            row = int(_np.flatnonzero(inverse == i)[0])
            raise InputError(f"columns.{name}[{row}]: unknown value {u!r} (expected one of: {', '.join(names)})",
                             f"columns.{name}[{row}]", f"unknown value {u!r}", row=row)
        lookup[i] = names.index(u)
    return lookup[inverse]


def _flag_bits(values: _np.ndarray, names: Sequence[str]) -> _np.ndarray:
    """Flag text ("dibao;veteran", "" for none) -> bits of ``names`` (the policy's
    flags in bit order); an unknown or repeated flag is an error naming the row."""
    texts = values.astype(str)
    if values.dtype.kind == "O":  # None and NaN are no flags, as "" is
        texts = _np.where(_missing_mask(values), "", texts)
    uniques, inverse = _np.unique(texts, return_inverse=True)
    inverse = inverse.reshape(-1)
    lookup = _np.zeros(len(uniques), dtype=_np.uint8)
    for i, text in enumerate(uniques):
        for one in str(text).split(";") if text else []:
            bit = names.index(one) if one in names else -1
            if bit < 0 or lookup[i] >> bit & 1:
                row = int(_np.flatnonzero(inverse == i)[0])
                where = f"columns.flags[{row}]"
                message = (f"unknown flag {one!r}" if bit < 0 else f"flag {one!r} listed twice") + \
                    f" (expected ';'-separated names from: {', '.join(names)})"
                raise InputError(f"{where}: {message}", where, message, row=row)
            lookup[i] |= 1 << bit
    return lookup[inverse]


def _column(values: Any, name: str, dtype: Any, names: Optional[Sequence[str]] = None) -> _np.ndarray:
    """A contiguous array of `dtype`: the caller's own memory when it already is one.
    Text is read as ``names`` (a value list in code order; flags: "a;b") when given."""
    arr = _np.asarray(values)
    want = _np.dtype(dtype)
    if arr.dtype == want:
        return _np.ascontiguousarray(arr)  # no copy when already contiguous
    if arr.dtype.kind in "OUS" and names is not None:
        arr = _flag_bits(arr, names) if name == "flags" else _codes(arr, name, names)
        return arr if want == arr.dtype else arr.astype(want)
    if arr.dtype.kind not in "biu":
        raise InputError(f"columns.{name}: expected integers, got {arr.dtype}", f"columns.{name}",
                         f"expected integers, got {arr.dtype}")
    info = _np.iinfo(want)
    if arr.size and (arr.min() < info.min or arr.max() > info.max):
        row = int(_np.flatnonzero((arr < info.min) | (arr > info.max))[0])
        raise InputError(f"columns.{name}[{row}]: {arr[row]} does not fit {want}", f"columns.{name}[{row}]",
                         f"{arr[row]} does not fit {want}")
    return arr.astype(want)


def _is_missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and value != value) or value == ""


def _text_days(dates: _np.ndarray) -> _np.ndarray:
    """Date text -> day numbers by the core's rule (numpy's own parser would take
    "2023-06" as June 1st). Each distinct text is parsed once and nothing loops
    over the rows in Python, except to name the row of an error."""
    uniques, inverse = _np.unique(dates.astype(str), return_inverse=True)
    inverse = inverse.reshape(-1)
    days = _np.empty(len(uniques), dtype=_np.int32)
    failed = {}
    for i, text in enumerate(uniques):
        try:
            days[i] = _core.day_number(str(text), "columns.birth_date")
        except InputError as e:
            failed[i] = e.message
    if failed:
        bad = _np.flatnonzero(_np.isin(inverse, list(failed)))
        missing = [int(r) for r in bad if _is_missing(dates[r])]
        row = missing[0] if missing else int(bad[0])
        message = "missing date" if missing else failed[int(inverse[row])]
        where = f"columns.birth_date[{row}]"
        raise InputError(f"{where}: {message}", where, message, row=row)
    return days[inverse]


def _birth_days(columns: Mapping[str, Any]) -> _np.ndarray:
    if "birth_day" in columns and "birth_date" in columns:
        raise ArgumentError("columns: give birth_day or birth_date, not both", "columns", "both birth columns")
    if "birth_day" in columns:
        return _column(columns["birth_day"], "birth_day", _np.int32)
    if "birth_date" not in columns:
        raise InputError("columns.birth_day: required column is missing (or give birth_date)",
                         "columns.birth_day", "required column is missing")
    dates = _np.asarray(columns["birth_date"])
    if dates.dtype.kind in "OUS":
        return _text_days(dates)
    if dates.dtype.kind != "M":
        raise InputError(f"columns.birth_date: expected dates or 'YYYY-MM-DD' text, got {dates.dtype}",
                         "columns.birth_date", f"expected dates or 'YYYY-MM-DD' text, got {dates.dtype}")
    if _np.isnat(dates).any():
        row = int(_np.flatnonzero(_np.isnat(dates))[0])
        raise InputError(f"columns.birth_date[{row}]: missing date", f"columns.birth_date[{row}]", "missing date")
    return dates.astype("datetime64[D]").astype(_np.int64).astype(_np.int32)


# ---- declared facts (the policy's "facts" section, docs/policy-format.md#facts) ----

def _missing_mask(values: _np.ndarray) -> _np.ndarray:
    """Which cells are missing (None, NaN, "", NaT), without a Python loop over the rows."""
    if values.dtype.kind == "M":
        return _np.isnat(values)
    if values.dtype.kind == "f":
        return _np.isnan(values)
    if values.dtype.kind in "US":
        return values == values.dtype.type()
    if values.dtype.kind == "O":
        with _np.errstate(invalid="ignore"):
            return _np.asarray((values == None) | (values != values) | (values == ""), dtype=bool)  # noqa: E711
    return _np.zeros(values.shape, dtype=bool)


def _fact_column(handle: "_core.PolicyHandle", index: int, fact: Dict[str, Any], values: Any) -> _np.ndarray:
    """One declared fact's column as int32 codes (facts.hpp's encoding).

    Integers (and bools) are codes, used in place when already int32; text is the
    declaration's text form ("cadre", "graduate;fisher", "2023-06-30", "true"),
    each distinct text parsed once by the core; datetime64 gives day numbers for
    a date fact. A missing cell takes the fact's default; without one it must
    parse (a flag set's "" is no flags) and is otherwise an error naming
    ``columns.<id>[row]``.
    """
    name = fact["id"]
    arr = _np.asarray(values)
    if arr.ndim != 1:
        raise ArgumentError(f"columns.{name}: expected a one-dimensional column", f"columns.{name}",
                            "expected a one-dimensional column")
    if arr.dtype.kind in "biu":
        return _column(arr.astype(_np.int32) if arr.dtype.kind == "b" else arr, name, _np.int32)
    missing = _missing_mask(arr)
    default = fact["default"]
    if missing.any() and default is None and fact["type"] != "flags":
        row = int(_np.flatnonzero(missing)[0])
        where = f"columns.{name}[{row}]"
        raise InputError(f"{where}: missing, and the declared fact has no default", where,
                         "missing, and the declared fact has no default", row=row)
    if arr.dtype.kind == "f":  # pandas' integer column with gaps: whole numbers and NaN
        whole = _np.where(missing, 0.0, arr)
        if (whole != _np.floor(whole)).any():
            row = int(_np.flatnonzero(whole != _np.floor(whole))[0])
            where = f"columns.{name}[{row}]"
            raise InputError(f"{where}: {arr[row]} is not a whole number", where, "not a whole number", row=row)
        codes = _np.where(missing, default if default is not None else 0, whole)
        return _column(codes.astype(_np.int64), name, _np.int32)
    if arr.dtype.kind == "M":
        if fact["type"] != "date":
            raise InputError(f"columns.{name}: dates given for a {fact['type']} fact", f"columns.{name}",
                             f"dates given for a {fact['type']} fact")
        days = arr.astype("datetime64[D]").astype(_np.int64)
        codes = _np.where(missing, default if default is not None else 0, days)
        return _column(codes, name, _np.int32)
    if arr.dtype.kind not in "OUS":
        raise InputError(f"columns.{name}: expected integer codes or text, got {arr.dtype}", f"columns.{name}",
                         f"expected integer codes or text, got {arr.dtype}")
    texts = _np.where(missing, "", arr.astype(str)) if arr.dtype.kind == "O" else arr.astype(str)
    uniques, inverse = _np.unique(texts, return_inverse=True)
    inverse = inverse.reshape(-1)
    codes = _np.empty(len(uniques), dtype=_np.int32)
    for i, text in enumerate(uniques):
        text = str(text)
        if text == "" and default is not None:
            codes[i] = default
            continue
        if fact["type"] == "boolean" and text in ("True", "False"):  # Python bools in an object column
            text = text.lower()
        try:
            codes[i] = handle.parse_fact(index, text, f"columns.{name}")
        except InputError as e:
            row = int(_np.flatnonzero(inverse == i)[0])
            where = f"columns.{name}[{row}]"
            raise InputError(f"{where}: {e.message}", where, e.message, row=row) from None
    return codes[inverse]


def _person_request(facts: List[Dict[str, Any]], person: Mapping[str, Any]) -> Dict[str, Any]:
    """A person dict as the recommend op reads it: declared facts given at the top
    level (like batch columns) move under "facts"; a flag set given as "a;b" text
    becomes its list of ids."""
    out = dict(person)
    given = dict(out.pop("facts", None) or {})
    by_id = {f["id"]: f for f in facts}
    for key in [k for k in out if k in by_id]:
        given[key] = out.pop(key)
    for key, value in given.items():
        if key in by_id and by_id[key]["type"] == "flags" and isinstance(value, str):
            given[key] = [v for v in value.split(";")] if value else []
    if given or "facts" in person:
        out["facts"] = given
    return out
