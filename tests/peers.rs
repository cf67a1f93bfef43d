//! Statuses agree with the benchmark's reference semantics: the small
//! generated workload (shared/bench/gen_workload.py --size small) evaluated
//! by ontrack and by the plain-Python oracle (shared/bench/oracle.py), whose
//! results the polars and pandas peers reproduce exactly.

use std::collections::BTreeMap;
use std::path::Path;

use ontrack::data::period::Date;
use ontrack::data::{self, DataSource, LoadOptions};
use ontrack::eval::{EvalOptions, RuleSet, Status, ValueKind, evaluate};

const FOLDER: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/bench/small");

#[derive(serde::Deserialize)]
struct Expected {
    id: String,
    country: String,
    status: String,
    projected: Option<f64>,
}

fn check(as_of: &str) {
    let folder = Path::new(FOLDER);
    let loaded = data::load(
        &[DataSource::new(folder.join("data.csv"))],
        &LoadOptions::default(),
    );
    assert!(
        loaded.errors.is_empty(),
        "{:?}",
        &loaded.errors[..loaded.errors.len().min(3)]
    );
    let account = &loaded.files[0];
    assert_eq!(account.rows_read, 37_999);
    assert_eq!(
        account.rows_read,
        account.rows_loaded + account.rows_missing + account.rows_rejected
    );
    let text = std::fs::read_to_string(folder.join("targets.targets")).expect("targets");
    let file = ontrack::syntax::parse(&text).expect("targets parse");
    let rules = [RuleSet {
        path: folder.join("targets.targets"),
        file,
    }];
    let options = EvalOptions {
        as_of: Date::parse(as_of).expect("date"),
        trace: false,
        history: false,
    };
    let evaluation = evaluate(&rules, &loaded.dataset, &options);

    let expected: Vec<Expected> = serde_json::from_str(
        &std::fs::read_to_string(folder.join(format!("oracle-{as_of}.json"))).expect("oracle"),
    )
    .expect("oracle JSON");
    let ours: BTreeMap<(String, String), _> = evaluation
        .results
        .iter()
        .map(|r| {
            (
                (
                    r.id.clone(),
                    r.entity.clone().map(|e| e.1).unwrap_or_default(),
                ),
                r,
            )
        })
        .collect();
    let mut mismatches = Vec::new();
    for e in &expected {
        let Some(result) = ours.get(&(e.id.clone(), e.country.clone())) else {
            mismatches.push(format!("{} {}: missing", e.id, e.country));
            continue;
        };
        if result.status.as_str() != e.status {
            mismatches.push(format!(
                "{} {}: {} (expected {}): {}",
                e.id, e.country, result.status, e.status, result.message
            ));
            continue;
        }
        if let Some(projected) = e.projected {
            // The oracle works in values as written (it does not read units):
            // `%` data is stored here as a fraction.
            let ours = result
                .values
                .iter()
                .find(|v| v.kind == ValueKind::Projected)
                .map(|v| {
                    if v.unit.as_deref() == Some("%") {
                        v.value * 100.0
                    } else {
                        v.value
                    }
                });
            let close =
                ours.is_some_and(|v| (v - projected).abs() <= 1e-9 * v.abs().max(projected.abs()));
            if !close {
                mismatches.push(format!(
                    "{} {}: projected {ours:?}, expected {projected}",
                    e.id, e.country
                ));
            }
        }
    }
    // The oracle lists an entity only when it has a usable observation; a
    // series with none is no_data here (SPEC section 3 takes every series).
    let listed: std::collections::BTreeSet<_> = expected
        .iter()
        .map(|e| (e.id.clone(), e.country.clone()))
        .collect();
    for (key, result) in &ours {
        if !listed.contains(key) {
            assert_eq!(result.status, Status::NoData, "{key:?}: {}", result.message);
        }
    }
    assert!(
        mismatches.is_empty(),
        "{} mismatches at {as_of}:\n{}",
        mismatches.len(),
        mismatches[..mismatches.len().min(10)].join("\n")
    );
}

#[test]
fn statuses_agree_at_the_default_as_of_date() {
    check("2025-06-30");
}

#[test]
fn statuses_agree_in_2020() {
    check("2020-06-30");
}

#[test]
fn statuses_agree_at_the_end_of_2023() {
    check("2023-12-31");
}
