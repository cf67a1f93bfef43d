#!/usr/bin/env python3
"""ontrack against the polars (and optionally pandas) peer, end to end, on one machine.

For one generated workload (data.csv + targets.targets from gen_workload.py):
  1. builds the release binary (`cargo build --release`) unless --bin is given;
  2. generates the workload with gen_workload.py if it is missing;
  3. runs, interleaved, N times each under /usr/bin/time -v:
       ontrack check targets.targets --data data.csv --as-of DATE --format json --output OUT
       peer_polars.py data.csv targets.targets --out OUT --as-of DATE
       peer_pandas.py ... (with --pandas)
  4. prints the median wall time and peak RSS of each, and ontrack/polars ratios;
  5. converts ontrack's JSON report to the peers' result format
     ({"id", "country", "status"}) and compares statuses with the peer's results
     (compare.py --status-only), printing AGREE or the differences.

Only statuses are compared: ontrack's report does not carry the latest observed
value of a projected result (the peers' "value_used").

Usage (from the repository root; Python 3 standard library only):
  python3 benches/peers.py                              # /tmp/ontrack-bench/large, 5 runs each
  python3 benches/peers.py -n 1 --pandas                # one run each, pandas too
  python3 benches/peers.py --workload /tmp/ontrack-bench/small --size small
  python3 benches/peers.py --workload /tmp/w --countries 20 --indicators 50
  python3 benches/peers.py --bin target/release/ontrack # no cargo build

Options:
  --workload DIR       the workload folder (default /tmp/ontrack-bench/large)
  --size, --countries, --indicators, --years, --targets, --seed
                       gen_workload.py's flags, used only when DIR has no workload
  --shared-bench DIR   gen_workload.py, peer_*.py and compare.py
                       (default ../shared/bench beside the repository)
  --python PY          the Python with polars/pandas (default /tmp/peers/bin/python;
                       set up with: python3 -m venv /tmp/peers &&
                       /tmp/peers/bin/pip install polars pandas)
  -n N                 runs of each command (default 5)
  --as-of DATE         default 2025-06-30
  --out DIR            where the results go (default /tmp/ontrack-peers/<workload name>)
Exit code: 0 when the statuses agree, 1 when they do not, 2 on a failed run.
"""
import argparse
import collections
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
DEFAULT_SHARED = os.path.normpath(os.path.join(REPO, "..", "shared", "bench"))


def die(message):
    print(f"peers.py: {message}", file=sys.stderr)
    sys.exit(2)


def build_release(repo=REPO):
    """`cargo build --release` in the repository; return the path of the binary."""
    print("building: cargo build --release", file=sys.stderr, flush=True)
    if subprocess.run(["cargo", "build", "--release", "--bin", "ontrack"], cwd=repo).returncode:
        die("cargo build --release failed")
    target = os.environ.get("CARGO_TARGET_DIR") or os.path.join(repo, "target")
    return os.path.join(target, "release", "ontrack")


def ensure_workload(folder, shared, gen_flags):
    """Generate data.csv and targets.targets into folder unless both are there.
    gen_flags: gen_workload.py flags, e.g. ["--size", "large", "--countries", "20"]."""
    if all(os.path.exists(os.path.join(folder, f)) for f in ("data.csv", "targets.targets")):
        return False
    gen = os.path.join(shared, "gen_workload.py")
    if not os.path.exists(gen):
        die(f"no workload in {folder} and no {gen} to generate one (see --shared-bench)")
    print(f"generating {folder}: gen_workload.py {' '.join(gen_flags)}", file=sys.stderr,
          flush=True)
    subprocess.run([sys.executable, gen, *gen_flags, "--out", folder], check=True)
    return True


