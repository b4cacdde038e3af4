"""Text columns mapped to codes in C++ (issue 15, item 4): ``_core.text_codes``
gives the codes pandas.factorize gives (first-seen order, "" and None / NaN /
NA missing), and recommend_batch answers and errors are the same as through
pandas.factorize (forced here by hiding the C++ path), for object, numpy str_,
pandas string and category columns."""

import numpy as np
import pandas as pd
import pytest

import canbao
from canbao import _columns

AS_OF = "2023-06-30"


def reference(values):
    """pandas.factorize with "" as a missing cell: what _columns did before."""
    codes, uniques = pd.factorize(values)
    uniques = list(uniques)
    if "" in uniques:
        k = uniques.index("")
        codes = np.where(codes == k, -1, codes - (codes > k))
        del uniques[k]
    return codes, uniques


def fresh(text):
    """An equal str that is another object (not the interned literal)."""
    return "".join(list(text))


def test_codes_equal_pandas_factorize():
    rng = np.random.default_rng(15)
    pool = ["male", "女", "男", "", None, float("nan"), pd.NA, np.str_("farmer"), "resident_paying", "😀x"]
    for trial in range(20):
        picks = rng.integers(0, len(pool), 500)
        values = np.empty(500, dtype=object)
        for i, p in enumerate(picks):
            v = pool[p]
            values[i] = fresh(v) if isinstance(v, str) and trial % 2 else v
        codes, first = canbao._core.text_codes(values, pd.NA)
        want_codes, want_uniques = reference(values)
        np.testing.assert_array_equal(codes, want_codes)
        assert [values[r] for r in first] == want_uniques
    # 1,000 distinct objects of 3 texts (past the address cache's 1,024 slots? no: each
    # object is new, so every row is read by content), and a strided view.
    values = np.array([fresh(("a", "b", "男")[i % 3]) for i in range(3000)], dtype=object)
    codes, first = canbao._core.text_codes(values, pd.NA)
    assert codes[:6].tolist() == [0, 1, 2, 0, 1, 2] and first.tolist() == [0, 1, 2]
    codes, first = canbao._core.text_codes(values[1::3], pd.NA)
    assert set(codes.tolist()) == {0} and first.tolist() == [0]
    # numpy str_ columns: zero padding is not content; "" is missing.
    words = np.array(["farmer", "", "student", "farmer", "男"])
    codes, first = canbao._core.text_codes(words, pd.NA)
    assert codes.tolist() == [0, -1, 1, 0, 2] and first.tolist() == [0, 2, 4]
    empty = canbao._core.text_codes(np.array([], dtype=object), pd.NA)
    assert empty[0].size == 0 and empty[1].size == 0


def test_other_objects_go_to_pandas():
    for values in ([1, 2], ["a", 3], ["a", True], ["a", pd.NaT], ["a", np.float32("nan")], ["\ud800"]):
        assert canbao._core.text_codes(np.array(values, dtype=object), pd.NA) is None, values
    assert canbao._core.text_codes(np.array([1, 2]), pd.NA) is None


@pytest.fixture
def through_pandas(monkeypatch):
    """Runs a function with the C++ text path hidden: _columns falls back to pandas.factorize."""
    def run(fn):
        with monkeypatch.context() as m:
            m.setattr(_columns._core, "text_codes", lambda values, na: None, raising=True)
            return fn()
    return run


def outcome(fn):
    try:
        result = fn()
    except canbao.InputError as e:
        return ("error", e.path, e.message, e.row, str(e))
    return ("ok", {k: np.asarray(v.cat.codes if hasattr(v, "cat") else v) for k, v in result.items()})


def same(a, b):
    if a[0] != b[0] or a[0] == "error":
        return a == b
    return a[1].keys() == b[1].keys() and all(np.array_equal(a[1][k], b[1][k]) for k in a[1])


def test_answers_and_errors_equal_the_pandas_path(policy_004, through_pandas):
    rng = np.random.default_rng(7)
    n = 2000
    sex = np.array(["男", "女", "male", "female"], dtype=object)[rng.integers(0, 4, n)]
    status = np.array(canbao.INSURANCE_STATUSES, dtype=object)[rng.integers(0, 7, n)]
    employment = np.array(canbao.EMPLOYMENTS, dtype=object)[rng.integers(0, 9, n)]
    birth = np.array(["1950-02-11", "1990-05-01", "1975-12-31", "2010-01-01"], dtype=object)[rng.integers(0, 4, n)]
    flags = np.array(["", "dibao", "tekun;dibao", None], dtype=object)[rng.integers(0, 4, n)]
    base = pd.DataFrame({"sex": sex, "birth_date": birth, "hukou_local": True, "insurance_status": status,
                         "employment": employment, "flags": flags})
    frames = {"object": base,
              "numpy str_": {k: (v.to_numpy().astype(str) if v.dtype == object and k != "flags" else v.to_numpy())
                             for k, v in base.items()},
              "string dtype": base.astype({k: "string" for k in ("sex", "insurance_status", "employment")}),
              "category": base.astype({k: "category" for k in ("sex", "insurance_status", "employment")})}
    broken = {"unknown sex": ("sex", 1500, "x"), "missing sex": ("sex", 700, None),
              "empty status": ("insurance_status", 3, ""), "NaN employment": ("employment", 9, float("nan")),
              "bad date": ("birth_date", 1999, "1990-13-01"), "missing date": ("birth_date", 40, None),
              "unknown flag": ("flags", 12, "dibao;nope"), "NA status": ("insurance_status", 5, pd.NA)}
    expected_codes = outcome(lambda: policy_004.recommend_batch(base, AS_OF))
    assert expected_codes[0] == "ok"
    for name, frame in frames.items():
        fast = outcome(lambda: policy_004.recommend_batch(frame, AS_OF))
        assert same(fast, through_pandas(lambda: outcome(lambda: policy_004.recommend_batch(frame, AS_OF)))), name
        assert same(fast, expected_codes), name  # object, str_, string and category: one answer
    for name, (column, row, value) in broken.items():
        frame = base.copy()
        frame[column] = frame[column].astype(object)
        frame.loc[row, column] = value
        fast = outcome(lambda: policy_004.recommend_batch(frame, AS_OF))
        assert fast[0] == "error" and fast[3] == row, (name, fast)
        assert fast == through_pandas(lambda: outcome(lambda: policy_004.recommend_batch(frame, AS_OF))), name
