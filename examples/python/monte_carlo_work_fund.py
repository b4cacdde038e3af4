"""How much might the county's work-fund bill be? A seeded Monte Carlo over village completion dates (000).

000 pays each village 1 yuan per insured person if it completes its enrollment
and collection task by 2021-09-30, 0.8 by 10-15, 0.6 by 11-30, nothing later
(the policy's late rule). The observed progress gives one bill; here each
village's completion date is drawn at random around the observed one, and the
county's bill is evaluated by canbao for every trial.

The distribution: in every trial each village's whole observed progress series
(examples/progress/000-xx-town-2021.csv) is moved by D days, D independent per
village and trial, D = round(T) with T ~ triangular(-spread, 0, +spread)
(--spread-days, default 30): the completion date becomes the observed date + D,
most often near it, never more than `spread` days away. The number of insured
counted on the completion day does not change. Observations moved past the
as-of day (the campaign's last day) are not read, so such a village is not
complete and falls under the late rule; a village that never completes in the
data (向阳社区) never completes in any trial. Random numbers: numpy's
default_rng(--seed), so a seed gives the same bills on every run.

Each trial is one Policy.payouts call on the shifted progress; bills are
integer fen. Printed: the observed bill, the largest possible bill (every
village that completes paid in tier 1), mean, p5, p50, p95 in yuan (percentiles
are simulated bills, the inverted-CDF quantile) and per-village tier odds; the
histogram goes to --out (PNG), every bill to --csv if given.

    PYTHONPATH=build/python /usr/bin/python3 examples/python/monte_carlo_work_fund.py
        [--trials 2000] [--seed 2021] [--spread-days 30] [--out work_fund_bill.png] [--csv bills.csv]
"""
import argparse
import json
import pathlib

import matplotlib

matplotlib.use("Agg")  # files only, no display
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

import canbao  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parents[2]


def yuan(fen: int) -> str:
    """Integer fen as yuan with two decimals, exactly."""
    return ("-" if fen < 0 else "") + f"{abs(fen) // 100}.{abs(fen) % 100:02d}"


