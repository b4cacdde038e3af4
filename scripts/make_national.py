#!/usr/bin/python3
"""Writes a synthetic national campaign: a policy with N village units and its
progress CSV (docs/performance.md, scripts/bench-national.sh).

The rules are example 000's (phases, completion, work fund, scoring); only the
unit tree is national: 31 provinces, counties of 10 towns, towns of 17
villages, every village with resident_enrolled and resident_paid targets
(parents' targets are implied sums). The progress file has 12 month-end
observations of 3 count metrics per village. Deterministic: the same
arguments give the same bytes. Standard library only.

  /usr/bin/python3 scripts/make_national.py --villages 700000 --out /tmp/national
  -> /tmp/national/policy.json, /tmp/national/progress.csv

With --units-table the units go to DIR/units.csv (docs/units-table.md) and the
policy names it ("units": {"table": "units.csv"}); the fingerprint is the same.
"""
import argparse
import json
import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))
BASE = os.path.join(HERE, "..", "examples", "policies", "000-xx-town-2021.json")
VILLAGES_PER_TOWN = 17
TOWNS_PER_COUNTY = 10
PROVINCES = 31
METRICS = ["resident_enrolled", "resident_paid", "pension_enrolled"]
MONTH_ENDS = ["2021-01-31", "2021-02-28", "2021-03-31", "2021-04-30", "2021-05-31", "2021-06-30",
              "2021-07-31", "2021-08-31", "2021-09-30", "2021-10-31", "2021-11-30", "2021-12-31"]


def unit_tree(villages):
    """Yields (id, name, level, parent) parents first, villages last in each town."""
    towns = max(1, (villages + VILLAGES_PER_TOWN - 1) // VILLAGES_PER_TOWN)
    counties = max(1, (towns + TOWNS_PER_COUNTY - 1) // TOWNS_PER_COUNTY)
    yield ("nation", "全国", "nation", "")
    for p in range(min(PROVINCES, counties)):
        yield (f"p{p}", f"省{p}", "province", "nation")
    village = 0
    for c in range(counties):
        yield (f"c{c}", f"县{c}", "county", f"p{c % min(PROVINCES, counties)}")
        for t in range(c * TOWNS_PER_COUNTY, min(towns, (c + 1) * TOWNS_PER_COUNTY)):
            yield (f"t{t}", f"镇{t}", "town", f"c{c}")
            for _ in range(VILLAGES_PER_TOWN):
                if village == villages:
                    return
                yield (f"v{village}", f"村{village}", "village", f"t{t}")
                village += 1


def village_target(rng):
    enrolled = rng.randint(400, 3000)
    return enrolled, enrolled * rng.randint(70, 95) // 100


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--villages", type=int, default=7000)
    ap.add_argument("--seed", type=int, default=15)
    ap.add_argument("--out", required=True, help="folder for policy.json and progress.csv")
    ap.add_argument("--units-table", action="store_true",
                    help="write the units to DIR/units.csv and name it in the policy")
    ap.add_argument("--no-progress", action="store_true", help="do not write progress.csv")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    rng = random.Random(args.seed)
    with open(BASE, encoding="utf-8") as f:
        policy = json.load(f)
    policy["campaign"]["id"] = "national-2021"
    policy["note"] = "synthetic national campaign (scripts/make_national.py) on example 000's rules"
    for m in policy.get("milestones", []):
        if "units" in m.get("scope", {}):
            m["scope"] = {"units": ["nation"]}
    units, targets = [], {}
    for uid, name, level, parent in unit_tree(args.villages):
        u = {"id": uid, "name": name, "level": level}
        if parent:
            u["parent"] = parent
        if level == "village":
            enrolled, paid = village_target(rng)
            targets[uid] = (enrolled, paid)
            u["targets"] = {"resident_enrolled": enrolled, "resident_paid": paid}
        units.append(u)
    if args.units_table:
        with open(os.path.join(args.out, "units.csv"), "w", encoding="utf-8", newline="") as f:
            f.write("id,name,level,parent,target.resident_enrolled,target.resident_paid\n")
            rows = []
            for u in units:
                t = u.get("targets", {})
                rows.append(f"{u['id']},{u['name']},{u['level']},{u.get('parent', '')},"
                            f"{t.get('resident_enrolled', '')},{t.get('resident_paid', '')}\n")
            f.write("".join(rows))
        units = {"table": "units.csv"}
    policy["units"] = units
    with open(os.path.join(args.out, "policy.json"), "w", encoding="utf-8") as f:
        json.dump(policy, f, ensure_ascii=False, separators=(",", ":"))
    if args.no_progress:
        return
    with open(os.path.join(args.out, "progress.csv"), "w", encoding="utf-8", newline="") as f:
        f.write("unit_id,metric,date,value\n")
        lines = []
        for uid, (enrolled, paid) in targets.items():
            # Monthly growth reaching between 80 % and 130 % of the target by October.
            reach = rng.randint(80, 130)
            for k, day in enumerate(MONTH_ENDS):
                e = enrolled * reach * (k + 1) // (10 * 100)
                p = paid * reach * (k + 1) // (10 * 100)
                lines.append(f"{uid},resident_enrolled,{day},{e}\n{uid},resident_paid,{day},{p}\n"
                             f"{uid},pension_enrolled,{day},{e + e // 3}\n")
            if len(lines) >= 12000:
                f.write("".join(lines))
                lines = []
        f.write("".join(lines))


if __name__ == "__main__":
    main()
