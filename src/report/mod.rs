//! Reports: an [`Evaluation`] written out in one of the output formats
//! (SPEC section 5).
//!
//! ```text
//! Report { evaluation, rules, data accounts, as-of } ──write(format)──▶ impl Write
//!                 │
//!                 ├─ text      grouped by rule file and section, a summary line
//!                 ├─ json      a documented, versioned schema (see `json.rs`)
//!                 ├─ markdown  a compliance summary: counts, a table per section, quotes
//!                 ├─ junit     JUnit XML: a testsuite per rule file, a testcase per result
//!                 ├─ github    GitHub Actions workflow commands at each target's line
//!                 └─ html      one self-contained page with a chart per target (`html.rs`, `svg.rs`)
//! ```
//!
//! Every format streams: it goes through the results ([`Results`]) and
//! writes result by result to the writer it is given, never holding the
//! whole document, or all the results, in memory. The results themselves
//! may be a stream: the command line evaluates them as they are written.
//! Text, JSON and GitHub reports go through the results once, writing their
//! summary at the end; Markdown, JUnit and HTML give counts (and Markdown its
//! column widths) before the results, so they go through them twice, first
//! to measure, then to write. JSON renders each result where it is made
//! ([`Results::each_rendered`]): on the command line, on the worker that
//! evaluated it. This module owns the choice of format and
//! what all formats share; it does not evaluate, filter or decide exit codes
//! (that is the command line's job).

pub mod explain;
pub mod github;
pub mod html;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod svg;
pub mod text;

use std::fmt;
use std::io;
use std::str::FromStr;

use serde::Deserialize;

use crate::data::FileAccount;
use crate::data::period::Date;
use crate::eval::{Evaluation, RuleSet, Status, TargetResult};
use crate::syntax::ast::Severity;

/// An output format. A new format adds a variant here, a module beside
/// the others, and an arm in [`write()`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    #[default]
    Text,
    Json,
    Markdown,
    Junit,
    Github,
    Html,
}

impl Format {
    pub const ALL: [Format; 6] = [
        Format::Text,
        Format::Json,
        Format::Markdown,
        Format::Junit,
        Format::Github,
        Format::Html,
    ];

    /// The name used on the command line and in `ontrack.yaml`.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Json => "json",
            Format::Markdown => "markdown",
            Format::Junit => "junit",
            Format::Github => "github",
            Format::Html => "html",
        }
    }

    /// Whether the format uses colour when asked to (a machine-read format
    /// never does).
    pub fn supports_color(self) -> bool {
        match self {
            Format::Text => true,
            Format::Json => false,
            Format::Markdown | Format::Junit | Format::Github | Format::Html => false,
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A format name that is not one of [`Format::ALL`].
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown report format `{name}` (expected {})", expected_formats())]
pub struct UnknownFormat {
    pub name: String,
}

fn expected_formats() -> String {
    let names: Vec<&str> = Format::ALL.iter().map(|f| f.as_str()).collect();
    names.join(" or ")
}

impl FromStr for Format {
    type Err = UnknownFormat;

    fn from_str(name: &str) -> Result<Format, UnknownFormat> {
        Format::ALL
            .into_iter()
            .find(|f| f.as_str() == name)
            .ok_or_else(|| UnknownFormat {
                name: name.to_string(),
            })
    }
}

/// The results a report shows, in order, to be gone through once or more.
pub trait Results {
    /// Calls `each` with every result, in order; stops at its first error
    /// and returns it.
    fn each(&self, each: &mut dyn FnMut(&TargetResult) -> io::Result<()>) -> io::Result<()>;

    /// The counts of the results (by default, from a pass through them).
    fn summary(&self) -> io::Result<Summary> {
        let mut summary = Summary::default();
        self.each(&mut |result| {
            summary.add(result);
            Ok(())
        })?;
        Ok(summary)
    }

    /// Renders every result with `render` and calls `each` with its status,
    /// severity and rendering, in order; stops at the first error of either
    /// and returns it. `render` may run on any thread, as each result is
    /// made, so a format that writes each result on its own (JSON) is
    /// rendered on every core. By default everything runs here.
    fn each_rendered(&self, render: &Render<'_>, each: &mut EachRendered<'_>) -> io::Result<()> {
        let mut rendered = Vec::new();
        self.each(&mut |result| {
            rendered.clear();
            render(result, &mut rendered)?;
            each(result.status, result.severity, &rendered)
        })
    }
}

/// How [`Results::each_rendered`] renders a result: at the end of the bytes given.
pub type Render<'a> = dyn Fn(&TargetResult, &mut Vec<u8>) -> io::Result<()> + Sync + 'a;

/// What [`Results::each_rendered`] hands each rendered result to: its
/// status, its severity and its rendering.
pub type EachRendered<'a> = dyn FnMut(Status, Severity, &[u8]) -> io::Result<()> + 'a;

impl Results for Evaluation {
    fn each(&self, each: &mut dyn FnMut(&TargetResult) -> io::Result<()>) -> io::Result<()> {
        self.results.iter().try_for_each(each)
    }
}

/// How many results have each status, and how many of those can fail a run
/// (warning-severity targets never do).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    all: [usize; 7],
    severe: [usize; 7],
}

impl Summary {
    pub fn add(&mut self, result: &TargetResult) {
        self.add_status(result.status, result.severity);
    }

    /// Counts a result by its status and severity.
    pub fn add_status(&mut self, status: Status, severity: Severity) {
        let index = Status::ALL
            .iter()
            .position(|&s| s == status)
            .unwrap_or_default();
        self.all[index] += 1;
        if severity == Severity::Error {
            self.severe[index] += 1;
        }
    }

    /// The number of results.
    pub fn total(&self) -> usize {
        self.all.iter().sum()
    }

    /// The number of results with each status, in the order of [`Status::ALL`].
    pub fn counts(&self) -> Vec<(Status, usize)> {
        Status::ALL.into_iter().zip(self.all).collect()
    }

    /// Adds the counts of `other`.
    pub fn add_all(&mut self, other: &Summary) {
        for (mine, theirs) in self.all.iter_mut().zip(other.all) {
            *mine += theirs;
        }
        for (mine, theirs) in self.severe.iter_mut().zip(other.severe) {
            *mine += theirs;
        }
    }

    /// The number of results that fail the run when `failing` statuses do.
    pub fn failing(&self, failing: &[Status]) -> usize {
        Status::ALL
            .iter()
            .zip(self.severe)
            .filter(|(status, _)| failing.contains(status))
            .map(|(_, n)| n)
            .sum()
    }
}

/// Everything a report shows besides the results themselves.
#[derive(Clone, Copy)]
pub struct Report<'a> {
    /// The results to show (already filtered by `--tag` / `--id`).
    pub results: &'a dyn Results,
    /// The rule files that were evaluated, in order.
    pub rules: &'a [RuleSet],
    /// The row counts of each data file, in order.
    pub data: &'a [FileAccount],
    /// How many data warnings loading produced.
    pub data_warnings: usize,
    pub as_of: Date,
    /// The statuses that fail the run (`--fail-on`): the JUnit and GitHub
    /// reports mark a result as failed exactly when it fails the run.
    pub failing: &'a [Status],
    /// When the run took place, in seconds since 1970-01-01 UTC: the JUnit
    /// report's `timestamp`. None stands for midnight of the as-of date,
    /// so a report built without a clock is reproducible.
    pub run_at: Option<u64>,
}

