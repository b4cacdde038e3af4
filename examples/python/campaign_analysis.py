"""A campaign analysis, notebook style: roster -> recommendations -> villages against
targets -> a reform and its comparison -> the projected work-fund bill -> charts and
a workbook.

Runs as a script or cell by cell (`# %%` cells, as VS Code, Spyder and Jupytext
read them) on the bundled data: 004 (Shiyan town, 2023) with its 30-person roster
examples/rosters/004-sample.csv, and 000 (XX town, 2021) with its progress
examples/progress/000-xx-town-2021.csv. Output files (two PNG charts and
campaign_analysis.xlsx, one sheet per table) go to the folder given as the first
argument, by default a new temporary folder; the key figures are printed.

    PYTHONPATH=build/python /usr/bin/python3 examples/python/campaign_analysis.py [OUT_DIR]
"""
# %% Setup
# The policies are JSON documents (docs/policy-format.md); the roster and progress
# are the bundled CSV files. `OUT` never defaults to the source tree.
import pathlib
import sys
import tempfile

import matplotlib

matplotlib.use("Agg")  # files only, no display
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

import canbao  # noqa: E402

# Run cell by cell (no __file__, argv of the kernel), the source folder is the working folder.
ROOT = pathlib.Path(__file__).resolve().parents[2] if "__file__" in globals() else pathlib.Path.cwd()
given = sys.argv[1] if len(sys.argv) > 1 and not sys.argv[1].startswith("-") else None
OUT = pathlib.Path(given) if given else pathlib.Path(tempfile.mkdtemp(prefix="campaign-analysis-"))
OUT.mkdir(parents=True, exist_ok=True)
ROSTER = ROOT / "examples/rosters/004-sample.csv"
PROGRESS = ROOT / "examples/progress/000-xx-town-2021.csv"
AS_OF = "2023-06-30"  # 004's roster day
MID_CAMPAIGN = "2021-10-31"  # 000: between the second and the third work-fund deadline

p004 = canbao.Policy.from_file(ROOT / "examples/policies/004-shiyan-2023.json")
p000 = canbao.Policy.from_file(ROOT / "examples/policies/000-xx-town-2021.json")


def yuan(fen: int) -> str:
    """Exact yuan text of an integer number of fen (money is never a float here)."""
    sign = "-" if fen < 0 else ""
    return f"{sign}{abs(fen) // 100}.{abs(fen) % 100:02d}"


# %% Read the roster
# One row per person, read by canbao's own roster reader (the CLI's rules): ID
# numbers give birth date and sex where those cells are empty (docs/roster.md).
roster = canbao.read_roster(ROSTER, p004, as_of=AS_OF)
print(f"roster: {len(roster)} persons in {roster['unit_id'].nunique()} villages")

# %% Recommend
# A scheme, actions and priority groups for everyone, in one batch call on the
# frame; `keep` passes the roster's own columns through.
recs = p004.recommend_batch(roster, AS_OF, names=True, keep=["id", "village", "unit_id", "insurance_status"])
schemes = recs["scheme"].value_counts()
print("schemes: " + ", ".join(f"{s} {schemes.get(s, 0)}" for s in canbao.SCHEMES))

# %% Villages against their targets
# A pandas group-by per village, next to each unit's expansion target from the
# policy (`Policy.unit_counts` gives the targets, and the same counts as a check).
per_village = pd.crosstab(recs["unit_id"], recs["scheme"]).reindex(columns=list(canbao.SCHEMES), fill_value=0)
per_village["uninsured"] = recs[recs["insurance_status"] == "none"].groupby("unit_id").size()
per_village = per_village.fillna(0).astype("int64")
per_village.insert(0, "persons", per_village[list(canbao.SCHEMES)].sum(axis=1))
counts = p004.unit_counts(roster, AS_OF)
units = pd.DataFrame([{"unit_id": u["unit_id"], "name": u["name"], "level": u["level"],
                       "target": int(u["targets"].get("expansion_enrolled", 0)),
                       "persons_check": u["persons"]} for u in counts["units"]]).set_index("unit_id")
