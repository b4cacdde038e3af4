"""recommend_batch on DataFrames as analysts hold them (issue 14): the same random
roster given as numpy codes, names in object columns, categories, pandas string
dtype, nullable Int/boolean and with extra columns gives identical answers,
equal to recommend() one person at a time, in a DataFrame on the input's index.
Declared facts (tests/data/policies/declared-facts.json) and extended value
lists (extended-lists.json) work as category columns too, with the answers
worked by hand in test_declared_facts.py and test_builtin_values.py."""

import datetime
import pickle

import numpy as np
import pandas as pd
import pytest

import canbao
from conftest import SOURCE_DIR

AS_OF = "2023-06-30"
N = 3000
EPOCH = datetime.date(1970, 1, 1)


def codes_roster(n=N, seed=20):
    rng = np.random.default_rng(seed)
    status = rng.integers(0, 7, n, dtype=np.uint8)
    return {
        "sex": rng.integers(0, 2, n, dtype=np.uint8),
        "birth_day": rng.integers((datetime.date(1930, 1, 1) - EPOCH).days, (datetime.date(2020, 1, 1) - EPOCH).days,
                                  n, dtype=np.int32),
        "hukou_local": (rng.integers(0, 8, n) != 0).astype(np.uint8),
        "insurance_status": status,
        "employment": rng.integers(0, 9, n, dtype=np.uint8),
        "resident_grade_yuan": np.where(status == 1, 100 * rng.integers(1, 31, n), 0).astype(np.uint16),
        "flags": np.where(rng.integers(0, 4, n) == 0, rng.integers(0, 64, n), 0).astype(np.uint8),
    }


def names_of(codes, table):
    return np.array(table, dtype=object)[codes]


def flag_text(bits):
    return np.array([";".join(f for i, f in enumerate(canbao.FLAGS) if b >> i & 1) for b in range(256)],
                    dtype=object)[bits]


def variants(c, index):
    """The roster of codes `c` in the dtypes analysts meet, each a DataFrame on `index`."""
    birth = c["birth_day"].astype("datetime64[D]")
    sex_cn = names_of(c["sex"], ["男", "女"])
    status = names_of(c["insurance_status"], canbao.INSURANCE_STATUSES)
    employment = names_of(c["employment"], canbao.EMPLOYMENTS)
    flags = flag_text(c["flags"])
    grade_na = pd.array(c["resident_grade_yuan"], dtype="UInt16")
    grade_na[c["resident_grade_yuan"] == 0] = pd.NA  # an empty grade cell is no grade, as in the CLI
    flags_na = pd.array(c["flags"], dtype="UInt8")
    flags_na[c["flags"] == 0] = pd.NA
    return {
        "numpy codes": pd.DataFrame(c, index=index),
        "names as object": pd.DataFrame({
            "sex": names_of(c["sex"], ["male", "female"]), "birth_date": birth.astype(str).astype(object),
            "hukou_local": c["hukou_local"].astype(bool), "insurance_status": status, "employment": employment,
            "resident_grade_yuan": c["resident_grade_yuan"].astype(np.int64), "flags": flags}, index=index),
        # Categories in an order of their own (and one no row holds): mapped by name, not by position.
        "category": pd.DataFrame({
            "sex": pd.Categorical(sex_cn, categories=["女", "男"]),
            "birth_date": pd.to_datetime(birth),
            "hukou_local": pd.Categorical(c["hukou_local"].astype(bool)),
            "insurance_status": pd.Categorical(status, categories=sorted(canbao.INSURANCE_STATUSES) + ["unused"]),
            "employment": pd.Categorical(employment),
            "resident_grade_yuan": c["resident_grade_yuan"], "flags": pd.Categorical(flags)}, index=index),
        "string dtype": pd.DataFrame({
            "sex": pd.array(sex_cn, dtype="string"), "birth_date": pd.array(birth.astype(str), dtype="string"),
            "hukou_local": c["hukou_local"].astype(bool), "insurance_status": pd.array(status, dtype="string"),
            "employment": pd.array(employment, dtype="string"), "resident_grade_yuan": c["resident_grade_yuan"],
            "flags": pd.array(flags, dtype="string")}, index=index),
        "nullable Int/boolean": pd.DataFrame({
            "sex": pd.array(c["sex"], dtype="Int8"), "birth_day": pd.array(c["birth_day"], dtype="Int32"),
            "hukou_local": pd.array(c["hukou_local"].astype(bool), dtype="boolean"),
            "insurance_status": pd.array(c["insurance_status"], dtype="UInt8"),
            "employment": pd.array(c["employment"], dtype="Int64"),
            "resident_grade_yuan": grade_na, "flags": flags_na}, index=index),
        "extra columns": pd.DataFrame({
            "person_id": index.to_numpy(), "village": np.where(c["sex"] == 0, "一村", "二村"),
            **{k: v for k, v in c.items()}, "note": "x"}, index=index),
    }


