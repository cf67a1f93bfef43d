//! The `ontrack` binary: exit codes and what it prints.

use std::path::Path;
use std::process::{Command, Output};

fn ontrack(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ontrack"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .output()
        .expect("ontrack runs")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn lint_accepts_the_shipped_rules() {
    let output = ontrack(&["lint", "rules"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(stderr(&output).contains("0 errors"), "{}", stderr(&output));
}

#[test]
fn fmt_check_accepts_the_shipped_rules() {
    let output = ontrack(&["fmt", "--check", "rules"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(output.stdout.is_empty());
}

#[test]
fn lint_rejects_an_invalid_file_with_exit_2_and_a_location() {
    let output = ontrack(&["lint", "tests/fixtures/syntax/err/month_13.targets"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("tests/fixtures/syntax/err/month_13.targets:2:53"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn lint_rejects_every_invalid_fixture() {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/syntax/err");
    for entry in std::fs::read_dir(folder).expect("fixture folder") {
        let path = entry.expect("entry").path();
        let output = ontrack(&["lint", path.to_str().expect("utf-8 path")]);
        assert_eq!(output.status.code(), Some(2), "{}", path.display());
        let name = path
            .file_name()
            .expect("file name")
            .to_string_lossy()
            .into_owned();
        assert!(
            stderr(&output).contains(&format!("{name}:")),
            "{}: {}",
            path.display(),
            stderr(&output)
        );
        assert!(!stderr(&output).contains("panicked"), "{}", path.display());
    }
}

#[test]
fn lint_with_no_rule_files_is_an_error() {
    let folder = tempdir("empty");
    let output = ontrack(&["lint", folder.to_str().expect("utf-8 path")]);
    assert_eq!(output.status.code(), Some(2));
    let expected = format!("no `*.targets` files in `{}`", folder.display());
    assert!(stderr(&output).contains(&expected), "{}", stderr(&output));
}

#[test]
fn lint_of_a_missing_path_is_an_error() {
    let output = ontrack(&["lint", "no/such/rules.targets"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("no/such/rules.targets: no such file or folder"));
}

#[test]
fn lint_reports_invalid_utf8_with_its_position() {
    let folder = tempdir("utf8");
    let path = folder.join("bad.targets");
    std::fs::write(&path, b"title \"ok\"\ntarget x: a >= 1 \xff\n").expect("write");
    let output = ontrack(&["lint", path.to_str().expect("utf-8 path")]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("bad.targets:2:18: the file is not valid UTF-8 text"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn fmt_check_names_files_that_would_change_and_exits_1() {
    let folder = tempdir("fmt-check");
    let path = folder.join("messy.targets");
    let messy = "target   x :   a>=1   by 2025\n";
    std::fs::write(&path, messy).expect("write");
    let output = ontrack(&["fmt", "--check", path.to_str().expect("utf-8 path")]);
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stdout).contains("messy.targets"));
    assert_eq!(
        std::fs::read_to_string(&path).expect("read"),
        messy,
        "--check changed the file"
    );
}

#[test]
fn fmt_rewrites_files_in_place() {
    let folder = tempdir("fmt-write");
    let path = folder.join("messy.targets");
    std::fs::write(&path, "target   x :   a>=1   by 2025 # why\n").expect("write");
    let output = ontrack(&["fmt", path.to_str().expect("utf-8 path")]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(
        std::fs::read_to_string(&path).expect("read"),
        "target x: a >= 1 by 2025  # why\n"
    );
}

#[test]
fn fmt_leaves_a_file_with_syntax_errors_alone() {
    let folder = tempdir("fmt-broken");
    let path = folder.join("broken.targets");
    std::fs::write(&path, "target   x :   a >= \n").expect("write");
    let output = ontrack(&["fmt", path.to_str().expect("utf-8 path")]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        std::fs::read_to_string(&path).expect("read"),
        "target   x :   a >= \n"
    );
}

#[test]
fn usage_errors_exit_with_2() {
    let output = ontrack(&["lint", "--no-such-flag"]);
    assert_eq!(output.status.code(), Some(2));
}

/// A fresh folder under the target directory for one test.
fn tempdir(name: &str) -> std::path::PathBuf {
    let folder = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&folder);
    std::fs::create_dir_all(&folder).expect("create temp folder");
    folder
}

#[test]
fn lint_with_data_resolves_every_reference() {
    let output = ontrack(&[
        "lint",
        "tests/fixtures/lint_data/slips.targets",
        "--data",
        "tests/fixtures/lint_data/data.yaml",
    ]);
    assert_eq!(output.status.code(), Some(2));
    insta::assert_snapshot!(stderr(&output));
}

#[test]
fn lint_without_data_does_not_resolve_references() {
    // Without data the same file lints clean: data only adds resolution.
    let output = ontrack(&["lint", "tests/fixtures/lint_data/slips.targets"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
}
