//! The shipped example: `ontrack check` on the Kazakhstan rules and their
//! illustrative data gives every status, in every report format.

use std::process::{Command, Output};

fn check(format: &str) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ontrack"))
        .args([
            "check",
            "rules/kz/manufacturing-2025.targets",
            "--data",
            "examples/kz/data.yaml",
            "--as-of",
            "2025-06-30",
            "--format",
            format,
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        // The JUnit timestamp: 2025-06-30 09:00:00 UTC.
        .env("SOURCE_DATE_EPOCH", "1751274000")
        .output()
        .expect("ontrack runs")
}

#[test]
fn text_report_of_the_kazakhstan_example() {
    let output = check("text");
    // Missed, off-track and error results fail the run.
    assert_eq!(
        output.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let text = String::from_utf8(output.stdout).expect("UTF-8 report");
    for tag in [
        "MET",
        "MISSED",
        "ACHIEVED",
        "ON TRACK",
        "OFF TRACK",
        "NO DATA",
        "ERROR",
    ] {
        assert!(
            text.contains(&format!("    {tag} ")),
            "no {tag} result:\n{text}"
        );
    }
    insta::assert_snapshot!(text);
}

#[test]
fn json_report_of_the_kazakhstan_example() {
    let output = check("json");
    assert_eq!(output.status.code(), Some(1));
    let text = String::from_utf8(output.stdout).expect("UTF-8 report");
    let report: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
    let summary = &report["summary"];
    for (status, count) in [
        ("met", 2),
        ("missed", 1),
        ("achieved", 2),
        ("on_track", 3),
        ("off_track", 2),
        ("no_data", 1),
        ("error", 1),
    ] {
        assert_eq!(summary[status], count, "{status}");
    }
    insta::assert_snapshot!(text);
}

#[test]
fn the_configuration_file_gives_the_same_run() {
    let output = Command::new(env!("CARGO_BIN_EXE_ontrack"))
        .args(["check", "--config", "examples/kz/ontrack.yaml"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .output()
        .expect("ontrack runs");
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(output.stdout, check("text").stdout);
}

#[test]
fn html_report_of_the_kazakhstan_example() {
    let output = check("html");
    assert_eq!(output.status.code(), Some(1));
    let html = String::from_utf8(output.stdout).expect("UTF-8 report");
    // A card per target; a chart on each but the error's (no indicator).
    // The no-data one charts its single observation.
    assert_eq!(html.matches("<article class=\"card").count(), 12);
    assert_eq!(html.matches("<svg class=\"ch\"").count(), 11);
    assert_eq!(html.matches("<p class=\"nochart\">").count(), 1);
    insta::assert_snapshot!(html);
}

#[test]
fn markdown_report_of_the_kazakhstan_example() {
    let output = check("markdown");
    assert_eq!(output.status.code(), Some(1));
    let text = String::from_utf8(output.stdout).expect("UTF-8 report");
    insta::assert_snapshot!(text);
}

#[test]
fn junit_report_of_the_kazakhstan_example() {
    let output = check("junit");
    assert_eq!(output.status.code(), Some(1));
    let text = String::from_utf8(output.stdout).expect("UTF-8 report");
    let document = roxmltree::Document::parse(&text).expect("well-formed XML");
    let root = document.root_element();
    // 1 missed + 2 off_track fail, 1 error, 1 no_data skipped.
    for (attribute, value) in [
        ("tests", "12"),
        ("failures", "3"),
        ("errors", "1"),
        ("skipped", "1"),
        ("timestamp", "2025-06-30T09:00:00"),
    ] {
        assert_eq!(root.attribute(attribute), Some(value), "{attribute}");
    }
    insta::assert_snapshot!(text);
}

#[test]
fn github_report_of_the_kazakhstan_example() {
    let output = check("github");
    assert_eq!(output.status.code(), Some(1));
    let text = String::from_utf8(output.stdout).expect("UTF-8 report");
    insta::assert_snapshot!(text);
}
