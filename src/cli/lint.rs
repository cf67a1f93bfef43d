//! `ontrack lint [RULES…]`: parse and statically check rule files.

use std::path::PathBuf;

use clap::Args;

use super::{Outcome, paths_or_here, stderr_color};
use crate::source::{self, Tally};

#[derive(Debug, Args)]
pub struct LintArgs {
    /// Rule files, or folders to search for `*.targets` (default: the current folder).
    rules: Vec<PathBuf>,
}

pub fn run(args: &LintArgs) -> Outcome {
    let files = match source::find(&paths_or_here(&args.rules)) {
        Ok(files) if files.is_empty() => {
            eprintln!("error: no `*.{}` files found", source::EXTENSION);
            return Outcome::Failure;
        }
        Ok(files) => files,
        Err(error) => {
            eprintln!("error: {error}");
            return Outcome::Failure;
        }
    };
    let color = stderr_color();
    let mut tally = Tally::default();
    let mut unreadable = false;
    for path in &files {
        let file = match source::read(path) {
            Ok(file) => file,
            Err(error) => {
                eprintln!("error: {error}");
                unreadable = true;
                continue;
            }
        };
        let linted = source::lint(&file);
        tally.add(&linted.diagnostics);
        if !linted.diagnostics.is_empty() {
            eprintln!("{}", file.render(&linted.diagnostics, color));
        }
    }
    eprintln!("{tally}");
    if tally.errors > 0 || unreadable {
        Outcome::Failure
    } else {
        Outcome::Success
    }
}
