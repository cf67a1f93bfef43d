//! The steps `check` and `explain` share before evaluating: the
//! configuration, the as-of date, the rule files, the data, and which
//! targets `--id` / `--tag` select.
//!
//! Each step prints what went wrong to standard error and returns
//! `Err(Outcome::Failure)`, so a command reads as a chain of `?`.

use std::path::{Path, PathBuf};

use super::{Outcome, stderr_color};
use crate::config::{self, Config};
use crate::data::period::Date;
use crate::data::{self, DataSource, LoadOptions, Loaded};
use crate::eval::{RuleSet, TargetResult};
use crate::source;
use crate::syntax::ast::{Attribute, Statement};

pub(super) type Step<T> = Result<T, Outcome>;

/// `--config FILE`, or `ontrack.yaml` in the current folder if there is one.
pub(super) fn load_config(explicit: Option<&Path>) -> Step<Option<Config>> {
    let path = match explicit {
        Some(path) => path.to_path_buf(),
        None => {
            let here = PathBuf::from(config::FILE_NAME);
            if !here.is_file() {
                return Ok(None);
            }
            here
        }
    };
    config::load(&path).map(Some).map_err(|error| {
        eprintln!("error: {error}");
        Outcome::Failure
    })
}

/// `--as-of`, else the configuration's `as_of`, else today.
pub(super) fn as_of(argument: Option<&str>, config: Option<&Config>) -> Step<Date> {
    match argument {
        Some(text) => Date::parse(text).map_err(|error| {
            eprintln!("error: invalid --as-of: {error}");
            eprintln!("  help: write the date as YYYY-MM-DD, e.g. `--as-of 2025-06-30`");
            Outcome::Failure
        }),
        None => Ok(config.and_then(|c| c.as_of).unwrap_or_else(Date::today)),
    }
}

/// The rules to read: those on the command line, else the configuration's,
/// else the current folder.
pub(super) fn rule_paths(arguments: &[PathBuf], config: Option<&Config>) -> Vec<PathBuf> {
    match config {
        Some(config) if arguments.is_empty() && !config.rules.is_empty() => config.rules.clone(),
        _ => super::paths_or_here(arguments),
    }
}

/// The data to load: `--data` on the command line, else the configuration's.
pub(super) fn data_sources(
    arguments: &[PathBuf],
    config: Option<&Config>,
) -> Step<Vec<DataSource>> {
    let sources: Vec<DataSource> = if arguments.is_empty() {
        config.map(|c| c.data.clone()).unwrap_or_default()
    } else {
        arguments.iter().map(DataSource::new).collect()
    };
    if sources.is_empty() {
        eprintln!("error: no data files given");
        eprintln!(
            "  help: name them with `--data FILE…` or under `data:` in {}",
            config::FILE_NAME
        );
        return Err(Outcome::Failure);
    }
    // `--data` takes several files, so rules written after it land there.
    if let Some(rules) = sources
        .iter()
        .find(|s| s.path.extension().is_some_and(|e| e == source::EXTENSION))
    {
        eprintln!("error: `{}` is not a data file", rules.path.display());
        eprintln!("  help: give rule files before `--data`: `ontrack check RULES… --data FILE…`");
        return Err(Outcome::Failure);
    }
    if let Some(folder) = sources.iter().find(|s| s.path.is_dir()) {
        eprintln!(
            "error: `{}` is a folder, not a data file",
            folder.path.display()
        );
        eprintln!(
            "  help: `--data` takes files (.csv, .tsv, .yaml, .yml, .json); \
             give rule files and folders before it"
        );
        return Err(Outcome::Failure);
    }
    Ok(sources)
}

/// Finds, reads and checks the rule files; prints every diagnostic and
/// fails if any file has an error or there is no target at all.
pub(super) fn read_rules(paths: &[PathBuf]) -> Step<Vec<RuleSet>> {
    let files = match source::find(paths) {
        Ok(files) if files.is_empty() => {
            super::no_rule_files(paths);
            return Err(Outcome::Failure);
        }
        Ok(files) => files,
        Err(error) => {
            eprintln!("error: {error}");
            return Err(Outcome::Failure);
        }
    };
    let color = stderr_color();
    let mut rules = Vec::with_capacity(files.len());
    let mut failed = false;
    for path in files {
        let file = match source::read(&path) {
            Ok(file) => file,
            Err(error) => {
                eprintln!("error: {error}");
                failed = true;
                continue;
            }
        };
        let linted = source::lint(&file);
        if !linted.diagnostics.is_empty() {
            eprintln!("{}", file.render(&linted.diagnostics, color));
        }
        match linted.file {
            Some(tree) if !linted.has_errors() => rules.push(RuleSet { path, file: tree }),
            _ => failed = true,
        }
    }
    if failed {
        eprintln!("error: the rule files have errors; nothing was evaluated");
        return Err(Outcome::Failure);
    }
    if declared_targets(&rules).is_empty() {
        eprintln!(
            "error: no targets found in {} rule file{}",
            rules.len(),
            plural(rules.len())
        );
        return Err(Outcome::Failure);
    }
    Ok(rules)
}

