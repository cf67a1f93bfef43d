//! The Markdown report (`--format markdown`): a compliance summary to paste
//! into a document, a pull-request comment or `$GITHUB_STEP_SUMMARY`.
//!
//! ```text
//! # Compliance summary
//!
//! As of 2025-06-30.
//!
//! Rule files:
//!
//! - Development of the manufacturing industry (rules/kz/cars.targets), source: primeminister.kz, …
//!
//! | Data file             | Rows read | Loaded | Missing | Rejected |
//! | --------------------- | --------: | -----: | ------: | -------: |
//! | examples/kz/data.yaml |        81 |     80 |       1 |        0 |
//!
//! 12 results: 2 met, 1 missed, … — 4 fail the run (missed, off_track, error).
//!
//! | Status | Results |
//! …
//!
//! ## Development of the manufacturing industry (rules/kz/cars.targets)
//!
//! ### Machine building
//!
//! | Status   | Target                 | Deadline | Value                                    | Required        | Gap            | Progress |
//! | -------- | ---------------------- | -------- | ---------------------------------------- | --------------- | -------------- | -------- |
//! | ON TRACK | passenger_cars_2025: … | 2025     | 164,678 units (2025 projected from 2024) | ≥ 160,000 units | +4,678 (+2.9%) | …        |
//!
//! - pig_iron_output_2024 (NO DATA): \`pig_iron_output\`: only one observation …
//!
//! ## Quotes and sources
//!
//! - passenger_cars_2025: "Head of the Government instructed …"
//!   Owner: Ministry of Industry and Construction. Source: primeminister.kz, …
//! ```
//!
//! Plain text first: no HTML, no emoji, tables padded so their columns line
//! up in a terminal or a text file (each column as wide as its widest
//! cell, measured in display width). Under each
//! table, the message of every result the table cannot explain (no data,
//! error, failing periods of `in each period`).
//!
//! The document streams: each table is written in two passes over its
//! results (widths, then rows), the quotes in a last pass, so nothing but
//! one row at a time is held.
//!
//! Escaping: text from rule files and data never leaves its cell or
//! paragraph. Line breaks and tabs become spaces. Backslash, pipe,
//! backtick, `*`, `<`, `#` and `~`, `_` at the edge of a word, `]` before
//! `(` or `[`, and `&` starting an entity are backslash-escaped, so
//! `<script>` is text, not HTML, `|` does not split a cell and no link can
//! be made; the rest is left as written, to read well as plain text. Other
//! control characters and the bidirectional overrides and isolates
//! (U+202A–U+202E, U+2066–U+2069), which could reorder the rest of a row,
//! become U+FFFD.

use std::io::{self, Write};
use std::path::PathBuf;

use unicode_width::UnicodeWidthStr;

use super::text::{old_data_flag, progress_line, summary_line, tag};
use super::{Report, Summary, gap_text, group_digits};
use crate::eval::with_unit;
use crate::eval::{Status, TargetResult, ValueKind};
use crate::syntax::ast::Severity;

/// The columns of a section's table.
const HEADER: [&str; 7] = [
    "Status", "Target", "Deadline", "Value", "Required", "Gap", "Progress",
];

