//! Evaluating one target for one entity: the rules of SPEC section 4 for
//! `by P`, `in P`, `in each period` and no time clause.

use std::cell::RefCell;
use std::fmt::Write as _;

use super::ir::{Lowered, Node, RefUse, shifted};
use super::message::{
    decimals, difference, is_percent, push_percent_change, push_with_unit, with_unit,
};
use super::projection::{Fit, fit, progress};
use super::result::{Gap, Progress, ProjectionInfo, Status, TargetLevel, UsedValue, ValueKind};
use super::value::{Problem, Unit, Value, compare};
use crate::data::dataset::Series;
use crate::data::period::{Date, Frequency, Period};
use crate::data::unit::{display_value, split_at_byte};
use crate::syntax::ast::{BinaryOp, Function, ProjectionMethod, TimeClause};

/// What evaluation decided, before it is dressed as a `TargetResult`.
pub(crate) struct Verdict {
    pub status: Status,
    pub message: String,
    pub values: Vec<UsedValue>,
    pub target: Option<TargetLevel>,
    pub gap: Option<Gap>,
    pub progress: Option<Progress>,
    pub progress_note: Option<String>,
    pub projection: Option<ProjectionInfo>,
    pub failing_periods: Vec<Period>,
    pub latest_period: Option<Period>,
    pub history: Vec<(Period, f64)>,
    pub history_unit: Option<String>,
}

impl Verdict {
    fn problem(problem: Problem) -> Verdict {
        let status = match problem {
            Problem::NoData(_) => Status::NoData,
            Problem::Error(_) => Status::Error,
        };
        Verdict::bare(status, problem.message().to_string())
    }

    /// A `for each` target whose dimension has no values in the data (SPEC 8.5).
    pub fn no_entities(dimension: &str) -> Verdict {
        Verdict::bare(
            Status::NoData,
            format!("no value of `{dimension}` in the series the target refers to"),
        )
    }

    fn bare(status: Status, message: String) -> Verdict {
        Verdict {
            status,
            message,
            values: Vec::new(),
            target: None,
            gap: None,
            progress: None,
            progress_note: None,
            projection: None,
            failing_periods: Vec::new(),
            latest_period: None,
            history: Vec::new(),
            history_unit: None,
        }
    }
}

/// Where un-anchored references take their values.
#[derive(Clone, Copy, Debug, PartialEq)]
enum At {
    /// `by`/`in` step 1: each reference's latest observation up to the deadline.
    Latest,
    /// Each reference at its final period, observed or projected.
    Final,
    /// `in each period`: every reference at this period.
    Exactly(Period),
    /// No time clause: each reference's latest observation.
    Newest,
}

/// An un-anchored reference's position for a `by`/`in` target.
struct Point {
    /// Index of its latest usable observation.
    latest: usize,
    final_period: Period,
    /// The projection to the final period, when it has no final data.
    fit: Option<Result<Fit, String>>,
}

pub(crate) struct Evaluator<'a, 'd> {
    pub lowered: &'a Lowered<'d>,
    pub as_of: Date,
    pub projection: Option<ProjectionMethod>,
    pub window_years: u32,
    pub trace: Option<&'a RefCell<Vec<String>>>,
    /// Fill `Verdict::history`.
    pub history: bool,
    /// The last target level shown, shared by a target's entities.
    pub levels: &'a LevelText,
}

/// The text of the last target level shown: a `for each` target's entities
/// mostly share one level, and writing it is most of the cost of a gap.
#[derive(Default)]
pub(crate) struct LevelText {
    last: RefCell<Option<(u64, i32, String)>>,
}

impl LevelText {
    /// `tidy(display_value(level, shift))`, remembered for the last level.
    fn get(&self, level: f64, shift: i32) -> String {
        let mut last = self.last.borrow_mut();
        match &*last {
            Some((bits, s, text)) if *bits == level.to_bits() && *s == shift => text.clone(),
            _ => {
                let text = tidy(&display_value(level, shift));
                *last = Some((level.to_bits(), shift, text.clone()));
                text
            }
        }
    }
}

struct Run<'e, 'a, 'd> {
    eval: &'e Evaluator<'a, 'd>,
    at: At,
    points: Vec<Option<Point>>,
}

impl<'a, 'd> Evaluator<'a, 'd> {
    fn note(&self, line: impl FnOnce() -> String) {
        if let Some(trace) = self.trace {
            trace.borrow_mut().push(line());
        }
    }

