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
from ._columns import _is_missing, _person_request
from ._frames import result as _result
from ._missing import _no_missing_cells, _no_missing_values
from ._batch import recommend_batch as _recommend_batch

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
        if what in ("roster", "progress"):
            # The table readers' own check names the place (file:line:column, tabs
            # too) and says what to do (docs/office-data.md): never converted here.
            _core.check_table_text(data, _os.fspath(path))
        line = data.count(b"\n", 0, e.start) + 1
        where = f"{_os.fspath(path)}:{line}"
        message = f"not valid UTF-8 (byte 0x{data[e.start]:02X}); save the file as UTF-8"
        raise InputError(f"{where}: {message}", where, message, line=line) from None


def _progress_fields(progress: Any) -> Dict[str, Any]:
    """progress: a CSV path, a list of observation dicts, or a pandas DataFrame."""
    if isinstance(progress, (str, _os.PathLike)):
        path = _os.fspath(progress)
        return {"progress_csv": _read_text(path, "progress"), "progress_csv_name": path}
    if hasattr(progress, "to_dict") and hasattr(progress, "columns"):  # a pandas DataFrame
        # An empty cell of the optional segment column (NaN or None) is a row of
        # the unit's whole figures: the key is left out, as in a list of dicts.
        _no_missing_cells(progress)
        records = progress.to_dict("records")
        for r in records:
            if "segment" in r and _is_missing(r["segment"]):
                del r["segment"]
            if "submitted" in r and (_is_missing(r["submitted"]) or r["submitted"] != r["submitted"]):  # unknown (NaT)
                del r["submitted"]
        return {"progress": records}
    if isinstance(progress, Sequence):
        _no_missing_values(progress)
        return {"progress": list(progress)}
    raise ArgumentError(
        f"progress: expected a CSV path, a list of dicts or a DataFrame, got {type(progress).__name__}",
        "progress", "expected a CSV path, a list of dicts or a DataFrame")


from ._readers import _call_with_frame, _roster_fields  # noqa: E402 (uses _read_text above)


