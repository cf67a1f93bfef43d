//! Hand-built evaluation results for the report tests: one per status, with
//! and without a progress assessment, one on old data, one entity of a
//! `for each` target, over two rule files.

use std::path::PathBuf;

use ontrack::data::FileAccount;
use ontrack::data::period::{Date, Period};
use ontrack::eval::{
    Evaluation, Gap, Progress, ProgressCategory, ProjectionInfo, RuleSet, Status, TargetLevel,
    TargetResult, UsedValue, ValueKind,
};
use ontrack::syntax::ast::Severity;

pub const CARS: &str = "rules/kz/manufacturing-2025.targets";
pub const EU: &str = "rules/eu/targets-2030.targets";

pub fn as_of() -> Date {
    Date::new(2026, 3, 31).expect("valid date")
}

pub fn rule_sets() -> Vec<RuleSet> {
    let cars = "title \"Development of the manufacturing industry\"\n\
                source \"primeminister.kz, Government session, 2024-05-29\"\n\
                target passenger_cars_2025: passenger_cars >= 160 thousand units by 2025\n";
    let eu = "title \"European Union 2030 targets\"\n\
              target renewables_2030: renewables >= 42.5% by 2030\n";
    [(CARS, cars), (EU, eu)]
        .into_iter()
        .map(|(path, text)| RuleSet {
            path: PathBuf::from(path),
            file: ontrack::syntax::parse(text).expect("test rule file parses"),
        })
        .collect()
}

pub fn accounts() -> Vec<FileAccount> {
    vec![
        FileAccount {
            path: PathBuf::from("data.csv"),
            rows_read: 1204,
            rows_loaded: 1180,
            rows_missing: 20,
            rows_rejected: 4,
        },
        FileAccount {
            path: PathBuf::from("estat.yaml"),
            rows_read: 1,
            rows_loaded: 1,
            rows_missing: 0,
            rows_rejected: 0,
        },
    ]
}

pub fn evaluation() -> Evaluation {
    Evaluation {
        as_of: as_of(),
        results: results(),
    }
}

/// A result with every optional part empty.
fn bare(id: &str, file: &str, line: u32, status: Status, message: &str) -> TargetResult {
    TargetResult {
        id: id.to_string(),
        name: id.to_string(),
        entity: None,
        description: None,
        file: PathBuf::from(file),
        line,
        section: None,
        status,
        severity: Severity::Error,
        deadline: None,
        values: Vec::new(),
        target: None,
        gap: None,
        progress: None,
        progress_note: None,
        projection: None,
        latest_period: None,
        data_age_years: None,
        failing_periods: Vec::new(),
        message: message.to_string(),
        trace: Vec::new(),
        history: Vec::new(),
        history_unit: None,
        owner: None,
        source: None,
        quote: None,
        tags: Vec::new(),
    }
}

fn observed(
    reference: &str,
    series: &str,
    period: Period,
    value: f64,
    display: &str,
    unit: &str,
) -> UsedValue {
    UsedValue {
        reference: reference.to_string(),
        series: series.to_string(),
        period,
        value,
        display: display.to_string(),
        unit: Some(unit.to_string()),
        kind: ValueKind::Observed,
        projected_from: None,
    }
}

fn level(op: &str, value: f64, display: &str, unit: &str) -> Option<TargetLevel> {
    Some(TargetLevel {
        op: op.to_string(),
        value,
        display: display.to_string(),
        unit: Some(unit.to_string()),
    })
}

