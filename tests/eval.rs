//! Evaluation (SPEC section 4) on small datasets, with the expected numbers
//! worked out by hand in the comments.

use std::path::PathBuf;

use ontrack::data::period::Date;
use ontrack::data::{self, DataSource, LoadOptions};
use ontrack::eval::{
    EvalOptions, ProgressCategory, RuleSet, Status, TargetResult, ValueKind, evaluate,
};

/// Evaluates `rules` against the YAML `data` as of `as_of`.
fn run(rules: &str, data: &str, as_of: &str) -> Vec<TargetResult> {
    let folder = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("eval");
    std::fs::create_dir_all(&folder).expect("temp folder");
    // One file per call, so tests running in parallel never share one.
    static CALLS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let call = CALLS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let path = folder.join(format!("{}-{call}.yaml", std::process::id()));
    std::fs::write(&path, data).expect("write data");
    let loaded = data::load(&[DataSource::new(&path)], &LoadOptions::default());
    assert!(loaded.errors.is_empty(), "{:?}", loaded.errors);
    let file = ontrack::syntax::parse(rules).expect("rules parse");
    let checked = ontrack::check::check(&file);
    assert!(checked.errors.is_empty(), "{:?}", checked.errors);
    let rules = [RuleSet {
        path: PathBuf::from("test.targets"),
        file,
    }];
    let options = EvalOptions {
        as_of: Date::parse(as_of).expect("date"),
        trace: true,
        history: true,
    };
    evaluate(&rules, &loaded.dataset, &options).results
}

fn one(rules: &str, data: &str, as_of: &str) -> TargetResult {
    let mut results = run(rules, data, as_of);
    assert_eq!(results.len(), 1, "{results:#?}");
    results.remove(0)
}

const CARS: &str = "series:
  - indicator: cars
    country: KZ
    unit: units
    values: {2020: 100000, 2021: 110000, 2022: 121000, 2023: 133100, 2024: 146410, 2025: 131400}
";

#[test]
fn met_and_missed_at_the_deadline() {
    // 2025: 131,400 < 160,000: missed by 28,600, −17.875% → −17.9%.
    let r = one(
        "target cars_2025: cars >= 160 thousand units by 2025",
        CARS,
        "2026-06-30",
    );
    assert_eq!(r.status, Status::Missed);
    assert_eq!(
        r.message,
        "2025: 131,400 units, 28,600 short of 160,000 (−17.9%)"
    );
    let gap = r.gap.expect("gap");
    assert_eq!(gap.absolute, -28_600.0);
    assert_eq!(gap.relative, Some(-0.17875));
    // 131,400 ≥ 130,000: met, 1,400 above (+1.1%).
    let r = one(
        "target cars_2025: cars >= 130 thousand units by 2025",
        CARS,
        "2026-06-30",
    );
    assert_eq!(r.status, Status::Met);
    assert_eq!(
        r.message,
        "2025: 131,400 units, 1,400 above 130,000 (+1.1%)"
    );
}

#[test]
fn achieved_before_the_deadline() {
    // As of mid-2025 the latest observation is 2024: 146,410 ≥ 140,000.
    let r = one("target t: cars >= 140000 by 2026", CARS, "2025-06-30");
    assert_eq!(r.status, Status::Achieved);
    assert_eq!(
        r.message,
        "2024: 146,410 units, already 6,410 above 140,000 (+4.6%) (deadline 2026)"
    );
}

