//! Rows read away from the builder: a block of a CSV file is parsed on a
//! worker thread into a log of what each row came to, and the log is then
//! applied to the builder in file order.
//!
//! Parsing (splitting fields, checking UTF-8, reading periods and numbers)
//! is most of the cost of loading and needs nothing shared, so it runs on
//! every core. Applying a log only interns names and appends observations,
//! in exactly the order a single pass would, so the dataset, the errors and
//! the row counts are the same as if the file were read row by row: names
//! are numbered in the order first seen, a series keeps the unit of its
//! first row, and errors come in line order.
//!
//! A worker cannot intern into the dataset, so it numbers names itself
//! ([`Local`]); applying a log translates each local number once.

use indexmap::IndexSet;
use rustc_hash::FxBuildHasher;

use super::FileAccount;
use super::builder::UnitId;
use super::dataset::{DimId, IndicatorId, SeriesId, Source, ValueId};
use super::error::{DataError, DataErrorKind};
use super::period::Period;
use super::row::{FileLoad, Reading, Row, RowSink, conflict_column, read_row};
use super::unit::DataUnit;

/// Texts numbered in the order a block first sees them.
#[derive(Default)]
struct Local {
    /// Each text once; its number is its index.
    texts: IndexSet<Box<str>, FxBuildHasher>,
    /// The last text interned: rows of a series repeat their names.
    last: u32,
}

impl Local {
    /// The number of `text`. The last text is compared first, in the
    /// caller; only another text takes the call that hashes it.
    #[inline]
    fn intern(&mut self, text: &str) -> u32 {
        if self
            .texts
            .get_index(self.last as usize)
            .is_some_and(|last| same_text(last.as_bytes(), text.as_bytes()))
        {
            return self.last;
        }
        self.look_up(text)
    }

    /// [`Local::intern`] of a text other than the last.
    #[inline(never)]
    fn look_up(&mut self, text: &str) -> u32 {
        let id = match self.texts.get_index_of(text) {
            Some(id) => id as u32,
            None => self.texts.insert_full(text.into()).0 as u32,
        };
        self.last = id;
        id
    }

    fn text(&self, id: u32) -> &str {
        self.texts.get_index(id as usize).map_or("", |text| text)
    }

    fn len(&self) -> usize {
        self.texts.len()
    }
}

/// Whether two texts are the same, compared inline for the short names of
/// data files (a call to `memcmp` costs more than comparing 8 bytes).
fn same_text(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let word = |bytes: &[u8]| u64::from_le_bytes(bytes.try_into().unwrap_or_default());
    let half = |bytes: &[u8]| u32::from_le_bytes(bytes.try_into().unwrap_or_default());
    match a.len() {
        // The first and last 8 (or 4) bytes, overlapping: all of them.
        8..=16 => {
            word(&a[..8]) == word(&b[..8]) && word(&a[a.len() - 8..]) == word(&b[b.len() - 8..])
        }
        4..=7 => {
            half(&a[..4]) == half(&b[..4]) && half(&a[a.len() - 4..]) == half(&b[b.len() - 4..])
        }
        _ => a == b,
    }
}

/// A dimension value: interned by the dataset already (a constant of the
/// data entry), or by the block.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum DimValue {
    Global(ValueId),
    Local(u32),
}

/// What a row's names are: its indicator (once the row got that far) and
/// its dimensions in the order pushed.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct Key {
    indicator: Option<u32>,
    dims: Vec<(DimId, DimValue)>,
}

/// What one row (or, for a ragged wide line, several) came to.
#[derive(Clone, Copy, Debug)]
enum Entry {
    /// `error` indexes the block's errors; `key` names what the row made
    /// known before it was rejected, if anything.
    Rejected {
        key: Option<u32>,
        error: u32,
    },
    Missing {
        key: u32,
    },
    Value {
        key: u32,
        unit: Option<(u32, u32)>,
        period: Period,
        period_column: u32,
        value: f64,
        source: Source,
    },
}

/// A block of rows read into a log ([`RowSink`] for the CSV row code).
pub(crate) struct RowLog {
    file: u16,
    path: std::path::PathBuf,
    decimal_comma: bool,
    indicators: Local,
    values: Local,
    /// Unit texts and their powers of ten.
    units: Local,
    unit_shifts: Vec<i32>,
    /// Each key once; its number is its index.
    keys: IndexSet<Key, FxBuildHasher>,
    /// The current row's key while it is built, and the last one interned:
    /// consecutive rows of a series share it.
    key: Key,
    last: Option<u32>,
    entries: Vec<Entry>,
    errors: Vec<DataError>,
    account: FileAccount,
}