/// Writes the Markdown report: a first pass through the results counts
/// them and measures each section's table, a second writes them.
pub fn write<W: Write + ?Sized>(report: &Report<'_>, out: &mut W) -> io::Result<()> {
    let mut summary = Summary::default();
    let mut widths: Vec<[usize; 7]> = Vec::new();
    let mut group: Option<(PathBuf, Option<String>)> = None;
    report.results.each(&mut |result| {
        summary.add(result);
        if !in_group(&group, result) {
            group = Some((result.file.clone(), result.section.clone()));
            widths.push(HEADER.map(|h| h.width()));
        }
        if let Some(widths) = widths.last_mut() {
            for (width, cell) in widths.iter_mut().zip(&cells(result)) {
                *width = (*width).max(cell.width());
            }
        }
        Ok(())
    })?;

    writeln!(out, "# Compliance summary")?;
    writeln!(out)?;
    writeln!(out, "As of {}.", report.as_of)?;
    write_rule_files(report, out)?;
    write_data_files(report, out)?;
    write_counts(report, &summary, out)?;

    let mut widths = widths.into_iter();
    let mut current = HEADER.map(|h| h.width());
    let mut group: Option<(PathBuf, Option<String>)> = None;
    let mut notes: Vec<String> = Vec::new();
    let mut quotes = Quotes::default();
    report.results.each(&mut |result| {
        if !in_group(&group, result) {
            write_notes(&mut notes, out)?;
            if group.as_ref().map(|(file, _)| file) != Some(&result.file) {
                writeln!(out)?;
                let path = escape(&result.file.display().to_string());
                match report.rule_set(&result.file).and_then(|r| r.title()) {
                    Some(title) => writeln!(out, "## {} ({path})", escape(title))?,
                    None => writeln!(out, "## {path}")?,
                }
            }
            if let Some(section) = &result.section {
                writeln!(out)?;
                writeln!(out, "### {}", escape(section))?;
            }
            writeln!(out)?;
            // The same results in the same order as the first pass, so its
            // tables in the same order.
            current = widths.next().unwrap_or(current);
            write_head(&HEADER, &current, &[false; 7], out)?;
            group = Some((result.file.clone(), result.section.clone()));
        }
        write_row(&cells(result), &current, &[false; 7], out)?;
        if needs_note(result) {
            notes.push(format!(
                "- {} ({}): {}",
                escape(&result.name),
                tag(result.status),
                escape(&result.message)
            ));
        }
        quotes.add(result);
        Ok(())
    })?;
    write_notes(&mut notes, out)?;
    quotes.write(out)
}

fn write_rule_files<W: Write + ?Sized>(report: &Report<'_>, out: &mut W) -> io::Result<()> {
    if report.rules.is_empty() {
        return Ok(());
    }
    writeln!(out)?;
    writeln!(out, "Rule files:")?;
    writeln!(out)?;
    for rule_set in report.rules {
        let path = escape(&rule_set.path.display().to_string());
        let mut line = match rule_set.title() {
            Some(title) => format!("- {} ({path})", escape(title)),
            None => format!("- {path}"),
        };
        if let Some(source) = rule_set.source() {
            line.push_str(&format!(", source: {}", escape(source)));
        }
        writeln!(out, "{line}")?;
    }
    Ok(())
}

fn write_data_files<W: Write + ?Sized>(report: &Report<'_>, out: &mut W) -> io::Result<()> {
    if report.data.is_empty() {
        return Ok(());
    }
    let header = ["Data file", "Rows read", "Loaded", "Missing", "Rejected"];
    let rows = || {
        report.data.iter().map(|a| {
            [
                escape(&a.path.display().to_string()),
                group_digits(a.rows_read),
                group_digits(a.rows_loaded),
                group_digits(a.rows_missing),
                group_digits(a.rows_rejected),
            ]
        })
    };
    writeln!(out)?;
    write_table(&header, &[false, true, true, true, true], rows, out)?;
    if report.data_warnings > 0 {
        writeln!(out)?;
        writeln!(
            out,
            "{} data warning{} (see the run's log).",
            group_digits(report.data_warnings as u64),
            if report.data_warnings == 1 { "" } else { "s" }
        )?;
    }
    Ok(())
}

fn write_counts<W: Write + ?Sized>(
    report: &Report<'_>,
    summary: &Summary,
    out: &mut W,
) -> io::Result<()> {
    writeln!(out)?;
    let failing = summary.failing(report.failing);
    let statuses: Vec<&str> = report.failing.iter().map(|s| s.as_str()).collect();
    writeln!(
        out,
        "{} — {} fail{} the run ({}).",
        summary_line(summary),
        group_digits(failing as u64),
        if failing == 1 { "s" } else { "" },
        statuses.join(", ")
    )?;
    writeln!(out)?;
    let rows = || {
        summary
            .counts()
            .into_iter()
            .map(|(status, n)| [tag(status).to_string(), group_digits(n as u64)])
    };
    write_table(&["Status", "Results"], &[false, true], rows, out)
}

