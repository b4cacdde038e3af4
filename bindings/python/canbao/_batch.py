"""The body of :meth:`canbao.Policy.recommend_batch`: a roster's columns (a dict
of arrays or a pandas DataFrame) converted by _columns.py, the C++ batch engine,
and the answer as numpy columns or a DataFrame aligned to the input's index."""

from __future__ import annotations

from typing import Any, Dict, List, Mapping, Optional, Sequence, Union

import numpy as _np

from . import _core
from ._columns import (_BATCH_COLUMNS, _BATCH_DEFAULTS, _birth_days, _cells, _column, _convert, _fact_cells,
                       _pandas, _sex_codes)
from ._errors import ArgumentError, InputError

# Columns of the core's Person beyond sex and birth, with their batch dtypes.
_NATIVE = {"hukou_local": _np.uint8, "insurance_status": _np.uint8, "employment": _np.uint8,
           "resident_grade_yuan": _np.uint16, "flags": _np.uint8}
# A missing cell read as the CLI reads an empty roster cell: no grade, no flags.
_FILL = {"resident_grade_yuan": 0, "flags": 0}
_RESULT = ("scheme", "actions", "groups", "fired_rows")
# Policy.recommend_batch(fired=...) -> the core's fired mode.
_FIRED = {"rows": "rows", "set": "set", None: "none"}
_GROUPS = tuple(f"g{g}" for g in range(1, 9))


def recommend_batch(handle: "_core.PolicyHandle", columns: Any, day: int, *, names: bool = False,
                    keep: Union[None, bool, Sequence[Any]] = None, as_frame: Optional[bool] = None,
                    out: Optional[Dict[str, _np.ndarray]] = None, fired: Optional[str] = "rows") -> Any:
    """See :meth:`canbao.Policy.recommend_batch`."""
    if not isinstance(fired, (str, type(None))) or fired not in _FIRED:
        raise ArgumentError(f'fired: expected "rows", "set" or None, got {fired!r}', "fired",
                            f'expected "rows", "set" or None, got {fired!r}')
    pd = _pandas()
    is_frame = pd is not None and isinstance(columns, pd.DataFrame)
    facts = handle.facts
    known = _BATCH_COLUMNS + tuple(f["id"] for f in facts)
    if is_frame:
        # A frame as analysts hold it: columns canbao does not use are left alone.
        given: Mapping[str, Any] = {str(c): columns[c] for c in columns.columns if str(c) in known}
        labels: List[Any] = list(columns.columns)
    elif isinstance(columns, Mapping):
        # A dict is built for canbao: a key it does not know is a typo, refused.
        unknown = sorted(set(columns) - set(known))
        if unknown:
            raise InputError(f"columns.{unknown[0]}: unknown column (expected: {', '.join(known)})",
                             f"columns.{unknown[0]}", "unknown column")
        given, labels = columns, list(columns)
    else:
        raise ArgumentError("columns: expected a dict of arrays or a pandas DataFrame", "columns", "")
    if as_frame is None:
        as_frame = is_frame
    if as_frame and pd is None:
        raise ArgumentError("as_frame: pandas is not installed", "as_frame", "pandas is not installed")
    if as_frame and out is not None:
        raise ArgumentError("out: fills numpy arrays; give as_frame=False with it", "out",
                            "fills numpy arrays; give as_frame=False with it")
    kept = _kept(keep, labels, names and not as_frame, fired == "set")

    if "sex" not in given:
        raise InputError("columns.sex: required column is missing", "columns.sex", "required column is missing")
    sex = _convert(_cells(given["sex"], "sex"), "sex", _sex_codes, None)
    n = len(sex)
    arrays = {"sex": sex, "birth_day": _birth_days(given)}
    values = handle.builtin_values  # the built-in lists with the values this policy adds
    for name, dtype in _NATIVE.items():
        if name in given:
            arrays[name] = _convert(_cells(given[name], name), name,
                                    lambda a, name=name, dtype=dtype: _column(a, name, dtype, values.get(name)),
                                    _FILL.get(name))
        else:
            arrays[name] = _np.full(n, _BATCH_DEFAULTS[name], dtype=dtype)
    fact_columns = [None if f["id"] not in given else _fact_cells(handle, i, f, given[f["id"]])
                    for i, f in enumerate(facts)]
    # Input errors already name columns.<name>[row] (the library's batch entry).
    result = _core.recommend_columns(handle, day, arrays["sex"], arrays["birth_day"], arrays["hukou_local"],
                                     arrays["insurance_status"], arrays["employment"],
                                     arrays["resident_grade_yuan"], arrays["flags"], facts=fact_columns, out=out,
                                     fired=_FIRED[fired])
    if not as_frame:
        if names:
            result["scheme_name"] = _np.array(_core.SCHEMES, dtype=object)[result["scheme"]]
        for label in kept:
            result[label] = columns[label]
        return result
    return _frame(pd, result, columns.index if is_frame else None, names,
                  {label: columns[label] for label in kept})


