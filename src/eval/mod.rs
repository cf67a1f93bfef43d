//! Evaluation: checked rule files × a dataset × an as-of date → one result
//! per target (per entity of a `for each` target), SPEC section 4.

mod ir;
mod lint;
mod message;
mod projection;
mod result;
mod target;
mod value;

use std::cell::RefCell;
use std::path::PathBuf;

pub use lint::lint_against;
pub use message::{group_thousands, percent, with_unit};
pub use projection::{DEFAULT_WINDOW_YEARS, Fit, fit, progress};
pub use result::*;
pub use value::{Unit, nearly_equal};

use crate::data::dataset::Dataset;
use crate::data::period::Date;
use crate::syntax::ast::{Attribute, RuleFile, Severity, Statement, Target, TimeClause};
use ir::{FileContext, Lowerer, SeriesUnits};
use target::{Evaluator, LevelText, Verdict, age_in_years};

/// A rule file that parsed and passed the static checks.
#[derive(Clone, Debug)]
pub struct RuleSet {
    pub path: PathBuf,
    pub file: RuleFile,
}

impl RuleSet {
    /// The file's `title`, if it has one.
    pub fn title(&self) -> Option<&str> {
        self.file.statements.iter().find_map(|s| match &s.node {
            Statement::Title(t) => Some(t.node.as_str()),
            _ => None,
        })
    }

    /// The file's `source`, if it has one.
    pub fn source(&self) -> Option<&str> {
        self.file.statements.iter().find_map(|s| match &s.node {
            Statement::Source(t) => Some(t.node.as_str()),
            _ => None,
        })
    }
}

/// How to evaluate.
#[derive(Clone, Debug)]
pub struct EvalOptions {
    /// Observations whose period ends after this date are ignored.
    pub as_of: Date,
    /// Record the derivation of each result (`TargetResult::trace`).
    pub trace: bool,
    /// Keep each result's observation history (`TargetResult::history`), for charts.
    pub history: bool,
}

/// The results of a run, in the order of the rule files and their targets.
#[derive(Clone, Debug)]
pub struct Evaluation {
    pub as_of: Date,
    pub results: Vec<TargetResult>,
}

impl Evaluation {
    /// The number of results with each status, in the order of [`Status::ALL`].
    pub fn summary(&self) -> Vec<(Status, usize)> {
        Status::ALL
            .iter()
            .map(|&status| {
                (
                    status,
                    self.results.iter().filter(|r| r.status == status).count(),
                )
            })
            .collect()
    }
}

/// Evaluates every target of every rule file against the dataset.
pub fn evaluate(rules: &[RuleSet], dataset: &Dataset, options: &EvalOptions) -> Evaluation {
    let mut results = Vec::new();
    evaluate_each(rules, dataset, options, |result| {
        results.push(result);
        Ok::<(), std::convert::Infallible>(())
    })
    .unwrap_or_else(|never| match never {});
    Evaluation {
        as_of: options.as_of,
        results,
    }
}

/// Evaluates every target of every rule file against the dataset and hands
/// each result to `each` as it comes, in the order of [`evaluate`], without
/// keeping any: a run of any size costs the memory of a few targets'
/// results. Targets are evaluated on every core. The first error `each`
/// returns stops the run and is returned.
pub fn evaluate_each<E>(
    rules: &[RuleSet],
    dataset: &Dataset,
    options: &EvalOptions,
    mut each: impl FnMut(TargetResult) -> Result<(), E>,
) -> Result<(), E> {
    evaluate_each_with(rules, dataset, options, Vec::new, Vec::push, |results| {
        results.into_iter().try_for_each(&mut each)
    })
}

