//! Loading a large generated file (ignored by default; run with
//! `cargo test --release --test data_scale -- --ignored --nocapture`).

use std::io::Write;

use ontrack::data::{DataSource, LoadOptions, load};

#[test]
#[ignore = "slow: generates and loads a million rows"]
fn a_million_rows() {
    let path = std::env::temp_dir().join(format!("ontrack-scale-{}.csv", std::process::id()));
    let mut file = std::io::BufWriter::new(std::fs::File::create(&path).expect("a file"));
    writeln!(file, "indicator,country,sector,period,value,unit").expect("write");
    let mut rows = 0u64;
    for indicator in 0..10 {
        for country in 0..200 {
            for sector in 0..5 {
                for year in 1925..2025 {
                    let value = (indicator * 7 + country * 3 + sector + year) as f64 / 10.0;
                    let unit = if indicator % 2 == 0 {
                        "thousand units"
                    } else {
                        "%"
                    };
                    writeln!(
                        file,
                        "ind_{indicator},C{country},S{sector},{year},{value},{unit}"
                    )
                    .expect("write");
                    rows += 1;
                }
            }
        }
    }
    drop(file);
    let started = std::time::Instant::now();
    let loaded = load(&[DataSource::new(&path)], &LoadOptions::default());
    let elapsed = started.elapsed();
    let _ = std::fs::remove_file(&path);
    assert_eq!(loaded.errors, vec![]);
    assert_eq!(loaded.files[0].rows_loaded, rows);
    assert_eq!(loaded.dataset.all_series().len(), 10 * 200 * 5);
    eprintln!("{rows} rows in {elapsed:?}");
}
