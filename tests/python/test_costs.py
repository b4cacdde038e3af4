"""Policy.costs (docs/costs.md): incentives from progress (001), subsidies,
代缴 and 补缴 from a roster (004), with figures worked by hand."""
import pytest

import canbao


@pytest.fixture(scope="module")
def policy_001(examples):
    return canbao.Policy.from_file(examples / "policies" / "001-chengjiang-2021.json")


def by_unit(incentive):
    return {p["unit_id"]: p for p in incentive["payouts"]}


def test_001_conversion_reward_is_capped_per_town(policy_001, examples):
    result = policy_001.costs("2021-12-31", progress=examples / "progress" / "001-chengjiang-2021.csv")
    reward, bonus = result["incentives"]
    assert reward["id"] == "conversion_reward" and reward["illustrative"] is True
    towns = by_unit(reward)
    # 凤麓 255 conversions x 50 yuan = 12,750 yuan, capped at 10,000 (1,000,000 fen).
    assert towns["fenglu"]["uncapped_fen"] == 1_275_000
    assert towns["fenglu"]["amount_fen"] == 1_000_000 and towns["fenglu"]["capped"] is True
    # 右所 95 x 5,000 fen = 475,000; 九村 counts its villages: 22 + 14 + 8 + 7 = 51 -> 255,000.
    assert towns["yousuo"]["amount_fen"] == 475_000 and towns["yousuo"]["capped"] is False
    assert towns["jiucun"]["basis"] == 51 and towns["jiucun"]["amount_fen"] == 255_000
    # 1,000,000 x 2 (凤麓, 龙街) + 475,000 + 260,000 (海口 52) + 255,000 + 520,000 (路居 104).
    assert reward["total_fen"] == 3_510_000
    # The target bonus: five towns reach their target on 12-31 (tier 2, 2,000 yuan);
    # 右所 (95 of 100) is late once the last deadline has passed.
    towns = by_unit(bonus)
    assert towns["fenglu"]["status"] == "qualified" and towns["fenglu"]["tier"] == 2
    assert towns["fenglu"]["qualified_on"] == "2021-12-31"
    assert towns["yousuo"]["status"] == "late" and towns["yousuo"]["amount_fen"] == 0
    assert bonus["total_fen"] == 5 * 200_000
    assert result["total_fen"] == 4_510_000
    assert result["payers"] == [{"payer": "市财政", "amount_fen": 4_510_000, "illustrative": True}]
    assert result["work_fund"] is None and "persons" not in result


def test_001_before_the_first_deadline_nothing_is_late(policy_001, examples):
    result = policy_001.costs("2021-09-30", progress=examples / "progress" / "001-chengjiang-2021.csv")
    reward, bonus = result["incentives"]
    # 159 + 163 + 59 + 32 + 30 + 65 conversions x 5,000 fen, none capped yet.
    assert reward["total_fen"] == (159 + 163 + 59 + 32 + 30 + 65) * 5_000
    assert {p["status"] for p in bonus["payouts"]} == {"not_qualified"}


def test_004_roster_subsidies_government_pays_and_back_pay(policy_004, examples):
    result = policy_004.costs("2023-06-30", roster=examples / "rosters" / "004-sample.csv")
    persons = {p["row_id"]: p for p in result["persons"]}
    assert len(persons) == 30
    # p04 (低保): 代缴 of the 100-yuan grade, 10,000 fen, plus its subsidy 3,000 fen.
    assert persons["p04"]["subsidy_basis"] == "government"
    assert (persons["p04"]["government_pays_fen"], persons["p04"]["subsidy_fen"]) == (10_000, 3_000)
    # p15 pays the 500 grade: 60 yuan a year of subsidy.
    assert persons["p15"]["subsidy_basis"] == "own_grade" and persons["p15"]["subsidy_fen"] == 6_000
    back = [p for p in result["persons"] if "back_pay" in p["actions"]]
    assert back and all(p["back_pay_fen"] == 150_000 for p in back)  # 15 x 100 yuan
    totals = result["person_totals"]
    assert totals["subsidy_fen"] == sum(p["subsidy_fen"] for p in result["persons"])
    assert result["total_fen"] == totals["subsidy_fen"] + totals["government_pays_fen"]
    assert result["back_pay_collected_fen"] == 150_000 * len(back)
    # Row ids only: no ID number, whole or masked, in the answer.
    assert "500115198003012010" not in str(result) and "id_number" not in str(result)


def test_costs_needs_progress_or_roster(policy_004):
    with pytest.raises(canbao.InputError) as info:
        policy_004.costs("2023-06-30")
    assert info.value.path == "request"


def test_a_roster_for_a_policy_without_costs_is_an_input_error(policy_000, examples):
    with pytest.raises(canbao.InputError) as info:
        policy_000.costs("2021-12-31", roster=examples / "rosters" / "004-sample.csv")
    assert info.value.path == "request.roster_csv"
