//! Building a [`Dataset`] row by row, with the checks a series makes on its
//! rows (SPEC section 1): one unit and one frequency per series (checked as
//! rows arrive), unique periods (checked once at the end, after sorting).
//!
//! Loaders parse fields; this module only sees interned names, a parsed
//! period and a value already in base units.
//!
//! Observations go straight into their series in arrival order, which for
//! nearly every file is already period order: then finishing a series only
//! checks the order, and no second copy of the data is made.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rustc_hash::FxHashMap;

use super::dataset::{
    Dataset, DimId, IndicatorEntry, IndicatorId, Series, SeriesId, SeriesKey, Source, ValueId,
    label, series_key,
};
use super::error::{DataError, DataErrorKind, DataWarning, DataWarningKind};
use super::period::Period;
use super::provenance::Sources;
use super::unit::{DataUnit, display_value};

/// An interned unit text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct UnitId(u32);

/// An observation of a series whose rows came out of period order, while
/// it is sorted and checked for duplicates.
#[derive(Clone, Copy, Debug)]
struct Pending {
    period: Period,
    value: f64,
    source: Source,
}

/// What building ends with: the dataset, the rows rejected at the end
/// (conflicting duplicates) and warnings (identical duplicates).
pub(crate) struct Finished {
    pub(crate) dataset: Dataset,
    pub(crate) errors: Vec<DataError>,
    pub(crate) warnings: Vec<DataWarning>,
    /// Rows rejected at the end, per file index.
    pub(crate) rejected: Vec<u64>,
}

/// The most observations made room for in a new series before it has them
/// ([`Builder::add_to`]): a guess, not a promise of memory.
const MAX_GUESSED_LENGTH: usize = 1 << 12;

#[derive(Default)]
pub(crate) struct Builder {
    data: Dataset,
    series_units: Vec<Option<UnitId>>,
    /// Whether each series got a period not after the one before it: only
    /// those are sorted (and searched for duplicates) at the end. Noted as
    /// rows come, while the series' last observation is in the cache,
    /// instead of reading all observations again at the end.
    out_of_order: Vec<bool>,
    unit_ids: FxHashMap<Box<str>, UnitId>,
    units: Vec<Option<Arc<DataUnit>>>,
    /// The key of the last series looked up and its id: consecutive rows of
    /// one series skip the hash probe.
    last: Option<(Vec<u32>, SeriesId)>,
    /// The series the last observation went to.
    last_added: Option<SeriesId>,
    /// How many observations the last series completed had (bounded).
    usual_length: usize,
    scratch: Vec<u32>,
    /// The unit text of the last row and its id.
    last_unit: Option<(Box<str>, UnitId)>,
}

impl Builder {
    /// Registers a data file; its index goes into every [`Source`] from it.
    pub(crate) fn add_file(&mut self, path: &Path) -> u16 {
        self.data.files.push(path.to_path_buf());
        u16::try_from(self.data.files.len() - 1).unwrap_or(u16::MAX)
    }

    pub(crate) fn path(&self, file: u16) -> PathBuf {
        self.data.file_path(file).to_path_buf()
    }

    pub(crate) fn indicator(&mut self, name: &str) -> IndicatorId {
        let id = self.data.indicators.intern(name);
        if id as usize >= self.data.entries.len() {
            self.data
                .entries
                .resize_with(id as usize + 1, IndicatorEntry::default);
        }
        IndicatorId(id)
    }

    pub(crate) fn dim(&mut self, name: &str) -> DimId {
        DimId(self.data.dim_names.intern(name))
    }

    pub(crate) fn value(&mut self, text: &str) -> ValueId {
        ValueId(self.data.dim_values.intern(text))
    }

    /// The unit written `text` (non-empty), parsed once per distinct text.
    pub(crate) fn unit(&mut self, text: &str) -> UnitId {
        // Consecutive rows nearly always share their unit.
        if let Some((last, id)) = &self.last_unit
            && **last == *text
        {
            return *id;
        }
        if let Some(&id) = self.unit_ids.get(text) {
            self.last_unit = Some((text.into(), id));
            return id;
        }
        let id = UnitId(self.units.len() as u32);
        self.units.push(DataUnit::parse(text).map(Arc::new));
        self.unit_ids.insert(text.into(), id);
        id
    }

