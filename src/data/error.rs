//! What loading data reports: errors (a rejected row, or a file that cannot
//! be read at all) and warnings, each with the file, line and column they are
//! about.
//!
//! Lines are 1-based; line 0 means the whole file. Columns are 1-based field
//! numbers in CSV files and character columns in YAML and JSON files; column 0
//! means the whole row (or line).

use std::fmt;
use std::path::PathBuf;

use thiserror::Error;

use super::period::{Frequency, Period, PeriodError};

/// A line of a data file, named in messages about another line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Location {
    pub path: PathBuf,
    pub line: u32,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.path.display(), self.line)
    }
}

/// A rejected row or an unreadable file.
#[derive(Clone, Debug, PartialEq, Error)]
#[error("{}: {kind}", position(path, *line, *column))]
pub struct DataError {
    pub path: PathBuf,
    pub line: u32,
    pub column: u32,
    pub kind: DataErrorKind,
}

impl DataError {
    /// Whether this error rejects rows and leaves the rest of the file
    /// loaded (`--skip-bad-rows` can go on), rather than stopping the whole
    /// file.
    pub fn is_row_error(&self) -> bool {
        self.kind.is_row_error()
    }

    /// Advice on the fix, where there is any.
    pub fn help(&self) -> Option<&'static str> {
        self.kind.help()
    }
}

/// Something to know about the data that does not stop a run.
#[derive(Clone, Debug, PartialEq, Error)]
#[error("{}: {kind}", position(path, *line, *column))]
pub struct DataWarning {
    pub path: PathBuf,
    pub line: u32,
    pub column: u32,
    pub kind: DataWarningKind,
}

fn position(path: &std::path::Path, line: u32, column: u32) -> String {
    match (line, column) {
        (0, _) => path.display().to_string(),
        (line, 0) => format!("{}:{line}", path.display()),
        (line, column) => format!("{}:{line}:{column}", path.display()),
    }
}

/// Why a row was rejected or a file could not be loaded.
#[derive(Clone, Debug, PartialEq, Error)]
pub enum DataErrorKind {
    // The file as a whole.
    #[error("no such file")]
    NotFound,
    #[error("cannot read the file: {0}")]
    Unreadable(std::io::ErrorKind),
    #[error("unknown data file extension `{extension}`")]
    UnknownFormat { extension: String },
    #[error("the file is empty")]
    EmptyFile,
    #[error("the file has a header but no rows")]
    NoRows,
    #[error("the file is larger than {} MiB, the limit for a YAML or JSON file", limit >> 20)]
    TooLarge { limit: u64 },
    #[error("the file is not valid UTF-8 text")]
    FileNotUtf8,
    #[error("a line longer than {} MiB; reading stopped", limit >> 20)]
    RecordTooLong { limit: usize },
    #[error("invalid {format}: {message}")]
    Syntax {
        format: &'static str,
        message: String,
    },
    #[error("{0}")]
    Shape(Shape),
    #[error("missing column `{column}` (the header has {})", list(header))]
    MissingColumn {
        column: &'static str,
        header: Vec<String>,
    },
    #[error("column `{name}` repeats column {first} (`{first_name}`)")]
    DuplicateColumn {
        name: String,
        first: u32,
        first_name: String,
    },
    #[error("the header is not valid UTF-8")]
    HeaderNotUtf8,

    // One row.
    #[error("the row has {fields} fields, the header has {expected}")]
    Ragged { fields: usize, expected: usize },
    #[error("the field is not valid UTF-8")]
    NotUtf8,
    #[error("the row names no indicator")]
    MissingIndicator,
    #[error("the row has no period")]
    EmptyPeriod,
    #[error("bad period `{text}`: {reason}")]
    BadPeriod { text: String, reason: PeriodError },
    #[error("value `{text}` is not a number")]
    NotANumber { text: String },
    #[error("value `{text}` is not a finite number")]
    NotFinite { text: String },
    #[error("unit multiplier `{text}` is not 0, 3, 6, 9 or 12")]
    UnitMultiplier { text: String },

