"""Values a policy adds to the built-in lists (docs/facts.md#extending-the-built-in-lists):
tests/data/policies/extended-lists.json adds a veteran employment kind, a second
land-expropriation batch flag and an insured-abroad status. Python's one-person
and batch paths (names and codes), the C ABI (ctypes) and the CLI give the hand
answers of tests/unit/test_builtin_values.cpp."""

import csv
import ctypes
import json
import os
import subprocess

import numpy as np
import pytest

import canbao
from conftest import SOURCE_DIR

POLICY = SOURCE_DIR / "tests" / "data" / "policies" / "extended-lists.json"
AS_OF = "2024-06-30"

# id, sex, birth, local, status, employment, flags, (scheme, actions, groups): worked by hand
# (scheme table, first hit: past retirement -> none; veteran -> employee + enroll_employee;
# second batch -> resident + government_pays; insured abroad -> none; otherwise resident +
# enroll_resident. Groups: g1 local veterans and farmers, g2 either expropriation flag,
# g3 veterans without the second batch).
CASES = [
    ("p1", "male", "1980-05-01", True, "none", "veteran", "", ("employee", ["enroll_employee"], ["g1", "g3"])),
    ("p2", "female", "1980-03-10", True, "none", "farmer", "land_expropriated_2024",
     ("resident", ["government_pays"], ["g1", "g2"])),
    ("p3", "male", "1990-01-01", False, "none", "veteran", "dibao;land_expropriated_2024",
     ("employee", ["enroll_employee"], ["g2"])),
    ("p4", "male", "1985-07-07", True, "insured_abroad", "other", "", ("none", [], [])),
    ("p5", "male", "1950-01-01", True, "none", "veteran", "", ("none", [], ["g1", "g3"])),
    ("p6", "female", "1995-01-01", True, "none", "student", "", ("resident", ["enroll_resident"], [])),
]


@pytest.fixture(scope="module")
def policy():
    return canbao.Policy.from_file(POLICY)


def _answer(scheme, actions, groups):
    return (canbao.SCHEMES[scheme], [a for i, a in enumerate(canbao.ACTIONS) if actions >> i & 1],
            [f"g{g + 1}" for g in range(8) if groups >> g & 1])


def test_values_lists_the_added_values_after_the_built_in_ones(policy):
    v = policy.value_lists
    assert v["employment"] == canbao.EMPLOYMENTS + ("veteran",)
    assert v["employment"].index("veteran") == 9
    assert v["insurance_status"] == canbao.INSURANCE_STATUSES + ("insured_abroad",)
    assert v["flags"] == canbao.FLAGS + ("land_expropriated_2024",)
    # The module constants stay the built-in lists; a policy that adds nothing has them.
    assert len(canbao.EMPLOYMENTS) == 9 and len(canbao.FLAGS) == 6
    plain = canbao.Policy.from_file(SOURCE_DIR / "examples" / "policies" / "000-xx-town-2021.json")
    assert plain.value_lists == {"insurance_status": canbao.INSURANCE_STATUSES, "employment": canbao.EMPLOYMENTS,
                            "flags": canbao.FLAGS}


def test_one_person_answers_worked_by_hand(policy):
    for pid, sex, birth, local, status, employment, flags, expected in CASES:
        got = policy.recommend({"sex": sex, "birth_date": birth, "hukou_local": local, "insurance_status": status,
                                "employment": employment, "flags": flags.split(";") if flags else []}, AS_OF)
        assert (got["scheme"], got["actions"], got["groups"]) == expected, pid


def _columns(policy, text):
    v = policy.value_lists
    cols = {"sex": [c[1] for c in CASES], "birth_date": [c[2] for c in CASES],
            "hukou_local": np.array([c[3] for c in CASES], dtype=np.uint8)}
    if text:
        cols.update(insurance_status=[c[4] for c in CASES], employment=[c[5] for c in CASES],
                    flags=[c[6] for c in CASES])
    else:
        cols.update(
            insurance_status=np.array([v["insurance_status"].index(c[4]) for c in CASES], dtype=np.uint8),
            employment=np.array([v["employment"].index(c[5]) for c in CASES], dtype=np.uint8),
            flags=np.array([sum(1 << v["flags"].index(f) for f in c[6].split(";") if f) for c in CASES],
                           dtype=np.uint8))
    return cols


