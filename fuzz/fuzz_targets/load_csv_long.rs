//! Bytes → a `.csv` file (`.tsv` when the first line has a tab) →
//! `ontrack::data::load`, strict and with `skip_bad_rows`; the invariants
//! are in `common::load_checked`. The loader picks long or wide from the
//! header, so this target differs from `load_csv_wide` by its seeds (and by
//! reaching the TSV reader).

#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let first_line = bytes.split(|&b| b == b'\n').next().unwrap_or_default();
    let extension = if first_line.contains(&b'\t') { "tsv" } else { "csv" };
    let path = common::write_data(bytes, extension);
    common::load_checked(path);
});
