//! Data units and decimal-shift scaling, with expected values worked out by
//! hand.

use ontrack::data::{DataUnit, display_value, parse_scaled};

fn unit(text: &str) -> (String, i32) {
    let unit = DataUnit::parse(text).expect("a unit");
    (unit.base, unit.shift)
}

#[test]
fn scale_words_are_the_whole_first_word() {
    assert_eq!(unit("units"), ("units".to_string(), 0));
    assert_eq!(unit("thousand units"), ("units".to_string(), 3));
    assert_eq!(unit("Thousands units"), ("units".to_string(), 3));
    assert_eq!(unit("k tonnes"), ("tonnes".to_string(), 3));
    assert_eq!(unit("billion KZT"), ("KZT".to_string(), 9));
    assert_eq!(unit("mln. tenge"), ("tenge".to_string(), 6));
    assert_eq!(unit("MN tenge"), ("tenge".to_string(), 6));
    assert_eq!(unit("bln USD"), ("USD".to_string(), 9));
    assert_eq!(unit("trln. tenge"), ("tenge".to_string(), 12));
    assert_eq!(unit("tn KZT"), ("KZT".to_string(), 12));
    // `MW` and `m` are base units, not scales; `mlnUSD` is one word.
    assert_eq!(unit("MW"), ("MW".to_string(), 0));
    assert_eq!(unit("m"), ("m".to_string(), 0));
    assert_eq!(unit("mlnUSD"), ("mlnUSD".to_string(), 0));
    // A scale word alone counts in thousands, millions, ...
    assert_eq!(unit("thousand"), (String::new(), 3));
}

#[test]
fn percentages_shift_by_minus_two() {
    assert_eq!(unit("%"), (String::new(), -2));
    assert_eq!(unit("% of GDP"), (String::new(), -2));
    assert_eq!(unit("percent"), (String::new(), -2));
    assert_eq!(unit("Percent of population"), (String::new(), -2));
    assert!(DataUnit::parse("%").is_some_and(|u| u.is_percentage()));
    assert_eq!(
        DataUnit::parse("% of GDP").map(|u| u.display),
        Some("% of GDP".to_string())
    );
}

#[test]
fn sdmx_unit_codes() {
    assert_eq!(unit("PC"), (String::new(), -2));
    assert_eq!(unit("PC_GDP"), (String::new(), -2));
    assert_eq!(unit("THS_T"), ("T".to_string(), 3));
    assert_eq!(unit("MIO_EUR"), ("EUR".to_string(), 6));
    assert_eq!(unit("BN_EUR"), ("EUR".to_string(), 9));
    // Lower case is not an SDMX code: `pc` may be pieces.
    assert_eq!(unit("pc"), ("pc".to_string(), 0));
    assert_eq!(unit("NR"), ("NR".to_string(), 0));
}

#[test]
fn empty_unit_is_no_unit() {
    assert_eq!(DataUnit::parse(""), None);
    assert_eq!(DataUnit::parse("   "), None);
}

#[test]
fn scaling_moves_the_decimal_exponent_before_rounding() {
    // 35 × 0.01 in floating point is 0.35000000000000003; shifting the
    // exponent gives the double nearest 0.35.
    assert_ne!(35.0 * 0.01, 0.35_f64);
    assert_eq!(parse_scaled("35", -2), Some(0.35_f64));
    assert_eq!(parse_scaled("131.4", 3), Some(131_400.0));
    assert_eq!(parse_scaled("1.5", 3), Some(1_500.0));
    assert_eq!(parse_scaled("-2.5", -2), Some(-0.025_f64));
    assert_eq!(parse_scaled("22.1", -2), Some(0.221_f64));
    assert_eq!(parse_scaled("1.2e2", 6), Some(120_000_000.0));
    assert_eq!(parse_scaled(".5", 3), Some(500.0));
    assert_eq!(parse_scaled("5.", 3), Some(5_000.0));
    assert_eq!(parse_scaled("+7", 9), Some(7e9));
    assert_eq!(parse_scaled("0.1", 0), Some(0.1));
    assert_eq!(parse_scaled(" 12 ", 0), Some(12.0));
    let long = format!("1.{}", "0".repeat(100));
    assert_eq!(parse_scaled(&long, 3), Some(1_000.0));
}

#[test]
fn scaling_rejects_text_and_reports_non_finite() {
    assert_eq!(parse_scaled("abc", 0), None);
    assert_eq!(parse_scaled("abc", 3), None);
    assert_eq!(parse_scaled("1,5", 3), None);
    assert_eq!(parse_scaled("", 3), None);
    assert_eq!(parse_scaled("e5", 3), None);
    assert_eq!(parse_scaled("1e", 3), None);
    assert!(parse_scaled("NaN", 0).is_some_and(f64::is_nan));
    assert!(parse_scaled("inf", 3).is_some_and(f64::is_infinite));
    // Finite as written, infinite once scaled.
    assert!(parse_scaled("1e308", 3).is_some_and(f64::is_infinite));
    assert_eq!(parse_scaled("1e-400", 3), Some(0.0));
}

#[test]
fn display_shows_values_as_written() {
    assert_eq!(display_value(131_400.0, 3), "131.4");
    assert_eq!(display_value(0.35, -2), "35");
    assert_eq!(display_value(0.221, -2), "22.1");
    assert_eq!(display_value(-0.025, -2), "-2.5");
    assert_eq!(display_value(7e9, 9), "7");
    assert_eq!(display_value(500.0, 3), "0.5");
    assert_eq!(display_value(0.0005, 3), "0.0000005");
    assert_eq!(display_value(120.0, 0), "120");
    assert_eq!(display_value(0.0, 3), "0");
}

#[test]
fn display_round_trips_written_values() {
    for (text, shift) in [
        ("131.4", 3),
        ("35", -2),
        ("4.5", -2),
        ("0.001", 6),
        ("97.3", 3),
        ("123456.789", 9),
        ("-0.75", -2),
        ("18755666", 0),
    ] {
        let value = parse_scaled(text, shift).expect("a number");
        assert_eq!(
            display_value(value, shift),
            text,
            "{text} with shift {shift}"
        );
    }
}
