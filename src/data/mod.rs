//! Observed data: periods, units, series and the loaders that read them
//! (SPEC sections 1 and 2).
//!
//! ```text
//! DataSource… ──load──▶ Loaded { Dataset, per-file row counts, errors, warnings }
//!                 │
//!                 ├─ csv_long / csv_wide   .csv, .tsv (long, wide, SDMX-CSV)
//!                 ├─ yaml / json           .yaml, .yml, .json (`series:` lists)
//!                 ├─ row                    fields → observation (markers, flags, units)
//!                 └─ builder               series checks: unit, frequency, duplicates
//!
//! DataError… ──render_errors──▶ text like a compiler's: the line, the field underlined
//! ```
//!
//! Every row of every file is loaded, missing or rejected
//! (`rows_read = rows_loaded + rows_missing + rows_rejected`); a rejected
//! row is a [`DataError`] with file, line and column. Whether errors stop a
//! run is the caller's decision ([`Loaded::is_fatal`]).

mod blocks;
mod builder;
mod columns;
mod csv_long;
mod csv_wide;
pub mod dataset;
mod document;
pub mod error;
mod intern;
mod json;
pub mod period;
pub mod provenance;
pub mod render;
mod row;
mod row_log;
pub mod unit;
mod yaml;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

pub use dataset::{Dataset, DimId, IndicatorId, Series, SeriesId, Source, ValueId};
pub use error::{DataError, DataErrorKind, DataWarning, DataWarningKind, Location, Shape};
pub use period::{Date, Frequency, Period, PeriodError};
pub use render::{render_errors, render_warnings};
pub use unit::{DataUnit, display_value, parse_scaled};

/// A data file and how to read it (a `data` entry of `ontrack.yaml`,
/// SPEC section 6).
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DataSource {
    pub path: PathBuf,
    /// The indicator of every row, for a file that holds one indicator;
    /// replaces any indicator column.
    pub indicator: Option<String>,
    /// Column renames, file name → name used (`geo: country`), applied
    /// before columns are given their roles; names match case-insensitively.
    pub columns: BTreeMap<String, String>,
    /// Columns (or YAML keys) to ignore, by file name or renamed name.
    pub drop: Vec<String>,
    /// Dimensions added to every row; they replace a column of the same name.
    pub dimensions: BTreeMap<String, String>,
}

impl DataSource {
    /// A file read as it is.
    pub fn new(path: impl Into<PathBuf>) -> DataSource {
        DataSource {
            path: path.into(),
            ..DataSource::default()
        }
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LoadOptions {
    /// Load the good rows and report the bad ones as rejected, instead of
    /// failing the run (`--skip-bad-rows`).
    pub skip_bad_rows: bool,
}

/// The row counts of one file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FileAccount {
    pub path: PathBuf,
    pub rows_read: u64,
    pub rows_loaded: u64,
    /// Rows with a missing-value marker.
    pub rows_missing: u64,
    pub rows_rejected: u64,
}

/// Everything loading produced.
#[derive(Clone, Debug)]
pub struct Loaded {
    pub dataset: Dataset,
    /// One per source, in order.
    pub files: Vec<FileAccount>,
    pub errors: Vec<DataError>,
    pub warnings: Vec<DataWarning>,
    pub options: LoadOptions,
}

impl Loaded {
    /// Whether the run must stop (exit code 2): any error, or with
    /// `skip_bad_rows` any error that is not about single rows (a file that
    /// cannot be read or has no usable header).
    pub fn is_fatal(&self) -> bool {
        if self.options.skip_bad_rows {
            self.errors.iter().any(|e| !e.is_row_error())
        } else {
            !self.errors.is_empty()
        }
    }
}

/// The formats, by extension.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Format {
    Csv,
    Tsv,
    Yaml,
    Json,
}

fn format_of(path: &Path) -> Result<Format, String> {
    let extension = path
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    match extension.as_str() {
        "csv" => Ok(Format::Csv),
        "tsv" => Ok(Format::Tsv),
        "yaml" | "yml" => Ok(Format::Yaml),
        "json" => Ok(Format::Json),
        _ => Err(extension),
    }
}

/// Loads data files into one dataset, reporting every row that is not
/// loaded.
pub fn load(sources: &[DataSource], options: &LoadOptions) -> Loaded {
    load_with_progress(sources, options, &mut |_| {})
}

/// How far loading has got: the file (index into the sources), the bytes of
/// it read so far and its size.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LoadProgress {
    pub file: usize,
    pub bytes_read: u64,
    pub bytes_total: u64,
}

/// [`load`], telling `progress` how far it has got every so often while
/// reading CSV and TSV files (for a progress bar).
pub fn load_with_progress(
    sources: &[DataSource],
    options: &LoadOptions,
    progress: &mut dyn FnMut(LoadProgress),
) -> Loaded {
    let mut builder = builder::Builder::default();
    let mut errors = Vec::new();
    let mut files = Vec::with_capacity(sources.len());
    for (index, source) in sources.iter().enumerate() {
        let bytes_total = std::fs::metadata(&source.path).map_or(0, |m| m.len());
        let mut report = |bytes_read| {
            progress(LoadProgress {
                file: index,
                bytes_read,
                bytes_total,
            })
        };
        let mut file = row::FileLoad::new(&mut builder, source, &mut errors);
        match format_of(&source.path) {
            Ok(Format::Csv) => csv_long::load(&mut file, false, &mut report),
            Ok(Format::Tsv) => csv_long::load(&mut file, true, &mut report),
            Ok(Format::Yaml) => yaml::load(&mut file),
            Ok(Format::Json) => json::load(&mut file),
            Err(extension) => file.fail(0, 0, DataErrorKind::UnknownFormat { extension }),
        }
        files.push(file.finish());
    }
    let finished = builder.finish();
    for (account, rejected) in files.iter_mut().zip(finished.rejected) {
        account.rows_loaded -= rejected;
        account.rows_rejected += rejected;
    }
    errors.extend(finished.errors);
    Loaded {
        dataset: finished.dataset,
        files,
        errors,
        warnings: finished.warnings,
        options: *options,
    }
}
