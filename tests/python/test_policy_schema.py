"""The JSON Schema (docs/schema/canbao.policy-1.schema.json) agrees with the
loader: every policy the repository ships validates against it, and every bad
policy of the corpora is rejected by both the schema and the loader. Mistakes
the schema cannot express (references, the unit tree, dates that do not exist,
orderings) are listed in LOADER_ONLY and only run through the loader; see
docs/editor.md."""
import copy
import json
import os
import subprocess

import jsonschema
import pytest

import canbao
from conftest import SOURCE_DIR

SCHEMA = json.loads((SOURCE_DIR / "docs" / "schema" / "canbao.policy-1.schema.json").read_text("utf-8"))
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)

GOOD = sorted(
    [p for p in (SOURCE_DIR / "examples" / "policies").glob("*.json")]
    + [p for p in (SOURCE_DIR / "tests" / "data" / "policies").glob("*.json") if not p.name.startswith("bad-")])

# Bad-input cases (tests/bad-inputs/cases/policy-*.json) whose mistake is not
# a shape: the loader rejects them, the schema cannot. Each with why.
LOADER_ONLY = {
    "policy-bad-date-2023-02-29.json": "a date that does not exist (the pattern allows day 29)",
    "policy-bad-own-ancestor.json": "a cycle in the unit tree",
    "policy-extends-with-a-built-in-value.json": "a value already in a built-in list",
    "policy-milestone-unknown-segment.json": "a reference to a segment that does not exist",
    "policy-phase-without-start-or-end.json": None,  # expressible: anyOf start/end
    "policy-prior-years-by-enumeration-fact.json": "by_fact names a fact of the wrong type",
    "policy-projection-observations-too-few.json": None,  # expressible: minimum 2
    "policy-reporting-due-day-missing-across-year-end.json": "day 31 in a month without one",
    "policy-years-still-needed-out-of-range.json": "a range outside 0..30 (ranges are loose in the schema)",
}


def merge_patch(target, patch):
    """RFC 7386, as the corpus runner applies input_merge."""
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    out = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            out.pop(key, None)
        else:
            out[key] = merge_patch(out.get(key), value)
    return out


def corpus_cases():
    """(name, document, bad) of every policy case of the bad-input corpus that is
    JSON the schema can look at: not a syntax error, invalid UTF-8, a
    duplicate key (json.loads keeps the last) or nesting past the loader's limit."""
    for path in sorted((SOURCE_DIR / "tests" / "bad-inputs" / "cases").glob("policy-*.json")):
        case = json.loads(path.read_text("utf-8"))
        if "input" in case:
            text = case["input"]
        elif "input_file" in case:
            text = (SOURCE_DIR / case["input_file"]).read_text("utf-8")
        else:
            continue  # input_parts (deep nesting, 10 MB key), input_b64 (invalid UTF-8)
        pairs_seen = []

        def no_duplicates(pairs):
            keys = [k for k, _ in pairs]
            pairs_seen.append(len(keys) != len(set(keys)))
            return dict(pairs)
        try:
            doc = json.loads(text, object_pairs_hook=no_duplicates)
        except ValueError:
            continue  # a syntax error: only the loader sees it
        if any(pairs_seen):
            continue
        if "input_merge" in case:
            doc = merge_patch(doc, case["input_merge"])
        yield path.name, doc, case.get("python") != "ok"


def schema_errors(doc):
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in VALIDATOR.iter_errors(doc)]


def test_the_schema_is_a_valid_draft_2020_12_schema():
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


def test_the_cli_prints_the_schema_file():
    cli = os.environ.get("CANBAO_CLI")
    if not cli:
        pytest.skip("CANBAO_CLI is not set")
    done = subprocess.run([cli, "schema"], stdout=subprocess.PIPE, check=True)
    assert json.loads(done.stdout) == SCHEMA


@pytest.mark.parametrize("path", GOOD, ids=lambda p: p.name)
def test_every_shipped_policy_validates(path):
    doc = json.loads(path.read_text("utf-8"))
    assert schema_errors(doc) == []
    assert canbao.check_policy(path)["errors"] == 0


def test_case_files_name_shipped_policies():
    # Case files name their policy by path (no inline policy to check).
    for path in sorted((SOURCE_DIR / "examples" / "cases").glob("*.cases.json")):
        policy = json.loads(path.read_text("utf-8"))["policy"]
        assert isinstance(policy, str) and (path.parent / policy).resolve() in [p.resolve() for p in GOOD]


@pytest.mark.parametrize("path", sorted((SOURCE_DIR / "tests" / "data" / "bad-policies").glob("*.json")),
                         ids=lambda p: p.name)
def test_bad_policies_are_rejected_by_both(path):
    doc = json.loads(path.read_text("utf-8"))
    assert schema_errors(doc), f"the schema accepts {path.name}: {doc['note']}"
    result = canbao.check_policy(path)
    assert result["errors"] >= 1 and not result["ok"]


@pytest.mark.parametrize("name,doc,bad", list(corpus_cases()), ids=lambda v: v if isinstance(v, str) else "")
def test_bad_input_corpus_is_rejected_by_the_loader_and_where_possible_the_schema(name, doc, bad):
    result = canbao.check_policy(json.dumps(doc, ensure_ascii=False))
    if not bad:  # a case that must load (an extreme value): the schema takes it too
        assert result["errors"] == 0 and schema_errors(doc) == [], name
        return
    assert result["errors"] >= 1, name
    if LOADER_ONLY.get(name):
        assert schema_errors(doc) == [], f"{name} is now caught by the schema: drop it from LOADER_ONLY"
    else:
        assert schema_errors(doc), f"the schema accepts {name}"


def test_dollar_schema_key_is_allowed_by_both():
    doc = json.loads((SOURCE_DIR / "tests" / "data" / "policies" / "valid-small.json").read_text("utf-8"))
    doc["$schema"] = "../../docs/schema/canbao.policy-1.schema.json"
    assert schema_errors(doc) == []
    assert canbao.check_policy(doc)["ok"]


def test_check_policy_reports_every_error_with_did_you_mean():
    doc = json.loads((SOURCE_DIR / "tests" / "data" / "policies" / "valid-small.json").read_text("utf-8"))
    doc["units"][1]["nmae"] = doc["units"][1].pop("name")  # required "name" is missing, its typo present
    doc["units"][2]["targets"]["resident_enrolled"] = -5
    result = canbao.check_policy(doc)
    assert [(d["severity"], d["path"]) for d in result["diagnostics"]] == [
        ("error", "units[1].name"), ("error", "units[2].targets.resident_enrolled")]
    assert result["diagnostics"][0]["message"] == \
        'required key "name" is missing (did you mean "nmae" at units[1]?)'
    assert result["errors"] == 2 and result["warnings"] == 0 and not result["ok"]
    # The schema finds the same two mistakes (and says it its own way).
    assert len(schema_errors(doc)) >= 2


def test_check_policy_warnings_and_strict():
    doc = json.loads((SOURCE_DIR / "tests" / "data" / "policies" / "valid-small.json").read_text("utf-8"))
    doc["units"][2]["targets"]["resident_enrolled"] = 30  # 60 + 30 is not the town's 100
    result = canbao.check_policy(doc)
    assert result["ok"] and result["warnings"] == 1 and result["fingerprint"]
    assert result["diagnostics"][0]["path"] == "units[0].targets.resident_enrolled"
    assert not canbao.check_policy(doc, strict=True)["ok"]
    assert canbao.check_policy("{", max_diagnostics=1)["diagnostics"][0]["message"].startswith("not valid JSON")
