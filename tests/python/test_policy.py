import json
import pydoc

import pytest

import canbao


def test_from_file_and_from_json_give_the_same_policy(examples, policy_000):
    text = (examples / "policies" / "000-xx-town-2021.json").read_text(encoding="utf-8")
    again = canbao.Policy.from_json(text)
    assert again.fingerprint == policy_000.fingerprint
    assert len(policy_000.fingerprint) == 64
    int(policy_000.fingerprint, 16)


def test_to_json_round_trips(policy_004):
    text = policy_004.to_json()
    assert json.loads(text)["schema"] == "canbao.policy/1"
    assert canbao.Policy.from_json(text).fingerprint == policy_004.fingerprint
    assert canbao.Policy.from_json(policy_004.to_json(indent=0)).fingerprint == policy_004.fingerprint


def test_different_policies_have_different_fingerprints(policy_000, policy_004):
    assert policy_000.fingerprint != policy_004.fingerprint


def test_malformed_policy_raises_policy_error_naming_the_path(examples):
    doc = json.loads((examples / "policies" / "000-xx-town-2021.json").read_text(encoding="utf-8"))
    doc["campaign"]["phases"][1]["end"] = "2021-02-29"
    with pytest.raises(canbao.PolicyError) as info:
        canbao.Policy.from_json(json.dumps(doc))
    assert info.value.path == "campaign.phases[1].end"
    assert "2021-02-29" in str(info.value)
    assert isinstance(info.value, ValueError)


def test_unknown_key_is_rejected(examples):
    doc = json.loads((examples / "policies" / "000-xx-town-2021.json").read_text(encoding="utf-8"))
    doc["units"][2]["tagets"] = {}
    with pytest.raises(canbao.PolicyError) as info:
        canbao.Policy.from_json(json.dumps(doc))
    assert info.value.path == "units[2].tagets"


def test_json_syntax_error_names_the_source():
    with pytest.raises(canbao.PolicyError) as info:
        canbao.Policy.from_json('{"schema": ', source="draft.json")
    assert info.value.path == "draft.json"
    assert "not valid JSON" in info.value.message


def test_missing_file_is_a_policy_error(tmp_path):
    with pytest.raises(canbao.PolicyError) as info:
        canbao.Policy.from_file(tmp_path / "nope.json")
    assert "nope.json" in str(info.value)


def test_policy_cannot_be_built_by_hand():
    with pytest.raises(canbao.ArgumentError):
        canbao.Policy("x")


def test_help_is_readable_and_every_public_name_is_documented():
    text = pydoc.render_doc(canbao.Policy, renderer=pydoc.plaintext)
    for method in ("recommend", "recommend_batch", "payouts", "scores", "report", "phases_on",
                   "from_file", "from_json", "to_json", "fingerprint"):
        assert method in text
    for name in canbao.__all__:
        obj = getattr(canbao, name)
        if callable(obj):
            assert obj.__doc__ and len(obj.__doc__.strip()) > 20, name
    for name in dir(canbao.Policy):
        if not name.startswith("_"):
            assert getattr(canbao.Policy, name).__doc__, name


def test_stub_declares_exactly_the_public_api():
    import ast
    import pathlib

    stub = pathlib.Path(canbao.__file__).with_name("__init__.pyi")
    assert stub.exists()
    assert pathlib.Path(canbao.__file__).with_name("py.typed").exists()
    tree = ast.parse(stub.read_text(encoding="utf-8"))
    declared = {n.name for n in tree.body if isinstance(n, (ast.ClassDef, ast.FunctionDef))}
    declared |= {t.id for n in tree.body if isinstance(n, ast.AnnAssign) for t in [n.target]}
    assert set(canbao.__all__) <= declared
    policy_stub = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "Policy")
    stub_methods = {n.name for n in policy_stub.body if isinstance(n, ast.FunctionDef)}
    public = {n for n in dir(canbao.Policy) if not n.startswith("_")}
    assert public == stub_methods


def test_version():
    assert canbao.__version__.count(".") == 2
    assert canbao.ABI_VERSION >= 1


def test_reform_applies_a_merge_patch_and_remembers_its_base(examples):
    base = canbao.Policy.from_file(examples / "policies" / "000-xx-town-2021.json")
    reform = base.reform({"work_fund": {"tiers": [
        {"deadline": "2021-09-30", "per_person_fen": 100},
        {"deadline": "2021-10-15", "per_person_fen": 90},
        {"deadline": "2021-11-30", "per_person_fen": 60}]}})
    assert reform.fingerprint != base.fingerprint
    assert reform.provenance["base_fingerprint"] == base.fingerprint
    assert reform.provenance["patch_kind"] == "merge_patch"
    assert base.provenance is None
    progress = examples / "progress" / "000-xx-town-2021.csv"
    before = {p["unit_id"]: p for p in base.payouts(progress, "2021-12-31")["payouts"]}
    after = {p["unit_id"]: p for p in reform.payouts(progress, "2021-12-31")["payouts"]}
    changed = {u for u in before if before[u]["amount_fen"] != after[u]["amount_fen"]}
    # Only units paid at the second tier change, by 10 fen per person of their basis.
    assert changed == {u for u, p in before.items() if p["status"] == "tier" and p["tier"] == 2}
    for u in changed:
        assert after[u]["amount_fen"] - before[u]["amount_fen"] == 10 * before[u]["basis"]


def test_reform_with_a_json_patch_file_and_errors_naming_the_operation(examples, tmp_path):
    base = canbao.Policy.from_file(examples / "policies" / "004-shiyan-2023.json")
    reform = base.reform(examples / "patches" / "004-age-rule-50-45.json")
    assert reform.provenance["patch_kind"] == "json_patch"
    bad = tmp_path / "bad.json"
    bad.write_text('[{"op": "test", "path": "/campaign/year", "value": 1999}]', encoding="utf-8")
    with pytest.raises(canbao.PolicyError) as e:
        base.reform(bad)
    assert "patch[0]" in str(e.value)
    with pytest.raises(canbao.PolicyError) as e:
        canbao.Policy.from_file(examples / "policies" / "000-xx-town-2021.json").reform(
            examples / "patches" / "000-tiers-out-of-order.merge.json")
    assert "work_fund.tiers" in e.value.path
