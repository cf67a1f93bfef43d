//! One row of any data file, from text fields to an observation: the steps
//! every loader shares (indicator, period, missing-value markers, flags,
//! decimal commas, unit scaling) and the row accounting of one file.
//!
//! Loaders find the fields of a row and call [`FileLoad::add_row`]; every
//! row ends up loaded, missing or rejected, and every rejection is a
//! [`DataError`] naming the file, line and column.
//!
//! What a row comes to is decided by [`read_row`], apart from the builder:
//! [`FileLoad`] hands the outcome to the builder at once, while the CSV
//! reader's blocks (`row_log.rs`) parse rows on other threads and log the
//! outcomes for the builder to take in file order. Both are a [`RowSink`],
//! so the CSV row code is written once for both.

use std::path::Path;

use super::builder::Builder;
use super::dataset::{DimId, Source, ValueId};
use super::error::{DataError, DataErrorKind};
use super::period::Period;
use super::unit::parse_scaled;
use super::{DataSource, FileAccount};

/// A text field and its 1-based column (0 when unknown).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Field<'t> {
    pub(crate) text: &'t str,
    pub(crate) column: u32,
}

impl<'t> Field<'t> {
    pub(crate) fn new(text: &'t str, column: u32) -> Field<'t> {
        Field { text, column }
    }
}

/// A period still to parse, or one parsed once for many rows (the period
/// columns of a wide CSV).
#[derive(Clone, Copy, Debug)]
pub(crate) enum PeriodField<'t> {
    Text(Field<'t>),
    Parsed(Period, u32),
}

/// The fields of one row; its dimensions are pushed with
/// [`FileLoad::push_dim`] before [`FileLoad::add_row`].
#[derive(Clone, Copy, Debug)]
pub(crate) struct Row<'t> {
    pub(crate) line: u32,
    pub(crate) indicator: Field<'t>,
    pub(crate) unit: Option<Field<'t>>,
    pub(crate) period: PeriodField<'t>,
    pub(crate) value: Field<'t>,
}

/// Where a loader puts rows: the methods the CSV row code needs.
pub(crate) trait RowSink {
    /// Forgets the dimensions of the previous row.
    fn clear_dims(&mut self);
    /// Adds a dimension to the current row; an empty value means the row
    /// lacks the dimension (SPEC 8.4).
    fn push_dim(&mut self, dim: DimId, value: &str);
    /// Adds a dimension already interned (a constant of the data entry).
    fn push_interned_dim(&mut self, dim: DimId, value: ValueId);
    /// Loads one row with the dimensions pushed: loaded, missing or rejected.
    fn add_row(&mut self, row: &Row<'_>);
    /// Counts `rows` rows read and rejected, with one error for them all.
    fn reject(&mut self, rows: u64, line: u32, column: u32, kind: DataErrorKind);
}

/// What one row comes to, before the builder sees it.
pub(crate) enum Reading<'t> {
    /// The row is rejected. `indicator` is its name when the row got far
    /// enough for the indicator to become known (a bad value still makes
    /// its indicator known; a bad period does not).
    Rejected {
        column: u32,
        kind: DataErrorKind,
        indicator: Option<&'t str>,
    },
    /// A missing-value marker.
    Missing { indicator: &'t str },
    /// An observation, its value in base units.
    Value {
        indicator: &'t str,
        /// The unit text (trimmed, not empty) and its column.
        unit: Option<Field<'t>>,
        period: Period,
        period_column: u32,
        value: f64,
    },
}

/// Reads one row's indicator, period and value. `shift` gives the power of
/// ten of a unit text (`thousand units` → 3).
pub(crate) fn read_row<'t>(
    row: &Row<'t>,
    decimal_comma: bool,
    mut shift: impl FnMut(&str) -> i32,
) -> Reading<'t> {
    let reject = |column, kind, indicator| Reading::Rejected {
        column,
        kind,
        indicator,
    };
    let indicator = trim(row.indicator.text);
    if indicator.is_empty() {
        return reject(row.indicator.column, DataErrorKind::MissingIndicator, None);
    }
    let (period, period_column) = match row.period {
        PeriodField::Parsed(period, column) => (period, column),
        PeriodField::Text(field) => match parse_period(field.text) {
            Ok(period) => (period, field.column),
            Err(kind) => return reject(field.column, kind, None),
        },
    };
    let unit = row
        .unit
        .map(|f| Field::new(trim(f.text), f.column))
        .filter(|f| !f.text.is_empty());
    let shift = unit.map_or(0, |f| shift(f.text));
    // Most values are a number as it is: one that starts with a digit and
    // reads is neither flagged nor missing (no missing marker starts with
    // a digit, and a flag after a space does not read), so only a value
    // that does not is looked at again for those.
    let value_text = trim(row.value.text);
    let parsed = if value_text
        .as_bytes()
        .first()
        .is_some_and(u8::is_ascii_digit)
        && let Ok(value) = parse_value(value_text, shift, decimal_comma)
    {
        Ok(value)
    } else {
        let Some(value_text) = without_flag(value_text) else {
            return Reading::Missing { indicator };
        };
        parse_value(value_text, shift, decimal_comma)
    };
    match parsed {
        Ok(value) => Reading::Value {
            indicator,
            unit,
            period,
            period_column,
            value,
        },
        Err(kind) => reject(row.value.column, kind, Some(indicator)),
    }
}

