"""The work fund of XX town (000, 2021): each village's tier and payout as of
the end of the year, from the example progress CSV.

    PYTHONPATH=build/python /usr/bin/python3 examples/python/payouts.py
"""
import pathlib

import pandas as pd

import canbao

root = pathlib.Path(__file__).resolve().parents[2]
policy = canbao.Policy.from_file(root / "examples/policies/000-xx-town-2021.json")
fund = policy.payouts(root / "examples/progress/000-xx-town-2021.csv", as_of="2021-12-31")

table = pd.DataFrame(fund["payouts"])[["unit_id", "completed_on", "status", "per_person_fen", "basis", "amount_fen"]]
# Money stays integer fen; yuan are formatted from it, never through a float.
def yuan(fen):
    return f"{fen // 100}.{fen % 100:02d}"


table["yuan"] = table["amount_fen"].map(yuan)
print(table.to_string(index=False))
print(f"total: {yuan(fund['total_fen'])} yuan, paid by {fund['payer']}")

# A malformed policy says where it is wrong.
try:
    canbao.Policy.from_json('{"schema": "canbao.policy/1", "campaign": {"id": 7}}')
except canbao.PolicyError as e:
    print("PolicyError at", e.path, "->", e.message)
