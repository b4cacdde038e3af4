"""The command samples in docs/*.md are run and their output compared, so the
docs cannot drift from what canbao prints (issue 9 section 4).

Two forms are checked:

* a fenced block opened with ```console: each line starting with `$ ` is a
  command (continued on the next line after a trailing backslash); the lines up
  to the next `$ ` line or the end of the block are its whole expected output,
  stdout and stderr together. A last line `[exit N]` expects exit status N
  (otherwise 0).
* any fenced block directly after a line `<!-- sample: COMMAND -->` (optionally
  ending in ` [exit N]`): the block is an excerpt of COMMAND's output.

In both, a line `...` (indentation ignored) stands for any number of lines, and
trailing spaces are ignored. Commands run in the source folder; `canbao` is the
built CLI (CANBAO_CLI) and `/usr/bin/python3` this interpreter with the built
module on its path. Only those two programs are allowed.
"""
import os
import pathlib
import re
import shlex
import subprocess
import sys

import pytest

import canbao

SOURCE_DIR = pathlib.Path(os.environ.get("CANBAO_SOURCE_DIR", pathlib.Path(__file__).resolve().parents[2]))
MARK = re.compile(r"^<!-- sample: (.+?)(?: \[exit (\d+)\])? -->$")
EXIT = re.compile(r"^\[exit (\d+)\]$")


def cli_path():
    path = os.environ.get("CANBAO_CLI") or str(SOURCE_DIR / os.environ.get("CANBAO_BUILD_DIR", "build") / "canbao")
    assert os.access(path, os.X_OK), f"no canbao CLI at {path}: set CANBAO_CLI"
    return path


def samples():
    """(doc:line, command, expected lines, exit status, whole output?) for every sample."""
    found = []
    for doc in sorted((SOURCE_DIR / "docs").glob("*.md")):
        lines = doc.read_text(encoding="utf-8").split("\n")
        i = 0
        while i < len(lines):
            if not lines[i].startswith("```"):
                i += 1
                continue
            end = next(j for j in range(i + 1, len(lines)) if lines[j].startswith("```"))
            body = lines[i + 1:end]
            mark = MARK.match(lines[i - 1]) if i > 0 else None
            where = f"{doc.name}:{i + 1}"
            if lines[i].strip() == "```console":
                found += console_samples(where, body)
            elif mark:
                found.append((where, mark.group(1), body, int(mark.group(2) or 0), False))
            i = end + 1
    return found


def console_samples(where, body):
    out, k = [], 0
    while k < len(body):
        assert body[k].startswith("$ "), f"{where}: a console block starts with a `$ ` command line"
        command = body[k][2:]
        while command.endswith("\\"):
            k += 1
            command = command[:-1] + " " + body[k].strip()
        k += 1
        start = k
        while k < len(body) and not body[k].startswith("$ "):
            k += 1
        expected, status = body[start:k], 0
        if expected and EXIT.match(expected[-1]):
            status = int(EXIT.match(expected[-1]).group(1))
            expected = expected[:-1]
        out.append((where, command, expected, status, True))
    return out


def matches(pattern, lines):
    """Line glob: '...' matches any run of lines (dynamic programming, no recursion)."""
    pattern = [p.rstrip() for p in pattern]
    lines = [ln.rstrip() for ln in lines]
    ok = [False] * (len(lines) + 1)  # ok[j]: pattern[:i] matches lines[:j]
    ok[0] = True
    for p in pattern:
        nxt = [False] * (len(lines) + 1)
        if p.strip() == "...":
            seen = False
            for j in range(len(lines) + 1):
                seen = seen or ok[j]
                nxt[j] = seen
        else:
            for j in range(1, len(lines) + 1):
                nxt[j] = ok[j - 1] and lines[j - 1] == p
        ok = nxt
    return ok[len(lines)]


def run(command):
    argv = shlex.split(command)
    env = dict(os.environ)
    if argv[0] == "canbao":
        argv[0] = cli_path()
    elif argv[0] == "/usr/bin/python3":
        argv[0] = sys.executable
        env["PYTHONPATH"] = os.path.dirname(os.path.dirname(canbao.__file__))
        env["MPLBACKEND"] = "Agg"
    else:
        pytest.fail(f"docs samples may only run canbao or /usr/bin/python3, not {argv[0]}")
    done = subprocess.run(argv, cwd=SOURCE_DIR, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          timeout=300)
    return done.returncode, done.stdout.decode("utf-8").split("\n")


SAMPLES = samples()


def test_the_docs_have_samples_under_check():
    # The blocks converted in issue 9; a page losing its samples fails here.
    pages = {where.split(":")[0] for where, *_ in SAMPLES}
    assert {"report.md", "testing-policy-changes.md", "policy-tests.md", "analyst-examples.md"} <= pages
    assert len(SAMPLES) >= 14


@pytest.mark.parametrize("where, command, expected, status, whole", SAMPLES,
                         ids=[f"{s[0]} {s[1][:60]}" for s in SAMPLES])
def test_sample(where, command, expected, status, whole):
    got_status, got = run(command)
    if got and got[-1] == "":
        got = got[:-1]
    pattern = expected if whole else ["..."] + expected + ["..."]
    assert matches(pattern, got), f"{where}: output of `{command}` differs from the doc:\n" + "\n".join(got)
    assert got_status == status, f"{where}: `{command}` exited {got_status}, the doc says {status}"


@pytest.mark.parametrize("pattern, lines, ok", [
    (["a", "b"], ["a", "b"], True),
    (["a", "b"], ["a", "b", "c"], False),
    (["a", "...", "c"], ["a", "c"], True),
    (["a", "...", "c"], ["a", "x", "y", "c"], True),
    (["a", "  ...", "c"], ["a", "x", "c", "d"], False),
    (["...", "b", "..."], ["a", "b", "c"], True),
    (["...", "b", "..."], ["a", "c"], False),
    (["a  "], ["a"], True),
])
def test_matching(pattern, lines, ok):
    assert matches(pattern, lines) is ok
