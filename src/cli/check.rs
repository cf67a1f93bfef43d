//! `ontrack check [RULES…] --data FILE…`: evaluate the targets and report.

use std::cell::Cell;
use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use clap::Args;

use super::inputs::{self, Step};
use super::{Outcome, output};
use crate::config::{self, Config};
use crate::data::Dataset;
use crate::data::LoadOptions;
use crate::eval::{self, EvalOptions, Status, TargetResult};
use crate::report::{self, EachRendered, Format, Render, Report, Results, Summary};
use crate::syntax::ast::Severity;
use inputs::IdPattern;

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
    /// The report format (text, json, markdown, junit, github); `FORMAT=FILE`
    /// writes it to a file. Repeat for several reports of one run, at most one
    /// of them to standard output.
    #[arg(long, value_name = "FORMAT[=FILE]", value_parser = parse_report_output)]
    format: Vec<ReportOutput>,
    /// Write the report to this file instead of standard output (with a single `--format`).
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

/// One report to write: a format, and a file or (None) standard output.
#[derive(Clone, Debug, PartialEq, Eq)]
struct ReportOutput {
    format: Format,
    file: Option<PathBuf>,
}

/// `FORMAT`, `FORMAT=FILE`, or `FORMAT=-` (standard output).
fn parse_report_output(text: &str) -> Result<ReportOutput, String> {
    let (name, file) = match text.split_once('=') {
        Some((name, file)) => (name, Some(file)),
        None => (text, None),
    };
    let format: Format = name
        .parse()
        .map_err(|e: report::UnknownFormat| e.to_string())?;
    let file = match file {
        None | Some("-") => None,
        Some("") => return Err(format!("no file after `{name}=`")),
        Some(file) => Some(PathBuf::from(file)),
    };
    Ok(ReportOutput { format, file })
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
    let outputs = report_outputs(args, config)?;
    let sources = inputs::data_sources(&args.data, config)?;

    let rules = inputs::read_rules(&inputs::rule_paths(&args.rules, config))?;
    let declared = inputs::declared_targets(&rules);
    let ids = inputs::id_patterns(&args.id, &declared)?;
    inputs::check_tags(&args.tag, &declared)?;

    let options = LoadOptions {
        skip_bad_rows: args.skip_bad_rows,
    };
    let loaded = inputs::load_data(&sources, &options)?;

    let checked = Checked {
        rules: &rules,
        dataset: &loaded.dataset,
        options: EvalOptions {
            as_of,
            trace: false,
            // Only charts need the observation history.
            history: outputs.iter().any(|o| o.format == Format::Html),
        },
        ids: &ids,
        tags: &args.tag,
        summary: Cell::new(None),
    };
    if ids.iter().any(|p| p.entity.is_some()) {
        // `id[DIM=value]` must name a result: know before any report is written.
        let mut named = Vec::new();
        eval::evaluate_each(&rules, &loaded.dataset, &checked.options, |result| {
            if ids.iter().any(|p| p.entity.is_some() && p.id == result.id) {
                named.push(result);
            }
            Ok::<(), std::convert::Infallible>(())
        })
        .unwrap_or_else(|never| match never {});
        inputs::check_entities(&ids, &named)?;
    }

    let report = Report {
        results: &checked,
        rules: &rules,
        data: &loaded.files,
        data_warnings: loaded.warnings.len(),
        as_of,
        failing: &failing,
        run_at: Some(run_at()),
    };
    // Every report is written even if an earlier one could not be.
    let mut written = Ok(());
    for output in &outputs {
        if let Err(outcome) = write_report(output.format, &report, output.file.as_deref()) {
            written = Err(outcome);
        }
    }
    written?;

    let summary = checked.summary().map_err(|error| {
        eprintln!("error: {error}");
        Outcome::Failure
    })?;
    let outcome = if summary.failing(&failing) > 0 {
        Outcome::TargetsFailed
    } else {
        Outcome::Success
    };
    inputs::release(loaded);
    Ok(outcome)
}

