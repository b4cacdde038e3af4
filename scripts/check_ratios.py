#!/usr/bin/python3
"""Compares ratios measured in one run against the floors in
benchmarks/ratio_floors.json; exits 1 when one is below its floor or missing.

Measurements are JSON files, each an object or a list of objects
{"name": ..., "canbao_s": ..., "baseline_s": ..., "canbao": "what ran", "baseline": "what ran"};
the ratio is baseline_s / canbao_s (how many times faster canbao is; for a
cost ratio, the "baseline" is the cheaper run). Standard library only.

    /usr/bin/python3 scripts/check_ratios.py [--floors FILE] MEASUREMENT.json...
"""
import argparse
import json
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
DEFAULT_FLOORS = ROOT / "benchmarks" / "ratio_floors.json"


def load_measurements(paths):
    """name -> measurement, from every file; a name given twice is an error."""
    found = {}
    for path in paths:
        data = json.loads(pathlib.Path(path).read_text(encoding="utf-8"))
        for m in data if isinstance(data, list) else [data]:
            for key in ("name", "canbao_s", "baseline_s"):
                if key not in m:
                    raise ValueError(f"{path}: a measurement without '{key}': {m}")
            if not (m["canbao_s"] > 0 and m["baseline_s"] > 0):
                raise ValueError(f"{path}: {m['name']}: times must be positive seconds: {m}")
            if m["name"] in found:
                raise ValueError(f"{path}: {m['name']} measured twice")
            found[m["name"]] = m
    return found


def check(floors, measurements):
    """(lines to print, failures): one line per floor, failed ones named."""
    lines, failures = [], []
    for name, spec in floors.items():
        m = measurements.get(name)
        if m is None:
            failures.append(f"{name}: not measured (floor {spec['floor']})")
            continue
        ratio = m["baseline_s"] / m["canbao_s"]
        ok = ratio >= spec["floor"]
        lines.append(f"{'ok  ' if ok else 'FAIL'} {name}: canbao {m['canbao_s'] * 1e3:.1f} ms "
                     f"({m.get('canbao', '')}), baseline {m['baseline_s'] * 1e3:.1f} ms "
                     f"({m.get('baseline', '')}): ratio {ratio:.2f}, floor {spec['floor']}")
        if not ok:
            failures.append(f"{name}: ratio {ratio:.2f} is below its floor {spec['floor']} ({spec['why']})")
    return lines, failures


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--floors", default=str(DEFAULT_FLOORS))
    parser.add_argument("measurements", nargs="+")
    args = parser.parse_args(argv)
    floors = json.loads(pathlib.Path(args.floors).read_text(encoding="utf-8"))["floors"]
    lines, failures = check(floors, load_measurements(args.measurements))
    for line in lines:
        print(line)
    for f in failures:
        print("ratio guard failed: " + f, file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