@pytest.mark.parametrize("text", [True, False], ids=["names", "codes"])
def test_batch_reads_added_names_and_codes(policy, text):
    out = policy.recommend_batch(_columns(policy, text), AS_OF, names=True)
    for i, case in enumerate(CASES):
        assert _answer(out["scheme"][i], out["actions"][i], out["groups"][i]) == case[7], case[0]
    assert list(out["scheme_name"]) == [c[7][0] for c in CASES]


def test_batch_refuses_values_the_policy_does_not_add(policy):
    cols = _columns(policy, True)
    cols["employment"] = ["farmer", "veterans", "other", "other", "other", "other"]
    with pytest.raises(canbao.InputError) as e:
        policy.recommend_batch(cols, AS_OF)
    assert e.value.path == "columns.employment[1]" and "veteran" in str(e.value)
    cols = _columns(policy, True)
    cols["flags"] = ["", "", "", "land_expropriated_2025", "", ""]
    with pytest.raises(canbao.InputError) as e:
        policy.recommend_batch(cols, AS_OF)
    assert e.value.path == "columns.flags[3]" and "unknown flag 'land_expropriated_2025'" in str(e.value)
    cols = _columns(policy, False)
    cols["employment"] = cols["employment"].copy()
    cols["employment"][4] = 10
    with pytest.raises(canbao.InputError) as e:
        policy.recommend_batch(cols, AS_OF)
    assert "columns.employment[4]" in str(e.value)
    # 004 adds no employment kind: code 9 and "veteran" are refused, naming the column.
    p004 = canbao.Policy.from_file(SOURCE_DIR / "examples" / "policies" / "004-shiyan-2023.json")
    base = {"sex": np.zeros(2, np.uint8), "birth_day": np.full(2, 7300, np.int32)}
    with pytest.raises(canbao.InputError) as e:
        p004.recommend_batch({**base, "employment": np.array([4, 9], np.uint8)}, "2023-06-30")
    assert "columns.employment[1]" in str(e.value)
    with pytest.raises(canbao.InputError) as e:
        p004.recommend_batch({**base, "employment": ["farmer", "veteran"]}, "2023-06-30")
    assert e.value.path == "columns.employment[1]"
    with pytest.raises(canbao.InputError) as e:
        p004.recommend({"sex": "male", "birth_date": "1990-01-01", "employment": "veteran"}, "2023-06-30")
    assert e.value.path == "request.person.employment" and "veteran" in str(e.value)


def test_bad_extensions_name_the_json_path():
    doc = json.loads(POLICY.read_text(encoding="utf-8"))

    def error(facts0):
        d = json.loads(json.dumps(doc))
        d["facts"][0] = facts0
        with pytest.raises(canbao.PolicyError) as e:
            canbao.Policy.from_json(json.dumps(d, ensure_ascii=False))
        return e.value

    e = error({"extends": "employment", "values": [{"id": "veteran"}, {"id": "farmer"}]})
    assert e.path == "facts[0].values[1].id" and "already a value of employment" in e.message
    e = error({"extends": "employment", "values": [{"id": f"kind{i}"} for i in range(8)]})
    assert e.path == "facts[0].values" and "room for 7 more (at most 16 in all)" in e.message
    e = error({"extends": "grade", "values": [{"id": "veteran"}]})
    assert e.path == "facts[0].extends"
    d = json.loads(json.dumps(doc))
    d["facts"].append({"extends": "flags", "values": [{"id": "fisher"}]})
    with pytest.raises(canbao.PolicyError) as e:
        canbao.Policy.from_json(json.dumps(d, ensure_ascii=False))
    assert e.value.path == "facts[3].extends" and "extended twice" in e.value.message


