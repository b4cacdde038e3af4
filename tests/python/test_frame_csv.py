"""A DataFrame given to the JSON ops (costs, unit_counts, compare with roster=)
is written as roster CSV text by ``_core.csv_text`` (issue 15): the same bytes
pandas' to_csv(index=False, lineterminator="\\n") writes, so the roster reader
sees the same records and every answer and error is as before."""

import numpy as np
import pandas as pd
import pytest

import canbao
from canbao import _core, _readers
from conftest import SOURCE_DIR

EXAMPLES = SOURCE_DIR / "examples"


def to_csv(columns):
    return pd.DataFrame(columns).to_csv(index=False, lineterminator="\n")


def test_csv_text_is_to_csv_byte_for_byte():
    # Python's csv writer quotes a field holding ',', '"' or '\n' (doubling quotes),
    # leaves '\r' and spaces alone, and writes a lone empty field as "".
    cells = ["x", "", "a,b", 'say "hi"', "two\nlines", "cr\rhere", " pad ", "男", "😀", ",", '"', "\n"]
    rng = np.random.default_rng(3)
    for ncols in (1, 2, 5):
        for n in (0, 1, 7, 200):
            columns = {f"c{k}" if k else "a,b": np.array(cells, dtype=object)[rng.integers(0, len(cells), n)]
                       for k in range(ncols)}
            assert _core.csv_text(list(columns), list(columns.values())) == to_csv(columns), (ncols, n)
    with pytest.raises(TypeError):
        _core.csv_text(["a"], [np.array(["x", 1], dtype=object)])


def test_read_roster_frames_are_written_by_csv_text(monkeypatch):
    policy = canbao.Policy.from_file(EXAMPLES / "policies" / "004-shiyan-2023.json")
    frame = canbao.read_roster(EXAMPLES / "rosters" / "004-sample.csv", policy)
    real, used = _core.csv_text, []

    def spy(*args):
        used.append(real(*args))  # nothing appended if it raised
        return used[-1]
    monkeypatch.setattr(_core, "csv_text", spy)
    text, header = _readers._frame_csv(frame, policy)
    assert used == [text]  # written by the C++ path, which raised nothing
    calls = []

    def refuse(*args):
        calls.append(args)
        raise TypeError("not text")
    monkeypatch.setattr(_core, "csv_text", refuse)
    fallback, fallback_header = _readers._frame_csv(frame, policy)
    assert len(calls) == 1  # the fallback (pandas' to_csv) was taken here
    assert (text, header) == (fallback, fallback_header)
    # ... and the answers of a JSON op on the frame are those of its CSV file.
    monkeypatch.undo()
    path = EXAMPLES / "rosters" / "004-sample.csv"
    assert policy.costs("2023-06-30", roster=frame) == policy.costs("2023-06-30", roster=path)
