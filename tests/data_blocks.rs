//! Files large enough to be read in several blocks on several threads load
//! exactly as a single pass would: every row counted, errors on the lines an
//! editor shows, series that cross blocks checked as one.

use std::fmt::Write as _;
use std::path::PathBuf;

use ontrack::data::{DataErrorKind, DataSource, LoadOptions, Loaded, Period, load};

/// A long CSV of about 4 MiB (blocks are 2 MiB), with line ends `eol`:
/// 700 series of 250 years, a blank line every 1,000 rows, a quoted country
/// holding a line break, and bad values on the lines listed.
struct Sample {
    text: String,
    bad_lines: Vec<u32>,
    rows: u64,
    blank_lines: u32,
}

fn sample(eol: &str) -> Sample {
    let mut text = format!("indicator,country,period,value,unit{eol}");
    let mut line = 1;
    let mut rows = 0;
    let mut bad_lines = Vec::new();
    let mut blank_lines = 0;
    for series in 0..700 {
        let country = if series == 7 {
            // A quoted value spanning two lines.
            "\"Line\nbreak\"".to_string()
        } else {
            format!("C{series:03}")
        };
        for year in 1800..2050 {
            rows += 1;
            line += 1;
            let value = if rows % 9_973 == 0 {
                bad_lines.push(line);
                "12x".to_string()
            } else {
                format!("{}.25", series * 1000 + year)
            };
            writeln!(text, "IND{:02},{country},{year},{value},units", series % 13).unwrap();
            text.pop();
            text.push_str(eol);
            if series == 7 {
                line += 1;
            }
            if rows % 1000 == 0 {
                text.push_str(eol);
                line += 1;
                blank_lines += 1;
            }
        }
    }
    Sample {
        text,
        bad_lines,
        rows,
        blank_lines,
    }
}

fn write(name: &str, text: &str) -> PathBuf {
    let path = std::env::temp_dir().join(format!("ontrack-blocks-{}-{name}", std::process::id()));
    std::fs::write(&path, text).unwrap();
    path
}

fn load_skipping(path: &PathBuf) -> Loaded {
    let options = LoadOptions {
        skip_bad_rows: true,
    };
    load(&[DataSource::new(path)], &options)
}

#[test]
fn every_row_of_a_many_block_file_is_accounted_for_on_its_line() {
    for (name, eol) in [("lf.csv", "\n"), ("crlf.csv", "\r\n"), ("cr.csv", "\r")] {
        let sample = sample(eol);
        assert!(
            sample.text.len() > 4 << 20,
            "the sample spans several blocks"
        );
        assert!(sample.blank_lines > 50);
        let path = write(name, &sample.text);
        let loaded = load_skipping(&path);
        std::fs::remove_file(&path).unwrap();

        let account = &loaded.files[0];
        assert_eq!(account.rows_read, sample.rows, "{name}");
        assert_eq!(
            account.rows_rejected,
            sample.bad_lines.len() as u64,
            "{name}"
        );
        assert_eq!(
            account.rows_loaded + account.rows_rejected,
            sample.rows,
            "{name}"
        );
        let lines: Vec<u32> = loaded.errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, sample.bad_lines, "{name}");
        assert!(
            loaded
                .errors
                .iter()
                .all(|e| e.column == 4 && matches!(e.kind, DataErrorKind::NotANumber { .. }))
        );

        let series = loaded
            .dataset
            .find_series("IND07", &[("country", "Line\nbreak")])
            .expect("the quoted country is one value");
        assert_eq!(series.observations().len(), 250);
        let last = loaded
            .dataset
            .find_series("IND10", &[("country", "C699")])
            .unwrap();
        assert_eq!(
            last.observations().last(),
            Some(&(Period::Year(2049), 699_000.0 + 2049.25))
        );
        assert_eq!(
            loaded.dataset.observation_count() as u64,
            account.rows_loaded
        );
    }
}

#[test]
fn a_series_split_across_blocks_is_checked_as_one() {
    // 120,000 rows of one series, far more than a block: a different unit
    // near the end and a duplicate period in the last block are caught
    // against rows of the first block.
    let mut text = String::from("indicator,period,value,unit\n");
    for day in 0..120_000u32 {
        let date = ontrack::data::Date::from_days_since_epoch(i64::from(day));
        writeln!(text, "gdp,{date},{day},units").unwrap();
    }
    text.push_str("gdp,2000-01-01,1,percent\n");
    text.push_str("gdp,1970-01-01,5,units\n");
    let path = write("one-series.csv", &text);
    let loaded = load_skipping(&path);
    std::fs::remove_file(&path).unwrap();

    assert_eq!(loaded.files[0].rows_read, 120_002);
    assert_eq!(loaded.files[0].rows_rejected, 2);
    let kinds: Vec<(u32, &DataErrorKind)> =
        loaded.errors.iter().map(|e| (e.line, &e.kind)).collect();
    match kinds.as_slice() {
        [
            (120_002, DataErrorKind::UnitConflict { first, .. }),
            (120_003, DataErrorKind::ConflictingDuplicate { .. }),
        ] => assert_eq!(first.line, 2),
        other => panic!("{other:#?}"),
    }
}
