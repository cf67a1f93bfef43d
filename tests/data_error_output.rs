//! How data errors look to people: for each bad file in
//! `tests/fixtures/data/err/`, a snapshot of what loading it reports,
//! rendered without colour and with paths relative to the crate root.

mod common;

use ontrack::data::{DataSource, LoadOptions, load, render_errors, render_warnings};

/// Everything loading `path` reports, as a person reads it.
fn report(path: &str) -> String {
    let loaded = load(&[DataSource::new(path)], &LoadOptions::default());
    let mut out = render_errors(&loaded.errors, false);
    if !loaded.warnings.is_empty() {
        out.push('\n');
        out.push_str(&render_warnings(&loaded.warnings, false));
    }
    out
}

#[test]
fn bad_files() {
    insta::glob!("fixtures/data/err", "*.*", |path| {
        insta::assert_snapshot!(report(&common::relative(path)));
    });
}

#[test]
fn missing_file() {
    insta::assert_snapshot!(
        report("tests/fixtures/data/err/no_such_file.csv"),
        @"tests/fixtures/data/err/no_such_file.csv: error: no such file"
    );
}

#[test]
fn clash_with_a_row_of_another_file() {
    let sources = [
        DataSource::new("tests/fixtures/data/ok/series.yaml"),
        DataSource::new("tests/fixtures/data/err/conflicting_duplicate.csv"),
    ];
    let loaded = load(&sources, &LoadOptions::default());
    insta::assert_snapshot!(render_errors(&loaded.errors, false), @r"
    error: `passenger_cars[country=KZ]` has two values for 2023: `115` here and `113` at tests/fixtures/data/ok/series.yaml:6
     --> tests/fixtures/data/err/conflicting_duplicate.csv:4:24
      |
    4 | passenger_cars,KZ,2023,115,thousand units
      |                        ^^^ column 4 (`value`)
      |
     ::: tests/fixtures/data/ok/series.yaml:6:14
      |
    6 |     values: {2023: 113, 2024: 131.4}
      |              --------- first value here
    ");
}

#[test]
fn colour_is_optional() {
    let loaded = load(
        &[DataSource::new("tests/fixtures/data/err/not_a_number.csv")],
        &LoadOptions::default(),
    );
    let error = &loaded.errors[0];
    assert!(error.render(true).contains('\x1b'));
    assert!(!error.render(false).contains('\x1b'));
    let loaded = load(
        &[DataSource::new("tests/fixtures/data/err/empty.csv")],
        &LoadOptions::default(),
    );
    let error = &loaded.errors[0];
    assert!(error.render(true).contains('\x1b'));
    assert_eq!(
        error.render(false),
        "tests/fixtures/data/err/empty.csv: error: the file is empty"
    );
}

/// Rendering reads the file again and slices lines by the loader's columns:
/// no prefix of any bad fixture makes it panic.
#[test]
fn every_prefix_of_every_bad_fixture_renders() {
    let dir = std::env::temp_dir().join(format!("ontrack-data-render-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a scratch folder");
    let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/data/err");
    for entry in std::fs::read_dir(folder).expect("fixtures") {
        let path = entry.expect("an entry").path();
        let bytes = std::fs::read(&path).expect("a fixture");
        if bytes.len() > 2_000 || path.ends_with("alias_bomb.yaml") {
            continue;
        }
        let extension = path.extension().and_then(|e| e.to_str()).unwrap_or("csv");
        let scratch = dir.join(format!("prefix.{extension}"));
        for end in 0..=bytes.len() {
            std::fs::write(&scratch, &bytes[..end]).expect("a scratch file");
            let loaded = load(&[DataSource::new(&scratch)], &LoadOptions::default());
            for error in &loaded.errors {
                let text = error.render(false);
                assert!(text.contains(&error.kind.to_string()), "{text}");
            }
            render_warnings(&loaded.warnings, false);
        }
    }
    std::fs::remove_dir_all(&dir).ok();
}
