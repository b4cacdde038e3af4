"""The bad-input corpus through Python and the CLI (the C ABI: run_c.cpp).
Each case names the expected Python exception and CLI exit status and a
message that names the place; a case with "xfail_until" is a known bug: a
strict expected failure, so the suite says when the fix lands."""
import json
import os
import subprocess
import sys

import pytest

import bad_inputs as bi

CLI = os.environ.get("CANBAO_CLI")


def params(surface):
    out = []
    for path in bi.CASES:
        case = bi.load(path)
        if surface == "python" and "python" not in case:
            continue
        if surface == "cli" and "cli" not in case:
            continue
        reason = bi.xfail_reason(case, surface)
        marks = [pytest.mark.xfail(strict=True, reason=f"until: {reason}")] if reason else []
        out.append(pytest.param(path, id=path.stem, marks=marks))
    return out


@pytest.mark.parametrize("path", params("python"))
def test_python(path):
    case = bi.load(path)
    r = subprocess.run([sys.executable, bi.__file__, "python", str(path)], capture_output=True, timeout=300)
    assert r.returncode == 0, f"crashed ({r.returncode}): {r.stderr.decode('utf-8', 'replace')[-2000:]}"
    got = json.loads(r.stdout)
    if case["python"] == "ok":
        assert got["outcome"] == "ok", f"{got['type']}: {got['text'][:300]}"
    else:
        assert got["outcome"] == "error", f"no error; expected canbao.{case['python']}"
        assert got["canbao"] and got["type"] == case["python"], f"{got['type']}: {got['text'][:300]}"
    assert not (problems := bi.check(case, got["text"], {"exception": got["text"]}, "python")), problems


@pytest.mark.skipif(not CLI, reason="CANBAO_CLI not set")
@pytest.mark.parametrize("path", params("cli"))
def test_cli(path, tmp_path):
    case = bi.load(path)
    got = bi.run_cli(case, CLI, tmp_path)
    assert got["exit"] == case["cli"]["exit"], f"exit {got['exit']}: {got['stderr'][-1000:]}"
    outputs = {"stdout": got["stdout"], "stderr": got["stderr"], **got["files"]}
    assert not (problems := bi.check(case, got["stderr"] + got["stdout"], outputs, "cli")), problems
    for f in got["absent"]:
        assert not os.path.exists(f), f"{f} was left behind"