#[test]
fn on_track_and_off_track_by_cagr() {
    // Window 2020–2024: 100,000 → 146,410, CAGR exactly 10%; 2025 projected
    // 146,410 × 1.1 = 161,051 ≥ 160,000: on track.
    let r = one(
        "target t: cars >= 160 thousand units by 2025",
        CARS,
        "2025-06-30",
    );
    assert_eq!(r.status, Status::OnTrack);
    let projected = r
        .values
        .iter()
        .find(|v| v.kind == ValueKind::Projected)
        .expect("projected value");
    assert!(
        (projected.value - 161_051.0).abs() < 1e-6,
        "{}",
        projected.value
    );
    assert_eq!(
        projected.projected_from.map(|p| p.to_string()).as_deref(),
        Some("2024")
    );
    // The history for charts: observations up to the as-of date, in the display unit.
    let history: Vec<(String, f64)> = r.history.iter().map(|(p, v)| (p.to_string(), *v)).collect();
    assert_eq!(history.len(), 5);
    assert_eq!(history[4], ("2024".to_string(), 146_410.0));
    assert_eq!(r.history_unit.as_deref(), Some("units"));
    let info = r.projection.expect("projection");
    assert_eq!(info.method, "cagr");
    assert!((info.rate - 0.1).abs() < 1e-12);
    // 170,000 is out of reach: off track. Progress: actual CAGR a = 10%;
    // required q = (170,000/100,000)^(1/5) − 1 = 11.196%; R = 0.8932: moderate.
    let r = one(
        "target t: cars >= 170 thousand units by 2025",
        CARS,
        "2025-06-30",
    );
    assert_eq!(r.status, Status::OffTrack);
    let progress = r.progress.expect("progress");
    assert!((progress.actual_cagr - 0.1).abs() < 1e-12);
    assert!((progress.required_cagr - (1.7f64.powf(0.2) - 1.0)).abs() < 1e-12);
    assert!((progress.ratio - 0.1 / (1.7f64.powf(0.2) - 1.0)).abs() < 1e-12);
    assert_eq!(progress.category, ProgressCategory::ModerateProgress);
}

#[test]
fn a_passed_deadline_without_its_data_says_so() {
    // As of 2026-03-31 there is still no 2025 value in this copy of the data.
    let data = CARS.replace(", 2025: 131400", "");
    let r = one(
        "target t: cars >= 170 thousand units by 2025",
        &data,
        "2026-03-31",
    );
    assert_eq!(r.status, Status::OffTrack);
    assert!(
        r.message
            .starts_with("2025 projected (2025 data not yet in the dataset): 161,051"),
        "{}",
        r.message
    );
}

#[test]
fn linear_projection_when_a_value_is_not_positive() {
    // −1, 0, 1, 2 in 2021–2024: least squares slope 1, 2025 → 3.
    let data = "series:\n  - indicator: rate\n    values: {2021: -1, 2022: 0, 2023: 1, 2024: 2}\n";
    let r = one("target t: rate >= 3 by 2025", data, "2025-06-30");
    assert_eq!(r.status, Status::OnTrack);
    let projected = r
        .values
        .iter()
        .find(|v| v.kind == ValueKind::Projected)
        .expect("projected");
    assert!((projected.value - 3.0).abs() < 1e-12, "{}", projected.value);
    assert_eq!(r.projection.expect("projection").method, "linear");
    // An explicit cagr cannot take a value ≤ 0.
    let r = one(
        "target t: rate >= 3 by 2025\n    projection cagr",
        data,
        "2025-06-30",
    );
    assert_eq!(r.status, Status::NoData);
    assert!(
        r.message
            .contains("needs every value in the window above zero"),
        "{}",
        r.message
    );
}

#[test]
fn in_p_does_not_count_early_success() {
    // 2024 already above 140,000, but `in 2026` must hold in 2026 itself:
    // projected 146,410 × 1.1² = 177,156.1 ≥ 140,000: on track, not achieved.
    let r = one("target t: cars >= 140000 in 2026", CARS, "2025-06-30");
    assert_eq!(r.status, Status::OnTrack);
}

#[test]
fn no_data_when_too_few_observations_or_none_by_the_deadline() {
    let data = "series:\n  - indicator: x\n    values: {2024: 5}\n";
    let r = one("target t: x >= 10 by 2025", data, "2025-06-30");
    assert_eq!(r.status, Status::NoData);
    assert!(r.message.contains("too few to project"), "{}", r.message);
    // SPEC 8.8: no observation up to end(P) is no_data even with later data.
    let r = one("target t: x >= 1 by 2020", data, "2025-06-30");
    assert_eq!(r.status, Status::NoData);
    assert!(
        r.message.contains("no data for `x` up to 2020"),
        "{}",
        r.message
    );
}

#[test]
fn observations_after_the_as_of_date_are_ignored() {
    // As of 2025-06-30, 2025 ends later: the latest observation is 2024.
    let r = one("target t: cars >= 140000 by 2025", CARS, "2025-06-30");
    assert_eq!(r.status, Status::Achieved);
    assert_eq!(r.values[0].period.to_string(), "2024");
}

