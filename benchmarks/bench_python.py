"""Python batch recommendation vs the C++ batch, and vs the same rules written
with plain numpy (by hand with np.select, and a generic interpreter of the
policy's tables), on the same 10 million synthetic persons (004 policy); and
recommend_batch on DataFrames of category and of object-text columns against
the numpy-column path (issue 14: the category frame within 2x of it).

    PYTHONPATH=build/python CANBAO_LIBRARY=build/libcanbao.so \
        /usr/bin/python3 benchmarks/bench_python.py [--persons 10000000] [--repeat 5]

Issue 15's doors: ``--door names --persons 1000000`` (a frame of names and
datetime64 against the analyst's pandas Series.map + np.select in the same run),
``--door roster --roster-csv FILE`` (canbao.read_roster against pandas.read_csv),
``--door frame-op --roster-csv FILE`` (costs(roster=) of a frame against of the path).

Timings are the best of --repeat runs (the machine is shared and noisy:
compare ratios). The numpy version is checked to give the same answers.
"""
import argparse
import ctypes
import datetime
import json
import os
import pathlib
import resource
import sys
import time

import numpy as np
import pandas as pd

import canbao

ROOT = pathlib.Path(__file__).resolve().parents[1]
POLICY = ROOT / "examples" / "policies" / "004-shiyan-2023.json"
AS_OF = datetime.date(2023, 6, 30)
EPOCH = datetime.date(1970, 1, 1)


def synthetic(n, seed=42):
    rng = np.random.default_rng(seed)
    lo = (datetime.date(1930, 1, 1) - EPOCH).days
    hi = (AS_OF - EPOCH).days
    status = rng.integers(0, 7, n, dtype=np.uint8)
    flags = np.where(rng.integers(0, 16, n) == 0, np.left_shift(1, rng.integers(0, 6, n)), 0).astype(np.uint8)
    return {
        "sex": rng.integers(0, 2, n, dtype=np.uint8),
        "birth_day": rng.integers(lo, hi, n, dtype=np.int32),
        "hukou_local": (rng.integers(0, 8, n) != 0).astype(np.uint8),
        "insurance_status": status,
        "employment": rng.integers(0, 9, n, dtype=np.uint8),
        "resident_grade_yuan": np.where(status == 1, 100 * rng.integers(1, 31, n), 0).astype(np.uint16),
        "flags": flags,
    }


def category_frame(cols):
    """The roster as canbao.read_roster's frame types: sex, insurance_status and
    employment categories (categories in code order), hukou_local bool,
    birth_date datetime64[ns], grade uint16, flags uint8."""
    def cat(name, table):
        return pd.Categorical.from_codes(cols[name].view(np.int8), categories=list(table))
    return pd.DataFrame({
        "sex": cat("sex", ("male", "female")),
        "birth_date": cols["birth_day"].astype("datetime64[D]").astype("datetime64[ns]"),
        "hukou_local": cols["hukou_local"].view(bool),
        "insurance_status": cat("insurance_status", canbao.INSURANCE_STATUSES),
        "employment": cat("employment", canbao.EMPLOYMENTS),
        "resident_grade_yuan": cols["resident_grade_yuan"],
        "flags": cols["flags"],
    })


def string_frame(cols):
    """The same roster with sex (男/女), insurance_status and employment as text in object columns."""
    frame = category_frame(cols)
    frame["sex"] = np.array(["男", "女"], dtype=object)[cols["sex"]]
    for name, table in (("insurance_status", canbao.INSURANCE_STATUSES), ("employment", canbao.EMPLOYMENTS)):
        frame[name] = np.array(table, dtype=object)[cols[name]]
    return frame


def codes_of(column):
    """A result column as codes: a frame's scheme category gives its codes."""
    if hasattr(column, "cat"):
        return column.cat.codes.to_numpy()
    return np.asarray(column)


def best(fn, repeat):
    times = []
    result = None
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return min(times), result


# ---- the C++ batch through the C ABI (no Python work per call) ---------------------

