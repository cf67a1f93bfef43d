//! The JUnit XML report (`--format junit`), for CI systems that show test
//! results (GitLab, Jenkins, Azure Pipelines, GitHub test-report actions).
//!
//! ```text
//! <?xml version="1.0" encoding="UTF-8"?>
//! <testsuites name="ontrack" tests="12" failures="3" errors="1" skipped="1" time="0" timestamp="2025-06-30T00:00:00">
//!   <testsuite name="rules/kz/cars.targets" tests="12" failures="3" errors="1" skipped="1" time="0" timestamp="…">
//!     <properties>
//!       <property name="title" value="Development of the manufacturing industry"/>
//!       <property name="as_of" value="2025-06-30"/>
//!     </properties>
//!     <testcase classname="rules/kz/cars.targets" name="passenger_cars_2025" file="rules/kz/cars.targets" line="36" time="0">
//!       <failure message="2025: 131.4 thousand units, 28.6 short of 160 (−17.9%)" type="missed">status: missed
//! description: Passenger car output of 160 thousand a year
//! …</failure>
//!     </testcase>
//!   </testsuite>
//! </testsuites>
//! ```
//!
//! One `testsuite` per rule file that has results, one `testcase` per
//! result: `classname` is the rule file's path, `name` the result's name
//! (`id`, or `id[DIM=value]`). A testcase fails exactly when its result
//! fails the run, so a CI system that goes red on failures agrees with the
//! exit code:
//!
//! - a failing result with status `error` (it could not be evaluated) is an
//!   `<error>` and counts in `errors`;
//! - any other failing result (by default `missed`, `off_track`) is a
//!   `<failure>` and counts in `failures`;
//! - a `no_data` result that does not fail the run is `<skipped>`;
//! - every other result passes (a warning-severity target never fails, as
//!   on the command line), with its message in `<system-out>`.
//!
//! `type` is the status (`missed`), `message` the result's one-line
//! message, and the element's text the details: status, description,
//! deadline, values, target, gap, progress, owner, source and quote.
//!
//! Times: evaluation is not timed per target, so every `time` is `0` (a
//! share of the run's wall time would be a made-up number, and 0 keeps
//! reports reproducible). `timestamp` is when the run took place
//! ([`Report::run_at`], UTC, `YYYY-MM-DDTHH:MM:SS` as the JUnit schema
//! writes it), or midnight of the as-of date when it is not known.
//!
//! Escaping: `& < > " '` become entities everywhere; CR, and in attribute
//! values tab and LF, become character references so they read back as
//! written; characters XML 1.0
//! does not allow (C0 controls other than those three, U+FFFE, U+FFFF)
//! are replaced by U+FFFD.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use super::Report;
use super::text::{old_data_flag, progress_line};
use crate::data::period::Date;
use crate::eval::with_unit;
use crate::eval::{Status, TargetResult, ValueKind};
use crate::syntax::ast::Severity;

/// How a testcase ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    Passed,
    Failure,
    Error,
    Skipped,
}

/// The testcase outcome of `result` (see the module's doc).
pub fn outcome(report: &Report<'_>, result: &TargetResult) -> Outcome {
    if report.fails(result) {
        if result.status == Status::Error {
            Outcome::Error
        } else {
            Outcome::Failure
        }
    } else if result.status == Status::NoData {
        Outcome::Skipped
    } else {
        Outcome::Passed
    }
}

#[derive(Default)]
struct Counts {
    tests: usize,
    failures: usize,
    errors: usize,
    skipped: usize,
}

impl Counts {
    fn add(&mut self, report: &Report<'_>, result: &TargetResult) {
        self.tests += 1;
        match outcome(report, result) {
            Outcome::Passed => {}
            Outcome::Failure => self.failures += 1,
            Outcome::Error => self.errors += 1,
            Outcome::Skipped => self.skipped += 1,
        }
    }

    fn attributes(&self) -> String {
        format!(
            "tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\" time=\"0\"",
            self.tests, self.failures, self.errors, self.skipped
        )
    }
}

/// Writes the JUnit XML document: a first pass through the results counts
/// them per rule file (the counts are attributes of the elements that hold
/// the testcases), a second writes them.
pub fn write<W: Write + ?Sized>(report: &Report<'_>, out: &mut W) -> io::Result<()> {
    let mut total = Counts::default();
    // Results come grouped by rule file; each run of one file is a suite.
    let mut suites: Vec<(PathBuf, Counts)> = Vec::new();
    report.results.each(&mut |result| {
        total.add(report, result);
        match suites.last_mut() {
            Some((file, counts)) if *file == result.file => counts.add(report, result),
            _ => {
                let mut counts = Counts::default();
                counts.add(report, result);
                suites.push((result.file.clone(), counts));
            }
        }
        Ok(())
    })?;
    let timestamp = timestamp(report);
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        out,
        r#"<testsuites name="ontrack" {} timestamp="{timestamp}">"#,
        total.attributes()
    )?;
    let mut suites = suites.into_iter();
    let mut open: Option<PathBuf> = None;
    report.results.each(&mut |result| {
        if open.as_ref() != Some(&result.file) {
            if open.is_some() {
                writeln!(out, "  </testsuite>")?;
            }
            let counts = suites.next().map(|(_, counts)| counts).unwrap_or_default();
            write_suite_start(report, &result.file, &counts, &timestamp, out)?;
            open = Some(result.file.clone());
        }
        write_testcase(report, result, out)
    })?;
    if open.is_some() {
        writeln!(out, "  </testsuite>")?;
    }
    writeln!(out, "</testsuites>")
}

