#!/usr/bin/python3
"""Ratios for the CI guard (scripts/check_ratios.py), measured in one run at a
small size on the 004 policy's synthetic persons (benchmarks/bench_python.py):

- batch_vs_numpy_select: Python Policy.recommend_batch (the documented
  default result: scheme, actions, groups and fired_rows) against the 004
  rules by hand in numpy (cut-off day comparisons + np.select);
- batch_fired_rows_cost: the C ABI columns call without fired_rows against
  the same call with them (issue 15: fired_rows should cost < 30 %);
- batch_fired_set_cost: the C ABI table call (canbao_recommend_table) without
  fired rows against the same call with the narrow fired_set column (one
  byte a person, the number of the fired-row set), checked to name exactly
  the fired_rows words.

Each side is the min over --repeat runs; answers are checked equal first.

    PYTHONPATH=build/python CANBAO_LIBRARY=build/libcanbao.so \\
        /usr/bin/python3 benchmarks/ratio_batch.py --persons 1000000 --out ratios-batch.json
"""
import argparse
import ctypes
import json
import os
import pathlib
import sys

import numpy as np

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import bench_python as bp  # noqa: E402  (the synthetic persons and the numpy rules)

import canbao  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--library", default=os.environ.get("CANBAO_LIBRARY", str(bp.ROOT / "build" / "libcanbao.so")))
    parser.add_argument("--out", required=True, help="JSON file for scripts/check_ratios.py")
    args = parser.parse_args()
    n = args.persons
    cols = bp.synthetic(n)
    policy = canbao.Policy.from_file(bp.POLICY)

    # Warm-up (the prepared tables), and the answers agree.
    want = bp.numpy_select_004(cols, bp.AS_OF)
    got = policy.recommend_batch(cols, bp.AS_OF)
    for key in ("scheme", "actions", "groups"):
        assert np.array_equal(got[key], want[key]), key
    assert got["fired_rows"].dtype == np.uint64 and len(got["fired_rows"]) == n

    # Interleaved, so that a burst of load hits both sides alike.
    t_py, t_np = [], []
    for _ in range(args.repeat):
        t_py.append(bp.best(lambda: policy.recommend_batch(cols, bp.AS_OF), 1)[0])
        t_np.append(bp.best(lambda: bp.numpy_select_004(cols, bp.AS_OF), 1)[0])

    with_fired = bp.c_batch(args.library, cols, n)
    outs = with_fired()
    assert np.array_equal(outs["fired_rows"], got["fired_rows"])
    without = bp.c_batch(args.library, cols, n, fired_rows=False)
    t_with, t_without = [], []
    for _ in range(args.repeat):
        t_with.append(bp.best(with_fired, 3)[0])
        t_without.append(bp.best(without, 3)[0])

    # The narrow form: the table call without fired rows, with fired_set and
    # (for the report) with fired_rows, interleaved the same way.
    table_none = bp.c_table(args.library, cols, n)
    table_set = bp.c_table(args.library, cols, n, fired="set")
    table_rows = bp.c_table(args.library, cols, n, fired="rows")
    narrow = table_set()
    assert np.array_equal(narrow["fired_sets"][narrow["fired_set"]], got["fired_rows"])
    for key in ("scheme", "actions", "groups"):
        assert np.array_equal(narrow[key], got[key]), key
    t_none, t_set, t_rows = [], [], []
    for _ in range(args.repeat):
        t_none.append(bp.best(table_none, 3)[0])
        t_set.append(bp.best(table_set, 3)[0])
        t_rows.append(bp.best(table_rows, 3)[0])
    print(f"(table call with fired_rows: ratio {min(t_none) / min(t_rows):.2f})")

    results = [
        {"name": "batch_vs_numpy_select", "canbao_s": min(t_py), "baseline_s": min(t_np),
         "canbao": f"Policy.recommend_batch, {n:,} persons", "baseline": "numpy_select_004"},
        {"name": "batch_fired_rows_cost", "canbao_s": min(t_with), "baseline_s": min(t_without),
         "canbao": "canbao_recommend_columns with fired_rows", "baseline": "the same without fired_rows"},
        {"name": "batch_fired_set_cost", "canbao_s": min(t_set), "baseline_s": min(t_none),
         "canbao": "canbao_recommend_table with fired_set", "baseline": "the same without fired rows"},
    ]
    for r in results:
        print(f"{r['name']}: canbao {r['canbao_s'] * 1e3:.2f} ms, baseline {r['baseline_s'] * 1e3:.2f} ms, "
              f"ratio {r['baseline_s'] / r['canbao_s']:.2f}")
    pathlib.Path(args.out).write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
