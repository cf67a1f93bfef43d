//! Inline SVG charts for the HTML report, written by hand as text.
//!
//! Two drawings of one result's history:
//!
//! - [`write_chart`]: the chart of a target's card. Observations as a line
//!   with a dot per period, the target level as a horizontal line, the
//!   deadline as a vertical line, the projection as a dashed line from the
//!   latest observation to the value projected for the deadline, with round
//!   value ticks on the left and a few year labels below.
//! - [`write_sparkline`]: the same history, target and projection without
//!   axes, for one row of a `for each` table.
//!
//! Every drawing says what it shows in words (`role="img"` and an
//! `aria-label`, plus a `<title>` on charts), so a screen reader and a
//! printout in black and white lose nothing.
//!
//! Size matters: a report of ten thousand results holds ten thousand
//! drawings. Coordinates are whole numbers in a fixed `viewBox` (scaled by
//! CSS), paths use the short form `M x y L x y x y …`, dots are zero-length
//! round-capped segments (`Mx yh0`) in one path, and every colour and
//! stroke comes from CSS classes the page declares once. This module owns
//! the geometry and the escaping of text into markup; it does not decide
//! what a result's history, level or projection is (the HTML report does).

use std::fmt;
use std::io::{self, Write};

use crate::data::period::{Frequency, Period};
use crate::eval::group_thousands;

/// Text made safe for HTML and SVG, as element content or a quoted
/// attribute value: `&`, `<`, `>`, `"` and `'` become entities.
#[derive(Clone, Copy)]
pub struct Escaped<'a>(pub &'a str);

impl fmt::Display for Escaped<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = self.0;
        let mut start = 0;
        for (i, b) in text.bytes().enumerate() {
            let entity = match b {
                b'&' => "&amp;",
                b'<' => "&lt;",
                b'>' => "&gt;",
                b'"' => "&quot;",
                b'\'' => "&#39;",
                _ => continue,
            };
            f.write_str(&text[start..i])?;
            f.write_str(entity)?;
            start = i + 1;
        }
        f.write_str(&text[start..])
    }
}

/// What a drawing shows, in the unit the history is written in.
#[derive(Clone, Debug, Default)]
pub struct ChartData<'a> {
    /// Observations in period order.
    pub history: &'a [(Period, f64)],
    /// The target level and its operator (`>=`).
    pub target: Option<(&'a str, f64)>,
    pub deadline: Option<Period>,
    /// The value projected for a period (the deadline's).
    pub projection: Option<(Period, f64)>,
    pub unit: Option<&'a str>,
}

/// The main chart's `viewBox` and plot area.
const WIDTH: f64 = 360.0;
const HEIGHT: f64 = 180.0;
const LEFT: f64 = 48.0;
const RIGHT: f64 = WIDTH - 12.0;
const TOP: f64 = 22.0;
const BOTTOM: f64 = HEIGHT - 22.0;

/// The sparkline's `viewBox` (twice its CSS size, so whole numbers are
/// fine enough).
const SPARK_WIDTH: f64 = 200.0;
const SPARK_HEIGHT: f64 = 40.0;
const SPARK_PAD: f64 = 4.0;

