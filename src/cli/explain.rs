//! `ontrack explain RULES --data FILE… --id ID`: the derivation of one
//! result step by step.

use std::io::{self, BufWriter, Write};
use std::path::PathBuf;

use clap::Args;

use super::Outcome;
use super::inputs::{self, Step};
use crate::data::LoadOptions;
use crate::eval::{self, EvalOptions};
use crate::report::explain::write_explanation;

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// Rule files, or folders to search for `*.targets` (default: `rules` of
    /// ontrack.yaml, else the current folder).
    rules: Vec<PathBuf>,
    /// Data files (.csv, .tsv, .yaml, .yml, .json); repeat the flag or list several.
    #[arg(long, value_name = "FILE", num_args = 1..)]
    data: Vec<PathBuf>,
    /// The target: an id (every entity of a `for each` target) or `id[DIM=value]`.
    #[arg(long, value_name = "ID")]
    id: String,
    /// Ignore observations whose period ends after this date (YYYY-MM-DD; default: today).
    #[arg(long, value_name = "DATE")]
    as_of: Option<String>,
    /// The configuration file (default: ontrack.yaml in the current folder, if any).
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Load the good rows of data files with bad ones, and report the bad ones as rejected.
    #[arg(long)]
    skip_bad_rows: bool,
}

pub fn run(args: &ExplainArgs) -> Outcome {
    match explain(args) {
        Ok(outcome) | Err(outcome) => outcome,
    }
}

fn explain(args: &ExplainArgs) -> Step<Outcome> {
    let config = inputs::load_config(args.config.as_deref())?;
    let config = config.as_ref();
    let as_of = inputs::as_of(args.as_of.as_deref(), config)?;
    let sources = inputs::data_sources(&args.data, config)?;
    let rules = inputs::read_rules(&inputs::rule_paths(&args.rules, config))?;
    let declared = inputs::declared_targets(&rules);
    let ids = inputs::id_patterns(std::slice::from_ref(&args.id), &declared)?;
    let loaded = inputs::load_data(
        &sources,
        &LoadOptions {
            skip_bad_rows: args.skip_bad_rows,
        },
    )?;

    let evaluation = eval::evaluate(
        &rules,
        &loaded.dataset,
        &EvalOptions {
            as_of,
            trace: true,
            history: false,
        },
    );
    inputs::check_entities(&ids, &evaluation.results)?;
    let selected: Vec<_> = evaluation
        .results
        .iter()
        .filter(|r| ids.iter().any(|p| p.matches(r)))
        .collect();
    if selected.is_empty() {
        eprintln!("error: the target `{}` produced no result", args.id);
        return Err(Outcome::Failure);
    }

    let mut out = BufWriter::new(io::stdout().lock());
    let written = selected.iter().enumerate().try_for_each(|(i, result)| {
        if i > 0 {
            writeln!(out)?;
        }
        write_explanation(&mut out, result)
    });
    match written.and_then(|()| out.flush()) {
        Ok(()) => Ok(Outcome::Success),
        Err(error) if error.kind() == io::ErrorKind::BrokenPipe => Ok(Outcome::Success),
        Err(error) => {
            eprintln!("error: cannot write to standard output: {error}");
            Err(Outcome::Failure)
        }
    }
}
