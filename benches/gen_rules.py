#!/usr/bin/env python3
"""Writes a large, valid rule file for timing `ontrack lint` (parsing and
static checks) on many targets.

    python3 benches/gen_rules.py > /tmp/rules100k.targets
    python3 benches/gen_rules.py --targets 10000 > /tmp/rules10k.targets
    cargo build --release
    /usr/bin/time -f "%e s %M KB" target/release/ontrack lint /tmp/rules100k.targets

The file has a `title`, `source`, `scope`, `unit` and `let` statements, a
`section` every 1,000 targets and `--targets` targets (default 100,000),
one per line or spread over indented lines. The targets mix what the
grammar allows: `for each` with and without listed values, selectors,
anchors, aggregates, `by`/`in`/`in each period` clauses, attributes on the
same line and on their own lines, comments (own line, indented, trailing,
at column 0 between attribute lines), `#` inside strings and backticks,
and brackets that span lines. The output depends only on `--targets`, so
every run writes the same file; `ontrack lint` reports no errors on it.
Generated files are not committed.
"""

import argparse
import sys


def target(i: int) -> str:
    """The text of target number `i` (from 1), ending with a newline."""
    ind = f"IND{i % 997 + 1:04d}"
    other = f"IND{(i * 7) % 991 + 1:04d}"
    country = f"C{i % 53 + 1:03d}"
    year = 2025 + i % 10
    value = 1000 + (i * 37) % 9000
    tid = f"t{i:06d}"
    kind = i % 20
    if kind == 0:
        return (
            f'target {tid} "Target number {i}, with # in the text" for each country:\n'
            f"    {ind} >= {value} thousand units by {year}\n"
            f'    owner "Ministry {i % 17}"\n'
            f"# a comment at column 0 between attribute lines\n"
            f'    quote "increase the output to {value} thousand units by {year}"\n'
            f"    tags t{i % 5}, group_{i % 3} # trailing comment\n"
        )
    if kind == 1:
        return f'target {tid}: {ind}{{country="{country}"}} >= {value} by {year}\n'
    if kind == 2:
        return f"target {tid} for each country: {ind} >= 1.05 * {ind}@2020 in each period from 2015\n"
    if kind == 3:
        return (
            f"target {tid}: ( # a comment inside brackets\n"
            f"    {ind} > {value}\n"
            f"    # an own-line comment inside brackets\n"
            f"or {other}{{country=\"{country}\",\n"
            f'  sector="S13"}} < 5%\n'
            f") and `gdp # growth`@{year - 10} > 0 in {year}\n"
        )
    if kind == 4:
        return f"{ind} >= {value} units by {year} severity warning\n"
    if kind == 5:
        return f"target {tid}: sum({ind}@2024-01..2024-04) >= {value} by {year}-Q{i % 4 + 1}\n"
    if kind == 6:
        return f"target {tid}: share{i % 50:02d} >= {i % 40 + 1}% by {year}\n"
    if kind == 7:
        return (
            f"target {tid} for each country in (\"KZ\", \"UZ\", \"KG\"):\n"
            f"    growth({ind}, {ind}@2020) >= {i % 30 + 1}% by {year}\n"
            f"    projection linear over 5 years\n"
        )
    if kind == 8:
        return f"target {tid}: {ind} >= {value} by {year} # trailing comment\n"
    return f"target {tid} for each country: {ind} >= {value} by {year}\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--targets", type=int, default=100_000, help="how many targets (default 100,000)")
    args = parser.parse_args()

    out = sys.stdout
    out.write(f"# A generated rule file with {args.targets} targets (benches/gen_rules.py).\n")
    out.write('title "x"\n')
    out.write('source "benches/gen_rules.py"\n')
    out.write('scope sector = "S1"\n')
    out.write("unit kt = thousand t\n\n")
    for n in range(50):
        out.write(f"let share{n:02d} = IND{n + 1:04d} / IND{n + 101:04d} * 100\n")
    for i in range(1, args.targets + 1):
        if i % 1000 == 1:
            out.write(f'\nsection "Section {i // 1000 + 1}"\n\n')
        out.write(target(i))


if __name__ == "__main__":
    main()
