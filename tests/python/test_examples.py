"""The examples in examples/python run and print what they promise."""
import os
import subprocess
import sys

import canbao


def run(examples, name):
    env = dict(os.environ)
    env["PYTHONPATH"] = os.path.dirname(os.path.dirname(canbao.__file__))
    done = subprocess.run([sys.executable, str(examples / "python" / name)], capture_output=True, text=True,
                          env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_recommend_example(examples):
    out = run(examples, "recommend.py").splitlines()
    # 004: a 33-year-old platform worker -> employee scheme, priority group 3.
    assert out[0] == "scheme: employee | actions: enroll_employee | groups: g3"
    # The roster, as of 2023-06-30 (all uninsured): the platform worker again; a local
    # employer's employee of 38 -> employee (004 二(一)); a non-local woman of 44 -> the
    # resident scheme where her hukou is, nothing done locally (国发〔2014〕8号 三); a local
    # man of 64 -> resident with back pay (004 三(二)2).
    rows = [line.split() for line in out[2:]]
    assert rows[0] == ["sex", "birth_date", "hukou_local", "employment", "scheme_name", "actions", "groups"]
    # actions and groups are bit masks (docs/getting-started-python.md): enroll_employee 1,
    # enroll_resident 2, back_pay 8; g1 1, g3 4, g8 128.
    assert [r[4:] for r in rows[1:]] == [
        ["employee", "1", "4"],
        ["employee", "1", "1"],
        ["resident", "0", "128"],
        ["resident", "10", "128"],
    ]


def test_payouts_example(examples):
    out = run(examples, "payouts.py")
    # 1234x100 + 1995x100 + 905x100 + 1486x80 + 703x60 + 1725x60 = 677,960 fen.
    assert "total: 6779.60 yuan, paid by 县财政" in out.splitlines()
    assert "PolicyError at campaign.id" in out
