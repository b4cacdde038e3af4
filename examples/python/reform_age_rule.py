"""What if 004's age rule were 50/45 instead of 45/40? Who changes scheme, by age band and sex.

004 (Shiyan town, 2023) sends men under 45 and women under 40 to the employee
scheme and older people to the resident scheme. The reform
(examples/patches/004-age-rule-50-45.json, a JSON Patch, RFC 6902) moves the
bounds to men under 50 and women under 45 in every row that carries the rule.
Both policies recommend a scheme for every person of a roster through
Policy.recommend_batch (numpy columns, C++ batch engine), and the people whose
scheme differs are counted by age band and sex (pandas crosstab).

The roster is synthetic by default: --persons people drawn with a fixed --seed
(numpy), ages 0-84 (mostly 16+), both sexes, the seven insurance statuses and
nine employments with fixed weights, grades for resident-scheme members and a
few hardship flags. --roster CSV reads a roster in the format of docs/roster.md
instead (examples/rosters/004-sample.csv). Either way the roster is also handed
to canbao.compare (the C++ patch and roster reader) and the script stops if its
own counts disagree with it.

    PYTHONPATH=build/python /usr/bin/python3 examples/python/reform_age_rule.py
        [--persons 20000] [--seed 2023] [--roster CSV] [--as-of 2023-06-30]
        [--table-csv FILE] [--write-roster FILE]
"""
import argparse
import datetime
import json
import os
import pathlib
import tempfile

import numpy as np
import pandas as pd

import canbao

ROOT = pathlib.Path(__file__).resolve().parents[2]
BANDS = [(0, 15), (16, 29), (30, 39), (40, 44), (45, 49), (50, 59), (60, 200)]
BAND_LABELS = [f"{lo}-{hi}" if hi < 200 else f"{lo}+" for lo, hi in BANDS]
STATUS_WEIGHTS = {"none": 30, "resident_paying": 25, "resident_suspended": 8, "employee_paying": 15,
                  "employee_suspended": 5, "insured_elsewhere_suspended": 7, "receiving_pension": 10}
EMPLOYMENT_WEIGHTS = {"employer": 20, "individual_business": 10, "platform_worker": 8, "licensed_freelancer": 3,
                      "farmer": 30, "student": 5, "unemployed": 10, "public_sector": 4, "other": 10}
GRADES = np.array([100, 200, 300, 500, 800, 1000, 1500, 2000, 3000], dtype=np.uint16)


# ---- rosters --------------------------------------------------------------------------

def synthetic_roster(persons: int, seed: int, as_of: datetime.date) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    adult = rng.random(persons) < 0.95
    age_days = np.where(adult, rng.integers(16 * 365, 85 * 365, persons), rng.integers(0, 16 * 365, persons))
    as_of_day = (as_of - datetime.date(1970, 1, 1)).days
    statuses = rng.choice(len(canbao.INSURANCE_STATUSES), persons,
                          p=np.array([STATUS_WEIGHTS[s] for s in canbao.INSURANCE_STATUSES]) / 100)
    employments = rng.choice(len(canbao.EMPLOYMENTS), persons,
                             p=np.array([EMPLOYMENT_WEIGHTS[e] for e in canbao.EMPLOYMENTS]) / 100)
    resident = np.isin(statuses, [canbao.INSURANCE_STATUSES.index("resident_paying"),
                                  canbao.INSURANCE_STATUSES.index("resident_suspended")])
    flags = np.zeros(persons, dtype=np.uint8)
    for bit in range(len(canbao.FLAGS)):
        flags |= ((rng.random(persons) < 0.03).astype(np.uint8) << bit)
    return pd.DataFrame({
        "sex": rng.integers(0, 2, persons).astype(np.uint8),  # 0 male, 1 female
        "birth_day": (as_of_day - age_days).astype(np.int32),
        "hukou_local": (rng.random(persons) < 0.85).astype(np.uint8),
        "insurance_status": statuses.astype(np.uint8),
        "employment": employments.astype(np.uint8),
        "resident_grade_yuan": np.where(resident, rng.choice(GRADES, persons), 0).astype(np.uint16),
        "flags": flags,
    })


def read_roster(path) -> pd.DataFrame:
    """A roster CSV (docs/roster.md) as recommend_batch columns of codes, read by
    canbao's own reader (empty sex or birth date are taken from the ID number)."""
    r = canbao.read_roster(path)
    return pd.DataFrame({
        "sex": r["sex"].cat.codes.astype(np.uint8),  # categories male, female: 0, 1
        "birth_day": r["birth_date"].to_numpy().astype("datetime64[D]").astype(np.int32),
        "hukou_local": r["hukou_local"].astype(np.uint8),
        "insurance_status": r["insurance_status"].cat.codes.astype(np.uint8),
        "employment": r["employment"].cat.codes.astype(np.uint8),
        "resident_grade_yuan": r["resident_grade_yuan"],
        "flags": r["flags"],
    })