pub fn results() -> Vec<TargetResult> {
    let y = Period::Year;

    let mut missed = bare(
        "passenger_cars_2025",
        CARS,
        9,
        Status::Missed,
        "2025: 131.4 thousand units, 28.6 short of 160 (−17.9%)",
    );
    missed.description = Some("Passenger car output of 160 thousand a year".to_string());
    missed.section = Some("Machine building".to_string());
    missed.deadline = Some(y(2025));
    missed.values = vec![observed(
        "passenger_cars",
        "passenger_cars[country=KZ]",
        y(2025),
        131_400.0,
        "131.4",
        "thousand units",
    )];
    missed.target = level(">=", 160_000.0, "160", "thousand units");
    missed.gap = Some(Gap {
        absolute: -28_600.0,
        display: "-28.6".to_string(),
        relative: Some(-0.17875),
    });
    missed.latest_period = Some(y(2025));
    missed.data_age_years = Some(0.25);
    missed.owner = Some("Ministry of Industry and Construction".to_string());
    missed.quote = Some(
        "increase the production of passenger cars to 160 thousand units ... by 2025".to_string(),
    );
    missed.tags = vec!["industry".to_string(), "cars".to_string()];

    let mut met = bare(
        "locomotives_2024",
        CARS,
        14,
        Status::Met,
        "2024: 124 units, 4 above 120 (+3.3%)",
    );
    met.section = Some("Machine building".to_string());
    met.deadline = Some(y(2024));
    met.values = vec![observed(
        "locomotives",
        "locomotives[country=KZ]",
        y(2024),
        124.0,
        "124",
        "units",
    )];
    met.target = level(">=", 120.0, "120", "units");
    met.gap = Some(Gap {
        absolute: 4.0,
        display: "4".to_string(),
        relative: Some(1.0 / 30.0),
    });
    met.latest_period = Some(y(2024));
    met.data_age_years = Some(1.25);

    let mut achieved = bare(
        "gondola_cars_2025",
        CARS,
        15,
        Status::Achieved,
        "2024: 1.62 thousand units, already above 1.5 (due 2025)",
    );
    achieved.section = Some("Machine building".to_string());
    achieved.deadline = Some(y(2025));
    achieved.latest_period = Some(y(2024));
    achieved.data_age_years = Some(1.25);

    let mut on_track = bare(
        "rare_metals_2028",
        CARS,
        20,
        Status::OnTrack,
        "2028: projected 1,450 t, 50 above 1,400 (+3.6%)",
    );
    on_track.description = Some("Rare and rare-earth metals output up 40%".to_string());
    on_track.section = Some("Metallurgy".to_string());
    on_track.deadline = Some(y(2028));
    on_track.values = vec![UsedValue {
        kind: ValueKind::Projected,
        projected_from: Some(y(2024)),
        ..observed(
            "rare_metals_output",
            "rare_metals_output[country=KZ]",
            y(2028),
            1450.0,
            "1450",
            "t",
        )
    }];
    on_track.progress = Some(Progress {
        actual_cagr: 0.0912,
        required_cagr: 0.0888,
        ratio: 0.0912 / 0.0888,
        category: ProgressCategory::SignificantProgress,
    });
    on_track.projection = Some(ProjectionInfo {
        method: "cagr".to_string(),
        window: (2020..=2024).map(y).collect(),
        rate: 0.0912,
    });
    on_track.latest_period = Some(y(2024));
    on_track.data_age_years = Some(1.25);

    let mut off_track = bare(
        "steel_2030",
        CARS,
        22,
        Status::OffTrack,
        "2030: projected 5.1 million t, 0.9 short of 6 (−15%)",
    );
    off_track.section = Some("Metallurgy".to_string());
    off_track.deadline = Some(y(2030));
    off_track.progress = Some(Progress {
        actual_cagr: 0.031,
        required_cagr: 0.04,
        ratio: 0.775,
        category: ProgressCategory::ModerateProgress,
    });
    off_track.latest_period = Some(y(2017));
    off_track.data_age_years = Some(8.25);

    let mut no_data = bare(
        "steel_2024",
        CARS,
        24,
        Status::NoData,
        "no observation of `steel_output` up to 2024",
    );
    no_data.section = Some("Metallurgy".to_string());
    no_data.severity = Severity::Warning;
    no_data.deadline = Some(y(2024));

    let mut error = bare(
        "alloys_2025",
        CARS,
        26,
        Status::Error,
        "unknown indicator `alloy_outptu`; did you mean `alloy_output`?",
    );
    error.section = Some("Metallurgy".to_string());

    let mut entity = bare(
        "renewables_2030",
        EU,
        2,
        Status::OffTrack,
        "2030: projected 31.2%, 11.3 points short of 42.5% (−26.6%)",
    );
    entity.name = "renewables_2030[country=DE]".to_string();
    entity.entity = Some(("country".to_string(), "DE".to_string()));
    entity.deadline = Some(y(2030));
    entity.progress = Some(Progress {
        actual_cagr: -0.004,
        required_cagr: 0.052,
        ratio: -0.004 / 0.052,
        category: ProgressCategory::MovingAway,
    });
    entity.latest_period = Some(y(2023));
    entity.data_age_years = Some(2.25);
    entity.tags = vec!["energy".to_string()];

    vec![
        missed, met, achieved, on_track, off_track, no_data, error, entity,
    ]
}