class CColumns(ctypes.Structure):
    _fields_ = [("abi_version", ctypes.c_uint), ("count", ctypes.c_size_t)] + [
        (name, ctypes.c_void_p) for name in
        ("sex", "birth_day", "hukou_local", "insurance_status", "employment", "resident_grade_yuan", "flags")]


class COut(ctypes.Structure):
    _fields_ = [("abi_version", ctypes.c_uint)] + [
        (name, ctypes.c_void_p) for name in ("scheme", "actions", "groups", "fired_rows")]


def c_batch(library, cols, n, fired_rows=True):
    lib = ctypes.CDLL(library)
    lib.canbao_policy_from_file.argtypes = [ctypes.c_char_p, ctypes.POINTER(ctypes.c_void_p)]
    lib.canbao_recommend_columns.argtypes = [ctypes.c_void_p, ctypes.c_int32, ctypes.POINTER(CColumns),
                                             ctypes.POINTER(COut)]
    policy = ctypes.c_void_p()
    assert lib.canbao_policy_from_file(str(POLICY).encode(), ctypes.byref(policy)) == 0
    outs = {k: np.empty(n, np.uint8) for k in ("scheme", "actions", "groups")}
    outs["fired_rows"] = np.empty(n, np.uint64)
    cin = CColumns(lib.canbao_abi_version(), n, *(cols[k].ctypes.data for k in (
        "sex", "birth_day", "hukou_local", "insurance_status", "employment", "resident_grade_yuan", "flags")))
    cout = COut(lib.canbao_abi_version(), *(outs[k].ctypes.data for k in ("scheme", "actions", "groups", "fired_rows")))
    if not fired_rows:  # fired_rows may be NULL (ratio_batch.py: what fired_rows costs)
        cout.fired_rows = None
    as_of = (AS_OF - EPOCH).days

    def run():
        assert lib.canbao_recommend_columns(policy, as_of, ctypes.byref(cin), ctypes.byref(cout)) == 0
        return outs
    return run


class CNamedColumn(ctypes.Structure):
    _fields_ = [("name", ctypes.c_char_p), ("type", ctypes.c_uint32), ("data", ctypes.c_void_p)]


class CTableInput(ctypes.Structure):
    _fields_ = [("struct_size", ctypes.c_size_t), ("count", ctypes.c_size_t),
                ("columns", ctypes.POINTER(CNamedColumn)), ("column_count", ctypes.c_size_t)]


class CTableOutput(ctypes.Structure):
    _fields_ = [("struct_size", ctypes.c_size_t), ("scheme", ctypes.c_void_p), ("actions", ctypes.c_void_p),
                ("groups", ctypes.c_void_p), ("fired_rows", ctypes.c_void_p), ("fired_row_words", ctypes.c_size_t),
                ("fired_set", ctypes.c_void_p)]