def _kept(keep: Union[None, bool, Sequence[Any]], labels: List[Any], scheme_name: bool,
          fired_set: bool = False) -> List[Any]:
    """The input columns ``keep`` passes through: all for True; each must exist
    and must not take the name of a result column."""
    if keep is None or keep is False:
        return []
    chosen = labels if keep is True else ([keep] if isinstance(keep, str) else list(keep))
    taken = set(_RESULT) | ({"scheme_name"} if scheme_name else set()) | (
        {"fired_set", "fired_sets"} if fired_set else set())
    for label in chosen:
        if label not in labels:
            raise ArgumentError(f"keep: no column {label!r} in the input", "keep", f"no column {label!r} in the input")
        if str(label) in taken or str(label).startswith("fired_rows_"):
            raise ArgumentError(f"keep: {label!r} is also a result column", "keep",
                                f"{label!r} is also a result column")
    return chosen


def _bit_text(pd: Any, bits: _np.ndarray, names: Sequence[str]) -> Any:
    """A uint8 bit column as a text category ("transfer_in;resume_payment", "" for
    none): the text is built once per value present (at most 256), the rows are
    a C++ lookup of their value's category code."""
    present = _np.flatnonzero(_core.byte_values(bits))
    text = [";".join(name for i, name in enumerate(names) if v >> i & 1) for v in present]
    table = _np.full(256, -1, dtype=_np.int16)
    table[present] = _np.arange(len(present), dtype=_np.int16)
    codes, _ = _core.lookup(table, bits, -1)
    return pd.Categorical.from_codes(codes, categories=text)


def _frame(pd: Any, result: Dict[str, _np.ndarray], index: Any, names: bool, kept: Dict[Any, Any]) -> Any:
    """The answer as a DataFrame on ``index``: scheme a category of SCHEMES,
    actions and groups bits (text categories with ``names``), fired_rows (one
    column per 64 decision rows beyond 64) or fired_set (the sets in
    ``attrs["fired_sets"]``), then the kept input columns."""
    scheme = pd.Categorical.from_codes(result["scheme"].view(_np.int8), categories=list(_core.SCHEMES))
    data: Dict[Any, Any] = {"scheme": scheme}
    if names:
        data["actions"] = _bit_text(pd, result["actions"], _core.ACTIONS)
        data["groups"] = _bit_text(pd, result["groups"], _GROUPS)
    else:
        data["actions"], data["groups"] = result["actions"], result["groups"]
    fired = result.get("fired_rows")
    if fired is not None and fired.ndim == 1:
        data["fired_rows"] = fired
    elif fired is not None:
        for k in range(fired.shape[1]):
            data[f"fired_rows_{k}"] = fired[:, k]
    if "fired_set" in result:
        data["fired_set"] = result["fired_set"]
    for label, column in kept.items():
        data[label] = column.array if hasattr(column, "array") else column
    # copy=False: the result arrays become the frame's columns, not copied into a block.
    frame = pd.DataFrame(data, index=index, copy=False)
    if "fired_sets" in result:
        frame.attrs["fired_sets"] = result["fired_sets"]  # fired_sets[fired_set] is fired_rows
    return frame
