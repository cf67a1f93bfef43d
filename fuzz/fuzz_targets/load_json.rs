//! Bytes → a `.json` file → `ontrack::data::load`, strict and with
//! `skip_bad_rows`; the invariants are in `common::load_checked`.

#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let path = common::write_data(bytes, "json");
    common::load_checked(path);
});
