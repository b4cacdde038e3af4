"""Every ```python block of docs/*.md runs as written (issue 14, "Done when").

The blocks of one page run in order in one shared namespace, like the cells of
a notebook, with the source folder as the working directory (so
"examples/rosters/004-sample.csv" is the bundled file). A block that fails
names its page and line: the code is compiled under the page's name with its
lines at their places in the page, so the traceback points into the doc.

A block that cannot run here (it needs a real cluster, say) is skipped only
with `<!-- not-run: reason -->` on the line before its fence. Such blocks are
listed in NOT_RUN below, so each one is a visible decision.

test_docs_samples.py checks the ```console blocks and the `<!-- sample: -->`
excerpts (command output); this file checks the Python code itself.
"""
import os
import pathlib
import re
import traceback

import pytest

SOURCE_DIR = pathlib.Path(os.environ.get("CANBAO_SOURCE_DIR", pathlib.Path(__file__).resolve().parents[2]))
NOT_RUN_MARK = re.compile(r"^<!-- not-run: (.+) -->$")

# (page, fence line) of every block marked not-run, with why. Keep it short:
# a block in the docs should run.
NOT_RUN = {}


def python_blocks(doc: pathlib.Path):
    """[(fence line, code, not-run reason or None)] of the ```python blocks of doc."""
    lines = doc.read_text(encoding="utf-8").split("\n")
    blocks, i = [], 0
    while i < len(lines):
        if not lines[i].startswith("```"):
            i += 1
            continue
        end = next((j for j in range(i + 1, len(lines)) if lines[j].startswith("```")), None)
        assert end is not None, f"{doc.name}:{i + 1}: code fence not closed"
        if lines[i].strip() == "```python":
            mark = NOT_RUN_MARK.match(lines[i - 1].strip()) if i > 0 else None
            blocks.append((i + 1, "\n".join(lines[i + 1:end]), mark.group(1) if mark else None))
        i = end + 1
    return blocks


PAGES = [doc for doc in sorted((SOURCE_DIR / "docs").glob("*.md")) if python_blocks(doc)]


def test_the_python_docs_are_found():
    # Found by scanning, so a new page with Python is covered without a change here;
    # these pages had Python blocks when the test was written (issue 14).
    names = {doc.name for doc in PAGES}
    assert {"getting-started-python.md", "costs.md", "projections.md", "values.md"} <= names
    assert sum(len(python_blocks(doc)) for doc in PAGES) >= 11


def test_not_run_blocks_are_rare_and_listed():
    marked = {(doc.name, line): reason for doc in PAGES for line, _, reason in python_blocks(doc) if reason}
    assert marked == NOT_RUN, "a block marked <!-- not-run: --> must be listed in NOT_RUN (and vice versa)"
    assert len(marked) <= 2


@pytest.mark.parametrize("doc", PAGES, ids=[doc.name for doc in PAGES])
def test_python_blocks_run(doc, monkeypatch):
    monkeypatch.chdir(SOURCE_DIR)
    monkeypatch.setenv("MPLBACKEND", "Agg")
    namespace = {"__name__": "__doc_" + doc.stem.replace("-", "_")}
    for line, code, reason in python_blocks(doc):
        if reason:
            continue
        # Padding puts each code line at its line number in the page.
        compiled = compile("\n" * line + code, str(doc.relative_to(SOURCE_DIR)), "exec")
        failure = None
        try:
            exec(compiled, namespace)
        except Exception as e:  # noqa: BLE001 - any failure of a doc block is reported with its place
            failure = f"docs/{doc.name}:{line}: the block fails: {type(e).__name__}: {e}\n" + traceback.format_exc()
        if failure:
            pytest.fail(failure, pytrace=False)


def test_a_failing_block_names_its_page_and_line(tmp_path):
    # The reporting itself: a block is compiled at its page's line numbers.
    page = tmp_path / "page.md"
    page.write_text("text\n\n```python\nx = 1\ny = undefined_name\n```\n\n<!-- not-run: needs a cluster -->\n"
                    "```python\nraise SystemExit\n```\n", encoding="utf-8")
    blocks = python_blocks(page)
    assert [(line, reason) for line, _, reason in blocks] == [(3, None), (9, "needs a cluster")]
    line, code, _ = blocks[0]
    with pytest.raises(NameError) as info:
        exec(compile("\n" * line + code, "page.md", "exec"), {})
    assert info.traceback[-1].lineno + 1 == 5  # y = undefined_name is line 5 of the page
