//! Strategies for datasets written as long CSV: a few indicators, with and
//! without a `country` dimension, observed by year, quarter or month, with
//! values from 0 and negatives to the edges of a double, missing-value
//! markers and Eurostat-style flags.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use proptest::collection::{btree_set, vec};
use proptest::prelude::*;
use proptest::sample::select;

/// The indicators data may have; rules may also name `ind_zz`, which no
/// data has.
pub const INDICATORS: [&str; 3] = ["ind_a", "ind_b", "ind_c"];

pub const HEADER: &str = "indicator,country,period,value,unit";

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Frequency {
    Year,
    Quarter,
    Month,
}

/// One series: its key, frequency and unit, and its observations by the
/// index of their period (unique within the series).
#[derive(Clone, Debug)]
pub struct SeriesData {
    pub indicator: &'static str,
    pub country: Option<&'static str>,
    pub frequency: Frequency,
    pub unit: &'static str,
    pub points: Vec<(u32, bool, String)>,
}

/// The text of the `index`th period of a frequency, written the rule way or
/// (when `data_form`) the other way data files may write it.
fn period_text(frequency: Frequency, index: u32, data_form: bool) -> String {
    match frequency {
        Frequency::Year => format!("{}", 2008 + index),
        Frequency::Quarter => {
            let (year, quarter) = (2014 + index / 4, index % 4 + 1);
            if data_form {
                format!("{year}Q{quarter}")
            } else {
                format!("{year}-Q{quarter}")
            }
        }
        Frequency::Month => {
            let (year, month) = (2018 + index / 12, index % 12 + 1);
            if data_form {
                format!("{year}M{month:02}")
            } else {
                format!("{year}-{month:02}")
            }
        }
    }
}

fn value_cell() -> impl Strategy<Value = String> {
    prop_oneof![
        10 => (1u32..200_000).prop_map(|v| v.to_string()),
        3 => (0.5f64..500.0).prop_map(|v| format!("{v:.2}")),
        1 => (-2_000i64..0).prop_map(|v| v.to_string()),
        1 => (-1e6f64..1e6).prop_map(|v| v.to_string()),
        1 => select(vec![
            "0", "-0", "0.0", "1e300", "-1e300", "1e-300", "5e-324", "1.7976931348623157e308",
            "123456789012345678901234567890", "0.000000001",
        ]).prop_map(str::to_string),
        1 => select(vec!["", "..", ":", "NA", "n/a", "-", ": c"]).prop_map(str::to_string),
        1 => select(vec!["22.1 p", "7 e", "100 b"]).prop_map(str::to_string),
    ]
}

/// The observations of one series: unique period indices, each with its
/// spelling and value.
fn points() -> impl Strategy<Value = Vec<(u32, bool, String)>> {
    btree_set(0..20u32, 0..12).prop_flat_map(|periods| {
        let n = periods.len();
        (vec((any::<bool>(), value_cell()), n), Just(periods)).prop_map(|(values, periods)| {
            periods
                .into_iter()
                .zip(values)
                .map(|(p, (form, v))| (p, form, v))
                .collect()
        })
    })
}

/// How an indicator's series are keyed.
#[derive(Clone, Copy, Debug)]
enum Layout {
    Absent,
    /// One series without dimensions.
    Plain,
    /// One series per country.
    ByCountry,
    /// Series with and without a country.
    Mixed,
}

fn indicator_series(indicator: &'static str) -> impl Strategy<Value = Vec<SeriesData>> {
    let layout = prop_oneof![
        1 => Just(Layout::Absent),
        4 => Just(Layout::Plain),
        4 => Just(Layout::ByCountry),
        1 => Just(Layout::Mixed),
    ];
    (
        layout,
        select(vec![
            Frequency::Year,
            Frequency::Year,
            Frequency::Quarter,
            Frequency::Month,
        ]),
        select(vec![
            "",
            "units",
            "thousand units",
            "%",
            "million KZT",
            "tonnes",
        ]),
        vec(points(), 3),
    )
        .prop_map(move |(layout, frequency, unit, mut points)| {
            let countries: &[Option<&'static str>] = match layout {
                Layout::Absent => &[],
                Layout::Plain => &[None],
                Layout::ByCountry => &[Some("KZ"), Some("UZ")],
                Layout::Mixed => &[None, Some("KZ"), Some("UZ")],
            };
            countries
                .iter()
                .map(|&country| SeriesData {
                    indicator,
                    country,
                    frequency,
                    unit,
                    points: points.pop().unwrap_or_default(),
                })
                .collect()
        })
}

/// Series of each of [`INDICATORS`], with distinct keys.
pub fn dataset() -> impl Strategy<Value = Vec<SeriesData>> {
    INDICATORS
        .map(indicator_series)
        .prop_map(|all| all.into_iter().flatten().collect())
}

/// The CSV rows (without header) of the series, in series order.
pub fn rows(series: &[SeriesData]) -> Vec<String> {
    let mut rows = Vec::new();
    for s in series {
        for (index, data_form, value) in &s.points {
            rows.push(format!(
                "{},{},{},{},{}",
                s.indicator,
                s.country.unwrap_or(""),
                period_text(s.frequency, *index, *data_form),
                value,
                s.unit
            ));
        }
    }
    rows
}

/// A fresh folder under the system's temporary folder, removed on drop.
pub struct TempFolder {
    pub path: PathBuf,
}

impl TempFolder {
    pub fn new() -> TempFolder {
        static COUNT: AtomicUsize = AtomicUsize::new(0);
        let path = std::env::temp_dir().join(format!(
            "ontrack-properties-{}-{}",
            std::process::id(),
            COUNT.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&path).expect("a temporary folder");
        TempFolder { path }
    }

    /// Writes a CSV file of `rows` under the header; returns its path.
    pub fn csv(&self, name: &str, rows: &[String]) -> PathBuf {
        let path = self.path.join(name);
        let mut text = format!("{HEADER}\n");
        for row in rows {
            text.push_str(row);
            text.push('\n');
        }
        std::fs::write(&path, text).expect("writable temporary file");
        path
    }
}

impl Drop for TempFolder {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

pub fn data_sources(paths: &[impl AsRef<Path>]) -> Vec<ontrack::data::DataSource> {
    paths
        .iter()
        .map(|p| ontrack::data::DataSource::new(p.as_ref()))
        .collect()
}
