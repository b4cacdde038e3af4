"""The Python face of canbao: Policy and the policy-free helpers.

Every evaluation is one JSON request to the C++ core (the same surface the C
ABI's ``canbao_call_json`` uses), so Python answers are the C++ answers. Whole
rosters go through :meth:`Policy.recommend_batch`, which hands numpy columns to
the C++ batch engine in place, without the GIL.
"""

from __future__ import annotations

import datetime as _dt
import json as _json
import os as _os
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple, Union

import numpy as _np

from . import _core
from ._errors import ArgumentError, InputError, PolicyError

__all__ = [
    "Policy",
    "retirement",
    "parse_id",
    "SCHEMES",
    "ACTIONS",
    "INSURANCE_STATUSES",
    "EMPLOYMENTS",
    "FLAGS",
]

# The name tables come from the C++ core (_core), so they cannot drift from it.
#: Scheme codes of ``recommend_batch()["scheme"]``: SCHEMES[code] is the name.
SCHEMES = _core.SCHEMES
#: Bit i of ``recommend_batch()["actions"]`` is ACTIONS[i].
ACTIONS = _core.ACTIONS
#: Codes of the ``insurance_status`` column: INSURANCE_STATUSES[code] is the name.
INSURANCE_STATUSES = _core.INSURANCE_STATUSES
#: Codes of the ``employment`` column.
EMPLOYMENTS = _core.EMPLOYMENTS
#: Bit i of the ``flags`` column is FLAGS[i].
FLAGS = _core.FLAGS

DateLike = Union[str, _dt.date, "_np.datetime64"]


def _json_default(value: Any) -> Any:
    """Turns dates and numpy scalars into JSON; anything else is an error."""
    if isinstance(value, _dt.datetime):
        if value.time() != _dt.time(0):
            raise InputError(f"{value!r}: expected a day, got a time of day", "", "expected a day")
        return value.date().isoformat()
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, _np.datetime64):
        return str(value.astype("datetime64[D]"))
    if isinstance(value, _np.integer):
        return int(value)
    if isinstance(value, _np.bool_):
        return bool(value)
    if isinstance(value, _np.ndarray):
        return value.tolist()
    raise ArgumentError(f"cannot send a {type(value).__name__} to canbao", "", "")


def _iso(day: DateLike, name: str) -> str:
    """A date argument as ISO text (validated by the core)."""
    if isinstance(day, str):
        return day
    if isinstance(day, (_dt.date, _np.datetime64)):
        return _json_default(day)
    raise ArgumentError(f"{name}: expected a date or 'YYYY-MM-DD', got {type(day).__name__}", name,
                        "expected a date or 'YYYY-MM-DD'")


def _day_number(day: DateLike, name: str = "as_of") -> int:
    """A date's day number by the core's rule (exactly YYYY-MM-DD, a real day,
    inside the supported range), the rule of every other door."""
    return _core.day_number(_iso(day, name), name)


def _request_text(request: Mapping[str, Any]) -> str:
    try:
        return _json.dumps(request, default=_json_default, ensure_ascii=False, allow_nan=False)
    except RecursionError:
        raise InputError("request: nested too deeply to send", "request", "nested too deeply to send") from None
    except ValueError as e:  # NaN or infinity
        raise InputError(f"request: {e}", "request", str(e)) from None


def _call(handle: Optional["_core.PolicyHandle"], request: Mapping[str, Any]) -> Any:
    return _json.loads(_core.call_json(handle, _request_text(request)))


def _read_text(path: Any, what: str) -> str:
    """A file's UTF-8 text, read here: the core never opens files a request names."""
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as e:
        raise InputError(f"{what}: cannot open {_os.fspath(path)!r} ({e.strerror})", what,
                         f"cannot open {_os.fspath(path)!r}") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        # Name the place as the CSV readers do: file:line:column (column = field).
        line, field, quoted = 1, 1, False
        for byte in data[:e.start]:
            if byte == 0x22:
                quoted = not quoted
            elif byte == 0x2C and not quoted:
                field += 1
            elif byte == 0x0A:
                line += 1
                if not quoted:
                    field = 1
        where = f"{_os.fspath(path)}:{line}:{field}"
        message = (f"not valid UTF-8 (byte 0x{data[e.start]:02X}); "
                   "save the file as UTF-8 (GBK is not supported yet)")
        raise InputError(f"{where}: {message}", where, message) from None


