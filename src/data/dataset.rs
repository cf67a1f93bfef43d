//! The loaded observations: series keyed by indicator and dimensions, each
//! with its unit, frequency and observations sorted by period, and where each
//! observation came from.
//!
//! Names are interned (indicators, dimension names, dimension values), so a
//! series key is a short slice of `u32`s and lookups by exact key are one
//! hash probe. Dimension names match case-insensitively and show as first
//! spelled; indicator names and dimension values are case-sensitive. Building
//! a dataset (and the checks that go with it) is in `builder.rs`.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rustc_hash::{FxHashMap, FxHashSet};

use super::error::Location;
use super::intern::{CaselessInterner, Interner};
use super::period::{Date, Frequency, Period};
use super::provenance::Sources;
use super::unit::{DataUnit, display_decimals, display_value, max_display_decimals};

/// An interned indicator name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct IndicatorId(pub(crate) u32);

/// An interned dimension name (case-insensitive).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DimId(pub(crate) u32);

/// An interned dimension value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ValueId(pub(crate) u32);

/// The position of a series in its dataset.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SeriesId(pub(crate) u32);

/// Where an observation came from: the file (index into
/// [`Dataset::file_path`]), its line, and the column of its value (CSV field
/// number, or 0 when unknown; saturates at 65535).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Source {
    pub file: u16,
    pub line: u32,
    pub column: u16,
}

/// All observations of one indicator with one set of dimension values.
#[derive(Clone, Debug)]
pub struct Series {
    pub(crate) indicator: IndicatorId,
    /// Sorted by dimension id.
    pub(crate) dims: Box<[(DimId, ValueId)]>,
    /// Shared by every series written in the same unit text.
    pub(crate) unit: Option<Arc<DataUnit>>,
    pub(crate) frequency: Frequency,
    /// Sorted by period, periods unique, values in base units.
    pub(crate) observations: Vec<(Period, f64)>,
    /// Where each observation came from, in the same order.
    pub(crate) sources: Sources,
}

impl Series {
    pub fn indicator(&self) -> IndicatorId {
        self.indicator
    }

    /// Dimension names and values, sorted by dimension id.
    pub fn dims(&self) -> &[(DimId, ValueId)] {
        &self.dims
    }

    /// The display unit, if the data gave one.
    pub fn unit(&self) -> Option<&DataUnit> {
        self.unit.as_deref()
    }

    pub fn frequency(&self) -> Frequency {
        self.frequency
    }

    /// Observations in base units, sorted by period.
    pub fn observations(&self) -> &[(Period, f64)] {
        &self.observations
    }

    /// Where each observation came from, parallel to [`Series::observations`].
    pub fn sources(&self) -> &Sources {
        &self.sources
    }

    /// The index of the observation for `period`, by binary search.
    pub fn index_of(&self, period: Period) -> Option<usize> {
        self.observations
            .binary_search_by(|(p, _)| p.cmp(&period))
            .ok()
    }

    /// The value (in base units) observed for `period`.
    pub fn value_at(&self, period: Period) -> Option<f64> {
        self.index_of(period).map(|i| self.observations[i].1)
    }

    /// The index of the latest observation whose period ends on or before
    /// `date`.
    pub fn latest_index_by(&self, date: Date) -> Option<usize> {
        // One frequency per series, so ordering by period orders by end.
        let count = self.observations.partition_point(|(p, _)| p.end() <= date);
        count.checked_sub(1)
    }

    /// The latest observation whose period ends on or before `date`.
    pub fn latest_by(&self, date: Date) -> Option<(Period, f64)> {
        self.latest_index_by(date).map(|i| self.observations[i])
    }

    /// A base-unit value shown in the series' display unit, as written.
    pub fn display(&self, value: f64) -> String {
        display_value(value, self.shift())
    }

    /// The digits after the point of [`Series::display`], without writing it.
    pub fn display_decimals(&self, value: f64) -> usize {
        display_decimals(value, self.shift())
    }