    // One row that does not fit its series.
    #[error(
        "`{series}` has two values for {period}: `{value}` here and `{first_value}` at {first}"
    )]
    ConflictingDuplicate {
        series: String,
        period: Period,
        value: String,
        first_value: String,
        first: Location,
    },
    #[error(
        "`{series}` mixes frequencies: {} here, {} at {first}",
        frequency.name(),
        first_frequency.name()
    )]
    MixedFrequency {
        series: String,
        frequency: Frequency,
        first_frequency: Frequency,
        first: Location,
    },
    #[error(
        "`{series}` has {} here and {} at {first}",
        unit_name(unit),
        unit_name(first_unit)
    )]
    UnitConflict {
        series: String,
        unit: Option<String>,
        first_unit: Option<String>,
        first: Location,
    },
}

impl DataErrorKind {
    /// See [`DataError::is_row_error`].
    pub fn is_row_error(&self) -> bool {
        match self {
            DataErrorKind::NotFound
            | DataErrorKind::Unreadable(_)
            | DataErrorKind::UnknownFormat { .. }
            | DataErrorKind::EmptyFile
            | DataErrorKind::NoRows
            | DataErrorKind::TooLarge { .. }
            | DataErrorKind::FileNotUtf8
            | DataErrorKind::RecordTooLong { .. }
            | DataErrorKind::Syntax { .. }
            | DataErrorKind::Shape(_)
            | DataErrorKind::MissingColumn { .. }
            | DataErrorKind::DuplicateColumn { .. }
            | DataErrorKind::HeaderNotUtf8 => false,
            DataErrorKind::Ragged { .. }
            | DataErrorKind::NotUtf8
            | DataErrorKind::MissingIndicator
            | DataErrorKind::EmptyPeriod
            | DataErrorKind::BadPeriod { .. }
            | DataErrorKind::NotANumber { .. }
            | DataErrorKind::NotFinite { .. }
            | DataErrorKind::UnitMultiplier { .. }
            | DataErrorKind::ConflictingDuplicate { .. }
            | DataErrorKind::MixedFrequency { .. }
            | DataErrorKind::UnitConflict { .. } => true,
        }
    }

    /// Advice on the fix, where there is any.
    pub fn help(&self) -> Option<&'static str> {
        match self {
            DataErrorKind::UnknownFormat { .. } => {
                Some("data files end in .csv, .tsv, .yaml, .yml or .json")
            }
            DataErrorKind::MissingColumn { .. } => Some(
                "a long CSV needs `indicator`, `period` and `value` columns; \
                 `columns:` in ontrack.yaml can rename the file's columns",
            ),
            DataErrorKind::BadPeriod { reason, .. } => reason.help(),
            DataErrorKind::NotANumber { .. } => {
                Some("missing values are written empty, `..`, `:`, `NA`, `n/a` or `-`")
            }
            DataErrorKind::UnitMultiplier { .. } => Some(
                "SDMX `UNIT_MULT` scales values by a power of ten; the ones with a scale word \
                 (thousand, million, billion, trillion) are supported",
            ),
            DataErrorKind::NotFinite { .. } => Some(
                "values must be finite numbers, within about ±1.8e308 after scaling by their unit",
            ),
            DataErrorKind::RecordTooLong { .. } => Some(
                "a CSV or TSV data file has one record a line; is this file binary, \
                 or does it lack line ends?",
            ),
            DataErrorKind::MissingIndicator => {
                Some("`indicator:` in the data entry of ontrack.yaml names a file's one indicator")
            }
            _ => None,
        }
    }
}

/// How a YAML or JSON data file differs from the expected shape
/// (`series:` followed by a list of mappings with `values:`).
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum Shape {
    #[error("expected a mapping with a `series` list at the top of the file")]
    NoSeriesList,
    #[error("each entry of `series` must be a mapping")]
    SeriesNotMapping,
    #[error("`values` must be a mapping from period to value")]
    ValuesNotMapping,
    #[error("the series has no `values`")]
    NoValues,
    #[error("`{key}` must be a single value (text or number)")]
    NotScalar { key: String },
}

/// A note about the data that does not stop a run.
#[derive(Clone, Debug, PartialEq, Error)]
pub enum DataWarningKind {
    #[error("`{series}` repeats {period} with the same value (first at {first})")]
    IdenticalDuplicate {
        series: String,
        period: Period,
        first: Location,
    },
}

fn list(header: &[String]) -> String {
    if header.is_empty() {
        return "no columns".to_string();
    }
    header
        .iter()
        .map(|name| format!("`{name}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn unit_name(unit: &Option<String>) -> String {
    match unit {
        Some(unit) => format!("unit `{unit}`"),
        None => "no unit".to_string(),
    }
}
