//! The JSON report (`--format json`): one JSON object, schema version 1.
//!
//! The object is written as it goes: the header fields first, then
//! `results`, one result per line, each serialized on its own as it is
//! evaluated, then `summary`, counted on the way, so the report of a very
//! large run never sits in memory as a whole. Readers should parse it as
//! one JSON document (the order of its fields means nothing); the line
//! breaks between results are only a convenience for `grep` and diffs.
//!
//! # Wire format
//!
//! Numbers are JSON numbers with full precision (the shortest decimal that
//! reads back as the same double); a value that is not finite is `null`.
//! Periods are strings as rules write them (`2025`, `2025-Q3`, `2025-03`,
//! `2025-03-31`); dates are `YYYY-MM-DD`. Fields marked "or null" are
//! always present. Readers must ignore fields they do not know: a later
//! version of the same `schema_version` may add fields, never remove or
//! change one.
//!
//! ```text
//! {
//!   "schema_version": 1,
//!   "as_of": "2025-06-30",                  observations ending later were ignored
//!   "rules": [                              the rule files, in order
//!     {"file": "rules/kz/cars.targets", "title": "…" or null, "source": "…" or null}
//!   ],
//!   "data": [                               the data files, in order
//!     {"file": "data.csv", "rows_read": 1204, "rows_loaded": 1180,
//!      "rows_missing": 20, "rows_rejected": 4}   read = loaded + missing + rejected
//!   ],
//!   "data_warnings": 0,
//!   "results": [ RESULT, … ],
//!   "summary": {"met": 3, "missed": 2, "achieved": 1, "on_track": 4,
//!               "off_track": 1, "no_data": 1, "error": 0}   all seven keys
//! }
//! ```
//!
//! A `RESULT`:
//!
//! | field | type | meaning |
//! |---|---|---|
//! | `id` | string | the target id (`<file stem>:<line>` when it has none) |
//! | `name` | string | `id`, or `id[DIM=value]` for an entity of a `for each` target |
//! | `entity` | object | `{DIM: value}` for a `for each` entity, else `{}` |
//! | `description` | string or null | the target's description |
//! | `file`, `line` | string, number | where the target is written |
//! | `section` | string or null | the rule file's section |
//! | `status` | string | `met`, `missed`, `achieved`, `on_track`, `off_track`, `no_data` or `error` |
//! | `severity` | string | `error` or `warning` (a warning never fails a run) |
//! | `deadline` | string or null | P of `by P` / `in P` |
//! | `values` | list | the values used: `{reference, series, period, value, display, unit, kind, projected_from}` |
//! | `target` | object or null | `{op, value, display, unit}`, the level asked for |
//! | `gap` | object or null | `{absolute, display, relative}`: value − target |
//! | `progress` | object or null | `{actual_cagr, required_cagr, ratio, category}` |
//! | `progress_note` | string or null | why there is no progress assessment |
//! | `projection` | object or null | `{method, window, rate}` |
//! | `latest_period` | string or null | the latest observation used |
//! | `data_age_years` | number or null | how old it is at the as-of date |
//! | `failing_periods` | list of strings | `in each period`: where the condition failed |
//! | `message` | string | a one-line human summary |
//! | `owner`, `source`, `quote` | string or null | the target's attributes |
//! | `tags` | list of strings | the target's tags |
//!
//! In `values`: `value` is in base units (scale and percent removed),
//! `display` the same value as the data writes it in its display unit
//! `unit` (string or null), `kind` `observed` or `projected`, and
//! `projected_from` the period a projected value starts from (else null).
//! In `target` and `gap`, `value`/`absolute` are in base units and
//! `display` in the reference's display unit; `op` has the reference on the
//! left; `relative` is (value − target) / |target|, null when the target is
//! 0. `progress` rates are fractions (`0.031` is 3.1% a year); `category`
//! is `significant_progress`, `moderate_progress`, `insufficient_progress`
//! or `moving_away`. `projection.method` is `cagr` or `linear`, `window`
//! the periods it was fitted to, `rate` the annual growth rate (cagr) or
//! slope per year in base units (linear).
//!
//! `docs/json-report.md` documents the same schema with an example.

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde::Serialize;

use super::{Report, Summary};
use crate::data::period::Period;
use crate::eval::{
    Gap, Progress, ProgressCategory, ProjectionInfo, Status, TargetLevel, TargetResult, UsedValue,
    ValueKind,
};

