//! Property tests (proptest) of the whole pipeline:
//!
//! 1. `fmt` round-trips generated syntax trees: formatting a tree and parsing
//!    the text gives the tree back (parentheses aside), and formatting a
//!    parsed file again changes nothing — also after comments, tabs and
//!    CRLF line ends are sprinkled over the text.
//! 2. Evaluation never panics: generated CSV data and generated rule files
//!    that pass the static checks, evaluated at generated dates and written
//!    in every report format.
//! 3. Evaluation does not depend on the order of the data: the same rows
//!    shuffled and split over one to three files give the same results.
//!
//! Each property runs a modest number of cases so that the file takes
//! seconds in a debug build; run more with
//! `PROPTEST_CASES=10000 cargo test --test properties`.

mod properties {
    pub mod ast;
    pub mod dataset;
    pub mod rules;
}

use std::path::PathBuf;

use ontrack::data::{self, LoadOptions, Loaded, period::Date};
use ontrack::eval::{self, EvalOptions, Evaluation, RuleSet, Status};
use ontrack::report::{self, Format, Report};
use ontrack::source::{self, SourceFile};
use ontrack::syntax::{self, ast::RuleFile};
use properties::dataset::{self, TempFolder};
use properties::{ast, rules};
use proptest::prelude::*;