    /// The most digits after the point of [`Series::display`] of any of
    /// the series' values: the precision the series is written with.
    pub fn most_display_decimals(&self) -> usize {
        max_display_decimals(self.observations.iter().map(|&(_, v)| v), self.shift())
    }

    fn shift(&self) -> i32 {
        self.unit.as_ref().map_or(0, |unit| unit.shift)
    }
}

/// What is known about one indicator.
#[derive(Clone, Debug, Default)]
pub(crate) struct IndicatorEntry {
    pub(crate) series: Vec<SeriesId>,
    /// Dimension key `[dim, value, dim, value, …]` (dims sorted) → series.
    /// A map of each indicator rather than one of every series: a target
    /// `for each` entity, like a file's rows, looks up one indicator's series
    /// after another, and a small map stays in the cache where one of
    /// millions of series costs a miss or two for every lookup.
    pub(crate) by_dims: FxHashMap<SeriesKey, SeriesId>,
    /// Dimension names seen with the indicator, missing-value rows included,
    /// in first-seen order.
    pub(crate) dims: Vec<DimId>,
}

/// Every series loaded from the data files.
#[derive(Clone, Debug, Default)]
pub struct Dataset {
    pub(crate) indicators: Interner,
    pub(crate) dim_names: CaselessInterner,
    pub(crate) dim_values: Interner,
    pub(crate) series: Vec<Series>,
    /// Indexed by indicator id.
    pub(crate) entries: Vec<IndicatorEntry>,
    /// Keys that only had rows with missing values (SPEC 8.4).
    pub(crate) known_keys: FxHashSet<SeriesKey>,
    pub(crate) files: Vec<PathBuf>,
}

impl Dataset {
    /// Every series, in the order first seen.
    pub fn all_series(&self) -> &[Series] {
        &self.series
    }

    pub fn series(&self, id: SeriesId) -> &Series {
        &self.series[id.0 as usize]
    }

    /// The number of observations in all series.
    pub fn observation_count(&self) -> usize {
        self.series.iter().map(|s| s.observations.len()).sum()
    }

    /// Indicator names, in the order first seen (those known only from
    /// missing-value rows included).
    pub fn indicators(&self) -> impl Iterator<Item = &str> {
        (0..self.indicators.len() as u32).map(|id| self.indicators.name(id))
    }

    pub fn indicator_id(&self, name: &str) -> Option<IndicatorId> {
        self.indicators.get(name).map(IndicatorId)
    }

    pub fn indicator_name(&self, id: IndicatorId) -> &str {
        self.indicators.name(id.0)
    }

    /// Whether any row named the indicator, even only with missing values.
    pub fn has_indicator(&self, name: &str) -> bool {
        self.indicators.get(name).is_some()
    }

    /// A dimension name's id (case-insensitive).
    pub fn dim_id(&self, name: &str) -> Option<DimId> {
        self.dim_names.get(name).map(DimId)
    }

    /// A dimension name as first spelled in the data.
    pub fn dim_name(&self, id: DimId) -> &str {
        self.dim_names.name(id.0)
    }

    pub fn value_id(&self, value: &str) -> Option<ValueId> {
        self.dim_values.get(value).map(ValueId)
    }

    pub fn value_name(&self, id: ValueId) -> &str {
        self.dim_values.name(id.0)
    }

    /// The series of an indicator, in the order first seen.
    pub fn series_of(&self, indicator: &str) -> impl Iterator<Item = (SeriesId, &Series)> {
        let ids = self
            .indicator_id(indicator)
            .and_then(|id| self.entries.get(id.0 as usize))
            .map_or(&[][..], |entry| entry.series.as_slice());
        ids.iter().map(|&id| (id, self.series(id)))
    }