/// The version of the wire format above.
pub const SCHEMA_VERSION: u32 = 1;

/// Writes the JSON report, followed by a newline.
pub fn write<W: Write + ?Sized>(report: &Report<'_>, out: &mut W) -> io::Result<()> {
    let header = Header {
        schema_version: SCHEMA_VERSION,
        as_of: report.as_of.to_string(),
        rules: report
            .rules
            .iter()
            .map(|r| RuleFileJson {
                file: r.path.display().to_string(),
                title: r.title(),
                source: r.source(),
            })
            .collect(),
        data: report
            .data
            .iter()
            .map(|a| DataFileJson {
                file: a.path.display().to_string(),
                rows_read: a.rows_read,
                rows_loaded: a.rows_loaded,
                rows_missing: a.rows_missing,
                rows_rejected: a.rows_rejected,
            })
            .collect(),
        data_warnings: report.data_warnings,
    };
    // The header is serialized as an object and left open: its closing
    // brace is replaced by the `results` list, written one result at a time.
    let header = serde_json::to_vec(&header).map_err(io::Error::from)?;
    let open = header
        .strip_suffix(b"}")
        .ok_or_else(|| io::Error::other("a JSON object ends with `}`"))?;
    out.write_all(open)?;
    out.write_all(b",\"results\":[")?;
    let mut summary = Summary::default();
    // Each result is serialized into memory, where it is made (on every
    // core), and written in one call: serde writes a result in hundreds of
    // small pieces, and through `out` each would be a call on the writer.
    let render = |result: &TargetResult, bytes: &mut Vec<u8>| {
        serde_json::to_writer(bytes, &ResultJson::from(result)).map_err(io::Error::from)
    };
    report
        .results
        .each_rendered(&render, &mut |status, severity, bytes| {
            out.write_all(if summary.total() == 0 { b"\n" } else { b",\n" })?;
            summary.add_status(status, severity);
            out.write_all(bytes)
        })?;
    let counts: BTreeMap<Status, usize> = summary.counts().into_iter().collect();
    out.write_all(b"\n],\"summary\":")?;
    serde_json::to_writer(&mut *out, &counts).map_err(io::Error::from)?;
    out.write_all(b"}\n")
}

#[derive(Serialize)]
struct Header<'a> {
    schema_version: u32,
    as_of: String,
    rules: Vec<RuleFileJson<'a>>,
    data: Vec<DataFileJson>,
    data_warnings: usize,
}

#[derive(Serialize)]
struct RuleFileJson<'a> {
    file: String,
    title: Option<&'a str>,
    source: Option<&'a str>,
}

#[derive(Serialize)]
struct DataFileJson {
    file: String,
    rows_read: u64,
    rows_loaded: u64,
    rows_missing: u64,
    rows_rejected: u64,
}

/// One result on the wire: borrowed from the [`TargetResult`], with
/// periods as strings and non-finite numbers as null.
#[derive(Serialize)]
struct ResultJson<'a> {
    id: &'a str,
    name: &'a str,
    entity: EntityJson<'a>,
    description: Option<&'a str>,
    file: PathJson<'a>,
    line: u32,
    section: Option<&'a str>,
    status: Status,
    severity: &'static str,
    deadline: Option<PeriodJson>,
    values: ValuesJson<'a>,
    target: Option<TargetJson<'a>>,
    gap: Option<GapJson<'a>>,
    progress: Option<ProgressJson>,
    progress_note: Option<&'a str>,
    projection: Option<ProjectionJson<'a>>,
    latest_period: Option<PeriodJson>,
    data_age_years: Option<f64>,
    failing_periods: PeriodsJson<'a>,
    message: &'a str,
    owner: Option<&'a str>,
    source: Option<&'a str>,
    quote: Option<&'a str>,
    tags: &'a [String],
}

