"""Policy.values: any metric of any unit as of a day, with its target and
shortfall (the "values" op; docs/values.md). Figures worked by hand from 001."""

import pytest

import canbao


@pytest.fixture(scope="module")
def policy_001(examples):
    return canbao.Policy.from_file(examples / "policies" / "001-chengjiang-2021.json")


def test_city_average_contribution_is_weighted_by_payers(policy_001, examples):
    # 001 三: 人均个人年缴金额 330 yuan for the city, weighted per payer (个人缴费人数).
    # The example's towns on 2021-12-31: (352x6081 + 331x33230 + 335x20313 + 300x9296
    # + 330x7350 + 333x19090) / 95360 = 31515767 / 95360 = 330.492523...: met.
    rows = policy_001.values(examples / "progress" / "001-chengjiang-2021.csv", "2021-12-31",
                             unit="chengjiang", metric="resident_contribution_avg")
    assert rows == [{"unit_id": "chengjiang", "metric": "resident_contribution_avg",
                     "kind": "average", "value": "330.492523", "target": "330",
                     "shortfall": "0", "own": False, "last_observed": "2021-12-31"}]
    # 海口镇 reported 300 against its 330: short by 30.
    haikou = policy_001.values(examples / "progress" / "001-chengjiang-2021.csv", "2021-12-31",
                               unit="haikou", metric="resident_contribution_avg")
    assert haikou[0]["value"] == "300" and haikou[0]["shortfall"] == "30" and haikou[0]["own"]


def test_records_never_read_after_as_of_and_every_metric_in_policy_order(policy_001):
    records = [
        {"unit_id": "fenglu", "metric": "resident_enrolled", "date": "2021-05-31", "value": 5988,
         "submitted": "2021-06-03"},
        {"unit_id": "fenglu", "metric": "resident_enrolled", "date": "2021-06-30", "value": 6077},
    ]
    # On 06-29 the 06-30 row is not read: 5988 of 凤麓's 6550, short by 562.
    rows = policy_001.values(records, "2021-06-29", unit="fenglu")
    assert [r["metric"] for r in rows] == [m["id"] for m in policy_001.call({"op": "policy"})["metrics"]]
    enrolled = next(r for r in rows if r["metric"] == "resident_enrolled")
    assert (enrolled["value"], enrolled["target"], enrolled["shortfall"]) == ("5988", "6550", "562")
    assert enrolled["last_observed"] == "2021-05-31"


def test_unknown_unit_names_the_request_key_and_close_ids(policy_001, examples):
    with pytest.raises(canbao.InputError) as e:
        policy_001.values(examples / "progress" / "001-chengjiang-2021.csv", "2021-12-31", unit="haikuo")
    assert e.value.path == "request.unit"
    assert "closest: haikou" in str(e.value)