/// [`evaluate_each`], with the results of each target gathered into a
/// batch on the worker that evaluated them: `batch` starts one, `add` puts
/// a result into it (a report's rendering of it, say, so that work is done
/// on every core too), and `each` gets the batches in the order of the
/// targets. What a batch holds is freed where `each` drops it: one batch a
/// target, not one piece a result, is handed between threads.
pub fn evaluate_each_with<B: Send, E>(
    rules: &[RuleSet],
    dataset: &Dataset,
    options: &EvalOptions,
    batch: impl Fn() -> B + Sync,
    add: impl Fn(&mut B, TargetResult) + Sync,
    mut each: impl FnMut(B) -> Result<(), E>,
) -> Result<(), E> {
    let contexts: Vec<FileContext<'_>> = rules.iter().map(|r| FileContext::new(&r.file)).collect();
    let files: Vec<FileInfo<'_>> = rules.iter().map(FileInfo::new).collect();
    let mut targets = Vec::new();
    for (index, rule_set) in rules.iter().enumerate() {
        let mut section = None;
        for statement in &rule_set.file.statements {
            match &statement.node {
                Statement::Section(name) => section = Some(name.node.as_str()),
                Statement::Target(target) => {
                    targets.push((index, section, statement.span.line, target))
                }
                _ => {}
            }
        }
    }
    let mut targets = targets.into_iter();
    let mut outcome = Ok(());
    // A target's results are small; targets take unequal time (a `for
    // each` over 200 countries beside a single target), so workers run well
    // ahead of the one awaited.
    crate::parallel::ordered(
        16,
        &mut outcome,
        |_| targets.next(),
        |(index, section, line, target)| {
            let site = Site {
                file: &files[index],
                section,
                line,
            };
            let mut made = batch();
            evaluate_target(
                target,
                &site,
                &contexts[index],
                dataset,
                options,
                &mut |result| add(&mut made, result),
            );
            made
        },
        |outcome, made| match each(made) {
            Ok(()) => crate::parallel::Flow::Continue,
            Err(error) => {
                *outcome = Err(error);
                crate::parallel::Flow::Stop
            }
        },
    );
    outcome
}

/// What a rule file gives every target in it.
struct FileInfo<'r> {
    path: &'r std::path::Path,
    stem: String,
    owner: Option<&'r str>,
    source: Option<&'r str>,
}

impl<'r> FileInfo<'r> {
    fn new(rule_set: &'r RuleSet) -> FileInfo<'r> {
        let owner = rule_set.file.statements.iter().find_map(|s| match &s.node {
            Statement::Owner(t) => Some(t.node.as_str()),
            _ => None,
        });
        FileInfo {
            path: &rule_set.path,
            stem: rule_set
                .path
                .file_stem()
                .map_or_else(String::new, |s| s.to_string_lossy().into_owned()),
            owner,
            source: rule_set.source(),
        }
    }
}

/// Where a target stands: its file, section and line.
struct Site<'a> {
    file: &'a FileInfo<'a>,
    section: Option<&'a str>,
    line: u32,
}

