"""The narrow fired-rows output of Policy.recommend_batch (issue 15):
``fired="set"`` gives ``fired_set`` (uint8, the person's fired-row set) and the
sets once (``fired_sets``), so that ``fired_sets[fired_set]`` is exactly the
default ``fired_rows``; ``fired=None`` gives neither. The C ABI's
canbao_table_output.fired_set gives the same numbers and sets. A policy whose
tables number more than 256 sets refuses the narrow form, naming the limit."""

import ctypes
import json
import os

import numpy as np
import pandas as pd
import pytest

import canbao
from test_batch_frames import AS_OF, codes_roster

LIBRARY = os.environ.get("CANBAO_LIBRARY", "")


def facts_roster(policy, n=3000):
    cols = codes_roster(n)
    rng = np.random.default_rng(7)
    # 004's declared facts: a few in g2's groups, one in ten suspended, prior years 0..30.
    ids = [f["id"] for f in policy.facts]
    cols[ids[0]] = np.where(rng.integers(0, 10, n) == 0, 1 << rng.integers(0, 5, n), 0).astype(np.int32)
    cols[ids[1]] = np.where(rng.integers(0, 10, n) == 0, rng.integers(1, 4, n), 0).astype(np.int32)
    cols[ids[2]] = rng.integers(0, 31, n).astype(np.int32)
    return cols


@pytest.mark.parametrize("with_facts", [False, True])
def test_the_sets_give_back_fired_rows(policy_004, with_facts):
    cols = facts_roster(policy_004) if with_facts else codes_roster()
    rows = policy_004.recommend_batch(cols, AS_OF)
    narrow = policy_004.recommend_batch(cols, AS_OF, fired="set")
    assert set(narrow) == {"scheme", "actions", "groups", "fired_set", "fired_sets"}
    assert narrow["fired_set"].dtype == np.uint8 and len(narrow["fired_set"]) == len(cols["sex"])
    assert narrow["fired_sets"].dtype == np.uint64 and 1 < len(narrow["fired_sets"]) <= 256
    assert np.array_equal(narrow["fired_sets"][narrow["fired_set"]], rows["fired_rows"])
    for key in ("scheme", "actions", "groups"):
        assert np.array_equal(narrow[key], rows[key])
    # Every set is reached by someone in a roster this varied, and the sets are distinct.
    assert len(np.unique(narrow["fired_sets"])) == len(narrow["fired_sets"])
    # With and without fact columns: one numbering (the same prepared tables).
    other = policy_004.recommend_batch(codes_roster() if with_facts else facts_roster(policy_004), AS_OF,
                                       fired="set")
    assert np.array_equal(other["fired_sets"], narrow["fired_sets"])


def test_none_gives_no_fired_column(policy_004):
    cols = codes_roster()
    none = policy_004.recommend_batch(cols, AS_OF, fired=None)
    assert set(none) == {"scheme", "actions", "groups"}
    assert np.array_equal(none["scheme"], policy_004.recommend_batch(cols, AS_OF)["scheme"])


def test_a_frame_keeps_the_sets_in_attrs(policy_004):
    frame_in = pd.DataFrame(codes_roster(), index=pd.RangeIndex(100, 3100))
    default = policy_004.recommend_batch(frame_in, AS_OF)
    assert list(default.columns) == ["scheme", "actions", "groups", "fired_rows"]
    frame = policy_004.recommend_batch(frame_in, AS_OF, fired="set")
    assert list(frame.columns) == ["scheme", "actions", "groups", "fired_set"]
    assert frame.index.equals(frame_in.index)
    sets = frame.attrs["fired_sets"]
    assert np.array_equal(sets[frame["fired_set"].to_numpy()], default["fired_rows"].to_numpy())
    assert "fired_set" not in policy_004.recommend_batch(frame_in, AS_OF, fired=None).columns


def test_out_arrays_for_the_narrow_form(policy_004):
    cols = codes_roster()
    n = len(cols["sex"])
    out = {k: np.zeros(n, np.uint8) for k in ("scheme", "actions", "groups", "fired_set")}
    got = policy_004.recommend_batch(cols, AS_OF, fired="set", out=out)
    assert got["fired_set"] is out["fired_set"]
    want = policy_004.recommend_batch(cols, AS_OF)
    assert np.array_equal(got["fired_sets"][out["fired_set"]], want["fired_rows"])
    with pytest.raises(canbao.ArgumentError, match=r"out\.fired_set: missing \(out= needs scheme, actions, "
                                                   r"groups, fired_set\)"):
        policy_004.recommend_batch(cols, AS_OF, fired="set", out={k: out[k] for k in ("scheme", "actions", "groups")})


def test_bad_fired_values(policy_004):
    for bad in ("words", True, 1):
        with pytest.raises(canbao.ArgumentError, match=r'fired: expected "rows", "set" or None'):
            policy_004.recommend_batch(codes_roster(10), AS_OF, fired=bad)


