"""Declared person facts (the policy's "facts" section) through every door.

The fixture policy is tests/unit/test_declared_facts.cpp's (004's facts the
built-in person model lacks), whose answers are worked by hand there. The
differential test sends the same random persons through the one-person path
(call_json), Python's batch (codes and text), the C ABI's column-by-name
entry (canbao_recommend_table, over ctypes) and the CLI's roster, and
compares every answer.
"""
import csv
import ctypes
import json
import os
import random
import subprocess

import numpy as np
import pytest

import canbao
from conftest import SOURCE_DIR

POLICY_PATH = SOURCE_DIR / "tests" / "data" / "policies" / "declared-facts.json"
ROSTER_PATH = SOURCE_DIR / "tests" / "data" / "rosters" / "declared-facts.csv"
AS_OF = "2023-06-30"


@pytest.fixture(scope="module")
def policy():
    return canbao.Policy.from_file(POLICY_PATH)


def test_facts_lists_the_declarations(policy):
    ids = [f["id"] for f in policy.facts]
    assert ids == ["prior_contribution_years", "suspended_scheme", "retirement_category", "support_groups",
                   "expropriated_on", "veteran"]
    category = policy.facts[2]
    assert category["type"] == "enumeration"
    assert category["values"] == [("worker", "工人"), ("cadre", "干部")]
    assert category["default"] == 1  # cadre
    assert policy.facts[0]["min"] == 0 and policy.facts[0]["max"] == 60
    assert canbao.Policy.from_file(SOURCE_DIR / "examples" / "policies" / "000-xx-town-2021.json").facts == []


def roster_rows():
    with open(ROSTER_PATH, encoding="utf-8") as f:
        return list(csv.DictReader(f))


# tests/unit/test_declared_facts.cpp, worked by hand (as of 2023-06-30).
EXPECTED = {
    "w1": ("none", [], []),  # 工人: retired 2020-04-01
    "w2": ("employee", [], []),  # 干部 by default: retires 2025-05-01, otherwise
    "w3": ("employee", [], []),  # 15 years paid
    "w4": ("resident", [], []),  # newly expropriated
    "w5": ("employee", [], []),
    "w6": ("none", [], []),  # suspended in the public-sector scheme
    "w7": ("employee", ["transfer_in", "resume_payment"], ["g2", "g7"]),
    "m1": ("employee", [], ["g2"]),
}


def person_of(row):
    """A roster row as a person dict: declared facts at the top level, by id; empty cells left out."""
    person = {"sex": row["sex"], "birth_date": row["birth_date"], "hukou_local": row["hukou_local"] == "true"}
    for key in ("prior_contribution_years", "suspended_scheme", "retirement_category", "support_groups",
                "expropriated_on", "veteran"):
        if row[key] != "":
            value = row[key]
            person[key] = (int(value) if key == "prior_contribution_years"
                           else value == "true" if key == "veteran" else value)
    return person


def test_one_person_answers_are_the_hand_worked_ones(policy):
    for row in roster_rows():
        r = policy.recommend(person_of(row), AS_OF)
        assert (r["scheme"], r["actions"], r["groups"]) == EXPECTED[row["id"]], row["id"]
    # Under "facts" in their JSON types (a date may be a datetime.date).
    import datetime
    r = policy.recommend({"sex": "female", "birth_date": "1970-03-15",
                          "facts": {"retirement_category": "worker",
                                    "expropriated_on": datetime.date(2023, 1, 1)}}, AS_OF)
    assert r["scheme"] == "none" and r["facts"]["retirement_date"] == "2020-04-01"


