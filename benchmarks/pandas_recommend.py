#!/usr/bin/env python3
"""The pandas baseline of `canbao recommend` (issue 15): the same roster read
with read_csv, 004's age rule (004 四(二): men under 45 and women under 40 to
the employee scheme, older to the resident scheme, under 16 and pension
receivers none, past 60/55 none) with np.select, and to_csv with a short
reason code per row. No validation of ID numbers, dates or lists.

    /usr/bin/python3 benchmarks/pandas_recommend.py ROSTER.csv OUT.csv
"""
import sys

import numpy as np
import pandas as pd

AS_OF = pd.Timestamp("2023-06-30")


def main(src, dst):
    df = pd.read_csv(src, dtype=str, keep_default_na=False)
    birth = pd.to_datetime(df["birth_date"], format="%Y-%m-%d")
    had_birthday = (birth.dt.month < AS_OF.month) | (
        (birth.dt.month == AS_OF.month) & (birth.dt.day <= AS_OF.day))
    age = AS_OF.year - birth.dt.year - (~had_birthday).astype(int)
    male = df["sex"] == "male"
    young_limit = np.where(male, 45, 40)
    retire = np.where(male, 60, 55)
    conditions = [
        df["insurance_status"] == "receiving_pension",
        age < 16,
        age >= retire,
        age < young_limit,
    ]
    scheme = np.select(conditions, ["none", "none", "none", "employee"], default="resident")
    reason = np.select(conditions, ["scheme.0", "scheme.1", "scheme.2", "scheme.3"],
                       default="scheme.4")
    out = pd.DataFrame({"id": df["id"], "age": age, "scheme": scheme, "reasons": reason})
    out.to_csv(dst, index=False)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
