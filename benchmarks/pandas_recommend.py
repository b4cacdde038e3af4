#!/usr/bin/python3
"""The `canbao recommend` job written as an analyst would in pandas, for the
CI ratio guard (benchmarks/ratio_cli.py, scripts/check_ratios.py): read a
roster CSV (scripts/make_roster.py's columns), check each ID number's GB
11643-1999 check character, take a missing birth date from the ID number, map
the names to codes, apply the 004 rules by hand (cut-off days + np.select:
benchmarks/bench_python.py numpy_select_004) and write id, scheme, actions and
groups as CSV. A minimal baseline: rows it cannot read stop it (no rejects file).

    PYTHONPATH=build/python /usr/bin/python3 benchmarks/pandas_recommend.py \\
        --roster roster.csv --as-of 2023-06-30 --out out.csv
"""
import argparse
import datetime
import pathlib
import sys

import numpy as np
import pandas as pd

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import bench_python as bp  # noqa: E402

import canbao  # noqa: E402  (the names of the built-in lists, in code order)

WEIGHTS = np.array([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2], np.int64)
CHECK = np.frombuffer(b"10X98765432", np.uint8)


def codes(column, names, what):
    c = pd.Categorical(column, categories=names).codes
    if (c < 0).any():
        raise SystemExit(f"{what}: unknown value {column[c < 0].iloc[0]!r}")
    return c.astype(np.uint8)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("policy", nargs="?", help="ignored: the 004 rules are written out here")
    ap.add_argument("--roster", required=True)
    ap.add_argument("--as-of", required=True)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    as_of = datetime.date.fromisoformat(args.as_of)
    df = pd.read_csv(args.roster, dtype=str, keep_default_na=False)

    ids = df["id_number"].to_numpy(dtype="S18")
    digits = np.frombuffer(ids.tobytes(), np.uint8).reshape(-1, 18)
    check = CHECK[((digits[:, :17].astype(np.int64) - 48) @ WEIGHTS) % 11]
    if (check != digits[:, 17]).any():
        raise SystemExit("id_number: a wrong check character")
    from_id = pd.to_datetime(df["id_number"].str.slice(6, 14), format="%Y%m%d")
    given = pd.to_datetime(df["birth_date"].replace("", None), format="%Y-%m-%d")
    birth = given.fillna(from_id)
    cols = {
        "sex": codes(df["sex"], ["male", "female"], "sex"),
        "birth_day": ((birth - pd.Timestamp("1970-01-01")).dt.days).to_numpy(np.int32),
        "hukou_local": df["hukou_local"].isin(["true", "1"]).to_numpy(np.uint8),
        "insurance_status": codes(df["insurance_status"], list(canbao.INSURANCE_STATUSES), "insurance_status"),
        "employment": codes(df["employment"], list(canbao.EMPLOYMENTS), "employment"),
        "resident_grade_yuan": pd.to_numeric(df["resident_grade_yuan"].replace("", "0")).to_numpy(np.uint16),
    }
    flags = np.zeros(len(df), np.uint8)
    for bit, name in enumerate(canbao.FLAGS):
        flags |= df["flags"].str.contains(name, regex=False).to_numpy(np.uint8) << bit
    cols["flags"] = flags
    out = bp.numpy_select_004(cols, as_of)

    scheme_names = np.array(canbao.SCHEMES, dtype=object)
    action_names = np.array([";".join(a for i, a in enumerate(canbao.ACTIONS) if v >> i & 1) for v in range(256)],
                            dtype=object)
    group_names = np.array([";".join(f"g{i + 1}" for i in range(8) if v >> i & 1) for v in range(256)], dtype=object)
    pd.DataFrame({"id": df["id"], "scheme": scheme_names[out["scheme"]], "actions": action_names[out["actions"]],
                  "groups": group_names[out["groups"]]}).to_csv(args.out, index=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