/// Lets go of loaded data without waiting while it is freed. A large dataset
/// is millions of allocations, most of half a second to free one by one
/// (200,000 series of 40 observations: 0.4 s), and the command ends right
/// after: a thread of its own frees it, and the process does not wait for
/// that thread when it exits.
pub(super) fn release<T: Send + 'static>(value: T) {
    // If no thread can be started, the value is dropped here instead.
    let _ = std::thread::Builder::new().spawn(move || drop(value));
}

/// Loads the data, printing every error and warning as `file:line:col:`.
/// Fails when [`Loaded::is_fatal`] says so, after listing them all.
pub(super) fn load_data(sources: &[DataSource], options: &LoadOptions) -> Step<Loaded> {
    let loaded = load_with_bar(sources, options);
    let color = stderr_color();
    // Every rejected row, like a compiler's message: the line, the field underlined.
    if !loaded.errors.is_empty() {
        eprintln!("{}", data::render_errors(&loaded.errors, color));
    }
    if !loaded.warnings.is_empty() {
        eprintln!("{}", data::render_warnings(&loaded.warnings, color));
    }
    let errors = loaded.errors.len();
    if loaded.is_fatal() {
        eprintln!(
            "error: the data has {errors} error{}; nothing was evaluated",
            plural(errors)
        );
        if !options.skip_bad_rows && loaded.errors.iter().all(|e| e.is_row_error()) {
            eprintln!(
                "  help: `--skip-bad-rows` loads the other rows and reports these as rejected"
            );
        }
        return Err(Outcome::Failure);
    }
    if errors > 0 {
        eprintln!(
            "note: {errors} data error{} skipped (--skip-bad-rows)",
            plural(errors)
        );
    }
    Ok(loaded)
}

/// Loads the data, with a progress bar on standard error when loading takes
/// more than half a second and standard error is a terminal outside CI.
fn load_with_bar(sources: &[DataSource], options: &LoadOptions) -> Loaded {
    use std::io::IsTerminal;
    use std::time::{Duration, Instant};

    use indicatif::{ProgressBar, ProgressStyle};

    let wanted = std::io::stderr().is_terminal()
        && std::env::var_os("CI").is_none()
        && std::env::var("TERM").map_or(true, |t| t != "dumb");
    if !wanted {
        return data::load(sources, options);
    }
    let sizes: Vec<u64> = sources
        .iter()
        .map(|s| std::fs::metadata(&s.path).map_or(0, |m| m.len()))
        .collect();
    let total: u64 = sizes.iter().sum();
    let started = Instant::now();
    let mut bar: Option<ProgressBar> = None;
    let loaded = data::load_with_progress(sources, options, &mut |progress| {
        if bar.is_none() && started.elapsed() > Duration::from_millis(500) {
            let style = ProgressStyle::with_template(
                "loading {msg} {wide_bar} {bytes}/{total_bytes} ({eta})",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar());
            bar = Some(ProgressBar::new(total).with_style(style));
        }
        if let Some(bar) = &bar {
            let before: u64 = sizes[..progress.file].iter().sum();
            bar.set_position(before + progress.bytes_read);
            bar.set_message(sources[progress.file].path.display().to_string());
        }
    });
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    loaded
}

/// A target as its rule file declares it: what `--id` and `--tag` are
/// checked against before anything is evaluated.
pub(super) struct Declared {
    pub id: String,
    pub tags: Vec<String>,
}

/// Every target of the rule files, with the id evaluation gives it
/// (`<file stem>:<line>` when it has none, SPEC section 3).
pub(super) fn declared_targets(rules: &[RuleSet]) -> Vec<Declared> {
    let mut targets = Vec::new();
    for rule_set in rules {
        let stem = rule_set
            .path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        for statement in &rule_set.file.statements {
            let Statement::Target(target) = &statement.node else {
                continue;
            };
            let id = match &target.id {
                Some(id) => id.node.text.clone(),
                None => format!("{stem}:{}", statement.span.line),
            };
            let tags = target
                .attributes
                .iter()
                .filter_map(|a| match &a.node {
                    Attribute::Tags(tags) => Some(tags.iter().map(|t| t.node.text.clone())),
                    _ => None,
                })
                .flatten()
                .collect();
            targets.push(Declared { id, tags });
        }
    }
    targets
}

