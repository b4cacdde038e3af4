"""canbao.dask (docs/scale-out.md): the same answers as one process.

Fast tests (Dask's synchronous scheduler, a few rows, figures by hand) run in the
main suite; the `cluster` test starts a distributed.LocalCluster of 2 worker
processes over 2M synthetic rows in 8 CSV files (ctest entry python.dask)."""

import importlib.util
import os
import pathlib
import subprocess
import sys

import pandas as pd
import pytest

import canbao

dask = pytest.importorskip("dask")
import dask.dataframe  # noqa: E402
import canbao.dask as cd  # noqa: E402

ROOT = pathlib.Path(os.environ.get("CANBAO_SOURCE_DIR", pathlib.Path(__file__).resolve().parents[2]))
PATCH = ROOT / "examples" / "patches" / "004-age-rule-50-45.json"
AS_OF = "2023-06-30"

# 004's age rule on 2023-06-30 (tests/python/test_unit_counts.py): a (man, 43) -> employee;
# b (woman, 63, uninsured local) -> resident with back pay; c (woman, 48) -> resident;
# d (man, 32, no unit) -> employee; e (man, 47, village-c) -> resident under 004, but the
# age-rule patch (men to 49 in the employee scheme) moves him to employee.
from test_unit_counts import ROSTER  # noqa: E402  (a..d, hand-worked there)

ROSTER_2 = (
    "id,id_number,name,sex,birth_date,hukou_local,insurance_status,employment,"
    "resident_grade_yuan,flags,unit_id\n"
    "e,,戊,male,1976-01-01,true,none,farmer,,,village-c\n")