villages = units[units["level"] == "village"].join(per_village, how="left").fillna(0)
if not (villages["persons"] == villages["persons_check"]).all():
    raise SystemExit("the group-by disagrees with Policy.unit_counts")
villages = villages.drop(columns=["level", "persons_check"]).astype({c: "int64" for c in per_village.columns})
villages["uninsured_per_target"] = (villages["uninsured"] / villages["target"]).round(4)
print(villages[["name", "persons", "employee", "resident", "none", "uninsured", "target"]].to_string())

# %% A reform: the age rule 50/45 instead of 45/40
# examples/patches/004-age-rule-50-45.json (a JSON Patch) widens the employee
# scheme's age bound; `reform` applies and validates it.
reform = p004.reform(ROOT / "examples/patches/004-age-rule-50-45.json")
after = reform.recommend_batch(roster, AS_OF)
moved = recs.assign(after=after["scheme"]).query("scheme != after")
print(f"reform {reform.fingerprint[:12]}: {len(moved)} persons change scheme: "
      + ", ".join(f"{r.id} {r.scheme}->{r.after}" for r in moved.itertuples()))

# %% Compare base and reform
# `canbao.compare` evaluates both on the roster: every (scheme, actions) pair
# before and after, with counts that add up to the roster.
c = canbao.compare(p004, reform, roster=roster, as_of=AS_OF, samples=10)
transitions = pd.DataFrame(c["transitions"])
changed = int(transitions.loc[transitions["changed"], "count"].sum())
print(f"compare: {changed} of {int(transitions['count'].sum())} change scheme or actions: "
      + ", ".join(c["samples"]["row_id"]))

# %% Project the work-fund bill (000)
# As of a mid-campaign day, villages already complete are paid (actual); the
# others are projected from their trend (docs/projections.md).
fund = p000.projections(PROGRESS, MID_CAMPAIGN)["work_fund"]
bill = pd.DataFrame(fund["units"])[["unit_id", "kind", "completed_on", "tier", "per_person_fen", "basis",
                                   "amount_fen"]]
print(f"work fund as of {MID_CAMPAIGN}: actual {yuan(fund['actual_total_fen'])} yuan, "
      f"projected {yuan(fund['projected_total_fen'])} yuan, total {yuan(fund['total_fen'])} yuan ({fund['payer']})")

# %% Charts
# Persons per village by recommended scheme, and the bill per village.
fig, ax = plt.subplots(figsize=(7, 4))
villages[list(canbao.SCHEMES)].plot.bar(stacked=True, ax=ax)
ax.set_title(f"004 roster as of {AS_OF}: recommended scheme per village")
ax.set_ylabel("persons")
fig.tight_layout()
fig.savefig(OUT / "schemes_per_village.png", dpi=100)
plt.close(fig)

fig, ax = plt.subplots(figsize=(7, 4))
colors = bill["kind"].map({"actual": "tab:blue", "projected": "tab:orange"})
ax.bar(bill["unit_id"], bill["amount_fen"] / 100, color=colors)
ax.set_title(f"000 work fund as of {MID_CAMPAIGN} (blue actual, orange projected)")
ax.set_ylabel("yuan")
ax.tick_params(axis="x", rotation=45)
fig.tight_layout()
fig.savefig(OUT / "work_fund_bill.png", dpi=100)
plt.close(fig)

# %% Workbook
# One sheet per table; money stays in integer fen.
summary = pd.DataFrame({
    "figure": ["persons", "changed_by_reform", "work_fund_actual_fen", "work_fund_projected_fen",
               "work_fund_total_fen"],
    "value": [len(recs), changed, fund["actual_total_fen"], fund["projected_total_fen"], fund["total_fen"]],
})
with pd.ExcelWriter(OUT / "campaign_analysis.xlsx", engine="openpyxl") as book:
    summary.to_excel(book, sheet_name="summary", index=False)
    recs.to_excel(book, sheet_name="recommendations", index=False)
    villages.to_excel(book, sheet_name="villages")
    transitions.to_excel(book, sheet_name="transitions", index=False)
    bill.to_excel(book, sheet_name="work_fund", index=False)
print(f"written: {OUT}")
