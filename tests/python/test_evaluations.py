import csv
import datetime

import pandas as pd
import pytest

import canbao


def test_phases_on_follows_000_calendar(policy_000):
    # 000 四: 集中攻坚 2021-06..08, 巩固 09..11, 总结验收 12.
    assert [p["id"] for p in policy_000.phases_on("2021-07-01")] == ["offensive"]
    assert [p["id"] for p in policy_000.phases_on(datetime.date(2021, 9, 1))] == ["consolidation"]
    assert policy_000.phases_on("2021-05-31") == []
    phase = policy_000.phases_on("2021-12-31")[0]
    assert (phase["name"], phase["start"], phase["end"]) == ("总结验收", "2021-12-01", "2021-12-31")


def test_phases_on_rejects_a_day_that_does_not_exist(policy_000):
    with pytest.raises(canbao.InputError) as info:
        policy_000.phases_on("2021-02-29")
    assert info.value.path == "request.date"


def one_village(enrolled_on, enrolled=1250, paid=1000):
    return [
        {"unit_id": "dongfeng", "metric": "resident_enrolled", "date": enrolled_on, "value": enrolled},
        {"unit_id": "dongfeng", "metric": "resident_paid", "date": enrolled_on, "value": paid},
    ]


@pytest.mark.parametrize("day,tier,fen", [("2021-09-30", 1, 100), ("2021-10-15", 2, 80), ("2021-11-30", 3, 60)])
def test_payouts_follow_000_tiers(policy_000, day, tier, fen):
    # 000 五(一): complete by 09-30 -> 1 yuan, by 10-15 -> 0.8, by 11-30 -> 0.6 per insured person.
    result = policy_000.payouts(one_village(day), "2021-12-31")
    dongfeng = next(p for p in result["payouts"] if p["unit_id"] == "dongfeng")
    assert dongfeng["status"] == "tier" and dongfeng["tier"] == tier
    assert dongfeng["per_person_fen"] == fen
    assert dongfeng["amount_fen"] == fen * 1250
    assert result["total_fen"] == sum(p["amount_fen"] for p in result["payouts"])


def test_payouts_late_village_gets_the_policy_late_rule(policy_000):
    result = policy_000.payouts(one_village("2021-12-01"), "2021-12-31")
    dongfeng = next(p for p in result["payouts"] if p["unit_id"] == "dongfeng")
    assert dongfeng["status"] == "late" and dongfeng["amount_fen"] == 0


def test_progress_as_csv_path_list_and_dataframe_agree(policy_000, progress_000):
    with open(progress_000, newline="", encoding="utf-8-sig") as f:
        rows = [{**r, "value": int(r["value"])} for r in csv.DictReader(f)]
    frame = pd.read_csv(progress_000)
    for method in ("payouts", "scores", "report"):
        from_path = getattr(policy_000, method)(progress_000, "2021-12-31")
        assert getattr(policy_000, method)(str(progress_000), "2021-12-31") == from_path
        assert getattr(policy_000, method)(rows, "2021-12-31") == from_path
        assert getattr(policy_000, method)(frame, "2021-12-31") == from_path


def test_dataframe_with_datetime_column(policy_000, progress_000):
    frame = pd.read_csv(progress_000, parse_dates=["date"])
    assert policy_000.payouts(frame, "2021-12-31") == policy_000.payouts(progress_000, "2021-12-31")


def test_scores_rank_every_ranked_unit(policy_000, progress_000):
    result = policy_000.scores(progress_000, "2021-12-31")
    ranks = [u["rank"] for u in result["units"]]
    assert ranks == sorted(ranks) and ranks[0] == 1
    for u in result["units"]:
        parts = sum(i["micro_points"] for i in u["indicators"]) + u["bonus_micro_points"]
        assert u["micro_points"] == parts - sum(d["micro_points"] for d in u["deductions"])
        if u["missed_targets"]:
            assert u["eligible_for_awards"] is False


def test_report_holds_every_section(policy_000, progress_000):
    report = policy_000.report(progress_000, "2021-12-31")
    assert report["as_of"] == "2021-12-31"
    assert report["fingerprint"] == policy_000.fingerprint
    assert [p["id"] for p in report["phases"]] == ["acceptance"]
    assert report["work_fund"] == policy_000.payouts(progress_000, "2021-12-31")
    assert report["scores"] == policy_000.scores(progress_000, "2021-12-31")
    completed = {c["unit_id"]: c["completed_on"] for c in report["completions"]}
    for p in report["work_fund"]["payouts"]:
        assert p["completed_on"] == completed[p["unit_id"]]


def test_bad_progress_record_names_the_field(policy_000):
    rows = one_village("2021-09-30")
    rows[1]["unit_id"] = "atlantis"
    with pytest.raises(canbao.InputError) as info:
        policy_000.payouts(rows, "2021-12-31")
    assert info.value.path == "request.progress[1].unit_id"
    rows = one_village("2021-09-31")
    with pytest.raises(canbao.InputError) as info:
        policy_000.payouts(rows, "2021-12-31")
    assert info.value.path == "request.progress[0].date"


def test_bad_progress_csv_names_line_and_column(policy_000, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("unit_id,metric,date,value\ndongfeng,resident_enrolled,2021-09-30,12x\n", encoding="utf-8")
    with pytest.raises(canbao.InputError) as info:
        policy_000.payouts(bad, "2021-12-31")
    assert info.value.path.startswith(str(bad) + ":2")


def test_progress_of_the_wrong_kind_is_an_argument_error(policy_000):
    with pytest.raises(canbao.ArgumentError):
        policy_000.payouts(42, "2021-12-31")


def test_policy_without_work_fund_says_so(policy_004, examples):
    progress = examples / "progress" / "004-shiyan-2023.csv"
    with pytest.raises(canbao.ArgumentError) as info:
        policy_004.payouts(progress, "2023-12-31")
    assert "work_fund" in str(info.value)
    assert policy_004.report(progress, "2023-12-31")["work_fund"] is None


def test_generic_call_and_unknown_op(policy_000):
    assert policy_000.call({"op": "fingerprint"}) == policy_000.fingerprint
    with pytest.raises(canbao.InputError) as info:
        policy_000.call({"op": "frobnicate"})
    assert info.value.path == "request.op"
    assert "phases_on" in str(info.value)


def test_dataframe_with_empty_segment_cells_reports_as_the_csv(examples):
    # 003's progress has a segment column, empty for the units' whole figures:
    # pandas reads those cells as NaN, which must mean "no segment", as in the CSV.
    policy = canbao.Policy.from_file(examples / "policies" / "003-hengyang.json")
    path = examples / "progress" / "003-hengyang.csv"
    frame = pd.read_csv(path)
    assert frame["segment"].isna().any() and frame["segment"].notna().any()
    from_csv = policy.report(str(path), "2008-09-15")
    assert policy.report(frame, "2008-09-15") == from_csv
    assert from_csv["segments"], "003's sector waves report per segment"
