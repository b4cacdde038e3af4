"""Policy.projections (docs/projections.md) on 000: villages at >= 70% 参保缴费率
by 08-31 (000 四(一)4) and the work fund's 100/80/60 fen tiers (000 五(一))."""

import pytest

import canbao


def rows(unit, metric, points):
    return [{"unit_id": unit, "metric": metric, "date": d, "value": v} for d, v in points]


# dongfeng: 1000 enrolled; paid 500 on 07-31 and 600 on 08-15 (50% -> 60%,
# +10 points in 15 days). hongqi: 65% on both days (flat).
AUGUST = (rows("dongfeng", "resident_enrolled", [("2021-07-31", 1000)])
          + rows("dongfeng", "resident_paid", [("2021-07-31", 500), ("2021-08-15", 600)])
          + rows("hongqi", "resident_enrolled", [("2021-07-31", 1000)])
          + rows("hongqi", "resident_paid", [("2021-07-31", 650), ("2021-08-15", 650)]))


def unit(answer, milestone, unit_id):
    m = next(m for m in answer["milestones"] if m["id"] == milestone)
    return next(u for u in m["units"] if u["unit_id"] == unit_id)


def test_rising_village_is_at_risk_and_flat_one_will_miss(policy_000):
    answer = policy_000.projections(AUGUST, "2021-08-15")
    assert (answer["method"], answer["observations"], answer["at_risk_margin"]) == ("linear_trend", 3, "0.05")
    dongfeng = unit(answer, "august_village_payment_rate", "dongfeng")
    # 0.60 + 16 days x 0.10/15 = 0.706667: over 70%, under the safe 70% x 1.05 = 73.5%.
    assert dongfeng["outlook"] == "at_risk"
    assert dongfeng["projected"] == "0.706667"
    assert dongfeng["current"] == "0.6"
    assert dongfeng["days_left"] == 16
    assert dongfeng["needed_per_day"] == "0.00625"  # (0.70 - 0.60) / 16
    assert dongfeng["trend_per_day"] == "0.006667"  # 0.10 / 15
    hongqi = unit(answer, "august_village_payment_rate", "hongqi")
    assert (hongqi["outlook"], hongqi["projected"]) == ("will_miss", "0.65")
    # No rows, no trend: said so, never guessed.
    guangming = unit(answer, "august_village_payment_rate", "guangming")
    assert (guangming["outlook"], guangming["projected"], guangming["points"]) == ("no_trend", None, 0)


def test_observations_override_and_bad_value(policy_000):
    assert policy_000.projections(AUGUST, "2021-08-15", observations=2)["observations"] == 2
    with pytest.raises(canbao.InputError) as info:
        policy_000.projections(AUGUST, "2021-08-15", observations=1)
    assert info.value.path == "request.observations"


def test_projected_work_fund_bill(policy_000):
    # As of 09-15, dongfeng (targets 1220 enrolled / 1000 paid) rises +4 a day
    # on both: 1220 enrolled on 09-30, 1000 paid on 09-25: complete 09-30, tier 1,
    # 1220 x 100 fen = 122,000. Seven villages without two points are unknown.
    progress = (rows("dongfeng", "resident_enrolled", [("2021-08-31", 1100), ("2021-09-15", 1160)])
                + rows("dongfeng", "resident_paid", [("2021-08-31", 900), ("2021-09-15", 960)]))
    wf = policy_000.projections(progress, "2021-09-15")["work_fund"]
    dongfeng = next(u for u in wf["units"] if u["unit_id"] == "dongfeng")
    assert dongfeng["kind"] == "projected"
    assert (dongfeng["completed_on"], dongfeng["tier"], dongfeng["basis"]) == ("2021-09-30", 1, 1220)
    assert dongfeng["amount_fen"] == 122000
    assert (wf["actual_total_fen"], wf["projected_total_fen"], wf["total_fen"]) == (0, 122000, 122000)
    assert wf["unknown"] == 7
    unknown = [u for u in wf["units"] if u["kind"] == "unknown"]
    assert all(u["amount_fen"] is None and u["reason"] for u in unknown)


def test_report_carries_the_same_projections(policy_000, progress_000):
    report = policy_000.report(progress_000, "2021-08-31")
    assert report["projections"] == policy_000.projections(progress_000, "2021-08-31")
