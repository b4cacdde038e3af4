"""Which scheme should each person join? 004 (Shiyan town, 2023), one person
and then a small roster as a pandas DataFrame.

    PYTHONPATH=build/python /usr/bin/python3 examples/python/recommend.py
"""
import pathlib
import sys

import pandas as pd

import canbao

root = pathlib.Path(__file__).resolve().parents[2]
policy = canbao.Policy.from_file(sys.argv[1] if len(sys.argv) > 1 else root / "examples/policies/004-shiyan-2023.json")

# One person: a 33-year-old local platform worker.
answer = policy.recommend(
    {"sex": "male", "birth_date": "1990-05-01", "hukou_local": True, "employment": "platform_worker"},
    as_of="2023-06-30",
)
print("scheme:", answer["scheme"], "| actions:", ", ".join(answer["actions"]), "| groups:", ", ".join(answer["groups"]))
print("why:", answer["reason_en"])

# A roster: columns in, columns out.
roster = pd.DataFrame({
    "sex": ["male", "female", "female", "male"],
    "birth_date": pd.to_datetime(["1990-05-01", "1985-02-11", "1978-09-30", "1958-12-01"]),
    "hukou_local": [True, True, False, True],
    "employment": ["platform_worker", "employer", "farmer", "farmer"],
})
# as_frame=False: the dict of numpy columns (a DataFrame in gives a DataFrame out by default).
result = pd.DataFrame(policy.recommend_batch(roster, as_of="2023-06-30", names=True, as_frame=False))
print(pd.concat([roster, result[["scheme_name", "actions", "groups"]]], axis=1).to_string(index=False))
