"""What if the first work-fund deadline came two weeks earlier? (000, XX town 2021)

The reform is a JSON Merge Patch (RFC 7386) built from the policy itself: tier 1's
deadline minus --days days (2021-09-30 -> 2021-09-16 for 14), the other tiers as
they are (a merge patch replaces arrays whole, so every tier is repeated). The
same observed progress is read against both policies by canbao.compare, and each
village's work fund before, after and the change are printed in yuan, converted
from integer fen only for printing.

    PYTHONPATH=build/python /usr/bin/python3 examples/python/reform_first_deadline.py
        [--policy P.json] [--progress P.csv] [--as-of YYYY-MM-DD] [--days 14]

Output lines (parsed by tests/python/test_analyst_examples.py):
    patch: {...}
    unit  completed  tier_before  tier_after  before  after  delta  name
    total  <before>  <after>  <delta>
"""
import argparse
import datetime
import json
import pathlib

import canbao

ROOT = pathlib.Path(__file__).resolve().parents[2]


def yuan(fen: int, sign: bool = False) -> str:
    """Integer fen as yuan with two decimals, exactly (no float on the way)."""
    text = f"{abs(fen) // 100}.{abs(fen) % 100:02d}"
    if fen < 0:
        return "-" + text
    return ("+" if sign and fen > 0 else "") + text


def first_deadline_patch(policy: canbao.Policy, days: int) -> dict:
    """A merge patch moving tier 1's deadline `days` days earlier, read from the policy."""
    doc = json.loads(policy.to_json())
    tiers = [dict(t) for t in doc["work_fund"]["tiers"]]
    first = datetime.date.fromisoformat(tiers[0]["deadline"])
    tiers[0]["deadline"] = (first - datetime.timedelta(days=days)).isoformat()
    return {"work_fund": {"tiers": tiers}}


def campaign_end(policy: canbao.Policy) -> str:
    """The last day of the campaign's last phase (000: 2021-12-31)."""
    return max(p["end"] for p in json.loads(policy.to_json())["campaign"]["phases"])


def tier_name(tier) -> str:
    return "none" if tier is None else str(tier)  # no tier: late or not complete, paid 0 under 000


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--policy", default=ROOT / "examples/policies/000-xx-town-2021.json")
    ap.add_argument("--progress", default=ROOT / "examples/progress/000-xx-town-2021.csv")
    ap.add_argument("--as-of", help="evaluation day (default: the campaign's last day)")
    ap.add_argument("--days", type=int, default=14, help="how many days earlier tier 1's deadline falls")
    args = ap.parse_args()

    base = canbao.Policy.from_file(args.policy)
    as_of = args.as_of or campaign_end(base)
    patch = first_deadline_patch(base, args.days)
    t = canbao.compare(base, patch=patch, progress=str(args.progress), as_of=as_of)

    print(f"base   {t['base_fingerprint']}")
    print(f"reform {t['reform_fingerprint']}")
    print("patch:", json.dumps(patch, ensure_ascii=False, separators=(",", ":")))
    print(f"as of {as_of}; work fund per village in yuan (tier 1 = the first deadline)")
    p = t["payouts"]
    rows = [("unit", "completed", "tier_before", "tier_after", "before", "after", "delta", "name")]
    for i in range(len(p["unit_id"])):
        done = p["completed_before"][i] or "-"
        rows.append((p["unit_id"][i], done, tier_name(p["tier_before"][i]), tier_name(p["tier_after"][i]),
                     yuan(p["before_fen"][i]), yuan(p["after_fen"][i]), yuan(p["delta_fen"][i], sign=True),
                     p["name"][i]))
    before, after, delta = (t["totals"][k][0] for k in ("before_fen", "after_fen", "delta_fen"))
    assert delta == sum(p["delta_fen"]) and delta == after - before  # exact, in fen
    rows.append(("total", "", "", "", yuan(before), yuan(after), yuan(delta, sign=True), ""))
    widths = [max(len(r[c]) for r in rows) for c in range(len(rows[0]) - 1)]
    for r in rows:
        print(("  ".join(cell.ljust(w) for cell, w in zip(r, widths)) + "  " + r[-1]).rstrip())
    changed = sum(1 for d in p["delta_fen"] if d != 0)
    print(f"{changed} of {len(p['unit_id'])} villages change; the county pays {yuan(-delta)} yuan less"
          if delta <= 0 else f"{changed} villages change; the county pays {yuan(delta)} yuan more")


if __name__ == "__main__":
    main()
