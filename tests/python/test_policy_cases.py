"""Every example case file, through the Python module (the same cases `canbao test` runs),
plus canbao.compare on the 80 -> 90 fen second tier of seed 000."""

import glob
import os

import pytest

import canbao
from canbao.testing import check_case, load_cases, mismatches

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
CASE_FILES = sorted(glob.glob(os.path.join(ROOT, "examples", "cases", "*.cases.json")))
PARAMS = [p for f in CASE_FILES for p in load_cases(f)]


def test_every_example_policy_has_a_case_file():
    assert len(CASE_FILES) >= 4


@pytest.mark.parametrize("policy_path, case", PARAMS)
def test_example_case(policy_path, case):
    check_case(policy_path, case)


def test_wrong_expectation_is_reported_with_expected_and_got():
    [ok, wrong] = load_cases(os.path.join(ROOT, "tests", "data", "cases", "000-wrong.cases.json"))
    policy = canbao.Policy.from_file(os.path.join(ROOT, "examples", "policies", "000-xx-town-2021.json"))
    check_case(policy, ok.values[1])
    with pytest.raises(AssertionError) as info:
        check_case(policy, wrong.values[1])
    assert "payouts.dongfeng.amount_fen: expected 123400, got 98720" in str(info.value)
    assert mismatches("phases_on", {"phases": ["x"]}, []) == ['phases: expected ["x"], got []']


def test_compare_second_tier_90_changes_only_heping():
    base = canbao.Policy.from_file(os.path.join(ROOT, "examples", "policies", "000-xx-town-2021.json"))
    t = canbao.compare(base, patch=os.path.join(ROOT, "examples", "patches", "000-second-tier-90.merge.json"),
                       progress=os.path.join(ROOT, "examples", "progress", "000-xx-town-2021.csv"),
                       as_of="2021-12-31")
    changed = [u for u, d in zip(t["payouts"]["unit_id"], t["payouts"]["delta_fen"]) if d != 0]
    assert changed == ["heping"]
    assert t["totals"]["delta_fen"] == [1486 * 10]
    assert t["totals"]["before_fen"] == [677960]
    assert t["provenance"]["base_fingerprint"] == base.fingerprint
    assert t["reform_fingerprint"] != base.fingerprint
    pd = pytest.importorskip("pandas")
    assert pd.DataFrame(t["payouts"])["delta_fen"].sum() == 14860
