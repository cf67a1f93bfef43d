//! Period arithmetic (SPEC section 1), with values worked out by hand.

use ontrack::data::period::{Date, Frequency, Period, PeriodError, years_between};

fn p(text: &str) -> Period {
    Period::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"))
}

fn d(text: &str) -> Date {
    Date::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"))
}

#[test]
fn rule_forms_parse() {
    assert_eq!(p("2025"), Period::Year(2025));
    assert_eq!(p("2025-Q3"), Period::Quarter(2025, 3));
    assert_eq!(p("2025-03"), Period::Month(2025, 3));
    assert_eq!(
        p("2024-02-29"),
        Period::Day(Date::new(2024, 2, 29).unwrap())
    );
}

#[test]
fn data_forms_parse() {
    assert_eq!(Period::parse_data("2025Q3"), Ok(Period::Quarter(2025, 3)));
    assert_eq!(Period::parse_data("2025M03"), Ok(Period::Month(2025, 3)));
    assert_eq!(Period::parse_data(" 2025 "), Ok(Period::Year(2025)));
    assert_eq!(Period::parse_data("0001"), Ok(Period::Year(1)));
    assert_eq!(Period::parse_data("0000"), Err(PeriodError::YearZero));
    assert_eq!(
        Period::parse_data("20x5"),
        Err(PeriodError::NotAPeriod("20x5".into()))
    );
}

#[test]
fn invalid_periods_say_why() {
    assert_eq!(Period::parse("2025-13"), Err(PeriodError::Month(13)));
    assert_eq!(Period::parse("2025-Q5"), Err(PeriodError::Quarter(5)));
    assert_eq!(
        Period::parse("2023-02-29"),
        Err(PeriodError::Day {
            year: 2023,
            month: 2,
            day: 29
        })
    );
    assert_eq!(Period::parse("0000"), Err(PeriodError::YearZero));
    assert_eq!(
        Period::parse("20250"),
        Err(PeriodError::YearDigits("20250".into()))
    );
    assert_eq!(
        Period::parse("2025-3"),
        Err(PeriodError::TwoDigits("2025-3".into()))
    );
    assert_eq!(Period::parse("2025-q3"), Err(PeriodError::LowercaseQuarter));
    assert!(matches!(
        Period::parse("2025-03-01-02"),
        Err(PeriodError::NotAPeriod(_))
    ));
}

#[test]
fn spans() {
    assert_eq!(
        (p("2025").start(), p("2025").end()),
        (d("2025-01-01"), d("2025-12-31"))
    );
    assert_eq!(
        (p("2025-Q3").start(), p("2025-Q3").end()),
        (d("2025-07-01"), d("2025-09-30"))
    );
    assert_eq!(p("2024-02").end(), d("2024-02-29"));
    assert_eq!(p("2023-02").end(), d("2023-02-28"));
    assert_eq!(p("2025-Q1").end(), d("2025-03-31"));
}

#[test]
fn one_year_earlier() {
    assert_eq!(p("2024-Q2").year_earlier(), p("2023-Q2"));
    assert_eq!(p("2024").year_earlier(), p("2023"));
    assert_eq!(p("2024-01").year_earlier(), p("2023-01"));
    assert_eq!(p("2024-02-29").year_earlier(), p("2023-02-28"));
}

#[test]
fn years_between_period_ends() {
    assert_eq!(years_between(p("2017"), p("2022")), 5.0);
    assert_eq!(years_between(p("2024-Q1"), p("2024-Q3")), 0.5);
    assert_eq!(years_between(p("2023-12"), p("2024-03")), 0.25);
    assert_eq!(years_between(p("2022"), p("2017")), -5.0);
    // Days: 2024-01-01 to 2024-07-01 is 182 days.
    assert_eq!(
        years_between(p("2024-01-01"), p("2024-07-01")),
        182.0 / 365.25
    );
}

#[test]
fn final_period_of_a_frequency() {
    let end_2025 = d("2025-12-31");
    assert_eq!(Period::last_ending_by(Frequency::Year, end_2025), p("2025"));
    assert_eq!(
        Period::last_ending_by(Frequency::Month, end_2025),
        p("2025-12")
    );
    assert_eq!(
        Period::last_ending_by(Frequency::Quarter, end_2025),
        p("2025-Q4")
    );
    assert_eq!(
        Period::last_ending_by(Frequency::Day, end_2025),
        p("2025-12-31")
    );
    // P = 2025-06 on annual data: the last whole year is 2024.
    assert_eq!(
        Period::last_ending_by(Frequency::Year, p("2025-06").end()),
        p("2024")
    );
    // A date inside a quarter: the quarter before.
    assert_eq!(
        Period::last_ending_by(Frequency::Quarter, d("2025-08-15")),
        p("2025-Q2")
    );
    assert_eq!(
        Period::last_ending_by(Frequency::Month, d("2025-01-15")),
        p("2024-12")
    );
}

#[test]
fn dates_count_days() {
    assert_eq!(d("1970-01-01").days_since_epoch(), 0);
    assert_eq!(d("2000-03-01").days_since_epoch(), 11_017);
    assert_eq!(Date::from_days_since_epoch(11_017), d("2000-03-01"));
    assert_eq!(Date::from_days_since_epoch(-1), d("1969-12-31"));
    assert_eq!(d("2024-03-31").shift_months(1), d("2024-02-29"));
}

#[test]
fn periods_order_by_end() {
    let mut periods = vec![p("2025"), p("2024-Q4"), p("2024"), p("2025-01")];
    periods.sort();
    assert_eq!(
        periods,
        vec![p("2024"), p("2024-Q4"), p("2025-01"), p("2025")]
    );
}