/// Writes the chart of one target. Draws nothing when there is no history.
pub fn write_chart<W: Write + ?Sized>(
    out: &mut W,
    data: &ChartData<'_>,
    label: &str,
) -> io::Result<()> {
    let Some(scale) = Scale::new(data, LEFT, RIGHT, TOP, BOTTOM, 5) else {
        return Ok(());
    };
    let label = Escaped(label);
    write!(
        out,
        "<svg class=\"ch\" viewBox=\"0 0 {WIDTH} {HEIGHT}\" role=\"img\" aria-label=\"{label}\"><title>{label}</title>"
    )?;
    // Value ticks: a grid line and a label each.
    let step = scale.ticks.get(1).map_or(1.0, |t| t - scale.ticks[0]);
    let largest = scale.ticks.iter().fold(0f64, |m, t| m.max(t.abs()));
    let mut grid = String::new();
    for &tick in &scale.ticks {
        let y = scale.y(tick);
        grid.push_str(&format!("M{LEFT} {y}H{RIGHT}"));
    }
    write!(out, "<path class=\"gr\" d=\"{grid}\"/>")?;
    for &tick in &scale.ticks {
        write!(
            out,
            "<text class=\"yl\" x=\"{}\" y=\"{}\">{}</text>",
            LEFT - 4.0,
            scale.y(tick) + 3,
            tick_label(tick, step, largest)
        )?;
    }
    if let Some(unit) = data.unit {
        write!(
            out,
            "<text class=\"u\" x=\"2\" y=\"9\">{}</text>",
            Escaped(unit)
        )?;
    }
    // Year labels below the plot.
    for (x, year) in scale.year_ticks() {
        write!(
            out,
            "<text class=\"xl\" x=\"{x}\" y=\"{}\">{year}</text>",
            BOTTOM + 14.0
        )?;
    }
    write!(
        out,
        "<path class=\"ax\" d=\"M{LEFT} {TOP}V{BOTTOM}H{RIGHT}\"/>"
    )?;
    if let Some(deadline) = data.deadline {
        let x = scale.x(deadline);
        // The label goes at the top or the bottom of the line, whichever is
        // further from the dots it would cover.
        let near = |y: f64| {
            data.history
                .iter()
                .copied()
                .chain(data.projection)
                .filter(|&(p, _)| (scale.x(p) - x).abs() < 80)
                .map(|(_, v)| (scale.y(v) as f64 - y).abs())
                .fold(f64::INFINITY, f64::min)
        };
        let (top, bottom) = (TOP + 8.0, BOTTOM - 4.0);
        let label_y = if near(top - 4.0) >= near(bottom - 4.0) {
            top
        } else {
            bottom
        };
        write!(
            out,
            "<path class=\"dl\" d=\"M{x} {TOP}V{BOTTOM}\"/><text class=\"lb e\" x=\"{}\" y=\"{label_y}\">deadline {deadline}</text>",
            x - 4
        )?;
    }
    if let Some((op, level)) = data.target {
        let y = scale.y(level);
        // The label sits above the line, or below it when the line is at the top.
        let label_y = if (y as f64) - 4.0 < TOP + 10.0 {
            y + 11
        } else {
            y - 4
        };
        write!(
            out,
            "<path class=\"tg\" d=\"M{LEFT} {y}H{RIGHT}\"/><text class=\"lb\" x=\"{}\" y=\"{label_y}\">target {} {}</text>",
            LEFT + 4.0,
            Escaped(op_symbol(op)),
            number(level)
        )?;
    }
    write_series(out, &scale, data, 4.0)?;
    out.write_all(b"</svg>")
}

/// Writes the sparkline of one entity of a `for each` target.
pub fn write_sparkline<W: Write + ?Sized>(
    out: &mut W,
    data: &ChartData<'_>,
    label: &str,
) -> io::Result<()> {
    let Some(scale) = Scale::new(
        data,
        SPARK_PAD,
        SPARK_WIDTH - SPARK_PAD,
        SPARK_PAD,
        SPARK_HEIGHT - SPARK_PAD,
        0,
    ) else {
        return Ok(());
    };
    write!(
        out,
        "<svg class=\"sp\" viewBox=\"0 0 {SPARK_WIDTH} {SPARK_HEIGHT}\" role=\"img\" aria-label=\"{}\">",
        Escaped(label)
    )?;
    if let Some((_, level)) = data.target {
        let y = scale.y(level);
        write!(
            out,
            "<path class=\"tg\" d=\"M{SPARK_PAD} {y}H{}\"/>",
            SPARK_WIDTH - SPARK_PAD
        )?;
    }
    write_series(out, &scale, data, 0.0)?;
    out.write_all(b"</svg>")
}

