//! `ontrack lint --data`: what can be known about a rule file from the data
//! without evaluating it. Every reference is resolved (unknown indicators,
//! ambiguous references and selectors on missing dimensions are errors),
//! units are checked, and likely slips are warned about: a percentage
//! compared with an indicator that has no unit, a bare number that looks off
//! by the data's scale (`cars >= 160000` against `thousand units` data), a
//! deadline finer than the data's periods.

use super::RuleSet;
use super::ir::{FileContext, Lowerer, Node, RefUse, single_reference};
use super::target::unit_of;
use super::value::{Problem, Unit};
use crate::data::dataset::Dataset;
use crate::data::period::Period;
use crate::diagnostic::Diagnostic;
use crate::syntax::ast::{Statement, Target, TimeClause};

/// Diagnostics about a rule file against a dataset.
pub fn lint_against(rules: &RuleSet, dataset: &Dataset) -> Vec<Diagnostic> {
    let context = FileContext::new(&rules.file);
    let mut diagnostics = Vec::new();
    for statement in &rules.file.statements {
        if let Statement::Target(target) = &statement.node {
            lint_target(target, &context, dataset, &mut diagnostics);
        }
    }
    diagnostics.sort_by_key(|d| (d.span.start, d.level));
    diagnostics.dedup();
    diagnostics
}

fn lint_target(
    target: &Target,
    context: &FileContext<'_>,
    dataset: &Dataset,
    out: &mut Vec<Diagnostic>,
) {
    // A `for each` target is checked for its first entity: resolution is the
    // same for all of them but for the value of the dimension.
    let dimension = target
        .for_each
        .as_ref()
        .map(|f| f.dimension.node.text.as_str());
    let first_value = target.for_each.as_ref().and_then(|f| match &f.values {
        Some(values) => values.first().map(|v| v.node.clone()),
        None => dimension.and_then(|d| {
            let lowerer = Lowerer::new(context, dataset, None);
            lowerer
                .entity_values(&target.condition.node, d)
                .into_iter()
                .next()
        }),
    });
    let binding = dimension.zip(first_value.as_deref());
    let lowered = Lowerer::new(context, dataset, binding).lower(&target.condition.node);
    let mut resolved = true;
    for reference in &lowered.refs {
        if let Err(Problem::Error(message)) = &reference.series {
            out.push(Diagnostic::error(message.clone(), reference.span));
            resolved = false;
        }
    }
    if !resolved {
        return;
    }
    if let Err(message) = unit_of(&lowered.root, &lowered.refs) {
        out.push(Diagnostic::error(message, target.condition.span));
    }
    comparisons(&lowered.root, &lowered.refs, out);
    if let Some(time) = &target.time
        && let TimeClause::By(p) | TimeClause::In(p) = &time.node
    {
        for reference in lowered.refs.iter().filter(|r| !r.is_anchored()) {
            let Ok(series) = &reference.series else {
                continue;
            };
            let final_period = Period::last_ending_by(series.frequency(), p.node.end());
            if final_period.end() != p.node.end() {
                out.push(
                    Diagnostic::warning(
                        format!(
                            "`{}` on {} data: the last whole period by then is {final_period}",
                            p.node,
                            series.frequency().name()
                        ),
                        p.span,
                    )
                    .with_help(Some(format!("write `{}` to name it", final_period))),
                );
            }
        }
    }
}

/// Warnings about the two sides of each comparison.
fn comparisons(node: &Node, refs: &[RefUse<'_>], out: &mut Vec<Diagnostic>) {
    match node {
        Node::Binary(op, lhs, rhs) if op.is_comparison() => {
            for (side, other) in [(lhs, rhs), (rhs, lhs)] {
                let Some(i) = single_reference(side) else {
                    continue;
                };
                let reference = &refs[i];
                let Ok(series) = &reference.series else {
                    continue;
                };
                match strip_negation(other) {
                    Node::Number { percent: true, .. } if reference.unit == Unit::Free => out.push(
                        Diagnostic::warning(
                            format!(
                                "a percentage compared with `{}`, which has no unit in the data",
                                reference.text
                            ),
                            reference.span,
                        )
                        .with_help(Some(
                            "if its values are percentages, give the data a `%` unit",
                        )),
                    ),
                    Node::Number {
                        bare: Some(digits), ..
                    } => {
                        let shift = series.unit().map_or(0, |u| u.shift);
                        let written: f64 = digits.parse().unwrap_or(0.0);
                        let largest = series
                            .observations()
                            .iter()
                            .map(|(_, v)| v.abs())
                            .fold(0.0, f64::max);
                        let scale = 10f64.powi(shift);
                        // `160000` against thousand units: read as 160 million, far above the data.
                        if shift >= 3 && written >= scale && written * scale > 100.0 * largest {
                            let unit = series.unit().map_or(String::new(), |u| u.display.clone());
                            out.push(
                                Diagnostic::warning(
                                    format!(
                                        "`{digits}` is read in the data's unit, `{unit}`: {} in base units",
                                        crate::eval::group_thousands(&(written * scale).to_string())
                                    ),
                                    reference.span,
                                )
                                .with_help(Some(format!(
                                    "write `{} {}` or give the number its unit",
                                    written / scale,
                                    unit
                                ))),
                            );
                        }
                    }
                    _ => {}
                }
            }
            comparisons(lhs, refs, out);
            comparisons(rhs, refs, out);
        }
        Node::Binary(_, lhs, rhs) => {
            comparisons(lhs, refs, out);
            comparisons(rhs, refs, out);
        }
        Node::Neg(inner) | Node::Not(inner) => comparisons(inner, refs, out),
        Node::Call(_, args) => args.iter().for_each(|a| comparisons(a, refs, out)),
        Node::Number { .. } | Node::Ref(_) => {}
    }
}

fn strip_negation(node: &Node) -> &Node {
    match node {
        Node::Neg(inner) => strip_negation(inner),
        other => other,
    }
}