/// The results of this run, as `--id` and `--tag` select them. They are not
/// kept: each pass of a report evaluates the targets again as it writes, so
/// a run of any size costs the memory of a few targets' results.
struct Checked<'a> {
    rules: &'a [eval::RuleSet],
    dataset: &'a Dataset,
    options: EvalOptions,
    ids: &'a [IdPattern],
    tags: &'a [String],
    /// Counted by the last complete pass.
    summary: Cell<Option<Summary>>,
}

/// Whether `--id` and `--tag` select a result.
fn selects(ids: &[IdPattern], tags: &[String], result: &TargetResult) -> bool {
    (ids.is_empty() || ids.iter().any(|p| p.matches(result)))
        && (tags.is_empty() || tags.iter().any(|t| result.tags.contains(t)))
}

impl Checked<'_> {
    /// One pass over the results `--id` and `--tag` select, a target's
    /// results in a batch: `batch` and `add` run on the worker that evaluated
    /// them (which also frees each result there), `each` here, in order.
    /// The pass's counts are kept for `summary`.
    fn pass<B: Send>(
        &self,
        batch: impl Fn() -> B + Sync,
        add: impl Fn(&mut B, TargetResult) + Sync,
        mut each: impl FnMut(B) -> io::Result<()>,
    ) -> io::Result<()> {
        let (ids, tags) = (self.ids, self.tags);
        let mut summary = Summary::default();
        eval::evaluate_each_with(
            self.rules,
            self.dataset,
            &self.options,
            || (Summary::default(), batch()),
            |(counts, made), result| {
                if selects(ids, tags, &result) {
                    counts.add(&result);
                    add(made, result);
                }
            },
            |(counts, made)| {
                summary.add_all(&counts);
                each(made)
            },
        )?;
        self.summary.set(Some(summary));
        Ok(())
    }
}

/// A target's results rendered one after another into one buffer, each with
/// its status and severity. The main thread frees the buffer of a target,
/// not one of each result: freeing what another thread allocated takes a
/// lock that thread's allocations need, and with a result at a time the
/// two threads contended for it.
struct Rendered {
    bytes: Vec<u8>,
    /// Where each result ends in `bytes`, its status and its severity.
    ends: Vec<(usize, Status, Severity)>,
    /// Rendering stops at a result that fails; its error comes after the
    /// results before it.
    error: Option<io::Error>,
}

impl Rendered {
    fn with_capacity(bytes: usize) -> Rendered {
        Rendered {
            bytes: Vec::with_capacity(bytes),
            ends: Vec::new(),
            error: None,
        }
    }

    fn add(&mut self, render: &Render<'_>, result: &TargetResult) {
        if self.error.is_some() {
            return;
        }
        match render(result, &mut self.bytes) {
            Ok(()) => self
                .ends
                .push((self.bytes.len(), result.status, result.severity)),
            Err(error) => self.error = Some(error),
        }
    }

    fn hand_over(self, each: &mut EachRendered<'_>) -> io::Result<()> {
        let mut start = 0;
        for (end, status, severity) in self.ends {
            each(status, severity, &self.bytes[start..end])?;
            start = end;
        }
        self.error.map_or(Ok(()), Err)
    }
}

impl Results for Checked<'_> {
    fn each(&self, each: &mut dyn FnMut(&TargetResult) -> io::Result<()>) -> io::Result<()> {
        self.pass(Vec::new, Vec::push, |results| {
            results.iter().try_for_each(&mut *each)
        })
    }

    fn each_rendered(&self, render: &Render<'_>, each: &mut EachRendered<'_>) -> io::Result<()> {
        // Room for as much as the last target's results took (targets of a
        // file are usually alike), so that a buffer is seldom copied as it grows.
        let usual = AtomicUsize::new(0);
        self.pass(
            || Rendered::with_capacity(usual.load(Ordering::Relaxed)),
            |rendered, result| rendered.add(render, &result),
            |rendered| {
                usual.store(rendered.bytes.len(), Ordering::Relaxed);
                rendered.hand_over(each)
            },
        )
    }

    fn summary(&self) -> io::Result<Summary> {
        if let Some(summary) = self.summary.get() {
            return Ok(summary);
        }
        self.each(&mut |_| Ok(()))?;
        Ok(self.summary.get().unwrap_or_default())
    }
}