/// An `--id`: a target id (all its entities) or a full name `id[DIM=value]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct IdPattern {
    pub text: String,
    pub id: String,
    pub entity: Option<(String, String)>,
}

impl IdPattern {
    /// Reads `text` as a plain id if some target has exactly that id (ids
    /// in backticks may contain anything), else as `id[DIM=value]`.
    pub fn parse(text: &str, declared: &[Declared]) -> IdPattern {
        let plain = || IdPattern {
            text: text.to_string(),
            id: text.to_string(),
            entity: None,
        };
        if declared.iter().any(|d| d.id == text) {
            return plain();
        }
        let Some((id, rest)) = text.split_once('[') else {
            return plain();
        };
        match rest.strip_suffix(']').and_then(|e| e.split_once('=')) {
            Some((dimension, value)) => IdPattern {
                text: text.to_string(),
                id: id.to_string(),
                entity: Some((dimension.trim().to_string(), value.trim().to_string())),
            },
            None => plain(),
        }
    }

    /// Whether the result is this target (dimension names match
    /// case-insensitively, values exactly, as in the data).
    pub fn matches(&self, result: &TargetResult) -> bool {
        if result.name == self.text {
            return true;
        }
        if result.id != self.id {
            return false;
        }
        match (&self.entity, &result.entity) {
            (None, _) => true,
            (Some((dim, value)), Some((result_dim, result_value))) => {
                dim.eq_ignore_ascii_case(result_dim) && value == result_value
            }
            (Some(_), None) => false,
        }
    }
}

/// Reads the `--id`s and checks that each names a declared target; an
/// unknown one fails with the nearest ids.
pub(super) fn id_patterns(ids: &[String], declared: &[Declared]) -> Step<Vec<IdPattern>> {
    let patterns: Vec<IdPattern> = ids.iter().map(|t| IdPattern::parse(t, declared)).collect();
    let mut failed = false;
    for pattern in &patterns {
        if declared.iter().any(|d| d.id == pattern.id) {
            continue;
        }
        failed = true;
        eprintln!("error: no target has the id `{}`", pattern.id);
        let nearest = nearest(&pattern.id, declared.iter().map(|d| d.id.as_str()));
        if !nearest.is_empty() {
            eprintln!("  help: the nearest ids are {}", quoted_list(&nearest));
        }
    }
    if failed {
        Err(Outcome::Failure)
    } else {
        Ok(patterns)
    }
}

/// Checks that each `--tag` is on some target.
pub(super) fn check_tags(tags: &[String], declared: &[Declared]) -> Step<()> {
    let mut failed = false;
    for tag in tags {
        if declared.iter().any(|d| d.tags.contains(tag)) {
            continue;
        }
        failed = true;
        eprintln!("error: no target has the tag `{tag}`");
        let mut known: Vec<&str> = declared
            .iter()
            .flat_map(|d| d.tags.iter().map(String::as_str))
            .collect();
        known.sort_unstable();
        known.dedup();
        let nearest = nearest(tag, known.into_iter());
        if !nearest.is_empty() {
            eprintln!("  help: the nearest tags are {}", quoted_list(&nearest));
        }
    }
    if failed {
        Err(Outcome::Failure)
    } else {
        Ok(())
    }
}

/// After evaluation: a full name `id[DIM=value]` must match some result
/// (its id was checked before, its entity can only be checked now).
pub(super) fn check_entities(patterns: &[IdPattern], results: &[TargetResult]) -> Step<()> {
    let mut failed = false;
    for pattern in patterns.iter().filter(|p| p.entity.is_some()) {
        if results.iter().any(|r| pattern.matches(r)) {
            continue;
        }
        failed = true;
        eprintln!("error: no result is named `{}`", pattern.text);
        let names: Vec<&str> = results
            .iter()
            .filter(|r| r.id == pattern.id)
            .map(|r| r.name.as_str())
            .collect();
        let nearest = nearest(&pattern.text, names.into_iter());
        if !nearest.is_empty() {
            eprintln!("  help: the nearest names are {}", quoted_list(&nearest));
        }
    }
    if failed {
        Err(Outcome::Failure)
    } else {
        Ok(())
    }
}

/// Up to three candidates, closest first by edit distance.
fn nearest<'a>(text: &str, candidates: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    let mut scored: Vec<(usize, &str)> = candidates
        .map(|c| (strsim::levenshtein(text, c), c))
        .collect();
    scored.sort();
    scored.dedup_by(|a, b| a.1 == b.1);
    scored.into_iter().take(3).map(|(_, c)| c).collect()
}

fn quoted_list(items: &[&str]) -> String {
    items
        .iter()
        .map(|i| format!("`{i}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