fn write_suite_start<W: Write + ?Sized>(
    report: &Report<'_>,
    file: &Path,
    counts: &Counts,
    timestamp: &str,
    out: &mut W,
) -> io::Result<()> {
    let path = escape(&file.display().to_string());
    writeln!(
        out,
        r#"  <testsuite name="{path}" {} timestamp="{timestamp}">"#,
        counts.attributes()
    )?;
    writeln!(out, "    <properties>")?;
    if let Some(rule_set) = report.rule_set(file) {
        for (name, value) in [("title", rule_set.title()), ("source", rule_set.source())] {
            if let Some(value) = value {
                writeln!(
                    out,
                    r#"      <property name="{name}" value="{}"/>"#,
                    escape(value)
                )?;
            }
        }
    }
    writeln!(
        out,
        r#"      <property name="as_of" value="{}"/>"#,
        report.as_of
    )?;
    writeln!(out, "    </properties>")
}

fn write_testcase<W: Write + ?Sized>(
    report: &Report<'_>,
    result: &TargetResult,
    out: &mut W,
) -> io::Result<()> {
    let path = escape(&result.file.display().to_string());
    write!(
        out,
        r#"    <testcase classname="{path}" name="{}" file="{path}" line="{}" time="0">"#,
        escape(&result.name),
        result.line
    )?;
    let message = escape(&result.message);
    let status = result.status.as_str();
    match outcome(report, result) {
        outcome @ (Outcome::Failure | Outcome::Error) => {
            let element = if outcome == Outcome::Error {
                "error"
            } else {
                "failure"
            };
            write!(
                out,
                "\n      <{element} message=\"{message}\" type=\"{status}\">{}</{element}>\n    ",
                escape_text(&details(result))
            )?;
        }
        Outcome::Skipped => {
            write!(
                out,
                "\n      <skipped message=\"{message}\"/>\n      <system-out>{}</system-out>\n    ",
                escape_text(&details(result))
            )?;
        }
        Outcome::Passed => {
            write!(
                out,
                "\n      <system-out>{}</system-out>\n    ",
                escape_text(&details(result))
            )?;
        }
    }
    writeln!(out, "</testcase>")
}

/// The details of a result, one `field: value` per line.
pub fn details(result: &TargetResult) -> String {
    let mut lines = vec![format!("status: {}", result.status.as_str())];
    if result.severity == Severity::Warning {
        lines.push("severity: warning".to_string());
    }
    if let Some(description) = &result.description {
        lines.push(format!("description: {description}"));
    }
    lines.push(format!("message: {}", result.message));
    if let Some(deadline) = result.deadline {
        lines.push(format!("deadline: {deadline}"));
    }
    for value in &result.values {
        let kind = match (value.kind, value.projected_from) {
            (ValueKind::Projected, Some(from)) => format!(" (projected from {from})"),
            (ValueKind::Projected, None) => " (projected)".to_string(),
            (ValueKind::Observed, _) => String::new(),
        };
        lines.push(format!(
            "value: {} {}: {}{kind}",
            value.reference,
            value.period,
            with_unit(&value.display, value.unit.as_deref())
        ));
    }
    if let Some(target) = &result.target {
        lines.push(format!(
            "target: {} {}",
            target.op,
            with_unit(&target.display, target.unit.as_deref())
        ));
    }
    if let Some(gap) = &result.gap {
        lines.push(format!("gap: {}", super::gap_text(gap)));
    }
    if let Some(progress) = &result.progress {
        lines.push(format!("progress: {}", progress_line(progress)));
    }
    if !result.failing_periods.is_empty() {
        let periods = super::period_list(&result.failing_periods);
        lines.push(format!("failing periods: {}", periods));
    }
    if let Some(flag) = old_data_flag(result) {
        lines.push(format!("old data: {flag}"));
    }
    for (field, value) in [
        ("owner", &result.owner),
        ("source", &result.source),
        ("quote", &result.quote),
    ] {
        if let Some(value) = value {
            lines.push(format!("{field}: {value}"));
        }
    }
    lines.push(format!("at: {}:{}", result.file.display(), result.line));
    lines.join("\n")
}

/// `YYYY-MM-DDTHH:MM:SS` in UTC, from [`Report::run_at`] or the as-of date.
fn timestamp(report: &Report<'_>) -> String {
    match report.run_at {
        Some(seconds) => {
            let date = Date::from_days_since_epoch((seconds / 86_400) as i64);
            let time = seconds % 86_400;
            format!(
                "{date}T{:02}:{:02}:{:02}",
                time / 3600,
                time / 60 % 60,
                time % 60
            )
        }
        None => format!("{}T00:00:00", report.as_of),
    }
}

/// Text made safe for an XML 1.0 attribute value (in double quotes).
pub fn escape(text: &str) -> String {
    escape_xml(text, true)
}

/// Text made safe for XML 1.0 element content; line breaks stay as they are.
pub fn escape_text(text: &str) -> String {
    escape_xml(text, false)
}

fn escape_xml(text: &str, attribute: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // A parser turns a raw CR into LF, and tab and LF in an
            // attribute into spaces: references keep them.
            '\r' => out.push_str("&#13;"),
            '\t' if attribute => out.push_str("&#9;"),
            '\n' if attribute => out.push_str("&#10;"),
            '\t' | '\n' => out.push(c),
            '\u{0}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}' => out.push(char::REPLACEMENT_CHARACTER),
            c => out.push(c),
        }
    }
    out
}
