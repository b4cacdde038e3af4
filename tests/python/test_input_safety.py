"""Issue 9 §3 from Python: requests carry data (no file is opened for them),
bad JSON is an InputError/PolicyError with a short message, NUL and deep
nesting are refused, and no exception text or repr shows a whole ID number."""

import json

import pytest

import canbao
from canbao import _core

ID = "11010519491231002X"  # GB 11643-1999's example number
MASKED = "110105********002X"


def test_call_refuses_a_progress_file_and_never_opens_it(policy_000):
    with pytest.raises(canbao.InputError) as e:
        policy_000.call({"op": "payouts", "as_of": "2021-12-31", "progress_file": "/etc/passwd"})
    assert e.value.path == "request.progress_file"
    assert "files are read by the host" in e.value.message
    assert "root" not in str(e.value)


def test_helpers_read_the_file_themselves(policy_000, progress_000):
    by_path = policy_000.payouts(progress_000, "2021-12-31")
    by_text = policy_000.call({"op": "payouts", "as_of": "2021-12-31",
                               "progress_csv": progress_000.read_text(encoding="utf-8")})
    assert by_path == by_text
    assert by_path["format_version"] == 2


def test_compare_refuses_a_roster_file(policy_000):
    with pytest.raises(canbao.InputError) as e:
        policy_000.call({"op": "compare", "as_of": "2021-12-31", "patch": {}, "roster_file": "/etc/passwd"})
    assert e.value.path == "request.roster_file"


def test_text_with_a_nul_is_refused(policy_000):
    with pytest.raises(canbao.InputError) as e:
        _core.call_json(policy_000._handle, '{"op":"version"}\0{"op":"ops"}')
    assert e.value.path == "request"
    assert "NUL byte at line 1, column 17" in e.value.message
    with pytest.raises(canbao.PolicyError):
        canbao.Policy.from_json(policy_000.to_json() + "\0")
    with pytest.raises(canbao.PolicyError):
        policy_000.reform('{"work_fund": {}}\0garbage')


def test_deep_nesting_is_an_error_not_a_crash(policy_000):
    deep = "[" * 100000
    with pytest.raises(canbao.InputError) as e:
        _core.call_json(policy_000._handle, deep)
    assert e.value.message == "nesting deeper than 64 levels at line 1, column 65"
    with pytest.raises(canbao.PolicyError) as e:
        canbao.Policy.from_json(deep)
    assert "nesting deeper than 64 levels" in e.value.message
    with pytest.raises(canbao.PolicyError) as e:
        policy_000.reform(deep)
    assert e.value.path == "patch"


def test_duplicate_keys_are_errors_naming_the_path(policy_000):
    with pytest.raises(canbao.InputError) as e:
        _core.call_json(policy_000._handle,
                        '{"op":"recommend","as_of":"2023-06-30","person":{"sex":"male","sex":"female"}}')
    assert e.value.path == "request.person.sex"
    assert e.value.message == "duplicate key"
    with pytest.raises(canbao.PolicyError) as e:
        policy_000.reform('{"work_fund": {"payer": "a", "payer": "b"}}')
    assert e.value.path == "patch.work_fund.payer"


def test_numbers_out_of_range_are_input_errors_not_internal(policy_000):
    for text in ('{"op":"retirement","original_age":1e9946}', '{"op":"version","x":18446744073709551616E616}'):
        with pytest.raises(canbao.InputError):
            _core.call_json(None, text)


def test_huge_key_gives_a_short_message(policy_000):
    with pytest.raises(canbao.InputError) as e:
        _core.call_json(None, '{"op":"version","' + "k" * 5_000_000 + '":1}')
    assert len(str(e.value)) < 300
    assert e.value.path == "request." + "k" * 60 + "…"


def test_exceptions_and_reprs_never_show_a_whole_id_number():
    with pytest.raises(canbao.InputError) as e:
        canbao.parse_id(ID[:-1] + "1")  # wrong check character
    for text in (str(e.value), repr(e.value), e.value.message, e.value.path, str(e.value.args)):
        assert ID[:-1] + "1" not in text
    with pytest.raises(canbao.InputError) as e:
        _core.call_json(None, json.dumps({"op": ID}))
    assert ID not in str(e.value) and ID not in repr(e.value)
    assert MASKED in e.value.message
    # Errors raised by the Python layer itself are masked too.
    err = canbao.InputError(f"columns.sex[0]: unknown value '{ID}'", f"x.{ID}", f"unknown value '{ID}'")
    for text in (str(err), repr(err), err.message, err.path):
        assert ID not in text and MASKED in text


def test_reform_with_python_data_nested_too_deeply_is_a_policy_error(policy_000):
    deep = []
    for _ in range(100000):
        deep = [deep]
    with pytest.raises(canbao.PolicyError):
        policy_000.reform(deep)


def test_load_cases_refuses_a_duplicate_key(tmp_path):
    from canbao.testing import load_cases
    path = tmp_path / "dup.cases.json"
    path.write_text('{"schema": "canbao.cases/1", "cases": [{"name": "a", "name": "b"}]}', encoding="utf-8")
    # Read by the core's case-file reader, as `canbao test` reads it: the error names the JSON path.
    with pytest.raises(canbao.InputError, match=r"^cases\[0\]\.name: duplicate key$") as info:
        load_cases(str(path))
    assert info.value.path == "cases[0].name"


def test_a_policy_path_with_a_nul_is_refused_not_cut_short(examples):
    path = str(examples / "policies" / "000-xx-town-2021.json")
    with pytest.raises(canbao.ArgumentError, match="path: contains a NUL character"):  # was: opened the cut path
        canbao.Policy.from_file(path + "\0.ignored")
