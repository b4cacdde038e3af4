"""Policy as a Python object: pickling, copies, equality, Jupyter display, help() and the .pyi."""

import ast
import copy
import inspect
import multiprocessing
import pathlib
import pickle

import pytest

import canbao
from canbao import _objects

# 004's age rule: men under 45 on the as-of day are steered to the employee scheme,
# 45 and over to the resident scheme (the same cut as test_recommend.py).
PERSONS = [
    {"sex": "male", "birth_date": "1978-07-01", "hukou_local": True},  # 44 on 2023-06-30: employee
    {"sex": "male", "birth_date": "1978-06-30", "hukou_local": True},  # 45 on 2023-06-30: resident
]


@pytest.mark.parametrize("protocol", range(pickle.HIGHEST_PROTOCOL + 1))
def test_policy_pickles_at_every_protocol(policy_000, progress_000, protocol):
    back = pickle.loads(pickle.dumps(policy_000, protocol=protocol))
    assert back == policy_000
    assert back.fingerprint == policy_000.fingerprint
    assert back.to_json() == policy_000.to_json()
    # 000 五: 677960 fen in all (test_frames.py works it village by village).
    assert back.payouts(progress_000, "2021-12-31")["total_fen"] == 677960


def test_two_loads_are_equal_and_one_policy_in_a_set(examples, policy_000):
    again = canbao.Policy.from_file(examples / "policies" / "000-xx-town-2021.json")
    assert again is not policy_000 and again == policy_000 and hash(again) == hash(policy_000)
    # From other text (indented differently): the canonical JSON is the same.
    assert canbao.Policy.from_json(policy_000.to_json(0)) == policy_000
    reformed = policy_000.reform({"work_fund": {"tiers": [
        {"deadline": "2021-09-30", "per_person_fen": 100},
        {"deadline": "2021-10-15", "per_person_fen": 90},
        {"deadline": "2021-11-30", "per_person_fen": 60}]}})
    assert reformed != policy_000
    assert {policy_000, again, reformed} == {policy_000, reformed}
    assert len({policy_000, again, reformed}) == 2
    assert (policy_000 == "not a policy") is False


def test_copies_are_the_policy_itself(policy_000):
    assert copy.copy(policy_000) is policy_000
    assert copy.deepcopy(policy_000) is policy_000
    # Inside a structure too (the memo is honoured).
    nested = copy.deepcopy({"p": [policy_000]})
    assert nested["p"][0] is policy_000


def test_unpickling_the_same_policy_again_is_a_cache_hit(policy_004):
    data = pickle.dumps(policy_004)
    first = pickle.loads(data)
    assert pickle.loads(data) is first  # loaded once per process (Dask tasks unpickle it often)
    cached, capacity = _objects.cache_info()
    assert 1 <= cached <= capacity == 16


def test_the_cache_is_bounded(policy_000):
    for year in range(20):  # 20 different policies (titles differ): more than the cache holds
        p = policy_000.reform({"campaign": {"title": f"test {year}"}})
        pickle.loads(pickle.dumps(p))
    assert _objects.cache_info() == (16, 16)


def test_a_pickle_whose_text_does_not_match_its_fingerprint_is_refused(policy_000):
    restore, (text, fingerprint, provenance) = policy_000.__reduce__()
    assert restore(text, fingerprint, provenance) == policy_000  # the honest one, now cached
    changed = text.replace('"per_person_fen":80', '"per_person_fen":90', 1)
    assert changed != text
    with pytest.raises(canbao.PolicyError, match="fingerprint mismatch") as info:
        restore(changed, fingerprint, provenance)
    assert info.value.path == "fingerprint"
    with pytest.raises(canbao.PolicyError, match="provenance"):
        restore(text, fingerprint, {"base_fingerprint": "x", "patch_kind": "merge_patch", "patch": "{}"})


def test_a_reformed_policy_keeps_its_provenance_through_pickle(examples, policy_000, progress_000):
    reformed = policy_000.reform(examples / "patches" / "000-second-tier-90.merge.json")
    back = pickle.loads(pickle.dumps(reformed))
    assert back == reformed
    assert back.provenance == reformed.provenance
    assert back.provenance["base_fingerprint"] == policy_000.fingerprint
    assert back.provenance["patch_kind"] == "merge_patch"
    # The same rules without history stay equal, and unpickle without provenance.
    plain = pickle.loads(pickle.dumps(canbao.Policy.from_json(reformed.to_json())))
    assert plain == reformed and plain.provenance is None
    # 000 五 second tier 80 -> 90 fen: heping, complete on 2021-10-15 with 1486 insured,
    # gets 1486 * 90 = 133740 fen instead of 118880.
    heping = next(p for p in back.payouts(progress_000, "2021-12-31")["payouts"] if p["unit_id"] == "heping")
    assert heping["amount_fen"] == 133740