def c_table(library, cols, n, fired=None):
    """canbao_recommend_table over the synthetic columns; fired: None, "rows"
    or "set" (the narrow fired_set column, issue 15). Returns run() -> outputs
    (with "fired_sets", the numbered sets, for "set")."""
    lib = ctypes.CDLL(library)
    lib.canbao_policy_from_file.argtypes = [ctypes.c_char_p, ctypes.POINTER(ctypes.c_void_p)]
    lib.canbao_recommend_table.argtypes = [ctypes.c_void_p, ctypes.c_int32, ctypes.POINTER(CTableInput),
                                           ctypes.POINTER(CTableOutput)]
    lib.canbao_policy_fired_set_count.argtypes = [ctypes.c_void_p, ctypes.c_int32, ctypes.POINTER(ctypes.c_size_t)]
    lib.canbao_policy_fired_set.argtypes = [ctypes.c_void_p, ctypes.c_int32, ctypes.c_size_t,
                                            ctypes.POINTER(ctypes.c_uint64), ctypes.c_size_t]
    policy = ctypes.c_void_p()
    assert lib.canbao_policy_from_file(str(POLICY).encode(), ctypes.byref(policy)) == 0
    as_of = (AS_OF - EPOCH).days
    types = {"sex": 1, "birth_day": 3, "hukou_local": 1, "insurance_status": 1, "employment": 1,
             "resident_grade_yuan": 2, "flags": 1}
    named = (CNamedColumn * len(types))(*(CNamedColumn(k.encode(), t, cols[k].ctypes.data)
                                          for k, t in types.items()))
    cin = CTableInput(ctypes.sizeof(CTableInput), n, named, len(types))
    outs = {k: np.empty(n, np.uint8) for k in ("scheme", "actions", "groups")}
    cout = CTableOutput(ctypes.sizeof(CTableOutput), outs["scheme"].ctypes.data, outs["actions"].ctypes.data,
                        outs["groups"].ctypes.data, None, 1, None)
    if fired == "rows":
        outs["fired_rows"] = np.empty(n, np.uint64)
        cout.fired_rows = outs["fired_rows"].ctypes.data
    elif fired == "set":
        outs["fired_set"] = np.empty(n, np.uint8)
        cout.fired_set = outs["fired_set"].ctypes.data
        count = ctypes.c_size_t()
        assert lib.canbao_policy_fired_set_count(policy, as_of, ctypes.byref(count)) == 0
        sets = np.empty(count.value, np.uint64)
        for k in range(count.value):
            word = ctypes.c_uint64()
            assert lib.canbao_policy_fired_set(policy, as_of, k, ctypes.byref(word), 1) == 0
            sets[k] = word.value
        outs["fired_sets"] = sets

    def run():
        assert lib.canbao_recommend_table(policy, as_of, ctypes.byref(cin), ctypes.byref(cout)) == 0
        return outs
    run.keep = (named, cin, cout)  # the structs live as long as run
    return run


# ---- the same rules in plain numpy ---------------------------------------------------

def numpy_rules(policy_json):
    """Evaluates the policy's decision tables with vectorised numpy masks."""
    tables = policy_json["recommendation"]["tables"]
    codes = {"insurance_status": canbao.INSURANCE_STATUSES, "employment": canbao.EMPLOYMENTS}
    flag_bit = {name: 1 << i for i, name in enumerate(canbao.FLAGS)}
    action_bit = {name: 1 << i for i, name in enumerate(canbao.ACTIONS)}
    # Declared facts (docs/facts.md): a column of codes when given, else the default.
    declared = {f["id"]: f for f in policy_json.get("facts", [])}

    def fact_codes(f, cols, n):
        if f["id"] in cols:
            return cols[f["id"]]
        ids = [v["id"] for v in f.get("values", [])]
        d = f["default"]
        code = {"boolean": lambda: int(d), "integer": lambda: d,
                "enumeration": lambda: ids.index(d),
                "flags": lambda: sum(1 << ids.index(x) for x in d)}[f["type"]]()
        return np.full(n, code, dtype=np.int32)

    def fact_test(f, value, x):
        ids = [v["id"] for v in f.get("values", [])]
        if f["type"] == "boolean":
            return x == int(value)
        if f["type"] == "enumeration":
            return np.isin(x, [ids.index(v) for v in value])
        if f["type"] == "flags":
            m = np.ones(len(x), dtype=bool)
            if "any" in value:
                m &= (x & sum(1 << ids.index(v) for v in value["any"])) != 0
            if "none" in value:
                m &= (x & sum(1 << ids.index(v) for v in value["none"])) == 0
            return m
        m = np.ones(len(x), dtype=bool)
        for op, bound in value.items():
            m &= {"lt": x < bound, "le": x <= bound, "gt": x > bound, "ge": x >= bound, "eq": x == bound}[op]
        return m

    def condition(when, cols, age):
        mask = np.ones(len(age), dtype=bool)
        for key, value in when.items():
            if key == "sex":
                mask &= cols["sex"] == (0 if value == "male" else 1)
            elif key == "hukou_local":
                mask &= cols["hukou_local"] == int(value)
            elif key in codes:
                mask &= np.isin(cols[key], [codes[key].index(v) for v in value])
            elif key in ("flags_any", "flags_none"):
                bits = sum(flag_bit[f] for f in value)
                hit = (cols["flags"] & bits) != 0
                mask &= hit if key == "flags_any" else ~hit
            elif key in ("age", "resident_grade_yuan"):
                x = age if key == "age" else cols[key]
                for op, bound in value.items():
                    mask &= {"lt": x < bound, "le": x <= bound, "gt": x > bound, "ge": x >= bound}[op]
            elif key in declared:
                mask &= fact_test(declared[key], value, fact_codes(declared[key], cols, len(age)))
            else:
                raise NotImplementedError(key)
        return mask

    def run(cols):
        n = len(cols["sex"])
        birth = cols["birth_day"].astype("datetime64[D]")
        years = birth.astype("datetime64[Y]")
        by = years.astype(np.int64) + 1970
        bm = (birth.astype("datetime64[M]") - years).astype(np.int64) + 1
        bd = (birth - birth.astype("datetime64[M]")).astype(np.int64) + 1
        age = AS_OF.year - by - ((bm > AS_OF.month) | ((bm == AS_OF.month) & (bd > AS_OF.day)))
        scheme = np.zeros(n, np.uint8)
        actions = np.zeros(n, np.uint8)
        groups = np.zeros(n, np.uint8)
        for table in tables:
            applies = condition(table.get("when", {}), cols, age)
            fired_any = np.zeros(n, dtype=bool)
            rows = list(table["rows"])
            for row in rows:
                m = applies & condition(row.get("when", {}), cols, age)
                if table.get("hit", "first") == "first":
                    m &= ~fired_any
                apply_outcome(row["then"], m, scheme, actions, groups, action_bit)
                fired_any |= m
            if "otherwise" in table:
                m = applies & ~fired_any & condition(table["otherwise"].get("when", {}), cols, age)
                apply_outcome(table["otherwise"]["then"], m, scheme, actions, groups, action_bit)
        return {"scheme": scheme, "actions": actions, "groups": groups}
    return run


