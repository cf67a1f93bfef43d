#!/usr/bin/env python3
"""How `ontrack check` scales with the size of the data.

Generates workloads at 1x, 2x and 4x the data size with gen_workload.py and runs
  ontrack check targets.targets --data data.csv --as-of DATE --format json --output OUT
on each, N times (default 3), under /usr/bin/time -v, then prints a Markdown table
of medians: observations, results, wall seconds, peak RSS, and wall nanoseconds and
peak RSS bytes per observation.

The axis: by default the number of countries, from the large preset
(200 countries x 1000 indicators x 40 years, 1000 targets): 200, 400 and 800
countries, i.e. 7.6M, 15.2M and 30.4M observations. Every target is a
`for each country` target, so the number of results grows with the data
(1000 x countries): every stage (load, evaluate, report) gets proportionally
more work, and a flat "ns per observation" column means linear scaling.
`--axis indicators` instead grows only the data: the 1000 targets, and so the
results, stay the same and the extra indicators are loaded but never referenced.
`--axis years` lengthens every series (the projection windows stay 6 years).

"Observations" are the data rows of data.csv (ontrack's rows_read, empty values
included). Peak RSS per observation includes the process's fixed footprint,
which dominates on small workloads.

Usage (from the repository root; Python 3 standard library only):
  python3 benches/scaling.py                          # 200/400/800 countries (large: ~1.7 GB of CSV)
  python3 benches/scaling.py --countries 20 --indicators 50 --targets 50   # quick: 20/40/80
  python3 benches/scaling.py --axis indicators --factors 1 2 4 8
  python3 benches/scaling.py --bin target/release/ontrack -n 5

Options:
  --axis countries|indicators|years   what grows (default countries)
  --factors F...        multiples of the axis's base value (default 1 2 4)
  --countries, --indicators, --years, --targets, --seed
                        the base workload (default the large preset: 200 1000 40 1000, seed 1)
  --work DIR            where workloads are generated and kept (default /tmp/ontrack-scaling);
                        each in a folder named by its numbers, reused when present
  --shared-bench DIR    gen_workload.py (default ../shared/bench beside the repository)
  --bin PATH            the ontrack binary (default: cargo build --release)
  -n N                  runs per size (default 3), interleaved across the sizes
  --as-of DATE          default 2025-06-30
"""
import argparse
import json
import os
import statistics
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True  # no __pycache__ in benches/
from peers import DEFAULT_SHARED, build_release, die, ensure_workload, timed  # noqa: E402

LARGE = {"countries": 200, "indicators": 1000, "years": 40, "targets": 1000}


def report_header(path):
    """The header fields of ontrack's JSON report (everything but `results`)."""
    with open(path, encoding="utf-8") as f:
        first = f.readline().rstrip()
        if first.endswith('"results":['):
            header = json.loads(first + "]}")
            last = ""
            for last in f:  # the last line: `],"summary":{...}}`
                pass
            if last.startswith("],"):
                header.update(json.loads("{" + last.strip()[2:]))
            if "summary" in header:
                return header
        f.seek(0)
        doc = json.load(f)
    doc.pop("results", None)
    return doc


def main():
    ap = argparse.ArgumentParser(
        description="ontrack check at 1x, 2x, 4x the data: time and memory per observation.",
        epilog="See the module docstring (head of this file) and benches/README.md.")
    ap.add_argument("--axis", choices=["countries", "indicators", "years"],
                    default="countries")
    ap.add_argument("--factors", type=int, nargs="+", default=[1, 2, 4])
    for flag, value in LARGE.items():
        ap.add_argument(f"--{flag}", type=int, default=value)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--work", default="/tmp/ontrack-scaling")
    ap.add_argument("--shared-bench", default=DEFAULT_SHARED)
    ap.add_argument("--bin", help="the ontrack binary (default: cargo build --release)")
    ap.add_argument("-n", "--runs", type=int, default=3)
    ap.add_argument("--as-of", default="2025-06-30")
    a = ap.parse_args()
    if a.runs < 1 or min(a.factors) < 1:
        die("-n and the factors must be at least 1")

    binary = os.path.abspath(a.bin) if a.bin else build_release()
    if not os.access(binary, os.X_OK):
        die(f"{binary} is not an executable")
    shared = os.path.abspath(a.shared_bench)

    sizes = []  # (axis value, folder)
    for factor in a.factors:
        numbers = {flag: getattr(a, flag) for flag in LARGE}
        numbers[a.axis] *= factor
        name = "c{countries}-i{indicators}-y{years}-t{targets}".format(**numbers)
        folder = os.path.join(os.path.abspath(a.work), f"{name}-s{a.seed}")
        flags = [x for flag, value in numbers.items() for x in (f"--{flag}", str(value))]
        ensure_workload(folder, shared, flags + ["--seed", str(a.seed)])
        sizes.append((numbers[a.axis], folder))

    runs = {folder: [] for _, folder in sizes}
    for i in range(a.runs):  # interleaved, so drift on the machine hits every size alike
        for value, folder in sizes:
            report = os.path.join(folder, "scaling-report.json")
            cmd = [binary, "check", os.path.join(folder, "targets.targets"),
                   "--data", os.path.join(folder, "data.csv"), "--as-of", a.as_of,
                   "--format", "json", "--output", report]
            runs[folder].append(timed(cmd, ok=(0, 1)))  # 1: some targets missed
            print(f"  run {i + 1}/{a.runs} {a.axis}={value}: {runs[folder][-1][0]:.3f} s, "
                  f"{runs[folder][-1][1]:.0f} MiB", file=sys.stderr, flush=True)

    base = {flag: getattr(a, flag) for flag in LARGE}
    base[a.axis] = "N"
    print(f"ontrack check, {a.axis} scaled; base workload "
          + ", ".join(f"{k} {v}" for k, v in base.items())
          + f", seed {a.seed}; as of {a.as_of}; median of {a.runs}; {os.cpu_count()} CPUs\n")
    print(f"| {a.axis} | observations | results | data.csv MiB | wall s | peak RSS MiB "
          "| ns / observation | bytes / observation |")
    print("|---|---|---|---|---|---|---|---|")
    for value, folder in sizes:
        header = report_header(os.path.join(folder, "scaling-report.json"))
        observations = sum(f["rows_read"] for f in header["data"])
        results = sum(header["summary"].values())
        wall = statistics.median(t for t, _ in runs[folder])
        rss = statistics.median(m for _, m in runs[folder])
        mib = os.path.getsize(os.path.join(folder, "data.csv")) / 2**20
        print(f"| {value} | {observations:,} | {results:,} | {mib:.1f} | {wall:.3f} "
              f"| {rss:.0f} | {wall * 1e9 / observations:.0f} "
              f"| {rss * 2**20 / observations:.0f} |")
    print(f"\nworkloads and the last reports in {os.path.abspath(a.work)}")


if __name__ == "__main__":
    main()