impl Row<'_> {
    /// Where the row's value is, in file `file`.
    pub(crate) fn source(&self, file: u16) -> Source {
        Source {
            file,
            line: self.line,
            column: u16::try_from(self.value.column).unwrap_or(u16::MAX),
        }
    }
}

/// Loading one file: the shared builder, where errors go, and the counts.
pub(crate) struct FileLoad<'a> {
    pub(crate) builder: &'a mut Builder,
    pub(crate) source: &'a DataSource,
    pub(crate) file: u16,
    errors: &'a mut Vec<DataError>,
    account: FileAccount,
    /// `;`-separated files write `22,1` for 22.1.
    pub(crate) decimal_comma: bool,
    dims: Vec<(DimId, ValueId)>,
}

impl<'a> FileLoad<'a> {
    pub(crate) fn new(
        builder: &'a mut Builder,
        source: &'a DataSource,
        errors: &'a mut Vec<DataError>,
    ) -> FileLoad<'a> {
        let file = builder.add_file(&source.path);
        FileLoad {
            builder,
            source,
            file,
            errors,
            account: FileAccount {
                path: source.path.clone(),
                ..FileAccount::default()
            },
            decimal_comma: false,
            dims: Vec::new(),
        }
    }

    pub(crate) fn path(&self) -> &Path {
        &self.source.path
    }

    pub(crate) fn finish(self) -> FileAccount {
        self.account
    }

    /// Reports a problem that stops the file (or part of it) without
    /// counting a row.
    pub(crate) fn fail(&mut self, line: u32, column: u32, kind: DataErrorKind) {
        self.errors.push(DataError {
            path: self.source.path.clone(),
            line,
            column,
            kind,
        });
    }

    /// Records an error made elsewhere (a block of a CSV file).
    pub(crate) fn push_error(&mut self, error: DataError) {
        self.errors.push(error);
    }

    /// Counts `rows` rows read and rejected, with one error for them all.
    pub(crate) fn reject(&mut self, rows: u64, line: u32, column: u32, kind: DataErrorKind) {
        self.account.rows_read += rows;
        self.account.rows_rejected += rows;
        self.fail(line, column, kind);
    }

    /// Forgets the dimensions of the previous row.
    pub(crate) fn clear_dims(&mut self) {
        self.dims.clear();
    }

    /// Adds a dimension to the current row; an empty value means the row
    /// lacks the dimension (SPEC 8.4).
    pub(crate) fn push_dim(&mut self, dim: DimId, value: &str) {
        let value = trim(value);
        if !value.is_empty() {
            let value = self.builder.value(value);
            self.dims.push((dim, value));
        }
    }

    /// Adds a dimension already interned (a constant of the data entry).
    pub(crate) fn push_interned_dim(&mut self, dim: DimId, value: ValueId) {
        self.dims.push((dim, value));
    }

    /// Loads one row: counts it as loaded, missing or rejected.
    pub(crate) fn add_row(&mut self, row: &Row<'_>) {
        let builder = &mut *self.builder;
        let reading = read_row(row, self.decimal_comma, |text| {
            let unit = builder.unit(text);
            builder.unit_shift(Some(unit))
        });
        match reading {
            Reading::Rejected {
                column,
                kind,
                indicator,
            } => {
                if let Some(indicator) = indicator {
                    self.builder.indicator(indicator);
                }
                self.reject(1, row.line, column, kind);
            }
            Reading::Missing { indicator } => {
                let indicator = self.builder.indicator(indicator);
                self.dims.sort_unstable_by_key(|&(dim, _)| dim);
                self.account.rows_read += 1;
                self.account.rows_missing += 1;
                self.builder.add_missing(indicator, &self.dims);
            }
            Reading::Value {
                indicator,
                unit,
                period,
                period_column,
                value,
            } => {
                let indicator = self.builder.indicator(indicator);
                self.dims.sort_unstable_by_key(|&(dim, _)| dim);
                let unit_id = unit.map(|f| self.builder.unit(f.text));
                let source = row.source(self.file);
                let added = self
                    .builder
                    .add(indicator, &self.dims, unit_id, period, value, source);
                self.account.rows_read += 1;
                match added {
                    Ok(()) => self.account.rows_loaded += 1,
                    Err(kind) => {
                        let column = conflict_column(&kind, unit, period_column);
                        self.account.rows_rejected += 1;
                        self.fail(row.line, column, kind);
                    }
                }
            }
        }
    }

    /// Adds the counts of rows read elsewhere (a block of a CSV file).
    pub(crate) fn count(&mut self, account: &FileAccount) {
        self.account.rows_read += account.rows_read;
        self.account.rows_loaded += account.rows_loaded;
        self.account.rows_missing += account.rows_missing;
        self.account.rows_rejected += account.rows_rejected;
    }
}

