"""Roster columns for the C++ batch engine: names and text mapped to codes,
dates to day numbers, declared facts to their codes, all checked with the row
and column named. Used by :meth:`canbao.Policy.recommend_batch` (_batch.py).

Any column is first split into *cells* (:func:`_cells`): a category's codes and
categories, or text factorized by pandas, become codes into a small table of
distinct values; only that table is converted in Python, and the C++ core
looks the codes up (``_core.lookup``), so 10 M rows cost one pass, not a
Python loop. Numbers (numpy, nullable pandas Int/boolean) are converted whole.
"""

from __future__ import annotations

from typing import Any, Callable, Dict, List, Mapping, NamedTuple, Optional, Sequence

import numpy as _np

from . import _core
from ._errors import ArgumentError, InputError

# ---- batch columns ------------------------------------------------------------

# A column left out takes the one-person API's default (the core's Person{}).
_BATCH_DEFAULTS = dict(_core.BATCH_DEFAULTS)
_BATCH_COLUMNS = ("sex", "birth_day", "birth_date") + tuple(_BATCH_DEFAULTS)
# Every spelling of sex the core reads (男 / 女 as in the CLI's rosters), as a name.
_SEX_NAMES = {text: _core.SEXES[code] for text, code in _core.SEX_SPELLINGS}


def _pandas() -> Any:
    """pandas when importable: dicts of numpy arrays need none."""
    try:
        import pandas
    except ImportError:  # pragma: no cover - Debian's python3 has it
        return None
    return pandas


class _Cells(NamedTuple):
    """A column ready to convert. ``codes`` None: ``values`` is the whole column and
    ``missing`` its missing cells (or None). Otherwise ``values`` holds the distinct
    values and ``codes`` (one per row, -1 for a missing cell) index them."""
    values: _np.ndarray
    missing: Optional[_np.ndarray]
    codes: Optional[_np.ndarray]


def _tidy(uniques: _np.ndarray) -> _np.ndarray:
    """Distinct values of an object column as a plain array when all are text,
    all ints or all bools (so they convert like a numpy column of that kind)."""
    if uniques.dtype != object:
        return uniques
    kinds = {type(v) for v in uniques}
    if kinds <= {str}:
        return uniques.astype(str)
    if kinds and all(issubclass(k, (bool, _np.bool_)) for k in kinds):
        return uniques.astype(bool)
    if kinds and all(issubclass(k, (int, _np.integer)) and not issubclass(k, (bool, _np.bool_)) for k in kinds):
        return uniques.astype(_np.int64)
    return uniques


def _factorize(values: _np.ndarray) -> _Cells:
    """Text (or mixed objects) as codes into distinct values; None, NaN, NA and ""
    are missing cells (-1), as an empty CSV cell is."""
    pd = _pandas()
    # Text and missing cells (nearly every roster): codes in one C++ pass, the
    # distinct values in first-seen order, as pandas.factorize gives them.
    found = _core.text_codes(values, pd.NA if pd is not None else None) if values.ndim == 1 else None
    if found is not None:
        codes, first = found
        return _Cells(_tidy(values[first].astype(object)), None, codes)
    if pd is not None:
        codes, uniques = pd.factorize(values)
        uniques = _np.asarray(uniques, dtype=object)
    else:
        missing = _missing_mask(values)
        uniques, codes = _np.unique(_np.where(missing, "", values.astype(str)), return_inverse=True)
        codes = _np.where(missing, -1, codes.reshape(-1))
        uniques = uniques.astype(object)
    empty = [i for i, u in enumerate(uniques) if isinstance(u, str) and u == ""]
    if empty:
        k = empty[0]
        codes = _np.where(codes == k, -1, codes - (codes > k))
        uniques = _np.delete(uniques, k)
    return _Cells(_tidy(uniques), None, codes)


