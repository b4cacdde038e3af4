import threading

import numpy as np
import pandas as pd
import pytest

import canbao


def person(**facts):
    base = {"sex": "male", "birth_date": "1990-05-01", "hukou_local": True}
    base.update(facts)
    return base


def test_004_age_rule(policy_004):
    # 004 三(二)1: men under 45 / women under 40 -> employee; men 45+ / women 40+ -> resident.
    assert policy_004.recommend(person(birth_date="1978-07-01"), "2023-06-30")["scheme"] == "employee"  # 44
    assert policy_004.recommend(person(birth_date="1978-06-30"), "2023-06-30")["scheme"] == "resident"  # 45
    assert policy_004.recommend(person(sex="female", birth_date="1983-07-01"), "2023-06-30")["scheme"] == "employee"
    assert policy_004.recommend(person(sex="female", birth_date="1983-06-30"), "2023-06-30")["scheme"] == "resident"


def test_004_uninsured_local_60_plus_back_pays(policy_004):
    result = policy_004.recommend(person(birth_date="1960-01-01"), "2023-06-30")
    assert result["scheme"] == "resident"
    assert "back_pay" in result["actions"]
    assert result["facts"]["age"] == 63
    assert result["fired"] and all(f["path"].startswith("recommendation.tables[") for f in result["fired"])
    assert result["reason_zh"]


def test_id_number_gives_sex_and_birth(policy_004):
    by_id = policy_004.recommend({"id_number": "11010519491231002X", "hukou_local": True}, "2023-06-30")
    by_facts = policy_004.recommend(person(sex="female", birth_date="1949-12-31"), "2023-06-30")
    assert by_id == by_facts


def test_id_number_that_disagrees_is_an_error(policy_004):
    with pytest.raises(canbao.InputError) as info:
        policy_004.recommend({"id_number": "11010519491231002X", "sex": "male"}, "2023-06-30")
    assert info.value.path == "request.person.sex"
    assert "11010519491231002X" not in str(info.value)


@pytest.mark.parametrize("field,value,path", [
    ("sex", "M", "request.person.sex"),
    ("employment", "astronaut", "request.person.employment"),
    ("flags", ["dibao", "rich"], "request.person.flags[1]"),
    ("birth_date", "1990-02-30", "request.person.birth_date"),
    ("hukou", True, "request.person.hukou"),
    ("resident_grade_yuan", -1, "request.person.resident_grade_yuan"),
])
def test_bad_person_names_the_field(policy_004, field, value, path):
    with pytest.raises(canbao.InputError) as info:
        policy_004.recommend(person(**{field: value}), "2023-06-30")
    assert info.value.path == path


def test_policy_without_recommendation(policy_000):
    with pytest.raises(canbao.ArgumentError):
        policy_000.recommend(person(), "2023-06-30")
    with pytest.raises(canbao.ArgumentError):
        policy_000.recommend_batch({"sex": [0], "birth_day": [0]}, "2023-06-30")


def roster(n, seed=7):
    rng = np.random.default_rng(seed)
    return {
        "sex": rng.integers(0, 2, n).astype(np.uint8),
        "birth_day": rng.integers(-25000, 19000, n).astype(np.int32),
        "hukou_local": rng.integers(0, 2, n).astype(np.uint8),
        "insurance_status": rng.integers(0, 7, n).astype(np.uint8),
        "employment": rng.integers(0, 9, n).astype(np.uint8),
        "resident_grade_yuan": rng.choice([0, 100, 500, 1000, 1500, 3000], n).astype(np.uint16),
        "flags": rng.integers(0, 64, n).astype(np.uint8),
    }


def as_person(cols, i):
    import datetime
    flags = [name for bit, name in enumerate(canbao.FLAGS) if cols["flags"][i] >> bit & 1]
    return {
        "sex": ("male", "female")[cols["sex"][i]],
        "birth_date": datetime.date(1970, 1, 1) + datetime.timedelta(days=int(cols["birth_day"][i])),
        "hukou_local": bool(cols["hukou_local"][i]),
        "insurance_status": canbao.INSURANCE_STATUSES[cols["insurance_status"][i]],
        "employment": canbao.EMPLOYMENTS[cols["employment"][i]],
        "resident_grade_yuan": int(cols["resident_grade_yuan"][i]),
        "flags": flags,
    }


def test_batch_agrees_with_one_by_one(policy_004):
    cols = roster(400)
    batch = policy_004.recommend_batch(cols, "2023-06-30", names=True)
    for i in range(400):
        one = policy_004.recommend(as_person(cols, i), "2023-06-30")
        assert canbao.SCHEMES[batch["scheme"][i]] == one["scheme"] == batch["scheme_name"][i]
        assert [a for bit, a in enumerate(canbao.ACTIONS) if batch["actions"][i] >> bit & 1] == one["actions"]
        assert [f"g{g}" for g in range(1, 9) if batch["groups"][i] >> (g - 1) & 1] == one["groups"]
        assert bin(int(batch["fired_rows"][i])).count("1") == len(one["fired"])


