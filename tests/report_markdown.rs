//! The Markdown report, written through `report::write` from hand-built
//! results.

mod common;

use common::results;
use ontrack::eval::{Evaluation, Status};
use ontrack::report::{self, Format, Report};

fn markdown(evaluation: &Evaluation, failing: &[Status]) -> String {
    let rules = results::rule_sets();
    let accounts = results::accounts();
    let report = Report {
        data_warnings: 2,
        failing,
        ..Report::new(evaluation, &rules, &accounts)
    };
    let mut out = Vec::new();
    // Colour is asked for and must be ignored.
    report::write(Format::Markdown, &report, &mut out, true).expect("writing to memory");
    String::from_utf8(out).expect("UTF-8")
}

#[test]
fn one_result_of_each_status_in_a_table_per_section() {
    insta::assert_snapshot!(markdown(&results::evaluation(), &Status::DEFAULT_FAILING));
}

#[test]
fn every_table_row_has_as_many_cells_as_its_header() {
    let text = markdown(&results::evaluation(), &Status::DEFAULT_FAILING);
    let mut columns = None;
    for line in text.lines() {
        if !line.starts_with('|') {
            columns = None;
            continue;
        }
        // Cells are split at pipes that are not escaped.
        let cells = line.replace("\\|", "").matches('|').count();
        match columns {
            None => columns = Some(cells),
            Some(n) => assert_eq!(cells, n, "{line}"),
        }
        assert!(!line.contains('\u{1b}'), "{line}");
    }
}

#[test]
fn the_count_of_failing_results_follows_fail_on() {
    let text = markdown(&results::evaluation(), &[Status::NoData]);
    // The only no_data result has warning severity: it never fails.
    assert!(text.contains("— 0 fail the run (no_data)."), "{text}");
}

#[test]
fn no_results_still_give_the_header_and_the_counts() {
    let evaluation = Evaluation {
        as_of: results::as_of(),
        results: Vec::new(),
    };
    insta::assert_snapshot!(markdown(&evaluation, &Status::DEFAULT_FAILING), @r"
    # Compliance summary

    As of 2026-03-31.

    Rule files:

    - Development of the manufacturing industry (rules/kz/manufacturing-2025.targets), source: primeminister.kz, Government session, 2024-05-29
    - European Union 2030 targets (rules/eu/targets-2030.targets)

    | Data file  | Rows read | Loaded | Missing | Rejected |
    | ---------- | --------: | -----: | ------: | -------: |
    | data.csv   |     1,204 |  1,180 |      20 |        4 |
    | estat.yaml |         1 |      1 |       0 |        0 |

    2 data warnings (see the run's log).

    0 results — 0 fail the run (missed, off_track, error).

    | Status    | Results |
    | --------- | ------: |
    | MET       |       0 |
    | MISSED    |       0 |
    | ACHIEVED  |       0 |
    | ON TRACK  |       0 |
    | OFF TRACK |       0 |
    | NO DATA   |       0 |
    | ERROR     |       0 |
    ");
}