class Policy:
    """A loaded, validated campaign policy (immutable; safe to share across threads).

    Create one with :meth:`from_file` or :meth:`from_json`. Evaluations return
    :class:`canbao.Result` (a dict with ``fingerprint``, ``to_frame()`` and a
    Jupyter display), or pandas DataFrames with ``as_frame=True``
    (``recommend_batch`` returns numpy arrays). Dates are ``'YYYY-MM-DD'``
    strings or ``datetime.date``; money is integer fen.

    Methods:
        from_file(path), from_json(text)  load and validate a policy
        recommend(person, as_of)        scheme, actions and priority groups for one person
        recommend_batch(columns, as_of) the same for a whole roster of numpy / pandas columns
        facts                           the declared facts (batch columns, person keys)
        value_lists                     the built-in value lists with the values the policy adds
        payouts(progress, as_of)        work-fund payout of every village (000's tiers)
        scores(progress, as_of)         scores, grades and ranking
        report(progress, as_of)         everything known as of a day
        values(progress, as_of, unit=None, metric=None, segment=None)
                                        any metric of any unit with its target and shortfall
        projections(progress, as_of)    trends to the milestones due later, projected work fund
        costs(as_of, progress, roster)  the campaign's cost in fen: work fund, incentives, subsidies
        unit_counts(roster, as_of)      per-unit counts of a roster's recommendations and targets
        phases_on(date)                 campaign phases active on a day
        reform(patch)                   a new policy: this one with a JSON (Merge) Patch applied
        provenance                      base fingerprint and patch of a reformed policy
        call(request)                   any JSON op of the C ABI's canbao_call_json
        to_json(), fingerprint          canonical JSON and its SHA-256

    A Policy pickles (as its canonical JSON and fingerprint, checked on loading;
    a reformed policy keeps its provenance), ``copy``/``deepcopy`` return it
    (it is immutable), ``==`` and ``hash`` go by fingerprint, and Jupyter shows
    its campaign, period, units and phases.
    """

    __slots__ = ("_handle",)

    def __init__(self, handle: "_core.PolicyHandle") -> None:
        """Use Policy.from_file or Policy.from_json."""
        if not isinstance(handle, _core.PolicyHandle):
            raise ArgumentError("use Policy.from_file(path) or Policy.from_json(text)", "handle", "")
        self._handle = handle

    @classmethod
    def from_json(cls, text: str, source: str = "policy",
                  tables: Optional[Mapping[str, str]] = None) -> "Policy":
        """Loads and validates a policy from JSON text.

        Raises PolicyError whose ``.path`` is the JSON path of the problem
        (``campaign.phases[0].end``); ``source`` names the text in syntax errors.
        ``tables`` gives the text of a unit table the policy names
        (``{"units.csv": csv_text}``, docs/units-table.md): no file is read.
        """
        if tables is not None:
            return cls(_core.PolicyHandle.from_json_with_tables(text, dict(tables), source))
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

    def __reduce__(self) -> Tuple[Any, Tuple[Any, ...]]:
        """Pickles as (canonical JSON, compact: the text the fingerprint hashes; fingerprint;
        provenance), restored by canbao._objects.restore_policy."""
        from ._objects import restore_policy

        return (restore_policy, (self.to_json(-1), self.fingerprint, self.provenance))

    def __copy__(self) -> "Policy":
        return self  # immutable: a copy would be the same thing

    def __deepcopy__(self, memo: Dict[int, Any]) -> "Policy":
        return self

    def __eq__(self, other: object) -> bool:
        """Same rules, same fingerprint (provenance, being history, is not compared)."""
        if not isinstance(other, Policy):
            return NotImplemented
        return self.fingerprint == other.fingerprint

    def __hash__(self) -> int:
        return hash(self.fingerprint)

    def _repr_html_(self) -> str:
        """Jupyter's display: campaign, period, units count, phases and fingerprint."""
        from ._html import policy_html

        return policy_html(self)

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
                        keep: Union[None, bool, Sequence[Any]] = None, as_frame: Optional[bool] = None,
                        out: Optional[Dict[str, _np.ndarray]] = None,
                        fired: Optional[str] = "rows") -> Any:
        """Recommends for a whole roster given as columns; returns columns.

        ``columns``: a pandas DataFrame (a ``canbao.read_roster`` frame, or one as
        analysts hold it) or a dict of numpy arrays (or lists) with ``sex`` (0 male /
        1 female, or ``male`` / ``female`` / 男 / 女), ``birth_day`` (int32 days since
        1970-01-01) or ``birth_date`` (datetime64 or ISO text), and optional
        ``hukou_local``, ``insurance_status``, ``employment`` (codes or names of
        :attr:`value_lists`, which holds the values the policy adds after the built-in
        ones), ``resident_grade_yuan`` (uint16) and ``flags`` (uint8 bits of
        ``value_lists["flags"]``, or text ``"dibao;veteran"``).
        Any fact the policy declares (:attr:`facts`) is a column by its id:
        int32 codes (used in place), other integers or bools, or text in the
        declaration's form (enumeration ids, flags as ``"a;b"``, ISO dates; datetime64
        for a date fact); a fact left out, or a missing cell, takes its default.

        Every column may be numpy (ints, bool, datetime64, text), pandas
        ``category`` (its categories mapped once, the codes looked up in C++),
        ``string`` / object text (factorized, each distinct text read once) or
        nullable ``Int8``..``UInt64`` / ``boolean``. A missing cell (None, NaN, NA,
        "", NaT, category code -1) of ``flags`` or ``resident_grade_yuan`` is none / 0,
        as an empty cell of the CLI's roster; elsewhere it is an InputError naming
        ``columns.<name>[row]``. A DataFrame's columns canbao does not use
        (``person_id``, ``village``) are ignored; a dict's unknown key is an error
        (a typo would otherwise silently take the default). Columns already of the
        native dtype (uint8, int32, uint16) and contiguous are used in place, not
        copied; the C++ engine runs without the GIL.

        Returns, when ``as_frame`` (default: True for a DataFrame, False for a
        dict), a DataFrame on the input's index: ``scheme`` (category of
        :data:`SCHEMES`), ``actions`` (uint8 bits of :data:`ACTIONS`), ``groups``
        (uint8, bit g-1 for group g), ``fired_rows`` (uint64; policies of over 64
        decision rows: ``fired_rows_0``..``fired_rows_k``, 64 rows each); with
        ``names`` ``actions`` and ``groups`` are text categories
        (``"transfer_in;resume_payment"``, ``"g1;g3"``, ``""`` for none). Otherwise
        ``{"scheme": uint8, "actions": uint8, "groups": uint8, "fired_rows": uint64}``
        arrays (and ``"scheme_name"`` when ``names``). Same answers as :meth:`recommend`.

        ``keep``: input columns (a list of labels, or True for all) passed through
        after the result columns; a label not in the input is an ArgumentError.

        ``out``: optionally a dict of the four result arrays, caller-owned (exact
        dtype, contiguous, writeable, one value per person), filled in place and
        returned — numpy's ``out=`` idiom, so repeated calls over chunks reuse
        memory. Only with a dict result (``as_frame=False``).

        ``fired``: ``"rows"`` (default) gives ``fired_rows`` as above. ``"set"``
        gives the narrow form instead, cheaper to write and to keep: ``fired_set``
        (uint8, the number of the person's fired-row set) and the sets once,
        ``fired_sets`` (uint64, one row per set; (sets, words) past 64 rows) — a
        dict key, or ``frame.attrs["fired_sets"]`` — so that
        ``fired_sets[fired_set]`` equals ``fired_rows``. It is an ArgumentError
        naming why for a policy whose tables do not number at most 256 sets on
        that day. ``None``: neither column (the fastest).
        """
        return _recommend_batch(self._handle, columns, _day_number(as_of), names=names, keep=keep,
                                as_frame=as_frame, out=out, fired=fired)

    def payouts(self, progress: Any, as_of: DateLike, *, as_frame: bool = False) -> Any:
        """Work-fund payouts (000 五: 100/80/60 fen per insured person by deadline tier).

        ``progress``: a CSV path (columns unit_id, metric, date, value), a list of
        ``{"unit_id", "metric", "date", "value"}`` dicts, or a DataFrame with those
        columns. Returns ``{"as_of", "payer", "total_fen", "payouts": [...]}`` (a
        :class:`canbao.Result`); with ``as_frame=True`` a DataFrame, one row per unit
        (index ``unit_id``), ``attrs`` as_of, total_fen, payer and fingerprint.
        A missing required cell raises InputError ``progress[3].value: missing value``.
        """
        return _result("payouts", _call(self._handle, {"op": "payouts", "as_of": _iso(as_of, "as_of"),
                                                       **_progress_fields(progress)}), self.fingerprint, as_frame)

    def scores(self, progress: Any, as_of: DateLike, *, as_frame: bool = False) -> Any:
        """Scores, grades and ranks of the ranked units (progress as in :meth:`payouts`);
        ``as_frame=True``: a DataFrame of the units (index ``unit_id``)."""
        return _result("scores", _call(self._handle, {"op": "scores", "as_of": _iso(as_of, "as_of"),
                                                     **_progress_fields(progress)}), self.fingerprint, as_frame)

    def report(self, progress: Any, as_of: DateLike, *, as_frame: bool = False) -> Any:
        """Everything known as of a day: phases, next reporting deadline, completions,
        milestones, work fund, scores and projections (progress as in :meth:`payouts`).
        ``as_frame=True``: a dict of DataFrames (keys in docs/getting-started-python.md)."""
        return _result("report", _call(self._handle, {"op": "report", "as_of": _iso(as_of, "as_of"),
                                                     **_progress_fields(progress)}), self.fingerprint, as_frame)

    def unit_counts(self, roster: Any, as_of: DateLike, *, as_frame: bool = False) -> Any:
        """Per-unit counts of a roster's recommendations next to each unit's targets.

        ``roster``: a roster CSV path, a DataFrame with the roster columns, or a
        :func:`canbao.read_roster` frame (read by the same C++ reader as the CLI), with a ``unit_id`` column linking each row to
        a policy unit (an empty cell: a person of no unit). A unit counts its own rows
        and those of every unit below it. Returns ``{"persons", "units": [{"unit_id",
        "name", "level", "persons", "own_persons", "schemes", "actions", "groups",
        "insurance_status", "targets"}, ...], "unlinked": {...}}`` (docs/roster.md);
        ``as_frame=True``: ``{"units", "unlinked"}`` DataFrames, counts as dotted columns.
        """
        request: Dict[str, Any] = {"op": "unit_counts", "as_of": _iso(as_of, "as_of")}
        # A DataFrame is written to CSV by explicit lossless rules (_readers._frame_csv).
        request.update(_roster_fields(roster, self))
        return _result("unit_counts", _call_with_frame(roster, self, lambda: _call(self._handle, request)),
                       self.fingerprint, as_frame)

    def projections(self, progress: Any, as_of: DateLike, observations: Optional[int] = None, *,
                    as_frame: bool = False) -> Any:
        """Projections as of a day (docs/projections.md): each unit's trend to every
        milestone due later (outlook will_make_it / at_risk / will_miss / no_trend,
        projected value, daily rate needed) and the projected work-fund bill.
        ``observations`` overrides the policy's N (the last N observation points
        the least-squares line is fitted to); progress as in :meth:`payouts`.
        ``as_frame=True``: ``{"summary", "milestones", "work_fund"}`` DataFrames."""
        request: Dict[str, Any] = {"op": "projections", "as_of": _iso(as_of, "as_of"), **_progress_fields(progress)}
        if observations is not None:
            request["observations"] = observations
        return _result("projections", _call(self._handle, request), self.fingerprint, as_frame)

    def values(self, progress: Any, as_of: DateLike, unit: Optional[str] = None,
               metric: Optional[str] = None, segment: Optional[str] = None, *, as_frame: bool = False) -> Any:
        """Every metric (or ``metric``) of every unit (or ``unit``) as of a day: a
        list of ``{unit_id, metric, kind, value, target, shortfall, own,
        last_observed}`` with exact decimal strings (docs/values.md; progress as
        in :meth:`payouts`); ``as_frame=True``: a DataFrame, one row each."""
        request: Dict[str, Any] = {"op": "values", "as_of": _iso(as_of, "as_of"),
                                   **_progress_fields(progress)}
        for key, given in (("unit", unit), ("metric", metric), ("segment", segment)):
            if given is not None:
                request[key] = given
        return _result("values", _call(self._handle, request), self.fingerprint, as_frame)

    def phases_on(self, date: DateLike) -> List[Dict[str, Any]]:
        """The campaign phases active on a day (several when phases overlap), in policy order."""
        return _call(self._handle, {"op": "phases_on", "date": _iso(date, "date")})

    def costs(self, as_of: DateLike, progress: Any = None, roster: Any = None, *, as_frame: bool = False) -> Any:
        """The campaign's cost in exact fen (docs/costs.md): the work fund and incentives
        from ``progress`` (as in :meth:`payouts`), subsidies and 代缴 from ``roster`` (a
        roster CSV path, docs/roster.md, or a DataFrame as in :meth:`unit_counts`), 补缴 apart as collected.
        Give either or both. Returns ``{"total_fen", "payers", "incentives", ...}``;
        persons carry the roster's row id, never the ID number. ``as_frame=True``:
        ``{"summary", "payers", "incentives", "work_fund", "persons"}`` DataFrames.
        """
        request: Dict[str, Any] = {"op": "costs", "as_of": _iso(as_of, "as_of")}
        if progress is not None:
            request.update(_progress_fields(progress))
        if roster is not None:
            request.update(_roster_fields(roster, self))
        return _result("costs", _call_with_frame(roster, self, lambda: _call(self._handle, request)),
                       self.fingerprint, as_frame)


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


def check_policy(policy: Any, *, strict: bool = False, max_diagnostics: int = 50,
                 tables: Optional[Mapping[str, str]] = None) -> Dict[str, Any]:
    """Checks a policy for its author: every independent error and the
    consistency warnings, each with its JSON path (docs/editor.md).

    ``policy``: the JSON text (a ``str`` starting with ``{``), a path to a
    policy file, or a dict. Never raises for a bad policy: returns
    ``{"ok", "fingerprint", "errors", "warnings", "truncated", "diagnostics":
    [{"severity", "path", "message"}]}``; ``strict`` makes warnings errors.
    ``tables``: the text of a unit table the policy names (``{"units.csv":
    csv_text}``, docs/units-table.md); no table file is read.
    """
    if isinstance(policy, str) and policy.lstrip().startswith("{"):
        document: Any = policy
    elif isinstance(policy, (str, _os.PathLike)):
        document = _read_text(policy, "policy")
    else:
        document = policy
    request = {"op": "check_policy", "policy": document, "strict": strict,
               "max_diagnostics": max_diagnostics}
    if tables is not None:
        request["policy_files"] = dict(tables)
    return _call(None, request)