@pytest.fixture(scope="module")
def roster():
    c = codes_roster()
    index = pd.Index([f"P{i:06d}" for i in range(100_000, 100_000 + N)][::-1], name="person_id")
    return c, index


def test_every_dtype_gives_the_codes_answers_on_the_input_index(policy_004, roster):
    c, index = roster
    expected = policy_004.recommend_batch(c, AS_OF)
    for name, frame in variants(c, index).items():
        got = policy_004.recommend_batch(frame, AS_OF)
        assert isinstance(got, pd.DataFrame), name
        assert got.index.equals(index), name
        assert list(got.columns) == ["scheme", "actions", "groups", "fired_rows"], name
        assert list(got["scheme"].cat.categories) == list(canbao.SCHEMES)
        np.testing.assert_array_equal(got["scheme"].cat.codes.to_numpy(), expected["scheme"], err_msg=name)
        for key in ("actions", "groups", "fired_rows"):
            np.testing.assert_array_equal(got[key].to_numpy(), expected[key], err_msg=f"{name}: {key}")
    # The roster is varied enough to mean something: all three schemes occur.
    assert set(np.unique(expected["scheme"])) == {0, 1, 2}


def test_frames_that_crossed_a_pickle_give_the_same_answers(policy_004, roster):
    """A Dask worker receives its partition by pickle, and numpy may then hold an
    equal dtype as another object (int64 as 'q' rather than 'l'): the C++ column
    lookups once refused such codes ("codes: expected int8, ...") on a cluster."""
    c, index = roster
    expected = policy_004.recommend_batch(c, AS_OF)
    for name, frame in variants(c, index).items():
        got = policy_004.recommend_batch(pickle.loads(pickle.dumps(frame)), AS_OF)
        np.testing.assert_array_equal(got["scheme"].cat.codes.to_numpy(), expected["scheme"], err_msg=name)
    table = np.array([7, 9], dtype=np.uint8)
    for codes in (np.array([1, 0, -1], dtype=np.longlong), np.array([1, 0, -1], dtype=np.int_)):
        out, first_missing = canbao._core.lookup(table, codes, 5)
        assert out.tolist() == [9, 7, 5] and first_missing == 2


def test_frame_answers_equal_recommend_one_person_at_a_time(policy_004, roster):
    c, index = roster
    frame = variants(c, index)["category"]
    got = policy_004.recommend_batch(frame, AS_OF, names=True)
    for i in np.random.default_rng(5).choice(N, 60, replace=False):
        person = {"sex": ("male", "female")[c["sex"][i]], "birth_date": str(c["birth_day"][i].astype("datetime64[D]")),
                  "hukou_local": bool(c["hukou_local"][i]),
                  "insurance_status": canbao.INSURANCE_STATUSES[c["insurance_status"][i]],
                  "employment": canbao.EMPLOYMENTS[c["employment"][i]],
                  "resident_grade_yuan": int(c["resident_grade_yuan"][i]),
                  "flags": [f for k, f in enumerate(canbao.FLAGS) if c["flags"][i] >> k & 1]}
        one = policy_004.recommend(person, AS_OF)
        row = got.loc[index[i]]
        assert row["scheme"] == one["scheme"]
        assert row["actions"] == ";".join(one["actions"])
        assert row["groups"] == ";".join(one["groups"])
        assert bin(int(row["fired_rows"])).count("1") == len(one["fired"])