def test_batch_text_columns_give_the_hand_worked_answers(policy):
    rows = roster_rows()
    columns = {key: [row[key] for row in rows] for key in
               ("sex", "birth_date", "prior_contribution_years", "suspended_scheme", "retirement_category",
                "support_groups", "expropriated_on", "veteran")}
    columns["hukou_local"] = [row["hukou_local"] == "true" for row in rows]
    columns["prior_contribution_years"] = [int(v) if v else None for v in columns["prior_contribution_years"]]
    out = policy.recommend_batch(columns, AS_OF, names=True)
    for i, row in enumerate(rows):
        scheme, actions, groups = EXPECTED[row["id"]]
        assert out["scheme_name"][i] == scheme, row["id"]
        assert [a for k, a in enumerate(canbao.ACTIONS) if out["actions"][i] >> k & 1] == actions
        assert [f"g{g + 1}" for g in range(8) if out["groups"][i] >> g & 1] == groups


def test_batch_fact_columns_in_every_form_agree(policy):
    n = 4
    base = {"sex": np.array([1, 1, 1, 0], dtype=np.uint8), "birth_date": ["1970-03-15"] * 3 + ["1980-01-01"],
            "hukou_local": np.ones(n, dtype=np.uint8)}
    codes = policy.recommend_batch({**base, "retirement_category": np.array([0, 1, 1, 0], dtype=np.int32),
                                    "expropriated_on": np.array([7305, 19358, 7305, 7305], dtype=np.int32),
                                    "veteran": np.array([0, 1, 0, 0], dtype=np.uint8)}, AS_OF)
    text = policy.recommend_batch({**base, "retirement_category": ["worker", "cadre", "", "worker"],
                                   "expropriated_on": np.array(["1990-01-01", "2023-01-01", "", None],
                                                               dtype=object),
                                   "veteran": ["否", "是", "false", "0"]}, AS_OF)
    dates = policy.recommend_batch({**base, "retirement_category": np.array([0, 1, np.nan, 0]),
                                    "expropriated_on": np.array(["1990-01-01", "2023-01-01", "NaT", "NaT"],
                                                                dtype="datetime64[D]"),
                                    "veteran": [False, True, False, False]}, AS_OF)
    for name in ("scheme", "actions", "groups", "fired_rows"):
        np.testing.assert_array_equal(codes[name], text[name])
        np.testing.assert_array_equal(codes[name], dates[name])


def test_batch_errors_name_the_column_and_row(policy):
    base = {"sex": [1, 1, 0], "birth_date": ["1970-03-15"] * 3}
    with pytest.raises(canbao.InputError) as e:
        policy.recommend_batch({**base, "support_groups": ["graduate", "", "fisher"]}, AS_OF)
    assert e.value.path == "columns.support_groups[2]" and "unknown flag \"fisher\"" in e.value.message
    with pytest.raises(canbao.InputError) as e:
        policy.recommend_batch({**base, "suspended_scheme": np.array([0, 4, 0], dtype=np.int32)}, AS_OF)
    assert e.value.path == "columns.suspended_scheme[1]"
    with pytest.raises(canbao.InputError) as e:
        policy.recommend_batch({**base, "veterans": [0, 0, 0]}, AS_OF)
    assert e.value.path == "columns.veterans" and "veteran" in str(e.value)
    with pytest.raises(canbao.InputError) as e:
        policy.recommend_batch({**base, "expropriated_on": ["2023-01-01", "1989-12-31", ""]}, AS_OF)
    assert e.value.path == "columns.expropriated_on[1]"
    # A fact without default: the column is required, and no cell may be missing.
    doc = json.loads(POLICY_PATH.read_text(encoding="utf-8"))
    del doc["facts"][0]["default"]
    strict = canbao.Policy.from_json(json.dumps(doc))
    with pytest.raises(canbao.Error) as e:
        strict.recommend_batch(base, AS_OF)
    assert e.value.path == "columns.prior_contribution_years"
    with pytest.raises(canbao.InputError) as e:
        strict.recommend_batch({**base, "prior_contribution_years": [3, None, 4]}, AS_OF)
    assert e.value.path == "columns.prior_contribution_years[1]"
    with pytest.raises(canbao.InputError) as e:
        strict.recommend({"sex": "male", "birth_date": "1980-01-01"}, AS_OF)
    assert e.value.path == "request.person.facts.prior_contribution_years"
    with pytest.raises(canbao.InputError) as e:
        policy.recommend({"sex": "male", "birth_date": "1980-01-01", "facts": {"veteran": "yes"}}, AS_OF)
    assert e.value.path == "request.person.facts.veteran"
    with pytest.raises(canbao.InputError) as e:
        policy.recommend({"sex": "male", "birth_date": "1980-01-01", "facts": {"veterans": True}}, AS_OF)
    assert e.value.path == "request.person.facts.veterans"