    fn refs(&self) -> &'a [RefUse<'d>] {
        &self.lowered.refs
    }

    /// The references evaluated at a point in time (not anchored, not aggregated).
    fn moving(&self) -> Vec<usize> {
        (0..self.refs().len())
            .filter(|&i| !self.refs()[i].is_anchored() && !self.refs()[i].aggregated)
            .collect()
    }

    /// `REF op VALUE` or `VALUE op REF`, with REF one moving reference and
    /// VALUE free of moving references: (reference, op with REF on the left, VALUE).
    fn simple_form(&self) -> Option<(usize, BinaryOp, &'a Node)> {
        let Node::Binary(op, lhs, rhs) = &self.lowered.root else {
            return None;
        };
        if !op.is_comparison() {
            return None;
        }
        let moving = |node: &Node| matches!(node, Node::Ref(i) if !self.refs()[*i].is_anchored());
        let free = |node: &Node| !mentions_moving(node, self.refs());
        if moving(lhs) && free(rhs) {
            let Node::Ref(i) = **lhs else { return None };
            return Some((i, *op, rhs));
        }
        if moving(rhs) && free(lhs) {
            let Node::Ref(i) = **rhs else { return None };
            return Some((i, flip(*op), lhs));
        }
        None
    }

    pub fn evaluate(&self, time: Option<&TimeClause>) -> Verdict {
        let mut verdict = self.decide(time);
        // For charts: the observations of the reference compared with the
        // level, else of the first one, whatever the status.
        if self.history {
            let subject = self
                .simple_form()
                .map(|(i, ..)| i)
                .into_iter()
                .chain(self.moving())
                .find_map(|i| self.refs()[i].series.as_ref().ok().copied());
            if let Some(series) = subject {
                verdict.history = history_of(series, self.as_of);
                verdict.history_unit = series.unit().map(|u| u.display.clone());
            }
        }
        verdict
    }

    fn decide(&self, time: Option<&TimeClause>) -> Verdict {
        if self.lowered.too_large {
            return Verdict::problem(Problem::Error(format!(
                "the condition is too large once its `let`s are substituted \
                 (more than {} terms, or lets more than 256 deep)",
                super::ir::MAX_NODES
            )));
        }
        // SPEC 8.7: resolution errors, then references matching no series, then
        // unit mismatches, then missing observations, then arithmetic errors.
        for reference in self.refs() {
            match &reference.series {
                Ok(series) => self.note(|| {
                    format!(
                        "`{}` → series {}",
                        reference.text,
                        series_name(series, reference)
                    )
                }),
                Err(problem @ Problem::Error(_)) => return Verdict::problem(problem.clone()),
                Err(Problem::NoData(_)) => {}
            }
        }
        if let Some(Err(problem)) = self
            .refs()
            .iter()
            .map(|r| r.series.as_ref().map(|_| ()))
            .find(|r| r.is_err())
        {
            return Verdict::problem(problem.clone());
        }
        if let Err(message) = unit_of(&self.lowered.root, self.refs()) {
            return Verdict::problem(Problem::Error(message));
        }
        match time {
            Some(TimeClause::By(p)) => self.by_or_in(p.node, true),
            Some(TimeClause::In(p)) => self.by_or_in(p.node, false),
            Some(TimeClause::InEachPeriod { from, to }) => {
                self.each_period(from.as_ref().map(|p| p.node), to.as_ref().map(|p| p.node))
            }
            None => self.newest(),
        }
    }

    fn by_or_in(&self, deadline: Period, early_counts: bool) -> Verdict {
        let limit = deadline.end().min(self.as_of);
        let mut points: Vec<Option<Point>> = self.refs().iter().map(|_| None).collect();
        for i in self.moving() {
            let reference = &self.refs()[i];
            let Ok(series) = &reference.series else {
                continue;
            };
            let Some(latest) = series.latest_index_by(limit) else {
                let later = series.observations().first().map(|(p, _)| *p);
                let reason = match later {
                    Some(p) if p.end() <= self.as_of => format!(", only later ({p} on)"),
                    _ => String::new(),
                };
                return Verdict::problem(Problem::NoData(format!(
                    "no data for `{}` up to {deadline}{reason}",
                    reference.text
                )));
            };
            let final_period = Period::last_ending_by(series.frequency(), deadline.end());
            self.note(|| {
                let (p, _) = series.observations()[latest];
                format!(
                    "`{}`: latest observation up to {deadline} (as of {}): {p} = {}; final period {final_period}",
                    reference.text,
                    self.as_of,
                    series.display(series.observations()[latest].1),
                )
            });
            points[i] = Some(Point {
                latest,
                final_period,
                fit: None,
            });
        }
        let all_final = points.iter().zip(self.refs()).all(|(point, reference)| {
            match (point, &reference.series) {
                (Some(point), Ok(series)) => {
                    series.observations()[point.latest].0 == point.final_period
                }
                _ => true,
            }
        });
        let mut run = Run {
            eval: self,
            at: At::Final,
            points,
        };
        if all_final {
            self.note(|| {
                "every reference has data for its final period: the condition is checked there"
                    .into()
            });
            return run.decide(Some(deadline), Status::Met, Status::Missed);
        }
        if early_counts {
            run.at = At::Latest;
            match run.truth(&self.lowered.root, 0) {
                Ok(true) => {
                    self.note(|| {
                        "the condition already holds on the latest observations: achieved".into()
                    });
                    return run.verdict(Status::Achieved, Some(deadline));
                }
                Ok(false) => self
                    .note(|| "the condition does not hold yet on the latest observations".into()),
                Err(problem) => self.note(|| {
                    format!(
                        "not checked on the latest observations: {}",
                        problem.message()
                    )
                }),
            }
            run.at = At::Final;
        }
        for i in self.moving() {
            let Some(point) = run.points[i].as_mut() else {
                continue;
            };
            let Ok(series) = &self.refs()[i].series else {
                continue;
            };
            if series.observations()[point.latest].0 == point.final_period {
                continue;
            }
            let fitted = fit(
                series.observations(),
                point.latest,
                self.projection,
                self.window_years,
            );
            self.note(|| match &fitted {
                Ok(fit) => format!(
                    "`{}` projected to {} by {} over {}–{}: rate {}, value {}",
                    self.refs()[i].text,
                    point.final_period,
                    fit.method_name(),
                    fit.window[0].0,
                    fit.window[fit.window.len() - 1].0,
                    rate_text(fit),
                    series.display(fit.at(point.final_period)),
                ),
                Err(reason) => format!("`{}` cannot be projected: {reason}", self.refs()[i].text),
            });
            point.fit = Some(fitted);
        }
        run.decide(Some(deadline), Status::OnTrack, Status::OffTrack)
    }

    fn each_period(&self, from: Option<Period>, to: Option<Period>) -> Verdict {
        let moving = self.moving();
        let series: Vec<&Series> = moving
            .iter()
            .filter_map(|&i| self.refs()[i].series.as_ref().ok().copied())
            .collect();
        let Some(first) = series.first() else {
            return Verdict::problem(Problem::NoData(
                "no reference without an anchor: no periods to check".into(),
            ));
        };
        if let Some(other) = series.iter().find(|s| s.frequency() != first.frequency()) {
            return Verdict::problem(Problem::Error(format!(
                "the references have different frequencies ({} and {}): `in each period` needs one",
                first.frequency().name(),
                other.frequency().name()
            )));
        }
        let mut periods: Vec<Period> = first
            .observations()
            .iter()
            .map(|(p, _)| *p)
            .filter(|p| p.end() <= self.as_of)
            .filter(|p| {
                from.is_none_or(|f| p.start() >= f.start()) && to.is_none_or(|t| p.end() <= t.end())
            })
            .collect();
        for other in &series[1..] {
            periods.retain(|p| other.index_of(*p).is_some());
        }
        self.note(|| {
            format!(
                "periods where every reference has data: {}",
                period_list(&periods)
            )
        });
        let mut run = Run {
            eval: self,
            at: At::Newest,
            points: Vec::new(),
        };
        let (mut checked, mut failing) = (Vec::new(), Vec::new());
        for period in &periods {
            run.at = At::Exactly(*period);
            match run.truth(&self.lowered.root, 0) {
                Ok(true) => checked.push(*period),
                Ok(false) => {
                    checked.push(*period);
                    failing.push(*period);
                }
                Err(Problem::NoData(_)) => {}
                Err(problem) => return Verdict::problem(problem),
            }
        }
        let Some(&last) = checked.last() else {
            return Verdict::problem(Problem::NoData(format!(
                "no period with data for every reference{}",
                range_text(from, to)
            )));
        };
        run.at = At::Exactly(failing.first().copied().unwrap_or(last));
        let mut verdict = run.verdict(
            if failing.is_empty() {
                Status::Met
            } else {
                Status::Missed
            },
            None,
        );
        verdict.message = if failing.is_empty() && checked.len() == 1 {
            format!("holds in {last}, the only period with data")
        } else if failing.is_empty() {
            format!(
                "holds in all {} periods from {} to {last}",
                checked.len(),
                checked[0]
            )
        } else {
            format!(
                "fails in {} of {} periods: {} ({})",
                failing.len(),
                checked.len(),
                period_list(&failing),
                verdict.message
            )
        };
        self.note(|| {
            format!(
                "checked {} periods, {} failing",
                checked.len(),
                failing.len()
            )
        });
        verdict.failing_periods = failing;
        verdict
    }

    fn newest(&self) -> Verdict {
        for i in self.moving() {
            let reference = &self.refs()[i];
            if let Ok(series) = &reference.series
                && series.latest_index_by(self.as_of).is_none()
            {
                return Verdict::problem(Problem::NoData(format!(
                    "no data for `{}` up to {}",
                    reference.text, self.as_of
                )));
            }
        }
        let run = Run {
            eval: self,
            at: At::Newest,
            points: Vec::new(),
        };
        run.decide(None, Status::Met, Status::Missed)
    }
}