    pub(crate) fn unit_shift(&self, unit: Option<UnitId>) -> i32 {
        self.unit_of(unit).map_or(0, |u| u.shift)
    }

    fn unit_of(&self, unit: Option<UnitId>) -> Option<&DataUnit> {
        self.shared_unit(unit).map(Arc::as_ref)
    }

    /// The parsed unit of an id, as series share it.
    fn shared_unit(&self, unit: Option<UnitId>) -> Option<&Arc<DataUnit>> {
        unit.and_then(|UnitId(i)| self.units.get(i as usize)?.as_ref())
    }

    /// Records a row with a missing value: its indicator and dimensions
    /// become known, no series is made (SPEC 8.4).
    pub(crate) fn add_missing(&mut self, indicator: IndicatorId, dims: &[(DimId, ValueId)]) {
        let key = series_key(indicator, dims);
        let entry = &self.data.entries[indicator.0 as usize];
        if !entry.by_dims.contains_key(&key[1..])
            && self.data.known_keys.insert(SeriesKey::from(key.as_slice()))
        {
            self.note_dims(indicator, dims);
        }
    }

    /// Adds an observation (value in base units). `dims` must be sorted by
    /// dimension id. A row whose unit or frequency differs from its series'
    /// first row is refused.
    pub(crate) fn add(
        &mut self,
        indicator: IndicatorId,
        dims: &[(DimId, ValueId)],
        unit: Option<UnitId>,
        period: Period,
        value: f64,
        source: Source,
    ) -> Result<(), DataErrorKind> {
        let id = self.series_id(indicator, dims, unit, period);
        self.add_to(id, unit, period, value, source)
    }

    /// Adds an observation to a series [`Builder::series_id`] gave, with
    /// the checks of [`Builder::add`].
    pub(crate) fn add_to(
        &mut self,
        id: SeriesId,
        unit: Option<UnitId>,
        period: Period,
        value: f64,
        source: Source,
    ) -> Result<(), DataErrorKind> {
        let index = id.0 as usize;
        if self.last_added != Some(id) {
            // Rows of a series usually come together: when the next series
            // starts, the last one is likely complete, and its growth slack
            // (up to half its memory) can go.
            if let Some(last) = self.last_added.replace(id) {
                let series = &mut self.data.series[last.0 as usize];
                shrink_slack(&mut series.observations);
                series.sources.shrink_to_fit();
                self.usual_length = series.observations.len().min(MAX_GUESSED_LENGTH);
            }
        }
        let Some(first) = self.data.series[index].sources.first() else {
            // A new series: this row sets its unit and frequency. Series
            // of a file are mostly of one length: room for as many
            // observations as the last one had, rather than growing there
            // by copies.
            let series = &mut self.data.series[index];
            series.observations.reserve_exact(self.usual_length);
            series.observations.push((period, value));
            series.sources.push(source);
            return Ok(());
        };
        // The same unit text is the same id; only different texts need comparing.
        if self.series_units[index] != unit
            && self.unit_of(self.series_units[index]) != self.unit_of(unit)
        {
            let display = |u: Option<&DataUnit>| u.map(|u| u.display.clone());
            return Err(DataErrorKind::UnitConflict {
                series: self.data.series_label(&self.data.series[index]),
                unit: display(self.unit_of(unit)),
                first_unit: display(self.unit_of(self.series_units[index])),
                first: self.data.location(first),
            });
        }
        let frequency = self.data.series[index].frequency;
        if period.frequency() != frequency {
            return Err(DataErrorKind::MixedFrequency {
                series: self.data.series_label(&self.data.series[index]),
                frequency: period.frequency(),
                first_frequency: frequency,
                first: self.data.location(first),
            });
        }
        let series = &mut self.data.series[index];
        if series
            .observations
            .last()
            .is_some_and(|&(last, _)| last >= period)
        {
            self.out_of_order[index] = true;
        }
        series.observations.push((period, value));
        series.sources.push(source);
        Ok(())
    }

