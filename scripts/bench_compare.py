#!/usr/bin/env python3
"""Before/after table of Google Benchmark runs, for docs/performance.md.

    bench_compare.py BEFORE.json [BEFORE.json ...] -- AFTER.json [AFTER.json ...]

Each file is a `--benchmark_out=F --benchmark_out_format=json` run (with or
without repetitions). A benchmark's figure is the median CPU time over every
run and repetition given for its side; the table prints both medians, their
ranges and after/before. Run the two binaries alternately on the same machine
(the machine is shared: only ratios measured side by side mean anything).
"""
import json
import statistics
import sys


def cpu_times(paths):
    times, medians = {}, {}
    for path in paths:
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
        for b in doc["benchmarks"]:
            ns = b["cpu_time"] * {"ns": 1, "us": 1e3, "ms": 1e6, "s": 1e9}[b["time_unit"]]
            if b.get("run_type") != "aggregate":
                times.setdefault(b["run_name"], []).append(ns)
            elif b.get("aggregate_name") == "median":  # runs made with aggregates only
                medians.setdefault(b["run_name"], []).append(ns)
    for name, ns in medians.items():
        times.setdefault(name, ns)
    return times


def show(ns):
    for unit, scale in (("s", 1e9), ("ms", 1e6), ("µs", 1e3)):
        if ns >= scale:
            return f"{ns / scale:.3g} {unit}"
    return f"{ns:.3g} ns"


def main(argv):
    if "--" not in argv:
        sys.exit(__doc__)
    cut = argv.index("--")
    before, after = cpu_times(argv[:cut]), cpu_times(argv[cut + 1:])
    print("| benchmark | before (median, range) | after (median, range) | after / before |")
    print("|---|---|---|---:|")
    for name in before:
        if name not in after:
            continue
        b, a = before[name], after[name]
        mb, ma = statistics.median(b), statistics.median(a)
        print(f"| {name} | {show(mb)} ({show(min(b))}–{show(max(b))}) | "
              f"{show(ma)} ({show(min(a))}–{show(max(a))}) | {ma / mb:.2f} |")


if __name__ == "__main__":
    main(sys.argv[1:])
