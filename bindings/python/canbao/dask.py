"""canbao on Dask: whole-country rosters, one partition per file, on many machines.

``import canbao`` never imports Dask; ``import canbao.dask`` does (Debian's
``python3-dask`` and ``python3-distributed``). Four functions:

- :func:`read_roster` reads roster files into a Dask DataFrame, one partition
  per file, each read by :func:`canbao.read_roster` (the CLI's rules);
- :func:`recommend` maps partitions through :meth:`canbao.Policy.recommend_batch`;
- :func:`compare` counts base-versus-reform transitions, summed across partitions
  (the ``transitions`` table of :func:`canbao.compare`);
- :func:`unit_counts` counts by unit per partition, sums, and rolls the sum up
  the unit tree once in C++ (the answer of :meth:`canbao.Policy.unit_counts`).

The policy travels to the workers once per computation, as one graph key holding
``(canonical JSON, fingerprint)``; each worker process loads it once and keeps it
by fingerprint (:func:`worker_policy`). Every answer carries the fingerprint: a
``policy_fingerprint`` column in :func:`recommend`'s frame, a key in the dicts of
:func:`compare` and :func:`unit_counts`. See docs/scale-out.md.
"""

from __future__ import annotations

import glob as _glob
import json as _json
import os as _os
import threading as _threading
from typing import Any, Dict, List, Optional, Sequence, Tuple, Union

import dask as _dask
import dask.dataframe as _dd
import numpy as _np
import pandas as _pd

from . import _core
from ._api import ACTIONS, SCHEMES, DateLike, Policy, _iso
from ._errors import ArgumentError, InputError, PolicyError

__all__ = ["read_roster", "recommend", "compare", "unit_counts", "ship", "worker_policy"]

#: What travels to the workers: (canonical JSON text, fingerprint).
ShippedPolicy = Tuple[str, str]

_KEYS = ["scheme_before", "actions_before", "scheme_after", "actions_after"]

# -- the policy on the workers -------------------------------------------------

_cache: Dict[str, Tuple[Policy, "_core.UnitCounter"]] = {}
_cache_lock = _threading.Lock()


def _shipped(policy: Policy) -> ShippedPolicy:
    if not isinstance(policy, Policy):
        raise ArgumentError(f"policy: expected a canbao.Policy, got {type(policy).__name__}", "policy",
                            "expected a canbao.Policy")
    return (policy.to_json(indent=-1), policy.fingerprint)


def ship(policy: Policy) -> "_dask.delayed.Delayed":
    """The policy as one Dask graph key holding ``(canonical JSON, fingerprint)``.

    Every partition's task depends on that key, so the scheduler sends the text
    to each worker once, however many partitions there are; nothing is
    re-serialized per partition."""
    shipped = _shipped(policy)
    return _dask.delayed(shipped, pure=True, traverse=False,
                         name=f"canbao-policy-{shipped[1]}")


def worker_policy(shipped: ShippedPolicy) -> Policy:
    """The policy of ``shipped`` in this process: loaded on first use, then kept by
    fingerprint. A load whose fingerprint differs from the shipped one is a
    :class:`canbao.PolicyError` (a different canbao build on this worker)."""
    return _load(shipped)[0]


def _load(shipped: ShippedPolicy) -> Tuple[Policy, "_core.UnitCounter"]:
    text, fingerprint = shipped
    with _cache_lock:
        hit = _cache.get(fingerprint)
        if hit is None:
            policy = Policy.from_json(text, "shipped policy")
            if policy.fingerprint != fingerprint:
                raise PolicyError(
                    f"shipped policy: loads with fingerprint {policy.fingerprint}, shipped as "
                    f"{fingerprint} (is every worker running the same canbao build?)",
                    "policy", "fingerprint differs")
            hit = (policy, _core.UnitCounter(text))
            _cache[fingerprint] = hit
        return hit


# -- reading ---------------------------------------------------------------------


def _paths(paths: Union[str, "_os.PathLike[str]", Sequence[Any]]) -> List[str]:
    if isinstance(paths, (str, _os.PathLike)):
        path = _os.fspath(paths)
        if "://" in path or not _glob.has_magic(path):
            found = [path]
        else:
            found = sorted(_glob.glob(path))
            if not found:
                raise InputError(f"paths: no file matches {path}", "paths", "no file matches")
    else:
        found = [_os.fspath(p) for p in paths]
    if not found:
        raise ArgumentError("paths: expected at least one roster file", "paths", "expected at least one file")
    return found