def test_the_policy_round_trips(policy):
    again = canbao.Policy.from_json(policy.to_json())
    assert again.fingerprint == policy.fingerprint
    # The canonical JSON writes the lists in their own order (insurance_status, employment, flags).
    by_list = lambda facts: {f["extends"]: f for f in facts}  # noqa: E731
    assert by_list(json.loads(again.to_json())["facts"]) == by_list(json.loads(POLICY.read_text(encoding="utf-8"))["facts"])
    assert again.value_lists == policy.value_lists


@pytest.mark.skipif("CANBAO_LIBRARY" not in os.environ, reason="the C library's path comes from ctest")
def test_c_abi_gives_the_same_answers(policy):
    lib = ctypes.CDLL(os.environ["CANBAO_LIBRARY"])
    lib.canbao_policy_from_file.argtypes = [ctypes.c_char_p, ctypes.POINTER(ctypes.c_void_p)]
    lib.canbao_policy_list_value_count.argtypes = [ctypes.c_void_p, ctypes.c_uint32, ctypes.POINTER(ctypes.c_size_t)]
    lib.canbao_policy_list_value.argtypes = [ctypes.c_void_p, ctypes.c_uint32, ctypes.c_size_t,
                                        ctypes.POINTER(ctypes.c_char_p), ctypes.POINTER(ctypes.c_char_p)]
    lib.canbao_policy_free.argtypes = [ctypes.c_void_p]
    handle = ctypes.c_void_p()
    assert lib.canbao_policy_from_file(str(POLICY).encode(), ctypes.byref(handle)) == 0
    try:
        for code, name in enumerate(["insurance_status", "employment", "flags"]):
            n = ctypes.c_size_t()
            assert lib.canbao_policy_list_value_count(handle, code, ctypes.byref(n)) == 0
            ids = []
            for k in range(n.value):
                vid, vname = ctypes.c_char_p(), ctypes.c_char_p()
                assert lib.canbao_policy_list_value(handle, code, k, ctypes.byref(vid), ctypes.byref(vname)) == 0
                ids.append(vid.value.decode())
            assert tuple(ids) == policy.value_lists[name]
        vid, vname = ctypes.c_char_p(), ctypes.c_char_p()
        assert lib.canbao_policy_list_value(handle, 1, 9, ctypes.byref(vid), ctypes.byref(vname)) == 0
        assert vname.value.decode() == "退役军人"
    finally:
        lib.canbao_policy_free(handle)


@pytest.mark.skipif(not os.environ.get("CANBAO_CLI"), reason="the CLI's path comes from ctest")
def test_cli_gives_the_same_answers(tmp_path):
    roster = tmp_path / "roster.csv"
    with open(roster, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["id", "id_number", "name", "sex", "birth_date", "hukou_local", "insurance_status", "employment",
                    "resident_grade_yuan", "flags"])
        for pid, sex, birth, local, status, employment, flags, _ in CASES:
            w.writerow([pid, "", "某", sex, birth, "true" if local else "false", status, employment, "", flags])
    done = subprocess.run([os.environ["CANBAO_CLI"], "recommend", str(POLICY), "--roster", str(roster),
                           "--as-of", AS_OF], capture_output=True, text=True, check=True)
    rows = {r["id"]: r for r in csv.DictReader(done.stdout.splitlines())}
    for pid, *_, (scheme, actions, groups) in CASES:
        assert (rows[pid]["scheme"], rows[pid]["actions"], rows[pid]["groups"]) == \
            (scheme, ";".join(actions), ";".join(groups)), pid
    explain = subprocess.run([os.environ["CANBAO_CLI"], "recommend", str(POLICY), "--roster", str(roster),
                              "--as-of", AS_OF, "--explain", "p3"], capture_output=True, text=True, check=True)
    assert "employment:         veteran\n" in explain.stdout
    assert "flags:              dibao;land_expropriated_2024\n" in explain.stdout