impl RowSink for FileLoad<'_> {
    fn clear_dims(&mut self) {
        FileLoad::clear_dims(self);
    }

    fn push_dim(&mut self, dim: DimId, value: &str) {
        FileLoad::push_dim(self, dim, value);
    }

    fn push_interned_dim(&mut self, dim: DimId, value: ValueId) {
        FileLoad::push_interned_dim(self, dim, value);
    }

    fn add_row(&mut self, row: &Row<'_>) {
        FileLoad::add_row(self, row);
    }

    fn reject(&mut self, rows: u64, line: u32, column: u32, kind: DataErrorKind) {
        FileLoad::reject(self, rows, line, column, kind);
    }
}

/// The column to point at when the builder refuses a row: the unit's for a
/// unit conflict, else the period's.
pub(crate) fn conflict_column(
    kind: &DataErrorKind,
    unit: Option<Field<'_>>,
    period_column: u32,
) -> u32 {
    match kind {
        DataErrorKind::UnitConflict { .. } => unit.map_or(0, |f| f.column),
        _ => period_column,
    }
}

/// `text.trim()`, with a shortcut for the usual field, which starts and
/// ends with a visible ASCII character.
pub(crate) fn trim(text: &str) -> &str {
    let bytes = text.as_bytes();
    if bytes.first().is_some_and(u8::is_ascii_graphic)
        && bytes.last().is_some_and(u8::is_ascii_graphic)
    {
        text
    } else {
        text.trim()
    }
}

fn parse_period(text: &str) -> Result<Period, DataErrorKind> {
    let text = trim(text);
    if text.is_empty() {
        return Err(DataErrorKind::EmptyPeriod);
    }
    Period::parse_data(text).map_err(|reason| DataErrorKind::BadPeriod {
        text: text.to_string(),
        reason,
    })
}

/// The value without a Eurostat-style flag (`22.1 p` → `22.1`), or `None`
/// for a missing value (empty, `..`, `:`, `NA`, `n/a`, `-`, flagged or not).
pub(crate) fn without_flag(text: &str) -> Option<&str> {
    let mut text = trim(text);
    // A value of visible ASCII characters has no room for a flag.
    if !text.bytes().all(|b| b.is_ascii_graphic())
        && let Some((value, flag)) = text.split_once(char::is_whitespace)
    {
        let flag = flag.trim();
        if (1..=4).contains(&flag.len()) && flag.bytes().all(|b| b.is_ascii_alphabetic()) {
            text = value.trim_end();
        }
    }
    let missing = matches!(text, "" | ".." | ":" | "-")
        || text.eq_ignore_ascii_case("na")
        || text.eq_ignore_ascii_case("n/a");
    (!missing).then_some(text)
}

/// Parses a written value into base units.
fn parse_value(text: &str, shift: i32, decimal_comma: bool) -> Result<f64, DataErrorKind> {
    let parsed = if decimal_comma && text.contains(',') {
        parse_scaled(&text.replacen(',', ".", 1), shift)
    } else {
        parse_scaled(text, shift)
    };
    match parsed {
        Some(value) if value.is_finite() => Ok(value),
        Some(_) => Err(DataErrorKind::NotFinite {
            text: text.to_string(),
        }),
        None => Err(DataErrorKind::NotANumber {
            text: text.to_string(),
        }),
    }
}
