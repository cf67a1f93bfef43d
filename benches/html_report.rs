//! The HTML report of 10,000 results: how long writing it takes and how
//! big it is. A plain harness (`harness = false`), no benchmark framework:
//!
//! ```sh
//! cargo bench --bench html_report
//! ```
//!
//! The results: 200 `for each` targets of 45 entities (9,000 rows with a
//! sparkline each) and 1,000 single targets (a chart each), every one with
//! a 40-year history; a tenth of the single targets are errors without
//! history. The report is written to memory (the size) and then to a sink
//! several times (the time, best and median). `HTML_REPORT_BENCH_OUT=FILE`
//! also saves the page.

use std::hint::black_box;
use std::io;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use ontrack::data::FileAccount;
use ontrack::data::period::{Date, Period};
use ontrack::eval::{
    Evaluation, Gap, Progress, ProgressCategory, RuleSet, Status, TargetLevel, TargetResult,
    UsedValue, ValueKind,
};
use ontrack::report::{self, Format, Report};
use ontrack::syntax::ast::Severity;

const FOR_EACH_TARGETS: usize = 200;
const ENTITIES: usize = 45;
const SINGLE_TARGETS: usize = 1_000;
const HISTORY_YEARS: i32 = 40;
const RUNS: usize = 10;

fn main() {
    let rules = vec![RuleSet {
        path: PathBuf::from("rules/bench.targets"),
        file: ontrack::syntax::parse("title \"Benchmark\"\ntarget t: x >= 1 by 2030\n")
            .expect("parses"),
    }];
    let accounts = vec![FileAccount {
        path: PathBuf::from("data.csv"),
        rows_read: 400_000,
        rows_loaded: 400_000,
        rows_missing: 0,
        rows_rejected: 0,
    }];
    let evaluation = Evaluation {
        as_of: Date::new(2025, 6, 30).expect("date"),
        results: results(),
    };
    let report = Report::new(&evaluation, &rules, &accounts);

    let mut page = Vec::new();
    report::write(Format::Html, &report, &mut page, false).expect("in memory");
    let size = page.len();
    if let Some(path) = std::env::var_os("HTML_REPORT_BENCH_OUT") {
        std::fs::write(path, &page).expect("writable page");
    }

    let mut times: Vec<Duration> = (0..RUNS)
        .map(|_| {
            let start = Instant::now();
            report::write(Format::Html, &report, &mut io::sink(), false).expect("sink");
            black_box(start.elapsed())
        })
        .collect();
    times.sort();
    let results = evaluation.results.len();
    println!(
        "html report of {results} results ({FOR_EACH_TARGETS} for-each targets × {ENTITIES} entities, {SINGLE_TARGETS} single targets, {HISTORY_YEARS}-year histories)"
    );
    println!(
        "  write: best {:.1} ms, median {:.1} ms ({RUNS} runs)",
        times[0].as_secs_f64() * 1e3,
        times[RUNS / 2].as_secs_f64() * 1e3
    );
    println!(
        "  size:  {:.2} MB, {:.0} bytes per result",
        size as f64 / 1e6,
        size as f64 / results as f64
    );
}

fn results() -> Vec<TargetResult> {
    let mut results = Vec::new();
    for t in 0..FOR_EACH_TARGETS {
        for e in 0..ENTITIES {
            let mut r = result(&format!("share_{t}"), t * 31 + e, (t + e) % 7 != 0);
            r.name = format!("share_{t}[country=C{e:02}]");
            r.entity = Some(("country".to_string(), format!("C{e:02}")));
            r.section = Some(format!("Section {}", t / 20));
            results.push(r);
        }
    }
    for t in 0..SINGLE_TARGETS {
        let mut r = result(&format!("output_{t}"), t, t % 10 != 0);
        r.section = Some(format!("Section {}", t / 100));
        results.push(r);
    }
    results
}

/// A result with a 40-year history and a projection to 2030, or an error.
fn result(id: &str, seed: usize, evaluated: bool) -> TargetResult {
    let base = 50.0 + (seed % 97) as f64;
    let growth = 0.005 + (seed % 13) as f64 * 0.003;
    let history: Vec<(Period, f64)> = (0..HISTORY_YEARS)
        .map(|i| {
            let wobble = ((seed + i as usize * 7) % 11) as f64 - 5.0;
            let value = base * (1.0 + growth).powi(i) + wobble;
            (
                Period::Year(2024 - HISTORY_YEARS + 1 + i),
                (value * 10.0).round() / 10.0,
            )
        })
        .collect();
    let last = history.last().map_or(base, |(_, v)| *v);
    let projected = (last * (1.0 + growth).powi(6) * 10.0).round() / 10.0;
    let level = (last * 1.2).round();
    let status = if !evaluated {
        Status::Error
    } else if projected >= level {
        Status::OnTrack
    } else {
        Status::OffTrack
    };
    TargetResult {
        id: id.to_string(),
        name: id.to_string(),
        entity: None,
        description: Some(format!("Output of {id} up 20% by 2030")),
        file: PathBuf::from("rules/bench.targets"),
        line: 2,
        section: None,
        status,
        severity: Severity::Error,
        deadline: Some(Period::Year(2030)),
        values: if evaluated {
            vec![UsedValue {
                reference: "x".to_string(),
                series: "x[country=C]".to_string(),
                period: Period::Year(2030),
                value: projected * 1000.0,
                display: format!("{projected}"),
                unit: Some("thousand t".to_string()),
                kind: ValueKind::Projected,
                projected_from: Some(Period::Year(2024)),
            }]
        } else {
            Vec::new()
        },
        target: evaluated.then(|| TargetLevel {
            op: ">=".to_string(),
            value: level * 1000.0,
            display: format!("{level}"),
            unit: Some("thousand t".to_string()),
        }),
        gap: evaluated.then(|| Gap {
            absolute: (projected - level) * 1000.0,
            display: format!("{:.1}", projected - level),
            relative: Some((projected - level) / level),
        }),
        progress: evaluated.then(|| Progress {
            actual_cagr: growth,
            required_cagr: 0.031,
            ratio: growth / 0.031,
            category: ProgressCategory::of_ratio(growth / 0.031),
        }),
        progress_note: None,
        projection: None,
        latest_period: evaluated.then_some(Period::Year(2024)),
        data_age_years: evaluated.then_some(0.5),
        failing_periods: Vec::new(),
        message: if evaluated {
            format!("2030 projected: {projected} thousand t against {level}")
        } else {
            "unknown indicator `x`".to_string()
        },
        trace: Vec::new(),
        history: if evaluated { history } else { Vec::new() },
        history_unit: evaluated.then(|| "thousand t".to_string()),
        owner: Some("Ministry of Industry".to_string()),
        source: None,
        quote: None,
        tags: vec!["bench".to_string()],
    }
}