    /// The series with exactly these dimensions (names case-insensitive).
    pub fn find_series(&self, indicator: &str, dims: &[(&str, &str)]) -> Option<&Series> {
        let key = self.key(indicator, dims)?;
        let entry = self.entries.get(key[0] as usize)?;
        entry.by_dims.get(&key[1..]).map(|&id| self.series(id))
    }

    /// Whether a row had this indicator with exactly these dimensions, with a
    /// value or only missing (SPEC 8.4).
    pub fn is_known(&self, indicator: &str, dims: &[(&str, &str)]) -> bool {
        self.key(indicator, dims).is_some_and(|key| {
            self.entries
                .get(key[0] as usize)
                .is_some_and(|entry| entry.by_dims.contains_key(&key[1..]))
                || self.known_keys.contains(key.as_slice())
        })
    }

    /// Dimension names seen with an indicator (missing-value rows included),
    /// as first spelled, in first-seen order.
    pub fn dimensions(&self, indicator: &str) -> Vec<&str> {
        self.indicator_id(indicator)
            .and_then(|id| self.entries.get(id.0 as usize))
            .map_or_else(Vec::new, |entry| {
                entry.dims.iter().map(|&d| self.dim_name(d)).collect()
            })
    }

    /// The values a dimension takes across an indicator's series, sorted and
    /// unique. Missing-value rows add none (SPEC 8.4).
    pub fn dimension_values(&self, indicator: &str, dim: &str) -> Vec<&str> {
        let Some(dim) = self.dim_id(dim) else {
            return Vec::new();
        };
        let mut values: Vec<&str> = self
            .series_of(indicator)
            .filter_map(|(_, series)| self.dim_value_id(series, dim))
            .map(|value| self.value_name(value))
            .collect();
        values.sort_unstable();
        values.dedup();
        values
    }

    /// A series' value of a dimension (name case-insensitive).
    pub fn dim_value(&self, series: &Series, dim: &str) -> Option<&str> {
        let dim = self.dim_id(dim)?;
        self.dim_value_id(series, dim).map(|v| self.value_name(v))
    }

    pub(crate) fn dim_value_id(&self, series: &Series, dim: DimId) -> Option<ValueId> {
        series
            .dims
            .binary_search_by_key(&dim, |&(d, _)| d)
            .ok()
            .map(|i| series.dims[i].1)
    }

    /// A series' dimensions as (name, value) texts.
    pub fn series_dims<'a>(
        &'a self,
        series: &'a Series,
    ) -> impl Iterator<Item = (&'a str, &'a str)> {
        series
            .dims
            .iter()
            .map(|&(d, v)| (self.dim_name(d), self.value_name(v)))
    }

    /// A series' name for messages: `indicator[dim=value, …]`.
    pub fn series_label(&self, series: &Series) -> String {
        label(self, series.indicator, &series.dims)
    }

    /// The path of a data file, by its index in a [`Source`].
    pub fn file_path(&self, file: u16) -> &Path {
        self.files
            .get(usize::from(file))
            .map_or(Path::new(""), |p| p)
    }

    /// The file and line an observation came from.
    pub fn location(&self, source: Source) -> Location {
        Location {
            path: self.file_path(source.file).to_path_buf(),
            line: source.line,
        }
    }

    /// The key of an indicator and dimensions, if all their names are known.
    fn key(&self, indicator: &str, dims: &[(&str, &str)]) -> Option<Vec<u32>> {
        let indicator = self.indicator_id(indicator)?;
        let mut pairs = dims
            .iter()
            .map(|(d, v)| Some((self.dim_id(d)?, self.value_id(v)?)))
            .collect::<Option<Vec<_>>>()?;
        pairs.sort_unstable();
        if pairs.windows(2).any(|w| w[0].0 == w[1].0) {
            return None;
        }
        Some(series_key(indicator, &pairs))
    }
}

