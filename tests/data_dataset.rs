//! The dataset after loading: row accounting, lookups, and the options of a
//! data entry in `ontrack.yaml`.

use std::collections::BTreeMap;
use std::path::PathBuf;

use ontrack::data::{
    DataErrorKind, DataSource, DataWarningKind, Date, FileAccount, LoadOptions, Period, load,
};

fn fixture(path: &str) -> PathBuf {
    PathBuf::from(format!(
        "{}/tests/fixtures/data/{path}",
        env!("CARGO_MANIFEST_DIR")
    ))
}

fn counts(account: &FileAccount) -> (u64, u64, u64, u64) {
    (
        account.rows_read,
        account.rows_loaded,
        account.rows_missing,
        account.rows_rejected,
    )
}

#[test]
fn every_row_is_loaded_missing_or_rejected() {
    let sources = [DataSource::new(fixture("err/accounting.csv"))];
    let loaded = load(&sources, &LoadOptions::default());
    // 12 rows: 3 loaded (2020, 2023 and a repeat of 2020 with the same
    // value), 3 missing (`..`, `:`, `-`), 6 rejected (`abc`, a quarter in
    // an annual series, another unit, a ragged row, another value for 2020,
    // no indicator). The blank lines at the end are not rows.
    let account = &loaded.files[0];
    assert_eq!(counts(account), (12, 3, 3, 6));
    assert_eq!(
        account.rows_read,
        account.rows_loaded + account.rows_missing + account.rows_rejected
    );
    let lines: Vec<u32> = loaded.errors.iter().map(|e| e.line).collect();
    assert_eq!(lines, vec![4, 6, 7, 9, 12, 10]);
    assert_eq!(loaded.warnings.len(), 1);
    assert_eq!(loaded.warnings[0].line, 11);
    let DataWarningKind::IdenticalDuplicate { first, period, .. } = &loaded.warnings[0].kind;
    assert_eq!((first.line, *period), (2, Period::Year(2020)));
    assert!(loaded.is_fatal());

    let series = loaded
        .dataset
        .find_series("steel_output", &[("country", "KZ")])
        .unwrap();
    let periods: Vec<Period> = series.observations().iter().map(|(p, _)| *p).collect();
    assert_eq!(periods, vec![Period::Year(2020), Period::Year(2023)]);
    assert_eq!(series.value_at(Period::Year(2020)), Some(4_000_000.0));
    // UZ had only a missing value and a ragged row: known, no series.
    assert!(
        loaded
            .dataset
            .find_series("steel_output", &[("country", "UZ")])
            .is_none()
    );
    assert!(
        loaded
            .dataset
            .is_known("steel_output", &[("country", "UZ")])
    );
}

#[test]
fn skip_bad_rows_keeps_going() {
    let sources = [DataSource::new(fixture("err/accounting.csv"))];
    let loaded = load(
        &sources,
        &LoadOptions {
            skip_bad_rows: true,
        },
    );
    assert!(!loaded.is_fatal());
    assert_eq!(loaded.errors.len(), 6);
    // A file that cannot be read stops the run even so.
    let sources = [DataSource::new(fixture("err/empty.csv"))];
    assert!(
        load(
            &sources,
            &LoadOptions {
                skip_bad_rows: true
            }
        )
        .is_fatal()
    );
}

#[test]
fn a_ragged_wide_row_rejects_each_of_its_cells() {
    let sources = [DataSource::new(fixture("err/wide_ragged.csv"))];
    let loaded = load(&sources, &LoadOptions::default());
    assert_eq!(counts(&loaded.files[0]), (6, 2, 1, 3));
    assert_eq!(loaded.errors.len(), 1);
    assert_eq!(
        loaded.errors[0].kind,
        DataErrorKind::Ragged {
            fields: 3,
            expected: 5
        }
    );
}

