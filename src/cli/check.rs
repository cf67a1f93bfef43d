//! `ontrack check [RULES…] --data FILE…`: evaluate the targets and report.

use std::fs::File;
use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::PathBuf;

use clap::Args;

use super::Outcome;
use super::inputs::{self, Step};
use crate::config::{self, Config};
use crate::data::LoadOptions;
use crate::eval::{self, EvalOptions, Status};
use crate::report::{self, Format, Report};

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Rule files, or folders to search for `*.targets` (default: `rules` of
    /// ontrack.yaml, else the current folder).
    rules: Vec<PathBuf>,
    /// Data files (.csv, .tsv, .yaml, .yml, .json); repeat the flag or list several.
    #[arg(long, value_name = "FILE", num_args = 1..)]
    data: Vec<PathBuf>,
    /// Ignore observations whose period ends after this date (YYYY-MM-DD; default: today).
    #[arg(long, value_name = "DATE")]
    as_of: Option<String>,
    /// The report format.
    #[arg(long, value_name = "FORMAT", value_parser = parse_format)]
    format: Option<Format>,
    /// Write the report to this file instead of standard output.
    #[arg(long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// The statuses that fail the run (exit code 1), separated by commas
    /// (default: missed,off_track,error).
    #[arg(long, value_name = "STATUS,…", value_delimiter = ',')]
    fail_on: Vec<String>,
    /// Report only targets with this tag (repeatable: any of them).
    #[arg(long, value_name = "TAG")]
    tag: Vec<String>,
    /// Report only this target: an id (all its entities) or `id[DIM=value]` (repeatable).
    #[arg(long, value_name = "ID")]
    id: Vec<String>,
    /// The configuration file (default: ontrack.yaml in the current folder, if any).
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Load the good rows of data files with bad ones, and report the bad ones as rejected.
    #[arg(long)]
    skip_bad_rows: bool,
}

fn parse_format(name: &str) -> Result<Format, report::UnknownFormat> {
    name.parse()
}

pub fn run(args: &CheckArgs) -> Outcome {
    match check(args) {
        Ok(outcome) | Err(outcome) => outcome,
    }
}

fn check(args: &CheckArgs) -> Step<Outcome> {
    // Arguments first, so a typo fails before any file is read.
    let config = inputs::load_config(args.config.as_deref())?;
    let config = config.as_ref();
    let as_of = inputs::as_of(args.as_of.as_deref(), config)?;
    let failing = failing_statuses(&args.fail_on, config)?;
    let format = args
        .format
        .or_else(|| config.and_then(|c| c.format))
        .unwrap_or_default();
    let sources = inputs::data_sources(&args.data, config)?;

    let rules = inputs::read_rules(&inputs::rule_paths(&args.rules, config))?;
    let declared = inputs::declared_targets(&rules);
    let ids = inputs::id_patterns(&args.id, &declared)?;
    inputs::check_tags(&args.tag, &declared)?;

    let options = LoadOptions {
        skip_bad_rows: args.skip_bad_rows,
    };
    let loaded = inputs::load_data(&sources, &options)?;

    let mut evaluation = eval::evaluate(
        &rules,
        &loaded.dataset,
        &EvalOptions {
            as_of,
            trace: false,
            // Only charts need the observation history.
            history: format == Format::Html,
        },
    );
    inputs::check_entities(&ids, &evaluation.results)?;
    evaluation.results.retain(|r| {
        (ids.is_empty() || ids.iter().any(|p| p.matches(r)))
            && (args.tag.is_empty() || args.tag.iter().any(|t| r.tags.contains(t)))
    });

    let report = Report {
        evaluation: &evaluation,
        rules: &rules,
        data: &loaded.files,
        data_warnings: loaded.warnings.len(),
        as_of,
    };
    write_report(format, &report, args.output.as_deref())?;

    if evaluation.results.iter().any(|r| r.fails(&failing)) {
        Ok(Outcome::TargetsFailed)
    } else {
        Ok(Outcome::Success)
    }
}

/// `--fail-on`, else the configuration's `fail_on`, else the default.
fn failing_statuses(arguments: &[String], config: Option<&Config>) -> Step<Vec<Status>> {
    if arguments.is_empty() {
        return Ok(config
            .and_then(|c| c.fail_on.clone())
            .unwrap_or_else(|| Status::DEFAULT_FAILING.to_vec()));
    }
    config::parse_statuses(arguments.iter().map(String::as_str)).map_err(|error| {
        eprintln!("error: invalid --fail-on: {error}");
        Outcome::Failure
    })
}

/// Writes the report to `--output` or standard output. Colour only on a
/// terminal, and not with `NO_COLOR`. A reader that goes away (`| head`)
/// ends the output quietly; the exit code still reflects the results.
fn write_report(format: Format, report: &Report<'_>, output: Option<&std::path::Path>) -> Step<()> {
    let (result, destination) = match output {
        Some(path) => {
            let file = File::create(path).map_err(|error| {
                eprintln!("error: {}: cannot write: {error}", path.display());
                Outcome::Failure
            })?;
            let mut out = BufWriter::new(file);
            let result = report::write(format, report, &mut out, false).and_then(|()| out.flush());
            (result, path.display().to_string())
        }
        None => {
            let stdout = io::stdout();
            let color = format.supports_color()
                && stdout.is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
            let mut out = BufWriter::new(stdout.lock());
            let result = report::write(format, report, &mut out, color).and_then(|()| out.flush());
            (result, "standard output".to_string())
        }
    };
    match result {
        Ok(()) => Ok(()),
        Err(error) if error.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        Err(error) => {
            eprintln!("error: cannot write the report to {destination}: {error}");
            Err(Outcome::Failure)
        }
    }
}
