"""Missing cells in progress: an empty required cell (NaN, None, NaT) is an
InputError naming its row and column, ``progress[3].value: missing value``,
never a NaN sent on as a number."""

from __future__ import annotations

from typing import Any, Mapping, Sequence

import numpy as _np

from ._errors import InputError

_PROGRESS_REQUIRED = ("unit_id", "metric", "date", "value")


def _missing_error(row: int, column: str) -> InputError:
    return InputError(f"progress[{row}].{column}: missing value", f"progress[{row}].{column}", "missing value",
                      row=row)


def _no_missing_cells(frame: Any) -> None:
    """An empty required cell (NaN, None, NaT) of a progress DataFrame names its row
    (0-based position, as in a list of dicts) and column; found column-wise, not per row."""
    for column in _PROGRESS_REQUIRED:
        if column in frame.columns:
            missing = _np.flatnonzero(frame[column].isna().to_numpy())
            if len(missing):
                raise _missing_error(int(missing[0]), column)


def _no_missing_values(rows: Sequence[Any]) -> None:
    """The same for a list of observation dicts (a key left out is the core's error)."""
    for i, row in enumerate(rows):
        if isinstance(row, Mapping):
            for column in _PROGRESS_REQUIRED:
                value = row.get(column, 0)
                if value is None or _unequal_to_itself(value):  # NaN, NaT
                    raise _missing_error(i, column)


def _unequal_to_itself(value: Any) -> bool:
    try:
        return bool(value != value)
    except (TypeError, ValueError):  # an array: not a missing scalar
        return False
