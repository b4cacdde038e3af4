"""The analyst examples (issue 5 item 4) run on small data and print what is true.

Each script runs as a subprocess of /usr/bin/python3 in a temporary folder, with
the module found the way test_examples.py finds it; its printed figures are
checked against answers computed here independently (own patch application,
the policies' own payouts, canbao.compare on the same roster).
"""
import datetime
import decimal
import itertools
import json
import os
import struct
import subprocess

import numpy as np
import pandas as pd
import pytest

import canbao

PYTHON = "/usr/bin/python3"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def run(examples, cwd, name, *args):
    env = dict(os.environ)
    env["PYTHONPATH"] = os.path.dirname(os.path.dirname(canbao.__file__))
    env["MPLBACKEND"] = "Agg"
    done = subprocess.run([PYTHON, str(examples / "python" / name), *map(str, args)], capture_output=True,
                          text=True, env=env, cwd=cwd, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


def fen(text):
    """'-399.00' yuan -> -39900 fen, exactly."""
    value = decimal.Decimal(text) * 100
    assert value == value.to_integral_value(), text
    return int(value)


def merge_patch(target, patch):
    """RFC 7386, written here so the check does not reuse the script's code."""
    if not isinstance(patch, dict):
        return patch
    out = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            out.pop(key, None)
        else:
            out[key] = merge_patch(out.get(key), value)
    return out


def line_value(out, label):
    """The figure after 'label:' on its own line, e.g. 'p50: 5902.40 yuan' -> '5902.40'."""
    lines = [ln for ln in out.splitlines() if ln.startswith(label + ":")]
    assert len(lines) == 1, (label, out)
    return lines[0].split(":", 1)[1].split()[0]


# ---- (a) the first deadline two weeks earlier -----------------------------------------

def parse_payout_table(out):
    lines = out.splitlines()
    start = next(i for i, ln in enumerate(lines) if ln.split()[:2] == ["unit", "completed"])
    rows, total = {}, None
    for ln in lines[start + 1:]:
        cells = ln.split()
        if cells[0] == "total":
            total = tuple(fen(c) for c in cells[1:4])
            break
        rows[cells[0]] = {"before": fen(cells[4]), "after": fen(cells[5]), "delta": fen(cells[6])}
    assert total is not None, out
    return rows, total


@pytest.mark.parametrize("days", [14, 61])
def test_first_deadline_earlier(examples, tmp_path, policy_000, progress_000, days):
    out = run(examples, tmp_path, "reform_first_deadline.py", "--days", days)
    rows, (before, after, delta) = parse_payout_table(out)

    # The total change is the sum of the per-village changes, and an earlier tier-1
    # deadline can only move villages to a lower-paying tier: no delta is positive.
    assert delta == sum(r["delta"] for r in rows.values()) == after - before
    assert all(r["delta"] == r["after"] - r["before"] <= 0 for r in rows.values())
    assert delta <= 0

    # Independently: patch the canonical JSON here, evaluate both policies.
    doc = json.loads(policy_000.to_json())
    tiers = [dict(t) for t in doc["work_fund"]["tiers"]]
    tiers[0]["deadline"] = (datetime.date.fromisoformat(tiers[0]["deadline"]) - datetime.timedelta(days=days)).isoformat()
    reform = canbao.Policy.from_json(json.dumps(merge_patch(doc, {"work_fund": {"tiers": tiers}})))
    as_of = max(p["end"] for p in doc["campaign"]["phases"])
    base_pay = {p["unit_id"]: p["amount_fen"] for p in policy_000.payouts(progress_000, as_of)["payouts"]}
    reform_pay = {p["unit_id"]: p["amount_fen"] for p in reform.payouts(progress_000, as_of)["payouts"]}
    assert set(rows) == set(base_pay) == set(reform_pay)
    for unit, r in rows.items():
        assert (r["before"], r["after"]) == (base_pay[unit], reform_pay[unit]), unit
    assert delta == sum(reform_pay.values()) - sum(base_pay.values())
    assert f"reform {reform.fingerprint}" in out
    # By hand from examples/progress/000-xx-town-2021.csv: 红旗村 (1995 insured) and 新民村
    # (905) complete on 09-30, after a 09-16 deadline: tier 2, 20 fen less each, -58,000 fen.
    # 61 days earlier (07-31) also moves 东风村 (1234, complete 08-31): -24,680 fen more.
    expected = {14: {"hongqi": (199500, 159600), "xinmin": (90500, 72400)},
                61: {"dongfeng": (123400, 98720), "hongqi": (199500, 159600), "xinmin": (90500, 72400)}}[days]
    assert {u: (r["before"], r["after"]) for u, r in rows.items() if r["delta"]} == expected
    assert delta == {14: -58000, 61: -82680}[days]


def test_first_deadline_patch_is_the_bundled_one(examples, tmp_path, policy_000):
    """14 days before 2021-09-30 is the bundled example patch's 2021-09-16."""
    out = run(examples, tmp_path, "reform_first_deadline.py")
    with open(examples / "patches" / "000-first-deadline-two-weeks-earlier.merge.json", encoding="utf-8") as f:
        bundled = json.load(f)
    printed = json.loads(next(ln for ln in out.splitlines() if ln.startswith("patch: "))[len("patch: "):])
    assert printed == bundled
    reform = canbao.Policy.from_json(json.dumps(merge_patch(json.loads(policy_000.to_json()), bundled)))
    assert f"reform {reform.fingerprint}" in out


# ---- (b) the age rule 50/45 -----------------------------------------------------------

BANDS = {"0-15": (0, 15), "16-29": (16, 29), "30-39": (30, 39), "40-44": (40, 44), "45-49": (45, 49),
         "50-59": (50, 59), "60+": (60, 200)}


def ages_that_can_change(patch):
    """Per sex, the ages the 004 JSON Patch moves across the rule: for each
    `test sex` + `test age.le old` + `replace age.le new` group, old+1 .. new."""
    sex_of, old_of, ranges = {}, {}, {}
    for op in patch:
        row = op["path"].rsplit("/when/", 1)[0]
        if op["op"] == "test" and op["path"].endswith("/when/sex"):
            sex_of[row] = op["value"]
        elif op["op"] == "test" and op["path"].endswith("/when/age/le"):
            old_of[row] = op["value"]
        elif op["op"] == "replace":
            assert op["path"].endswith("/when/age/le"), op  # the patch changes nothing but age bounds
            assert op["value"] > old_of[row]                # it only widens them
            ranges.setdefault(sex_of[row], set()).add((old_of[row] + 1, op["value"]))
    return {sex: r.pop() for sex, r in ranges.items() if len(r) == 1}


def check_age_rule_run(out, table_csv, roster_csv, policy_004, examples):
    changed = int(line_value(out, "changed scheme"))
    table = pd.read_csv(table_csv, index_col=0)
    bands = table.drop(index="all")
    assert list(bands.index) == list(BANDS)
    # The table's cells add up to the people who changed scheme.
    assert int(bands[["female", "male"]].to_numpy().sum()) == changed == int(table.loc["all", "all"])

    # The claim "only ages 40-49 can change", read from the patch rather than assumed:
    # the rows it touches are first-hit rows whose age bound it widens, so a person's
    # first matching row can only change if their age lies in the widened part.
    with open(examples / "patches" / "004-age-rule-50-45.json", encoding="utf-8") as f:
        patch = json.load(f)
    can = ages_that_can_change(patch)
    assert can == {"male": (45, 49), "female": (40, 44)}
    for band, (lo, hi) in BANDS.items():
        for sex in ("female", "male"):
            if hi < can[sex][0] or lo > can[sex][1]:
                assert table.loc[band, sex] == 0, (band, sex)

    # Independently: canbao.compare on the same roster (C++ patch, roster reader, ages).
    c = canbao.compare(policy_004, patch=examples / "patches" / "004-age-rule-50-45.json", roster=roster_csv,
                       as_of="2023-06-30", samples=100000)
    people = pd.DataFrame(c["samples"])
    moved = people[people["scheme_before"] != people["scheme_after"]]
    tr = pd.DataFrame(c["transitions"])
    assert int(tr.loc[tr["scheme_before"] != tr["scheme_after"], "count"].sum()) == changed == len(moved)
    for sex, (lo, hi) in can.items():
        ages = moved.loc[moved["sex"] == sex, "age"]
        assert ages.between(lo, hi).all(), (sex, sorted(set(ages)))
    assert moved["age"].between(40, 49).all()
    for band, (lo, hi) in BANDS.items():
        for sex in ("female", "male"):
            n = int(((moved["sex"] == sex) & moved["age"].between(lo, hi)).sum())
            assert table.loc[band, sex] == n, (band, sex)
    return changed


def test_age_rule_synthetic_roster(examples, tmp_path, policy_004):
    out = run(examples, tmp_path, "reform_age_rule.py", "--persons", 3000, "--seed", 7,
              "--table-csv", "table.csv", "--write-roster", "roster.csv")
    assert int(line_value(out, "persons")) == 3000
    assert len(pd.read_csv(tmp_path / "roster.csv")) == 3000
    changed = check_age_rule_run(out, tmp_path / "table.csv", tmp_path / "roster.csv", policy_004, examples)
    assert changed > 0  # the synthetic roster does exercise the reform


def test_age_rule_roster_csv(examples, tmp_path, policy_004):
    roster = examples / "rosters" / "004-sample.csv"
    out = run(examples, tmp_path, "reform_age_rule.py", "--roster", roster, "--table-csv", "table.csv")
    assert int(line_value(out, "persons")) == 30
    # By hand, as of 2023-06-30: p02 (local uninsured woman born 1982-01-01, 41) and p08
    # (local uninsured man born 1978-06-30, exactly 45) move resident -> employee; no one
    # else of the 30 is a local uninsured man of 45-49 or woman of 40-44.
    assert check_age_rule_run(out, tmp_path / "table.csv", roster, policy_004, examples) == 2
    table = pd.read_csv(tmp_path / "table.csv", index_col=0)
    assert (table.loc["40-44", "female"], table.loc["45-49", "male"]) == (1, 1)


# ---- (c) Monte Carlo of the work-fund bill --------------------------------------------

def possible_bills(policy, progress):
    """Every bill a trial can produce: each village that completes at all is paid
    in one of the tiers or nothing, on its basis (a shift does not change it)."""
    doc = json.loads(policy.to_json())
    rates = [t["per_person_fen"] for t in doc["work_fund"]["tiers"]] + [0]
    assert doc["work_fund"]["late"]["rule"] == "zero"
    bases = [p["basis"] for p in policy.payouts(progress, "2021-12-31")["payouts"] if p["completed_on"]]
    return {sum(b * r for b, r in zip(bases, choice)) for choice in itertools.product(rates, repeat=len(bases))}, \
        sum(b * rates[0] for b in bases)


def run_monte_carlo(examples, folder, seed):
    folder.mkdir()
    out = run(examples, folder, "monte_carlo_work_fund.py", "--trials", 40, "--seed", seed, "--csv", "bills.csv")
    return out, (folder / "work_fund_bill.png").read_bytes(), pd.read_csv(folder / "bills.csv")  # default --out


@pytest.fixture(scope="module")
def monte_carlo_11(examples, tmp_path_factory):
    """One run of 40 trials with seed 11 (each run is a few seconds on a loaded machine)."""
    return run_monte_carlo(examples, tmp_path_factory.mktemp("mc") / "seed11", 11)


def test_monte_carlo_png(monte_carlo_11):
    png = monte_carlo_11[1]
    # A real PNG: signature, an IHDR chunk with a sensible size, more than a blank image.
    assert png[:8] == PNG_MAGIC and png[12:16] == b"IHDR"
    width, height = struct.unpack(">II", png[16:24])
    assert (width, height) == (800, 450)  # figsize (8, 4.5) at 100 dpi in the script
    assert len(png) > 5000  # more than a blank canvas


def test_monte_carlo_bills(monte_carlo_11, policy_000, progress_000):
    out, _, bills = monte_carlo_11
    # Every bill is whole fen, within [0, all villages in tier 1], and one of the sums
    # the tiers allow.
    allowed, maximum = possible_bills(policy_000, progress_000)
    values = bills["bill_fen"]
    assert values.dtype.kind == "i" and len(values) == 40 and list(bills["trial"]) == list(range(1, 41))
    assert ((values >= 0) & (values <= maximum)).all()
    assert set(values) <= allowed
    assert fen(line_value(out, "maximum possible bill")) == maximum
    assert fen(line_value(out, "observed bill")) == policy_000.payouts(progress_000, "2021-12-31")["total_fen"]
    assert values.nunique() > 1  # the dates do move

    # The printed statistics are those of the bills.
    v = np.sort(values.to_numpy())
    n = len(v)
    for q in (5, 50, 95):
        assert fen(line_value(out, f"p{q}")) == int(v[int(np.ceil(q / 100 * n)) - 1])  # inverted CDF
    assert abs(fen(line_value(out, "mean")) - v.sum() / n) <= 0.5


def test_monte_carlo_same_seed_same_numbers(examples, tmp_path, monte_carlo_11):
    out, png, bills = run_monte_carlo(examples, tmp_path / "again", 11)
    assert out == monte_carlo_11[0]
    assert bills["bill_fen"].tolist() == monte_carlo_11[2]["bill_fen"].tolist()


def test_monte_carlo_other_seed_other_numbers(examples, tmp_path, monte_carlo_11):
    _, _, bills = run_monte_carlo(examples, tmp_path / "seed12", 12)
    assert bills["bill_fen"].tolist() != monte_carlo_11[2]["bill_fen"].tolist()


def test_monte_carlo_without_spread_is_the_observed_bill(examples, tmp_path, policy_000, progress_000):
    out = run(examples, tmp_path, "monte_carlo_work_fund.py", "--trials", 3, "--spread-days", 0,
              "--csv", "bills.csv", "--out", "zero.png")
    observed = policy_000.payouts(progress_000, "2021-12-31")["total_fen"]
    assert pd.read_csv(tmp_path / "bills.csv")["bill_fen"].tolist() == [observed] * 3
    assert fen(line_value(out, "p5")) == fen(line_value(out, "p95")) == observed
    assert (tmp_path / "zero.png").read_bytes()[:8] == PNG_MAGIC
    # Without a shift every trial pays each village its observed tier (000 五(一), by hand
    # from the progress CSV): 东风 08-31, 红旗 and 新民 09-30 -> tier 1; 和平 10-15 -> tier 2;
    # 光明 10-31, 团结 11-30 -> tier 3; 胜利 12-31 (late) and 向阳 (never) -> none.
    lines = out.splitlines()
    start = lines.index("share of trials per tier (none: late or never complete, paid 0):") + 1
    assert lines[start].split() == ["observed", "tier1", "tier2", "tier3", "none", "village"]
    shares = {cells[0]: [float(c) for c in cells[2:6]] for cells in (ln.split() for ln in lines[start + 1:start + 9])}
    one_hot = {1: [1, 0, 0, 0], 2: [0, 1, 0, 0], 3: [0, 0, 1, 0], None: [0, 0, 0, 1]}
    assert shares == {"dongfeng": one_hot[1], "hongqi": one_hot[1], "xinmin": one_hot[1], "heping": one_hot[2],
                      "guangming": one_hot[3], "tuanjie": one_hot[3], "shengli": one_hot[None],
                      "xiangyang": one_hot[None]}