def bench():
    spec = importlib.util.spec_from_file_location("bench_dask", ROOT / "benchmarks" / "bench_dask.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture()
def two_files(tmp_path):
    (tmp_path / "r1.csv").write_text(ROSTER, encoding="utf-8")
    (tmp_path / "r2.csv").write_text(ROSTER_2, encoding="utf-8")
    return [tmp_path / "r1.csv", tmp_path / "r2.csv"]


def test_import_canbao_does_not_import_dask():
    code = "import sys, canbao; assert 'dask' not in sys.modules; import canbao.dask; assert 'dask' in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True, env=dict(os.environ))


def test_synchronous_by_hand(two_files, policy_004):
    with dask.config.set(scheduler="synchronous"):
        ddf = cd.read_roster([str(p) for p in two_files], policy_004, AS_OF)
        assert ddf.npartitions == 2  # one per file
        rec = cd.recommend(ddf, policy_004, AS_OF, names=True, keep=["id"]).compute()
        # a, b, c, d, e by hand (above); b's back pay is 004 三(二)1's catch-up for a
        # local uninsured person past the pension age.
        assert list(rec["id"]) == ["a", "b", "c", "d", "e"]
        assert list(rec["scheme"].astype(str)) == ["employee", "resident", "resident", "employee", "resident"]
        assert "back_pay" in rec["actions"].astype(str).iloc[1]
        assert set(rec["policy_fingerprint"].astype(str)) == {policy_004.fingerprint}

        c = cd.compare(ddf, policy_004, patch=str(PATCH), as_of=AS_OF)
        # Only e moves (resident -> employee): 5 people, 1 changed.
        assert (c["people"], c["changed"]) == (5, 1)
        assert c["base_fingerprint"] == policy_004.fingerprint != c["reform_fingerprint"]
        t = c["transitions"]
        moved = t[t["changed"]]
        assert list(moved["scheme_before"]) == ["resident"] and list(moved["scheme_after"]) == ["employee"]
        assert list(moved["count"]) == [1]

        u = cd.unit_counts(ddf, policy_004, AS_OF)
        units = {x["unit_id"]: x for x in u["units"]}
        # village-a: a and b; village-c: e; the town shiyan: its villages' 4; d unlinked.
        assert u["persons"] == 5 and u["unlinked"]["persons"] == 1
        assert (units["village-a"]["persons"], units["village-a"]["own_persons"]) == (2, 2)
        assert units["village-c"]["schemes"]["resident"] == 1
        assert (units["shiyan"]["persons"], units["shiyan"]["own_persons"]) == (4, 0)
        assert u["policy_fingerprint"] == policy_004.fingerprint


def test_synchronous_equals_one_process(tmp_path, policy_004):
    """A small synthetic roster in 3 files: compare and unit_counts equal canbao.compare and
    Policy.unit_counts over the same rows as one CSV (the C++ roster reader)."""
    b = bench()
    paths = b.write_roster_parts(tmp_path / "parts", 3000, 3, seed=5)
    whole = tmp_path / "whole.csv"
    pd.concat([pd.read_csv(p, dtype=str, keep_default_na=False) for p in paths]).to_csv(
        whole, index=False, lineterminator="\n")
    with dask.config.set(scheduler="synchronous"):
        ddf = cd.read_roster([str(p) for p in paths], policy_004, AS_OF)
        check_against_csv(ddf, whole, policy_004)


def check_against_csv(ddf, whole, policy):
    c = cd.compare(ddf, policy, patch=str(PATCH), as_of=AS_OF)
    one = canbao.compare(policy, patch=PATCH, roster=whole, as_of=AS_OF)
    expected = pd.DataFrame(one["transitions"])
    pd.testing.assert_frame_equal(c["transitions"].reset_index(drop=True), expected, check_dtype=False)
    assert c["changed"] == int(expected.loc[expected["changed"], "count"].sum()) > 0
    u = cd.unit_counts(ddf, policy, AS_OF)
    assert u.pop("policy_fingerprint") == policy.fingerprint
    assert u == dict(policy.unit_counts(whole, AS_OF))


def test_unknown_unit_names_the_row(tmp_path, policy_004):
    (tmp_path / "r.csv").write_text(ROSTER.replace("village-b", "nowhere"), encoding="utf-8")
    with dask.config.set(scheduler="synchronous"):
        frame = canbao.read_roster(str(tmp_path / "r.csv"), policy_004, AS_OF)
        ddf = dask.dataframe.from_pandas(frame, npartitions=2)  # rows 0-1 and 2-3
        # c, row 2 (the second partition's first row), names the unknown unit.
        with pytest.raises(canbao.InputError, match=r"columns\.unit_id\[2\]: unknown unit"):
            cd.unit_counts(ddf, policy_004, AS_OF)


def test_worker_policy_checks_the_fingerprint(policy_004):
    text = policy_004.to_json()
    assert cd.worker_policy((text, policy_004.fingerprint)) is cd.worker_policy((text, policy_004.fingerprint))
    with pytest.raises(canbao.PolicyError, match="fingerprint"):
        cd.worker_policy((text, "0" * 64))


# The cluster's rows: 2M by default (CANBAO_DASK_ROWS to change it).
ROWS = int(os.environ.get("CANBAO_DASK_ROWS", 2_000_000))


@pytest.mark.cluster
# Debian's distributed 2022.12 with its tornado: warnings from their event loop setup.
@pytest.mark.filterwarnings("ignore:make_current is deprecated:DeprecationWarning")
@pytest.mark.filterwarnings("ignore:There is no current event loop:DeprecationWarning")
def test_local_cluster_two_workers(tmp_path, policy_004):
    """ROWS rows in 8 CSV files on 2 worker processes == one process."""
    distributed = pytest.importorskip("distributed")
    b = bench()
    paths = [str(p) for p in b.write_roster_parts(tmp_path / "parts", ROWS, 8)]
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=":0") as cluster, distributed.Client(cluster) as client:
        ddf = cd.read_roster(paths, policy_004, AS_OF).persist()  # read once, on the workers
        assert ddf.npartitions == 8
        # One process: the same rows concatenated, one recommend_batch each for base and reform.
        whole = ddf.compute().reset_index(drop=True)
        assert len(whole) == ROWS
        single = cd._batch(policy_004, whole, AS_OF)
        reform = policy_004.reform(str(PATCH))
        after = cd._batch(reform, whole, AS_OF)

        rec = cd.recommend(ddf, policy_004, AS_OF).compute().reset_index(drop=True)
        assert len(rec) == ROWS
        for column in ("scheme", "actions", "groups"):
            assert (rec[column].to_numpy() == single[column].to_numpy()).all(), column
        assert set(rec["policy_fingerprint"].astype(str)) == {policy_004.fingerprint}
        # Two workers, and each process loaded the policy once (its cache holds one entry).
        assert len(client.scheduler_info()["workers"]) == 2
        loaded = client.run(lambda: sorted(cd._cache))
        assert all(v == [policy_004.fingerprint] for v in loaded.values()), loaded

        c = cd.compare(ddf, policy_004, patch=str(PATCH), as_of=AS_OF)
        moved = ((single["scheme"].to_numpy() != after["scheme"].to_numpy())
                 | (single["actions"].to_numpy() != after["actions"].to_numpy()))
        assert c["people"] == ROWS and c["changed"] == int(moved.sum()) > 0
        t = c["transitions"]
        pairs = pd.DataFrame({"b": single["scheme"].astype(str), "a": after["scheme"].astype(str)})
        expected = pairs.value_counts()
        got = t.groupby(["scheme_before", "scheme_after"])["count"].sum()
        assert {k: int(v) for k, v in got.items()} == {k: int(v) for k, v in expected.items()}

        u = cd.unit_counts(ddf, policy_004, AS_OF)
        assert u["persons"] == ROWS
        units = {x["unit_id"]: x for x in u["units"]}
        unit_of = whole["unit_id"].to_numpy()
        employee = single["scheme"].astype(str).to_numpy() == "employee"
        for unit in ("village-a", "shiyan-community"):
            mine = unit_of == unit
            assert units[unit]["own_persons"] == units[unit]["persons"] == int(mine.sum())
            assert units[unit]["schemes"]["employee"] == int((employee & mine).sum())
        # The town counts itself and its 5 children: every linked person.
        assert units["shiyan"]["persons"] == int((unit_of != "").sum())
        assert units["shiyan"]["schemes"]["employee"] == int((employee & (unit_of != "")).sum())

        # And on a sample, equal to canbao.compare / Policy.unit_counts over one CSV.
        sample = tmp_path / "sample.csv"
        pd.read_csv(paths[0], dtype=str, keep_default_na=False, nrows=20000).to_csv(
            sample, index=False, lineterminator="\n")
        check_against_csv(cd.read_roster([str(sample)], policy_004, AS_OF), sample, policy_004)
