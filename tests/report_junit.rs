//! The JUnit report, written through `report::write` from hand-built
//! results, then read back with an XML parser.

mod common;

use common::results;
use ontrack::eval::Status;
use ontrack::report::{self, Format, Report};

fn junit(failing: &[Status], run_at: Option<u64>) -> String {
    let evaluation = results::evaluation();
    let rules = results::rule_sets();
    let accounts = results::accounts();
    let report = Report {
        failing,
        run_at,
        ..Report::new(&evaluation, &rules, &accounts)
    };
    let mut out = Vec::new();
    report::write(Format::Junit, &report, &mut out, true).expect("writing to memory");
    String::from_utf8(out).expect("UTF-8")
}

#[test]
fn one_suite_per_rule_file_one_case_per_result() {
    insta::assert_snapshot!(junit(&Status::DEFAULT_FAILING, None));
}

/// `(tests, failures, errors, skipped)` of an element.
fn counts(node: roxmltree::Node<'_, '_>) -> [usize; 4] {
    ["tests", "failures", "errors", "skipped"].map(|name| {
        node.attribute(name)
            .unwrap_or_else(|| panic!("{name} on {}", node.tag_name().name()))
            .parse()
            .expect("a count")
    })
}

/// The counts of the testcases under `node`, as a reader would tally them.
fn tally(node: roxmltree::Node<'_, '_>) -> [usize; 4] {
    let mut counts = [0; 4];
    for case in node.descendants().filter(|n| n.has_tag_name("testcase")) {
        counts[0] += 1;
        for (i, tag) in [(1, "failure"), (2, "error"), (3, "skipped")] {
            counts[i] += case.children().filter(|c| c.has_tag_name(tag)).count();
        }
    }
    counts
}

#[test]
fn the_counts_match_the_testcases_and_the_exit_code() {
    for (failing, expected) in [
        // missed, off_track ×2 fail; error is an error; the no_data target
        // (warning severity) is skipped.
        (&Status::DEFAULT_FAILING[..], [8, 3, 1, 1]),
        // Nothing fails: the error result passes, no_data is still skipped.
        (&[][..], [8, 0, 0, 1]),
        // A warning-severity no_data never fails: it stays skipped.
        (&[Status::NoData, Status::Met][..], [8, 1, 0, 1]),
    ] {
        let text = junit(failing, None);
        let document = roxmltree::Document::parse(&text).expect("well-formed XML");
        let root = document.root_element();
        assert_eq!(root.tag_name().name(), "testsuites");
        assert_eq!(counts(root), expected, "{failing:?}");
        assert_eq!(tally(root), expected, "{failing:?}");
        let suites: Vec<_> = root
            .children()
            .filter(|n| n.has_tag_name("testsuite"))
            .collect();
        assert_eq!(suites.len(), 2);
        for suite in suites {
            assert_eq!(counts(suite), tally(suite));
            let name = suite.attribute("name").expect("name");
            for case in suite.children().filter(|n| n.has_tag_name("testcase")) {
                assert_eq!(case.attribute("classname"), Some(name));
                assert_eq!(case.attribute("time"), Some("0"));
            }
        }
    }
}

#[test]
fn the_timestamp_is_the_run_time_or_the_as_of_date() {
    let as_of = junit(&Status::DEFAULT_FAILING, None);
    assert!(
        as_of.contains(r#"timestamp="2026-03-31T00:00:00""#),
        "{as_of}"
    );
    // 2025-06-30 13:45:07 UTC
    let run = junit(&Status::DEFAULT_FAILING, Some(1_751_291_107));
    assert!(run.contains(r#"timestamp="2025-06-30T13:45:07""#), "{run}");
}

#[test]
fn an_entity_result_is_named_with_its_entity() {
    let text = junit(&Status::DEFAULT_FAILING, None);
    let document = roxmltree::Document::parse(&text).expect("well-formed XML");
    let names: Vec<&str> = document
        .descendants()
        .filter(|n| n.has_tag_name("testcase"))
        .filter_map(|n| n.attribute("name"))
        .collect();
    assert!(names.contains(&"renewables_2030[country=DE]"), "{names:?}");
}