#[test]
fn in_each_period_lists_the_failing_periods() {
    let r = one(
        "target t: cars >= 120000 in each period from 2021",
        CARS,
        "2026-06-30",
    );
    // 2021: 110,000 fails; 2022–2025 hold.
    assert_eq!(r.status, Status::Missed);
    assert_eq!(
        r.failing_periods
            .iter()
            .map(|p| p.to_string())
            .collect::<Vec<_>>(),
        ["2021"]
    );
    assert!(
        r.message.starts_with("fails in 1 of 5 periods: 2021"),
        "{}",
        r.message
    );
    let r = one(
        "target t: cars >= 100000 in each period to 2024",
        CARS,
        "2026-06-30",
    );
    assert_eq!(r.status, Status::Met);
    assert_eq!(r.message, "holds in all 5 periods from 2020 to 2024");
    let r = one(
        "target t: cars >= 1 in each period from 2030",
        CARS,
        "2026-06-30",
    );
    assert_eq!(r.status, Status::NoData);
}

#[test]
fn no_time_clause_uses_the_latest_data() {
    let r = one("cars > 140000", CARS, "2026-06-30");
    assert_eq!(r.status, Status::Missed);
    assert_eq!(r.id, "test:1");
    assert_eq!(r.values[0].period.to_string(), "2025");
}

#[test]
fn a_bare_number_is_in_the_data_display_unit() {
    // Data in thousand units: `cars >= 160` means 160 thousand.
    let data =
        "series:\n  - indicator: cars\n    unit: thousand units\n    values: {2025: 131.4}\n";
    let r = one("target t: cars >= 160 by 2025", data, "2026-06-30");
    assert_eq!(r.status, Status::Missed);
    assert_eq!(
        r.message,
        "2025: 131.4 thousand units, 28.6 short of 160 (−17.9%)"
    );
    assert_eq!(r.values[0].value, 131_400.0);
    // With a unit the literal converts whatever the data's scale.
    let r = one(
        "target t: cars >= 130 thousand units by 2025",
        data,
        "2026-06-30",
    );
    assert_eq!(r.status, Status::Met);
}

#[test]
fn percentages_keep_their_precision() {
    let data = "series:\n  - indicator: share\n    unit: \"%\"\n    values: {2025: 13.999}\n";
    let r = one("target t: share >= 14% by 2025", data, "2026-06-30");
    assert_eq!(r.status, Status::Missed);
    assert_eq!(
        r.message,
        "2025: 13.999%, 0.001 points short of 14% (−0.01%)"
    );
    // The bare 14 against % data is 14%.
    let r = one("target t: share >= 14 by 2025", data, "2026-06-30");
    assert_eq!(r.status, Status::Missed);
}

#[test]
fn comparisons_have_a_relative_tolerance() {
    let data = "series:\n  - indicator: x\n    values: {2025: 110.00000000000001}\n";
    assert_eq!(
        one("target t: x > 110 by 2025", data, "2026-06-30").status,
        Status::Missed
    );
    assert_eq!(
        one("target t: x >= 110 by 2025", data, "2026-06-30").status,
        Status::Met
    );
    assert_eq!(
        one("target t: x == 110 by 2025", data, "2026-06-30").status,
        Status::Met
    );
}

const COUNTRIES: &str = "series:
  - {indicator: gdp, country: KZ, unit: billion USD, values: {2023: 262, 2024: 288}}
  - {indicator: gdp, country: UZ, unit: billion USD, values: {2023: 101, 2024: 115}}
  - {indicator: gdp, country: KG, unit: billion USD, values: {2023: 14, 2024: 17}}
";

