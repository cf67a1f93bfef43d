//! No input makes loading panic: every prefix of every fixture, byte noise,
//! and odd periods and values.

use std::path::PathBuf;

use ontrack::data::{DataSource, LoadOptions, load};

fn scratch_dir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("ontrack-data-robustness-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a scratch folder");
    dir
}

/// Loads `bytes` as a file with `extension` and checks the row accounting.
fn load_bytes(dir: &std::path::Path, name: &str, bytes: &[u8]) {
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("a scratch file");
    let loaded = load(&[DataSource::new(&path)], &LoadOptions::default());
    let a = &loaded.files[0];
    assert_eq!(
        a.rows_read,
        a.rows_loaded + a.rows_missing + a.rows_rejected,
        "{name}: {bytes:?}"
    );
}

#[test]
fn every_prefix_of_every_fixture_loads_or_fails_cleanly() {
    let dir = scratch_dir();
    for folder in ["ok", "err"] {
        let folder = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/data")
            .join(folder);
        for entry in std::fs::read_dir(folder).expect("fixtures") {
            let path = entry.expect("an entry").path();
            let Some(extension) = path.extension().and_then(|e| e.to_str()) else {
                continue;
            };
            if !["csv", "tsv", "yaml", "json"].contains(&extension) {
                continue;
            }
            let bytes = std::fs::read(&path).expect("a fixture");
            // The alias bomb costs the parser its full repetition budget on
            // every prefix; it has a test of its own.
            if bytes.len() > 2_000 || path.ends_with("alias_bomb.yaml") {
                continue;
            }
            for end in 0..=bytes.len() {
                load_bytes(&dir, &format!("prefix.{extension}"), &bytes[..end]);
            }
        }
    }
}

#[test]
fn byte_noise() {
    let dir = scratch_dir();
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    // Bytes drawn mostly from characters that mean something to the parsers.
    let alphabet = b"0123456789.,;:-+eE QMn/a\"'\t\r\n{}[]#&*!|>%\xc3\xa9\xff\x00";
    for round in 0..300 {
        let len = (next() % 200) as usize;
        let mut bytes = b"indicator,period,value,unit\n".to_vec();
        if round % 3 != 0 {
            bytes.clear();
        }
        bytes.extend((0..len).map(|_| alphabet[(next() % alphabet.len() as u64) as usize]));
        for extension in ["csv", "tsv", "yaml", "json"] {
            load_bytes(&dir, &format!("noise.{extension}"), &bytes);
        }
    }
}

#[test]
fn odd_fields() {
    let dir = scratch_dir();
    let fields = [
        "2023\u{e9}1",
        "2023Q\u{e9}",
        "2023M\u{e9}",
        "2023-Q",
        "\u{e9}",
        "9999-12-31",
        "0000",
        "2023Q9",
        "2023M13",
        "-0",
        "1e-400",
        "1e99999999999999999999",
        "1.2.3",
        "1 p",
        ": c",
        "..",
        "1 234",
    ];
    for period in fields {
        for value in fields {
            for unit in ["", "%", "thousand units", "THS_T", "k"] {
                let text = format!("indicator,period,value,unit\nx,{period},{value},{unit}\n");
                load_bytes(&dir, "odd.csv", text.as_bytes());
            }
        }
    }
}