fn evaluate_target(
    target: &Target,
    site: &Site<'_>,
    context: &FileContext<'_>,
    dataset: &Dataset,
    options: &EvalOptions,
    emit: &mut dyn FnMut(TargetResult),
) {
    let id = target.id.as_ref().map_or_else(
        || format!("{}:{}", site.file.stem, site.line),
        |id| id.node.text.clone(),
    );
    let mut template = TargetResult {
        id: id.clone(),
        name: id.clone(),
        entity: None,
        description: target.description.as_ref().map(|d| d.node.clone()),
        file: site.file.path.to_path_buf(),
        line: site.line,
        section: site.section.map(String::from),
        status: Status::NoData,
        severity: Severity::Error,
        deadline: match target.time.as_ref().map(|t| &t.node) {
            Some(TimeClause::By(p) | TimeClause::In(p)) => Some(p.node),
            _ => None,
        },
        values: Vec::new(),
        target: None,
        gap: None,
        progress: None,
        progress_note: None,
        projection: None,
        latest_period: None,
        data_age_years: None,
        failing_periods: Vec::new(),
        message: String::new(),
        trace: Vec::new(),
        history: Vec::new(),
        history_unit: None,
        owner: site.file.owner.map(String::from),
        source: site.file.source.map(String::from),
        quote: None,
        tags: Vec::new(),
    };
    let mut projection = None;
    let mut window_years = projection::DEFAULT_WINDOW_YEARS;
    for attribute in &target.attributes {
        match &attribute.node {
            Attribute::Owner(t) => template.owner = Some(t.node.clone()),
            Attribute::Source(t) => template.source = Some(t.node.clone()),
            Attribute::Quote(t) => template.quote = Some(t.node.clone()),
            Attribute::Note(_) => {}
            Attribute::Tags(tags) => {
                template.tags = tags.iter().map(|t| t.node.text.clone()).collect()
            }
            Attribute::Severity(severity) => template.severity = *severity,
            Attribute::Projection { method, over_years } => {
                projection = Some(*method);
                if let Some(years) = over_years {
                    window_years = years.node.value as u32;
                }
            }
        }
    }
    let time = target.time.as_ref().map(|t| &t.node);
    let units = SeriesUnits::default();
    let levels = LevelText::default();
    let run = |binding: Option<(&str, &str)>| -> (Verdict, Vec<String>) {
        let lowerer = Lowerer::new(context, dataset, binding).with_units(&units);
        let lowered = lowerer.lower(&target.condition.node);
        let trace = RefCell::new(Vec::new());
        let evaluator = Evaluator {
            lowered: &lowered,
            as_of: options.as_of,
            projection,
            window_years,
            trace: options.trace.then_some(&trace),
            history: options.history,
            levels: &levels,
        };
        let verdict = evaluator.evaluate(time);
        (verdict, trace.into_inner())
    };
    let Some(for_each) = &target.for_each else {
        let (verdict, trace) = run(None);
        emit(finish(template, verdict, trace, options));
        return;
    };
    let dimension = for_each.dimension.node.text.as_str();
    let entities: Vec<String> = match &for_each.values {
        Some(values) => values.iter().map(|v| v.node.clone()).collect(),
        None => {
            Lowerer::new(context, dataset, None).entity_values(&target.condition.node, dimension)
        }
    };
    if entities.is_empty() {
        // SPEC 8.5: one result named after the target.
        let (verdict, trace) = run(None);
        let verdict = match verdict.status {
            Status::Error => verdict,
            _ => Verdict::no_entities(dimension),
        };
        emit(finish(template, verdict, trace, options));
        return;
    }
    // Each entity's result names itself.
    template.name = String::new();
    for value in &entities {
        let (verdict, trace) = run(Some((dimension, value.as_str())));
        let mut result = template.clone();
        result.name = entity_name(&id, dimension, value);
        result.entity = Some((dimension.to_string(), value.clone()));
        emit(finish(result, verdict, trace, options));
    }
}

/// `id[dimension=value]`, written at its final length (through `format!`
/// it was a few per cent of evaluating a `for each` target).
fn entity_name(id: &str, dimension: &str, value: &str) -> String {
    let mut name = String::with_capacity(id.len() + dimension.len() + value.len() + 3);
    for part in [id, "[", dimension, "=", value, "]"] {
        name.push_str(part);
    }
    name
}

fn finish(
    mut result: TargetResult,
    verdict: Verdict,
    trace: Vec<String>,
    options: &EvalOptions,
) -> TargetResult {
    result.status = verdict.status;
    result.message = verdict.message;
    result.values = verdict.values;
    result.target = verdict.target;
    result.gap = verdict.gap;
    result.progress = verdict.progress;
    result.progress_note = verdict.progress_note;
    result.projection = verdict.projection;
    result.failing_periods = verdict.failing_periods;
    result.latest_period = verdict.latest_period;
    result.data_age_years = verdict
        .latest_period
        .map(|p| age_in_years(p, options.as_of));
    result.trace = trace;
    result.history = verdict.history;
    result.history_unit = verdict.history_unit;
    result
}