#[test]
fn for_each_evaluates_every_entity_in_order() {
    let results = run(
        "target g for each country: gdp >= 100 by 2024",
        COUNTRIES,
        "2025-06-30",
    );
    let names: Vec<(&str, Status)> = results
        .iter()
        .map(|r| (r.name.as_str(), r.status))
        .collect();
    assert_eq!(
        names,
        [
            ("g[country=KG]", Status::Missed),
            ("g[country=KZ]", Status::Met),
            ("g[country=UZ]", Status::Met)
        ]
    );
    let results = run(
        "target g for each country in (\"UZ\", \"TJ\"): gdp >= 100 by 2024",
        COUNTRIES,
        "2025-06-30",
    );
    assert_eq!(
        results.iter().map(|r| r.status).collect::<Vec<_>>(),
        [Status::Met, Status::NoData]
    );
}

#[test]
fn scope_and_selectors_pick_one_series() {
    let r = one(
        "scope country = \"KZ\"\ntarget g: gdp >= 280 by 2024",
        COUNTRIES,
        "2025-06-30",
    );
    assert_eq!(r.status, Status::Met);
    let r = one(
        "scope country = \"KZ\"\ntarget g: gdp{country=\"KG\"} >= 20 by 2024",
        COUNTRIES,
        "2025-06-30",
    );
    assert_eq!(r.status, Status::Missed);
}

#[test]
fn reference_problems_are_errors_or_no_data() {
    // Several series and no selector: ambiguous.
    let r = one("target g: gdp >= 1 by 2024", COUNTRIES, "2025-06-30");
    assert_eq!(r.status, Status::Error);
    assert!(
        r.message.contains("`gdp` matches 3 series"),
        "{}",
        r.message
    );
    // Unknown indicator, with a suggestion.
    let r = one(
        "target g: gpd{country=\"KZ\"} >= 1 by 2024",
        COUNTRIES,
        "2025-06-30",
    );
    assert_eq!(r.status, Status::Error);
    assert!(r.message.contains("did you mean `gdp`?"), "{}", r.message);
    // A selector on a dimension the indicator does not have.
    let r = one(
        "target g: gdp{region=\"x\"} >= 1 by 2024",
        COUNTRIES,
        "2025-06-30",
    );
    assert_eq!(r.status, Status::Error);
    assert!(
        r.message.contains("its dimensions: country"),
        "{}",
        r.message
    );
    // A known indicator, but no series for that country: no_data.
    let r = one(
        "target g: gdp{country=\"TJ\"} >= 1 by 2024",
        COUNTRIES,
        "2025-06-30",
    );
    assert_eq!(r.status, Status::NoData);
}

#[test]
fn units_must_agree() {
    let r = one(
        "target g: gdp{country=\"KZ\"} >= 5 KZT by 2024",
        COUNTRIES,
        "2025-06-30",
    );
    assert_eq!(r.status, Status::Error);
    assert_eq!(r.message, "cannot compare USD and KZT");
    // Declared units convert: 1 GW = 1000 MW.
    let data = "series:\n  - {indicator: capacity, unit: GW, values: {2024: 1.2}}\n";
    let r = one(
        "unit GW = 1000 MW\ntarget c: capacity >= 1100 MW by 2024",
        data,
        "2025-06-30",
    );
    assert_eq!(r.status, Status::Met);
}

#[test]
fn lets_anchors_and_ratios() {
    // 288 / 262 = 1.0992: more than 5% up, less than 10% up.
    let rules = "let kz = gdp{country=\"KZ\"}\ntarget up5: kz >= 1.05 * kz@2023 by 2024\ntarget up10: kz >= 1.1 * kz@2023 by 2024";
    let results = run(rules, COUNTRIES, "2025-06-30");
    assert_eq!(
        results.iter().map(|r| r.status).collect::<Vec<_>>(),
        [Status::Met, Status::Missed]
    );
    let r = one(
        "target g: growth(gdp{country=\"KZ\"}, gdp{country=\"KZ\"}@2023) >= 9% by 2024",
        COUNTRIES,
        "2025-06-30",
    );
    assert_eq!(r.status, Status::Met);
    let r = one(
        "target g: yoy(gdp{country=\"KZ\"}) >= 10% by 2024",
        COUNTRIES,
        "2025-06-30",
    );
    assert_eq!(r.status, Status::Missed);
}

