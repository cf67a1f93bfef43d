//! The hostile-input corpus (`tests/hostile/README.md`): for each case, the
//! exit code of `ontrack` and all it prints, as a snapshot.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A folder of its own for the files a case writes.
fn scratch(case: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("hostile")
        .join(case);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch folder");
    dir
}

fn write(dir: &Path, name: &str, bytes: impl AsRef<[u8]>) -> String {
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("scratch file");
    path.to_str().expect("utf-8 path").to_owned()
}

/// Runs `ontrack` from the crate root and shows what a user sees: the
/// command, the exit code, stderr and stdout (at most `MAX_LINES` lines of
/// each: the first and the last ten), with scratch paths shortened to
/// `$SCRATCH`.
fn run(args: &[&str]) -> String {
    const MAX_LINES: usize = 60;
    let output = Command::new(env!("CARGO_BIN_EXE_ontrack"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .output()
        .expect("ontrack runs");
    let scratch = Path::new(env!("CARGO_TARGET_TMPDIR")).join("hostile");
    let scratch = scratch.to_str().expect("utf-8 path");
    let shorten = |text: &str| text.replace(scratch, "$SCRATCH");
    let mut shown = format!("$ ontrack {}\n", shorten(&args.join(" ")));
    writeln!(shown, "exit code: {:?}", output.status.code()).unwrap();
    for (name, bytes) in [("stderr", &output.stderr), ("stdout", &output.stdout)] {
        let text = shorten(&String::from_utf8_lossy(bytes));
        let lines: Vec<&str> = text.lines().collect();
        if lines.is_empty() {
            continue;
        }
        writeln!(shown, "--- {name}").unwrap();
        // The first lines and the last ten, where the summaries are.
        let head = if lines.len() > MAX_LINES {
            MAX_LINES - 10
        } else {
            lines.len()
        };
        for line in &lines[..head] {
            writeln!(shown, "{}", line.trim_end()).unwrap();
        }
        if lines.len() > MAX_LINES {
            writeln!(shown, "[{} lines left out]", lines.len() - MAX_LINES).unwrap();
            for line in &lines[lines.len() - 10..] {
                writeln!(shown, "{}", line.trim_end()).unwrap();
            }
        }
    }
    shown
}

const SIMPLE: &str = "tests/hostile/rules/simple.targets";
const FIVE: &str = "tests/hostile/data/five.csv";

// ---------------------------------------------------------------- rule files

#[test]
fn nesting_ten_thousand_deep() {
    let dir = scratch("nesting");
    let cases = [
        (
            "parentheses",
            format!("{}x{}", "(".repeat(10_000), ")".repeat(10_000)),
        ),
        ("not", format!("{}x > 1", "not ".repeat(10_000))),
        ("minus", format!("{}x", "-".repeat(10_000))),
        (
            "calls",
            format!("{}x{}", "abs(".repeat(10_000), ")".repeat(10_000)),
        ),
        ("power", format!("x{}", " ^ 2".repeat(10_000))),
    ];
    for (name, expr) in cases {
        let path = write(
            &dir,
            &format!("{name}.targets"),
            format!("target t: {expr} >= 1 by 2023\n"),
        );
        insta::assert_snapshot!(format!("nesting_{name}"), run(&["lint", &path]));
    }
}

#[test]
fn long_lines_and_files() {
    let dir = scratch("long");
    let description = "a".repeat(10 << 20);
    let path = write(
        &dir,
        "long_line.targets",
        format!("target t \"{description}\": x >= 1 by 2023\n"),
    );
    insta::assert_snapshot!("long_rule_line", run(&["lint", &path]));

    let mut text = String::new();
    for i in 0..20_000 {
        writeln!(text, "target t{i}: x >= {i} by 2023").unwrap();
    }
    text.push_str("target broken: x >= by 2023\n");
    let path = write(&dir, "long_file.targets", text);
    insta::assert_snapshot!("long_rule_file", run(&["lint", &path]));
}

#[test]
fn numbers_beyond_f64() {
    for name in ["huge_number", "scale_overflow"] {
        let path = format!("tests/hostile/rules/{name}.targets");
        insta::assert_snapshot!(name, run(&["lint", &path]));
    }
    insta::assert_snapshot!(
        "arithmetic_overflow",
        run(&[
            "check",
            "tests/hostile/rules/arithmetic_overflow.targets",
            "--data",
            FIVE,
        ])
    );
}

#[test]
fn rule_periods_out_of_range() {
    insta::assert_snapshot!(run(&[
        "lint",
        "tests/hostile/rules/years_out_of_range.targets"
    ]));
}

#[test]
fn let_cycles() {
    for name in ["let_cycle", "let_self"] {
        let path = format!("tests/hostile/rules/{name}.targets");
        insta::assert_snapshot!(name, run(&["lint", &path]));
    }
}

#[test]
fn rule_file_encoding() {
    insta::assert_snapshot!(
        "rules_bad_utf8",
        run(&["lint", "tests/hostile/rules/bad_utf8.targets"])
    );
    insta::assert_snapshot!(
        "rules_bom_crlf",
        run(&[
            "check",
            "tests/hostile/rules/bom_crlf.targets",
            "--data",
            FIVE
        ])
    );
}

#[test]
fn rule_file_that_is_not_a_file() {
    let dir = scratch("not_a_file");
    let folder = dir.join("folder.targets");
    std::fs::create_dir_all(&folder).expect("folder");
    let folder = folder.to_str().expect("utf-8 path");
    insta::assert_snapshot!("rules_folder", run(&["lint", folder]));
    insta::assert_snapshot!(
        "rules_folder_check",
        run(&["check", folder, "--data", FIVE])
    );
    let missing = dir.join("missing.targets");
    let missing = missing.to_str().expect("utf-8 path");
    insta::assert_snapshot!("rules_missing", run(&["lint", missing]));
    #[cfg(unix)]
    {
        let link = dir.join("dangling.targets");
        std::os::unix::fs::symlink(dir.join("nowhere"), &link).expect("symlink");
        let link = link.to_str().expect("utf-8 path");
        insta::assert_snapshot!("rules_dangling_link", run(&["lint", link]));
    }
}

#[test]
fn for_each_over_a_hundred_thousand_values() {
    let dir = scratch("for_each");
    let mut data = String::from("indicator,country,period,value\n");
    for i in 0..100_000 {
        writeln!(data, "x,C{i:06},2023,{i}").unwrap();
    }
    let data = write(&dir, "data.csv", data);
    let rules = write(
        &dir,
        "each.targets",
        "target t for each country: x >= 50000 by 2023\n",
    );
    let out = dir.join("out.json");
    let out = out.to_str().expect("utf-8 path");
    let shown = run(&[
        "check", &rules, "--data", &data, "--format", "json", "--output", out,
    ]);
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out).expect("report")).expect("json");
    let results = report["results"].as_array().expect("results");
    assert_eq!(results.len(), 100_000);
    insta::assert_snapshot!(format!("{shown}--- summary\n{:#}", report["summary"]));
}

