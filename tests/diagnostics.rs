//! Diagnostics that need more than one fixture file to show: several errors
//! in one file, warnings, and messages for mistakes inside longer files.

use ontrack::source::{self, SourceFile};

fn lint(text: &str) -> String {
    let file = SourceFile {
        path: "rules.targets".into(),
        text: text.to_string(),
    };
    let linted = source::lint(&file);
    file.render(&linted.diagnostics, false)
}

#[test]
fn every_broken_statement_is_reported() {
    let text = "title \"Three mistakes\"\ntarget a: x >= by 2025\ntarget b: y >= 1 by 2025\ntarget c: z >=< 2\ntarget d: w > 1 bye 2025\n";
    insta::assert_snapshot!(lint(text), @r"
    error: expected a value (a number, a name, `(` or `-`), found `by`
     --> rules.targets:2:16
      |
    2 | target a: x >= by 2025
      |                ^^
      |
      = help: something is missing before `by`
    error: expected a value (a number, a name, `(` or `-`), found `<`
     --> rules.targets:4:15
      |
    4 | target c: z >=< 2
      |               ^
    error: expected an operator (`>=`, `+`, `and`, ...), a time clause (`by`, `in`), an attribute (`owner`, `quote`, `tags`, ...) or the end of the line, found `2025`
     --> rules.targets:5:21
      |
    5 | target d: w > 1 bye 2025
      |                     ^^^^
      |
      = help: did you mean `by`? `bye` was read as the unit of the number before it
    ");
}

#[test]
fn all_static_errors_of_a_file_are_listed() {
    let text = "target a: x >= 1 by 2025\ntarget a: summ(x@2024) > 1\ntarget b: y@2020..2021 > 1 by 2025-13\n";
    // The period error is a syntax-stage error: it is reported alone, the others wait.
    assert!(lint(text).contains("there is no month 13"));
    let text = "target a: x >= 1 by 2025\ntarget a: summ(x@2024) > 1\ntarget b: y@2020..2021 > 1\n";
    insta::assert_snapshot!(lint(text), @r"
    error: target id `a` is used twice
     --> rules.targets:2:8
      |
    1 | target a: x >= 1 by 2025
      |        - first here
    2 | target a: summ(x@2024) > 1
      |        ^
      |
      = help: give each target of a file its own id
    error: unknown function `summ`
     --> rules.targets:2:11
      |
    2 | target a: summ(x@2024) > 1
      |           ^^^^
      |
      = help: did you mean `sum`?
    error: a period range can only be used inside `sum`, `mean`, `min`, `max`, `count`, `first` or `last`
     --> rules.targets:3:12
      |
    3 | target b: y@2020..2021 > 1
      |            ^^^^^^^^^^^
      |
      = help: e.g. `sum(exports@2024-01..2024-06)`
    ");
}

#[test]
fn a_scale_abbreviation_read_as_a_unit_is_a_warning() {
    let text = "target a: investment >= 5 bn by 2025\n";
    let file = SourceFile {
        path: "rules.targets".into(),
        text: text.to_string(),
    };
    let linted = source::lint(&file);
    assert!(!linted.has_errors());
    insta::assert_snapshot!(file.render(&linted.diagnostics, false), @r"
    warning: `bn` is read as a unit, not as a scale
     --> rules.targets:1:27
      |
    1 | target a: investment >= 5 bn by 2025
      |                           ^^
      |
      = help: for a scale, write `5 billion`
    ");
}

#[test]
fn a_capitalised_keyword_is_named() {
    let text = "Target cars: x >= 1\n";
    assert!(
        lint(text).contains("keywords are written in lower case: `target`"),
        "{}",
        lint(text)
    );
}

#[test]
fn a_selector_on_the_for_each_dimension_inside_a_let_is_an_error() {
    let text =
        "let kz_cars = cars{country=\"KZ\"}\ntarget a for each country: kz_cars >= 1 by 2025\n";
    assert!(
        lint(text).contains("`for each country` and a selector on `country`"),
        "{}",
        lint(text)
    );
}

#[test]
fn a_let_may_name_a_condition() {
    let text =
        "let enough = cars >= 160 thousand units\ntarget a: enough and not trucks > 5 by 2025\n";
    assert_eq!(lint(text), "");
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    for (open, close) in [("(", ")"), ("not ", ""), ("-", "")] {
        let depth = 10_000;
        let inner = if open == "not " { "x > 1" } else { "x" };
        let expr = format!("{}{inner}{}", open.repeat(depth), close.repeat(depth));
        let text = if open == "not " {
            format!("target a: {expr}\n")
        } else {
            format!("target a: {expr} > 1\n")
        };
        let rendered = lint(&text);
        assert!(
            rendered.contains("nesting deeper than 256 levels")
                || rendered.contains("more than 1000 operators"),
            "{open}: {}",
            &rendered[..rendered.len().min(300)]
        );
    }
    // 256 levels are allowed.
    let text = format!("target a: {}x{} > 1\n", "(".repeat(256), ")".repeat(256));
    assert_eq!(lint(&text), "");
    let text = format!("target a: {}x{} > 1\n", "(".repeat(257), ")".repeat(257));
    assert!(lint(&text).contains("nesting deeper than 256 levels"));
}

#[test]
fn a_bom_and_crlf_line_ends_are_accepted() {
    let text = "\u{feff}title \"t\"\r\ntarget a:\r\n    x >= 1 by 2025\r\n    owner \"o\"\r\n";
    assert_eq!(lint(text), "");
}

#[test]
fn a_file_shows_at_most_100_diagnostics() {
    let text: String = (0..150).map(|i| format!("target a: x > {i}\n")).collect();
    let rendered = lint(&text);
    assert_eq!(
        rendered
            .matches("error: target id `a` is used twice")
            .count(),
        100
    );
    assert!(
        rendered.ends_with("rules.targets: 49 more diagnostics not shown"),
        "{}",
        &rendered[rendered.len() - 100..]
    );
}

#[test]
fn the_keyword_list_matches_the_grammar() {
    for keyword in ontrack::syntax::ast::KEYWORDS {
        let bare = format!("target t: {keyword} > 1\n");
        assert!(
            ontrack::syntax::parse(&bare).is_err(),
            "`{keyword}` parsed as a name"
        );
        let quoted = format!("target t: `{keyword}` > 1\n");
        let file = ontrack::syntax::parse(&quoted)
            .unwrap_or_else(|e| panic!("`{keyword}` in backticks: {e:?}"));
        // The formatter keeps the backticks a keyword needs.
        assert_eq!(ontrack::syntax::format(&file, &quoted), quoted);
    }
    // Words that only follow their own keyword are names.
    for word in [
        "period", "from", "to", "over", "years", "cagr", "linear", "none", "error", "warning",
        "count",
    ] {
        assert!(
            ontrack::syntax::parse(&format!("target t: {word} > 1\n")).is_ok(),
            "`{word}`"
        );
    }
}
