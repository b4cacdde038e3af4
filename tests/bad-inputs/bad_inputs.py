"""The bad-input corpus (cases/*.json, format in README.md): reading a case,
making its input bytes, and running it through Python or the CLI. Used by
test_bad_inputs.py; `python3 bad_inputs.py python CASE` runs one case through
the Python package in a fresh process (a crash there must not end pytest) and
prints the outcome as JSON."""
import base64
import datetime
import json
import os
import pathlib
import re
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(os.environ.get("CANBAO_SOURCE_DIR", pathlib.Path(__file__).resolve().parents[2]))
CASES = sorted((pathlib.Path(__file__).resolve().parent / "cases").glob("*.json"))
INPUT_NAMES = {"policy": "policy.json", "request": "request.json", "progress_csv": "progress.csv",
               "roster_csv": "roster.csv", "merge_patch": "patch.json", "json_patch": "patch.json",
               "cases": "cases.json", "batch": "columns.json"}
EPOCH = datetime.date(1970, 1, 1)


def load(path):
    return json.loads(pathlib.Path(path).read_text(encoding="utf-8"))


def merge_patch(target, patch):
    """RFC 7386, for input_merge / policy_merge."""
    if not isinstance(patch, dict):
        return patch
    target = dict(target) if isinstance(target, dict) else {}
    for k, v in patch.items():
        if v is None:
            target.pop(k, None)
        else:
            target[k] = merge_patch(target.get(k), v)
    return target


def input_bytes(case):
    if "input" in case:
        return case["input"].encode("utf-8")
    if "input_b64" in case:
        return base64.b64decode(case["input_b64"])
    if "input_parts" in case:
        return b"".join(text.encode("utf-8") * times for text, times in case["input_parts"])
    data = (ROOT / case["input_file"]).read_bytes()
    if "input_merge" in case:
        data = json.dumps(merge_patch(json.loads(data), case["input_merge"]), ensure_ascii=False).encode()
    return data


def policy_text(case):
    data = (ROOT / case["policy"]).read_text(encoding="utf-8")
    if "policy_merge" in case:
        data = json.dumps(merge_patch(json.loads(data), case["policy_merge"]), ensure_ascii=False)
    return data


def xfail_reason(case, surface):
    x = case.get("xfail_until")
    if isinstance(x, dict):
        return x.get(surface)
    return x


def write_inputs(case, tmp):
    """Input and policy as files in tmp (the CLI and the Python file helpers read files)."""
    tmp = pathlib.Path(tmp)
    # A unit table is written beside the policy under the name the policy gives it.
    name = table_name(case) if case["entry"] == "unit_table" else INPUT_NAMES[case["entry"]]
    inp = tmp / name
    inp.write_bytes(input_bytes(case))
    pol = None
    if "policy" in case:
        pol = tmp / "the-policy.json"
        pol.write_text(policy_text(case), encoding="utf-8")
    return inp, pol


def table_name(case):
    """The unit table a tabled policy names ("units": {"table": ...})."""
    return json.loads(policy_text(case))["units"]["table"]


def default_cli_args(case):
    e = case["entry"]
    if e == "policy":
        return ["validate", "{input}"]
    if e == "unit_table":
        return ["validate", "{policy}"]
    if e == "progress_csv":
        return ["payouts", "{policy}", "--progress", "{input}", "--as-of", "{as_of}"]
    if e == "roster_csv":
        return ["recommend", "{policy}", "--roster", "{input}", "--as-of", "{as_of}", "--out", "{tmp}/out.csv"]
    if e in ("merge_patch", "json_patch"):
        data = "--roster" if "004" in case["policy"] else "--progress"
        path = "examples/rosters/004-sample.csv" if "004" in case["policy"] else "examples/progress/000-xx-town-2021.csv"
        return ["diff", "{policy}", "--patch", "{input}", data, str(ROOT / path), "--as-of", "{as_of}",
                "--patch-kind", "merge" if e == "merge_patch" else "json-patch"]
    if e == "cases":
        return ["test", "{policy}", "{input}"]
    raise ValueError(f"no CLI for entry {e}")


def run_cli(case, cli, tmp):
    inp, pol = write_inputs(case, tmp)
    subst = {"{input}": str(inp), "{policy}": str(pol), "{as_of}": case.get("as_of", ""), "{tmp}": str(tmp)}

    def fill(a):
        for k, v in subst.items():
            a = a.replace(k, v)
        return a

    args = [fill(a) for a in case["cli"].get("args", default_cli_args(case))]
    r = subprocess.run([cli] + args, cwd=tmp, capture_output=True, timeout=300)
    files = {p.name: p.read_bytes() for p in pathlib.Path(tmp).iterdir()
             if p.is_file() and p not in (inp, pol)}
    return {"exit": r.returncode, "stdout": r.stdout.decode("utf-8", "replace"),
            "stderr": r.stderr.decode("utf-8", "replace"), "files": files,
            "absent": [fill(a) for a in case["cli"].get("absent", [])]}


def run_python(case):
    """In this process: the outcome of the case's entry through the canbao package."""
    import canbao
    from canbao import _core  # the raw-text call_json, as the C ABI gets it

    data = input_bytes(case)
    as_of = case.get("as_of")
    with tempfile.TemporaryDirectory() as tmp:
        inp, pol = write_inputs(case, tmp)
        try:
            e = case["entry"]
            tabled = e == "unit_table"
            policy = canbao.Policy.from_json(policy_text(case)) if "policy" in case and not tabled else None
            if tabled:
                canbao.Policy.from_json(policy_text(case), tables={table_name(case): data})
            elif e == "policy":
                canbao.Policy.from_file(str(inp))
            elif e == "request":
                _core.call_json(policy._handle, data)
            elif e == "progress_csv":
                policy.payouts(str(inp), as_of)
            elif e == "roster_csv":
                canbao.compare(policy, patch={}, roster=str(inp), as_of=as_of)
            elif e in ("merge_patch", "json_patch"):
                policy.reform(data.decode("utf-8"), e)
            elif e == "batch":
                columns = json.loads(data)
                policy.recommend_batch({k: __import__("numpy").array(v, dtype={"birth_day": "int32", "resident_grade_yuan": "uint16"}.get(k, "uint8"))
                                        for k, v in columns.items()}, datetime.date.fromisoformat(as_of))
            else:
                raise ValueError(f"no Python surface for entry {e}")
        except Exception as err:  # noqa: BLE001 - the outcome is what we report
            return {"outcome": "error", "type": type(err).__name__,
                    "canbao": type(err).__module__.startswith("canbao"), "text": str(err)}
    return {"outcome": "ok", "text": ""}


def check(case, text, outputs, surface):
    """Problems with one surface's answer text (message) and everything it wrote."""
    problems = []
    msg = case.get("message")
    if isinstance(msg, dict):
        msg = msg.get(surface, msg.get("default", ""))
    if msg and not re.search(msg, text, re.S):
        problems.append(f"message {text[:300]!r} does not match {msg!r}")
    limit = case.get("max_message_bytes")
    if limit and len(text.encode()) > limit:
        problems.append(f"message is {len(text.encode())} bytes, over {limit}")
    forbid = case.get("forbid")
    if forbid:
        for name, out in outputs.items():
            m = re.search(forbid.encode(), out if isinstance(out, bytes) else out.encode("utf-8", "replace"))
            if m:
                problems.append(f"{name} contains {m.group(0)!r} (forbidden: {forbid})")
    return problems


if __name__ == "__main__":
    surface, path = sys.argv[1], sys.argv[2]
    assert surface == "python"
    print(json.dumps(run_python(load(path))))