/// The observation line, its dots (every one on a chart, the latest on a
/// sparkline), and the projection. `dot_radius` 0 means a sparkline.
fn write_series<W: Write + ?Sized>(
    out: &mut W,
    scale: &Scale,
    data: &ChartData<'_>,
    dot_radius: f64,
) -> io::Result<()> {
    let points: Vec<(i32, i32)> = data
        .history
        .iter()
        .map(|&(p, v)| (scale.x(p), scale.y(v)))
        .collect();
    if points.len() > 1 {
        out.write_all(b"<path class=\"ob\" d=\"")?;
        for (i, (x, y)) in points.iter().enumerate() {
            match i {
                0 => write!(out, "M{x} {y}L")?,
                1 => write!(out, "{x} {y}")?,
                _ => write!(out, " {x} {y}")?,
            }
        }
        out.write_all(b"\"/>")?;
    }
    let dots: &[(i32, i32)] = if dot_radius > 0.0 {
        &points
    } else {
        &points[points.len().saturating_sub(1)..]
    };
    out.write_all(b"<path class=\"pt\" d=\"")?;
    for (x, y) in dots {
        write!(out, "M{x} {y}h0")?;
    }
    out.write_all(b"\"/>")?;
    if let (Some(&(x0, y0)), Some((period, value))) = (points.last(), data.projection) {
        let (x, y) = (scale.x(period), scale.y(value));
        write!(out, "<path class=\"pj\" d=\"M{x0} {y0}L{x} {y}\"/>")?;
        if dot_radius > 0.0 {
            write!(
                out,
                "<circle class=\"pp\" cx=\"{x}\" cy=\"{y}\" r=\"{dot_radius}\"/>"
            )?;
        }
    }
    Ok(())
}

/// Maps periods and values into a plot area.
struct Scale {
    /// Days since the epoch at the left and right edges.
    x0: f64,
    x1: f64,
    /// Values at the bottom and top edges.
    y0: f64,
    y1: f64,
    left: f64,
    right: f64,
    top: f64,
    bottom: f64,
    /// Round values from `y0` to `y1` (empty for a sparkline).
    ticks: Vec<f64>,
    /// Whether every observation is a year (year labels then sit mid-year,
    /// under their dots).
    annual: bool,
}

impl Scale {
    /// `None` when there is nothing to draw. `ticks` 0 fits the values
    /// exactly (a sparkline); more asks for about that many round ticks.
    fn new(
        data: &ChartData<'_>,
        left: f64,
        right: f64,
        top: f64,
        bottom: f64,
        ticks: usize,
    ) -> Option<Scale> {
        let (first, _) = data.history.first()?;
        let mut x0 = middle(*first);
        let mut x1 = x0;
        let mut lo = f64::INFINITY;
        let mut hi = f64::NEG_INFINITY;
        let mut take_x = |p: Period| {
            let x = middle(p);
            x0 = x0.min(x);
            x1 = x1.max(x);
        };
        for &(p, v) in data.history {
            take_x(p);
            if v.is_finite() {
                lo = lo.min(v);
                hi = hi.max(v);
            }
        }
        if let Some(p) = data.deadline {
            take_x(p);
        }
        let mut take_y = |v: f64| {
            if v.is_finite() {
                lo = lo.min(v);
                hi = hi.max(v);
            }
        };
        if let Some((p, v)) = data.projection {
            take_x(p);
            take_y(v);
        }
        if let Some((_, v)) = data.target {
            take_y(v);
        }
        if !lo.is_finite() {
            return None;
        }
        if x1 - x0 < 1.0 {
            // One period: give it a year's room.
            x0 -= 183.0;
            x1 += 183.0;
        }
        // A little room left and right, so dots at the edges show whole.
        let pad = (x1 - x0) * 0.04;
        let (x0, x1) = (x0 - pad, x1 + pad);
        let annual = data
            .history
            .iter()
            .all(|(p, _)| p.frequency() == Frequency::Year);
        let (y0, y1, ticks) = if ticks > 0 {
            let ticks = nice_ticks(lo, hi, ticks);
            (ticks[0], ticks[ticks.len() - 1], ticks)
        } else if hi > lo {
            (lo, hi, Vec::new())
        } else {
            (lo - 1.0, hi + 1.0, Vec::new())
        };
        Some(Scale {
            x0,
            x1,
            y0,
            y1,
            left,
            right,
            top,
            bottom,
            ticks,
            annual,
        })
    }

    fn x(&self, period: Period) -> i32 {
        self.x_days(middle(period))
    }

    fn x_days(&self, days: f64) -> i32 {
        (self.left + (days - self.x0) / (self.x1 - self.x0) * (self.right - self.left)).round()
            as i32
    }

