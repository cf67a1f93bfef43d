//! Bytes → a `.csv` file → `ontrack::data::load`, strict and with
//! `skip_bad_rows`; the invariants are in `common::load_checked`.
//! The loader picks long or wide from the header, so this target differs
//! from its sibling only by its seeds.

#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let path = common::write_data(bytes, "csv");
    common::load_checked(path);
});
