//! The GitHub Actions report, written through `report::write` from
//! hand-built results.

mod common;

use common::results;
use ontrack::eval::Status;
use ontrack::report::github::{data, property};
use ontrack::report::{self, Format, Report};

fn github(failing: &[Status]) -> String {
    let evaluation = results::evaluation();
    let rules = results::rule_sets();
    let accounts = results::accounts();
    let report = Report {
        failing,
        ..Report::new(&evaluation, &rules, &accounts)
    };
    let mut out = Vec::new();
    report::write(Format::Github, &report, &mut out, true).expect("writing to memory");
    String::from_utf8(out).expect("UTF-8")
}

#[test]
fn failing_results_are_errors_and_no_data_a_warning() {
    insta::assert_snapshot!(github(&Status::DEFAULT_FAILING));
}

#[test]
fn a_warning_target_with_a_failing_status_is_a_warning_never_an_error() {
    let text = github(&[Status::NoData, Status::Met]);
    // steel_2024 is no_data with warning severity; locomotives_2024 is met.
    insta::assert_snapshot!(text, @r"
    ::error file=rules/kz/manufacturing-2025.targets,line=14,col=1,title=MET locomotives_2024::2024: 124 units, 4 above 120 (+3.3%25)
    ::warning file=rules/kz/manufacturing-2025.targets,line=24,col=1,title=NO DATA steel_2024 (warning)::no observation of `steel_output` up to 2024
    ::notice title=ontrack::8 results: 1 met, 1 missed, 1 achieved, 1 on track, 2 off track, 1 no data, 1 error; 1 fails the run (no_data, met)
    ");
}

#[test]
fn escaping_follows_the_runner() {
    assert_eq!(data("50% done\r\nnext"), "50%25 done%0D%0Anext");
    assert_eq!(data("a: b, c"), "a: b, c");
    assert_eq!(property("a: b, c%"), "a%3A b%2C c%25");
    assert_eq!(
        data("tab\there\u{0}\u{1b}[31m"),
        "tab\there\u{fffd}\u{fffd}[31m"
    );
}
