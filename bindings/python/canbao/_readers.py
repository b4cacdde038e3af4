"""Reading rosters and progress into typed pandas DataFrames (docs/getting-started-python.md,
"Reading rosters and progress").

The files are read by the C++ readers the CLI uses (same rules: ID numbers give
birth date and sex, 男/女, Chinese headers, GB18030, tabs); Python only turns
their columns of codes into a frame. A DataFrame (from ``pandas.read_excel``,
say) is first written to CSV text by :func:`_frame_csv`'s explicit rules and
read by the same reader; its errors then name the frame's row and column.
"""

from __future__ import annotations

import datetime as _dt
import os as _os
import warnings as _warnings
from typing import Any, Dict, List, Optional, Tuple

import numpy as _np

from . import _core
from ._errors import ArgumentError, InputError

__all__ = ["read_roster", "read_progress"]

_FRAME_SOURCE = "<DataFrame>"


def _pandas() -> Any:
    import pandas  # imported when first needed: canbao itself does not need pandas
    return pandas


def _is_frame(value: Any) -> bool:
    return hasattr(value, "columns") and hasattr(value, "to_csv") and hasattr(value, "iloc")


def _source_bytes(source: Any, what: str) -> Tuple[bytes, str]:
    """A path's bytes (never decoded here: the C++ reader does the encoding) or bytes as given."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        return bytes(source), what
    if isinstance(source, (str, _os.PathLike)):
        path = _os.fspath(source)
        try:
            with open(path, "rb") as f:
                return f.read(), path
        except OSError as e:
            raise InputError(f"{what}: cannot open {path!r} ({e.strerror})", what,
                             f"cannot open {path!r}") from None
    raise ArgumentError(f"{what}: expected a path, bytes or a DataFrame, got {type(source).__name__}",
                        what, "expected a path, bytes or a DataFrame")


# ---- DataFrame -> CSV text, lossless ------------------------------------------------


def _cell_text(value: Any, where: str) -> str:
    """One distinct cell value as roster text: bool -> true/false, a day -> ISO,
    a whole float -> an integer, NaN/None/NaT -> empty, anything else str()."""
    if value is None:
        return ""
    if isinstance(value, (bool, _np.bool_)):
        return "true" if value else "false"
    if isinstance(value, (_np.integer, int)):
        return str(int(value))  # ID numbers Excel gives as integers: their digits
    if isinstance(value, (float, _np.floating)):
        if value != value:
            return ""
        if float(value).is_integer():  # Excel's NaN-holed integer columns are floats
            return str(int(value))
        return repr(float(value))  # the reader names it as not an integer
    pandas = _pandas()
    if value is pandas.NaT or value is getattr(pandas, "NA", None):
        return ""
    if isinstance(value, (_dt.datetime, _np.datetime64)):
        stamp = pandas.Timestamp(value)
        if stamp != stamp.normalize():
            raise InputError(f"{where}: expected a day, got a time of day ({stamp})", where,
                             "expected a day, got a time of day")
        return stamp.date().isoformat()
    if isinstance(value, _dt.date):
        return value.isoformat()
    return str(value)


def _bits_text(bits: Any, names: List[str]) -> str:
    b = int(bits)
    return ";".join(n for i, n in enumerate(names) if b >> i & 1)


def _text_column(series: Any, name: str, flag_names: Optional[List[str]]) -> Any:
    """A column as an object array of text: each distinct value formatted once."""
    pandas = _pandas()
    if isinstance(series.dtype, pandas.CategoricalDtype):
        codes = series.cat.codes.to_numpy()
        texts = [_cell_text(c, f"{name}") for c in series.cat.categories] + [""]
        return _np.array(texts, dtype=object)[codes]  # code -1 (missing) is the last: ""
    values = series.to_numpy()
    if values.dtype.kind == "M":  # datetime64: NaT is empty
        days = values.astype("datetime64[D]")
        bad = ~_np.isnat(values) & (days != values)
        if bad.any():
            row = int(_np.flatnonzero(bad)[0])
            where = f"{name}[{series.index[row]!r}]"
            raise InputError(f"{where}: expected a day, got a time of day", where, "expected a day", row=row)
        out = _np.datetime_as_string(days, unit="D").astype(object)
        out[_np.isnat(values)] = ""
        return out
    if values.dtype.kind in "iu" and flag_names is None:  # IDs, counts: their digits
        return values.astype(str).astype(object)
    if values.dtype.kind == "O" and pandas.api.types.infer_dtype(values, skipna=True) in ("string", "empty"):
        out = values.copy()  # text as it is (names, ID numbers): only the missing cells change
        out[pandas.isna(values)] = ""
        return out
    codes, uniques = pandas.factorize(values, use_na_sentinel=True)
    if flag_names is not None and values.dtype.kind in "iu":  # bits -> names
        texts = [_bits_text(u, flag_names) for u in uniques]
    else:
        texts = [_cell_text(u, name) for u in uniques]
    return _np.array(texts + [""], dtype=object)[codes]


def _flag_columns(frame: Any, policy: Any) -> Dict[str, List[str]]:
    """Integer columns that hold flag bits: ``flags`` and flags facts, by their names."""
    lists = policy.value_lists if policy is not None else {"flags": tuple(_core.FLAGS)}
    out = {"flags": list(lists["flags"])}
    for f in (policy.facts if policy is not None else []):
        if f["type"] == "flags":
            out[f["id"]] = [v[0] for v in f["values"]]
    return {k: v for k, v in out.items() if k in frame.columns}


def _frame_csv(frame: Any, policy: Any = None) -> Tuple[str, List[str]]:
    """A DataFrame as roster CSV text (and its header) by explicit, lossless rules.

    bool -> true/false; datetime -> ISO date (a time of day is an error); whole
    floats (Excel's integer columns with empty cells) -> integers; NaN, None,
    NaT -> empty; integers (ID numbers Excel gives as numbers) -> their digits;
    category -> its values. A read_roster frame (``id_number_masked``, no
    ``id_number``) gets an empty id_number column (its sex and birth_date are
    already derived) and an empty name; its integer flags are written as names.
    """
    pandas = _pandas()
    columns = [str(c) for c in frame.columns]
    if len(set(columns)) != len(columns):
        dup = next(c for c in columns if columns.count(c) > 1)
        raise InputError(f"roster: column {dup!r} appears twice", "roster", f"column {dup!r} appears twice")
    flag_names = _flag_columns(frame, policy)
    data = {}
    for c, name in zip(frame.columns, columns):
        if name == "id_number_masked" and "id_number" not in columns:
            continue  # derived from an ID number the frame no longer has
        data[name] = _text_column(frame[c], name, flag_names.get(name))
    if "id_number_masked" in columns and "id_number" not in columns:
        data = {"id_number": _np.full(len(frame), "", dtype=object),
                **({} if "name" in columns else {"name": _np.full(len(frame), "", dtype=object)}), **data}
    try:  # the bytes to_csv writes, joined in C++ (to_csv's Python writer: ~8 us a row)
        text = _core.csv_text(list(data), [_np.asarray(v, dtype=object) for v in data.values()])
    except (TypeError, ValueError, UnicodeError):  # a cell that is not text (or not UTF-8)
        text = pandas.DataFrame(data).to_csv(index=False, lineterminator="\n")
    return text, list(data)


def _frame_error(error: InputError, frame: Any, header: List[str], text: str, what: str = "roster") -> InputError:
    """An error of the reader on a frame's CSV, renamed to the frame's row and column."""
    if error.line is None or not error.path.startswith(_FRAME_SOURCE):
        return error
    line = int(error.line)
    if text.count("\n") == len(frame) + 1:  # one line per row: row = line - 2
        row: Optional[int] = line - 2 if line >= 2 else None
    else:  # a quoted cell holds a newline: find the record that starts on or before the line
        import csv
        import io
        reader = csv.reader(io.StringIO(text))
        row, start = None, 1
        for i, _ in enumerate(reader):
            if start > line:
                break
            row, start = i - 1, reader.line_num + 1
        row = row if row is not None and row >= 0 else None
    column = header[error.column - 1] if error.column and error.column <= len(header) else None
    if row is None:
        where = f"{what}.columns[{column!r}]" if column else f"{what}.columns"
    else:
        label = frame.index[row] if row < len(frame) else row
        where = f"{what}.{column}[{label!r}]" if column else f"{what}[{label!r}]"
    return InputError(f"{where}: {error.message}", where, error.message, column=error.column, row=row)


def _roster_fields(roster: Any, policy: Any = None) -> Dict[str, str]:
    """``{"roster_csv", "roster_csv_name"}`` of a request for a roster given as a
    path or a DataFrame (as analysts hold it, or a read_roster frame)."""
    from ._api import _read_text
    if isinstance(roster, (str, _os.PathLike)):
        path = _os.fspath(roster)
        return {"roster_csv": _read_text(path, "roster"), "roster_csv_name": path}
    if _is_frame(roster):
        text, _ = _frame_csv(roster, policy)
        return {"roster_csv": text, "roster_csv_name": _FRAME_SOURCE}
    raise ArgumentError(f"roster: expected a CSV path or a DataFrame, got {type(roster).__name__}",
                        "roster", "expected a CSV path or a DataFrame")


def _call_with_frame(roster: Any, policy: Any, call: Any) -> Any:
    """Runs ``call()``; an error on a frame's CSV names the frame's row and column."""
    try:
        return call()
    except InputError as e:
        if not _is_frame(roster):
            raise
        text, header = _frame_csv(roster, policy)
        raise _frame_error(e, roster, header, text) from None


# ---- read_roster / read_progress ------------------------------------------------------


def _days(days: _np.ndarray) -> Any:
    return days.astype("datetime64[D]").astype("datetime64[ns]")


def _fact_series(f: Dict[str, Any], codes: _np.ndarray) -> Any:
    pandas = _pandas()
    kind = f["type"]
    if kind == "boolean":
        return codes.astype(bool)
    if kind == "enumeration":
        return pandas.Categorical.from_codes(codes, [v[0] for v in f["values"]])
    if kind == "date":
        return _days(codes)
    return codes  # integer, flags (int32 bits of the fact's values)


def read_roster(source: Any, policy: Any = None, as_of: Any = None, *, encoding: str = "utf-8",
                delimiter: str = "detect", rejects: bool = False) -> Any:
    """Reads a roster into a typed pandas DataFrame with the C++ roster reader (the CLI's rules).

    ``source``: a path, the file's bytes, or a DataFrame (``pandas.read_excel(path)``:
    ID numbers should be text cells, or read with ``dtype={"id_number": str}``).
    ID numbers give birth date and sex (an empty ``birth_date`` is taken from it), 男/女,
    Chinese headers (身份证号, 性别, ...), ``encoding="gb18030"`` for Excel's CSV on
    Chinese Windows, ``delimiter`` "detect" (from the header line), "comma" or "tab".

    ``policy``: its declared facts become columns and its value lists name the codes
    (None: no declared facts, the built-in lists). ``as_of``: birth dates after it are
    errors; None: no such check.

    Columns: ``id``, ``id_number_masked`` (never the whole number; "" when none),
    ``sex`` (category male/female), ``birth_date`` (datetime64[ns]), ``hukou_local``
    (bool), ``insurance_status`` and ``employment`` (categories = the policy's value
    lists in code order), ``resident_grade_yuan`` (uint16), ``flags`` (uint8 bits of
    ``value_lists["flags"]``), one column per declared fact (boolean: bool,
    enumeration: category, integer: int32, date: datetime64[ns], flags: int32 bits),
    ``unit_id`` (when the roster has it; "" for none), then the roster's other
    columns as text. ``frame.attrs``: ``source``, ``lines`` (each row's line in the
    file) and ``extra_columns`` (the columns canbao does not read, kept in the frame,
    as the CLI writes them back).

    A bad row raises InputError naming ``file:line:column`` (``.line``, ``.column``);
    a DataFrame's errors name its row and column (``roster.birth_date[3]``). With
    ``rejects=True`` bad rows are kept apart instead: returns ``(frame, rejects)``,
    the rejects a frame of ``line``, ``column``, ``reason`` and the row's fields as
    read (ID numbers masked).
    """
    pandas = _pandas()
    handle = policy._handle if policy is not None else None
    day = None
    if as_of is not None:
        from ._api import _day_number
        day = _day_number(as_of)
    if _is_frame(source):
        text, header = _frame_csv(source, policy)
        data, name = text.encode("utf-8"), _FRAME_SOURCE
        encoding = "utf-8"
    else:
        data, name = _source_bytes(source, "roster")
    try:
        cols = _core.read_roster_columns(data, name, day, rejects, handle, encoding, delimiter)
    except InputError as e:
        if _is_frame(source):
            raise _frame_error(e, source, header, text) from None
        raise
    lists = policy.value_lists if policy is not None else {
        "insurance_status": _core.INSURANCE_STATUSES, "employment": _core.EMPLOYMENTS}
    frame_data: Dict[str, Any] = {
        "id": _np.asarray(cols["id"], dtype=object),
        "id_number_masked": _np.asarray(cols["id_number_masked"], dtype=object),
        "sex": pandas.Categorical.from_codes(cols["sex"], ["male", "female"]),
        "birth_date": _days(cols["birth_day"]),
        "hukou_local": cols["hukou_local"],
        "insurance_status": pandas.Categorical.from_codes(cols["insurance_status"],
                                                          list(lists["insurance_status"])),
        "employment": pandas.Categorical.from_codes(cols["employment"], list(lists["employment"])),
        "resident_grade_yuan": cols["resident_grade_yuan"],
        "flags": cols["flags"],
    }
    for f, codes in zip(policy.facts if policy is not None else [], cols["facts"]):
        frame_data[f["id"]] = _fact_series(f, codes)
    if cols["unit_id"] is not None:
        frame_data["unit_id"] = _np.asarray(cols["unit_id"], dtype=object)
    extra_columns = []
    for column, values in zip(cols["extra_columns"], cols["extra"]):
        if column == cols["unit_id_header"] or column in frame_data:
            continue  # unit_id (as 单位编码 too), or a read_roster frame's id_number_masked read back
        frame_data[column] = _np.asarray(values, dtype=object)
        extra_columns.append(column)
    frame = pandas.DataFrame(frame_data)
    frame.attrs["source"] = cols["source"] if not _is_frame(source) else _FRAME_SOURCE
    frame.attrs["lines"] = cols["lines"]
    frame.attrs["extra_columns"] = extra_columns
    if not rejects:
        return frame
    header_cols = [str(h) for h in cols["header"]]
    bad = pandas.DataFrame({
        "line": _np.array([r["line"] for r in cols["rejects"]], dtype=_np.int64),
        "column": _np.array([r["column"] for r in cols["rejects"]], dtype=_np.int64),
        "reason": _np.array([r["reason"] for r in cols["rejects"]], dtype=object),
    })
    for i, h in enumerate(header_cols):
        bad[h] = _np.array([r["fields"][i] if i < len(r["fields"]) else "" for r in cols["rejects"]], dtype=object)
    return frame, bad


def read_progress(source: Any, policy: Any, *, encoding: str = "utf-8", delimiter: str = "detect") -> Any:
    """Reads progress into a typed pandas DataFrame with the C++ progress reader (the CLI's rules).

    ``source``: a path, the file's bytes, or a DataFrame (``pandas.read_excel(path)``).
    Chinese headers (单位编码, 指标, 日期, 数值, ...), unit names in a 单位 column,
    dates as 2021/6/1 or 20210601, values as "1,330"; ``encoding="gb18030"`` and
    ``delimiter`` as in :func:`read_roster`. Every row is checked against ``policy``
    (units, metrics, segments, duplicates); errors name ``file:line:column``.

    Columns: ``unit_id``, ``metric`` (object), ``date`` (datetime64[ns]), ``value``
    (int64), ``segment`` (object, "" for whole-unit rows; only when the file has the
    column), ``submitted`` (datetime64[ns], NaT unknown; only when the file has it).
    Columns the reader does not read are left out and, as the CLI tells them, named
    in a warning and in ``frame.attrs["ignored_columns"]``. ``frame.attrs`` also
    holds ``source`` and ``lines``. ``policy.payouts(read_progress(p, policy), d)``
    is ``policy.payouts(p, d)``.
    """
    pandas = _pandas()
    if policy is None or not hasattr(policy, "_handle"):
        raise ArgumentError("policy: read_progress needs the Policy the rows are checked against",
                            "policy", "expected a Policy")
    if _is_frame(source):
        text, header = _frame_csv(source)
        data, name, encoding = text.encode("utf-8"), _FRAME_SOURCE, "utf-8"
    else:
        data, name = _source_bytes(source, "progress")
    try:
        cols = _core.read_progress_columns(data, name, policy._handle, encoding, delimiter)
    except InputError as e:
        if _is_frame(source):
            raise _frame_error(e, source, header, text, "progress") from None
        raise
    frame_data: Dict[str, Any] = {
        "unit_id": _np.array(cols["unit_ids"], dtype=object)[cols["unit"]],
        "metric": _np.array(cols["metric_ids"], dtype=object)[cols["metric"]],
        "date": _days(cols["day"]),
        "value": cols["value"],
    }
    if cols["segment"] is not None:
        frame_data["segment"] = _np.array(cols["segment_ids"], dtype=object)[cols["segment"]]
    if cols["submitted"] is not None:
        submitted = cols["submitted"]
        unknown = submitted == _np.iinfo(_np.int32).min
        frame_data["submitted"] = _days(_np.where(unknown, 0, submitted))
        frame_data["submitted"][unknown] = _np.datetime64("NaT")
    frame = pandas.DataFrame(frame_data)
    ignored = list(cols["ignored_columns"])
    frame.attrs["source"] = name
    frame.attrs["lines"] = cols["lines"]
    frame.attrs["ignored_columns"] = ignored
    if ignored:
        _warnings.warn(f"{name}: ignored columns: {', '.join(ignored)}", UserWarning, stacklevel=2)
    return frame