def numpy_select_004(cols, as_of):
    """The 004 rules as an analyst writes them by hand in numpy: each row a
    boolean array (ages as born-on-or-before cut-off days), np.select for the
    first hit. The issue's "plain numpy np.select" baseline."""
    S = {name: i for i, name in enumerate(canbao.INSURANCE_STATUSES)}
    E = {name: i for i, name in enumerate(canbao.EMPLOYMENTS)}
    F = {name: 1 << i for i, name in enumerate(canbao.FLAGS)}
    A = {name: 1 << i for i, name in enumerate(canbao.ACTIONS)}
    NONE, EMPLOYEE, RESIDENT = (canbao.SCHEMES.index(s) for s in ("none", "employee", "resident"))

    def born_by(years):  # aged `years` or more on as_of <=> born on or before this day
        try:
            day = as_of.replace(year=as_of.year - years)
        except ValueError:  # as_of is 29 February
            day = as_of.replace(year=as_of.year - years, day=28)
        return (day - EPOCH).days

    birth, st, em, fl = cols["birth_day"], cols["insurance_status"], cols["employment"], cols["flags"]
    local = cols["hukou_local"] == 1
    grade = cols["resident_grade_yuan"]
    under16 = birth > born_by(16)
    aged60 = birth <= born_by(60)
    young = np.where(cols["sex"] == 0, birth > born_by(45), birth > born_by(40))  # men < 45, women < 40
    hardship = (fl & (F["dibao"] | F["tekun"] | F["severe_disability"])) != 0
    none = st == S["none"]
    paying = st == S["resident_paying"]
    suspended = st == S["resident_suspended"]
    resident = paying | suspended
    elsewhere = st == S["insured_elsewhere_suspended"]
    flexible = (em == E["platform_worker"]) | (em == E["licensed_freelancer"])
    high_grade = paying & (grade > 1000)
    transfer = A["transfer_in"] | A["resume_payment"]
    employee_susp = st == S["employee_suspended"]
    rows = [  # (condition, scheme, actions), in the policy's order
        (st == S["receiving_pension"], NONE, 0),
        (st == S["employee_paying"], EMPLOYEE, 0),
        (em == E["student"], NONE, 0),
        (under16, NONE, 0),
        (none & local & aged60, RESIDENT, A["enroll_resident"] | A["back_pay"]),
        (suspended & aged60, RESIDENT, 0),  # no one over 60 is told to resume
        (employee_susp & aged60, EMPLOYEE, 0),
        (elsewhere & aged60, NONE, 0),
        (hardship & none & local & ~aged60, RESIDENT, A["enroll_resident"] | A["government_pays"]),
        (hardship & resident & local & ~aged60, RESIDENT, A["government_pays"]),
        (young & high_grade, EMPLOYEE, A["convert_to_employee"]),
        (flexible & none & ~aged60, EMPLOYEE, A["enroll_employee"]),
        (flexible & resident & ~aged60, EMPLOYEE, A["convert_to_employee"]),
        ((em == E["employer"]) & none & ~aged60, EMPLOYEE, A["enroll_employee"]),
        (young & elsewhere & local, EMPLOYEE, transfer),
        (elsewhere & local, RESIDENT, transfer),
        (young & (none | elsewhere), EMPLOYEE, A["enroll_employee"]),
        ((none | elsewhere) & ~local, RESIDENT, 0),  # joins where the hukou is: nothing to do here
        (none | elsewhere, RESIDENT, A["enroll_resident"]),
        (employee_susp, EMPLOYEE, A["resume_payment"]),
        (suspended, RESIDENT, A["resume_payment"]),
        (paying & (grade <= 1000), RESIDENT, A["raise_grade"]),
        (paying, RESIDENT, 0),
    ]
    conds = [c for c, _, _ in rows]
    scheme = np.select(conds, [s for _, s, _ in rows], default=0).astype(np.uint8)
    actions = np.select(conds, [a for _, _, a in rows], default=0).astype(np.uint8)
    # Priority groups: collect every group whose row holds, g8 when none does
    # (for the uninsured); g2 and g6 only for the uninsured (004 二).
    applies = (none | resident | employee_susp | elsewhere) & ~under16 & (em != E["student"])
    g = (((em == E["individual_business"]) | (em == E["employer"])) & none) * 1
    g |= ((((fl & (F["land_expropriated"] | F["village_cadre"])) != 0) | (em == E["public_sector"])) & none) * 2
    g |= (em == E["platform_worker"]) * 4 | (em == E["licensed_freelancer"]) * 8
    g |= high_grade * 16 | (hardship & none) * 32 | (elsewhere & local) * 64
    groups = np.where(applies, np.where(g == 0, none * 128, g), 0).astype(np.uint8)
    return {"scheme": scheme, "actions": actions, "groups": groups}