    fn y(&self, value: f64) -> i32 {
        let value = if value.is_finite() { value } else { self.y0 };
        (self.bottom - (value - self.y0) / (self.y1 - self.y0) * (self.bottom - self.top)).round()
            as i32
    }

    /// At most six year labels, every 1, 2, 5, 10… years, with their x.
    fn year_ticks(&self) -> Vec<(i32, i32)> {
        let first = year_of_days(self.x0);
        let last = year_of_days(self.x1);
        let span = (last - first + 1).max(1);
        let step = [1, 2, 5, 10, 20, 25, 50, 100, 200, 500, 1000]
            .into_iter()
            .find(|s| span / s < 6)
            .unwrap_or(1000);
        (first..=last)
            .filter(|y| y.rem_euclid(step) == 0)
            .filter_map(|year| {
                let days = if self.annual {
                    middle(Period::Year(year))
                } else {
                    Period::Year(year).start().days_since_epoch() as f64
                };
                let x = self.x_days(days);
                (x as f64 >= self.left - 0.5 && x as f64 <= self.right + 0.5).then_some((x, year))
            })
            .collect()
    }
}

/// `>=` as a reader writes it: `≥`.
pub fn op_symbol(op: &str) -> &str {
    match op {
        ">=" => "≥",
        "<=" => "≤",
        "!=" => "≠",
        "==" => "=",
        other => other,
    }
}

/// The middle of a period, in days since the epoch.
fn middle(period: Period) -> f64 {
    (period.start().days_since_epoch() + period.end().days_since_epoch()) as f64 / 2.0
}

fn year_of_days(days: f64) -> i32 {
    crate::data::period::Date::from_days_since_epoch(days.floor() as i64).year()
}

/// About `count` round values (steps of 1, 2, 2.5 or 5 times a power of
/// ten) from at most `lo` to at least `hi`.
pub fn nice_ticks(lo: f64, hi: f64, count: usize) -> Vec<f64> {
    let (lo, hi) = if hi > lo {
        (lo, hi)
    } else {
        // One value: a range around it.
        let pad = if lo == 0.0 { 1.0 } else { lo.abs() * 0.1 };
        (lo - pad, hi + pad)
    };
    let rough = (hi - lo) / count.max(2) as f64;
    let power = 10f64.powf(rough.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .into_iter()
        .map(|m| m * power)
        .find(|&s| s >= rough)
        .unwrap_or(10.0 * power);
    let first = (lo / step).floor();
    let last = (hi / step).ceil();
    (0..=(last - first) as i64)
        .map(|i| {
            let tick = (first + i as f64) * step;
            // Round away the binary noise of `i × step` (0.30000000000000004).
            let digits = decimals(step) as i32;
            let factor = 10f64.powi(digits);
            (tick * factor).round() / factor
        })
        .collect()
}

/// How many decimals a tick step needs (`2.5` → 1, `0.02` → 2, `500` → 0).
fn decimals(step: f64) -> usize {
    (0..=9)
        .find(|&d| {
            let scaled = step * 10f64.powi(d as i32);
            (scaled - scaled.round()).abs() < 1e-6 * scaled.abs().max(1.0)
        })
        .unwrap_or(9)
}

/// A tick's label: grouped digits with the decimals its step needs, and
/// `k`, `M`, `bn` when the axis's `largest` value is large, so the labels
/// stay narrow and alike.
pub fn tick_label(value: f64, step: f64, largest: f64) -> String {
    let magnitude = largest.abs().max(step.abs());
    let (factor, suffix) = if magnitude >= 1e9 {
        (1e9, "bn")
    } else if magnitude >= 1e6 {
        (1e6, "M")
    } else if magnitude >= 1e5 {
        (1e3, "k")
    } else {
        (1.0, "")
    };
    if factor > 1.0 {
        let scaled = value / factor;
        let digits = decimals(step / factor);
        return format!("{}{suffix}", group_thousands(&format!("{scaled:.digits$}")));
    }
    let digits = decimals(step);
    group_thousands(&format!("{value:.digits$}"))
}

/// A value as the labels write it: shortest digits, grouped (`23,600`, `50.3`).
pub fn number(value: f64) -> String {
    if value == 0.0 {
        return "0".to_string();
    }
    group_thousands(&format!("{value}"))
}