impl Run<'_, '_, '_> {
    fn refs(&self) -> &[RefUse<'_>] {
        self.eval.refs()
    }

    /// `yes` or `no` (met/missed, on/off track) as the condition holds at
    /// this run's point.
    fn decide(&self, deadline: Option<Period>, yes: Status, no: Status) -> Verdict {
        match self.truth(&self.eval.lowered.root, 0) {
            Ok(holds) => {
                let status = if holds { yes } else { no };
                self.eval.note(|| {
                    format!(
                        "the condition {}: {status}",
                        if holds { "holds" } else { "does not hold" }
                    )
                });
                self.verdict(status, deadline)
            }
            Err(problem) => {
                self.eval.note(|| {
                    format!(
                        "{}: {}",
                        Verdict::problem(problem.clone()).status,
                        problem.message()
                    )
                });
                Verdict::problem(problem)
            }
        }
    }

    /// The verdict with the values, target level, gap and message at this run's point.
    fn verdict(&self, status: Status, deadline: Option<Period>) -> Verdict {
        let mut verdict = Verdict::bare(status, String::new());
        for (i, reference) in self.refs().iter().enumerate() {
            if reference.aggregated {
                continue;
            }
            if let Ok(used) = self.used_value(i, reference) {
                verdict.values.push(used);
            }
        }
        verdict.latest_period = verdict
            .values
            .iter()
            .map(|v| v.projected_from.unwrap_or(v.period))
            .max_by(|a, b| a.cmp_by_end(b));
        // The projection of the first projected reference.
        for point in &self.points {
            if let Some(Point {
                fit: Some(Ok(fit)), ..
            }) = point
            {
                verdict.projection = Some(ProjectionInfo {
                    method: fit.method_name().to_string(),
                    window: fit.window.iter().map(|(p, _)| *p).collect(),
                    rate: fit.rate,
                });
                break;
            }
        }
        if let Some((i, op, target_node)) = self.eval.simple_form() {
            self.level(&mut verdict, i, op, target_node, status);
        }
        // The message starts with when its values are from: written first,
        // the rest after it.
        let mut message = String::with_capacity(96);
        match (self.at, deadline) {
            (At::Final, Some(d)) if matches!(status, Status::OnTrack | Status::OffTrack) => {
                let final_period = verdict
                    .values
                    .iter()
                    .find(|v| v.kind == ValueKind::Projected)
                    .map_or(d, |v| v.period);
                let _ = write!(message, "{final_period} projected");
                if d.end() < self.eval.as_of {
                    let _ = write!(message, " ({d} data not yet in the dataset)");
                }
            }
            _ => {
                if let Some(v) = verdict.values.first() {
                    let _ = write!(message, "{}", v.period);
                }
            }
        }
        let when_given = !message.is_empty();
        verdict.message = match (&verdict.target, &verdict.gap, verdict.values.first()) {
            (Some(target), Some(gap), Some(value)) => {
                let words = gap_words(&target.op, gap.absolute);
                let percent = value.unit.as_deref().filter(|u| is_percent(u));
                // `{when}: {shown}, {already}{gap}{points} {words} {target}{relative}{deadline}`,
                // or `… {already}equal to {target}{deadline}`, written piece by
                // piece: this runs for every result.
                message.push_str(": ");
                push_with_unit(&mut message, &value.display, value.unit.as_deref());
                message.push_str(", ");
                if status == Status::Achieved {
                    message.push_str("already ");
                }
                // The target level without its unit, but for a percentage.
                let target_shown = |message: &mut String| {
                    push_with_unit(message, &target.display, percent);
                };
                if gap.absolute == 0.0 || words.is_empty() {
                    message.push_str("equal to ");
                    target_shown(&mut message);
                } else {
                    message.push_str(&gap.display);
                    // A difference of percentages is in percentage points.
                    if percent.is_some() {
                        message.push_str(" points");
                    }
                    message.push(' ');
                    message.push_str(words);
                    message.push(' ');
                    target_shown(&mut message);
                    if let Some(relative) = gap.relative {
                        message.push_str(" (");
                        push_percent_change(&mut message, relative);
                        message.push(')');
                    }
                }
                if let (Status::Achieved, Some(d)) = (status, deadline) {
                    let _ = write!(message, " (deadline {d})");
                }
                message
            }
            _ => {
                let holds = matches!(status, Status::Met | Status::Achieved | Status::OnTrack);
                let values: Vec<String> = verdict
                    .values
                    .iter()
                    .map(|v| {
                        format!(
                            "{} {}",
                            v.reference,
                            with_unit(&v.display, v.unit.as_deref())
                        )
                    })
                    .collect();
                let verb = if holds { "holds" } else { "does not hold" };
                if when_given {
                    message.push_str(": ");
                }
                let _ = write!(message, "the condition {verb}");
                if !values.is_empty() {
                    let _ = write!(message, " ({})", values.join(", "));
                }
                message
            }
        };
        verdict
    }

    /// The target level, gap and progress of a `REF op VALUE` target.
    fn level(
        &self,
        verdict: &mut Verdict,
        i: usize,
        op: BinaryOp,
        target_node: &Node,
        status: Status,
    ) {
        let Ok(target) = self.value(target_node, 0) else {
            return;
        };
        let Ok(series) = &self.refs()[i].series else {
            return;
        };
        let Some(used) = verdict
            .values
            .iter()
            .find(|v| v.reference == self.refs()[i].text)
        else {
            return;
        };
        let factor = self.refs()[i].factor;
        let shift = series.unit().map_or(0, |u| u.shift);
        // A computed level (`1.4 * x@2023`) carries binary noise: 12
        // significant digits are more than any statistic is written with.
        let target_display = self.eval.levels.get(target.number / factor, shift);
        let value_display_number: f64 = used.display.parse().unwrap_or(used.value / factor);
        let target_display_number: f64 = target_display.parse().unwrap_or(target.number / factor);
        let places = decimals(&used.display).max(decimals(&target_display));
        let gap_display_number = value_display_number - target_display_number;
        let gap_absolute = used.value - target.number;
        verdict.gap = Some(Gap {
            absolute: gap_absolute,
            display: difference(gap_display_number, places),
            relative: (target.number != 0.0).then(|| gap_absolute / target.number.abs()),
        });
        verdict.target = Some(TargetLevel {
            op: op.symbol().to_string(),
            value: target.number,
            display: target_display,
            unit: series.unit().map(|u| u.display.clone()),
        });
        if !matches!(status, Status::OnTrack | Status::OffTrack)
            || !matches!(
                op,
                BinaryOp::Ge | BinaryOp::Gt | BinaryOp::Le | BinaryOp::Lt
            )
        {
            return;
        }
        let Some(Some(Point {
            fit: Some(Ok(fit)),
            final_period,
            ..
        })) = self.points.get(i)
        else {
            return;
        };
        // The fit is on the series' own values; the target is in canonical units.
        let level = target.number / factor;
        match progress(fit, level, *final_period, |v| compare(op, v, level)) {
            Ok(assessment) => verdict.progress = Some(assessment),
            Err(reason) => verdict.progress_note = Some(reason),
        }
    }

    fn used_value(&self, i: usize, reference: &RefUse<'_>) -> Result<UsedValue, Problem> {
        let series = reference.series.as_ref().map_err(Clone::clone)?;
        let (period, value, kind, from) = self.ref_value(i, 0)?;
        let written = series.display(value / reference.factor);
        // A projection is shown with the precision the data is written with.
        let display = match kind {
            ValueKind::Observed => written,
            ValueKind::Projected => {
                let places = series.most_display_decimals();
                written
                    .parse::<f64>()
                    .map_or(written, |v| format!("{v:.places$}"))
            }
        };
        Ok(UsedValue {
            reference: reference.text.clone(),
            series: series_name(series, reference),
            period,
            value,
            display,
            unit: series.unit().map(|u| u.display.clone()),
            kind,
            projected_from: from,
        })
    }

    fn truth(&self, node: &Node, shift: u32) -> Result<bool, Problem> {
        match node {
            Node::Not(inner) => self.truth(inner, shift).map(|b| !b),
            Node::Binary(op @ (BinaryOp::And | BinaryOp::Or), lhs, rhs) => {
                // No short-circuit: a reference without data anywhere makes it no_data.
                let (a, b) = both(self.truth(lhs, shift), self.truth(rhs, shift))?;
                Ok(if *op == BinaryOp::And { a && b } else { a || b })
            }
            Node::Binary(op, lhs, rhs) if op.is_comparison() => {
                let (a, b) = both(self.value(lhs, shift), self.value(rhs, shift))?;
                Ok(compare(*op, a.number, b.number))
            }
            _ => Err(Problem::Error(
                "a value stands where a condition is needed".into(),
            )),
        }
    }

    fn value(&self, node: &Node, shift: u32) -> Result<Value, Problem> {
        match node {
            Node::Number { value, unit, .. } => Ok(Value {
                number: *value,
                unit: unit.clone(),
            }),
            Node::Ref(i) => {
                let (_, number, _, _) = self.ref_value(*i, shift)?;
                Ok(Value {
                    number,
                    unit: self.refs()[*i].unit.clone(),
                })
            }
            Node::Neg(inner) => self.value(inner, shift).map(|v| Value {
                number: -v.number,
                ..v
            }),
            Node::Call(function, args) => self.call(*function, args, shift),
            Node::Binary(op, lhs, rhs) if !op.is_comparison() && !op.is_logical() => {
                let (a, b) = both(self.value(lhs, shift), self.value(rhs, shift))?;
                let number = match op {
                    BinaryOp::Add => a.number + b.number,
                    BinaryOp::Sub => a.number - b.number,
                    BinaryOp::Mul => a.number * b.number,
                    BinaryOp::Div if b.number == 0.0 => {
                        return Err(Problem::Error("division by zero".into()));
                    }
                    BinaryOp::Div => a.number / b.number,
                    _ => a.number.powf(b.number),
                };
                let unit = match op {
                    BinaryOp::Mul => a.unit.times(&b.unit),
                    BinaryOp::Div => a.unit.per(&b.unit),
                    BinaryOp::Pow => a.unit.clone(),
                    _ => a.unit.unify(&b.unit).unwrap_or(a.unit.clone()),
                };
                finite(Value { number, unit })
            }
            _ => Err(Problem::Error(
                "a condition stands where a value is needed".into(),
            )),
        }
    }

    fn call(&self, function: Function, args: &[Node], shift: u32) -> Result<Value, Problem> {
        match (function, args) {
            (Function::Abs, [e]) => self.value(e, shift).map(|v| Value {
                number: v.number.abs(),
                ..v
            }),
            (Function::Growth, [a, b]) => {
                let (a, b) = both(self.value(a, shift), self.value(b, shift))?;
                growth(a, b)
            }
            (Function::Yoy, [e]) => {
                let (now, before) = both(self.value(e, shift), self.value(e, shift + 1))?;
                growth(now, before)
            }
            (aggregate, [Node::Ref(i)]) if aggregate.is_aggregate() => {
                self.aggregate(aggregate, *i, shift)
            }
            _ => Err(Problem::Error(format!(
                "`{}` cannot take these arguments",
                function.name()
            ))),
        }
    }

    /// An aggregate over the observations an anchor selects (SPEC section 3, 8.3).
    fn aggregate(&self, function: Function, i: usize, shift: u32) -> Result<Value, Problem> {
        let reference = &self.refs()[i];
        let series = reference.series.as_ref().map_err(Clone::clone)?;
        let (start, end) = match reference.anchor {
            Some(crate::syntax::ast::Anchor::Period(p)) => {
                let p = shifted(p, shift);
                (p.start(), p.end())
            }
            Some(crate::syntax::ast::Anchor::Range(a, b)) => {
                (shifted(a, shift).start(), shifted(b, shift).end())
            }
            None => {
                return Err(Problem::Error(format!(
                    "the argument of `{}` needs a period anchor: `{}`",
                    function.name(),
                    reference.text
                )));
            }
        };
        let expected = periods_within(series.frequency(), start, end);
        let present: Vec<(Period, f64)> = series
            .observations()
            .iter()
            .filter(|(p, _)| p.start() >= start && p.end() <= end && p.end() <= self.eval.as_of)
            .map(|(p, v)| (*p, v * reference.factor))
            .collect();
        let unit = if function == Function::Count {
            Unit::Free
        } else {
            reference.unit.clone()
        };
        if function == Function::Count {
            return Ok(Value {
                number: present.len() as f64,
                unit,
            });
        }
        if expected.is_empty() {
            return Err(Problem::NoData(format!(
                "`{}` spans no whole {} period of the series",
                reference.text,
                series.frequency().name()
            )));
        }
        let number = match function {
            Function::Sum | Function::Mean => {
                let missing: Vec<Period> = expected
                    .iter()
                    .filter(|p| !present.iter().any(|(q, _)| q == *p))
                    .copied()
                    .collect();
                if !missing.is_empty() {
                    return Err(Problem::NoData(format!(
                        "`{}({})` needs every period: {} missing",
                        function.name(),
                        reference.text,
                        period_list(&missing)
                    )));
                }
                let sum: f64 = present.iter().map(|(_, v)| v).sum();
                if function == Function::Sum {
                    sum
                } else {
                    sum / present.len() as f64
                }
            }
            _ if present.is_empty() => {
                return Err(Problem::NoData(format!(
                    "no observation of `{}` in its span",
                    reference.text
                )));
            }
            Function::Min => present
                .iter()
                .map(|(_, v)| *v)
                .fold(f64::INFINITY, f64::min),
            Function::Max => present
                .iter()
                .map(|(_, v)| *v)
                .fold(f64::NEG_INFINITY, f64::max),
            Function::First => present[0].1,
            _ => present[present.len() - 1].1,
        };
        Ok(Value { number, unit })
    }

    /// A reference's value at this run's point, `shift` years earlier:
    /// (period, value in canonical base units, observed or projected, projected from).
    fn ref_value(
        &self,
        i: usize,
        shift: u32,
    ) -> Result<(Period, f64, ValueKind, Option<Period>), Problem> {
        let reference = &self.refs()[i];
        let series = reference.series.as_ref().map_err(Clone::clone)?;
        let observed =
            |period: Period| -> Result<(Period, f64, ValueKind, Option<Period>), Problem> {
                self.observed(reference, series, period)
                    .map(|v| (period, v, ValueKind::Observed, None))
            };
        if let Some(anchor) = reference.anchor {
            return match anchor {
                crate::syntax::ast::Anchor::Period(p) => observed(shifted(p, shift)),
                crate::syntax::ast::Anchor::Range(..) => Err(Problem::Error(format!(
                    "`{}`: a period range needs an aggregate such as `sum`",
                    reference.text
                ))),
            };
        }
        let observations = series.observations();
        match self.at {
            At::Exactly(period) => observed(shifted(period, shift)),
            At::Newest => {
                let latest = series.latest_index_by(self.eval.as_of).ok_or_else(|| {
                    Problem::NoData(format!(
                        "no data for `{}` up to {}",
                        reference.text, self.eval.as_of
                    ))
                })?;
                observed(shifted(observations[latest].0, shift))
            }
            At::Latest => {
                let point = self.point(i)?;
                observed(shifted(observations[point.latest].0, shift))
            }
            At::Final => {
                let point = self.point(i)?;
                let target = shifted(point.final_period, shift);
                let has_final = observations[point.latest].0 == point.final_period;
                if has_final
                    || shift > 0
                        && series
                            .index_of(target)
                            .is_some_and(|j| observations[j].0.end() <= self.eval.as_of)
                {
                    return observed(target);
                }
                if has_final {
                    return Err(Problem::NoData(format!(
                        "no data for `{}` in {target}",
                        reference.text
                    )));
                }
                match &point.fit {
                    Some(Ok(fit)) => {
                        let value = fit.at(target) * reference.factor;
                        finite(Value {
                            number: value,
                            unit: Unit::Free,
                        })
                        .map(|_| {
                            (
                                target,
                                value,
                                ValueKind::Projected,
                                Some(observations[point.latest].0),
                            )
                        })
                    }
                    Some(Err(reason)) => {
                        Err(Problem::NoData(format!("`{}`: {reason}", reference.text)))
                    }
                    None => Err(Problem::NoData(format!(
                        "no data for `{}` in {target}",
                        reference.text
                    ))),
                }
            }
        }
    }

    fn point(&self, i: usize) -> Result<&Point, Problem> {
        self.points
            .get(i)
            .and_then(Option::as_ref)
            .ok_or_else(|| Problem::NoData(format!("no data for `{}`", self.refs()[i].text)))
    }

    /// The observation of a period, in canonical base units (SPEC 8.3: an
    /// anchor finer than the series selects nothing; a coarser one is an error
    /// outside an aggregate).
    fn observed(
        &self,
        reference: &RefUse<'_>,
        series: &Series,
        period: Period,
    ) -> Result<f64, Problem> {
        if period.frequency() != series.frequency() {
            if period.frequency() < series.frequency() {
                return Err(Problem::Error(format!(
                    "`{}` selects several {} observations: use `sum`, `mean`, `min`, `max`, `first`, `last` or `count`",
                    reference.text,
                    series.frequency().name()
                )));
            }
            return Err(Problem::NoData(format!(
                "`{}`: {period} is finer than the series' {} periods",
                reference.text,
                series.frequency().name()
            )));
        }
        if period.end() > self.eval.as_of {
            return Err(Problem::NoData(format!(
                "no data for `{}` in {period} as of {}",
                reference.text, self.eval.as_of
            )));
        }
        series
            .value_at(period)
            .map(|v| v * reference.factor)
            .ok_or_else(|| Problem::NoData(format!("no data for `{}` in {period}", reference.text)))
    }
}

