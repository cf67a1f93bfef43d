//! Parsing and statically checking rule files (`source::lint`: parse, then
//! every static check), with criterion:
//!
//! ```sh
//! cargo bench --bench parser                 # full measurement
//! cargo bench --bench parser -- --quick      # a few seconds
//! cargo bench --bench parser -- generated    # only the benchmarks whose name has `generated`
//! ```
//!
//! Two inputs:
//! - `shipped/*`: each rule file under `rules/` (a few hundred lines each,
//!   mostly attributes and comments), and `shipped/all` for all of them;
//! - `generated/10000`: a file of 10,000 targets built here, cycling through
//!   the forms the language has (`for each` targets as the benchmark workload
//!   writes them, selectors, `let` references, ratios to a base period,
//!   `in each period`, projection clauses, attributes, units and sections),
//!   about 33,000 lines.
//!
//! Also `parse_only/generated/10000`, the parser alone without the checks.
//! Throughput is reported in bytes of rule text.

use std::fmt::Write as _;
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use ontrack::source::{self, SourceFile};

const GENERATED_TARGETS: usize = 10_000;

/// The rule files shipped under `rules/`, read once.
fn shipped() -> Vec<SourceFile> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
    let paths = source::find(&[root]).expect("rules/ is readable");
    assert!(!paths.is_empty(), "no rule files under rules/");
    paths
        .iter()
        .map(|path| source::read(path).expect("a rule file"))
        .collect()
}

/// A rule file of `targets` targets in every form of the language. The
/// indicators are made up: static checks do not resolve them.
fn generated(targets: usize) -> String {
    let mut text = String::with_capacity(targets * 120);
    text.push_str("# Generated for the parser benchmark\n");
    text.push_str("title \"Generated benchmark targets\"\n");
    text.push_str("source \"benches/parser.rs\"\n");
    text.push_str("owner \"Benchmarks\"\n\n");
    text.push_str("unit MTOE = 1000 KTOE\nunit KTOE = 41.868 TJ\n\n");
    const LETS: usize = 50;
    for k in 0..LETS {
        writeln!(
            text,
            "let l{k:03} = IND{:04}{{sector=\"S{k:02}\"}}",
            k * 7 % 1000 + 1
        )
        .unwrap();
    }
    for i in 0..targets {
        if i % 1000 == 0 {
            writeln!(text, "\nsection \"Block {}\"", i / 1000 + 1).unwrap();
        }
        let indicator = i * 37 % 1000 + 1;
        let year = 2014 + i % 22;
        let op = if i % 3 == 0 { "<=" } else { ">=" };
        let threshold = (i * 7919 % 100_000) as f64 / 10.0 + 1.0;
        let name = format!("t{i:05}");
        text.push('\n');
        match i % 6 {
            0 => writeln!(
                text,
                "target {name} for each country: IND{indicator:04} {op} {threshold} by {year}"
            ),
            1 => writeln!(
                text,
                "target {name} \"Indicator {indicator} of country C{:03}\":\n    \
                 IND{indicator:04}{{country=\"C{:03}\"}} {op} {}% by {year}\n    \
                 owner \"Ministry {}\"\n    tags block{}, generated",
                i % 200 + 1,
                i % 200 + 1,
                threshold / 1000.0,
                i % 17,
                i / 1000
            ),
            2 => writeln!(
                text,
                "target {name} \"Growth over 2015\" for each country:\n    \
                 l{:03} >= (1 + {}%) * l{:03}@2015 by {year}\n    \
                 quote \"at least {} percent above the 2015 level\"",
                i % LETS,
                i % 40 + 1,
                i % LETS,
                i % 40 + 1
            ),
            3 => writeln!(
                text,
                "target {name} for each country in (\"C001\", \"C002\", \"C003\", \"C004\"):\n    \
                 IND{indicator:04} {op} {threshold} in each period from {}\n    \
                 severity warning",
                2000 + i % 20
            ),
            4 => writeln!(
                text,
                "target {name} \"Energy at most {threshold} Mtoe\":\n    \
                 IND{indicator:04}{{geo=\"EU27_2020\"}} <= {threshold} MTOE in {}\n    \
                 projection linear over 10 years\n    \
                 note \"generated\"",
                2025 + i % 11
            ),
            _ => writeln!(
                text,
                "target {name}: IND{indicator:04} + IND{:04} {op} 2 * {threshold} by {year}",
                (indicator + 1) % 1000 + 1
            ),
        }
        .unwrap();
    }
    text
}

fn lint_clean(file: &SourceFile) {
    let linted = source::lint(file);
    assert!(
        !linted.has_errors(),
        "{} does not check cleanly:\n{}",
        file.name(),
        file.render(&linted.diagnostics, false)
    );
}

fn bench(c: &mut Criterion) {
    let files = shipped();
    let text = generated(GENERATED_TARGETS);
    let big = SourceFile {
        path: PathBuf::from("generated.targets"),
        text,
    };
    // The inputs must be valid, or the benchmark measures error paths.
    for file in files.iter().chain([&big]) {
        lint_clean(file);
    }
    let parsed = ontrack::syntax::parse(&big.text).expect("parses");
    assert_eq!(
        parsed
            .statements
            .iter()
            .filter(|s| matches!(s.node, ontrack::syntax::ast::Statement::Target(_)))
            .count(),
        GENERATED_TARGETS
    );

    let mut group = c.benchmark_group("lint");
    for file in &files {
        let stem = file.path.file_stem().unwrap_or_default().to_string_lossy();
        group.throughput(Throughput::Bytes(file.text.len() as u64));
        group.bench_function(format!("shipped/{stem}"), |b| {
            b.iter(|| source::lint(black_box(file)))
        });
    }
    let total: usize = files.iter().map(|f| f.text.len()).sum();
    group.throughput(Throughput::Bytes(total as u64));
    group.bench_function("shipped/all", |b| {
        b.iter(|| {
            for file in &files {
                black_box(source::lint(black_box(file)));
            }
        })
    });
    // Parsing 10,000 targets takes a sizeable fraction of a second: take
    // criterion's smallest sample count.
    group.sample_size(10);
    group.throughput(Throughput::Bytes(big.text.len() as u64));
    group.bench_function(format!("generated/{GENERATED_TARGETS}"), |b| {
        b.iter(|| source::lint(black_box(&big)))
    });
    group.finish();

    let mut group = c.benchmark_group("parse_only");
    group.sample_size(10);
    group.throughput(Throughput::Bytes(big.text.len() as u64));
    group.bench_function(format!("generated/{GENERATED_TARGETS}"), |b| {
        b.iter(|| ontrack::syntax::parse(black_box(&big.text)))
    });
    group.finish();
}

criterion_group! {
    name = benches;
    // Short runs by default; command-line flags (`--quick`,
    // `--measurement-time`, `--sample-size`) override these.
    config = Criterion::default()
        .sample_size(20)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));
    targets = bench
}
criterion_main!(benches);