impl<'a> From<&'a TargetResult> for ResultJson<'a> {
    fn from(r: &'a TargetResult) -> Self {
        ResultJson {
            id: &r.id,
            name: &r.name,
            entity: EntityJson(r.entity.as_ref()),
            description: r.description.as_deref(),
            file: PathJson(&r.file),
            line: r.line,
            section: r.section.as_deref(),
            status: r.status,
            severity: r.severity.as_str(),
            deadline: r.deadline.map(PeriodJson),
            values: ValuesJson(&r.values),
            target: r.target.as_ref().map(TargetJson::from),
            gap: r.gap.as_ref().map(GapJson::from),
            progress: r.progress.as_ref().map(ProgressJson::from),
            progress_note: r.progress_note.as_deref(),
            projection: r.projection.as_ref().map(ProjectionJson::from),
            latest_period: r.latest_period.map(PeriodJson),
            data_age_years: r.data_age_years.and_then(finite),
            failing_periods: PeriodsJson(&r.failing_periods),
            message: &r.message,
            owner: r.owner.as_deref(),
            source: r.source.as_deref(),
            quote: r.quote.as_deref(),
            tags: &r.tags,
        }
    }
}

#[derive(Serialize)]
struct ValueJson<'a> {
    reference: &'a str,
    series: &'a str,
    period: PeriodJson,
    value: Option<f64>,
    display: &'a str,
    unit: Option<&'a str>,
    kind: ValueKind,
    projected_from: Option<PeriodJson>,
}

impl<'a> From<&'a UsedValue> for ValueJson<'a> {
    fn from(v: &'a UsedValue) -> Self {
        ValueJson {
            reference: &v.reference,
            series: &v.series,
            period: PeriodJson(v.period),
            value: finite(v.value),
            display: &v.display,
            unit: v.unit.as_deref(),
            kind: v.kind,
            projected_from: v.projected_from.map(PeriodJson),
        }
    }
}

#[derive(Serialize)]
struct TargetJson<'a> {
    op: &'a str,
    value: Option<f64>,
    display: &'a str,
    unit: Option<&'a str>,
}

impl<'a> From<&'a TargetLevel> for TargetJson<'a> {
    fn from(t: &'a TargetLevel) -> Self {
        TargetJson {
            op: &t.op,
            value: finite(t.value),
            display: &t.display,
            unit: t.unit.as_deref(),
        }
    }
}

#[derive(Serialize)]
struct GapJson<'a> {
    absolute: Option<f64>,
    display: &'a str,
    relative: Option<f64>,
}

impl<'a> From<&'a Gap> for GapJson<'a> {
    fn from(g: &'a Gap) -> Self {
        GapJson {
            absolute: finite(g.absolute),
            display: &g.display,
            relative: g.relative.and_then(finite),
        }
    }
}

#[derive(Serialize)]
struct ProgressJson {
    actual_cagr: Option<f64>,
    required_cagr: Option<f64>,
    ratio: Option<f64>,
    category: ProgressCategory,
}

impl From<&Progress> for ProgressJson {
    fn from(p: &Progress) -> Self {
        ProgressJson {
            actual_cagr: finite(p.actual_cagr),
            required_cagr: finite(p.required_cagr),
            ratio: finite(p.ratio),
            category: p.category,
        }
    }
}

#[derive(Serialize)]
struct ProjectionJson<'a> {
    method: &'a str,
    window: PeriodsJson<'a>,
    rate: Option<f64>,
}

impl<'a> From<&'a ProjectionInfo> for ProjectionJson<'a> {
    fn from(p: &'a ProjectionInfo) -> Self {
        ProjectionJson {
            method: &p.method,
            window: PeriodsJson(&p.window),
            rate: finite(p.rate),
        }
    }
}

/// A period as a string (`2025-Q3`), written without an allocation of its own.
struct PeriodJson(Period);

impl Serialize for PeriodJson {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.0.text() {
            Some(text) => serializer.serialize_str(&text),
            None => serializer.collect_str(&self.0),
        }
    }
}

/// Periods as an array of strings, written as they are read.
struct PeriodsJson<'a>(&'a [Period]);

impl Serialize for PeriodsJson<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.iter().copied().map(PeriodJson))
    }
}

/// A result's values, written as they are read.
struct ValuesJson<'a>(&'a [UsedValue]);

impl Serialize for ValuesJson<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.iter().map(ValueJson::from))
    }
}

/// A `for each` entity as an object of its dimension and value (`{}` for
/// none).
struct EntityJson<'a>(Option<&'a (String, String)>);

impl Serialize for EntityJson<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.0.map(|(d, v)| (d, v)))
    }
}

/// A path as text, written without a copy of its own.
struct PathJson<'a>(&'a std::path::Path);

impl Serialize for PathJson<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(&self.0.display())
    }
}

/// JSON has no NaN or infinity; such a number is written as null.
fn finite(x: f64) -> Option<f64> {
    x.is_finite().then_some(x)
}
