//! Data integrity over every data file the tests ship: each row read is
//! loaded, counted as missing or rejected; and each loaded value reaches the
//! JSON report exactly as the file writes it, but for the documented
//! scaling by its unit (`thousand units` × 10³, `%` × 10⁻², SDMX
//! `UNIT_MULT`).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use ontrack::data::period::Date;
use ontrack::data::{DataSource, Dataset, LoadOptions, load};
use ontrack::eval::{self, EvalOptions, RuleSet};
use ontrack::report::{self, Format, Report};
use ontrack::syntax;

/// The data files under `folders` (relative to the crate root), sorted.
fn files_in(folders: &[&str]) -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for folder in folders {
        for entry in std::fs::read_dir(root.join(folder)).expect("fixture folder") {
            let path = entry.expect("entry").path();
            let data = path.extension().is_some_and(|e| {
                ["csv", "tsv", "yaml", "yml", "json"].contains(&&*e.to_string_lossy())
            });
            if data {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// Files that load without errors.
fn good_files() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = files_in(&["tests/fixtures/data/ok"]);
    for name in [
        "examples/kz/data.yaml",
        "tests/fixtures/bench/small/data.csv",
        "tests/hostile/data/five.csv",
        "tests/hostile/data/cr_only.csv",
        "tests/hostile/data/bom_crlf.csv",
        "tests/hostile/data/bom.json",
    ] {
        files.push(root.join(name));
    }
    files
}

#[test]
fn every_row_read_is_loaded_missing_or_rejected() {
    let mut files = good_files();
    files.extend(files_in(&["tests/fixtures/data/err", "tests/hostile/data"]));
    for path in &files {
        for skip_bad_rows in [false, true] {
            let loaded = load(&[DataSource::new(path)], &LoadOptions { skip_bad_rows });
            let context = format!("{} (skip_bad_rows {skip_bad_rows})", path.display());
            let [account] = loaded.files.as_slice() else {
                panic!("{context}: one account per file");
            };
            assert_eq!(
                account.rows_read,
                account.rows_loaded + account.rows_missing + account.rows_rejected,
                "{context}: {account:?}"
            );
            if account.rows_rejected > 0 {
                assert!(
                    !loaded.errors.is_empty(),
                    "{context}: rejected rows without an error"
                );
            }
            if loaded.errors.is_empty() {
                // Rows loaded are observations, but for repeats of the same
                // value, each reported as a warning.
                let observations = loaded.dataset.observation_count() as u64;
                let repeats = loaded.warnings.len() as u64;
                assert_eq!(account.rows_loaded, observations + repeats, "{context}");
            }
        }
    }
}

#[test]
fn the_good_files_have_rows() {
    for path in good_files() {
        let loaded = load(&[DataSource::new(&path)], &LoadOptions::default());
        assert!(
            loaded.errors.is_empty(),
            "{}: {:?}",
            path.display(),
            loaded.errors
        );
        assert!(loaded.dataset.observation_count() > 0, "{}", path.display());
    }
}

/// One observation: where it is written and the value loaded.
struct Observation {
    line: u32,
    column: u16,
    shift: i32,
    loaded: f64,
}

/// A rule file with one target per observation of `dataset`, asking for
/// the value of that series in that period, and the observations in the
/// same order.
fn one_target_per_observation(dataset: &Dataset) -> (String, Vec<Observation>) {
    let mut rules = String::new();
    let mut observations = Vec::new();
    for series in dataset.all_series() {
        let mut reference = format!("`{}`", dataset.indicator_name(series.indicator()));
        if !series.dims().is_empty() {
            let selectors: Vec<String> = series
                .dims()
                .iter()
                .map(|&(dim, value)| {
                    let value = dataset
                        .value_name(value)
                        .replace('\\', "\\\\")
                        .replace('"', "\\\"");
                    format!("`{}`=\"{value}\"", dataset.dim_name(dim))
                })
                .collect();
            write!(reference, "{{{}}}", selectors.join(", ")).unwrap();
        }
        let shift = series.unit().map_or(0, |unit| unit.shift);
        for (index, &(period, value)) in series.observations().iter().enumerate() {
            let n = observations.len();
            writeln!(rules, "target o{n}: {reference} >= -1e300 in {period}").unwrap();
            let source = series
                .sources()
                .get(index)
                .expect("a source per observation");
            observations.push(Observation {
                line: source.line,
                column: source.column,
                shift,
                loaded: value,
            });
        }
    }
    (rules, observations)
}

/// The lines of a text as the loaders number them: ends are `\n`, `\r\n`
/// or a lone `\r`.
fn lines(text: &str) -> Vec<&str> {
    let mut lines = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        let end = rest.find(['\n', '\r']).unwrap_or(rest.len());
        lines.push(&rest[..end]);
        let skip = if rest[end..].starts_with("\r\n") {
            2
        } else {
            1
        };
        rest = &rest[(end + skip).min(rest.len())..];
    }
    lines
}

/// The number as the file writes it at an observation's place: for a CSV,
/// field `column` of the line; for YAML and JSON, the value after the key
/// that starts at character `column`.
fn written(path: &Path, lines: &[&str], line: u32, column: u16) -> String {
    let extension = path.extension().expect("extension").to_string_lossy();
    let column = usize::from(column);
    let line = lines[line as usize - 1].trim_start_matches('\u{feff}');
    if extension == "csv" || extension == "tsv" {
        // The separator is chosen by the header, as the loader does.
        let header = lines
            .iter()
            .find(|l| !l.trim().is_empty())
            .expect("a header");
        let delimiter = if extension == "tsv" {
            b'\t'
        } else if header.contains(';') && !header.contains(',') {
            b';'
        } else {
            b','
        };
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .delimiter(delimiter)
            .from_reader(line.as_bytes());
        let record = reader
            .records()
            .next()
            .expect("a record")
            .expect("a CSV line");
        // A flag after the number (Eurostat's `1.2 p`, provisional) is not
        // part of it.
        let field = record.get(column - 1).expect("the field");
        let field = field.split_whitespace().next().unwrap_or(field).to_string();
        return if delimiter == b';' {
            field.replace(',', ".")
        } else {
            field
        };
    }
    let key_start = line.char_indices().nth(column - 1).expect("the key").0;
    let after_key = &line[key_start..];
    let colon = after_key.find(':').expect("a colon after the key");
    let value = after_key[colon + 1..].trim_start();
    if let Some(quoted) = value.strip_prefix(['"', '\'']) {
        let end = quoted.find(['"', '\'']).expect("a closing quote");
        return quoted[..end].trim().to_string();
    }
    let end = value.find([',', '}', ']', '#']).unwrap_or(value.len());
    value[..end].trim().to_string()
}

/// `text` × 10^`shift`, rounded once: the value in base units.
fn scaled(text: &str, shift: i32) -> f64 {
    let (mantissa, exponent) = match text.split_once(['e', 'E']) {
        Some((mantissa, exponent)) => (mantissa, exponent.parse::<i32>().expect("an exponent")),
        None => (text, 0),
    };
    format!("{mantissa}e{}", exponent + shift)
        .parse()
        .unwrap_or_else(|_| panic!("`{text}` is a number"))
}

#[test]
fn every_value_reaches_the_json_report_as_written() {
    let options = EvalOptions {
        as_of: Date::new(2100, 1, 1).expect("a date"),
        trace: false,
        history: false,
    };
    let mut checked = 0;
    for path in good_files() {
        let loaded = load(&[DataSource::new(&path)], &LoadOptions::default());
        assert!(loaded.errors.is_empty(), "{}", path.display());
        let (rules, observations) = one_target_per_observation(&loaded.dataset);
        let file = syntax::parse(&rules)
            .unwrap_or_else(|errors| panic!("{}: {errors:?}\n{rules}", path.display()));
        let rules = [RuleSet {
            path: PathBuf::from("integrity.targets"),
            file,
        }];
        let evaluation = eval::evaluate(&rules, &loaded.dataset, &options);
        let mut json = Vec::new();
        let report = Report::new(&evaluation, &rules, &loaded.files);
        report::write(Format::Json, &report, &mut json, false).expect("writing to memory");
        let json: serde_json::Value = serde_json::from_slice(&json).expect("one JSON document");
        let results = json["results"].as_array().expect("results");
        assert_eq!(results.len(), observations.len(), "{}", path.display());

        let text = std::fs::read_to_string(&path).expect("UTF-8 data");
        let lines = lines(&text);
        for (result, observation) in results.iter().zip(&observations) {
            let context = format!("{}:{}: {result}", path.display(), observation.line);
            let written = written(&path, &lines, observation.line, observation.column);
            let expected = scaled(&written, observation.shift);
            assert_eq!(observation.loaded, expected, "{context}: loaded");
            let values = result["values"].as_array().expect("values");
            assert_eq!(values.len(), 1, "{context}");
            assert_eq!(
                values[0]["value"].as_f64(),
                Some(expected),
                "{context}: reported"
            );
            let display: f64 = values[0]["display"]
                .as_str()
                .expect("display")
                .replace(',', "")
                .parse()
                .expect("display is a number");
            assert_eq!(display, scaled(&written, 0), "{context}: display");
            checked += 1;
        }
    }
    // Every observation of every file was checked (the counts of results
    // and observations agree above); this guards against losing the files.
    assert!(checked >= 37_000, "{checked} values checked");
}
