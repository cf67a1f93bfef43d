//! Loading data and evaluating targets, with criterion, on the small
//! generated workload committed in `tests/fixtures/bench/small/`
//! (`gen_workload.py --size small`: 20 countries × 50 indicators × 40
//! years, 37,999 CSV rows, 50 `for each country` targets, 999 results):
//!
//! ```sh
//! cargo bench --bench evaluator              # full measurement
//! cargo bench --bench evaluator -- --quick   # a few seconds
//! cargo bench --bench evaluator -- load      # only the benchmarks whose name has `load`
//! ```
//!
//! - `load/csv`: `data::load` of `data.csv` alone (read, parse, build the dataset);
//! - `evaluate/2025-06-30` and `evaluate/2020-06-30`: `eval::evaluate` of the
//!   parsed rules against the loaded dataset, nothing else;
//! - `check/2025-06-30`: both together plus parsing the rules, what
//!   `ontrack check` does before it writes its report.
//!
//! Throughput is in CSV rows for `load` and `check`, in results for `evaluate`.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use ontrack::data::period::Date;
use ontrack::data::{self, DataSource, LoadOptions, Loaded};
use ontrack::eval::{self, EvalOptions, RuleSet};
use ontrack::source;

const FOLDER: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/bench/small");

fn load(csv: &Path) -> Loaded {
    data::load(&[DataSource::new(csv)], &LoadOptions::default())
}

fn rules(path: &Path) -> RuleSet {
    let file = source::read(path).expect("targets.targets is readable");
    let linted = source::lint(&file);
    assert!(
        !linted.has_errors(),
        "{}",
        file.render(&linted.diagnostics, false)
    );
    RuleSet {
        path: file.path,
        file: linted.file.expect("parsed"),
    }
}

fn options(as_of: &str) -> EvalOptions {
    EvalOptions {
        as_of: Date::parse(as_of).expect("a date"),
        trace: false,
        history: false,
    }
}

fn bench(c: &mut Criterion) {
    let folder = PathBuf::from(FOLDER);
    let csv = folder.join("data.csv");
    let targets = folder.join("targets.targets");

    let loaded = load(&csv);
    assert!(!loaded.is_fatal(), "{:?}", loaded.errors.first());
    let rows = loaded.files[0].rows_read;
    let rule_sets = [rules(&targets)];
    let results = eval::evaluate(&rule_sets, &loaded.dataset, &options("2025-06-30"))
        .results
        .len();
    assert!(results > 0, "no results");

    let mut group = c.benchmark_group("load");
    group.throughput(Throughput::Elements(rows));
    group.bench_function("csv", |b| b.iter(|| load(black_box(&csv))));
    group.finish();

    let mut group = c.benchmark_group("evaluate");
    group.throughput(Throughput::Elements(results as u64));
    for as_of in ["2025-06-30", "2020-06-30"] {
        let options = options(as_of);
        group.bench_function(as_of, |b| {
            b.iter(|| eval::evaluate(black_box(&rule_sets), &loaded.dataset, &options))
        });
    }
    group.finish();

    let mut group = c.benchmark_group("check");
    group.throughput(Throughput::Elements(rows));
    let options = options("2025-06-30");
    group.bench_function("2025-06-30", |b| {
        b.iter(|| {
            let rule_sets = [rules(black_box(&targets))];
            let loaded = load(black_box(&csv));
            eval::evaluate(&rule_sets, &loaded.dataset, &options)
        })
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