def apply_outcome(then, mask, scheme, actions, groups, action_bit):
    if "scheme" in then:
        scheme[mask] = canbao.SCHEMES.index(then["scheme"])
    if then.get("actions"):
        actions[mask] |= sum(action_bit[a] for a in then["actions"])
    if then.get("groups"):
        groups[mask] |= sum(1 << (int(g[1:]) - 1) for g in then["groups"])


# ---- issue 15: the names-and-datetimes door, read_roster, a frame to a JSON op ----------

def names_frame(cols):
    """The roster as analysts often hold it (issue 15's door): sex as "male" / "女" text,
    insurance_status and employment names in object columns, birth_date datetime64[ns]."""
    frame = category_frame(cols)
    frame["sex"] = np.array(["male", "女"], dtype=object)[cols["sex"]]
    for name, table in (("insurance_status", canbao.INSURANCE_STATUSES), ("employment", canbao.EMPLOYMENTS)):
        frame[name] = np.array(table, dtype=object)[cols[name]]
    return frame


def pandas_select(frame, as_of):
    """The analyst's own pandas script on that frame: names to codes with Series.map,
    dates to day numbers, then the 004 rules by hand with np.select."""
    cols = {"sex": frame["sex"].map({"male": 0, "男": 0, "female": 1, "女": 1}).to_numpy(np.uint8),
            "birth_day": frame["birth_date"].to_numpy().astype("datetime64[D]").astype(np.int32),
            "hukou_local": frame["hukou_local"].to_numpy(np.uint8),
            "insurance_status": frame["insurance_status"].map(
                {s: i for i, s in enumerate(canbao.INSURANCE_STATUSES)}).to_numpy(np.uint8),
            "employment": frame["employment"].map({e: i for i, e in enumerate(canbao.EMPLOYMENTS)}).to_numpy(np.uint8),
            "resident_grade_yuan": frame["resident_grade_yuan"].to_numpy(),
            "flags": frame["flags"].to_numpy()}
    return numpy_select_004(cols, as_of)