/// The cases of each property unless `PROPTEST_CASES` says otherwise.
fn config(cases: u32) -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(cases);
    ProptestConfig {
        cases,
        // Failures are kept as ordinary tests below, not in files.
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

fn parse_or_fail(text: &str, what: &str) -> Result<RuleFile, TestCaseError> {
    syntax::parse(text).map_err(|errors| {
        let rendered: Vec<String> = errors
            .iter()
            .map(|e| e.diagnostic().render("generated.targets", text, false))
            .collect();
        TestCaseError::fail(format!(
            "{what} does not parse:\n{text}\n{}",
            rendered.join("\n")
        ))
    })
}

/// Formats a parsed file and checks that the result means the same, keeps
/// the comments and is a fixed point of `fmt`. Returns the formatted text.
fn assert_formats_stably(parsed: &RuleFile, source: &str) -> Result<String, TestCaseError> {
    let formatted = syntax::format(parsed, source);
    let reparsed = parse_or_fail(&formatted, "the formatted text")?;
    prop_assert_eq!(
        &reparsed.statements,
        &parsed.statements,
        "formatting changed the meaning of\n{}\ninto\n{}",
        source,
        formatted
    );
    let comments =
        |file: &RuleFile| -> Vec<String> { file.comments.iter().map(|c| c.text.clone()).collect() };
    prop_assert_eq!(
        comments(&reparsed),
        comments(parsed),
        "comments of\n{}",
        source
    );
    let again = syntax::format(&reparsed, &formatted);
    prop_assert_eq!(&again, &formatted, "formatting is not idempotent");
    Ok(formatted)
}

proptest! {
    #![proptest_config(config(256))]

    /// A generated tree, formatted, parses back to itself (parentheses the
    /// formatter adds aside); the parsed file formats to the same text.
    #[test]
    fn formatted_trees_parse_back(file in ast::rule_file()) {
        let text = syntax::format(&file, "");
        let parsed = parse_or_fail(&text, "the formatted tree")?;
        prop_assert_eq!(
            ast::without_parens(&parsed).statements,
            ast::without_parens(&file).statements,
            "the tree did not survive formatting as\n{}",
            text
        );
        let formatted = assert_formats_stably(&parsed, &text)?;
        prop_assert_eq!(formatted, text, "a parsed file formats differently from its tree");
    }
}

/// How to dress up a formatted file without changing what it says.
#[derive(Clone, Debug)]
struct Dressing {
    byte_order_mark: bool,
    crlf: bool,
    /// What to do to each line (taken in turn, round and round).
    lines: Vec<LineDressing>,
    /// Comment lines at the end of the file.
    after: Vec<String>,
}

#[derive(Clone, Debug)]
struct LineDressing {
    /// A comment at the end of the line.
    trailing: Option<String>,
    /// A comment line before it, and whether the comment is indented.
    before: Option<(String, bool)>,
    /// A blank line before it.
    blank: bool,
    /// How the line is indented, if it continues a statement.
    indent: Indent,
}

#[derive(Clone, Copy, Debug)]
enum Indent {
    AsIs,
    Tab,
    TwoSpaces,
}

fn comment_text() -> impl Strategy<Value = String> {
    "[^\r\n]{0,12}".prop_map(|t| format!("#{t}"))
}

fn dressing() -> impl Strategy<Value = Dressing> {
    let line = (
        proptest::option::weighted(0.3, comment_text()),
        proptest::option::weighted(0.2, (comment_text(), any::<bool>())),
        proptest::bool::weighted(0.1),
        proptest::sample::select(vec![Indent::AsIs, Indent::Tab, Indent::TwoSpaces]),
    )
        .prop_map(|(trailing, before, blank, indent)| LineDressing {
            trailing,
            before,
            blank,
            indent,
        });
    (
        proptest::bool::weighted(0.1),
        proptest::bool::weighted(0.3),
        proptest::collection::vec(line, 40),
        proptest::collection::vec(comment_text(), 0..2),
    )
        .prop_map(|(byte_order_mark, crlf, lines, after)| Dressing {
            byte_order_mark,
            crlf,
            lines,
            after,
        })
}

/// `text` (formatted, so every statement starts a line and continuation
/// lines start with four spaces) with comments, blank lines, other
/// indentation, CRLF line ends and a byte-order mark as `dressing` says.
fn dress(text: &str, dressing: &Dressing) -> (String, usize) {
    let newline = if dressing.crlf { "\r\n" } else { "\n" };
    let mut out = String::new();
    let mut comments = 0;
    if dressing.byte_order_mark {
        out.push('\u{feff}');
    }
    for (i, line) in text.lines().enumerate() {
        let LineDressing {
            trailing,
            before,
            blank,
            indent,
        } = &dressing.lines[i % dressing.lines.len()];
        if let Some((comment, indented)) = before {
            if *indented {
                out.push_str("  ");
            }
            out.push_str(comment);
            out.push_str(newline);
            comments += 1;
        }
        if *blank {
            out.push_str(newline);
        }
        let line = match (line.strip_prefix("    "), indent) {
            (Some(rest), Indent::Tab) => format!("\t{rest}"),
            (Some(rest), Indent::TwoSpaces) => format!("  {rest}"),
            _ => line.to_string(),
        };
        out.push_str(&line);
        if let Some(comment) = trailing
            && !line.is_empty()
        {
            out.push(' ');
            out.push_str(comment);
            comments += 1;
        }
        out.push_str(newline);
    }
    for comment in &dressing.after {
        out.push_str(comment);
        out.push_str(newline);
        comments += 1;
    }
    (out, comments)
}

proptest! {
    #![proptest_config(config(256))]

    /// A formatted file with comments, blank lines, tabs, CRLF line ends and
    /// a byte-order mark added means what it meant before, keeps every
    /// comment through `fmt`, and `fmt` of it is a fixed point.
    #[test]
    fn dressed_files_format_stably(file in ast::rule_file(), dressing in dressing()) {
        let text = syntax::format(&file, "");
        let plain = parse_or_fail(&text, "the formatted tree")?;
        let (dressed, comments) = dress(&text, &dressing);
        let parsed = parse_or_fail(&dressed, "the dressed text")?;
        prop_assert_eq!(&parsed.statements, &plain.statements, "dressing changed\n{}", dressed);
        prop_assert_eq!(parsed.comments.len(), comments, "comments of\n{}", dressed);
        assert_formats_stably(&parsed, &dressed)?;
    }
}

/// A rule file generated by `rules::rule_file`, written out and checked:
/// the generator only makes files that pass the static checks.
fn checked_rules(file: &RuleFile) -> Result<RuleSet, TestCaseError> {
    let text = syntax::format(file, "");
    let source = SourceFile {
        path: PathBuf::from("generated.targets"),
        text,
    };
    let linted = source::lint(&source);
    prop_assert!(
        !linted.has_errors(),
        "the generated rules do not pass the checks:\n{}\n{}",
        source.text,
        source.render(&linted.diagnostics, false)
    );
    let file = linted.file.expect("a file without errors parsed");
    Ok(RuleSet {
        path: source.path,
        file,
    })
}

fn as_of() -> impl Strategy<Value = Date> {
    (2010..2032i32, 1..=12u8, 1..=31u8)
        .prop_filter_map("no such day", |(y, m, d)| Date::new(y, m, d))
}

fn load(paths: &[PathBuf]) -> Loaded {
    data::load(&dataset::data_sources(paths), &LoadOptions::default())
}

/// Writes `evaluation` in every report format and every result's
/// explanation, and checks what can be read back.
fn write_reports(
    evaluation: &Evaluation,
    rules: &[RuleSet],
    loaded: &Loaded,
) -> Result<(), TestCaseError> {
    let mut report = Report::new(evaluation, rules, &loaded.files);
    report.data_warnings = loaded.warnings.len();
    for format in Format::ALL {
        for color in [false, true] {
            let mut out = Vec::new();
            report::write(format, &report, &mut out, color)
                .map_err(|e| TestCaseError::fail(format!("{format}: {e}")))?;
            let text = String::from_utf8(out)
                .map_err(|_| TestCaseError::fail(format!("{format}: not UTF-8")))?;
            match format {
                Format::Json => {
                    let json: serde_json::Value = serde_json::from_str(&text)
                        .map_err(|e| TestCaseError::fail(format!("json: {e}\n{text}")))?;
                    let results = json["results"].as_array().map_or(0, Vec::len);
                    prop_assert_eq!(results, evaluation.results.len());
                    for (status, count) in evaluation.summary() {
                        prop_assert_eq!(
                            json["summary"][status.as_str()].as_u64(),
                            Some(count as u64)
                        );
                    }
                }
                Format::Junit => {
                    roxmltree::Document::parse(&text)
                        .map_err(|e| TestCaseError::fail(format!("junit: {e}\n{text}")))?;
                }
                _ => prop_assert!(!text.is_empty(), "{} wrote nothing", format),
            }
        }
    }
    for result in &evaluation.results {
        let mut out = Vec::new();
        report::explain::write_explanation(&mut out, result)
            .map_err(|e| TestCaseError::fail(format!("explain: {e}")))?;
    }
    Ok(())
}

proptest! {
    #![proptest_config(config(48))]

    /// Generated data and generated rules that pass the checks evaluate
    /// without a panic at any date, every target gets results with a
    /// status, and every report format writes them.
    #[test]
    fn evaluation_never_panics(
        series in dataset::dataset(),
        file in rules::rule_file(),
        as_of in as_of(),
        trace in any::<bool>(),
    ) {
        let folder = TempFolder::new();
        let path = folder.csv("data.csv", &dataset::rows(&series));
        let loaded = load(&[path]);
        let rule_set = checked_rules(&file)?;
        let rules = [rule_set];
        let _ = eval::lint_against(&rules[0], &loaded.dataset);
        let options = EvalOptions { as_of, trace, history: true };
        let evaluation = eval::evaluate(&rules, &loaded.dataset, &options);
        let targets = rules[0]
            .file
            .statements
            .iter()
            .filter(|s| matches!(s.node, syntax::ast::Statement::Target(_)))
            .count();
        prop_assert!(evaluation.results.len() >= targets, "fewer results than targets");
        for result in &evaluation.results {
            prop_assert!(Status::ALL.contains(&result.status));
            match &result.entity {
                Some((dimension, value)) => {
                    prop_assert_eq!(&result.name, &format!("{}[{dimension}={value}]", result.id));
                }
                None => prop_assert_eq!(&result.name, &result.id),
            }
        }
        write_reports(&evaluation, &rules, &loaded)?;
    }
}

/// The rows of a dataset, shuffled and split into one to three files, none
/// of them empty (a file with a header and no rows is a data error).
fn shuffled_files(rows: Vec<String>) -> impl Strategy<Value = Vec<Vec<String>>> {
    let n = rows.len();
    let cuts = proptest::collection::btree_set(1..n.max(2), 0..3);
    (Just(rows).prop_shuffle(), cuts)
        .prop_map(move |(rows, cuts)| {
            let mut parts = Vec::new();
            let mut start = 0;
            for cut in cuts.into_iter().filter(|&c| c < n).take(2) {
                parts.push(rows[start..cut].to_vec());
                start = cut;
            }
            parts.push(rows[start..].to_vec());
            parts
        })
        .prop_shuffle()
}

fn order_case() -> impl Strategy<Value = (Vec<String>, Vec<Vec<String>>)> {
    dataset::dataset().prop_flat_map(|series| {
        let rows = dataset::rows(&series);
        (Just(rows.clone()), shuffled_files(rows))
    })
}

proptest! {
    #![proptest_config(config(48))]

    /// Each target's result does not depend on the order of the data rows
    /// within or across files.
    #[test]
    fn results_do_not_depend_on_row_order(
        (rows, files) in order_case(),
        file in rules::rule_file(),
        as_of in as_of(),
    ) {
        let rules = [checked_rules(&file)?];
        let options = EvalOptions { as_of, trace: false, history: true };
        let folder = TempFolder::new();
        let one = folder.csv("all.csv", &rows);
        let parts: Vec<PathBuf> = files
            .iter()
            .enumerate()
            .map(|(i, rows)| folder.csv(&format!("part{i}.csv"), rows))
            .collect();
        let (whole, split) = (load(&[one]), load(&parts));
        prop_assert_eq!(whole.errors.len(), split.errors.len(), "data errors");
        let before = eval::evaluate(&rules, &whole.dataset, &options);
        let after = eval::evaluate(&rules, &split.dataset, &options);
        prop_assert_eq!(before.results.len(), after.results.len());
        for (a, b) in before.results.iter().zip(&after.results) {
            // `Debug` rather than `==`: a NaN in a result equals itself there.
            prop_assert_eq!(
                format!("{a:?}"),
                format!("{b:?}"),
                "the result of {} changed with the order of the rows:\nrules:\n{}\nrows:\n{}\nfiles:\n{:#?}",
                a.name,
                syntax::format(&rules[0].file, ""),
                rows.join("\n"),
                files
            );
        }
    }
}

/// Found by `results_do_not_depend_on_row_order`: the candidates of an
/// ambiguous reference were listed in the order the series first appear in
/// the data, so the message changed with the order of the rows.
#[test]
fn ambiguous_series_are_listed_whatever_the_row_order() {
    let folder = TempFolder::new();
    let kz_first = [
        "ind_b,KZ,2020,1,units".to_string(),
        "ind_b,,2020,2,units".to_string(),
    ];
    let kz_last = [kz_first[1].clone(), kz_first[0].clone()];
    let rules = [RuleSet {
        path: PathBuf::from("generated.targets"),
        file: syntax::parse("ind_b > 0\n").expect("parses"),
    }];
    let options = EvalOptions {
        as_of: Date::new(2025, 1, 1).expect("a date"),
        trace: false,
        history: false,
    };
    let message = |name: &str, rows: &[String]| {
        let loaded = load(&[folder.csv(name, rows)]);
        let evaluation = eval::evaluate(&rules, &loaded.dataset, &options);
        evaluation.results[0].message.clone()
    };
    // Both say "`ind_b` matches 2 series (…): add a selector or a `scope`",
    // but list the series as `ind_b[country=KZ]; ind_b` and `ind_b; ind_b[country=KZ]`.
    assert_eq!(message("a.csv", &kz_first), message("b.csv", &kz_last));
}

/// Found by `formatted_trees_parse_back`: a unit spelled like a scale
/// word other than the reserved ones needs its backticks after a number
/// without a scale, or it is read back as the scale; `fmt` used to drop
/// them, turning `x >= 5 \`thousands\`` (5 of the unit `thousands`) into
/// `x >= 5 thousands` (5000, no unit).
#[test]
fn scale_word_unit_in_backticks_round_trips() {
    for text in [
        "x >= 5 `thousands`\n",
        "x >= 5 `Million`\n",
        "x >= 5 `BILLIONS`\n",
    ] {
        let parsed = syntax::parse(text).expect("parses");
        let formatted = syntax::format(&parsed, text);
        let reparsed = syntax::parse(&formatted).expect("the formatted text parses");
        assert_eq!(
            reparsed.statements, parsed.statements,
            "{text:?} was formatted as {formatted:?}"
        );
    }
}