def _source(path: str) -> Any:
    """A local path as is; a URL (s3://, hdfs://, ...) as its bytes, read by fsspec."""
    if "://" not in path or path.startswith("file://"):
        return path[len("file://"):] if path.startswith("file://") else path
    import fsspec  # dask's own dependency

    with fsspec.open(path, "rb") as f:
        return f.read()


def _read_part(source: Any, shipped: ShippedPolicy, as_of: Optional[str], kwargs: Dict[str, Any]) -> _pd.DataFrame:
    import canbao

    policy = worker_policy(shipped)
    data = _source(source) if isinstance(source, str) else source
    return canbao.read_roster(data, policy, as_of, **kwargs)


def _head(path: str, size: int = 1 << 16) -> bytes:
    """The first lines of a file (whole lines, at most ``size`` bytes): enough
    to learn the frame's columns and dtypes without reading the file."""
    import fsspec

    with fsspec.open(path, "rb") as f:
        data = f.read(size + 1)
    if len(data) > size:
        data = data[: data.rfind(b"\n", 0, size) + 1]
    return data


def read_roster(paths: Union[str, "_os.PathLike[str]", Sequence[Any]], policy: Policy, as_of: Optional[DateLike] = None,
                **read_roster_kwargs: Any) -> _dd.DataFrame:
    """Roster files as a Dask DataFrame: one partition per file.

    ``paths``: a list of paths, one path, or a glob (``"/data/roster-*.csv"``);
    ``s3://...`` and other fsspec URLs are read as bytes on the worker. Each file
    is read on a worker by :func:`canbao.read_roster` (ID numbers give birth
    date and sex, 男/女, Chinese headers, GB18030; ``read_roster_kwargs`` such as
    ``encoding="gb18030"`` are passed on), so every partition has that frame's
    columns and errors name ``file:line:column``. The column types come from the
    first file's first lines.
    """
    if read_roster_kwargs.get("rejects"):
        raise ArgumentError("rejects: not on Dask (a partition is one frame); read a file with "
                            "canbao.read_roster(path, rejects=True) to see its bad rows", "rejects",
                            "not on Dask")
    files = _paths(paths)
    day = None if as_of is None else _iso(as_of, "as_of")
    shipped = _shipped(policy)
    meta = _read_part(_head(files[0]), shipped, day, dict(read_roster_kwargs)).iloc[:0]
    meta.attrs.clear()
    key = ship(policy)
    parts = [_dask.delayed(_read_part, pure=True)(f, key, day, dict(read_roster_kwargs)) for f in files]
    return _dd.from_delayed(parts, meta=meta, verify_meta=True, prefix="canbao-read-roster")


# -- recommending ------------------------------------------------------------------

# An actions value's names, as canbao.compare's transitions table writes them.
_ACTION_TEXT = _np.array([";".join(a for i, a in enumerate(ACTIONS) if b >> i & 1) for b in range(256)], dtype=object)


def _batch(policy: Policy, frame: _pd.DataFrame, as_of: str, names: bool = False,
           keep: Any = None) -> _pd.DataFrame:
    """recommend_batch over one partition as a frame aligned to its index."""
    return policy.recommend_batch(frame, as_of, names=names, keep=keep, as_frame=True)


def _recommend_part(frame: _pd.DataFrame, shipped: ShippedPolicy, as_of: str, names: bool,
                    keep: Any) -> _pd.DataFrame:
    out = _batch(worker_policy(shipped), frame, as_of, names, keep)
    out["policy_fingerprint"] = _pd.Categorical.from_codes(_np.zeros(len(out), dtype=_np.int8),
                                                           categories=[shipped[1]])
    return out