def test_names_keep_and_as_frame(policy_004):
    # Two persons by hand (004, as of 2023-06-30): a local man born 1990 working for a
    # platform, uninsured -> employee, enroll_employee, g3 (platform workers);
    # a local woman born 1950, uninsured -> resident, enroll_resident + back_pay, g8.
    frame = pd.DataFrame({"person_id": ["a7", "b9"], "village": ["一村", "二村"], "sex": ["男", "女"],
                          "birth_date": ["1990-05-01", "1950-02-11"], "hukou_local": [True, True],
                          "employment": ["platform_worker", "farmer"]}, index=[7, 9])
    got = policy_004.recommend_batch(frame, AS_OF, names=True, keep=["village"])
    assert list(got.columns) == ["scheme", "actions", "groups", "fired_rows", "village"]
    assert list(got.index) == [7, 9]
    assert list(got["scheme"]) == ["employee", "resident"]
    assert list(got["actions"]) == ["enroll_employee", "enroll_resident;back_pay"]
    assert list(got["groups"]) == ["g3", "g8"]
    assert list(got["village"]) == ["一村", "二村"]
    codes = policy_004.recommend_batch(frame, AS_OF)
    assert list(codes["actions"]) == [1 << canbao.ACTIONS.index("enroll_employee"),
                                      1 << canbao.ACTIONS.index("enroll_resident") | 1 << canbao.ACTIONS.index("back_pay")]
    assert list(codes["groups"]) == [1 << 2, 1 << 7]
    everything = policy_004.recommend_batch(frame, AS_OF, keep=True)
    assert list(everything.columns)[4:] == list(frame.columns)
    with pytest.raises(canbao.ArgumentError, match="keep: no column 'town'") as e:
        policy_004.recommend_batch(frame, AS_OF, keep=["town"])
    assert e.value.path == "keep"
    # The dict API is unchanged; as_frame picks either for either input.
    as_dict = policy_004.recommend_batch(frame, AS_OF, as_frame=False, names=True)
    assert isinstance(as_dict, dict) and list(as_dict["scheme_name"]) == ["employee", "resident"]
    cols = {"sex": np.array([0, 1], np.uint8), "birth_date": ["1990-05-01", "1950-02-11"],
            "hukou_local": [True, True], "employment": ["platform_worker", "farmer"]}
    assert isinstance(policy_004.recommend_batch(cols, AS_OF), dict)
    framed = policy_004.recommend_batch(cols, AS_OF, as_frame=True)
    assert list(framed.index) == [0, 1] and list(framed["scheme"]) == ["employee", "resident"]
    with pytest.raises(canbao.ArgumentError) as e:
        policy_004.recommend_batch(frame, AS_OF, out={})
    assert e.value.path == "out"


def test_errors_name_row_and_column(policy_004):
    frame = pd.DataFrame({"sex": pd.Categorical(["male", "female", "female", "x", "male"]),
                          "birth_date": pd.to_datetime(["1990-01-01"] * 5)}, index=list("abcde"))
    with pytest.raises(canbao.InputError) as e:
        policy_004.recommend_batch(frame, AS_OF)
    assert (e.value.path, e.value.row) == ("columns.sex[3]", 3) and "unknown value 'x'" in str(e.value)
    frame["sex"] = ["male"] * 5
    frame["hukou_local"] = pd.array([True, True, None, True, True], dtype="boolean")
    with pytest.raises(canbao.InputError) as e:
        policy_004.recommend_batch(frame, AS_OF)
    assert (e.value.path, e.value.message) == ("columns.hukou_local[2]", "missing value")
    frame["hukou_local"] = True
    frame["employment"] = pd.Categorical(["farmer", None, "farmer", "farmer", "farmer"])
    with pytest.raises(canbao.InputError) as e:
        policy_004.recommend_batch(frame, AS_OF)
    assert (e.value.path, e.value.message) == ("columns.employment[1]", "missing value")
    frame["employment"] = "farmer"
    frame.loc["e", "birth_date"] = pd.NaT
    with pytest.raises(canbao.InputError) as e:
        policy_004.recommend_batch(frame, AS_OF)
    assert (e.value.path, e.value.message) == ("columns.birth_date[4]", "missing date")
    # sex and a birth column are still required.
    with pytest.raises(canbao.InputError) as e:
        policy_004.recommend_batch(frame.drop(columns=["sex"]), AS_OF)
    assert e.value.path == "columns.sex"
    with pytest.raises(canbao.InputError) as e:
        policy_004.recommend_batch(frame.drop(columns=["birth_date"]), AS_OF)
    assert e.value.path == "columns.birth_day"


DECLARED = SOURCE_DIR / "tests" / "data" / "policies" / "declared-facts.json"
# test_declared_facts.py's roster, answers worked by hand there (as of 2023-06-30).
FACTS_EXPECTED = {"w1": "none", "w2": "employee", "w3": "employee", "w4": "resident", "w5": "employee",
                  "w6": "none", "w7": "employee", "m1": "employee"}