impl RowLog {
    pub(crate) fn new(file: u16, path: &std::path::Path, decimal_comma: bool) -> RowLog {
        RowLog {
            file,
            path: path.to_path_buf(),
            decimal_comma,
            indicators: Local::default(),
            values: Local::default(),
            units: Local::default(),
            unit_shifts: Vec::new(),
            keys: IndexSet::default(),
            key: Key {
                indicator: None,
                dims: Vec::new(),
            },
            last: None,
            entries: Vec::new(),
            errors: Vec::new(),
            account: FileAccount::default(),
        }
    }

    /// Makes room for the entries of `rows` more rows.
    pub(crate) fn reserve(&mut self, rows: usize) {
        self.entries.reserve(rows);
    }

    /// The number of the current row's key, with `indicator` set.
    fn intern_key(&mut self, indicator: Option<&str>) -> u32 {
        self.key.indicator = indicator.map(|name| self.indicators.intern(name));
        if let Some(last) = self.last
            && self.keys.get_index(last as usize) == Some(&self.key)
        {
            return last;
        }
        let id = match self.keys.get_index_of(&self.key) {
            Some(id) => id as u32,
            None => self.keys.insert_full(self.key.clone()).0 as u32,
        };
        self.last = Some(id);
        id
    }

    fn error(&mut self, line: u32, column: u32, kind: DataErrorKind) -> u32 {
        self.errors.push(DataError {
            path: self.path.clone(),
            line,
            column,
            kind,
        });
        self.errors.len() as u32 - 1
    }

    /// Hands the log to the builder of `load`, in order.
    pub(crate) fn apply(self, load: &mut FileLoad<'_>) {
        let mut apply = Apply {
            log: &self,
            indicators: vec![None; self.indicators.len()],
            values: vec![None; self.values.len()],
            units: vec![None; self.units.len()],
            keys: vec![None; self.keys.len()],
            series: vec![None; self.keys.len()],
        };
        let mut account = self.account.clone();
        for entry in &self.entries {
            match *entry {
                Entry::Rejected { key, error } => {
                    if let Some(key) = key {
                        apply.key(load, key);
                    }
                    load.push_error(self.errors[error as usize].clone());
                }
                Entry::Missing { key } => {
                    if let (Some(indicator), dims) = apply.key(load, key) {
                        load.builder.add_missing(*indicator, dims);
                    }
                }
                Entry::Value {
                    key,
                    unit,
                    period,
                    period_column,
                    value,
                    source,
                } => {
                    let unit_id = unit.map(|(unit, _)| apply.unit(load, unit));
                    let Some(series) = apply.series(load, key, unit_id, period) else {
                        continue;
                    };
                    let added = load.builder.add_to(series, unit_id, period, value, source);
                    if let Err(kind) = added {
                        let unit = unit.map(|(unit, column)| super::row::Field {
                            text: self.units.text(unit),
                            column,
                        });
                        let column = conflict_column(&kind, unit, period_column);
                        account.rows_loaded -= 1;
                        account.rows_rejected += 1;
                        load.push_error(DataError {
                            path: self.path.clone(),
                            line: source.line,
                            column,
                            kind,
                        });
                    }
                }
            }
        }
        load.count(&account);
    }
}

/// A key in the dataset's numbers: its indicator, if it got that far, and
/// its dimensions sorted.
type Resolved = (Option<IndicatorId>, Vec<(DimId, ValueId)>);

/// The translation of a log's local numbers into the dataset's, each made
/// once, when first needed: in file order, as a single pass would.
struct Apply<'l> {
    log: &'l RowLog,
    indicators: Vec<Option<IndicatorId>>,
    values: Vec<Option<ValueId>>,
    units: Vec<Option<UnitId>>,
    keys: Vec<Option<Resolved>>,
    /// The series of each key with an indicator, once a row of it is added.
    series: Vec<Option<SeriesId>>,
}

