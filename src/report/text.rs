//! The text report: what `ontrack check` prints on a terminal.
//!
//! ```text
//! Development of the manufacturing industry (rules/kz/manufacturing-2025.targets)
//!
//!   Machine building
//!     MISSED     passenger_cars_2025: Passenger car output — 2025: 131.4 thousand units, …
//!     ON TRACK   locomotives_2025 — 2024: 98 units, projected 124 in 2025
//!                actual 3.1%/yr, required 4.0%/yr: moderate_progress (78%)
//!                latest data 2017
//!
//! 2 results: 1 missed, 1 on track
//! data.csv: 1,204 rows read = 1,180 loaded + 20 missing + 4 rejected
//! ```
//!
//! Results are grouped by rule file (a heading with its title and path)
//! and section, in the order of the evaluation. Each result is one line: a
//! fixed-width status tag (coloured when asked), the name, the description
//! and the message; under it, the progress assessment and a flag on data
//! older than three years. The closing lines count results per status and
//! account for the rows of every data file. Text from rule files and data
//! is shown on one line without control characters ([`plain`]).

use std::borrow::Cow;
use std::io::{self, Write};
use std::path::PathBuf;

use anstyle::{AnsiColor, Style};

use super::{Report, Summary, group_digits};
use crate::eval::{Progress, Status, TargetResult};

/// The width of the status column: the longest tag, `OFF TRACK`.
const TAG_WIDTH: usize = 9;
/// Where the name starts, and the detail lines under it.
const DETAIL_INDENT: usize = 4 + TAG_WIDTH + 2;
/// Data older than this many years is flagged (SPEC section 4).
pub const OLD_DATA_YEARS: f64 = 3.0;

/// Writes the text report.
pub fn write<W: Write + ?Sized>(report: &Report<'_>, out: &mut W, color: bool) -> io::Result<()> {
    let paint = Paint { color };
    let mut file: Option<PathBuf> = None;
    let mut section: Option<String> = None;
    let mut summary = Summary::default();
    report.results.each(&mut |result| {
        summary.add(result);
        if file.as_deref() != Some(result.file.as_path()) {
            if file.is_some() {
                writeln!(out)?;
            }
            let title = report.rule_set(&result.file).and_then(|r| r.title());
            let path = result.file.display();
            match title {
                Some(title) => {
                    writeln!(out, "{}", paint.bold(&plain(&format!("{title} ({path})"))))?
                }
                None => writeln!(out, "{}", paint.bold(&plain(&path.to_string())))?,
            }
            file = Some(result.file.clone());
            section = None;
        }
        if result.section != section {
            section.clone_from(&result.section);
            if let Some(name) = &section {
                writeln!(out)?;
                writeln!(out, "  {}", paint.bold(&plain(name)))?;
            }
        }
        write_result(out, result, paint)
    })?;
    if summary.total() > 0 {
        writeln!(out)?;
    }
    writeln!(out, "{}", summary_line(&summary))?;
    for account in report.data {
        writeln!(
            out,
            "{}: {} row{} read = {} loaded + {} missing + {} rejected",
            plain(&account.path.display().to_string()),
            group_digits(account.rows_read),
            plural(account.rows_read as usize),
            group_digits(account.rows_loaded),
            group_digits(account.rows_missing),
            group_digits(account.rows_rejected),
        )?;
    }
    if report.data_warnings > 0 {
        writeln!(
            out,
            "{} data warning{}",
            group_digits(report.data_warnings as u64),
            plural(report.data_warnings)
        )?;
    }
    Ok(())
}

fn write_result<W: Write + ?Sized>(
    out: &mut W,
    result: &TargetResult,
    paint: Paint,
) -> io::Result<()> {
    // Pad before colouring, so escape codes do not count towards the width.
    let tag = format!("{:<TAG_WIDTH$}", tag(result.status));
    write!(
        out,
        "    {}  {}",
        paint.status(result.status, &tag),
        plain(&result.name)
    )?;
    if result.severity == crate::syntax::ast::Severity::Warning {
        write!(out, " (warning)")?;
    }
    if let Some(description) = &result.description {
        write!(out, ": {}", plain(description))?;
    }
    if !result.message.is_empty() {
        write!(out, " — {}", plain(&result.message))?;
    }
    writeln!(out)?;
    if let Some(progress) = &result.progress {
        writeln!(out, "{:DETAIL_INDENT$}{}", "", progress_line(progress))?;
    }
    if let Some(flag) = old_data_flag(result) {
        writeln!(out, "{:DETAIL_INDENT$}{}", "", paint.warn(&flag))?;
    }
    Ok(())
}