def test_declared_facts_as_categories_and_nullable_columns():
    policy = canbao.Policy.from_file(DECLARED)
    raw = pd.read_csv(SOURCE_DIR / "tests" / "data" / "rosters" / "declared-facts.csv", dtype=str,
                      keep_default_na=False).set_index("id")
    frame = raw.drop(columns=["id_number", "name", "resident_grade_yuan", "flags"]).replace("", None)
    for key in ("sex", "insurance_status", "employment", "suspended_scheme", "retirement_category",
                "support_groups"):
        frame[key] = frame[key].astype("category")
    frame["hukou_local"] = frame["hukou_local"] == "true"
    frame["prior_contribution_years"] = pd.array([None if v is None else int(v)
                                                  for v in frame["prior_contribution_years"]], dtype="Int64")
    frame["veteran"] = pd.array([None if v is None else v == "true" for v in frame["veteran"]], dtype="boolean")
    frame["expropriated_on"] = pd.to_datetime(frame["expropriated_on"])
    got = policy.recommend_batch(frame, "2023-06-30", names=True, keep=["note"])
    assert list(got.index) == list(FACTS_EXPECTED)
    assert list(got["scheme"]) == list(FACTS_EXPECTED.values())
    assert got.loc["w7", "actions"] == "transfer_in;resume_payment" and got.loc["w7", "groups"] == "g2;g7"
    assert got.loc["m1", "groups"] == "g2" and got.loc["w1", "note"].startswith("工人")
    # A category of ids the declaration lacks names the fact and the row.
    frame["retirement_category"] = frame["retirement_category"].cat.add_categories(["farmer"])
    frame.loc["w5", "retirement_category"] = "farmer"
    with pytest.raises(canbao.InputError) as e:
        policy.recommend_batch(frame, "2023-06-30")
    assert e.value.path == "columns.retirement_category[4]"


EXTENDED = SOURCE_DIR / "tests" / "data" / "policies" / "extended-lists.json"


def test_extended_lists_as_categories():
    # test_builtin_values.py's persons p1-p6, answers worked by hand there (as of 2024-06-30).
    policy = canbao.Policy.from_file(EXTENDED)
    frame = pd.DataFrame({
        "sex": pd.Categorical(["男", "女", "男", "男", "男", "女"]),
        "birth_date": pd.to_datetime(["1980-05-01", "1980-03-10", "1990-01-01", "1985-07-07", "1950-01-01",
                                      "1995-01-01"]),
        "hukou_local": [True, True, False, True, True, True],
        "insurance_status": pd.Categorical(["none", "none", "none", "insured_abroad", "none", "none"]),
        "employment": pd.Categorical(["veteran", "farmer", "veteran", "other", "veteran", "student"]),
        "flags": pd.Categorical([None, "land_expropriated_2024", "dibao;land_expropriated_2024", None, None, ""]),
    }, index=[f"p{i}" for i in range(1, 7)])
    got = policy.recommend_batch(frame, "2024-06-30", names=True)
    assert list(got["scheme"]) == ["employee", "resident", "employee", "none", "none", "resident"]
    assert list(got["actions"]) == ["enroll_employee", "government_pays", "enroll_employee", "", "",
                                    "enroll_resident"]
    assert list(got["groups"]) == ["g1;g3", "g1;g2", "g2", "", "g1;g3", ""]


def test_over_64_rows_give_one_fired_rows_column_per_word(tmp_path):
    # declared-facts.json plus a collect table of 70 rows (test_declared_facts.py): row 8 + k
    # fires when prior_contribution_years >= k % 61, so 14 years fire rows 8..22 and 69..77
    # (k = 0..14 and 61..69), i.e. bits 8..22 and 5..13 of word 1 (rows 69..77 = 64 + 5..13).
    from test_declared_facts import many_rows_policy
    many = canbao.Policy.from_file(many_rows_policy(tmp_path))
    frame = pd.DataFrame({"sex": ["female", "male"], "birth_date": ["1970-03-15", "1980-01-01"],
                          "prior_contribution_years": pd.array([14, None], dtype="Int64")}, index=["x", "y"])
    got = many.recommend_batch(frame, "2023-06-30")
    assert list(got.columns) == ["scheme", "actions", "groups", "fired_rows_0", "fired_rows_1"]
    as_dict = many.recommend_batch(frame, "2023-06-30", as_frame=False)
    np.testing.assert_array_equal(got[["fired_rows_0", "fired_rows_1"]].to_numpy(), as_dict["fired_rows"])
    word0, word1 = int(got.loc["x", "fired_rows_0"]), int(got.loc["x", "fired_rows_1"])
    assert [r for r in range(8, 64) if word0 >> r & 1] == list(range(8, 23))
    assert [r for r in range(64) if word1 >> r & 1] == list(range(5, 14))