def _progress_fields(progress: Any) -> Dict[str, Any]:
    """progress: a CSV path, a list of observation dicts, or a pandas DataFrame."""
    if isinstance(progress, (str, _os.PathLike)):
        path = _os.fspath(progress)
        return {"progress_csv": _read_text(path, "progress"), "progress_csv_name": path}
    if hasattr(progress, "to_dict") and hasattr(progress, "columns"):  # a pandas DataFrame
        # An empty cell of the optional segment column (NaN or None) is a row of
        # the unit's whole figures: the key is left out, as in a list of dicts.
        records = progress.to_dict("records")
        for r in records:
            if "segment" in r and _is_missing(r["segment"]):
                del r["segment"]
            if "submitted" in r and _is_missing(r["submitted"]):  # submission unknown
                del r["submitted"]
        return {"progress": records}
    if isinstance(progress, Sequence):
        return {"progress": list(progress)}
    raise ArgumentError(
        f"progress: expected a CSV path, a list of dicts or a DataFrame, got {type(progress).__name__}",
        "progress", "expected a CSV path, a list of dicts or a DataFrame")


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


class Policy:
    """A loaded, validated campaign policy (immutable; safe to share across threads).

    Create one with :meth:`from_file` or :meth:`from_json`. Every evaluation
    returns plain dicts and lists (``recommend_batch`` returns numpy arrays).
    Dates are ``'YYYY-MM-DD'`` strings or ``datetime.date``; money is integer fen.

    Methods:
        recommend(person, as_of)        scheme, actions and priority groups for one person
        recommend_batch(columns, as_of) the same for a whole roster of numpy / pandas columns
        facts                           the declared facts (batch columns, person keys)
        value_lists                     the built-in value lists with the values the policy adds
        payouts(progress, as_of)        work-fund payout of every village (000's tiers)
        scores(progress, as_of)         scores, grades and ranking
        report(progress, as_of)         everything known as of a day
        values(progress, as_of, unit=None, metric=None)
                                        any metric of any unit with its target and shortfall
        phases_on(date)                 campaign phases active on a day
        to_json(), fingerprint          canonical JSON and its SHA-256
    """

    __slots__ = ("_handle",)

    def __init__(self, handle: "_core.PolicyHandle") -> None:
        """Use Policy.from_file or Policy.from_json."""
        if not isinstance(handle, _core.PolicyHandle):
            raise ArgumentError("use Policy.from_file(path) or Policy.from_json(text)", "handle", "")
        self._handle = handle

    @classmethod
    def from_json(cls, text: str, source: str = "policy") -> "Policy":
        """Loads and validates a policy from JSON text.

        Raises PolicyError whose ``.path`` is the JSON path of the problem
        (``campaign.phases[0].end``); ``source`` names the text in syntax errors.
        """
        return cls(_core.PolicyHandle.from_json(text, source))

    @classmethod
    def from_file(cls, path: Union[str, "_os.PathLike[str]"]) -> "Policy":
        """Loads and validates a policy file (UTF-8 JSON). Raises PolicyError."""
        return cls(_core.PolicyHandle.from_file(_os.fspath(path)))

    def to_json(self, indent: int = 2) -> str:
        """The canonical JSON of the policy: ``Policy.from_json(p.to_json())`` is the same policy."""
        return self._handle.to_json(indent)

    @property
    def fingerprint(self) -> str:
        """SHA-256 (hex) of the canonical JSON: equal policies have equal fingerprints."""
        return self._handle.fingerprint

    def __repr__(self) -> str:
        return f"<canbao.Policy {self.fingerprint[:12]}>"

    def reform(self, patch: Any, kind: str = "detect") -> "Policy":
        """A new policy: this one with ``patch`` applied and validated like any policy.

        ``patch`` is a JSON Merge Patch (RFC 7386, a dict) or a JSON Patch (RFC 6902, a
        list of operations), as Python data, JSON text, or a path to a ``.json`` file.
        ``kind`` forces ``"merge_patch"`` or ``"json_patch"``; the default detects it.
        A failing JSON Patch operation raises PolicyError naming ``patch[i]``; an invalid
        result raises PolicyError naming the JSON path in the reformed policy. The new
        policy remembers its base fingerprint and patch (``provenance``).
        """
        if isinstance(patch, _os.PathLike) or (isinstance(patch, str) and not patch.lstrip().startswith(("{", "["))):
            with open(patch, encoding="utf-8") as f:
                text = f.read()
        elif isinstance(patch, str):
            text = patch
        else:
            try:
                text = _json.dumps(patch, ensure_ascii=False)
            except RecursionError:
                raise PolicyError("patch: nested too deeply to send", "patch", "nested too deeply to send") from None
        return Policy(self._handle.reform(text, kind))

    @property
    def provenance(self) -> Optional[Dict[str, str]]:
        """``{"base_fingerprint", "patch_kind", "patch"}`` for a reformed policy, else None."""
        return self._handle.provenance

    def call(self, request: Mapping[str, Any]) -> Any:
        """Any JSON op (``{"op": "report", ...}``) as in the C ABI's canbao_call_json."""
        return _call(self._handle, request)

    def recommend(self, person: Mapping[str, Any], as_of: DateLike) -> Dict[str, Any]:
        """Recommends a scheme, actions and priority groups for one person.

        ``person`` keys: ``sex`` ("male"/"female"), ``birth_date``, or instead of
        both ``id_number``; optional ``hukou_local`` (bool), ``insurance_status``,
        ``employment`` (names as in :attr:`values`: the built-in INSURANCE_STATUSES,
        EMPLOYMENTS and those the policy adds), ``resident_grade_yuan`` (int) and
        ``flags`` (list of names of ``values["flags"]``).
        The policy's declared facts (:attr:`facts`) go under ``"facts"`` or at the top
        level, by id, in their natural types: ``True``, ``12``, ``"cadre"``, a date or
        ``"2023-06-30"``, ``["graduate"]`` (or ``"graduate;fisher"``); one left out takes
        its default.
        Returns ``{"scheme", "actions", "groups", "facts", "fired", "reason_zh", "reason_en"}``.
        Raises InputError naming the field (``.path == "request.person.sex"``).
        """
        return _call(self._handle, {"op": "recommend", "as_of": _iso(as_of, "as_of"),
                                    "person": _person_request(self._handle.facts, person)})

    @property
    def facts(self) -> List[Dict[str, Any]]:
        """The facts the policy declares beyond the built-in ones, in declaration order.

        Each a dict: ``id`` (the column name in :meth:`recommend_batch`), ``name``,
        ``type`` ("boolean", "enumeration", "integer", "date" or "flags"), ``values``
        (``(id, name)`` pairs: an enumeration's code i, a flag set's bit i), ``min``
        and ``max`` (integer; day numbers for a date), ``column`` (the roster CSV
        column) and ``default`` (its code, or None when the fact is required).
        """
        return self._handle.facts

    @property
    def value_lists(self) -> Dict[str, Tuple[str, ...]]:
        """The built-in value lists as this policy extends them (its ``facts`` entries
        ``{"extends": ...}``, docs/facts.md#extending-the-built-in-lists).

        ``{"insurance_status": (...), "employment": (...), "flags": (...)}``, each a
        tuple of ids in code order: ``value_lists["employment"][code]`` is the name of an
        ``employment`` code, ``value_lists["flags"][i]`` the flag of bit i. The built-in
        values come first, so a policy that adds none gives INSURANCE_STATUSES,
        EMPLOYMENTS and FLAGS; added values follow (``"veteran"`` is employment 9).
        """
        return self._handle.builtin_values

    def recommend_batch(self, columns: Any, as_of: DateLike, *, names: bool = False,
                        out: Optional[Dict[str, _np.ndarray]] = None) -> Dict[str, _np.ndarray]:
        """Recommends for a whole roster given as columns; returns columns.

        ``columns``: a dict of numpy arrays (or lists) or a pandas DataFrame with
        ``sex`` (0 male / 1 female, or names), ``birth_day`` (int32 days since
        1970-01-01) or ``birth_date`` (datetime64 or ISO strings), and optional
        ``hukou_local``, ``insurance_status``, ``employment`` (codes or names of
        :attr:`values`, which holds the values the policy adds after the built-in
        ones), ``resident_grade_yuan`` (uint16) and ``flags`` (uint8 bits of
        ``values["flags"]``, or text ``"dibao;veteran"``).
        Any fact the policy declares (:attr:`facts`) is a column by its id:
        int32 codes (used in place), other integers or bools, or text in the
        declaration's form (enumeration ids, flags as ``"a;b"``, ISO dates; datetime64
        for a date fact); a fact left out, or a missing cell, takes its default.
        Other columns are an error. Columns already of the native dtype
        (uint8, int32, uint16) and contiguous are used in place, not copied; the
        C++ engine runs without the GIL.

        Returns ``{"scheme": uint8, "actions": uint8, "groups": uint8,
        "fired_rows": uint64}`` arrays (and ``"scheme_name"`` when ``names``),
        ready for ``pandas.DataFrame(...)``. Same answers as :meth:`recommend`.

        ``out``: optionally a dict of those four arrays, caller-owned (exact dtype,
        contiguous, writeable, one value per person), filled in place and returned —
        numpy's ``out=`` idiom, so repeated calls over chunks reuse memory.
        """
        if hasattr(columns, "columns") and hasattr(columns, "__getitem__") and not isinstance(columns, Mapping):
            columns = {str(c): columns[c].to_numpy() for c in columns.columns}
        if not isinstance(columns, Mapping):
            raise ArgumentError("columns: expected a dict of arrays or a pandas DataFrame", "columns", "")
        facts = self._handle.facts
        known = _BATCH_COLUMNS + tuple(f["id"] for f in facts)
        unknown = sorted(set(columns) - set(known))
        if unknown:
            raise InputError(f"columns.{unknown[0]}: unknown column (expected: {', '.join(known)})",
                             f"columns.{unknown[0]}", "unknown column")
        if "sex" not in columns:
            raise InputError("columns.sex: required column is missing", "columns.sex", "required column is missing")
        sex = _column(columns["sex"], "sex", _np.uint8, _core.SEXES)
        n = len(sex)
        arrays = {"sex": sex, "birth_day": _birth_days(columns)}
        dtypes = {"hukou_local": _np.uint8, "insurance_status": _np.uint8, "employment": _np.uint8,
                  "resident_grade_yuan": _np.uint16, "flags": _np.uint8}
        values = self.value_lists  # the built-in lists with the values this policy adds
        for name, dtype in dtypes.items():
            if name in columns:
                arrays[name] = _column(columns[name], name, dtype, values.get(name))
            else:
                arrays[name] = _np.full(n, _BATCH_DEFAULTS[name], dtype=dtype)
        fact_columns = [None if f["id"] not in columns else
                        _fact_column(self._handle, i, f, columns[f["id"]]) for i, f in enumerate(facts)]
        day = _day_number(as_of)
        # Input errors already name columns.<name>[row] (the library's batch entry).
        result = _core.recommend_columns(self._handle, day, arrays["sex"], arrays["birth_day"],
                                         arrays["hukou_local"], arrays["insurance_status"],
                                         arrays["employment"], arrays["resident_grade_yuan"], arrays["flags"],
                                         facts=fact_columns, out=out)
        if names:
            result["scheme_name"] = _np.array(SCHEMES, dtype=object)[result["scheme"]]
        return result

    def payouts(self, progress: Any, as_of: DateLike) -> Dict[str, Any]:
        """Work-fund payouts (000 五: 100/80/60 fen per insured person by deadline tier).

        ``progress``: a CSV path (columns unit_id, metric, date, value), a list of
        ``{"unit_id", "metric", "date", "value"}`` dicts, or a DataFrame with those
        columns. Returns ``{"as_of", "payer", "total_fen", "payouts": [...]}``.
        """
        return _call(self._handle, {"op": "payouts", "as_of": _iso(as_of, "as_of"), **_progress_fields(progress)})

    def scores(self, progress: Any, as_of: DateLike) -> Dict[str, Any]:
        """Scores, grades and ranks of the ranked units (progress as in :meth:`payouts`)."""
        return _call(self._handle, {"op": "scores", "as_of": _iso(as_of, "as_of"), **_progress_fields(progress)})

    def report(self, progress: Any, as_of: DateLike) -> Dict[str, Any]:
        """Everything known as of a day: phases, next reporting deadline, completions,
        milestones, work fund, scores and projections (progress as in :meth:`payouts`)."""
        return _call(self._handle, {"op": "report", "as_of": _iso(as_of, "as_of"), **_progress_fields(progress)})

    def unit_counts(self, roster: Any, as_of: DateLike) -> Dict[str, Any]:
        """Per-unit counts of a roster's recommendations next to each unit's targets.

        ``roster``: a roster CSV path, or a DataFrame with the roster columns (read by
        the same C++ reader as the CLI), with a ``unit_id`` column linking each row to
        a policy unit (an empty cell: a person of no unit). A unit counts its own rows
        and those of every unit below it. Returns ``{"persons", "units": [{"unit_id",
        "name", "level", "persons", "own_persons", "schemes", "actions", "groups",
        "insurance_status", "targets"}, ...], "unlinked": {...}}`` (docs/roster.md).
        """
        request: Dict[str, Any] = {"op": "unit_counts", "as_of": _iso(as_of, "as_of")}
        if isinstance(roster, (str, _os.PathLike)):
            path = _os.fspath(roster)
            request.update(roster_csv=_read_text(path, "roster"), roster_csv_name=path)
        elif hasattr(roster, "to_csv") and hasattr(roster, "columns"):  # a pandas DataFrame
            # Missing cells are empty CSV cells, as in a roster file.
            request.update(roster_csv=roster.to_csv(index=False, lineterminator="\n"),
                           roster_csv_name="roster")
        else:
            raise ArgumentError(
                f"roster: expected a CSV path or a DataFrame, got {type(roster).__name__}",
                "roster", "expected a CSV path or a DataFrame")
        return _call(self._handle, request)

    def projections(self, progress: Any, as_of: DateLike, observations: Optional[int] = None) -> Dict[str, Any]:
        """Projections as of a day (docs/projections.md): each unit's trend to every
        milestone due later (outlook will_make_it / at_risk / will_miss / no_trend,
        projected value, daily rate needed) and the projected work-fund bill.
        ``observations`` overrides the policy's N (the last N observation points
        the least-squares line is fitted to); progress as in :meth:`payouts`."""
        request: Dict[str, Any] = {"op": "projections", "as_of": _iso(as_of, "as_of"), **_progress_fields(progress)}
        if observations is not None:
            request["observations"] = observations
        return _call(self._handle, request)

    def values(self, progress: Any, as_of: DateLike, unit: Optional[str] = None,
               metric: Optional[str] = None, segment: Optional[str] = None) -> List[Dict[str, Any]]:
        """Every metric (or ``metric``) of every unit (or ``unit``) as of a day: a
        list of ``{unit_id, metric, kind, value, target, shortfall, own,
        last_observed}`` with exact decimal strings (docs/values.md; progress as
        in :meth:`payouts`)."""
        request: Dict[str, Any] = {"op": "values", "as_of": _iso(as_of, "as_of"),
                                   **_progress_fields(progress)}
        for key, given in (("unit", unit), ("metric", metric), ("segment", segment)):
            if given is not None:
                request[key] = given
        return _call(self._handle, request)

    def phases_on(self, date: DateLike) -> List[Dict[str, Any]]:
        """The campaign phases active on a day (several when phases overlap), in policy order."""
        return _call(self._handle, {"op": "phases_on", "date": _iso(date, "date")})

    def costs(self, as_of: DateLike, progress: Any = None, roster: Any = None) -> Dict[str, Any]:
        """The campaign's cost in exact fen (docs/costs.md): the work fund and incentives
        from ``progress`` (as in :meth:`payouts`), subsidies and 代缴 from ``roster`` (a
        roster CSV path, docs/roster.md), 补缴 apart as collected.
        Give either or both. Returns ``{"total_fen", "payers", "incentives", ...}``;
        persons carry the roster's row id, never the ID number.
        """
        request: Dict[str, Any] = {"op": "costs", "as_of": _iso(as_of, "as_of")}
        if progress is not None:
            request.update(_progress_fields(progress))
        if roster is not None:
            path = _os.fspath(roster)
            request["roster_csv"] = _read_text(path, "roster")
            request["roster_csv_name"] = path
        return _call(self._handle, request)


def retirement(sex: str, birth: DateLike, original_age: Optional[int] = None) -> Dict[str, Any]:
    """Statutory retirement under the 2024 reform (in force 2025-01-01).

    ``sex``: "male"/"female"; ``birth``: a date or "YYYY-MM" (only the month
    matters); ``original_age``: 60 (men), 55 or 50 (women; default 55).
    Returns the statutory age, retirement month and date, minimum contribution
    months and the flexible window.
    """
    request: Dict[str, Any] = {"op": "retirement", "sex": sex, "birth": _iso(birth, "birth")}
    if original_age is not None:
        request["original_age"] = original_age
    return _call(None, request)


def parse_id(number: str) -> Dict[str, Any]:
    """Validates an 18-digit resident ID number (GB 11643-1999).

    Returns ``{"region_code", "birth_date", "sex"}``. Nothing more of the number
    is returned, not even its masked form: masked (first 6 + last 4) plus the
    birth date would spell it whole. Raises InputError explaining what is wrong
    (the message never contains the number).
    """
    return _call(None, {"op": "parse_id", "number": number})