def timed(cmd, ok=(0,)):
    """Run cmd under /usr/bin/time -v; return (wall seconds, peak RSS MiB).
    The wall time is measured here (time -v prints only hundredths); it includes
    starting /usr/bin/time, about a millisecond.
    Exits on an exit code not in ok (ontrack check exits 1 when targets are missed)."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as stats:
        start = time.perf_counter()
        p = subprocess.run(["/usr/bin/time", "-v", "-o", stats.name, *cmd],
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        secs = time.perf_counter() - start
        text = stats.read()
    if p.returncode not in ok:
        die(f"exit code {p.returncode}: {' '.join(cmd)}\n{p.stderr[-2000:]}")
    rss_kib = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", text).group(1))
    return secs, rss_kib / 1024


def ontrack_report_results(path):
    """The results of ontrack's JSON report. The report writes one result per line
    after a header line ending in `"results":[`, then a last line with `summary`;
    read it that way so a large report
    is never parsed whole, and fall back to parsing the whole document."""
    try:
        with open(path, encoding="utf-8") as f:
            if not f.readline().rstrip().endswith('"results":['):
                raise ValueError("not one result per line")
            results = []
            for line in f:
                line = line.strip()
                if line.startswith("]"):
                    break  # the end of `results`; `summary` follows
                line = line.rstrip(",")
                if line:
                    results.append(json.loads(line))
            return results
    except ValueError:  # json.JSONDecodeError is a ValueError
        with open(path, encoding="utf-8") as f:
            return json.load(f)["results"]


def convert_report(report, out):
    """Write ontrack's results for the `country` entity in the peers' format; return
    how many results had no country (not comparable)."""
    rows, skipped = [], 0
    for r in ontrack_report_results(report):
        country = (r.get("entity") or {}).get("country")
        if country is None:
            skipped += 1
            continue
        rows.append({"id": r["id"], "country": country, "status": r["status"]})
    rows.sort(key=lambda r: (r["id"], r["country"]))
    with open(out, "w", encoding="utf-8") as f:
        json.dump(rows, f)
    return skipped


def status_counts(path):
    with open(path, encoding="utf-8") as f:
        return collections.Counter(r["status"] for r in json.load(f))


def compare(shared, ours, theirs, label):
    """compare.py --status-only ours theirs; print its report; return whether they agree."""
    p = subprocess.run([sys.executable, os.path.join(shared, "compare.py"), ours, theirs,
                        "--status-only"], capture_output=True, text=True)
    print(f"\nstatuses, ontrack (A) vs {label} (B):")
    print(p.stdout.rstrip())
    if p.returncode not in (0, 1):
        die(f"compare.py failed:\n{p.stderr}")
    if p.returncode:
        # The peers list an entity only when it has a usable observation; ontrack
        # (SPEC section 3) gives no_data for a series without one.
        with open(ours, encoding="utf-8") as f:
            a = {(r["id"], r["country"]): r["status"] for r in json.load(f)}
        with open(theirs, encoding="utf-8") as f:
            b = {(r["id"], r["country"]) for r in json.load(f)}
        only = collections.Counter(s for k, s in a.items() if k not in b)
        if only:
            print(f"results only in ontrack, by status: {dict(sorted(only.items()))}")
    return p.returncode == 0


def median(xs):
    return statistics.median(xs)


def main():
    ap = argparse.ArgumentParser(
        description="ontrack vs the polars/pandas peers: time, memory, agreement.",
        epilog="See the module docstring (head of this file) and benches/README.md.")
    ap.add_argument("--workload", default="/tmp/ontrack-bench/large")
    ap.add_argument("--shared-bench", default=DEFAULT_SHARED)
    ap.add_argument("--bin", help="the ontrack binary (default: cargo build --release)")
    ap.add_argument("--python", default="/tmp/peers/bin/python")
    ap.add_argument("-n", "--runs", type=int, default=5)
    ap.add_argument("--as-of", default="2025-06-30")
    ap.add_argument("--pandas", action="store_true", help="run peer_pandas.py too")
    ap.add_argument("--out", help="results folder (default /tmp/ontrack-peers/<name>)")
    gen = ap.add_argument_group("generation (only when the workload is missing)")
    gen.add_argument("--size", default="large", help="gen_workload.py preset (default large)")
    for flag in ("countries", "indicators", "years", "targets", "seed"):
        gen.add_argument(f"--{flag}", type=int)
    a = ap.parse_args()
    if a.runs < 1:
        die("-n must be at least 1")

    shared = os.path.abspath(a.shared_bench)
    workload = os.path.abspath(a.workload)
    for f in ("peer_polars.py", "compare.py") + (("peer_pandas.py",) if a.pandas else ()):
        if not os.path.exists(os.path.join(shared, f)):
            die(f"{f} not found in {shared} (see --shared-bench)")
    if not os.path.exists(a.python):
        die(f"{a.python} not found: python3 -m venv /tmp/peers && "
            "/tmp/peers/bin/pip install polars pandas (or pass --python)")
    if not os.path.exists("/usr/bin/time"):
        die("/usr/bin/time not found (Debian: apt-get install time)")

    binary = os.path.abspath(a.bin) if a.bin else build_release()
    if not os.access(binary, os.X_OK):
        die(f"{binary} is not an executable")
    gen_flags = ["--size", a.size] + [x for flag in ("countries", "indicators", "years",
                                                     "targets", "seed")
                                      if getattr(a, flag) is not None
                                      for x in (f"--{flag}", str(getattr(a, flag)))]
    if not ensure_workload(workload, shared, gen_flags) and gen_flags != ["--size", "large"]:
        print(f"note: {workload} already has a workload; generation flags ignored",
              file=sys.stderr)
    out = os.path.abspath(a.out or os.path.join("/tmp/ontrack-peers",
                                                 os.path.basename(workload)))
    os.makedirs(out, exist_ok=True)

    csv, rules = os.path.join(workload, "data.csv"), os.path.join(workload, "targets.targets")
    report = os.path.join(out, "ontrack-report.json")
    peer_out = {lib: os.path.join(out, f"{lib}.json") for lib in ("polars", "pandas")}
    commands = {  # name -> (command, accepted exit codes)
        "ontrack": ([binary, "check", rules, "--data", csv, "--as-of", a.as_of,
                     "--format", "json", "--output", report], (0, 1)),
        "polars": ([a.python, os.path.join(shared, "peer_polars.py"), csv, rules,
                    "--out", peer_out["polars"], "--as-of", a.as_of], (0,)),
    }
    if a.pandas:
        commands["pandas"] = ([a.python, os.path.join(shared, "peer_pandas.py"), csv, rules,
                               "--out", peer_out["pandas"], "--as-of", a.as_of], (0,))

    rows = sum(1 for _ in open(csv, "rb")) - 1
    print(f"workload {workload}: data.csv {os.path.getsize(csv) / 2**20:.1f} MiB, "
          f"{rows} rows; as of {a.as_of}; {os.cpu_count()} CPUs; binary {binary}")
    runs = {name: [] for name in commands}
    for i in range(a.runs):  # interleaved, so drift on the machine hits every command alike
        for name, (cmd, ok) in commands.items():
            runs[name].append(timed(cmd, ok))
            print(f"  run {i + 1}/{a.runs} {name}: {runs[name][-1][0]:.3f} s, "
                  f"{runs[name][-1][1]:.0f} MiB", file=sys.stderr, flush=True)

    print(f"\n| command | wall s (median of {a.runs}) | min | max | peak RSS MiB (median) |")
    print("|---|---|---|---|---|")
    med = {}
    for name, r in runs.items():
        walls, rss = [t for t, _ in r], [m for _, m in r]
        med[name] = (median(walls), median(rss))
        print(f"| {name} | {med[name][0]:.3f} | {min(walls):.3f} | {max(walls):.3f} "
              f"| {med[name][1]:.0f} |")
    print()
    for peer in [p for p in ("polars", "pandas") if p in med]:
        print(f"ontrack/{peer}: wall {med['ontrack'][0] / med[peer][0]:.2f}x, "
              f"peak RSS {med['ontrack'][1] / med[peer][1]:.2f}x")

    ours = os.path.join(out, "ontrack-results.json")
    skipped = convert_report(report, ours)
    counts = status_counts(ours)
    print(f"\nontrack: {sum(counts.values())} results with a country: "
          f"{dict(sorted(counts.items()))}" + (f"; {skipped} without one" if skipped else ""))
    agree = all([compare(shared, ours, peer_out[p], p) for p in ("polars", "pandas")
                 if p in commands])
    print(f"\n{'AGREE' if agree else 'DISAGREE'}; files in {out}")
    sys.exit(0 if agree else 1)


if __name__ == "__main__":
    main()