def recommend(ddf: _dd.DataFrame, policy: Policy, as_of: DateLike, *, names: bool = False,
              keep: Any = None) -> _dd.DataFrame:
    """Recommends for every row of ``ddf`` (lazily): a Dask DataFrame aligned to
    ``ddf``'s partitions and index.

    Each partition goes through :meth:`canbao.Policy.recommend_batch`
    (``names`` and ``keep`` as there); the columns are ``scheme``, ``actions``,
    ``groups``, ``fired_rows``, the kept columns, then ``policy_fingerprint``
    (a category holding the policy's fingerprint).
    """
    day = _iso(as_of, "as_of")
    shipped = _shipped(policy)
    meta = _recommend_part(ddf._meta, shipped, day, names, keep)
    if names:  # text categories: known only once a partition is read
        text = [c for c in ("actions", "groups") if isinstance(meta[c].dtype, _pd.CategoricalDtype)]
        meta = _dd.utils.clear_known_categories(meta, cols=text) if text else meta
    return ddf.map_partitions(_recommend_part, ship(policy), day, names, keep, meta=meta,
                              enforce_metadata=False, token="canbao-recommend")


# -- comparing ----------------------------------------------------------------------


def _compare_part(frame: _pd.DataFrame, base: ShippedPolicy, reform: ShippedPolicy, as_of: str) -> _pd.DataFrame:
    b = _batch(worker_policy(base), frame, as_of)
    a = _batch(worker_policy(reform), frame, as_of)
    keys = _pd.DataFrame({"scheme_before": b["scheme"].cat.codes.to_numpy(_np.uint8),
                          "actions_before": b["actions"].to_numpy(_np.uint8),
                          "scheme_after": a["scheme"].cat.codes.to_numpy(_np.uint8),
                          "actions_after": a["actions"].to_numpy(_np.uint8),
                          "count": _np.ones(len(frame), dtype=_np.int64),
                          "groups_changed": (b["groups"].to_numpy() != a["groups"].to_numpy()).astype(_np.int64)})
    return keys.groupby(_KEYS, sort=False, as_index=False).sum()


def compare(ddf: _dd.DataFrame, base: Policy, reform: Optional[Policy] = None, *, patch: Any = None,
            as_of: DateLike) -> Dict[str, Any]:
    """Base versus reform over every row of ``ddf``, counted per partition and summed.

    Give exactly one of ``reform`` (a Policy) or ``patch`` (as for
    :meth:`canbao.Policy.reform`). Computes and returns ``{"base_fingerprint",
    "reform_fingerprint", "people", "changed", "groups_changed", "transitions"}``:
    ``transitions`` is a DataFrame with the columns, row order and counts of
    :func:`canbao.compare`'s ``transitions`` table (every before/after pair of
    scheme and actions, ordered by scheme code then action bits, before then
    after); ``changed`` counts persons whose scheme or actions differ,
    ``groups_changed`` those whose priority groups differ.
    """
    if (reform is None) == (patch is None):
        raise ArgumentError("give exactly one of reform, patch", "reform", "give exactly one of reform, patch")
    if reform is None:
        reform = base.reform(patch)
    day = _iso(as_of, "as_of")
    meta = _pd.DataFrame({k: _pd.Series(dtype=_np.uint8) for k in _KEYS}
                         | {"count": _pd.Series(dtype=_np.int64), "groups_changed": _pd.Series(dtype=_np.int64)})
    parts = ddf.map_partitions(_compare_part, ship(base), ship(reform), day, meta=meta, token="canbao-compare")
    summed = parts.groupby(_KEYS).sum().compute().reset_index().sort_values(_KEYS, kind="stable")
    changed = ((summed["scheme_before"] != summed["scheme_after"])
               | (summed["actions_before"] != summed["actions_after"])).to_numpy()
    schemes = _np.array(SCHEMES, dtype=object)
    transitions = _pd.DataFrame({
        "scheme_before": schemes[summed["scheme_before"].to_numpy()],
        "actions_before": _ACTION_TEXT[summed["actions_before"].to_numpy()],
        "scheme_after": schemes[summed["scheme_after"].to_numpy()],
        "actions_after": _ACTION_TEXT[summed["actions_after"].to_numpy()],
        "changed": changed,
        "count": summed["count"].to_numpy(_np.int64)})
    transitions.attrs.update(base_fingerprint=base.fingerprint, reform_fingerprint=reform.fingerprint)
    return {"base_fingerprint": base.fingerprint, "reform_fingerprint": reform.fingerprint,
            "people": int(transitions["count"].sum()), "changed": int(transitions["count"][changed].sum()),
            "groups_changed": int(summed["groups_changed"].sum()), "transitions": transitions}