def test_policy_crosses_processes(policy_004):
    context = multiprocessing.get_context("spawn")
    with context.Pool(2) as pool:  # canbao.Policy.recommend pickles by name; the policy by JSON
        work = pool.starmap_async(canbao.Policy.recommend, [(policy_004, p, "2023-06-30") for p in PERSONS])
        schemes = work.get(timeout=120)  # a child that cannot start must fail the test, not hang it
    assert [s["scheme"] for s in schemes] == ["employee", "resident"]
    assert schemes == [policy_004.recommend(p, "2023-06-30") for p in PERSONS]


def test_policy_html_shows_campaign_period_units_phases_and_fingerprint(policy_000):
    text = policy_000._repr_html_()
    assert "XX镇2021年基本养老保险参保扩面征缴专项行动实施方案" in text
    assert "2021-06-01 – 2021-12-31" in text  # first phase start, last phase end (000 四)
    assert "9 units" in text  # the town and its 8 villages
    assert "集中攻坚" in text and "总结验收" in text
    assert policy_000.fingerprint in text
    assert "<script" not in text


def test_policy_html_escapes_text(policy_000):
    odd = policy_000.reform({"campaign": {"title": "<script>alert(1)</script> & co"}})
    text = odd._repr_html_()
    assert "<script" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in text
    assert "reform of <code>" + policy_000.fingerprint[:12] in text


# --- help() and the stub -----------------------------------------------------------------

STUB = pathlib.Path(canbao.__file__).with_name("__init__.pyi")


def _stub_names():
    tree = ast.parse(STUB.read_text(encoding="utf-8"))
    top = {n.name for n in tree.body if isinstance(n, (ast.ClassDef, ast.FunctionDef))}
    top |= {n.target.id for n in tree.body if isinstance(n, ast.AnnAssign)}
    classes = {n.name: {m.name for m in n.body if isinstance(m, ast.FunctionDef)}
               for n in tree.body if isinstance(n, ast.ClassDef)}
    return top, classes


def test_every_public_callable_has_a_docstring():
    for name in canbao.__all__:
        obj = getattr(canbao, name)
        if callable(obj):
            assert inspect.getdoc(obj) and len(inspect.getdoc(obj)) > 20, name
    for cls in (canbao.Policy, canbao.Result, canbao.ResultList):
        for name, member in vars(cls).items():
            if not name.startswith("_"):
                assert inspect.getdoc(member), f"{cls.__name__}.{name}"


def test_every_policy_method_is_in_the_class_docstring_and_the_stub():
    doc = canbao.Policy.__doc__
    _, classes = _stub_names()
    public = {n for n in dir(canbao.Policy) if not n.startswith("_")}
    assert "reform" in public and "provenance" in public
    for name in public:
        assert name in doc, f"Policy.{name} missing from the class docstring (help(canbao.Policy))"
        assert name in classes["Policy"], f"Policy.{name} missing from __init__.pyi"


def test_the_stub_declares_every_public_name_and_the_agreed_helpers():
    top, classes = _stub_names()
    assert set(canbao.__all__) <= top
    # The other helpers' agreed API (common.md), declared here so the stub is whole after the merge.
    assert {"read_roster", "read_progress"} <= top
    assert {"to_frame", "_repr_html_"} <= classes["Result"]
    tree = ast.parse(STUB.read_text(encoding="utf-8"))
    policy = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "Policy")
    batch = next(m for m in policy.body if isinstance(m, ast.FunctionDef) and m.name == "recommend_batch")
    assert {"names", "keep", "as_frame", "out"} <= {a.arg for a in batch.args.kwonlyargs}
    for method in ("payouts", "scores", "report", "values", "projections", "costs", "unit_counts"):
        m = next(x for x in policy.body if isinstance(x, ast.FunctionDef) and x.name == method)
        assert "as_frame" in {a.arg for a in m.args.kwonlyargs}, method


def _balanced(text):
    """Every tag closed in order (pandas' and ours): a display that cannot break the page."""
    from html.parser import HTMLParser

    class Check(HTMLParser):
        def __init__(self):
            super().__init__()
            self.stack = []

        def handle_starttag(self, tag, attrs):
            if tag not in ("br",):
                self.stack.append(tag)

        def handle_endtag(self, tag):
            assert self.stack and self.stack.pop() == tag, tag

    check = Check()
    check.feed(text)
    check.close()
    return check.stack == []


def test_the_displays_are_well_formed(policy_000, progress_000):
    assert _balanced(policy_000._repr_html_())
    assert _balanced(policy_000.report(progress_000, "2021-12-31")._repr_html_())
    assert _balanced(policy_000.values(progress_000, "2021-12-31")._repr_html_())