def mean_yuan(total_fen: int, n: int) -> str:
    """The mean of n bills whose sum is total_fen, in yuan rounded half up to the fen."""
    return yuan((2 * total_fen + n) // (2 * n))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--policy", default=ROOT / "examples/policies/000-xx-town-2021.json")
    ap.add_argument("--progress", default=ROOT / "examples/progress/000-xx-town-2021.csv")
    ap.add_argument("--as-of", help="evaluation day (default: the campaign's last day)")
    ap.add_argument("--trials", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=2021)
    ap.add_argument("--spread-days", type=float, default=30.0, help="half-width of the triangular shift")
    ap.add_argument("--out", default="work_fund_bill.png", help="histogram PNG")
    ap.add_argument("--csv", help="write every trial's bill (trial,bill_fen)")
    args = ap.parse_args()
    if args.trials < 1 or args.spread_days < 0:
        ap.error("--trials must be at least 1 and --spread-days not negative")

    policy = canbao.Policy.from_file(args.policy)
    doc = json.loads(policy.to_json())
    as_of = args.as_of or max(p["end"] for p in doc["campaign"]["phases"])
    tier1_fen = doc["work_fund"]["tiers"][0]["per_person_fen"]
    names = {u["id"]: u["name"] for u in doc["units"]}

    progress = pd.read_csv(args.progress, dtype={"unit_id": str, "metric": str, "date": str})
    observed = policy.payouts(progress, as_of)
    paid = [p["unit_id"] for p in observed["payouts"]]
    # Largest possible bill: every village that completes at all, in tier 1, with the
    # basis counted on its completion day (unchanged by a shift).
    max_fen = sum(p["basis"] * tier1_fen for p in observed["payouts"] if p["completed_on"] is not None)

    days = progress["date"].to_numpy().astype("datetime64[D]")
    unit_index = pd.Index(paid).get_indexer(progress["unit_id"])  # -1: not a paid unit, never shifted
    units, metrics = progress["unit_id"].tolist(), progress["metric"].tolist()
    values = progress["value"].astype(int).tolist()
    rng = np.random.default_rng(args.seed)
    bills = np.zeros(args.trials, dtype=np.int64)
    tiers = np.zeros((args.trials, len(paid)), dtype=np.int8)  # 1-based tier, 0 none
    for trial in range(args.trials):
        shift = np.rint(rng.triangular(-args.spread_days, 0.0, args.spread_days, len(paid)) if args.spread_days > 0
                        else np.zeros(len(paid))).astype(np.int64)
        dates = (days + np.where(unit_index >= 0, shift[unit_index], 0)).astype(str)
        records = [{"unit_id": u, "metric": m, "date": d, "value": v} for u, m, d, v in zip(units, metrics, dates, values)]
        result = policy.payouts(records, as_of)
        bills[trial] = result["total_fen"]
        by_unit = {p["unit_id"]: p for p in result["payouts"]}
        # payouts format_version 2 numbers tiers from 1 (第1档); version 1 counted from 0.
        first = 0 if result.get("format_version", 1) >= 2 else 1
        tiers[trial] = [0 if by_unit[u]["tier"] is None else by_unit[u]["tier"] + first for u in paid]

    p5, p50, p95 = (int(np.percentile(bills, q, method="inverted_cdf")) for q in (5, 50, 95))
    total = int(bills.sum())
    print(f"policy {policy.fingerprint}, as of {as_of}")
    print(f"trials: {args.trials}, seed: {args.seed}, shift: triangular(-{args.spread_days:g}, 0, "
          f"+{args.spread_days:g}) days per village")
    print(f"observed bill: {yuan(observed['total_fen'])} yuan")
    print(f"maximum possible bill: {yuan(max_fen)} yuan")
    print(f"mean: {mean_yuan(total, args.trials)} yuan")
    print(f"p5: {yuan(p5)} yuan")
    print(f"p50: {yuan(p50)} yuan")
    print(f"p95: {yuan(p95)} yuan")
    print(f"min: {yuan(int(bills.min()))} yuan, max: {yuan(int(bills.max()))} yuan")
    odds = pd.DataFrame({"observed": [p["completed_on"] or "-" for p in observed["payouts"]]}, index=paid)
    for k, label in ((1, "tier1"), (2, "tier2"), (3, "tier3"), (0, "none")):
        odds[label] = (tiers == k).mean(axis=0).round(3)
    odds["village"] = [names.get(u, u) for u in paid]  # last: CJK widths upset column alignment
    print("\nshare of trials per tier (none: late or never complete, paid 0):")
    print(odds.to_string())

    if args.csv:
        pd.DataFrame({"trial": np.arange(1, args.trials + 1), "bill_fen": bills}).to_csv(args.csv, index=False)

    fig, ax = plt.subplots(figsize=(8, 4.5), dpi=100)
    ax.hist(bills / 100, bins=min(40, max(5, args.trials // 10)), color="#4c72b0", edgecolor="white")
    for value, label, style in ((observed["total_fen"], "observed", "-"), (p5, "p5", ":"), (p50, "p50", "--"),
                                (p95, "p95", ":")):
        ax.axvline(value / 100, color="#c44e52", linestyle=style, linewidth=1.2)
        ax.annotate(f"{label} {yuan(value)}", (value / 100, ax.get_ylim()[1] * 0.95), rotation=90,
                    va="top", ha="right", fontsize=8)
    ax.set_xlabel("county work-fund bill (yuan)")
    ax.set_ylabel("trials")
    ax.set_title(f"XX town 2021 work fund: {args.trials} trials, completion dates "
                 f"\u00b1{args.spread_days:g} days (seed {args.seed})")
    fig.tight_layout()
    fig.savefig(args.out, format="png")
    print(f"\nhistogram: {args.out}")


if __name__ == "__main__":
    main()