/// The status as the text report tags it: `MET`, `OFF TRACK`, `NO DATA`…
pub fn tag(status: Status) -> &'static str {
    match status {
        Status::Met => "MET",
        Status::Missed => "MISSED",
        Status::Achieved => "ACHIEVED",
        Status::OnTrack => "ON TRACK",
        Status::OffTrack => "OFF TRACK",
        Status::NoData => "NO DATA",
        Status::Error => "ERROR",
    }
}

/// `12 results: 3 met, 2 missed, 1 on track` (statuses with no result left out).
pub fn summary_line(summary: &Summary) -> String {
    let total = summary.total();
    let mut line = format!("{} result{}", group_digits(total as u64), plural(total));
    let counts: Vec<String> = summary
        .counts()
        .into_iter()
        .filter(|&(_, n)| n > 0)
        .map(|(status, n)| format!("{} {}", group_digits(n as u64), status_words(status)))
        .collect();
    if !counts.is_empty() {
        line.push_str(": ");
        line.push_str(&counts.join(", "));
    }
    line
}

/// `on_track` → `on track`.
fn status_words(status: Status) -> String {
    status.as_str().replace('_', " ")
}

/// `actual 3.1%/yr, required 4.0%/yr: moderate_progress (78%)`
pub fn progress_line(progress: &Progress) -> String {
    format!(
        "actual {}/yr, required {}/yr: {} ({})",
        percent(progress.actual_cagr),
        percent(progress.required_cagr),
        progress.category.as_str(),
        ratio_percent(progress.ratio),
    )
}

/// `latest data 2017`, when the data a result used is more than three
/// years older than the as-of date.
pub fn old_data_flag(result: &TargetResult) -> Option<String> {
    let age = result.data_age_years.filter(|&a| a > OLD_DATA_YEARS)?;
    Some(match result.latest_period {
        Some(period) => format!("latest data {period}"),
        None => format!("latest data {age:.0} years old"),
    })
}

/// A rate as a percentage with one decimal (`0.031` → `3.1%`); a rate that
/// would show as `0.0%` without being zero keeps two significant digits, so
/// a slow change does not read as none.
pub fn percent(rate: f64) -> String {
    if !rate.is_finite() {
        return "n/a".to_string();
    }
    let value = rate * 100.0;
    let shown = format!("{value:.1}");
    if value != 0.0 && (shown == "0.0" || shown == "-0.0") {
        let digits = (1 - value.abs().log10().floor() as i32).max(0) as usize;
        return format!("{value:.digits$}%");
    }
    format!("{shown}%")
}

/// The ratio of actual to required growth as a whole percentage. Rounded
/// to the nearest, except where that would cross a category cut-off (95%,
/// 60%, 0, SPEC section 7): then rounded down, so the number never
/// contradicts the category beside it (0.9496 is `94%`, not `95%`).
pub fn ratio_percent(ratio: f64) -> String {
    if !ratio.is_finite() {
        return "n/a".to_string();
    }
    let exact = ratio * 100.0;
    let mut shown = exact.round();
    if [95.0, 60.0, 0.0]
        .iter()
        .any(|&cut| exact < cut && shown >= cut)
    {
        shown = exact.floor();
    }
    format!("{shown}%")
}

/// Text from rule files or data as one line a terminal shows as it is:
/// line breaks and tabs become spaces; other control characters (an
/// escape sequence could recolour or rewrite the screen) and the
/// bidirectional overrides and isolates, which could reorder the rest of
/// the line, become U+FFFD.
pub fn plain(text: &str) -> Cow<'_, str> {
    let unsafe_char =
        |c: char| c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
    if !text.chars().any(unsafe_char) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' | '\r' | '\t' => out.push(' '),
            c if unsafe_char(c) => out.push(char::REPLACEMENT_CHARACTER),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// ANSI styling, or none.
#[derive(Clone, Copy)]
struct Paint {
    color: bool,
}

impl Paint {
    fn styled(self, style: Style, text: &str) -> String {
        if self.color {
            format!("{style}{text}{style:#}")
        } else {
            text.to_string()
        }
    }

    fn bold(self, text: &str) -> String {
        self.styled(Style::new().bold(), text)
    }

    fn warn(self, text: &str) -> String {
        self.styled(Style::new().fg_color(Some(AnsiColor::Yellow.into())), text)
    }

    fn status(self, status: Status, text: &str) -> String {
        let color = match status {
            Status::Met | Status::Achieved | Status::OnTrack => AnsiColor::Green,
            Status::Missed | Status::OffTrack | Status::Error => AnsiColor::Red,
            Status::NoData => AnsiColor::Yellow,
        };
        self.styled(Style::new().fg_color(Some(color.into())).bold(), text)
    }
}
