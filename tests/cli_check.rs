//! `ontrack check` and `ontrack explain`: exit codes and messages that do
//! not depend on what the evaluator concludes.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const RULES: &str = "title \"Cars\"\n\
                     target cars_2025 \"Passenger cars\": passenger_cars >= 160 thousand units by 2025\n\
                     target locomotives_2025: locomotives >= 120 units by 2025\n\
                     \x20   tags industry\n";

fn ontrack_in(folder: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ontrack"))
        .args(args)
        .current_dir(folder)
        .env("NO_COLOR", "1")
        .output()
        .expect("ontrack runs")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// A fresh folder with `cars.targets` and a copy of a good data file.
fn project(name: &str) -> PathBuf {
    let folder = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("check")
        .join(name);
    let _ = std::fs::remove_dir_all(&folder);
    std::fs::create_dir_all(&folder).expect("create temp folder");
    std::fs::write(folder.join("cars.targets"), RULES).expect("write rules");
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/data/ok/long.csv");
    std::fs::copy(data, folder.join("data.csv")).expect("copy data");
    folder
}

fn assert_exit(output: &Output, code: i32) {
    assert_eq!(
        output.status.code(),
        Some(code),
        "stderr: {}",
        stderr(output)
    );
    assert!(!stderr(output).contains("panicked"), "{}", stderr(output));
}

/// The run went through to a report: 0 or 1 depending on the results.
fn assert_ran(output: &Output) {
    assert!(
        matches!(output.status.code(), Some(0 | 1)),
        "exit {:?}: {}",
        output.status.code(),
        stderr(output)
    );
}

#[test]
fn a_clean_run_reports_and_accounts_for_the_rows() {
    let folder = project("clean");
    let output = ontrack_in(
        &folder,
        &[
            "check",
            "cars.targets",
            "--data",
            "data.csv",
            "--as-of",
            "2025-06-30",
        ],
    );
    // Passenger cars: 97.3, 113, 131.4 thousand in 2022–2024, CAGR
    // (131.4/97.3)^(1/2) − 1 = 16.2%, 2025 projected 152.7 < 160: off track;
    // required (160/97.3)^(1/3) − 1 = 18.0%, ratio 0.90: moderate progress.
    // Locomotives: one observation, too few to project: no data.
    assert_exit(&output, 1);
    insta::assert_snapshot!(stdout(&output), @r"
    Cars (cars.targets)
        OFF TRACK  cars_2025: Passenger cars — 2025 projected: 152.7 thousand units, 7.3 short of 160 (−4.6%)
                   actual 16.2%/yr, required 18.0%/yr: moderate_progress (90%)
        NO DATA    locomotives_2025 — `locomotives`: only one observation (2023) in the 5-year window: too few to project

    2 results: 1 off track, 1 no data
    data.csv: 9 rows read = 8 loaded + 1 missing + 0 rejected
    ");
}

#[test]
fn warnings_and_fail_on_decide_the_exit_code() {
    let folder = project("fail-on");
    let run = |extra: &[&str]| {
        let mut args = vec![
            "check",
            "cars.targets",
            "--data",
            "data.csv",
            "--as-of",
            "2025-06-30",
        ];
        args.extend_from_slice(extra);
        ontrack_in(&folder, &args)
    };
    // off_track fails by default; with only `missed` failing, the run passes.
    assert_exit(&run(&[]), 1);
    assert_exit(&run(&["--fail-on", "missed"]), 0);
    assert_exit(&run(&["--fail-on", "no_data"]), 1);
}

#[test]
fn explain_shows_the_derivation() {
    let folder = project("explain-steps");
    let output = ontrack_in(
        &folder,
        &[
            "explain",
            "cars.targets",
            "--data",
            "data.csv",
            "--as-of",
            "2025-06-30",
            "--id",
            "cars_2025",
        ],
    );
    assert_exit(&output, 0);
    insta::assert_snapshot!(stdout(&output));
}

#[test]
fn missing_data_is_exit_2() {
    let folder = project("no-data");
    let output = ontrack_in(&folder, &["check", "cars.targets"]);
    assert_exit(&output, 2);
    assert!(
        stderr(&output).contains("no data files given"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn a_rule_file_after_data_is_exit_2_with_advice() {
    let folder = project("rules-after-data");
    let output = ontrack_in(&folder, &["check", "--data", "data.csv", "cars.targets"]);
    assert_exit(&output, 2);
    assert!(
        stderr(&output).contains("give rule files before `--data`"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn a_bad_as_of_is_exit_2() {
    let folder = project("bad-as-of");
    for date in ["2025-13-01", "2025", "yesterday"] {
        let output = ontrack_in(
            &folder,
            &[
                "check",
                "cars.targets",
                "--data",
                "data.csv",
                "--as-of",
                date,
            ],
        );
        assert_exit(&output, 2);
        assert!(
            stderr(&output).contains("invalid --as-of"),
            "{date}: {}",
            stderr(&output)
        );
    }
}

#[test]
fn a_bad_fail_on_is_exit_2() {
    let folder = project("bad-fail-on");
    let output = ontrack_in(
        &folder,
        &[
            "check",
            "cars.targets",
            "--data",
            "data.csv",
            "--fail-on",
            "missed,late",
        ],
    );
    assert_exit(&output, 2);
    assert!(
        stderr(&output).contains("unknown status `late`"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn a_bad_format_is_exit_2() {
    let folder = project("bad-format");
    let output = ontrack_in(
        &folder,
        &[
            "check",
            "cars.targets",
            "--data",
            "data.csv",
            "--format",
            "pdf",
        ],
    );
    assert_exit(&output, 2);
}

#[test]
fn an_unknown_id_is_exit_2_with_the_nearest_ids() {
    let folder = project("unknown-id");
    let output = ontrack_in(
        &folder,
        &[
            "check",
            "cars.targets",
            "--data",
            "data.csv",
            "--id",
            "cars_2052",
        ],
    );
    assert_exit(&output, 2);
    let message = stderr(&output);
    assert!(
        message.contains("no target has the id `cars_2052`"),
        "{message}"
    );
    assert!(
        message.contains("the nearest ids are `cars_2025`, `locomotives_2025`"),
        "{message}"
    );
}

#[test]
fn a_known_id_or_tag_runs() {
    let folder = project("known-id");
    for filter in [["--id", "cars_2025"], ["--tag", "industry"]] {
        let mut args = vec!["check", "cars.targets", "--data", "data.csv"];
        args.extend(filter);
        assert_ran(&ontrack_in(&folder, &args));
    }
}

#[test]
fn the_json_report_holds_only_the_results_id_and_tag_select_and_counts_them() {
    let folder = project("json-selection");
    let json = |filter: &[&str]| {
        let mut args = vec![
            "check",
            "cars.targets",
            "--data",
            "data.csv",
            "--format",
            "json",
            "--fail-on",
            "error",
        ];
        args.extend(filter);
        let output = ontrack_in(&folder, &args);
        assert_ran(&output);
        let report: serde_json::Value = serde_json::from_str(&stdout(&output)).expect("valid JSON");
        let ids: Vec<String> = report["results"]
            .as_array()
            .expect("a list of results")
            .iter()
            .map(|r| r["id"].as_str().expect("an id").to_string())
            .collect();
        let counted: u64 = report["summary"]
            .as_object()
            .expect("the summary")
            .values()
            .map(|n| n.as_u64().expect("a count"))
            .sum();
        assert_eq!(counted, ids.len() as u64, "{filter:?}");
        ids
    };
    assert_eq!(json(&[]), ["cars_2025", "locomotives_2025"]);
    assert_eq!(json(&["--id", "cars_2025"]), ["cars_2025"]);
    assert_eq!(json(&["--tag", "industry"]), ["locomotives_2025"]);
}

#[test]
fn an_unknown_tag_is_exit_2() {
    let folder = project("unknown-tag");
    let output = ontrack_in(
        &folder,
        &[
            "check",
            "cars.targets",
            "--data",
            "data.csv",
            "--tag",
            "industri",
        ],
    );
    assert_exit(&output, 2);
    assert!(
        stderr(&output).contains("the nearest tags are `industry`"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn a_rule_file_with_a_syntax_error_is_exit_2() {
    let folder = project("syntax-error");
    std::fs::write(folder.join("broken.targets"), "target x: a >= by 2025\n").expect("write");
    let output = ontrack_in(&folder, &["check", ".", "--data", "data.csv"]);
    assert_exit(&output, 2);
    assert!(
        stderr(&output).contains("broken.targets:1:"),
        "{}",
        stderr(&output)
    );
    assert!(output.stdout.is_empty(), "no report: {}", stdout(&output));
}

#[test]
fn rule_files_without_targets_are_exit_2() {
    let folder = project("no-targets");
    std::fs::write(folder.join("empty.targets"), "title \"Nothing yet\"\n").expect("write");
    let output = ontrack_in(&folder, &["check", "empty.targets", "--data", "data.csv"]);
    assert_exit(&output, 2);
    assert!(
        stderr(&output).contains("no targets found in 1 rule file"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn bad_data_rows_are_all_listed_and_exit_2() {
    let folder = project("bad-rows");
    std::fs::write(
        folder.join("bad.csv"),
        "indicator,period,value\ncars,2025-13,4.2\ncars,2024,abc\ncars,2023,1\n",
    )
    .expect("write");
    let output = ontrack_in(&folder, &["check", "cars.targets", "--data", "bad.csv"]);
    assert_exit(&output, 2);
    // Every bad row, with the field underlined; no report.
    insta::assert_snapshot!(stderr(&output));
    assert!(output.stdout.is_empty(), "no report: {}", stdout(&output));
}

#[test]
fn skip_bad_rows_goes_on_and_reports_them_rejected() {
    let folder = project("skip-bad-rows");
    std::fs::write(
        folder.join("bad.csv"),
        "indicator,period,value\ncars,2025-13,4.2\ncars,2023,1\n",
    )
    .expect("write");
    let output = ontrack_in(
        &folder,
        &[
            "check",
            "cars.targets",
            "--data",
            "bad.csv",
            "--skip-bad-rows",
        ],
    );
    assert_ran(&output);
    assert!(
        stderr(&output)
            .contains("error: bad period `2025-13`: there is no month 13\n --> bad.csv:2:6"),
        "{}",
        stderr(&output)
    );
    assert!(
        stdout(&output).contains("bad.csv: 2 rows read = 1 loaded + 0 missing + 1 rejected"),
        "{}",
        stdout(&output)
    );
}

/// `--output` writes a new report, and replaces an old one (a longer one,
/// here the first report with junk appended) whole, leaving nothing beside it.
#[test]
fn json_goes_to_the_output_file_and_replaces_an_old_one_whole() {
    let folder = project("output");
    let args = [
        "check",
        "cars.targets",
        "--data",
        "data.csv",
        "--format",
        "json",
        "--output",
        "report.json",
    ];
    let report_path = folder.join("report.json");
    for run in ["new", "replacing"] {
        if run == "replacing" {
            let old = std::fs::read_to_string(&report_path).expect("first report");
            std::fs::write(&report_path, old + &"an old report ".repeat(1000))
                .expect("write old report");
        }
        let output = ontrack_in(&folder, &args);
        assert_ran(&output);
        assert!(output.stdout.is_empty());
        let text = std::fs::read_to_string(&report_path).expect("report written");
        let report: serde_json::Value = serde_json::from_str(&text).expect("a whole JSON report");
        assert_eq!(report["schema_version"], 1, "{run}");
        assert_eq!(report["data"][0]["rows_read"], 9);
        assert_eq!(report["rules"][0]["title"], "Cars");
        assert!(report["results"].is_array(), "{text}");
        let mut names: Vec<String> = std::fs::read_dir(&folder)
            .expect("folder")
            .map(|entry| {
                entry
                    .expect("entry")
                    .file_name()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        names.sort();
        assert_eq!(names, ["cars.targets", "data.csv", "report.json"], "{run}");
    }
}

#[test]
fn the_configuration_in_the_current_folder_gives_the_defaults() {
    let folder = project("config");
    std::fs::create_dir_all(folder.join("conf")).expect("create");
    std::fs::write(
        folder.join("ontrack.yaml"),
        "rules: [cars.targets]\ndata:\n  - path: data.csv\nas_of: 2025-06-30\nformat: json\n",
    )
    .expect("write");
    let output = ontrack_in(&folder, &["check"]);
    assert_ran(&output);
    let report: serde_json::Value = serde_json::from_str(&stdout(&output)).expect("JSON report");
    assert_eq!(report["as_of"], "2025-06-30");
    assert_eq!(report["data"][0]["file"], "data.csv");

    // `--config` names another file; its paths are relative to its folder.
    std::fs::write(
        folder.join("conf/other.yaml"),
        "rules: [../cars.targets]\ndata: [../data.csv]\nas_of: 2024-01-01\nformat: json\n",
    )
    .expect("write");
    let output = ontrack_in(
        &folder,
        &[
            "check",
            "--config",
            "conf/other.yaml",
            "--as-of",
            "2025-01-01",
        ],
    );
    assert_ran(&output);
    let report: serde_json::Value = serde_json::from_str(&stdout(&output)).expect("JSON report");
    assert_eq!(report["as_of"], "2025-01-01", "the command line wins");
    // Relative to the configuration file, shown without the `..`.
    assert_eq!(report["data"][0]["file"], "data.csv");
}

#[test]
fn a_configuration_with_an_unknown_key_is_exit_2() {
    let folder = project("config-unknown-key");
    std::fs::write(
        folder.join("ontrack.yaml"),
        "rules: [cars.targets]\noutput: x.json\n",
    )
    .expect("write");
    let output = ontrack_in(&folder, &["check", "--data", "data.csv"]);
    assert_exit(&output, 2);
    let message = stderr(&output);
    assert!(
        message.contains("ontrack.yaml:2:1: unknown field `output`"),
        "{message}"
    );
}

#[test]
fn explain_with_an_unknown_id_is_exit_2() {
    let folder = project("explain-unknown-id");
    let output = ontrack_in(
        &folder,
        &[
            "explain",
            "cars.targets",
            "--data",
            "data.csv",
            "--id",
            "cars",
        ],
    );
    assert_exit(&output, 2);
    assert!(
        stderr(&output).contains("no target has the id `cars`"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn explain_needs_an_id() {
    let folder = project("explain-no-id");
    let output = ontrack_in(&folder, &["explain", "cars.targets", "--data", "data.csv"]);
    assert_exit(&output, 2);
}

#[test]
fn a_closed_stdout_does_not_panic() {
    use std::process::Stdio;
    let folder = project("broken-pipe");
    let mut child = Command::new(env!("CARGO_BIN_EXE_ontrack"))
        .args(["check", "cars.targets", "--data", "data.csv"])
        .current_dir(&folder)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("ontrack starts");
    // Close the reading end before the report is written.
    drop(child.stdout.take());
    let output = child.wait_with_output().expect("ontrack ends");
    assert_ran(&output);
    assert!(!stderr(&output).contains("panicked"), "{}", stderr(&output));
}

#[test]
fn several_formats_are_written_from_one_run() {
    let folder = project("several-formats");
    let output = ontrack_in(
        &folder,
        &[
            "check",
            "cars.targets",
            "--data",
            "data.csv",
            "--format",
            "junit=report.xml",
            "--format",
            "markdown=summary.md",
            "--format",
            "json=report.json",
            "--format",
            "text",
        ],
    );
    assert_ran(&output);
    let text = stdout(&output);
    assert!(text.contains("cars_2025"), "{text}");
    let xml = std::fs::read_to_string(folder.join("report.xml")).expect("junit written");
    assert!(xml.starts_with("<?xml"), "{xml}");
    let json = std::fs::read_to_string(folder.join("report.json")).expect("json written");
    let report: serde_json::Value = serde_json::from_str(&json).expect("valid JSON");
    assert_eq!(report["rules"][0]["title"], "Cars");
    let markdown = std::fs::read_to_string(folder.join("summary.md")).expect("markdown written");
    assert!(markdown.contains("cars_2025"), "{markdown}");

    let output = ontrack_in(
        &folder,
        &[
            "check",
            "cars.targets",
            "--data",
            "data.csv",
            "--format",
            "markdown=summary.md",
            "--format",
            "github",
        ],
    );
    assert_ran(&output);
    let markdown = std::fs::read_to_string(folder.join("summary.md")).expect("markdown written");
    assert!(markdown.starts_with("# Compliance summary"), "{markdown}");
    assert!(stdout(&output).starts_with("::"), "{}", stdout(&output));
}

#[test]
fn a_report_that_cannot_be_written_is_exit_2_after_the_others() {
    let folder = project("unwritable");
    let output = ontrack_in(
        &folder,
        &[
            "check",
            "cars.targets",
            "--data",
            "data.csv",
            "--format",
            "markdown=missing/summary.md",
            "--format",
            "json=report.json",
        ],
    );
    assert_exit(&output, 2);
    assert!(
        stderr(&output).contains("missing/summary.md: cannot write"),
        "{}",
        stderr(&output)
    );
    assert!(folder.join("report.json").exists());
}

#[test]
fn two_reports_to_standard_output_are_exit_2() {
    let folder = project("two-stdout");
    let output = ontrack_in(
        &folder,
        &[
            "check",
            "cars.targets",
            "--data",
            "data.csv",
            "--format",
            "text",
            "--format",
            "json=-",
        ],
    );
    assert_exit(&output, 2);
    insta::assert_snapshot!(stderr(&output), @r"
    error: 2 reports would go to standard output (text, json)
      help: give all but one a file: `--format json=report.json`
    ");
    assert!(output.stdout.is_empty());
}

#[test]
fn two_reports_to_one_file_are_exit_2() {
    let folder = project("same-file");
    for second in ["junit=report.out", "json=./sub/../report.out"] {
        let output = ontrack_in(
            &folder,
            &[
                "check",
                "cars.targets",
                "--data",
                "data.csv",
                "--format",
                "markdown=report.out",
                "--format",
                second,
            ],
        );
        assert_exit(&output, 2);
        assert!(
            stderr(&output).contains("reports would both be written to"),
            "{}",
            stderr(&output)
        );
        assert!(!folder.join("report.out").exists());
    }
}

#[test]
fn output_goes_with_a_single_format_only() {
    let folder = project("output-single");
    let output = ontrack_in(
        &folder,
        &[
            "check",
            "cars.targets",
            "--data",
            "data.csv",
            "--format",
            "markdown",
            "--output",
            "summary.md",
        ],
    );
    assert_ran(&output);
    assert!(output.stdout.is_empty());
    assert!(folder.join("summary.md").exists());

    for formats in [
        &["--format", "markdown", "--format", "json=r.json"][..],
        &["--format", "markdown=s.md"][..],
    ] {
        let mut args = vec!["check", "cars.targets", "--data", "data.csv"];
        args.extend_from_slice(formats);
        args.extend_from_slice(&["--output", "other.md"]);
        let output = ontrack_in(&folder, &args);
        assert_exit(&output, 2);
        assert!(
            stderr(&output).contains("`--output` goes with a single `--format`"),
            "{}",
            stderr(&output)
        );
    }
}

#[test]
fn a_format_with_an_empty_file_is_exit_2() {
    let folder = project("empty-file");
    let output = ontrack_in(
        &folder,
        &[
            "check",
            "cars.targets",
            "--data",
            "data.csv",
            "--format",
            "junit=",
        ],
    );
    assert_exit(&output, 2);
    assert!(
        stderr(&output).contains("no file after `junit=`"),
        "{}",
        stderr(&output)
    );
}