# ---- the same answers through every door --------------------------------------

def random_persons(policy, n, seed):
    rng = random.Random(seed)
    persons = []
    for i in range(n):
        p = {"id": f"r{i}", "sex": rng.choice(["male", "female"]),
             "birth_date": f"{rng.randint(1935, 2004)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
             "hukou_local": rng.random() < 0.7,
             "insurance_status": rng.choice(canbao.INSURANCE_STATUSES),
             "employment": rng.choice(canbao.EMPLOYMENTS), "facts": {}}
        for f in policy.facts:
            if rng.random() < 0.2:
                continue  # the default
            if f["type"] == "boolean":
                p["facts"][f["id"]] = rng.random() < 0.5
            elif f["type"] == "enumeration":
                p["facts"][f["id"]] = rng.choice(f["values"])[0]
            elif f["type"] == "flags":
                p["facts"][f["id"]] = [v for v, _ in f["values"] if rng.random() < 0.3]
            elif f["type"] == "integer":
                p["facts"][f["id"]] = rng.randint(f["min"], f["max"])
            else:
                p["facts"][f["id"]] = f"{rng.choice([1995, 2022, 2023])}-{rng.randint(1, 12):02d}-01"
        persons.append(p)
    return persons


def fact_text(fact, value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ";".join(value)
    return str(value)


def c_table(policy_path, persons, facts):
    """canbao_recommend_table over ctypes: built-ins and every declared fact as I32 codes."""
    lib = ctypes.CDLL(os.environ["CANBAO_LIBRARY"])

    class Column(ctypes.Structure):
        _fields_ = [("name", ctypes.c_char_p), ("type", ctypes.c_uint32), ("data", ctypes.c_void_p)]

    class Input(ctypes.Structure):
        _fields_ = [("struct_size", ctypes.c_size_t), ("count", ctypes.c_size_t),
                    ("columns", ctypes.POINTER(Column)), ("column_count", ctypes.c_size_t)]

    class Output(ctypes.Structure):
        _fields_ = [("struct_size", ctypes.c_size_t), ("scheme", ctypes.c_void_p), ("actions", ctypes.c_void_p),
                    ("groups", ctypes.c_void_p), ("fired_rows", ctypes.c_void_p),
                    ("fired_row_words", ctypes.c_size_t)]

    lib.canbao_policy_from_file.argtypes = [ctypes.c_char_p, ctypes.POINTER(ctypes.c_void_p)]
    lib.canbao_policy_fact_parse.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_char_p, ctypes.c_size_t,
                                             ctypes.POINTER(ctypes.c_int32)]
    lib.canbao_recommend_table.argtypes = [ctypes.c_void_p, ctypes.c_int32, ctypes.POINTER(Input),
                                           ctypes.POINTER(Output)]
    lib.canbao_policy_fired_row_words.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_size_t)]
    lib.canbao_policy_free.argtypes = [ctypes.c_void_p]
    lib.canbao_last_error.restype = ctypes.c_char_p
    handle = ctypes.c_void_p()
    assert lib.canbao_policy_from_file(str(policy_path).encode(), ctypes.byref(handle)) == 0
    try:
        n = len(persons)
        arrays = {
            "sex": np.array([p["sex"] == "female" for p in persons], dtype=np.uint8),
            "birth_day": np.array([np.datetime64(p["birth_date"], "D").astype(np.int64) for p in persons],
                                  dtype=np.int32),
            "hukou_local": np.array([p["hukou_local"] for p in persons], dtype=np.uint8),
            "insurance_status": np.array([canbao.INSURANCE_STATUSES.index(p["insurance_status"]) for p in persons],
                                         dtype=np.uint8),
            "employment": np.array([canbao.EMPLOYMENTS.index(p["employment"]) for p in persons], dtype=np.uint8),
        }
        types = {"sex": 1, "birth_day": 3, "hukou_local": 1, "insurance_status": 1, "employment": 1}
        for k, f in enumerate(facts):
            codes = np.empty(n, dtype=np.int32)
            for i, p in enumerate(persons):
                if f["id"] not in p["facts"]:
                    codes[i] = f["default"]
                    continue
                text = fact_text(f, p["facts"][f["id"]]).encode()
                v = ctypes.c_int32()
                assert lib.canbao_policy_fact_parse(handle, k, text, len(text), ctypes.byref(v)) == 0
                codes[i] = v.value
            arrays[f["id"]] = codes
            types[f["id"]] = 3
        columns = (Column * len(arrays))(*[Column(name.encode(), types[name], a.ctypes.data)
                                           for name, a in arrays.items()])
        words = ctypes.c_size_t()
        assert lib.canbao_policy_fired_row_words(handle, ctypes.byref(words)) == 0
        out = {"scheme": np.zeros(n, np.uint8), "actions": np.zeros(n, np.uint8), "groups": np.zeros(n, np.uint8),
               "fired_rows": np.zeros(n * words.value, np.uint64)}
        cin = Input(ctypes.sizeof(Input), n, columns, len(arrays))
        cout = Output(ctypes.sizeof(Output), out["scheme"].ctypes.data, out["actions"].ctypes.data,
                      out["groups"].ctypes.data, out["fired_rows"].ctypes.data, words.value)
        day = int(np.datetime64(AS_OF, "D").astype(np.int64))
        status = lib.canbao_recommend_table(handle, day, ctypes.byref(cin), ctypes.byref(cout))
        assert status == 0, lib.canbao_last_error()
        return out
    finally:
        lib.canbao_policy_free(handle)