def write_roster(roster: pd.DataFrame, path) -> None:
    """The columns as a roster CSV (docs/roster.md) that canbao's own reader accepts."""
    births = roster["birth_day"].to_numpy().astype("datetime64[D]").astype(str)
    flags = [";".join(f for b, f in enumerate(canbao.FLAGS) if v >> b & 1) for v in roster["flags"]]
    pd.DataFrame({
        "id": np.arange(1, len(roster) + 1), "id_number": "", "name": "",
        "sex": np.where(roster["sex"] == 1, "female", "male"), "birth_date": births,
        "hukou_local": np.where(roster["hukou_local"] == 1, "true", "false"),
        "insurance_status": np.array(canbao.INSURANCE_STATUSES)[roster["insurance_status"]],
        "employment": np.array(canbao.EMPLOYMENTS)[roster["employment"]],
        "resident_grade_yuan": np.where(roster["resident_grade_yuan"] > 0, roster["resident_grade_yuan"], ""),
        "flags": flags,
    }).to_csv(path, index=False)


def ages(birth_day: np.ndarray, as_of: datetime.date) -> np.ndarray:
    """Whole years (周岁) on as_of, as canbao counts them (a 02-29 birthday counts
    from 03-01 in common years, which a (month, day) comparison gives)."""
    b = pd.to_datetime(birth_day.astype("datetime64[D]"))
    before_birthday = (as_of.month * 100 + as_of.day) < (b.month * 100 + b.day)
    return (as_of.year - b.year - before_birthday.astype(int)).to_numpy()


# ---- the comparison -------------------------------------------------------------------

def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--policy", default=ROOT / "examples/policies/004-shiyan-2023.json")
    ap.add_argument("--patch", default=ROOT / "examples/patches/004-age-rule-50-45.json")
    ap.add_argument("--roster", help="roster CSV (docs/roster.md); default: a synthetic roster")
    ap.add_argument("--persons", type=int, default=20000, help="size of the synthetic roster")
    ap.add_argument("--seed", type=int, default=2023, help="seed of the synthetic roster")
    ap.add_argument("--as-of", default="2023-06-30")
    ap.add_argument("--table-csv", help="also write the band x sex table of scheme changes as CSV")
    ap.add_argument("--write-roster", help="also write the roster used as a roster CSV")
    args = ap.parse_args()
    as_of = datetime.date.fromisoformat(args.as_of)

    base = canbao.Policy.from_file(args.policy)
    with open(args.patch, encoding="utf-8") as f:
        patch = json.load(f)
    reform = base.reform(patch)  # applied and validated in C++, provenance kept

    if args.roster:
        roster, source = read_roster(args.roster), f"roster {args.roster}"
    else:
        roster, source = synthetic_roster(args.persons, args.seed, as_of), \
            f"synthetic roster: {args.persons} persons, seed {args.seed}"
    before = base.recommend_batch(roster, as_of, as_frame=False)  # numpy columns of codes
    after = reform.recommend_batch(roster, as_of, as_frame=False)

    people = pd.DataFrame({
        "sex": np.where(roster["sex"].to_numpy() == 1, "female", "male"),
        "age": ages(roster["birth_day"].to_numpy(), as_of),
        "before": np.array(canbao.SCHEMES)[before["scheme"]],
        "after": np.array(canbao.SCHEMES)[after["scheme"]],
    })
    people["band"] = pd.cut(people["age"], [lo - 0.5 for lo, _ in BANDS] + [1000], labels=BAND_LABELS)
    moved = people[people["before"] != people["after"]]
    any_change = int(((before["scheme"] != after["scheme"]) | (before["actions"] != after["actions"])).sum())

    # The same question asked of canbao.compare: the C++ patch, roster reader and matcher.
    with tempfile.TemporaryDirectory() as tmp:
        roster_csv = args.roster or args.write_roster or os.path.join(tmp, "roster.csv")
        if not args.roster:
            write_roster(roster, roster_csv)
        c = canbao.compare(base, patch=str(args.patch), roster=roster_csv, as_of=as_of.isoformat(), samples=0)
    tr = pd.DataFrame(c["transitions"])
    c_moved = int(tr.loc[tr["scheme_before"] != tr["scheme_after"], "count"].sum())
    if c["reform_fingerprint"] != reform.fingerprint or c_moved != len(moved) \
            or int(tr.loc[tr["changed"], "count"].sum()) != any_change:
        raise SystemExit(f"disagreement with canbao.compare: {c_moved} vs {len(moved)} scheme changes")

    print(f"{source}, as of {as_of}")
    print(f"base   {base.fingerprint}")
    print(f"reform {reform.fingerprint} (= canbao.compare's)")
    print(f"persons: {len(people)}")
    print(f"changed scheme: {len(moved)}")
    print(f"changed scheme or actions: {any_change}")
    table = pd.crosstab(pd.Categorical(moved["band"], categories=BAND_LABELS),
                        pd.Categorical(moved["sex"], categories=["female", "male"]),
                        rownames=["age band"], colnames=["sex"], dropna=False, margins=True, margins_name="all")
    print("\nscheme changes by age band and sex:")
    print(table.to_string())
    print("\nscheme before -> after:")
    print(moved.groupby(["before", "after"]).size().rename("persons").to_string())
    if args.table_csv:
        table.to_csv(args.table_csv)


if __name__ == "__main__":
    main()
