//! The derivation of one result, as `ontrack explain` prints it: what the
//! result says, the evaluator's trace numbered step by step, then the
//! numbers behind it in a small table.
//!
//! ```text
//! passenger_cars_2025: Passenger car output of 160 thousand a year
//!   rules/kz/manufacturing-2025.targets:9
//!   missed — 2025: 131.4 thousand units, 28.6 short of 160 (−17.9%)
//!
//!   1. passenger_cars{country="KZ"} resolves to passenger_cars[country=KZ]
//!   2. …
//!
//!   value        passenger_cars{country="KZ"}  2025  131.4 thousand units  observed
//!   target       >= 160 thousand units
//!   gap          -28.6 thousand units (-17.9%)
//! ```
//!
//! Not a `--format`: it shows one result in depth, not a run.

use std::io::{self, Write};

use super::text::{old_data_flag, percent, progress_line};
use crate::eval::{TargetResult, ValueKind, with_unit};

/// The width of the table's label column (`latest data` and a space).
const LABEL_WIDTH: usize = 12;

/// Writes the explanation of one result.
pub fn write_explanation<W: Write + ?Sized>(out: &mut W, result: &TargetResult) -> io::Result<()> {
    match &result.description {
        Some(description) => writeln!(out, "{}: {description}", result.name)?,
        None => writeln!(out, "{}", result.name)?,
    }
    writeln!(out, "  {}:{}", result.file.display(), result.line)?;
    if result.message.is_empty() {
        writeln!(out, "  {}", result.status)?;
    } else {
        writeln!(out, "  {} — {}", result.status, result.message)?;
    }

    if !result.trace.is_empty() {
        writeln!(out)?;
        let width = result.trace.len().to_string().len();
        for (i, step) in result.trace.iter().enumerate() {
            writeln!(out, "  {:>width$}. {step}", i + 1)?;
        }
    }

    let rows = table(result);
    if !rows.is_empty() {
        writeln!(out)?;
        for (label, text) in rows {
            writeln!(out, "  {label:<LABEL_WIDTH$} {text}")?;
        }
    }
    Ok(())
}

/// The label and text of each row of the table.
fn table(result: &TargetResult) -> Vec<(&'static str, String)> {
    let mut rows = Vec::new();
    // The values used, their columns aligned with each other.
    let reference_width = result
        .values
        .iter()
        .map(|v| v.reference.chars().count())
        .max()
        .unwrap_or(0);
    let period_width = result
        .values
        .iter()
        .map(|v| v.period.to_string().len())
        .max()
        .unwrap_or(0);
    let amounts: Vec<String> = result
        .values
        .iter()
        .map(|v| with_unit(&v.display, v.unit.as_deref()))
        .collect();
    let amount_width = amounts.iter().map(|a| a.chars().count()).max().unwrap_or(0);
    for (i, (value, amount)) in result.values.iter().zip(&amounts).enumerate() {
        let kind = match (value.kind, value.projected_from) {
            (ValueKind::Observed, _) => "observed".to_string(),
            (ValueKind::Projected, Some(from)) => format!("projected from {from}"),
            (ValueKind::Projected, None) => "projected".to_string(),
        };
        let text = format!(
            "{:<reference_width$}  {:<period_width$}  {:<amount_width$}  {kind}",
            value.reference,
            value.period.to_string(),
            amount,
        );
        rows.push((if i == 0 { "value" } else { "" }, text));
    }
    if let Some(target) = &result.target {
        rows.push((
            "target",
            format!(
                "{} {}",
                target.op,
                with_unit(&target.display, target.unit.as_deref())
            ),
        ));
    }
    if let Some(gap) = &result.gap {
        // The gap is in the display unit of the reference, which the target level carries.
        // Signed, as the Markdown report shows it: `−7.3 thousand units (−4.6%)`.
        let unit = result.target.as_ref().and_then(|t| t.unit.as_deref());
        let signed = super::gap_text(gap);
        let (amount, relative) = signed.split_once(' ').unwrap_or((signed.as_str(), ""));
        let mut text = with_unit(amount, unit);
        if !relative.is_empty() {
            text.push(' ');
            text.push_str(relative);
        }
        rows.push(("gap", text));
    }
    if let Some(projection) = &result.projection {
        let window = match (projection.window.first(), projection.window.last()) {
            (Some(first), Some(last)) if first != last => {
                format!("{first}–{last} ({} observations)", projection.window.len())
            }
            (Some(only), _) => only.to_string(),
            _ => "no window".to_string(),
        };
        let rate = if projection.method == "cagr" {
            format!("{}/yr", percent(projection.rate))
        } else {
            format!("{} per year (base units)", projection.rate)
        };
        rows.push((
            "projection",
            format!("{}, {window}, {rate}", projection.method),
        ));
    }
    if let Some(progress) = &result.progress {
        rows.push(("progress", progress_line(progress)));
    } else if let Some(note) = &result.progress_note {
        rows.push(("progress", format!("none: {note}")));
    }
    if !result.failing_periods.is_empty() {
        let periods = super::period_list(&result.failing_periods);
        rows.push(("failing", periods));
    }
    if let Some(latest) = result.latest_period {
        let mut text = latest.to_string();
        if let Some(age) = result.data_age_years {
            text.push_str(&format!(" ({age:.1} years before the as-of date)"));
        }
        if old_data_flag(result).is_some() {
            text.push_str(", older than three years");
        }
        rows.push(("latest data", text));
    }
    rows
}
