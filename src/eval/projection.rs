//! Projecting a series to its final period, and Eurostat's growth-rate
//! assessment of progress (SPEC section 4 "Projection", section 7).

use super::result::{Progress, ProgressCategory};
use crate::data::period::{Period, years_between};
use crate::syntax::ast::ProjectionMethod;

/// The default window: the last five years of observations.
pub const DEFAULT_WINDOW_YEARS: u32 = 5;

/// A projection fitted to a window of observations.
#[derive(Clone, Debug, PartialEq)]
pub struct Fit {
    pub method: ProjectionMethod,
    /// The observations fitted, oldest first; the last is the latest.
    pub window: Vec<(Period, f64)>,
    /// Compound annual growth rate (cagr), or slope per year (linear).
    pub rate: f64,
    /// Linear only: the fitted line's value at the window's first period, and
    /// the mean of x and of y used.
    line: Option<(f64, f64)>,
}

/// Fits a projection to the observations up to and including `latest`
/// (`observations` sorted by period). `method` is the target's `projection`
/// attribute, if any. On failure, says why (the result is no_data).
pub fn fit(
    observations: &[(Period, f64)],
    latest: usize,
    method: Option<ProjectionMethod>,
    years: u32,
) -> Result<Fit, String> {
    let (last_period, _) = observations[latest];
    let window_start = last_period.end().shift_months(12 * years as i32);
    let first = observations[..=latest].partition_point(|(p, _)| p.end() < window_start);
    let window: Vec<(Period, f64)> = observations[first..=latest].to_vec();
    if method == Some(ProjectionMethod::None) {
        return Err("projection `none`: no value before the final period's data".to_string());
    }
    if window.len() < 2 {
        return Err(format!(
            "only one observation ({last_period}) in the {years}-year window: too few to project"
        ));
    }
    let all_positive = window.iter().all(|(_, v)| *v > 0.0);
    let method = match method {
        Some(ProjectionMethod::Cagr) if !all_positive => {
            return Err("projection `cagr` needs every value in the window above zero".to_string());
        }
        Some(m) => m,
        None if all_positive => ProjectionMethod::Cagr,
        None => ProjectionMethod::Linear,
    };
    let (p0, v0) = window[0];
    let (p1, v1) = window[window.len() - 1];
    match method {
        ProjectionMethod::Cagr => {
            let rate = (v1 / v0).powf(1.0 / years_between(p0, p1)) - 1.0;
            Ok(Fit {
                method,
                window,
                rate,
                line: None,
            })
        }
        _ => {
            let xs: Vec<f64> = window.iter().map(|(p, _)| years_between(p0, *p)).collect();
            let n = xs.len() as f64;
            let x_mean = xs.iter().sum::<f64>() / n;
            let y_mean = window.iter().map(|(_, v)| v).sum::<f64>() / n;
            let sxy: f64 = xs
                .iter()
                .zip(&window)
                .map(|(x, (_, y))| (x - x_mean) * (y - y_mean))
                .sum();
            let sxx: f64 = xs.iter().map(|x| (x - x_mean).powi(2)).sum();
            let rate = sxy / sxx;
            Ok(Fit {
                method: ProjectionMethod::Linear,
                window,
                rate,
                line: Some((x_mean, y_mean)),
            })
        }
    }
}

impl Fit {
    /// The projected value at the end of `period`.
    pub fn at(&self, period: Period) -> f64 {
        let (first, _) = self.window[0];
        let (last, last_value) = self.window[self.window.len() - 1];
        match self.line {
            None => last_value * (1.0 + self.rate).powf(years_between(last, period)),
            Some((x_mean, y_mean)) => y_mean + self.rate * (years_between(first, period) - x_mean),
        }
    }

    pub fn method_name(&self) -> &'static str {
        self.method.as_str()
    }
}

/// The growth-rate assessment of SPEC section 7 for a target `REF op T`
/// whose reference was projected with `fit` to `final_period`: actual CAGR
/// over the window, CAGR required from the window's start to reach `target`
/// at the deadline, their ratio and its category. `Err` says why there is none.
pub fn progress(
    fit: &Fit,
    target: f64,
    final_period: Period,
    meets: impl Fn(f64) -> bool,
) -> Result<Progress, String> {
    let (t0, y0) = fit.window[0];
    let (t1, y1) = fit.window[fit.window.len() - 1];
    if meets(y0) {
        return Err(format!(
            "the window's first observation ({t0}) already meets the target"
        ));
    }
    if !(y0 > 0.0 && y1 > 0.0 && target > 0.0) {
        return Err(
            "growth rates need the start value, the latest value and the target above zero"
                .to_string(),
        );
    }
    let actual = (y1 / y0).powf(1.0 / years_between(t0, t1)) - 1.0;
    let required = (target / y0).powf(1.0 / years_between(t0, final_period)) - 1.0;
    if required == 0.0 || !required.is_finite() || !actual.is_finite() {
        return Err("the target equals the start value: no growth is required".to_string());
    }
    let ratio = actual / required;
    Ok(Progress {
        actual_cagr: actual,
        required_cagr: required,
        ratio,
        category: ProgressCategory::of_ratio(ratio),
    })
}