impl<'a> Report<'a> {
    /// A report on `evaluation`, as of its own date.
    pub fn new(evaluation: &'a Evaluation, rules: &'a [RuleSet], data: &'a [FileAccount]) -> Self {
        Report {
            results: evaluation,
            rules,
            data,
            data_warnings: 0,
            as_of: evaluation.as_of,
            failing: &Status::DEFAULT_FAILING,
            run_at: None,
        }
    }

    /// Whether `result` fails the run (warning-severity targets never do).
    pub fn fails(&self, result: &TargetResult) -> bool {
        result.fails(self.failing)
    }

    /// The counts of the results.
    pub fn summary(&self) -> io::Result<Summary> {
        self.results.summary()
    }

    /// The rule set a result's file belongs to, if it was evaluated.
    fn rule_set(&self, path: &std::path::Path) -> Option<&'a RuleSet> {
        self.rules.iter().find(|r| r.path == path)
    }
}

/// Writes `report` in `format` to `out`. `color` asks for ANSI colours; a
/// format that has none ignores it.
pub fn write(
    format: Format,
    report: &Report<'_>,
    out: &mut dyn io::Write,
    color: bool,
) -> io::Result<()> {
    match format {
        Format::Text => text::write(report, out, color),
        Format::Json => json::write(report, out),
        Format::Markdown => markdown::write(report, out),
        Format::Junit => junit::write(report, out),
        Format::Github => github::write(report, out),
        Format::Html => html::write(report, out),
    }
}

/// Periods as a comma-separated list: `2016, 2019`.
pub fn period_list(periods: &[crate::data::period::Period]) -> String {
    periods
        .iter()
        .map(|p| p.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// `1204` → `1,204`: counts in reports are read by people.
pub fn group_digits(n: u64) -> String {
    crate::eval::group_thousands(&n.to_string())
}

/// A gap with its sign and, when the target is not 0, the relative gap:
/// `−28.6 (−17.9%)`, `+4 (+3.3%)`.
pub fn gap_text(gap: &crate::eval::Gap) -> String {
    let magnitude = gap.display.trim_start_matches(['-', '−', '+']);
    let sign = if gap.absolute < 0.0 {
        "−"
    } else if gap.absolute > 0.0 {
        "+"
    } else {
        ""
    };
    let mut text = format!("{sign}{magnitude}");
    if let Some(relative) = gap.relative.filter(|r| r.is_finite()) {
        let sign = if relative < 0.0 { "−" } else { "+" };
        text.push_str(&format!(
            " ({sign}{})",
            crate::eval::percent(relative.abs())
        ));
    }
    text
}
