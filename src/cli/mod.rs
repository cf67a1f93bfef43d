//! The command line: argument parsing, and the outcome of each command
//! mapped to an exit code in one place ([`Outcome::exit_code`]).

mod check;
mod explain;
mod fmt;
mod inputs;
mod lint;
mod output;

use std::io::IsTerminal;
use std::path::PathBuf;

use clap::{Parser, Subcommand};

/// Check policy targets against data.
#[derive(Debug, Parser)]
#[command(name = "ontrack", version, about)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Evaluate targets against data and report whether each is met, missed or on track.
    Check(check::CheckArgs),
    /// Show how one target's result was derived, step by step.
    Explain(explain::ExplainArgs),
    /// Rewrite rule files in the canonical layout.
    Fmt(fmt::FmtArgs),
    /// Parse and check rule files without evaluating them.
    Lint(lint::LintArgs),
}

/// How a command ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Everything is fine.
    Success,
    /// The command ran and found something to report (`fmt --check` found
    /// a file to reformat).
    Findings,
    /// `check` ran and some result has a failing status (`--fail-on`).
    TargetsFailed,
    /// The command could not do its job: bad arguments, unreadable files,
    /// rule files with errors, rejected data rows, no targets, an `--id`
    /// that matches nothing.
    Failure,
}

impl Outcome {
    pub fn exit_code(self) -> u8 {
        match self {
            Outcome::Success => 0,
            Outcome::Findings | Outcome::TargetsFailed => 1,
            Outcome::Failure => 2,
        }
    }
}

/// Runs the command line.
pub fn run(cli: Cli) -> Outcome {
    match cli.command {
        Command::Check(args) => check::run(&args),
        Command::Explain(args) => explain::run(&args),
        Command::Fmt(args) => fmt::run(&args),
        Command::Lint(args) => lint::run(&args),
    }
}

/// Whether to colour what goes to standard error.
fn stderr_color() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stderr().is_terminal()
}

/// The paths to work on: those given, or the current folder.
/// Says that `paths` hold no rule file.
fn no_rule_files(paths: &[PathBuf]) {
    let paths: Vec<String> = paths
        .iter()
        .map(|path| format!("`{}`", path.display()))
        .collect();
    eprintln!(
        "error: no `*.{}` files in {}",
        crate::source::EXTENSION,
        paths.join(", ")
    );
}

fn paths_or_here(paths: &[PathBuf]) -> Vec<PathBuf> {
    if paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        paths.to_vec()
    }
}