def test_every_door_gives_the_same_answers(policy, tmp_path):
    persons = random_persons(policy, 300, seed=11)
    facts = policy.facts
    # 1. One person at a time (call_json, the C++ one-person path).
    one = [policy.recommend({k: v for k, v in p.items() if k != "id"}, AS_OF) for p in persons]
    # 2. Python's batch, text columns; 3. the same as codes parsed by the core.
    columns = {"sex": [p["sex"] for p in persons], "birth_date": [p["birth_date"] for p in persons],
               "hukou_local": [p["hukou_local"] for p in persons],
               "insurance_status": [p["insurance_status"] for p in persons],
               "employment": [p["employment"] for p in persons]}
    for f in facts:
        columns[f["id"]] = np.array([fact_text(f, p["facts"][f["id"]]) if f["id"] in p["facts"] else None
                                     for p in persons], dtype=object)
    batch = policy.recommend_batch(columns, AS_OF, names=True)
    for i, r in enumerate(one):
        assert batch["scheme_name"][i] == r["scheme"], persons[i]
        assert [a for k, a in enumerate(canbao.ACTIONS) if batch["actions"][i] >> k & 1] == r["actions"]
        assert [f"g{g + 1}" for g in range(8) if batch["groups"][i] >> g & 1] == r["groups"]
    # 4. The C ABI's column-by-name entry.
    if os.environ.get("CANBAO_LIBRARY"):
        table = c_table(POLICY_PATH, persons, facts)
        for name in ("scheme", "actions", "groups", "fired_rows"):
            np.testing.assert_array_equal(table[name], batch[name])
    # 5. The CLI's roster: each fact in its column, empty for the default.
    cli = os.environ.get("CANBAO_CLI")
    if cli:
        roster = tmp_path / "roster.csv"
        header = ["id", "id_number", "name", "sex", "birth_date", "hukou_local", "insurance_status", "employment",
                  "resident_grade_yuan", "flags"] + [f["column"] for f in facts]
        with open(roster, "w", encoding="utf-8", newline="") as out:
            w = csv.writer(out)
            w.writerow(header)
            for p in persons:
                w.writerow([p["id"], "", "", p["sex"], p["birth_date"], str(p["hukou_local"]).lower(),
                            p["insurance_status"], p["employment"], "", ""] +
                           [fact_text(f, p["facts"][f["id"]]) if f["id"] in p["facts"] else "" for f in facts])
        run = subprocess.run([cli, "recommend", str(POLICY_PATH), "--roster", str(roster), "--as-of", AS_OF,
                              "--reasons", "text"],
                             capture_output=True, text=True, encoding="utf-8")
        assert run.returncode == 0, run.stderr
        rows = list(csv.DictReader(run.stdout.splitlines()))
        assert len(rows) == len(one)
        for row, r in zip(rows, one):
            assert row["scheme"] == r["scheme"]
            assert row["actions"] == ";".join(r["actions"]) and row["groups"] == ";".join(r["groups"])
            assert row["reason"] == r["reason_zh"] and row["retirement_date"] == r["facts"]["retirement_date"]


