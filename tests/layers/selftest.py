#!/usr/bin/env python3
"""The layer check must fail on a tree that breaks the rule: a value header
including the model, and a file nobody classified. Run by ctest (layers.detects)."""
import os
import subprocess
import sys
import tempfile

script = os.path.join(os.path.dirname(__file__), "..", "..", "scripts", "check_layers.py")
with tempfile.TemporaryDirectory() as root:
    os.makedirs(os.path.join(root, "include", "canbao"))
    os.makedirs(os.path.join(root, "src"))
    files = {
        "include/canbao/policy.hpp": "#pragma once\n",
        "include/canbao/date.hpp": "#pragma once\n#include <vector>\n#include <canbao/policy.hpp>\n",
        "src/date.cpp": '#include <canbao/date.hpp>\n',
        "src/mystery.cpp": "int x;\n",
    }
    for path, text in files.items():
        with open(os.path.join(root, path), "w") as f:
            f.write(text)
    run = subprocess.run([sys.executable, script, root], capture_output=True, text=True)
    out = run.stdout
    assert run.returncode == 1, (run.returncode, out)
    assert ("include/canbao/date.hpp:3: values includes include/canbao/policy.hpp (model)" in out), out
    assert "src/mystery.cpp: not in any layer" in out, out
    assert "src/date.cpp" not in out, out  # date.cpp including date.hpp is fine
    # The same tree without the upward include passes.
    os.remove(os.path.join(root, "src/mystery.cpp"))
    with open(os.path.join(root, "include/canbao/date.hpp"), "w") as f:
        f.write("#pragma once\n")
    run = subprocess.run([sys.executable, script, root], capture_output=True, text=True)
    assert run.returncode == 0, run.stdout
print("layers.detects: the check fails on an upward include and on an unclassified file")