def _cells(values: Any, name: str) -> _Cells:
    """Any column (numpy array, list, pandas Series / Categorical) as cells."""
    pd = _pandas()
    if pd is not None and isinstance(values, (pd.Series, pd.Index, pd.Categorical)):
        dtype = values.dtype
        if isinstance(dtype, pd.CategoricalDtype):
            cat = values if isinstance(values, pd.Categorical) else values.array
            return _Cells(_tidy(_np.asarray(cat.categories)), None, _np.asarray(cat.codes))
        numpy_dtype = getattr(dtype, "numpy_dtype", None)  # nullable Int*, UInt*, boolean, Float*
        if numpy_dtype is not None and not isinstance(dtype, _np.dtype) and numpy_dtype.kind in "biuf":
            missing = _np.asarray(values.isna())
            arr = values.to_numpy(dtype=numpy_dtype, na_value=numpy_dtype.type(0))
            return _Cells(arr, missing if missing.any() else None, None)
        values = values.to_numpy()  # string dtype: objects with NA; datetime64[ns]
    arr = _np.asarray(values)
    if arr.ndim != 1:
        raise ArgumentError(f"columns.{name}: expected a one-dimensional column", f"columns.{name}",
                            "expected a one-dimensional column")
    if arr.dtype.kind in "OUS":
        return _factorize(arr)
    if arr.dtype.kind == "f":
        missing = _np.isnan(arr)
        return _Cells(arr, missing if missing.any() else None, None)
    return _Cells(arr, None, None)


def _missing_error(name: str, row: int, message: str) -> InputError:
    where = f"columns.{name}[{row}]"
    return InputError(f"{where}: {message}", where, message, row=row)


def _convert(cells: _Cells, name: str, convert: Callable[[_np.ndarray], _np.ndarray], fill: Optional[int],
             missing: str = "missing value") -> _np.ndarray:
    """``convert`` applied to a column's cells: to the whole column, or to its
    distinct values, looked up by the codes in C++. A missing cell takes ``fill``;
    with none it is an error ``columns.<name>[row]: <missing>``."""
    if cells.codes is None:
        arr = cells.values
        if cells.missing is not None:
            if fill is None:
                raise _missing_error(name, int(_np.flatnonzero(cells.missing)[0]), missing)
            arr = _np.where(cells.missing, fill, arr)
        return convert(arr)
    codes = _np.ascontiguousarray(cells.codes)
    if fill is None and codes.size and codes.min() < 0:  # a missing cell is named before a bad value
        raise _missing_error(name, int(_np.flatnonzero(codes < 0)[0]), missing)
    try:
        table = _np.ascontiguousarray(convert(cells.values))
    except InputError as e:
        if e.row is None:
            raise
        if (codes == e.row).any():
            raise _at_first_row(e, name, codes, e.row) from None
        # A category no row holds need not be readable: convert those in use.
        used = _np.unique(codes[codes >= 0])
        try:
            part = convert(cells.values[used])
        except InputError as e2:
            if e2.row is None:
                raise
            raise _at_first_row(e2, name, codes, int(used[e2.row])) from None
        table = _np.zeros(len(cells.values), dtype=part.dtype)
        table[used] = part
    if codes.dtype == _np.int8 and table.dtype == _np.uint8 and _np.array_equal(table, _np.arange(len(table))):
        # Categories in code order (read_roster's frames): the codes are the answer.
        if fill is None or not codes.size or codes.min() >= 0:
            return codes.view(_np.uint8)
    return _core.lookup(table, codes, 0 if fill is None else fill)[0]


def _at_first_row(e: InputError, name: str, codes: _np.ndarray, value: int) -> InputError:
    """An error about a distinct value, moved to the first row that holds it."""
    row = int(_np.flatnonzero(codes == value)[0])
    where = f"columns.{name}[{row}]"
    return InputError(str(e).replace(e.path, where, 1), where, e.message, row=row)