def many_rows_policy(tmp_path):
    """declared-facts.json plus a collect table of 70 rows: row 8 + k fires when
    prior_contribution_years >= k % 61, so fired rows take two words a person."""
    doc = json.loads(POLICY_PATH.read_text(encoding="utf-8"))
    doc["recommendation"]["tables"].append({"id": "many", "hit": "collect", "rows": [
        {"when": {"prior_contribution_years": {"ge": k % 61}}, "then": {"actions": ["back_pay"]},
         "reason": {"zh": f"已缴{k % 61}年", "en": f"{k % 61} years"}} for k in range(70)]})
    path = tmp_path / "many.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


def test_over_64_rows_report_every_fired_row_through_every_batch_door(policy, tmp_path):
    """A collect table of 70 more rows: fired rows take two words a person, the
    same in Python's (n, 2) array and the C ABI's flat one."""
    path = many_rows_policy(tmp_path)
    many = canbao.Policy.from_file(path)
    persons = random_persons(many, 50, seed=3)
    columns = {"sex": [p["sex"] for p in persons], "birth_date": [p["birth_date"] for p in persons],
               "prior_contribution_years": [p["facts"].get("prior_contribution_years") for p in persons]}
    batch = many.recommend_batch(columns, AS_OF)
    assert batch["fired_rows"].shape == (50, 2)
    for i, p in enumerate(persons):
        years = p["facts"].get("prior_contribution_years", 0)
        # Global rows: 4 + otherwise in the scheme table, 3 in groups, then the 70: row 8 + k fires when
        # years >= k % 61.
        fired = [r for r in range(128) if batch["fired_rows"][i][r // 64] >> np.uint64(r % 64) & np.uint64(1)]
        assert [r - 8 for r in fired if r >= 8] == [k for k in range(70) if years >= k % 61], (years, fired)
    if os.environ.get("CANBAO_LIBRARY"):
        for p in persons:
            p["hukou_local"], p["insurance_status"], p["employment"] = False, "none", "other"
            p["facts"] = {k: v for k, v in p["facts"].items() if k == "prior_contribution_years"}
        table = c_table(path, persons, many.facts)
        np.testing.assert_array_equal(table["fired_rows"].reshape(50, 2), batch["fired_rows"])
        np.testing.assert_array_equal(table["scheme"], batch["scheme"])
