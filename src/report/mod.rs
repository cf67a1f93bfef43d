//! Reports: an [`Evaluation`] written out in one of the output formats
//! (SPEC section 5).
//!
//! ```text
//! Report { evaluation, rules, data accounts, as-of } ──write(format)──▶ impl Write
//!                 │
//!                 ├─ text   grouped by rule file and section, a summary line
//!                 ├─ json   a documented, versioned schema (see `json.rs`)
//!                 └─ html   one self-contained page with a chart per target (`html.rs`, `svg.rs`)
//! ```
//!
//! Every format streams: it writes result by result to the writer it is
//! given and never holds the whole document in memory, so a run with
//! hundreds of thousands of results costs no more than the results
//! themselves. This module owns the choice of format and what all formats
//! share; it does not evaluate, filter or decide exit codes (that is the
//! command line's job).

pub mod explain;
pub mod html;
pub mod json;
pub mod svg;
pub mod text;

use std::fmt;
use std::io;
use std::str::FromStr;

use serde::Deserialize;

use crate::data::FileAccount;
use crate::data::period::Date;
use crate::eval::{Evaluation, RuleSet};

/// An output format. New formats (markdown, junit, github, html) add a
/// variant here, a module beside `text` and `json`, and an arm in [`write()`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    #[default]
    Text,
    Json,
    Html,
}

impl Format {
    pub const ALL: [Format; 3] = [Format::Text, Format::Json, Format::Html];

    /// The name used on the command line and in `ontrack.yaml`.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Json => "json",
            Format::Html => "html",
        }
    }

    /// Whether the format uses colour when asked to (a machine-read format
    /// never does).
    pub fn supports_color(self) -> bool {
        match self {
            Format::Text => true,
            Format::Json => false,
            Format::Html => false,
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

/// Everything a report shows besides the results themselves.
#[derive(Clone, Copy, Debug)]
pub struct Report<'a> {
    /// The results to show (already filtered by `--tag` / `--id`).
    pub evaluation: &'a Evaluation,
    /// The rule files that were evaluated, in order.
    pub rules: &'a [RuleSet],
    /// The row counts of each data file, in order.
    pub data: &'a [FileAccount],
    /// How many data warnings loading produced.
    pub data_warnings: usize,
    pub as_of: Date,
}

impl<'a> Report<'a> {
    /// A report on `evaluation`, as of its own date.
    pub fn new(evaluation: &'a Evaluation, rules: &'a [RuleSet], data: &'a [FileAccount]) -> Self {
        Report {
            evaluation,
            rules,
            data,
            data_warnings: 0,
            as_of: evaluation.as_of,
        }
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
        Format::Html => html::write(report, out),
    }
}

/// `1204` → `1,204`: counts in reports are read by people.
pub fn group_digits(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}