def policy_576_sets(examples):
    """004 with a first-hit table of a row per employment but one (9 outcomes)
    and a collect table of a row per flag (64 subsets): 576 fired-row sets."""
    doc = json.loads((examples / "policies" / "004-shiyan-2023.json").read_text(encoding="utf-8"))
    scheme = {"id": "scheme", "hit": "first", "rows": [
        {"when": {"employment": [e]}, "then": {"scheme": "resident"}, "reason": {"zh": e, "en": e}}
        for e in ("employer", "individual_business", "platform_worker", "licensed_freelancer", "farmer",
                  "student", "unemployed", "public_sector")],
        "otherwise": {"then": {"scheme": "none"}, "reason": {"zh": "其他", "en": "other"}}}
    groups = {"id": "groups", "hit": "collect", "rows": [
        {"when": {"flags_any": [f]}, "then": {"groups": [f"g{g}"]}, "reason": {"zh": f, "en": f}}
        for g, f in enumerate(("dibao", "tekun", "severe_disability", "poverty_alleviated", "land_expropriated",
                               "village_cadre"), start=1)]}
    doc["recommendation"] = {"tables": [scheme, groups]}
    return canbao.Policy.from_json(json.dumps(doc), "576-sets")


def test_over_256_sets_is_refused_naming_the_limit(examples):
    policy = policy_576_sets(examples)
    cols = codes_roster(2000)
    with pytest.raises(canbao.ArgumentError) as e:
        policy.recommend_batch(cols, AS_OF, fired="set")
    assert str(e.value) == ('fired: "set": no fired-set numbers on 2023-06-30: its answer table has 577 distinct '
                            'fired-row sets, over 256 (fired_set is one byte a person); use fired="rows"')
    assert len(np.unique(policy.recommend_batch(cols, AS_OF)["fired_rows"])) > 256


class NamedColumn(ctypes.Structure):
    _fields_ = [("name", ctypes.c_char_p), ("type", ctypes.c_uint32), ("data", ctypes.c_void_p)]


class TableInput(ctypes.Structure):
    _fields_ = [("struct_size", ctypes.c_size_t), ("count", ctypes.c_size_t),
                ("columns", ctypes.POINTER(NamedColumn)), ("column_count", ctypes.c_size_t)]


class TableOutput(ctypes.Structure):
    _fields_ = [("struct_size", ctypes.c_size_t), ("scheme", ctypes.c_void_p), ("actions", ctypes.c_void_p),
                ("groups", ctypes.c_void_p), ("fired_rows", ctypes.c_void_p), ("fired_row_words", ctypes.c_size_t),
                ("fired_set", ctypes.c_void_p)]


@pytest.mark.skipif(not LIBRARY, reason="CANBAO_LIBRARY not set (set by ctest)")
@pytest.mark.parametrize("policy_file", ["004-shiyan-2023.json", "004-shiyan-2023-retirement.json"])
def test_the_c_abi_gives_the_same_numbers(examples, policy_file):
    lib = ctypes.CDLL(LIBRARY)
    lib.canbao_policy_from_file.argtypes = [ctypes.c_char_p, ctypes.POINTER(ctypes.c_void_p)]
    lib.canbao_policy_free.argtypes = [ctypes.c_void_p]
    lib.canbao_recommend_table.argtypes = [ctypes.c_void_p, ctypes.c_int32, ctypes.POINTER(TableInput),
                                           ctypes.POINTER(TableOutput)]
    lib.canbao_policy_fired_set_count.argtypes = [ctypes.c_void_p, ctypes.c_int32, ctypes.POINTER(ctypes.c_size_t)]
    lib.canbao_policy_fired_set.argtypes = [ctypes.c_void_p, ctypes.c_int32, ctypes.c_size_t,
                                            ctypes.POINTER(ctypes.c_uint64), ctypes.c_size_t]
    lib.canbao_last_error.restype = ctypes.c_char_p
    path = examples / "policies" / policy_file
    handle = ctypes.c_void_p()
    assert lib.canbao_policy_from_file(str(path).encode(), ctypes.byref(handle)) == 0
    try:
        cols = codes_roster()
        n = len(cols["sex"])
        as_of = (np.datetime64(AS_OF) - np.datetime64("1970-01-01")).astype(int)
        types = {"sex": 1, "birth_day": 3, "hukou_local": 1, "insurance_status": 1, "employment": 1,
                 "resident_grade_yuan": 2, "flags": 1}
        named = (NamedColumn * 7)(*(NamedColumn(k.encode(), t, cols[k].ctypes.data) for k, t in types.items()))
        out = {k: np.zeros(n, np.uint8) for k in ("scheme", "actions", "groups", "fired_set")}
        cout = TableOutput(ctypes.sizeof(TableOutput), out["scheme"].ctypes.data, out["actions"].ctypes.data,
                           out["groups"].ctypes.data, None, 1, out["fired_set"].ctypes.data)
        cin = TableInput(ctypes.sizeof(TableInput), n, named, 7)
        assert lib.canbao_recommend_table(handle, int(as_of), ctypes.byref(cin), ctypes.byref(cout)) == 0, \
            lib.canbao_last_error()
        count = ctypes.c_size_t()
        assert lib.canbao_policy_fired_set_count(handle, int(as_of), ctypes.byref(count)) == 0
        words = np.zeros(count.value, np.uint64)
        for k in range(count.value):
            w = ctypes.c_uint64()
            assert lib.canbao_policy_fired_set(handle, int(as_of), k, ctypes.byref(w), 1) == 0
            words[k] = w.value
        py = canbao.Policy.from_file(path).recommend_batch(cols, AS_OF, fired="set")
        assert np.array_equal(words, py["fired_sets"])
        assert np.array_equal(out["fired_set"], py["fired_set"])
        for key in ("scheme", "actions", "groups"):
            assert np.array_equal(out[key], py[key])
    finally:
        lib.canbao_policy_free(handle)