def timings(fn, repeat):
    """(min, median) seconds of `repeat` runs."""
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times), sorted(times)[len(times) // 2]


def names_door(n, repeat):
    cols = synthetic(n)
    policy = canbao.Policy.from_file(POLICY)
    frame = names_frame(cols)
    got = policy.recommend_batch(frame, AS_OF)
    want = pandas_select(frame, AS_OF)
    for key in ("scheme", "actions", "groups"):
        assert np.array_equal(codes_of(got[key]), want[key]), key
    rows = [("recommend_batch(names + datetime64 frame)", lambda: policy.recommend_batch(frame, AS_OF)),
            ("pandas Series.map + np.select (same frame)", lambda: pandas_select(frame, AS_OF))]
    for column in ("sex", "insurance_status", "employment", "birth_date"):  # each column's mapping alone
        one = frame[["sex", "birth_date"]] if column in ("sex", "birth_date") else frame[[column, "sex", "birth_date"]]
        rows.append((f"  mapping {column} (+ sex, birth_date)", lambda one=one: policy.recommend_batch(one, AS_OF)))
    print(f"{n:,} persons, policy 004, {repeat} runs, load average {os.getloadavg()[0]:.1f}; identical answers")
    print(f"{'path':<48}{'min s':>8}{'median s':>10}{'vs np.select':>14}")
    results = [(name, timings(fn, repeat)) for name, fn in rows]
    base = results[1][1][0]
    for name, (lo, mid) in results:
        print(f"{name:<48}{lo:>8.3f}{mid:>10.3f}{lo / base:>13.2f}x")


def cpu_seconds():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def roster_door(path, repeat):
    """canbao.read_roster against pandas.read_csv of the same file (rows per CPU second:
    the machine is shared, CPU time is steadier than wall time)."""
    n = sum(1 for _ in open(path, "rb")) - 1
    print(f"{path}: {n:,} rows, {repeat} runs, load average {os.getloadavg()[0]:.1f}")
    print(f"{'reader':<40}{'min cpu s':>10}{'min wall s':>11}{'k rows/cpu s':>14}")
    for name, fn in (("canbao.read_roster(path)", lambda: canbao.read_roster(path)),
                     ("pandas.read_csv(path, dtype=str ids)", lambda: pd.read_csv(path, dtype={"id_number": str}))):
        cpu, wall = [], []
        for _ in range(repeat):
            c, t = cpu_seconds(), time.perf_counter()
            fn()
            cpu.append(cpu_seconds() - c)
            wall.append(time.perf_counter() - t)
        print(f"{name:<40}{min(cpu):>10.2f}{min(wall):>11.2f}{n / min(cpu) / 1e3:>14.0f}")


def frame_op_door(path, repeat):
    """costs(roster=) given a read_roster frame against the same roster given as its CSV path."""
    policy = canbao.Policy.from_file(POLICY)
    frame = canbao.read_roster(path, policy)
    assert policy.costs("2023-06-30", roster=frame) == policy.costs("2023-06-30", roster=path)
    print(f"{path}: {len(frame):,} rows, {repeat} runs, load average {os.getloadavg()[0]:.1f}; identical answers")
    for name, fn in (("costs(roster=read_roster frame)", lambda: policy.costs("2023-06-30", roster=frame)),
                     ("costs(roster=CSV path)", lambda: policy.costs("2023-06-30", roster=path))):
        cpu = []
        for _ in range(repeat):
            c = cpu_seconds()
            fn()
            cpu.append(cpu_seconds() - c)
        print(f"{name:<40}{min(cpu):>10.2f} cpu s (min)")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=10_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--library", default=os.environ.get("CANBAO_LIBRARY", str(ROOT / "build" / "libcanbao.so")))
    parser.add_argument("--door", choices=("batch", "names", "roster", "frame-op"), default="batch",
                        help="names: issue 15's names-and-datetimes frame (use --persons 1000000); "
                             "roster: read_roster vs pandas.read_csv of --roster-csv")
    parser.add_argument("--roster-csv", help="a roster CSV (scripts/make_roster.py --rows 1000000)")
    args = parser.parse_args()
    if args.door == "names":
        names_door(args.persons, args.repeat)
        return 0
    if args.door == "roster":
        roster_door(args.roster_csv, args.repeat)
        return 0
    if args.door == "frame-op":
        frame_op_door(args.roster_csv, args.repeat)
        return 0
    n = args.persons
    cols = synthetic(n)
    policy = canbao.Policy.from_file(POLICY)

    t_c, c_out = best(c_batch(args.library, cols, n), args.repeat)
    t_py, py_out = best(lambda: policy.recommend_batch(cols, AS_OF), args.repeat)
    # Like the C++ row: outputs allocated once and reused (numpy's out= idiom).
    reuse = {k: np.empty(n, np.uint8) for k in ("scheme", "actions", "groups")}
    reuse["fired_rows"] = np.empty(n, np.uint64)
    t_out, out_out = best(lambda: policy.recommend_batch(cols, AS_OF, out=reuse), args.repeat)
    frame = pd.DataFrame(cols)
    t_df, df_out = best(lambda: policy.recommend_batch(frame, AS_OF), args.repeat)
    # A DataFrame as canbao.read_roster gives it: categories in code order, bool, datetime64[ns].
    cat_frame = category_frame(cols)
    t_cat, cat_out = best(lambda: policy.recommend_batch(cat_frame, AS_OF), args.repeat)
    # The same as analysts often hold it: text in object columns (factorized once per call).
    str_frame = string_frame(cols)
    t_str, str_out = best(lambda: policy.recommend_batch(str_frame, AS_OF), max(1, min(args.repeat, 2)))
    str_frame = None  # 10 M Python strings: free them before the numpy baselines
    rules = numpy_rules(json.loads(POLICY.read_text(encoding="utf-8")))
    t_np, np_out = best(lambda: rules(cols), max(1, min(args.repeat, 3)))
    t_sel, sel_out = best(lambda: numpy_select_004(cols, AS_OF), args.repeat)

    for key in ("scheme", "actions", "groups"):
        assert np.array_equal(py_out[key], c_out[key]), key
        assert np.array_equal(out_out[key], c_out[key]), key
        for frame_out in (df_out, cat_out, str_out):
            assert np.array_equal(codes_of(frame_out[key]), c_out[key]), key
        assert np.array_equal(np_out[key], c_out[key]), f"numpy rules disagree on {key}"
        assert np.array_equal(sel_out[key], c_out[key]), f"np.select rules disagree on {key}"

    print(f"{n:,} persons, policy 004, best of {args.repeat}; all paths give identical answers")
    print(f"{'path':<48}{'seconds':>9}{'M persons/s':>13}{'vs C++':>8}{'vs numpy cols':>15}")
    for name, t in (("C++ batch (C ABI canbao_recommend_columns)", t_c),
                    ("Python recommend_batch(dict, out=reused)", t_out),
                    ("Python Policy.recommend_batch(dict of numpy)", t_py),
                    ("Python recommend_batch(DataFrame, numeric)", t_df),
                    ("Python recommend_batch(DataFrame, category)", t_cat),
                    ("Python recommend_batch(DataFrame, object text)", t_str),
                    ("004 rules by hand with np.select", t_sel),
                    ("policy tables interpreted in plain numpy", t_np)):
        print(f"{name:<48}{t:>9.3f}{n / t / 1e6:>13.1f}{t / t_c:>7.2f}x{t / t_py:>14.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