/// The reports to write: each `--format` with its file; a single `--format`
/// (or the configuration's `format`, or text) goes to `--output` if given.
/// At most one report may go to standard output, and no two to one file.
fn report_outputs(args: &CheckArgs, config: Option<&Config>) -> Step<Vec<ReportOutput>> {
    let usage = |message: String, help: &str| {
        eprintln!("error: {message}");
        eprintln!("  help: {help}");
        Outcome::Failure
    };
    let mut outputs = args.format.clone();
    if outputs.is_empty() {
        outputs.push(ReportOutput {
            format: config.and_then(|c| c.format).unwrap_or_default(),
            file: None,
        });
    }
    if let Some(path) = &args.output {
        match outputs.as_mut_slice() {
            [single] if single.file.is_none() => single.file = Some(path.clone()),
            _ => {
                return Err(usage(
                    "`--output` goes with a single `--format` that names no file".to_string(),
                    "give each report its file: `--format junit=report.xml --format markdown=summary.md`",
                ));
            }
        }
    }
    let to_stdout: Vec<&str> = outputs
        .iter()
        .filter(|o| o.file.is_none())
        .map(|o| o.format.as_str())
        .collect();
    if to_stdout.len() > 1 {
        return Err(usage(
            format!(
                "{} reports would go to standard output ({})",
                to_stdout.len(),
                to_stdout.join(", ")
            ),
            "give all but one a file: `--format json=report.json`",
        ));
    }
    for (i, output) in outputs.iter().enumerate() {
        let Some(file) = &output.file else { continue };
        let same = outputs[..i]
            .iter()
            .find(|o| o.file.as_deref().is_some_and(|f| same_file(f, file)));
        if let Some(earlier) = same {
            return Err(usage(
                format!(
                    "the {} and {} reports would both be written to `{}`",
                    earlier.format,
                    output.format,
                    file.display()
                ),
                "give each report its own file",
            ));
        }
    }
    Ok(outputs)
}

/// Whether two paths name one file: the same file if both exist, else the
/// same absolute path once `.` and `..` are resolved.
fn same_file(a: &Path, b: &Path) -> bool {
    if let (Ok(a), Ok(b)) = (a.canonicalize(), b.canonicalize()) {
        return a == b;
    }
    let absolute = |p: &Path| -> PathBuf {
        let mut normal = PathBuf::new();
        for component in std::path::absolute(p)
            .unwrap_or_else(|_| p.to_path_buf())
            .components()
        {
            match component {
                Component::CurDir => {}
                Component::ParentDir => {
                    normal.pop();
                }
                other => normal.push(other),
            }
        }
        normal
    };
    absolute(a) == absolute(b)
}

/// When the run takes place, for the JUnit report's timestamp:
/// `SOURCE_DATE_EPOCH` if set (reproducible builds' convention), else the clock.
fn run_at() -> u64 {
    std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or_else(|| {
            SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| d.as_secs())
        })
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

/// Writes the report to `--output` (replaced whole, see [`output`]) or
/// standard output. Colour only on a terminal, and not with `NO_COLOR`. A
/// reader that goes away (`| head`) ends the output quietly; the exit code
/// still reflects the results.
fn write_report(format: Format, report: &Report<'_>, output: Option<&Path>) -> Step<()> {
    if let Some(path) = output {
        return output::write_file(path, |out| report::write(format, report, out, false)).map_err(
            |error| {
                eprintln!("error: {}: cannot write: {error}", path.display());
                Outcome::Failure
            },
        );
    }
    let stdout = io::stdout();
    let color = format.supports_color()
        && stdout.is_terminal()
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let mut out = BufWriter::new(stdout.lock());
    match report::write(format, report, &mut out, color).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(error) if error.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        Err(error) => {
            eprintln!("error: cannot write the report to standard output: {error}");
            Err(Outcome::Failure)
        }
    }
}