impl Apply<'_> {
    /// The indicator and sorted dimensions of a key.
    fn key(&mut self, load: &mut FileLoad<'_>, key: u32) -> &Resolved {
        if self.keys[key as usize].is_some() {
            return self.keys[key as usize].get_or_insert_default();
        }
        let Some(local) = self.log.keys.get_index(key as usize) else {
            return self.keys[key as usize].get_or_insert_default();
        };
        // Values before the indicator: the order a single pass interns them.
        let mut dims: Vec<(DimId, ValueId)> = local
            .dims
            .iter()
            .map(|&(dim, value)| match value {
                DimValue::Global(value) => (dim, value),
                DimValue::Local(value) => {
                    let slot = &mut self.values[value as usize];
                    let id = *slot
                        .get_or_insert_with(|| load.builder.value(self.log.values.text(value)));
                    (dim, id)
                }
            })
            .collect();
        dims.sort_unstable_by_key(|&(dim, _)| dim);
        let indicator = local.indicator.map(|i| {
            *self.indicators[i as usize]
                .get_or_insert_with(|| load.builder.indicator(self.log.indicators.text(i)))
        });
        self.keys[key as usize].insert((indicator, dims))
    }

    /// The series of a key (made with this row's unit and period if new),
    /// or `None` for a key without an indicator.
    fn series(
        &mut self,
        load: &mut FileLoad<'_>,
        key: u32,
        unit: Option<UnitId>,
        period: Period,
    ) -> Option<SeriesId> {
        if let Some(id) = self.series[key as usize] {
            return Some(id);
        }
        let (Some(indicator), dims) = self.key(load, key) else {
            return None;
        };
        let id = load.builder.series_id(*indicator, dims, unit, period);
        self.series[key as usize] = Some(id);
        Some(id)
    }

    fn unit(&mut self, load: &mut FileLoad<'_>, unit: u32) -> UnitId {
        *self.units[unit as usize]
            .get_or_insert_with(|| load.builder.unit(self.log.units.text(unit)))
    }
}

impl RowSink for RowLog {
    fn clear_dims(&mut self) {
        self.key.dims.clear();
    }

    fn push_dim(&mut self, dim: DimId, value: &str) {
        let value = super::row::trim(value);
        if !value.is_empty() {
            let value = self.values.intern(value);
            self.key.dims.push((dim, DimValue::Local(value)));
        }
    }

    fn push_interned_dim(&mut self, dim: DimId, value: ValueId) {
        self.key.dims.push((dim, DimValue::Global(value)));
    }

    fn add_row(&mut self, row: &Row<'_>) {
        let units = &mut self.units;
        let shifts = &mut self.unit_shifts;
        let mut unit_id = None;
        let reading = read_row(row, self.decimal_comma, |text| {
            let id = units.intern(text);
            if id as usize == shifts.len() {
                shifts.push(DataUnit::parse(text).map_or(0, |u| u.shift));
            }
            unit_id = Some(id);
            shifts[id as usize]
        });
        self.account.rows_read += 1;
        let entry = match reading {
            Reading::Rejected {
                column,
                kind,
                indicator,
            } => {
                self.account.rows_rejected += 1;
                let key = self.intern_key(indicator);
                let error = self.error(row.line, column, kind);
                Entry::Rejected {
                    key: Some(key),
                    error,
                }
            }
            Reading::Missing { indicator } => {
                self.account.rows_missing += 1;
                Entry::Missing {
                    key: self.intern_key(Some(indicator)),
                }
            }
            Reading::Value {
                indicator,
                unit,
                period,
                period_column,
                value,
            } => {
                self.account.rows_loaded += 1;
                Entry::Value {
                    key: self.intern_key(Some(indicator)),
                    unit: unit_id.zip(unit.map(|f| f.column)),
                    period,
                    period_column,
                    value,
                    source: row.source(self.file),
                }
            }
        };
        self.entries.push(entry);
    }

    fn reject(&mut self, rows: u64, line: u32, column: u32, kind: DataErrorKind) {
        self.account.rows_read += rows;
        self.account.rows_rejected += rows;
        let error = self.error(line, column, kind);
        self.entries.push(Entry::Rejected { key: None, error });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Texts compare inline as they compare byte by byte.
        #[test]
        fn same_text_is_equality(a in "[a-c]{0,20}", b in "[a-c]{0,20}", at in any::<prop::sample::Index>()) {
            prop_assert_eq!(same_text(a.as_bytes(), b.as_bytes()), a == b);
            prop_assert!(same_text(a.as_bytes(), a.as_bytes()));
            // The same length, one byte different, wherever it is.
            if !a.is_empty() {
                let mut changed = a.clone().into_bytes();
                let i = at.index(changed.len());
                changed[i] = b'z';
                prop_assert!(!same_text(a.as_bytes(), &changed));
            }
        }
    }
}