# -- per-unit counts ------------------------------------------------------------------


def _row(label: Any, position: int) -> int:
    """The row a message names: the frame's index label (a read_roster frame's RangeIndex
    runs on across a file), or the position in the partition when the label is no integer."""
    return int(label) if isinstance(label, (int, _np.integer)) else int(position)


def _status_codes(frame: _pd.DataFrame, policy: Policy) -> _np.ndarray:
    names = list(policy.value_lists["insurance_status"])
    if "insurance_status" not in frame:
        return _np.full(len(frame), dict(_core.BATCH_DEFAULTS)["insurance_status"], dtype=_np.uint8)
    column = frame["insurance_status"]
    if isinstance(column.dtype, _pd.CategoricalDtype) and list(column.cat.categories) == names:
        codes = column.cat.codes.to_numpy()
    elif _np.issubdtype(column.dtype, _np.integer):
        codes = column.to_numpy()
    else:
        codes, uniques = _pd.factorize(column)
        lookup = _np.array([names.index(u) if u in names else -1 for u in uniques] + [-1])
        codes = lookup[codes]
    bad = _np.flatnonzero((codes < 0) | (codes >= len(names)))
    if len(bad):
        row = frame.index[bad[0]]
        raise InputError(f"columns.insurance_status[{row}]: not an insurance status of the policy "
                         f"(expected one of {', '.join(names)})", f"columns.insurance_status[{row}]",
                         "not an insurance status", row=_row(row, bad[0]))
    return codes.astype(_np.uint8)


def _unit_codes(frame: _pd.DataFrame, counter: "_core.UnitCounter") -> _np.ndarray:
    if "unit_id" not in frame:
        raise InputError("columns.unit_id: required column is missing (per-unit counts link each row to a "
                         "policy unit; leave a cell empty for a person of no unit)", "columns.unit_id",
                         "required column is missing")
    codes, uniques = _pd.factorize(frame["unit_id"].fillna("").astype(str))
    index = counter.unit_indices([str(u) for u in uniques])
    units = index[codes]
    bad = _np.flatnonzero(units == -2)
    if len(bad):
        row = frame.index[bad[0]]
        raise InputError(f"columns.unit_id[{row}]: unknown unit (expected a unit id of the policy, or an empty cell)",
                         f"columns.unit_id[{row}]", "unknown unit", row=_row(row, bad[0]))
    return units.astype(_np.int32)


def _own_counts(frame: _pd.DataFrame, shipped: ShippedPolicy, as_of: str) -> _np.ndarray:
    policy, counter = _load(shipped)
    r = _batch(policy, frame, as_of)
    return counter.count_own(_unit_codes(frame, counter), r["scheme"].cat.codes.to_numpy(_np.uint8),
                             r["actions"].to_numpy(_np.uint8), r["groups"].to_numpy(_np.uint8),
                             _status_codes(frame, policy))


def _add(*matrices: _np.ndarray) -> _np.ndarray:
    return _np.sum(matrices, axis=0)


def unit_counts(ddf: _dd.DataFrame, policy: Policy, as_of: DateLike) -> Dict[str, Any]:
    """Per-unit counts of ``ddf``'s recommendations next to each unit's targets
    (computes): the answer of :meth:`canbao.Policy.unit_counts` over the same
    rows, plus ``"policy_fingerprint"``.

    Each partition is counted at its rows' own units (C speed), the partitions'
    counts are added up as a tree, and the sum is rolled up the unit tree once
    by the C++ library. ``ddf`` needs a ``unit_id`` column (empty: no unit).
    """
    day = _iso(as_of, "as_of")
    key = ship(policy)
    parts = [_dask.delayed(_own_counts, pure=True)(d, key, day) for d in ddf.to_delayed()]
    while len(parts) > 1:  # a tree of sums, 8 at a time
        parts = [_dask.delayed(_add, pure=True)(*parts[i:i + 8]) for i in range(0, len(parts), 8)]
    total = parts[0].compute()
    shipped = _shipped(policy)
    answer = _json.loads(_load(shipped)[1].roll_up(total))
    answer["policy_fingerprint"] = shipped[1]
    return answer