/// A series key as the dataset's maps hold it ([`series_key`], or its
/// dimensions alone in [`IndicatorEntry::by_dims`]): in place for up to
/// three dimensions, so that a lookup compares it without
/// following a pointer to the heap (a cache miss for every result of a
/// large run); on the heap beyond. Hashes and compares as its slice, so the
/// maps are searched with a plain `&[u32]`.
#[derive(Clone, Debug)]
pub(crate) enum SeriesKey {
    Inline { len: u8, ids: [u32; INLINE_IDS] },
    Heap(Box<[u32]>),
}

/// The ids a key holds in place: an indicator and three dimensions.
const INLINE_IDS: usize = 7;

impl SeriesKey {
    pub(crate) fn as_slice(&self) -> &[u32] {
        match self {
            SeriesKey::Inline { len, ids } => &ids[..usize::from(*len)],
            SeriesKey::Heap(ids) => ids,
        }
    }
}

impl From<&[u32]> for SeriesKey {
    fn from(slice: &[u32]) -> SeriesKey {
        if slice.len() <= INLINE_IDS {
            let mut ids = [0; INLINE_IDS];
            ids[..slice.len()].copy_from_slice(slice);
            SeriesKey::Inline {
                len: slice.len() as u8,
                ids,
            }
        } else {
            SeriesKey::Heap(slice.into())
        }
    }
}

impl std::borrow::Borrow<[u32]> for SeriesKey {
    fn borrow(&self) -> &[u32] {
        self.as_slice()
    }
}

impl PartialEq for SeriesKey {
    fn eq(&self, other: &SeriesKey) -> bool {
        self.as_slice() == other.as_slice()
    }
}

impl Eq for SeriesKey {}

impl std::hash::Hash for SeriesKey {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.as_slice().hash(state);
    }
}

/// The hash key of a series: indicator, then dimension and value ids.
pub(crate) fn series_key(indicator: IndicatorId, dims: &[(DimId, ValueId)]) -> Vec<u32> {
    let mut key = Vec::with_capacity(1 + 2 * dims.len());
    key.push(indicator.0);
    for &(d, v) in dims {
        key.extend([d.0, v.0]);
    }
    key
}

pub(crate) fn label(data: &Dataset, indicator: IndicatorId, dims: &[(DimId, ValueId)]) -> String {
    let name = data.indicator_name(indicator);
    // Its length first, so that it is written without growing: a label is
    // made for every reference of every result.
    let length = name.len()
        + dims
            .iter()
            .map(|&(d, v)| data.dim_name(d).len() + data.value_name(v).len() + 3)
            .sum::<usize>();
    let mut text = String::with_capacity(length);
    text.push_str(name);
    for (i, &(d, v)) in dims.iter().enumerate() {
        text.push_str(if i == 0 { "[" } else { ", " });
        text.push_str(data.dim_name(d));
        text.push('=');
        text.push_str(data.value_name(v));
    }
    if !dims.is_empty() {
        text.push(']');
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn series_keys_are_found_by_their_slice_in_place_or_on_the_heap() {
        let short: Vec<u32> = vec![1, 2, 3];
        let longest_inline: Vec<u32> = (0..INLINE_IDS as u32).collect();
        let long: Vec<u32> = (0..20).collect();
        let mut map = FxHashMap::default();
        for (i, key) in [&short, &longest_inline, &long].into_iter().enumerate() {
            map.insert(SeriesKey::from(key.as_slice()), i);
        }
        assert!(matches!(
            SeriesKey::from(&longest_inline[..]),
            SeriesKey::Inline { .. }
        ));
        assert!(matches!(SeriesKey::from(&long[..]), SeriesKey::Heap(_)));
        assert_eq!(map.get(&short[..]), Some(&0));
        assert_eq!(map.get(&longest_inline[..]), Some(&1));
        assert_eq!(map.get(&long[..]), Some(&2));
        assert_eq!(map.get(&short[..2]), None);
        assert_eq!(
            map.get(&[1u32, 2, 3, 0][..]),
            None,
            "padding is not part of a key"
        );
    }
}
