"""Answers as canbao.Result and as pandas DataFrames (as_frame=True); missing progress cells."""

import copy
import json
import pickle

import numpy as np
import pandas as pd
import pytest

import canbao
from canbao._frames import FRAME_KEYS

AS_OF = "2021-12-31"

# 000 五 work fund on the bundled progress, by village (per insured person, by the day
# the village completed its tasks): tier 1 (by 09-30) 100 fen, tier 2 (by 10-15) 80,
# tier 3 (by 11-30) 60, later nothing.
PAYOUTS_000 = {
    "dongfeng": (1, 1234 * 100),   # complete 08-31
    "hongqi": (1, 1995 * 100),     # complete 09-30
    "xinmin": (1, 905 * 100),      # complete 09-30
    "heping": (2, 1486 * 80),      # complete 10-15: 118880
    "guangming": (3, 703 * 60),    # complete 10-31: 42180
    "tuanjie": (3, 1725 * 60),     # complete 11-30: 103500
    "shengli": (None, 0),          # complete 12-31: late
}
TOTAL_000 = 123400 + 199500 + 90500 + 118880 + 42180 + 103500  # 677960


def test_answers_are_results_equal_to_the_plain_dicts(policy_000, progress_000):
    r = policy_000.payouts(progress_000, AS_OF)
    assert isinstance(r, canbao.Result) and isinstance(r, dict)
    assert r == policy_000.call({"op": "payouts", "as_of": AS_OF,
                                 "progress_csv": progress_000.read_text(encoding="utf-8")})
    assert r.fingerprint == policy_000.fingerprint and r.kind == "payouts"
    assert json.loads(json.dumps(r)) == dict(r)  # still plain JSON
    back = pickle.loads(pickle.dumps(r))
    assert back == r and back.fingerprint == r.fingerprint and back.kind == "payouts"
    assert copy.deepcopy(r).fingerprint == r.fingerprint
    values = policy_000.values(progress_000, AS_OF)
    assert isinstance(values, canbao.ResultList) and isinstance(values, list)
    assert values.fingerprint == policy_000.fingerprint


def test_payouts_frame_one_row_per_unit_in_exact_fen(policy_000, progress_000):
    frame = policy_000.payouts(progress_000, AS_OF, as_frame=True)
    assert isinstance(frame, pd.DataFrame)
    assert frame.index.name == "unit_id"
    for unit, (tier, fen) in PAYOUTS_000.items():
        assert frame.loc[unit, "amount_fen"] == fen, unit
        assert (pd.isna(frame.loc[unit, "tier"]) if tier is None else frame.loc[unit, "tier"] == tier), unit
    assert frame["amount_fen"].dtype == np.int64 and frame["per_person_fen"].dtype == np.int64
    assert str(frame["tier"].dtype) == "Int64"  # a late unit has no tier: exact, never float
    assert frame["completed_on"].dtype == "datetime64[ns]"
    assert frame.loc["heping", "completed_on"] == pd.Timestamp("2021-10-15")
    assert frame["amount_fen"].sum() == TOTAL_000 == 677960
    assert frame.attrs == {"fingerprint": policy_000.fingerprint, "as_of": AS_OF, "total_fen": 677960,
                           "payer": "县财政"}
    # to_frame() of the Result is the same table.
    pd.testing.assert_frame_equal(policy_000.payouts(progress_000, AS_OF).to_frame(), frame)


def test_scores_and_values_frames(policy_000, progress_000):
    scores = policy_000.scores(progress_000, AS_OF, as_frame=True)
    plain = policy_000.scores(progress_000, AS_OF)
    assert list(scores.index) == [u["unit_id"] for u in plain["units"]]
    assert scores.loc["dongfeng", "rank"] == 1 and scores["rank"].dtype == np.int64
    assert scores.loc["dongfeng", "points"] == "110"  # exact decimal text, as the core gives it
    values = policy_000.values(progress_000, AS_OF, as_frame=True)
    listed = policy_000.values(progress_000, AS_OF)
    assert len(values) == len(listed)
    row = values[(values.unit_id == "xx-town") & (values.metric == "resident_enrolled")].iloc[0]
    # The town's figure is its 8 villages' last reports: 1243 + 708 + 1497 + 2008 + 1145 + 1728
    # + 1335 + 912 = 10576, against the town's target 10470 (the policy's units).
    assert (row["value"], row["target"]) == ("10576", "10470")
    assert values["last_observed"].dtype == "datetime64[ns]"


def test_report_frames_have_the_documented_keys(policy_000, progress_000):
    frames = policy_000.report(progress_000, AS_OF, as_frame=True)
    assert tuple(frames) == FRAME_KEYS["report"]
    work_fund = frames["work_fund"]
    payouts = policy_000.payouts(progress_000, AS_OF, as_frame=True)
    pd.testing.assert_frame_equal(work_fund, payouts, check_like=True)
    assert frames["summary"].loc[0, "campaign"] == "xx-town-2021"
    assert frames["summary"].loc[0, "action.paid_fen"] == 677960
    assert list(frames["phases"]["id"]) == ["acceptance"]  # 000 四(三): December is 总结验收
    assert frames["completions"].loc["shengli", "completed_on"] == pd.Timestamp("2021-12-31")
    # One row per unit of each milestone.
    plain = policy_000.report(progress_000, AS_OF)
    assert len(frames["milestones"]) == sum(len(m["units"]) for m in plain["milestones"])
    for frame in frames.values():
        assert frame.attrs["fingerprint"] == policy_000.fingerprint