#[test]
fn aggregates_need_their_periods() {
    let data = "series:\n  - indicator: exports\n    values: {2024-01: 10, 2024-02: 20, 2024-03: 30, 2024-05: 50}\n";
    // Jan–Mar: 10 + 20 + 30 = 60.
    assert_eq!(
        one(
            "target s: sum(exports@2024-01..2024-03) == 60",
            data,
            "2025-06-30"
        )
        .status,
        Status::Met
    );
    assert_eq!(
        one(
            "target s: mean(exports@2024-01..2024-03) == 20",
            data,
            "2025-06-30"
        )
        .status,
        Status::Met
    );
    assert_eq!(
        one("target s: max(exports@2024) == 50", data, "2025-06-30").status,
        Status::Met
    );
    assert_eq!(
        one("target s: count(exports@2024) == 4", data, "2025-06-30").status,
        Status::Met
    );
    let r = one(
        "target s: sum(exports@2024-01..2024-05) > 0",
        data,
        "2025-06-30",
    );
    assert_eq!(r.status, Status::NoData);
    assert!(r.message.contains("2024-04 missing"), "{}", r.message);
    // An annual anchor on monthly data outside an aggregate: error.
    let r = one("target s: exports@2024 > 0", data, "2025-06-30");
    assert_eq!(r.status, Status::Error);
}

#[test]
fn division_by_zero_is_an_error_and_missing_data_wins_over_it() {
    let data = "series:\n  - indicator: a\n    values: {2024: 0}\n  - indicator: b\n    values: {2023: 1}\n";
    let r = one("target d: 1 / a > 1 by 2024", data, "2025-06-30");
    assert_eq!(r.status, Status::Error);
    assert_eq!(r.message, "division by zero");
    // b has no 2024 value and too few to project: no_data comes first (SPEC 8.7).
    let r = one("target d: 1 / a > b by 2024", data, "2025-06-30");
    assert_eq!(r.status, Status::NoData);
}

#[test]
fn warnings_never_fail_and_the_trace_records_the_steps() {
    let r = one(
        "target t: cars >= 170 thousand units by 2025\n    severity warning",
        CARS,
        "2025-06-30",
    );
    assert_eq!(r.status, Status::OffTrack);
    assert!(!r.fails(&Status::DEFAULT_FAILING));
    assert!(
        r.trace
            .iter()
            .any(|l| l.contains("projected to 2025 by cagr over 2020–2024")),
        "{:#?}",
        r.trace
    );
}

#[test]
fn progress_categories_follow_the_published_cut_offs() {
    use ProgressCategory::*;
    let cases = [
        (1.2, SignificantProgress),
        (0.95, SignificantProgress),
        (0.9499, ModerateProgress),
        (0.6, ModerateProgress),
        (0.5999, InsufficientProgress),
        (0.0, InsufficientProgress),
        (-0.01, MovingAway),
    ];
    for (ratio, category) in cases {
        assert_eq!(ProgressCategory::of_ratio(ratio), category, "{ratio}");
    }
}

#[test]
fn lets_that_double_at_every_step_are_an_error_not_a_hang() {
    // l39 would be 2^39 references once substituted.
    let mut rules: Vec<String> = vec!["let l0 = x".into()];
    rules.extend((1..40).map(|i| format!("let l{i} = l{} + l{}", i - 1, i - 1)));
    rules.push("target t: l39 > 1 by 2025".into());
    let data = "series:\n  - indicator: x\n    values: {2024: 1}\n";
    let r = one(&rules.join("\n"), data, "2025-06-30");
    assert_eq!(r.status, Status::Error);
    assert!(
        r.message
            .contains("too large once its `let`s are substituted"),
        "{}",
        r.message
    );
}

#[test]
fn a_long_chain_of_lets_is_checked_and_bounded() {
    // 3,000 lets, each naming the one before: static checks are linear, and
    // evaluation stops substituting 256 lets deep.
    let mut rules: Vec<String> = vec!["let l0 = x".into()];
    rules.extend((1..3000).map(|i| format!("let l{i} = l{}", i - 1)));
    rules.push("target deep: l2999 > 1 by 2025".into());
    rules.push("target shallow: l200 > 0 by 2024".into());
    let data = "series:\n  - indicator: x\n    values: {2024: 1}\n";
    let results = run(&rules.join("\n"), data, "2025-06-30");
    assert_eq!(results[0].status, Status::Error);
    assert_eq!(results[1].status, Status::Met);
}
