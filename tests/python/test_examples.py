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
    out = run(examples, "recommend.py")
    # 004: a 33-year-old platform worker -> employee scheme, priority group 3.
    assert out.splitlines()[0] == "scheme: employee | actions: enroll_employee | groups: g3"
    assert "scheme_name" in out


def test_payouts_example(examples, policy_000, progress_000):
    out = run(examples, "payouts.py")
    total = policy_000.payouts(progress_000, "2021-12-31")["total_fen"]
    assert f"total: {total / 100:.2f} yuan" in out
    assert "PolicyError at campaign.id" in out