def test_batch_from_dataframe_with_names_and_dates(policy_004):
    cols = roster(300, seed=11)
    expected = policy_004.recommend_batch(cols, "2023-06-30")
    frame = pd.DataFrame({
        "sex": np.array(["male", "female"])[cols["sex"]],
        "birth_date": pd.to_datetime(cols["birth_day"].astype("datetime64[D]")),
        "hukou_local": cols["hukou_local"].astype(bool),
        "insurance_status": np.array(canbao.INSURANCE_STATUSES)[cols["insurance_status"]],
        "employment": np.array(canbao.EMPLOYMENTS)[cols["employment"]],
        "resident_grade_yuan": cols["resident_grade_yuan"].astype(np.int64),
        "flags": cols["flags"].astype(np.int64),
    })
    got = policy_004.recommend_batch(frame, "2023-06-30", as_frame=False)  # the dict of numpy columns
    for key in ("scheme", "actions", "groups", "fired_rows"):
        np.testing.assert_array_equal(got[key], expected[key])
    out = pd.DataFrame(got)
    assert len(out) == 300 and list(out.columns) == ["scheme", "actions", "groups", "fired_rows"]


def test_native_columns_are_used_in_place():
    from canbao import _columns
    col = np.arange(10, dtype=np.uint8)
    assert _columns._column(col, "sex", np.uint8) is col or np.shares_memory(_columns._column(col, "sex", np.uint8), col)
    assert not np.shares_memory(_columns._column(col.astype(np.int64), "sex", np.uint8), col)


def test_missing_optional_columns_take_person_defaults(policy_004):
    cols = roster(50, seed=3)
    cols = {"sex": cols["sex"], "birth_day": cols["birth_day"]}
    got = policy_004.recommend_batch(cols, "2023-06-30")
    full = dict(cols, hukou_local=np.zeros(50, np.uint8), insurance_status=np.zeros(50, np.uint8),
                employment=np.full(50, 8, np.uint8), resident_grade_yuan=np.zeros(50, np.uint16),
                flags=np.zeros(50, np.uint8))
    np.testing.assert_array_equal(got["scheme"], policy_004.recommend_batch(full, "2023-06-30")["scheme"])


@pytest.mark.parametrize("change,path", [
    (lambda c: c.update(employment=np.full(5, 99, np.uint8)), "columns.employment[0]"),
    (lambda c: c.update(sex=np.array(["male", "female", "x", "male", "male"])), "columns.sex[2]"),
    (lambda c: c.update(resident_grade_yuan=np.array([0, 0, 0, 70000, 0])), "columns.resident_grade_yuan[3]"),
    (lambda c: c.update(shoe_size=np.zeros(5)), "columns.shoe_size"),
    (lambda c: c.pop("sex"), "columns.sex"),
    (lambda c: c.update(flags=np.zeros(4, np.uint8)), "flags"),
    (lambda c: c.update(birth_day=np.array([0, 0, 0, 0, 20000], np.int32)), "columns.birth_day[4]"),
])
def test_batch_errors_name_the_column(policy_004, change, path):
    cols = roster(5)
    change(cols)
    with pytest.raises(canbao.Error) as info:
        policy_004.recommend_batch(cols, "2023-06-30")
    assert info.value.path == path


def ticks_during(work):
    """How often another Python thread ran while `work()` ran. With a huge
    switch interval the counting thread only gets the GIL when the main thread
    gives it up, so a call holding the GIL throughout scores exactly 0."""
    import sys
    import time

    ticks = []
    done = threading.Event()

    def count():
        while not done.is_set():
            ticks.append(1)
            time.sleep(0)  # releases the GIL (and waits for it again)

    old = sys.getswitchinterval()
    sys.setswitchinterval(100.0)
    t = threading.Thread(target=count)
    try:
        t.start()
        while not ticks:
            time.sleep(0.001)
        before = len(ticks)
        work()
        during = len(ticks) - before
    finally:
        done.set()
        t.join()
        sys.setswitchinterval(old)
    return during


def test_batch_runs_without_the_gil(policy_004):
    from canbao import _core

    cols = roster(3_000_000, seed=5)
    args = [cols[k] for k in ("sex", "birth_day", "hukou_local", "insurance_status", "employment",
                              "resident_grade_yuan", "flags")]
    assert ticks_during(lambda: sum(range(3_000_000))) == 0  # the probe sees a GIL-holding call
    assert ticks_during(lambda: _core.recommend_columns(policy_004._handle, 19538, *args)) > 0


def test_threads_share_one_policy(policy_004):
    cols = roster(20000, seed=9)
    expected = policy_004.recommend_batch(cols, "2023-06-30")
    results = [None] * 8

    def work(k):
        results[k] = policy_004.recommend_batch(cols, "2023-06-30")

    threads = [threading.Thread(target=work, args=(k,)) for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for r in results:
        np.testing.assert_array_equal(r["fired_rows"], expected["fired_rows"])


def test_batch_fills_caller_owned_outputs_in_place(policy_004):
    cols = roster(500, seed=17)
    expected = policy_004.recommend_batch(cols, "2023-06-30")
    out = {k: np.full(500, 255, np.uint8) for k in ("scheme", "actions", "groups")}
    out["fired_rows"] = np.zeros(500, np.uint64)
    got = policy_004.recommend_batch(cols, "2023-06-30", out=out)
    for key in ("scheme", "actions", "groups", "fired_rows"):
        assert got[key] is out[key]  # the same array, filled in place
        np.testing.assert_array_equal(out[key], expected[key])
    wrong = dict(out, actions=np.zeros(500, np.int64))
    with pytest.raises(canbao.ArgumentError) as e:
        policy_004.recommend_batch(cols, "2023-06-30", out=wrong)
    assert e.value.path == "out.actions"
    short = dict(out, groups=np.zeros(499, np.uint8))
    with pytest.raises(canbao.ArgumentError, match="out.groups"):
        policy_004.recommend_batch(cols, "2023-06-30", out=short)
