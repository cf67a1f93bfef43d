//! The GitHub Actions report (`--format github`): workflow commands that
//! the runner turns into annotations on the rule file's line.
//!
//! ```text
//! ::error file=rules/kz/cars.targets,line=36,col=1,title=MISSED passenger_cars_2025::Passenger car output — 2025: 131.4 thousand units, …
//! ::warning file=rules/kz/cars.targets,line=105,col=1,title=NO DATA pig_iron_output_2024::Pig iron output — only one observation …
//! ::notice title=ontrack::12 results: 2 met, 1 missed, …; 4 fail the run (missed, off_track, error)
//! ```
//!
//! One command per result that needs attention, in the order of the
//! evaluation:
//!
//! - `::error` for a result that fails the run (its status is in
//!   `--fail-on` and the target has error severity);
//! - `::warning` for a warning-severity target whose status is in
//!   `--fail-on` (it never fails the run, but it would have), and for
//!   `no_data` that does not fail the run;
//! - nothing for the others.
//!
//! Then one `::notice` with the counts per status, so a run with no
//! annotation still says what it checked.
//!
//! Escaping follows the runner's rules (`@actions/core`, `command.ts`):
//! in the message, `%` → `%25`, CR → `%0D`, LF → `%0A`; in a property value
//! also `:` → `%3A` and `,` → `%2C`. That keeps every command on one line
//! whatever the rule files and data contain. The runner decodes nothing
//! else, so other control characters (NUL, ESC, …), which would otherwise
//! reach the log as they are, are replaced by U+FFFD.

use std::io::{self, Write};

use super::text::{summary_line, tag};
use super::{Report, Summary};
use crate::eval::{Status, TargetResult};
use crate::syntax::ast::Severity;

/// The kind of annotation a result gets, if any.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Annotation {
    Error,
    Warning,
}

impl Annotation {
    fn command(self) -> &'static str {
        match self {
            Annotation::Error => "error",
            Annotation::Warning => "warning",
        }
    }
}

/// Which annotation `result` gets in `report` (see the module's doc).
pub fn annotation(report: &Report<'_>, result: &TargetResult) -> Option<Annotation> {
    if report.fails(result) {
        Some(Annotation::Error)
    } else if (result.severity == Severity::Warning && report.failing.contains(&result.status))
        || result.status == Status::NoData
    {
        Some(Annotation::Warning)
    } else {
        None
    }
}

/// Writes the workflow commands.
pub fn write<W: Write + ?Sized>(report: &Report<'_>, out: &mut W) -> io::Result<()> {
    let mut failing = 0usize;
    let mut summary = Summary::default();
    report.results.each(&mut |result| {
        summary.add(result);
        let Some(annotation) = annotation(report, result) else {
            return Ok(());
        };
        if annotation == Annotation::Error {
            failing += 1;
        }
        let mut title = format!("{} {}", tag(result.status), result.name);
        if result.severity == Severity::Warning {
            title.push_str(" (warning)");
        }
        let mut message = String::new();
        if let Some(description) = &result.description {
            message.push_str(description);
            message.push_str(" — ");
        }
        message.push_str(&result.message);
        writeln!(
            out,
            "::{} file={},line={},col=1,title={}::{}",
            annotation.command(),
            property(&result.file.display().to_string()),
            result.line,
            property(&title),
            data(&message),
        )
    })?;
    let mut summary = summary_line(&summary);
    if failing > 0 {
        let statuses: Vec<&str> = report.failing.iter().map(|s| s.as_str()).collect();
        summary.push_str(&format!(
            "; {failing} fail{} the run ({})",
            if failing == 1 { "s" } else { "" },
            statuses.join(", ")
        ));
    }
    writeln!(out, "::notice title=ontrack::{}", data(&summary))
}

/// A command's message: `%`, CR and LF percent-encoded.
pub fn data(text: &str) -> String {
    escape(text, false)
}

/// A property value: as [`data`], and `:` and `,` too.
pub fn property(text: &str) -> String {
    escape(text, true)
}

fn escape(text: &str, property: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            ':' if property => out.push_str("%3A"),
            ',' if property => out.push_str("%2C"),
            '\t' => out.push(c),
            c if c.is_control() => out.push(char::REPLACEMENT_CHARACTER),
            c => out.push(c),
        }
    }
    out
}