/// Whether a result belongs to the table of `group` (its file and section).
fn in_group(group: &Option<(PathBuf, Option<String>)>, result: &TargetResult) -> bool {
    group
        .as_ref()
        .is_some_and(|(file, section)| *file == result.file && *section == result.section)
}

/// The messages a section's table cannot show, after the table.
fn write_notes<W: Write + ?Sized>(notes: &mut Vec<String>, out: &mut W) -> io::Result<()> {
    if !notes.is_empty() {
        writeln!(out)?;
    }
    for note in notes.drain(..) {
        writeln!(out, "{note}")?;
    }
    Ok(())
}

fn needs_note(result: &TargetResult) -> bool {
    matches!(result.status, Status::NoData | Status::Error) || !result.failing_periods.is_empty()
}

/// The cells of a result's row, escaped.
fn cells(result: &TargetResult) -> [String; 7] {
    let mut status = tag(result.status).to_string();
    if result.severity == Severity::Warning {
        status.push_str(" (warning)");
    }
    let mut target = escape(&result.name);
    if let Some(description) = &result.description {
        target.push_str(": ");
        target.push_str(&escape(description));
    }
    let deadline = result
        .deadline
        .map_or_else(|| "—".to_string(), |d| d.to_string());
    let mut value = match result.values.first() {
        Some(v) => {
            let when = match (v.kind, v.projected_from) {
                (ValueKind::Projected, Some(from)) => {
                    format!("{} projected from {from}", v.period)
                }
                (ValueKind::Projected, None) => format!("{} projected", v.period),
                (ValueKind::Observed, _) => v.period.to_string(),
            };
            format!(
                "{} ({when})",
                escape(&with_unit(&v.display, v.unit.as_deref()))
            )
        }
        None => "—".to_string(),
    };
    if let Some(flag) = old_data_flag(result) {
        value = match result.values.is_empty() {
            true => flag,
            false => format!("{value}, {flag}"),
        };
    }
    let required = match &result.target {
        Some(t) => {
            let op = match t.op.as_str() {
                ">=" => "≥",
                "<=" => "≤",
                "!=" => "≠",
                "==" => "=",
                other => other,
            };
            format!("{op} {}", escape(&with_unit(&t.display, t.unit.as_deref())))
        }
        None => "—".to_string(),
    };
    let gap = result
        .gap
        .as_ref()
        .map_or_else(|| "—".to_string(), gap_text);
    let progress = match (&result.progress, &result.progress_note) {
        (Some(p), _) => progress_line(p),
        (None, Some(note)) => escape(note),
        (None, None) => "—".to_string(),
    };
    [status, target, deadline, value, required, gap, progress]
}

/// A table padded to its widest cells; `right` aligns a column right.
/// `rows` is called twice: once to measure, once to write.
fn write_table<W, const N: usize, I>(
    header: &[&str; N],
    right: &[bool; N],
    rows: impl Fn() -> I,
    out: &mut W,
) -> io::Result<()>
where
    W: Write + ?Sized,
    I: Iterator<Item = [String; N]>,
{
    let mut widths = header.map(|h| h.width());
    for row in rows() {
        for (width, cell) in widths.iter_mut().zip(&row) {
            *width = (*width).max(cell.width());
        }
    }
    write_head(header, &widths, right, out)?;
    for row in rows() {
        write_row(&row, &widths, right, out)?;
    }
    Ok(())
}

/// A table's header and the rule below it.
fn write_head<W: Write + ?Sized, const N: usize>(
    header: &[&str; N],
    widths: &[usize; N],
    right: &[bool; N],
    out: &mut W,
) -> io::Result<()> {
    let header = header.map(str::to_string);
    write_row(&header, widths, right, out)?;
    let rule = std::array::from_fn(|i| {
        let dashes = "-".repeat(widths[i].max(3));
        if right[i] {
            format!("{}:", &dashes[1..])
        } else {
            dashes
        }
    });
    write_row(&rule, widths, right, out)
}

