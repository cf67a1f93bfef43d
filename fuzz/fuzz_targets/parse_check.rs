//! Rule text → parse → static checks (`source::lint`, which runs
//! `syntax::parse` and, on a file that parses, `check::check`) → the
//! diagnostics rendered with and without colour.
//!
//! Nothing here may panic on any input: the parser, the checker and the
//! diagnostic renderer (spans, line and column arithmetic, wide and
//! combining characters, tabs) all see arbitrary text.

#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;
use ontrack::source::{self, SourceFile};

fuzz_target!(|bytes: &[u8]| {
    let file = SourceFile {
        path: "fuzz.targets".into(),
        text: common::text(bytes).into_owned(),
    };
    let linted = source::lint(&file);
    if linted.file.is_none() {
        assert!(linted.has_errors(), "a file that does not parse has no error");
    }
    let _ = file.render(&linted.diagnostics, false);
    let _ = file.render(&linted.diagnostics, true);
});
