//! What evaluating a target produces: a status and the numbers behind it.

use std::fmt;
use std::path::PathBuf;

use serde::Serialize;

use crate::data::period::Period;
use crate::syntax::ast::Severity;

/// The verdict on one target (or one entity of a `for each` target).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// The deadline's data is in and the condition holds.
    Met,
    /// The deadline's data is in and the condition does not hold.
    Missed,
    /// The condition already holds before the deadline (not final).
    Achieved,
    /// Projected to hold at the deadline.
    OnTrack,
    /// Projected not to hold at the deadline.
    OffTrack,
    /// Not enough data to say.
    NoData,
    /// The target could not be evaluated (unknown indicator, unit mismatch, ...).
    Error,
}

impl Status {
    pub const ALL: [Status; 7] = [
        Status::Met,
        Status::Missed,
        Status::Achieved,
        Status::OnTrack,
        Status::OffTrack,
        Status::NoData,
        Status::Error,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Met => "met",
            Status::Missed => "missed",
            Status::Achieved => "achieved",
            Status::OnTrack => "on_track",
            Status::OffTrack => "off_track",
            Status::NoData => "no_data",
            Status::Error => "error",
        }
    }

    pub fn parse(text: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|s| s.as_str() == text)
    }

    /// The statuses that fail a run unless `--fail-on` says otherwise.
    pub const DEFAULT_FAILING: [Status; 3] = [Status::Missed, Status::OffTrack, Status::Error];
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

/// Whether a value was observed or projected.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ValueKind {
    Observed,
    Projected,
}

impl ValueKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ValueKind::Observed => "observed",
            ValueKind::Projected => "projected",
        }
    }
}

/// One value a result used: a reference's observation or projection.
#[derive(Clone, Debug, PartialEq)]
pub struct UsedValue {
    /// The reference as written, with its selectors (`passenger_cars{country="KZ"}`).
    pub reference: String,
    /// The series it resolved to (`passenger_cars[country=KZ]`).
    pub series: String,
    pub period: Period,
    /// The value in base units.
    pub value: f64,
    /// The value as the data writes it, in its display unit (`131.4`).
    pub display: String,
    /// The display unit (`thousand units`), if the series has one.
    pub unit: Option<String>,
    pub kind: ValueKind,
    /// For a projected value: the observation it was projected from.
    pub projected_from: Option<Period>,
}

/// The level a target asks for, for targets of the form `REF op VALUE`.
#[derive(Clone, Debug, PartialEq)]
pub struct TargetLevel {
    /// `>=`, `>`, `<=`, `<`, `==` or `!=`, with the reference on the left.
    pub op: String,
    /// In base units.
    pub value: f64,
    /// In the reference's display unit.
    pub display: String,
    pub unit: Option<String>,
}

/// How far a result is from its target level: value − target.
#[derive(Clone, Debug, PartialEq)]
pub struct Gap {
    /// In base units.
    pub absolute: f64,
    /// In the reference's display unit.
    pub display: String,
    /// (value − target) / |target|; null when the target is 0.
    pub relative: Option<f64>,
}

/// Eurostat's growth-rate assessment (SPEC section 7).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ProgressCategory {
    SignificantProgress,
    ModerateProgress,
    InsufficientProgress,
    MovingAway,
}

impl ProgressCategory {
    pub fn of_ratio(ratio: f64) -> ProgressCategory {
        if ratio >= 0.95 {
            ProgressCategory::SignificantProgress
        } else if ratio >= 0.60 {
            ProgressCategory::ModerateProgress
        } else if ratio >= 0.0 {
            ProgressCategory::InsufficientProgress
        } else {
            ProgressCategory::MovingAway
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ProgressCategory::SignificantProgress => "significant_progress",
            ProgressCategory::ModerateProgress => "moderate_progress",
            ProgressCategory::InsufficientProgress => "insufficient_progress",
            ProgressCategory::MovingAway => "moving_away",
        }
    }
}

/// Actual and required growth rates and their ratio.
#[derive(Clone, Debug, PartialEq)]
pub struct Progress {
    pub actual_cagr: f64,
    pub required_cagr: f64,
    pub ratio: f64,
    pub category: ProgressCategory,
}

/// How a value was projected to the deadline.
#[derive(Clone, Debug, PartialEq)]
pub struct ProjectionInfo {
    /// `cagr` or `linear`.
    pub method: String,
    /// The observations the projection was fitted to.
    pub window: Vec<Period>,
    /// The annual growth rate (cagr) or the slope per year (linear, base units).
    pub rate: f64,
}

/// The result of one target, or of one entity of a `for each` target.
#[derive(Clone, Debug, PartialEq)]
pub struct TargetResult {
    /// The target id (`<file stem>:<line>` when the target has none).
    pub id: String,
    /// `id`, or `id[DIM=value]` for an entity of a `for each` target.
    pub name: String,
    /// The `for each` dimension and value, if any.
    pub entity: Option<(String, String)>,
    pub description: Option<String>,
    pub file: PathBuf,
    pub line: u32,
    pub section: Option<String>,
    pub status: Status,
    pub severity: Severity,
    /// `by P` / `in P`: P. None for `in each period` and no time clause.
    pub deadline: Option<Period>,
    pub values: Vec<UsedValue>,
    pub target: Option<TargetLevel>,
    pub gap: Option<Gap>,
    pub progress: Option<Progress>,
    /// Why there is no progress assessment, where one was looked for.
    pub progress_note: Option<String>,
    pub projection: Option<ProjectionInfo>,
    /// The latest observation the result used, and how many years before the
    /// as-of date it ends (reports flag data older than three years).
    pub latest_period: Option<Period>,
    pub data_age_years: Option<f64>,
    /// `in each period`: the periods where the condition failed.
    pub failing_periods: Vec<Period>,
    /// A one-line human message.
    pub message: String,
    /// The derivation step by step, when asked for (`ontrack explain`).
    pub trace: Vec<String>,
    /// When asked for (charts): the observations up to the as-of date of the
    /// reference the target is about (the one compared with the level, else
    /// the first), as values in its display unit, and that unit.
    pub history: Vec<(Period, f64)>,
    pub history_unit: Option<String>,
    pub owner: Option<String>,
    pub source: Option<String>,
    pub quote: Option<String>,
    pub tags: Vec<String>,
}

impl TargetResult {
    /// Whether this result fails a run whose failing statuses are `failing`
    /// (warning-severity targets never fail).
    pub fn fails(&self, failing: &[Status]) -> bool {
        self.severity == Severity::Error && failing.contains(&self.status)
    }
}
