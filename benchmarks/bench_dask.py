#!/usr/bin/env python3
"""canbao.dask throughput: rows/s of read + recommend and of per-unit counts on a
distributed.LocalCluster of 1 and 2 worker processes (one thread each), over a
synthetic 004 roster written as CSV partitions (docs/scale-out.md records a run).

    PYTHONPATH=build/python /usr/bin/python3 benchmarks/bench_dask.py --rows 4000000 --parts 16

The roster generator (write_roster_parts) is also used by tests/python/test_dask.py.
"""

import argparse
import os
import pathlib
import sys
import tempfile
import time

import numpy as np
import pandas as pd

ROOT = pathlib.Path(__file__).resolve().parents[1]
POLICY = ROOT / "examples" / "policies" / "004-shiyan-2023.json"
AS_OF = "2023-06-30"

# 004's units (examples/policies/004-shiyan-2023.json) and "" for a person of no unit.
UNITS = ["shiyan", "shiyan-community", "village-a", "village-b", "village-c", "village-d", ""]


def roster_frame(rows: int, seed: int, first_id: int = 0) -> pd.DataFrame:
    """A synthetic roster in the CSV's text form (the CLI's columns, 004's declared facts)."""
    import canbao

    rng = np.random.default_rng(seed)
    # Births 1940-01-01 .. 2007-12-31: ages 15-83 on 2023-06-30, across every age rule.
    days = rng.integers(np.datetime64("1940-01-01").astype(int), np.datetime64("2007-12-31").astype(int), rows)
    pick = lambda values, p=None: np.asarray(values, dtype=object)[rng.choice(len(values), rows, p=p)]  # noqa: E731
    statuses = list(canbao.INSURANCE_STATUSES)
    return pd.DataFrame({
        "id": np.char.add("p", np.arange(first_id, first_id + rows).astype(str)),
        "id_number": "",  # no ID numbers: birth date and sex are given
        "name": "",
        "sex": pick(["male", "female"]),
        "birth_date": days.astype("datetime64[D]").astype(str),
        "hukou_local": pick(["true", "false"], [0.9, 0.1]),
        "insurance_status": pick(statuses),
        "employment": pick(list(canbao.EMPLOYMENTS)),
        "resident_grade_yuan": pick(["", "200", "500"], [0.8, 0.1, 0.1]),
        "flags": pick(["", "dibao", "village_cadre", "dibao;land_expropriated"], [0.85, 0.05, 0.05, 0.05]),
        "g2_groups": pick(["", "graduate", "retired_fisher;industry_leader"], [0.9, 0.05, 0.05]),
        "suspended_scheme": pick(["", "none", "resident", "employee"], [0.7, 0.1, 0.1, 0.1]),
        "prior_contribution_years": pick(["", "0", "3", "15"], [0.7, 0.1, 0.1, 0.1]),
        "unit_id": pick(UNITS),
    })


def write_roster_parts(directory: pathlib.Path, rows: int, parts: int, seed: int = 14) -> list:
    """Writes `rows` synthetic persons as `parts` CSV files roster-000.csv ...; returns the paths."""
    directory.mkdir(parents=True, exist_ok=True)
    paths, start = [], 0
    for i in range(parts):
        n = rows // parts + (1 if i < rows % parts else 0)
        path = directory / f"roster-{i:03d}.csv"
        roster_frame(n, seed + i, start).to_csv(path, index=False, lineterminator="\n")
        paths.append(path)
        start += n
    return paths


def measure(paths: list, workers: int, policy) -> dict:
    import distributed

    import canbao.dask as cd

    with distributed.LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                  dashboard_address=":0") as cluster, distributed.Client(cluster) as client:
        # Wall time, and the workers' CPU time (process_time summed over the worker
        # processes): on a shared machine the second is what a dedicated core would take.
        def timed(run):
            cpu, t = sum(client.run(time.process_time).values()), time.perf_counter()
            value = run()
            return value, time.perf_counter() - t, sum(client.run(time.process_time).values()) - cpu

        ddf = cd.read_roster(paths, policy, AS_OF)
        rows, read, read_cpu = timed(lambda: len(ddf))
        schemes, recommend, recommend_cpu = timed(
            lambda: cd.recommend(ddf, policy, AS_OF)["scheme"].value_counts().compute())
        counts, units, units_cpu = timed(lambda: cd.unit_counts(ddf, policy, AS_OF))
    assert int(schemes.sum()) == rows == counts["persons"]
    return {"rows": rows, "read": (read, read_cpu), "recommend": (recommend, recommend_cpu),
            "unit_counts": (units, units_cpu)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, default=2_000_000)
    ap.add_argument("--parts", type=int, default=8)
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--dir", type=pathlib.Path, help="where the CSV parts go (default: a temp dir)")
    ap.add_argument("--reuse", action="store_true", help="use the parts already in --dir")
    args = ap.parse_args()
    import canbao

    policy = canbao.Policy.from_file(POLICY)
    with tempfile.TemporaryDirectory() as tmp:
        directory = args.dir or pathlib.Path(tmp)
        t = time.perf_counter()
        paths = sorted(directory.glob("roster-*.csv")) if args.reuse else []
        if len(paths) != args.parts:
            paths = write_roster_parts(directory, args.rows, args.parts)
        size = sum(os.path.getsize(p) for p in paths)
        print(f"{args.rows} rows in {args.parts} CSV parts, {size / 1e6:.1f} MB "
              f"({size / args.rows:.0f} bytes/row) in {time.perf_counter() - t:.1f} s")
        for w in args.workers:
            m = measure(paths, w, policy)
            print(f"workers={w} ({os.getloadavg()[0]:.1f} load average):" + "".join(
                f" {name} {wall:.1f} s wall ({m['rows'] / wall:,.0f} rows/s), {cpu:.1f} s worker CPU "
                f"({m['rows'] / cpu:,.0f} rows per CPU-second);"
                for name, (wall, cpu) in (("read+count", m["read"]), ("read+recommend", m["recommend"]),
                                          ("read+unit_counts", m["unit_counts"]))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