def _sex_codes(values: _np.ndarray) -> _np.ndarray:
    """Sex codes: 0 / 1, or a spelling the core reads (male, female, 男, 女)."""
    if values.dtype.kind in "US":
        values = _np.array([_SEX_NAMES.get(str(v), str(v)) for v in values])
    return _column(values, "sex", _np.uint8, _core.SEXES)


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
    if arr.dtype.kind == "b" and want.itemsize == 1:
        return _np.ascontiguousarray(arr).view(want)  # True / False are 1 / 0 bytes
    if arr.dtype.kind == "f":  # whole numbers (pandas' integer column that had gaps)
        whole = _np.isfinite(arr) & (arr == _np.floor(arr))
        if not whole.all():
            raise _missing_error(name, int(_np.flatnonzero(~whole)[0]), "expected a whole number")
        arr = arr.astype(_np.int64)
    if arr.dtype.kind not in "biu":
        raise InputError(f"columns.{name}: expected integers, got {arr.dtype}", f"columns.{name}",
                         f"expected integers, got {arr.dtype}")
    info = _np.iinfo(want)
    if arr.size and (arr.min() < info.min or arr.max() > info.max):
        row = int(_np.flatnonzero((arr < info.min) | (arr > info.max))[0])
        raise _missing_error(name, row, f"{arr[row]} does not fit {want}")
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


def _date_days(dates: _np.ndarray) -> _np.ndarray:
    """Day numbers of datetime64 values, date text or date objects."""
    if dates.dtype.kind in "US":
        return _text_days(dates)
    if dates.dtype == object:  # datetime.date / Timestamp objects
        try:
            dates = dates.astype("datetime64[D]")
        except (TypeError, ValueError):
            raise InputError("columns.birth_date: expected dates or 'YYYY-MM-DD' text", "columns.birth_date",
                             "expected dates or 'YYYY-MM-DD' text") from None
    if dates.dtype.kind != "M":
        raise InputError(f"columns.birth_date: expected dates or 'YYYY-MM-DD' text, got {dates.dtype}",
                         "columns.birth_date", f"expected dates or 'YYYY-MM-DD' text, got {dates.dtype}")
    if dates.dtype == _np.dtype("datetime64[ns]"):  # pandas' dates: one C++ pass, not numpy's unit casts
        days, first_nat = _core.days_from_ns(_np.ascontiguousarray(dates).view(_np.int64))
        if first_nat >= 0:
            raise _missing_error("birth_date", int(first_nat), "missing date")
        return days
    if _np.isnat(dates).any():
        raise _missing_error("birth_date", int(_np.flatnonzero(_np.isnat(dates))[0]), "missing date")
    return dates.astype("datetime64[D]").astype(_np.int64).astype(_np.int32)


def _birth_days(columns: Mapping[str, Any]) -> _np.ndarray:
    if "birth_day" in columns and "birth_date" in columns:
        raise ArgumentError("columns: give birth_day or birth_date, not both", "columns", "both birth columns")
    if "birth_day" in columns:
        return _convert(_cells(columns["birth_day"], "birth_day"), "birth_day",
                        lambda a: _column(a, "birth_day", _np.int32), None)
    if "birth_date" not in columns:
        raise InputError("columns.birth_day: required column is missing (or give birth_date)",
                         "columns.birth_day", "required column is missing")
    return _convert(_cells(columns["birth_date"], "birth_date"), "birth_date", _date_days, None, "missing date")


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


def _fact_cells(handle: "_core.PolicyHandle", index: int, fact: Dict[str, Any], values: Any) -> _np.ndarray:
    """A declared fact's column of any dtype (a category of value ids, nullable
    integers, bools, text) as int32 codes; a missing cell takes the default (a
    flag set without one: no flags)."""
    default = fact["default"]
    fill = default if default is not None else (0 if fact["type"] == "flags" else None)
    return _convert(_cells(values, fact["id"]), fact["id"], lambda a: _fact_column(handle, index, fact, a), fill,
                    "missing, and the declared fact has no default")


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