fn write_row<W: Write + ?Sized, const N: usize>(
    row: &[String; N],
    widths: &[usize; N],
    right: &[bool; N],
    out: &mut W,
) -> io::Result<()> {
    let mut line = String::from("|");
    for ((cell, &width), &right) in row.iter().zip(widths).zip(right) {
        let pad = " ".repeat(width.saturating_sub(cell.width()));
        if right {
            line.push_str(&format!(" {pad}{cell} |"));
        } else {
            line.push_str(&format!(" {cell}{pad} |"));
        }
    }
    writeln!(out, "{line}")
}

/// Each target's quote, owner and source, once per target (the entities
/// of a `for each` target share them), gathered while the tables are
/// written: one entry per target, not per result.
#[derive(Default)]
struct Quotes {
    previous: Option<(PathBuf, String)>,
    lines: Vec<String>,
}

impl Quotes {
    fn add(&mut self, result: &TargetResult) {
        if result.quote.is_none() && result.owner.is_none() && result.source.is_none() {
            return;
        }
        if self
            .previous
            .as_ref()
            .is_some_and(|(file, id)| *file == result.file && *id == result.id)
        {
            return;
        }
        self.previous = Some((result.file.clone(), result.id.clone()));
        self.lines.push(match &result.quote {
            Some(quote) => format!("- {}: \"{}\"", escape(&result.id), escape(quote)),
            None => format!("- {}", escape(&result.id)),
        });
        let mut attributes = Vec::new();
        if let Some(owner) = &result.owner {
            attributes.push(format!("Owner: {}.", escape(owner)));
        }
        if let Some(source) = &result.source {
            attributes.push(format!("Source: {}.", escape(source)));
        }
        if !attributes.is_empty() {
            self.lines.push(format!("  {}", attributes.join(" ")));
        }
    }

    fn write<W: Write + ?Sized>(self, out: &mut W) -> io::Result<()> {
        if self.lines.is_empty() {
            return Ok(());
        }
        writeln!(out)?;
        writeln!(out, "## Quotes and sources")?;
        writeln!(out)?;
        for line in self.lines {
            writeln!(out, "{line}")?;
        }
        Ok(())
    }
}

/// Text from rule files or data made safe inside a table cell or a
/// paragraph (see the module's doc).
pub fn escape(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    for (i, &c) in chars.iter().enumerate() {
        match c {
            '\\' | '|' | '`' | '*' | '<' | '#' | '~' => {
                out.push('\\');
                out.push(c);
            }
            // `[text](url)` and `[text][label]` need `](` or `][`; with no
            // line of the document starting with such text, a bare
            // `[text]` cannot be a link or a definition.
            ']' if matches!(chars.get(i + 1), Some('(' | '[')) => out.push_str("\\]"),
            // Only `&name;` and `&#123;` are entities.
            '&' if is_entity(&chars[i + 1..]) => out.push_str("\\&"),
            '_' => {
                let inside_word = i > 0
                    && chars[i - 1].is_alphanumeric()
                    && chars.get(i + 1).is_some_and(|n| n.is_alphanumeric());
                if !inside_word {
                    out.push('\\');
                }
                out.push(c);
            }
            '\r' if chars.get(i + 1) == Some(&'\n') => {}
            '\n' | '\r' | '\t' => out.push(' '),
            '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => {
                out.push(char::REPLACEMENT_CHARACTER)
            }
            c if c.is_control() => out.push(char::REPLACEMENT_CHARACTER),
            c => out.push(c),
        }
    }
    out
}

/// Whether text after a `&` reads as an entity: `name;`, `#123;`, `#x1F;`.
fn is_entity(rest: &[char]) -> bool {
    let rest = rest.strip_prefix(&['#']).unwrap_or(rest);
    let name = rest
        .iter()
        .take_while(|c| c.is_ascii_alphanumeric())
        .count();
    name > 0 && rest.get(name) == Some(&';')
}