    /// The series of a key, created with this row's unit and frequency if
    /// new.
    pub(crate) fn series_id(
        &mut self,
        indicator: IndicatorId,
        dims: &[(DimId, ValueId)],
        unit: Option<UnitId>,
        period: Period,
    ) -> SeriesId {
        self.scratch.clear();
        self.scratch.push(indicator.0);
        for &(d, v) in dims {
            self.scratch.extend([d.0, v.0]);
        }
        if let Some((key, id)) = &self.last
            && *key == self.scratch
        {
            return *id;
        }
        // The scratch key is the indicator, then the dimensions.
        let by_dims = &self.data.entries[indicator.0 as usize].by_dims;
        let id = match by_dims.get(&self.scratch[1..]) {
            Some(&id) => id,
            None => {
                let id = SeriesId(self.data.series.len() as u32);
                self.data.series.push(Series {
                    indicator,
                    dims: dims.into(),
                    unit: self.shared_unit(unit).cloned(),
                    frequency: period.frequency(),
                    observations: Vec::new(),
                    sources: Sources::default(),
                });
                self.series_units.push(unit);
                self.out_of_order.push(false);
                let entry = &mut self.data.entries[indicator.0 as usize];
                entry
                    .by_dims
                    .insert(SeriesKey::from(&self.scratch[1..]), id);
                entry.series.push(id);
                self.note_dims(indicator, dims);
                id
            }
        };
        match &mut self.last {
            Some((key, last)) => {
                key.clone_from(&self.scratch);
                *last = id;
            }
            None => self.last = Some((self.scratch.clone(), id)),
        }
        id
    }

    fn note_dims(&mut self, indicator: IndicatorId, dims: &[(DimId, ValueId)]) {
        let known = &mut self.data.entries[indicator.0 as usize].dims;
        for &(d, _) in dims {
            if !known.contains(&d) {
                known.push(d);
            }
        }
    }

    /// Sorts every series by period and settles duplicate periods: the
    /// first row (in file and line order) stays; a later row with the same
    /// value is a warning, with another value an error that rejects it.
    pub(crate) fn finish(mut self) -> Finished {
        let mut errors = Vec::new();
        let mut warnings = Vec::new();
        let mut rejected = vec![0u64; self.data.files.len()];
        for index in 0..self.data.series.len() {
            if !self.out_of_order[index] {
                continue;
            }
            let series = &mut self.data.series[index];
            let mut rows: Vec<Pending> = series
                .observations
                .iter()
                .zip(series.sources.iter())
                .map(|(&(period, value), source)| Pending {
                    period,
                    value,
                    source,
                })
                .collect();
            rows.sort_by(|a, b| a.period.cmp(&b.period).then(a.source.cmp(&b.source)));
            let shift = self.data.series[index].unit.as_ref().map_or(0, |u| u.shift);
            let mut observations: Vec<(Period, f64)> = Vec::with_capacity(rows.len());
            let mut sources = Sources::default();
            let mut last_source = None;
            for row in rows {
                let kept = observations.last().zip(last_source);
                let Some((&(period, value), first)) = kept.filter(|((p, _), _)| *p == row.period)
                else {
                    observations.push((row.period, row.value));
                    sources.push(row.source);
                    last_source = Some(row.source);
                    continue;
                };
                let series = &self.data.series[index];
                let series_name = label(&self.data, series.indicator, &series.dims);
                let first = self.data.location(first);
                let path = self.path(row.source.file);
                if value == row.value {
                    warnings.push(DataWarning {
                        path,
                        line: row.source.line,
                        column: u32::from(row.source.column),
                        kind: DataWarningKind::IdenticalDuplicate {
                            series: series_name,
                            period,
                            first,
                        },
                    });
                } else {
                    if let Some(count) = rejected.get_mut(usize::from(row.source.file)) {
                        *count += 1;
                    }
                    errors.push(DataError {
                        path,
                        line: row.source.line,
                        column: u32::from(row.source.column),
                        kind: DataErrorKind::ConflictingDuplicate {
                            series: series_name,
                            period,
                            value: display_value(row.value, shift),
                            first_value: display_value(value, shift),
                            first,
                        },
                    });
                }
            }
            let series = &mut self.data.series[index];
            series.observations = observations;
            series.sources = sources;
        }
        Finished {
            dataset: self.data,
            errors,
            warnings,
            rejected,
        }
    }
}

/// Frees a vector's room for growth if it is more than an eighth of its
/// length (and a few elements): a series slightly shorter than the last
/// one leaves a little room, and giving that back would cost a reallocation
/// and leave a fragment too small to reuse.
fn shrink_slack<T>(items: &mut Vec<T>) {
    if items.capacity() - items.len() > items.len() / 8 + 4 {
        items.shrink_to_fit();
    }
}
