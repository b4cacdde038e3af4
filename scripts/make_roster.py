#!/usr/bin/python3
"""Writes a synthetic roster CSV for `canbao recommend` (docs/roster.md).

Deterministic: the same --rows and --seed give the same bytes. Standard library
only. Every ID number is synthetic but valid (GB 11643-1999 check character);
region codes are Chongqing districts. Used for the timed check outside the unit
tests:  /usr/bin/python3 scripts/make_roster.py --rows 1000000 > /tmp/roster.csv
"""
import argparse
import datetime
import random
import sys

WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
CHECK = "10X98765432"
REGIONS = ["500115", "500101", "500102", "500116", "500117"]  # 长寿区, 万州区, 涪陵区, 江津区, 合川区
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂英华"
STATUSES = ["none", "resident_paying", "resident_suspended", "employee_paying", "employee_suspended",
            "insured_elsewhere_suspended", "receiving_pension"]
STATUS_WEIGHTS = [30, 25, 8, 15, 5, 7, 10]
EMPLOYMENTS = ["employer", "individual_business", "platform_worker", "licensed_freelancer", "farmer",
               "student", "unemployed", "public_sector", "other"]
EMPLOYMENT_WEIGHTS = [20, 10, 8, 3, 30, 5, 10, 4, 10]
FLAGS = ["dibao", "tekun", "severe_disability", "poverty_alleviated", "land_expropriated", "village_cadre"]
GRADES = [100, 200, 300, 500, 800, 1000, 1500, 2000, 3000]
HEADER = ["id", "id_number", "name", "sex", "birth_date", "hukou_local", "insurance_status", "employment",
          "resident_grade_yuan", "flags", "village"]
VILLAGES = ["长寿湖村", "石堰社区", "双龙村", "桂湾村", "三好村"]


def id_number(region, birth, sequence, male):
    """18-character ID: region + YYYYMMDD + 3-digit sequence (odd = male) + check."""
    seq = sequence * 2 + (1 if male else 0)
    body = "%s%s%03d" % (region, birth.strftime("%Y%m%d"), seq % 1000)
    return body + CHECK[sum(int(c) * w for c, w in zip(body, WEIGHTS)) % 11]


def person(rng, row, as_of):
    male = rng.random() < 0.5
    age_days = rng.randrange(16 * 365, 85 * 365) if rng.random() < 0.95 else rng.randrange(0, 16 * 365)
    birth = as_of - datetime.timedelta(days=age_days)
    status = rng.choices(STATUSES, STATUS_WEIGHTS)[0]
    grade = rng.choice(GRADES) if status.startswith("resident") else 0
    flags = [f for f in FLAGS if rng.random() < 0.03]
    # Half the rows give the birth date only through the ID number.
    number = id_number(rng.choice(REGIONS), birth, rng.randrange(500), male)
    return [str(row), number, rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.randrange(1, 3))),
            "male" if male else "female", birth.isoformat() if rng.random() < 0.5 else "",
            "true" if rng.random() < 0.85 else "false", status, rng.choices(EMPLOYMENTS, EMPLOYMENT_WEIGHTS)[0],
            str(grade) if grade else "", ";".join(flags), rng.choice(VILLAGES)]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=2023)
    ap.add_argument("--as-of", default="2023-06-30", help="no one is born after this date")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    as_of = datetime.date.fromisoformat(args.as_of)
    out = sys.stdout
    out.write(",".join(HEADER) + "\n")
    for i in range(1, args.rows + 1):
        out.write(",".join(person(rng, i, as_of)) + "\n")


if __name__ == "__main__":
    main()