def test_projections_costs_and_unit_counts_frames(examples, policy_000, policy_004, progress_000):
    proj = policy_000.projections(progress_000, "2021-10-31", as_frame=True)
    assert tuple(proj) == FRAME_KEYS["projections"]
    plain = policy_000.projections(progress_000, "2021-10-31")
    assert proj["summary"].loc[0, "work_fund.total_fen"] == plain["work_fund"]["total_fen"]
    assert proj["work_fund"]["amount_fen"].sum() == plain["work_fund"]["total_fen"]
    costs = policy_000.costs(AS_OF, progress=progress_000, as_frame=True)
    assert tuple(costs) == FRAME_KEYS["costs"]
    assert costs["summary"].loc[0, "work_fund_fen"] == 677960  # the work fund is 000's only cost
    assert costs["payers"]["amount_fen"].tolist() == [677960]
    counts = policy_004.unit_counts(examples / "rosters" / "004-sample.csv", "2023-06-30", as_frame=True)
    assert tuple(counts) == FRAME_KEYS["unit_counts"]
    town = counts["units"].loc["shiyan"]
    # The 30 persons of the sample roster: 13 employee, 14 resident, 3 none (the town's
    # row of the unit_counts CSV in docs/roster.md).
    assert (town["persons"], town["schemes.employee"], town["schemes.resident"], town["schemes.none"]) == \
        (30, 13, 14, 3)
    assert counts["units"]["persons"].dtype == np.int64
    assert counts["units"].attrs["persons"] == 30


def test_compare_frames(examples, policy_000, progress_000):
    patch = examples / "patches" / "000-second-tier-90.merge.json"
    plain = canbao.compare(policy_000, patch=patch, progress=progress_000, as_of=AS_OF)
    assert isinstance(plain, canbao.Result) and plain.fingerprint == policy_000.fingerprint
    frames = canbao.compare(policy_000, patch=patch, progress=progress_000, as_of=AS_OF, as_frame=True)
    assert tuple(frames) == FRAME_KEYS["compare"]
    # 000 五 second tier 80 -> 90 fen: heping alone, 1486 * 10 = 14860 fen more.
    assert frames["totals"].loc[0, "delta_fen"] == 14860
    assert frames["payouts"].loc["heping", "delta_fen"] == 14860
    assert frames["payouts"]["delta_fen"].dtype == np.int64
    assert frames["transitions"].empty and list(frames["transitions"].columns) == [
        "scheme_before", "actions_before", "scheme_after", "actions_after", "changed", "count"]
    attrs = frames["payouts"].attrs
    assert attrs["base_fingerprint"] == policy_000.fingerprint
    assert attrs["reform_fingerprint"] == plain["reform_fingerprint"] != policy_000.fingerprint


def test_result_html_shows_the_main_table(policy_000, progress_000):
    text = policy_000.payouts(progress_000, AS_OF)._repr_html_()
    assert "<table" in text and "heping" in text and "118880" in text
    assert policy_000.fingerprint[:12] in text and "<script" not in text
    report = policy_000.report(progress_000, AS_OF)._repr_html_()
    assert "work_fund" in report and "103500" in report  # tuanjie's third-tier payout


# --- missing cells in progress ------------------------------------------------------------

@pytest.mark.parametrize("column, empty", [("value", np.nan), ("value", None), ("unit_id", None),
                                           ("unit_id", np.nan), ("metric", None), ("date", pd.NaT)])
def test_a_missing_progress_cell_names_its_row_and_column(policy_000, progress_000, column, empty):
    frame = pd.read_csv(progress_000, parse_dates=["date"])
    frame[column] = frame[column].astype(object)
    frame.loc[3, column] = empty
    for method in ("payouts", "scores", "report", "values", "projections"):
        with pytest.raises(canbao.InputError) as info:
            getattr(policy_000, method)(frame, AS_OF)
        assert str(info.value) == f"progress[3].{column}: missing value"
        assert info.value.path == f"progress[3].{column}" and info.value.row == 3


def test_a_missing_value_in_a_float_column_and_in_a_list(policy_000, progress_000):
    frame = pd.read_csv(progress_000)
    frame.loc[7, "value"] = np.nan  # the column becomes float64, as pandas does with a gap
    with pytest.raises(canbao.InputError, match=r"^progress\[7\]\.value: missing value$"):
        policy_000.payouts(frame, AS_OF)
    rows = pd.read_csv(progress_000).to_dict("records")
    rows[5]["value"] = float("nan")
    with pytest.raises(canbao.InputError, match=r"^progress\[5\]\.value: missing value$"):
        policy_000.payouts(rows, AS_OF)
    rows[5]["value"] = 1
    rows[9]["date"] = pd.NaT
    with pytest.raises(canbao.InputError, match=r"^progress\[9\]\.date: missing value$"):
        policy_000.costs(AS_OF, progress=rows)
