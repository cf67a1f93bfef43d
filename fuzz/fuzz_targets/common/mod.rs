//! What the fuzz targets share: input as text, a per-process temporary
//! file for the loaders, and the loading invariants.

#![allow(dead_code)]

use std::borrow::Cow;
use std::path::PathBuf;
use std::sync::OnceLock;

use ontrack::data::{self, DataSource, LoadOptions, Loaded};

/// The input as text. Invalid UTF-8 is replaced rather than skipped, so that
/// inputs libFuzzer's byte mutations break still reach the parser.
pub fn text(bytes: &[u8]) -> Cow<'_, str> {
    String::from_utf8_lossy(bytes)
}

/// A folder of this process's own under the temporary folder
/// (`ONTRACK_FUZZ_TMP`, else the system's), made on first use.
fn scratch() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let base = std::env::var_os("ONTRACK_FUZZ_TMP")
            .map(PathBuf::from)
            .unwrap_or_else(std::env::temp_dir);
        let dir = base.join(format!("ontrack-fuzz-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("scratch folder");
        dir
    })
}

/// Writes `bytes` to this process's data file with the given extension and
/// returns its path.
pub fn write_data(bytes: &[u8], extension: &str) -> PathBuf {
    let path = scratch().join(format!("data.{extension}"));
    std::fs::write(&path, bytes).expect("write the data file");
    path
}

/// Loads one file twice, strict and with `skip_bad_rows`, and checks what
/// `ontrack::data` documents: every row read is loaded, missing or rejected
/// (`rows_read = rows_loaded + rows_missing + rows_rejected`, for every file
/// account), and the option changes only whether errors are fatal, never
/// what is loaded. Renders the errors and warnings, and returns the load
/// with `skip_bad_rows`.
pub fn load_checked(path: PathBuf) -> Loaded {
    let sources = [DataSource::new(path)];
    let strict = data::load(&sources, &LoadOptions::default());
    let lenient = data::load(&sources, &LoadOptions { skip_bad_rows: true });
    for loaded in [&strict, &lenient] {
        assert_eq!(loaded.files.len(), 1, "one account per source");
        for account in &loaded.files {
            assert_eq!(
                account.rows_read,
                account.rows_loaded + account.rows_missing + account.rows_rejected,
                "row accounting broken (fatal: {}): {account:?}\nerrors: {:?}",
                loaded.is_fatal(),
                loaded.errors,
            );
        }
        // A rejected row has an error; an error-free load rejected nothing.
        if loaded.errors.is_empty() {
            assert_eq!(loaded.files[0].rows_rejected, 0, "rows rejected without an error");
        }
    }
    assert_eq!(strict.files, lenient.files, "skip_bad_rows changed the row counts");
    assert_eq!(strict.errors, lenient.errors, "skip_bad_rows changed the errors");
    assert_eq!(strict.warnings, lenient.warnings, "skip_bad_rows changed the warnings");
    assert_eq!(
        strict.is_fatal(),
        !strict.errors.is_empty(),
        "strict loading is fatal exactly when there are errors"
    );
    if lenient.is_fatal() {
        assert!(strict.is_fatal(), "fatal with skip_bad_rows but not without");
    }
    // Every error and warning, as the command line prints them (colour
    // changes only the styling, so it is left out: rendering is most of the
    // time of a run).
    let _ = data::render_errors(&lenient.errors, false);
    let _ = data::render_warnings(&lenient.warnings, false);
    lenient
}
