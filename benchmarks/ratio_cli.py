#!/usr/bin/python3
"""The CLI ratio for the CI guard (scripts/check_ratios.py): `canbao recommend`
on a roster CSV (scripts/make_roster.py) against a pandas script of the same
job (benchmarks/pandas_recommend.py, or --pandas-script), each a whole process
run end to end, the min over --repeat runs, interleaved.

    PYTHONPATH=build/python /usr/bin/python3 benchmarks/ratio_cli.py \\
        --cli build/canbao --rows 200000 --out ratios-cli.json
"""
import argparse
import json
import os
import pathlib
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
POLICY = ROOT / "examples" / "policies" / "004-shiyan-2023.json"
AS_OF = "2023-06-30"


def timed(cmd):
    t = time.perf_counter()
    run = subprocess.run(cmd, capture_output=True, text=True)
    elapsed = time.perf_counter() - t
    if run.returncode != 0:
        sys.exit(f"ratio_cli.py: {' '.join(cmd)} failed ({run.returncode}):\n{run.stderr}")
    return elapsed


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cli", required=True, help="the canbao executable")
    ap.add_argument("--pandas-script", default=str(ROOT / "benchmarks" / "pandas_recommend.py"))
    ap.add_argument("--rows", type=int, default=200_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--out", required=True, help="JSON file for scripts/check_ratios.py")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        roster = pathlib.Path(tmp) / "roster.csv"
        with open(roster, "w", encoding="utf-8") as f:
            subprocess.run([sys.executable, str(ROOT / "scripts" / "make_roster.py"), "--rows", str(args.rows),
                            "--as-of", AS_OF], check=True, stdout=f)
        cli = [args.cli, "recommend", str(POLICY), "--roster", str(roster), "--as-of", AS_OF, "--quiet",
               "--out", str(pathlib.Path(tmp) / "canbao.csv")]
        pandas = [sys.executable, args.pandas_script, str(POLICY), "--roster", str(roster), "--as-of", AS_OF,
                  "--out", str(pathlib.Path(tmp) / "pandas.csv")]
        t_cli, t_pd = [], []
        for _ in range(args.repeat):
            t_cli.append(timed(cli))
            t_pd.append(timed(pandas))
        sizes = {name: os.path.getsize(pathlib.Path(tmp) / name) for name in ("canbao.csv", "pandas.csv")}
    result = {"name": "cli_roster_vs_pandas", "canbao_s": min(t_cli), "baseline_s": min(t_pd),
              "canbao": f"canbao recommend, {args.rows:,} rows, {sizes['canbao.csv']:,} bytes out",
              "baseline": f"{pathlib.Path(args.pandas_script).name}, {sizes['pandas.csv']:,} bytes out"}
    print(f"cli_roster_vs_pandas: canbao {result['canbao_s'] * 1e3:.0f} ms, pandas {result['baseline_s'] * 1e3:.0f} ms, "
          f"ratio {result['baseline_s'] / result['canbao_s']:.2f}")
    pathlib.Path(args.out).write_text(json.dumps([result], indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