// ---------------------------------------------------------------- data files

#[test]
fn data_values_not_finite() {
    let data = "tests/hostile/data/non_finite.csv";
    insta::assert_snapshot!("non_finite", run(&["check", SIMPLE, "--data", data]));
    insta::assert_snapshot!(
        "non_finite_skipped",
        run(&["check", SIMPLE, "--data", data, "--skip-bad-rows"])
    );
}

#[test]
fn data_periods_out_of_range() {
    let data = "tests/hostile/data/years_out_of_range.csv";
    insta::assert_snapshot!(run(&["check", SIMPLE, "--data", data]));
}

#[test]
fn data_encodings_and_line_ends() {
    for name in [
        "cr_only.csv",
        "bom_crlf.csv",
        "bad_utf8_value.csv",
        "bom.json",
    ] {
        let data = format!("tests/hostile/data/{name}");
        insta::assert_snapshot!(name, run(&["check", SIMPLE, "--data", &data]));
    }
    insta::assert_snapshot!(
        "bad_utf8_yaml",
        run(&[
            "check",
            SIMPLE,
            "--data",
            "tests/fixtures/data/err/bad_utf8.yaml"
        ])
    );
}

#[test]
fn data_nesting_and_alias_bombs() {
    insta::assert_snapshot!(
        "alias_bomb",
        run(&[
            "check",
            SIMPLE,
            "--data",
            "tests/fixtures/data/err/alias_bomb.yaml"
        ])
    );
    for name in ["deep.yaml", "deep_mapping.yaml"] {
        let data = format!("tests/hostile/data/{name}");
        insta::assert_snapshot!(name, run(&["check", SIMPLE, "--data", &data]));
    }
    let dir = scratch("deep_json");
    let json = format!(
        "{{\"series\": {}{}}}",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    let data = write(&dir, "deep.json", json);
    insta::assert_snapshot!("deep.json", run(&["check", SIMPLE, "--data", &data]));
}

#[test]
fn data_lines_too_long_and_binary_files() {
    let dir = scratch("data_long");
    let mut long = b"indicator,period,value\nx,2023,5\n".to_vec();
    long.resize(long.len() + (17 << 20), b'9');
    long.extend_from_slice(b"\nx,2024,6\n");
    let data = write(&dir, "long_line.csv", long);
    insta::assert_snapshot!("data_long_line", run(&["check", SIMPLE, "--data", &data]));

    let header = vec![b'a'; 17 << 20];
    let data = write(&dir, "long_header.csv", header);
    insta::assert_snapshot!("data_long_header", run(&["check", SIMPLE, "--data", &data]));

    let binary: Vec<u8> = (0..=255u8).cycle().take(100_000).collect();
    let data = write(&dir, "binary.csv", &binary);
    insta::assert_snapshot!("data_binary_csv", run(&["check", SIMPLE, "--data", &data]));
    let data = write(&dir, "binary.yaml", &binary);
    insta::assert_snapshot!("data_binary_yaml", run(&["check", SIMPLE, "--data", &data]));
}

#[test]
fn data_file_that_is_not_a_file() {
    let dir = scratch("data_not_a_file");
    let folder = dir.join("folder.csv");
    std::fs::create_dir_all(&folder).expect("folder");
    let folder = folder.to_str().expect("utf-8 path");
    insta::assert_snapshot!("data_folder", run(&["check", SIMPLE, "--data", folder]));
    let empty = write(&dir, "empty.csv", "");
    insta::assert_snapshot!("data_empty", run(&["check", SIMPLE, "--data", &empty]));
}

/// Files that never end (`/dev/zero`): reading stops at a limit.
#[cfg(unix)]
#[test]
fn endless_files() {
    let dir = scratch("endless");
    for name in ["zero.targets", "zero.csv", "zero.yaml"] {
        std::os::unix::fs::symlink("/dev/zero", dir.join(name)).expect("symlink");
    }
    let path = |name: &str| dir.join(name).to_str().expect("utf-8 path").to_owned();
    insta::assert_snapshot!("endless_rules", run(&["lint", &path("zero.targets")]));
    for name in ["zero.csv", "zero.yaml"] {
        insta::assert_snapshot!(
            format!("endless_{name}"),
            run(&["check", SIMPLE, "--data", &path(name)])
        );
    }
}

/// A file where every row is bad: the first 100 errors are shown, then a
/// count; with `--skip-bad-rows` the rows are counted as rejected.
#[test]
fn every_row_bad() {
    let dir = scratch("every_row_bad");
    let mut data = String::from("indicator,period,value\n");
    for i in 0..100_000 {
        writeln!(data, "x,2023,n{i}").unwrap();
    }
    let data = write(&dir, "bad.csv", data);
    let shown = run(&["check", SIMPLE, "--data", &data, "--skip-bad-rows"]);
    assert!(shown.contains("note: 99900 more errors in $SCRATCH/every_row_bad/bad.csv not shown"));
    insta::assert_snapshot!(shown);
}

/// A wide header of 107,988 monthly periods: its columns are told apart in
/// linear time (they once took time growing with their square; found by
/// fuzzing, `fuzz/regressions/load_csv_wide-slow-15000-columns.csv`).
#[test]
fn wide_header_of_a_hundred_thousand_periods() {
    let dir = scratch("wide_header");
    let periods: Vec<String> = (1000..9999)
        .flat_map(|year| (1..=12).map(move |month| format!("{year}-{month:02}")))
        .collect();
    let ones = vec!["1"; periods.len()];
    let text = format!(
        "indicator,country,{}\nx,KZ,{}\n",
        periods.join(","),
        ones.join(",")
    );
    let data = write(&dir, "wide.csv", text);
    insta::assert_snapshot!(run(&["check", SIMPLE, "--data", &data]));
    let slow = "fuzz/regressions/load_csv_wide-slow-15000-columns.csv";
    insta::assert_snapshot!(
        "wide_header_fuzz_regression",
        run(&["check", SIMPLE, "--data", slow])
    );
}