#[test]
fn lookups() {
    let loaded = load(
        &[DataSource::new(fixture("ok/long.csv"))],
        &LoadOptions::default(),
    );
    let data = &loaded.dataset;
    assert!(data.has_indicator("locomotives"));
    assert!(!data.has_indicator("Locomotives"));
    assert_eq!(data.series_of("passenger_cars").count(), 1);
    assert_eq!(data.series_of("no_such_indicator").count(), 0);
    assert!(data.find_series("passenger_cars", &[]).is_none());
    assert!(
        data.find_series("passenger_cars", &[("country", "kz")])
            .is_none()
    );
    let monthly = data
        .find_series("unemployment", &[("COUNTRY", "KZ")])
        .unwrap();
    let date = |y, m, d| Date::new(y, m, d).unwrap();
    assert_eq!(
        monthly.latest_by(date(2024, 2, 28)),
        Some((Period::Month(2024, 1), 0.048))
    );
    assert_eq!(
        monthly.latest_by(date(2024, 2, 29)),
        Some((Period::Month(2024, 2), 0.047))
    );
    assert_eq!(monthly.latest_by(date(2023, 12, 31)), None);
    let cars = data
        .find_series("passenger_cars", &[("country", "KZ")])
        .unwrap();
    assert_eq!(data.series_label(cars), "passenger_cars[country=KZ]");
    assert_eq!(data.dim_value(cars, "Country"), Some("KZ"));
    assert_eq!(
        data.series_dims(cars).collect::<Vec<_>>(),
        vec![("country", "KZ")]
    );
    assert_eq!(cars.display(cars.observations()[2].1), "131.4");
    let source = cars.sources().get(2).unwrap();
    assert_eq!((source.line, source.column), (4, 4));
    assert_eq!(data.observation_count(), 8);
}

#[test]
fn data_entry_renames_drops_and_adds_dimensions() {
    let source = DataSource {
        path: fixture("ok/sdmx_eurostat.csv"),
        indicator: Some("renewables_share".to_string()),
        columns: BTreeMap::from([("geo".to_string(), "country".to_string())]),
        drop: vec!["FREQ".to_string()],
        dimensions: BTreeMap::from([("source".to_string(), "eurostat".to_string())]),
    };
    let loaded = load(&[source], &LoadOptions::default());
    assert_eq!(loaded.errors, vec![]);
    let data = &loaded.dataset;
    assert_eq!(
        data.indicators().collect::<Vec<_>>(),
        vec!["renewables_share"]
    );
    assert_eq!(
        data.dimensions("renewables_share"),
        vec!["country", "source"]
    );
    let series = data
        .find_series(
            "renewables_share",
            &[("country", "AT"), ("source", "eurostat")],
        )
        .unwrap();
    assert_eq!(series.value_at(Period::Year(2022)), Some(0.338));
}

#[test]
fn data_entry_options_apply_to_yaml() {
    let source = DataSource {
        path: fixture("ok/series.yaml"),
        columns: BTreeMap::from([("country".to_string(), "geo".to_string())]),
        dimensions: BTreeMap::from([("source".to_string(), "stat.gov.kz".to_string())]),
        ..DataSource::default()
    };
    let loaded = load(&[source], &LoadOptions::default());
    assert_eq!(loaded.errors, vec![]);
    let data = &loaded.dataset;
    assert!(
        data.find_series(
            "passenger_cars",
            &[("geo", "KZ"), ("source", "stat.gov.kz")]
        )
        .is_some()
    );
}

#[test]
fn data_source_reads_from_configuration() {
    let yaml = "path: data/kz.csv\nindicator: steel_output\ncolumns: {geo: country}\ndrop: [flags]\ndimensions: {source: eurostat}\n";
    let source: DataSource = serde_yaml::from_str(yaml).unwrap();
    assert_eq!(source.path, PathBuf::from("data/kz.csv"));
    assert_eq!(source.indicator.as_deref(), Some("steel_output"));
    assert_eq!(
        source.columns.get("geo").map(String::as_str),
        Some("country")
    );
    assert_eq!(source.drop, vec!["flags".to_string()]);
}
