//! `ontrack.yaml`: paths, data entries, errors.

use std::path::{Path, PathBuf};

use ontrack::config::{self, ConfigError};
use ontrack::data::DataSource;
use ontrack::data::period::Date;
use ontrack::eval::Status;
use ontrack::report::Format;

fn parse(text: &str) -> Result<config::Config, ConfigError> {
    config::parse(text, Path::new("project/conf/ontrack.yaml"))
}

#[test]
fn an_empty_file_has_no_defaults() {
    for text in ["", "\n", "# only a comment\n"] {
        let config = parse(text).expect("empty configuration");
        assert!(
            config.rules.is_empty() && config.data.is_empty(),
            "{text:?}"
        );
        assert_eq!(config.as_of, None);
    }
}

#[test]
fn paths_are_relative_to_the_configuration_file() {
    let config = parse(
        "rules: [rules/kz, /abs/x.targets]\n\
         data: [data/kz.csv]\n",
    )
    .expect("valid configuration");
    assert_eq!(
        config.rules,
        vec![
            PathBuf::from("project/conf/rules/kz"),
            PathBuf::from("/abs/x.targets")
        ]
    );
    assert_eq!(
        config.data,
        vec![DataSource::new("project/conf/data/kz.csv")]
    );
}

#[test]
fn data_entries_are_paths_or_mappings() {
    let config = parse(
        "data:\n\
         \x20 - plain.csv\n\
         \x20 - path: estat.csv\n\
         \x20   indicator: SDG_07_40\n\
         \x20   columns: {geo: country}\n\
         \x20   drop: [freq]\n\
         \x20   dimensions: {source: eurostat}\n",
    )
    .expect("valid configuration");
    assert_eq!(config.data.len(), 2);
    assert_eq!(config.data[0], DataSource::new("project/conf/plain.csv"));
    let estat = &config.data[1];
    assert_eq!(estat.path, PathBuf::from("project/conf/estat.csv"));
    assert_eq!(estat.indicator.as_deref(), Some("SDG_07_40"));
    assert_eq!(
        estat.columns.get("geo").map(String::as_str),
        Some("country")
    );
    assert_eq!(estat.drop, vec!["freq".to_string()]);
    assert_eq!(
        estat.dimensions.get("source").map(String::as_str),
        Some("eurostat")
    );
}

#[test]
fn as_of_fail_on_and_format_are_read() {
    let config = parse("as_of: 2025-06-30\nfail_on: missed, error\nformat: json\n")
        .expect("valid configuration");
    assert_eq!(config.as_of, Date::new(2025, 6, 30));
    assert_eq!(config.fail_on, Some(vec![Status::Missed, Status::Error]));
    assert_eq!(config.format, Some(Format::Json));

    let config = parse("fail_on: [off_track, no_data]\n").expect("valid configuration");
    assert_eq!(config.fail_on, Some(vec![Status::OffTrack, Status::NoData]));
}

#[test]
fn an_unknown_key_is_an_error_naming_key_file_and_line() {
    let error = parse("rules: [a]\nfail-on: missed\n").expect_err("unknown key");
    let message = error.to_string();
    assert!(
        message.starts_with("project/conf/ontrack.yaml:2:"),
        "{message}"
    );
    assert!(message.contains("unknown field `fail-on`"), "{message}");
}

#[test]
fn an_unknown_key_in_a_data_entry_is_an_error() {
    let error = parse("data:\n  - path: a.csv\n    indicatr: x\n").expect_err("unknown key");
    let message = error.to_string();
    assert!(
        message.starts_with("project/conf/ontrack.yaml:3:"),
        "{message}"
    );
    assert!(message.contains("unknown field `indicatr`"), "{message}");
}

#[test]
fn a_data_entry_needs_a_path() {
    let error = parse("data:\n  - indicator: x\n").expect_err("no path");
    assert!(
        error.to_string().contains("missing field `path`"),
        "{error}"
    );
}

#[test]
fn bad_values_are_errors_with_their_line() {
    let cases = [
        ("as_of: 2025-02-30\n", "has no day 30"),
        ("fail_on: missed, late\n", "unknown status `late`"),
        ("format: pdf\n", "unknown variant `pdf`"),
        ("rules: a.targets\n", "invalid type"),
        ("data: [[a.csv]]\n", "expected a path, or a mapping"),
    ];
    for (text, expected) in cases {
        let message = parse(text).expect_err(text).to_string();
        assert!(
            message.starts_with("project/conf/ontrack.yaml:1:"),
            "{text}: {message}"
        );
        assert!(message.contains(expected), "{text}: {message}");
    }
}

#[test]
fn invalid_yaml_is_an_error_with_its_position() {
    let message = parse("rules: [a\n").expect_err("bad yaml").to_string();
    assert!(
        message.starts_with("project/conf/ontrack.yaml:"),
        "{message}"
    );
}

#[test]
fn a_missing_file_is_unreadable() {
    let error = config::load(Path::new("no/such/ontrack.yaml")).expect_err("missing");
    assert!(matches!(error, ConfigError::Unreadable { .. }));
    assert!(
        error
            .to_string()
            .starts_with("no/such/ontrack.yaml: cannot read")
    );
}