/// The unit of a node, or why the units do not fit (SPEC section 3 "Units").
pub(crate) fn unit_of(node: &Node, refs: &[RefUse<'_>]) -> Result<Unit, String> {
    match node {
        Node::Number { unit, .. } => Ok(unit.clone()),
        Node::Ref(i) => Ok(refs[*i].unit.clone()),
        Node::Neg(inner) => unit_of(inner, refs),
        Node::Not(inner) => unit_of(inner, refs).map(|_| Unit::Free),
        Node::Call(function, args) => {
            let units = args
                .iter()
                .map(|a| unit_of(a, refs))
                .collect::<Result<Vec<_>, _>>()?;
            match function {
                Function::Count => Ok(Unit::Free),
                Function::Growth | Function::Yoy => {
                    if let [a, b] = units.as_slice()
                        && a.unify(b).is_none()
                    {
                        return Err(format!(
                            "`growth` compares values in the same unit, found {a} and {b}"
                        ));
                    }
                    Ok(Unit::dimensionless())
                }
                _ => Ok(units.into_iter().next().unwrap_or(Unit::Free)),
            }
        }
        Node::Binary(op, lhs, rhs) => {
            let (a, b) = (unit_of(lhs, refs)?, unit_of(rhs, refs)?);
            match op {
                BinaryOp::And | BinaryOp::Or => Ok(Unit::Free),
                BinaryOp::Mul => Ok(a.times(&b)),
                BinaryOp::Div => Ok(a.per(&b)),
                BinaryOp::Pow => {
                    if !a.is_dimensionless_or_free() || !b.is_dimensionless_or_free() {
                        return Err(format!(
                            "`^` needs numbers without a unit, found {a} and {b}"
                        ));
                    }
                    Ok(a)
                }
                _ => {
                    let verb = if op.is_comparison() {
                        "compare"
                    } else {
                        "add or subtract"
                    };
                    a.unify(&b)
                        .ok_or_else(|| format!("cannot {verb} {a} and {b}"))
                }
            }
        }
    }
}

fn mentions_moving(node: &Node, refs: &[RefUse<'_>]) -> bool {
    match node {
        Node::Number { .. } => false,
        Node::Ref(i) => !refs[*i].is_anchored() && !refs[*i].aggregated,
        Node::Neg(inner) | Node::Not(inner) => mentions_moving(inner, refs),
        Node::Call(_, args) => args.iter().any(|a| mentions_moving(a, refs)),
        Node::Binary(_, lhs, rhs) => mentions_moving(lhs, refs) || mentions_moving(rhs, refs),
    }
}

/// Both results, or the problem that wins: missing data before arithmetic errors.
fn both<A, B>(a: Result<A, Problem>, b: Result<B, Problem>) -> Result<(A, B), Problem> {
    match (a, b) {
        (Ok(a), Ok(b)) => Ok((a, b)),
        (Err(p @ Problem::NoData(_)), _) | (_, Err(p @ Problem::NoData(_))) => Err(p),
        (Err(p), _) | (_, Err(p)) => Err(p),
    }
}

fn growth(a: Value, b: Value) -> Result<Value, Problem> {
    if b.number == 0.0 {
        return Err(Problem::Error("division by zero in `growth`".into()));
    }
    finite(Value {
        number: a.number / b.number - 1.0,
        unit: Unit::dimensionless(),
    })
}

fn finite(value: Value) -> Result<Value, Problem> {
    if value.number.is_finite() {
        Ok(value)
    } else {
        Err(Problem::Error("the result is not a finite number".into()))
    }
}

fn flip(op: BinaryOp) -> BinaryOp {
    match op {
        BinaryOp::Ge => BinaryOp::Le,
        BinaryOp::Gt => BinaryOp::Lt,
        BinaryOp::Le => BinaryOp::Ge,
        BinaryOp::Lt => BinaryOp::Gt,
        other => other,
    }
}

/// How a gap reads for an operator: `short of 160,000`, `above 160,000`.
fn gap_words(op: &str, gap: f64) -> &'static str {
    match (op, gap < 0.0) {
        (">=" | ">", true) => "short of",
        ("<=" | "<", false) if gap > 0.0 => "over",
        (_, true) => "below",
        _ if gap > 0.0 => "above",
        _ => "",
    }
}

fn series_name(series: &Series, reference: &RefUse<'_>) -> String {
    let unit = series.unit().map(|u| u.display.as_str());
    let mut name = String::with_capacity(reference.label.len() + unit.map_or(0, |u| u.len() + 3));
    name.push_str(&reference.label);
    if let Some(unit) = unit {
        name.push_str(" (");
        name.push_str(unit);
        name.push(')');
    }
    name
}

fn rate_text(fit: &Fit) -> String {
    match fit.method {
        ProjectionMethod::Cagr => format!("{:.2}%/year", fit.rate * 100.0),
        _ => format!("{}/year", fit.rate),
    }
}

fn period_list(periods: &[Period]) -> String {
    const SHOWN: usize = 10;
    let mut items: Vec<String> = periods.iter().take(SHOWN).map(|p| p.to_string()).collect();
    if periods.len() > SHOWN {
        items.push(format!("and {} more", periods.len() - SHOWN));
    }
    if items.is_empty() {
        "none".to_string()
    } else {
        items.join(", ")
    }
}

fn range_text(from: Option<Period>, to: Option<Period>) -> String {
    match (from, to) {
        (Some(f), Some(t)) => format!(" from {f} to {t}"),
        (Some(f), None) => format!(" from {f}"),
        (None, Some(t)) => format!(" up to {t}"),
        (None, None) => String::new(),
    }
}

/// Every period of a frequency that lies wholly within `start..=end`.
fn periods_within(frequency: Frequency, start: Date, end: Date) -> Vec<Period> {
    let mut periods = Vec::new();
    let mut period = containing(frequency, start);
    if period.start() < start {
        period = next(period);
    }
    while period.end() <= end && periods.len() <= 100_000 {
        periods.push(period);
        period = next(period);
    }
    periods
}

fn containing(frequency: Frequency, date: Date) -> Period {
    match frequency {
        Frequency::Year => Period::Year(date.year()),
        Frequency::Quarter => Period::Quarter(date.year(), (date.month() - 1) / 3 + 1),
        Frequency::Month => Period::Month(date.year(), date.month()),
        Frequency::Day => Period::Day(date),
    }
}

fn next(period: Period) -> Period {
    match period {
        Period::Year(y) => Period::Year(y + 1),
        Period::Quarter(y, 4) => Period::Quarter(y + 1, 1),
        Period::Quarter(y, q) => Period::Quarter(y, q + 1),
        Period::Month(y, 12) => Period::Month(y + 1, 1),
        Period::Month(y, m) => Period::Month(y, m + 1),
        Period::Day(d) => Period::Day(Date::from_days_since_epoch(d.days_since_epoch() + 1)),
    }
}

/// How many years before `as_of` a period ends.
pub(crate) fn age_in_years(period: Period, as_of: Date) -> f64 {
    (as_of.days_since_epoch() - period.end().days_since_epoch()) as f64 / 365.25
}

/// A number rounded to 12 significant digits, without trailing zeros.
fn tidy(text: &str) -> String {
    // The shortest text of a double (what `display_value` gives) with 12
    // significant digits or fewer is already rounded: rounding the double
    // to 12 digits gives back those digits. (Not so past 15 integer
    // digits, where the rounded text spells out the double's exact value,
    // nor past 17 decimals, where rounding stops.)
    let digits = text
        .trim_start_matches(['-', '0', '.'])
        .trim_end_matches(['0', '.']);
    let (integer, fraction) = split_at_byte(text, b'.').unwrap_or((text, ""));
    if !text.contains(['e', 'E'])
        && integer.len() <= 15
        && fraction.len() <= 17
        && digits.bytes().filter(u8::is_ascii_digit).count() <= 12
    {
        return text.to_string();
    }
    rounded_to_12_digits(text)
}

/// `tidy` the long way: the number parsed, rounded to 12 significant
/// digits, and its trailing zeros dropped.
fn rounded_to_12_digits(text: &str) -> String {
    let Ok(value) = text.parse::<f64>() else {
        return text.to_string();
    };
    if value == 0.0 || !value.is_finite() || text.contains(['e', 'E']) {
        return text.to_string();
    }
    let magnitude = value.abs().log10().floor() as i32;
    let places = (11 - magnitude).clamp(0, 17) as usize;
    let rounded = format!("{value:.places$}");
    if rounded.contains('.') {
        rounded
            .trim_end_matches('0')
            .trim_end_matches('.')
            .to_string()
    } else {
        rounded
    }
}

/// A series' observations up to the as-of date, as values in its display unit.
fn history_of(series: &Series, as_of: Date) -> Vec<(Period, f64)> {
    series
        .observations()
        .iter()
        .filter(|(p, _)| p.end() <= as_of)
        .map(|(p, v)| (*p, series.display(*v).parse().unwrap_or(*v)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The shortcut of `tidy` for short texts gives what rounding gives.
        #[test]
        fn tidy_keeps_a_text_rounding_would_not_change(
            mantissa in -999_999_999_999i64..=999_999_999_999,
            exponent in -15i32..=20,
            shift in -6i32..=6,
        ) {
            let value: f64 = format!("{mantissa}e{exponent}").parse().unwrap();
            let text = crate::data::unit::display_value(value, shift);
            let expected = rounded_to_12_digits(&text);
            prop_assert_eq!(tidy(&text), expected);
        }
    }
}
