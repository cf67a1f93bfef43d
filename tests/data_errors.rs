//! Bad data files: each test names the error kind, line and column expected.

use std::path::PathBuf;

use ontrack::data::{
    DataError, DataErrorKind, DataSource, Frequency, LoadOptions, Loaded, Location, Period,
    PeriodError, Shape, load,
};

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(format!(
        "{}/tests/fixtures/data/err/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
}

fn load_err(name: &str) -> Loaded {
    let loaded = load(&[DataSource::new(fixture(name))], &LoadOptions::default());
    assert!(loaded.is_fatal(), "{name} loaded without errors");
    loaded
}

/// The one error a file gives: (line, column, kind).
fn only_error(name: &str) -> (u32, u32, DataErrorKind) {
    let loaded = load_err(name);
    assert_eq!(loaded.errors.len(), 1, "{name}: {:#?}", loaded.errors);
    let DataError {
        path,
        line,
        column,
        kind,
    } = loaded.errors[0].clone();
    assert_eq!(path, fixture(name));
    (line, column, kind)
}

fn at(name: &str, line: u32) -> Location {
    Location {
        path: fixture(name),
        line,
    }
}

#[test]
fn non_numeric_value() {
    let text = "abc".to_string();
    assert_eq!(
        only_error("not_a_number.csv"),
        (3, 4, DataErrorKind::NotANumber { text })
    );
}

#[test]
fn bad_period() {
    let kind = DataErrorKind::BadPeriod {
        text: "2025-13".to_string(),
        reason: PeriodError::Month(13),
    };
    assert_eq!(only_error("bad_period.csv"), (2, 3, kind));
}

#[test]
fn empty_period() {
    assert_eq!(
        only_error("empty_period.csv"),
        (2, 3, DataErrorKind::EmptyPeriod)
    );
}

#[test]
fn missing_indicator() {
    assert_eq!(
        only_error("missing_indicator.csv"),
        (2, 1, DataErrorKind::MissingIndicator)
    );
}

#[test]
fn conflicting_duplicate_names_both_lines() {
    let name = "conflicting_duplicate.csv";
    let kind = DataErrorKind::ConflictingDuplicate {
        series: "passenger_cars[country=KZ]".to_string(),
        period: Period::Year(2023),
        value: "115".to_string(),
        first_value: "113".to_string(),
        first: at(name, 2),
    };
    assert_eq!(only_error(name), (4, 4, kind));
    // The first value stays; the conflicting row is rejected.
    let loaded = load_err(name);
    let account = &loaded.files[0];
    assert_eq!(
        (
            account.rows_read,
            account.rows_loaded,
            account.rows_rejected
        ),
        (3, 2, 1)
    );
    let series = loaded
        .dataset
        .find_series("passenger_cars", &[("country", "KZ")])
        .unwrap();
    assert_eq!(series.value_at(Period::Year(2023)), Some(113_000.0));
}

#[test]
fn mixed_frequency() {
    let name = "mixed_frequency.csv";
    let kind = DataErrorKind::MixedFrequency {
        series: "steel_output[country=KZ]".to_string(),
        frequency: Frequency::Quarter,
        first_frequency: Frequency::Year,
        first: at(name, 2),
    };
    assert_eq!(only_error(name), (3, 3, kind));
}

#[test]
fn unit_conflict() {
    let name = "unit_conflict.csv";
    let kind = DataErrorKind::UnitConflict {
        series: "steel_output[country=KZ]".to_string(),
        unit: Some("thousand tonnes".to_string()),
        first_unit: Some("mln. tonnes".to_string()),
        first: at(name, 2),
    };
    assert_eq!(only_error(name), (3, 5, kind));
}

#[test]
fn missing_column_lists_the_header() {
    let kind = DataErrorKind::MissingColumn {
        column: "value",
        header: ["indicator", "country", "period", "amount"]
            .map(String::from)
            .to_vec(),
    };
    assert_eq!(only_error("missing_column.csv"), (1, 0, kind));
}

#[test]
fn duplicate_column() {
    let kind = DataErrorKind::DuplicateColumn {
        name: "period".to_string(),
        first: 2,
        first_name: "year".to_string(),
    };
    assert_eq!(only_error("duplicate_column.csv"), (1, 4, kind));
}

#[test]
fn ragged_row() {
    let kind = DataErrorKind::Ragged {
        fields: 3,
        expected: 4,
    };
    assert_eq!(only_error("ragged.csv"), (3, 0, kind));
}

#[test]
fn bad_utf8_in_a_field() {
    assert_eq!(only_error("bad_utf8.csv"), (2, 2, DataErrorKind::NotUtf8));
}

#[test]
fn bad_utf8_in_yaml() {
    // `  - indicator: steel_` is 21 characters.
    assert_eq!(
        only_error("bad_utf8.yaml"),
        (2, 22, DataErrorKind::FileNotUtf8)
    );
}

#[test]
fn empty_file() {
    assert_eq!(only_error("empty.csv"), (0, 0, DataErrorKind::EmptyFile));
}

#[test]
fn header_only() {
    assert_eq!(only_error("header_only.csv"), (1, 0, DataErrorKind::NoRows));
}

#[test]
fn nan() {
    let text = "NaN".to_string();
    assert_eq!(
        only_error("nan.csv"),
        (2, 4, DataErrorKind::NotFinite { text })
    );
}

#[test]
fn infinity_written_or_after_scaling() {
    let loaded = load_err("infinity.csv");
    let found: Vec<_> = loaded
        .errors
        .iter()
        .map(|e| (e.line, e.column, e.kind.clone()))
        .collect();
    let not_finite = |text: &str| DataErrorKind::NotFinite {
        text: text.to_string(),
    };
    assert_eq!(
        found,
        vec![(2, 4, not_finite("inf")), (3, 4, not_finite("1e308"))]
    );
}

#[test]
fn bad_yaml_syntax() {
    let (line, column, kind) = only_error("bad_syntax.yaml");
    assert_eq!((line, column), (4, 14));
    let DataErrorKind::Syntax { format, message } = kind else {
        panic!("not a syntax error: {kind:?}");
    };
    assert_eq!(format, "YAML");
    assert!(
        message.starts_with("did not find expected ',' or '}'"),
        "{message}"
    );
}

#[test]
fn yaml_value_not_a_number_points_at_its_key() {
    let text = "lots".to_string();
    assert_eq!(
        only_error("not_a_number.yaml"),
        (6, 7, DataErrorKind::NotANumber { text })
    );
}

#[test]
fn yaml_alias_bomb_is_refused_quickly() {
    let started = std::time::Instant::now();
    let (_, _, kind) = only_error("alias_bomb.yaml");
    assert_eq!(
        kind,
        DataErrorKind::Syntax {
            format: "YAML",
            message: "repetition limit exceeded".to_string()
        }
    );
    assert!(started.elapsed().as_secs() < 10);
}

#[test]
fn json_nesting_is_bounded() {
    let (line, _, kind) = only_error("deep.json");
    assert_eq!(line, 1);
    assert_eq!(
        kind,
        DataErrorKind::Syntax {
            format: "JSON",
            message: "recursion limit exceeded".to_string()
        }
    );
}

#[test]
fn json_without_series_list() {
    let kind = DataErrorKind::Shape(Shape::NoSeriesList);
    assert_eq!(only_error("wrong_shape.json"), (1, 0, kind));
}

#[test]
fn json_values_not_a_mapping() {
    let kind = DataErrorKind::Shape(Shape::ValuesNotMapping);
    assert_eq!(only_error("values_not_mapping.json"), (4, 37, kind));
    // The other series loads.
    let loaded = load_err("values_not_mapping.json");
    assert!(loaded.dataset.find_series("steel_output", &[]).is_some());
}

#[test]
fn unknown_extension() {
    let kind = DataErrorKind::UnknownFormat {
        extension: "xlsx".to_string(),
    };
    assert_eq!(only_error("unknown_format.xlsx"), (0, 0, kind));
}

#[test]
fn missing_file() {
    assert_eq!(
        only_error("no_such_file.csv"),
        (0, 0, DataErrorKind::NotFound)
    );
}

#[test]
fn messages_name_file_line_and_column() {
    let loaded = load_err("not_a_number.csv");
    let message = loaded.errors[0].to_string();
    assert!(
        message.ends_with("not_a_number.csv:3:4: value `abc` is not a number"),
        "{message}"
    );
    let loaded = load_err("mixed_frequency.csv");
    let message = loaded.errors[0].to_string();
    assert!(
        message.contains("mixes frequencies: quarterly here, annual at "),
        "{message}"
    );
    assert!(message.ends_with("mixed_frequency.csv:2"), "{message}");
}

#[test]
fn crlf_lines_are_counted_like_lf_lines() {
    let kind = DataErrorKind::BadPeriod {
        text: "2024-Q5".to_string(),
        reason: PeriodError::Quarter(5),
    };
    assert_eq!(only_error("bom_crlf.csv"), (3, 3, kind));
}

#[test]
fn crlf_split_across_read_chunks() {
    // The loader reads 64 KiB at a time: put a `\r` as the last byte of the
    // first chunk, its `\n` first in the next, and a bad value further on.
    let mut text = b"indicator,period,value\r\n".to_vec();
    let mut lines = 1;
    let mut year = 1000;
    while text.len() < 65_400 {
        text.extend_from_slice(format!("x,{year},1\r\n").as_bytes());
        year += 1;
        lines += 1;
    }
    // Pad one row's value so that its `\r` lands at offset 65535.
    let row = format!("x,{year},1");
    let padding = 65_535 - text.len() - row.len();
    text.extend_from_slice(format!("{row}{}\r\n", "0".repeat(padding)).as_bytes());
    assert_eq!(text[65_535], b'\r');
    year += 1;
    lines += 1;
    text.extend_from_slice(format!("x,{year},1\r\nx,{},abc\r\n", year + 1).as_bytes());
    lines += 2;
    let path = std::env::temp_dir().join(format!("ontrack-crlf-{}.csv", std::process::id()));
    std::fs::write(&path, &text).expect("a scratch file");
    let loaded = load(&[DataSource::new(&path)], &LoadOptions::default());
    std::fs::remove_file(&path).ok();
    let found: Vec<_> = loaded.errors.iter().map(|e| (e.line, e.column)).collect();
    assert_eq!(found, vec![(lines, 3)]);
    assert_eq!(loaded.files[0].rows_loaded, u64::from(lines) - 2);
}
