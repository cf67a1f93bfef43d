//! The rule language end to end: every shipped rule file and every fixture,
//! parsed, checked and formatted.

mod common;

use std::path::Path;

use ontrack::source::{self, SourceFile};
use ontrack::syntax::{self, ast::RuleFile};

/// The parse of every shipped rule file, as an outline of its tree.
#[test]
fn rule_files_parse() {
    insta::glob!("../rules", "**/*.targets", |path| {
        insta::assert_snapshot!(checked_outline(path));
    });
}

/// The parse of every valid fixture: one per construct of SPEC section 3.
#[test]
fn valid_fixtures_parse() {
    insta::glob!("fixtures/syntax/ok", "*.targets", |path| {
        insta::assert_snapshot!(checked_outline(path));
    });
}

/// The outline of a file's tree, after checking that it parses and passes
/// the static checks.
fn checked_outline(path: &Path) -> String {
    let text = std::fs::read_to_string(path).expect("readable rule file");
    let file = common::parse_ok(path, &text);
    let checked = ontrack::check::check(&file);
    assert!(
        checked.errors.is_empty(),
        "{}: {:?}",
        path.display(),
        checked.errors
    );
    common::outline(&file)
}

/// Every invalid fixture is rejected, and the snapshot shows the rendered
/// diagnostic exactly as `ontrack lint` prints it.
#[test]
fn invalid_fixtures_are_rejected() {
    insta::glob!("fixtures/syntax/err", "*.targets", |path| {
        let file = source::read(path).expect("readable fixture");
        let file = SourceFile {
            path: common::relative(path).into(),
            ..file
        };
        let linted = source::lint(&file);
        assert!(linted.has_errors(), "{} was accepted", path.display());
        insta::assert_snapshot!(file.render(&linted.diagnostics, false));
    });
}

/// `fmt` is idempotent and never changes meaning, on every rule file in the
/// repository that parses.
#[test]
fn formatting_round_trips() {
    let mut files = common::targets_files("rules");
    files.extend(common::targets_files("tests/fixtures/syntax"));
    files.extend(common::targets_files("examples"));
    let mut checked = 0;
    for path in files {
        let text = std::fs::read_to_string(&path).expect("readable rule file");
        let Ok(parsed) = syntax::parse(&text) else {
            continue;
        };
        let formatted = syntax::format(&parsed, &text);
        let reparsed = common::parse_ok(&path, &formatted);
        assert_same_meaning(&path, &parsed, &reparsed);
        assert_eq!(
            syntax::format(&reparsed, &formatted),
            formatted,
            "{}: formatting is not idempotent",
            path.display()
        );
        checked += 1;
    }
    assert!(checked >= 40, "only {checked} files were round-tripped");
}

fn assert_same_meaning(path: &Path, before: &RuleFile, after: &RuleFile) {
    assert_eq!(
        before.statements,
        after.statements,
        "{}: formatting changed the meaning",
        path.display()
    );
    let texts = |file: &RuleFile| {
        file.comments
            .iter()
            .map(|c| c.text.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        texts(before),
        texts(after),
        "{}: formatting lost or reordered comments",
        path.display()
    );
}

/// The shipped rule files are already in the canonical layout.
#[test]
fn rule_files_are_formatted() {
    for path in common::targets_files("rules") {
        let text = std::fs::read_to_string(&path).expect("readable rule file");
        let file = common::parse_ok(&path, &text);
        assert_eq!(
            syntax::format(&file, &text),
            text,
            "{} is not formatted",
            path.display()
        );
    }
}
