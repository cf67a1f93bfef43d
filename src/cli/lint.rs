//! `ontrack lint [RULES…] [--data FILE…]`: parse and statically check rule
//! files; with data, also resolve every reference against it.

use std::path::PathBuf;

use clap::Args;

use super::{Outcome, paths_or_here, stderr_color};
use crate::data::{self, DataSource, LoadOptions};
use crate::eval::{self, RuleSet};
use crate::source::{self, Tally};

#[derive(Debug, Args)]
pub struct LintArgs {
    /// Rule files, or folders to search for `*.targets` (default: the current folder).
    rules: Vec<PathBuf>,
    /// Data files to resolve every reference against (CSV, TSV, YAML, JSON).
    #[arg(long, num_args = 1..)]
    data: Vec<PathBuf>,
}

pub fn run(args: &LintArgs) -> Outcome {
    let paths = paths_or_here(&args.rules);
    let files = match source::find(&paths) {
        Ok(files) if files.is_empty() => {
            super::no_rule_files(&paths);
            return Outcome::Failure;
        }
        Ok(files) => files,
        Err(error) => {
            eprintln!("error: {error}");
            return Outcome::Failure;
        }
    };
    let dataset = if args.data.is_empty() {
        None
    } else {
        let sources: Vec<DataSource> = args.data.iter().map(DataSource::new).collect();
        let loaded = data::load(&sources, &LoadOptions::default());
        if !loaded.errors.is_empty() {
            eprintln!("{}", data::render_errors(&loaded.errors, stderr_color()));
        }
        if loaded.is_fatal() {
            return Outcome::Failure;
        }
        Some(loaded.dataset)
    };
    let color = stderr_color();
    let mut tally = Tally::default();
    for path in &files {
        let file = match source::read(path) {
            Ok(file) => file,
            Err(error) => {
                eprintln!("error: {error}");
                tally.files += 1;
                tally.errors += 1;
                continue;
            }
        };
        let mut linted = source::lint(&file);
        if let (Some(dataset), Some(tree)) = (&dataset, &linted.file)
            && !linted.has_errors()
        {
            let rules = RuleSet {
                path: path.clone(),
                file: tree.clone(),
            };
            linted
                .diagnostics
                .extend(eval::lint_against(&rules, dataset));
        }
        tally.add(&linted.diagnostics);
        if !linted.diagnostics.is_empty() {
            eprintln!("{}", file.render(&linted.diagnostics, color));
        }
        // A tree of 100,000 targets takes a tenth of a second to free.
        super::inputs::release(linted.file);
    }
    eprintln!("{tally}");
    if let Some(dataset) = dataset {
        super::inputs::release(dataset);
    }
    if tally.errors > 0 {
        Outcome::Failure
    } else {
        Outcome::Success
    }
}
