//! Numbers in messages: in the data's display unit, with thousands
//! separators, and with the data's precision (a gap is never rounded to
//! zero: `13.999%, 0.001 points short of 14%`).

use crate::data::unit::split_at_byte;

/// `131400` → `131,400`; `-1234.56` → `-1,234.56`. Exponent forms and
/// numbers already grouped are left alone.
pub fn group_thousands(text: &str) -> String {
    let mut grouped = String::with_capacity(text.len() + text.len() / 3);
    push_grouped(&mut grouped, text);
    grouped
}

/// Appends [`group_thousands`] of `text` to `out`.
pub(crate) fn push_grouped(out: &mut String, text: &str) {
    let bytes = text.as_bytes();
    if bytes.iter().any(|b| matches!(b, b'e' | b'E' | b','))
        || !bytes.iter().any(u8::is_ascii_digit)
    {
        out.push_str(text);
        return;
    }
    // A sign, ASCII or typographic (`−`), stays in front of the digits.
    let rest = text.trim_start_matches(['-', '−', '+']);
    out.push_str(&text[..text.len() - rest.len()]);
    let (integer, fraction) = match split_at_byte(rest, b'.') {
        Some((i, f)) => (i, Some(f)),
        None => (rest, None),
    };
    if integer.is_ascii() {
        let start = out.len();
        out.push_str(integer);
        insert_commas(out, start);
    } else {
        for (i, c) in integer.chars().enumerate() {
            if i > 0 && (integer.len() - i) % 3 == 0 {
                out.push(',');
            }
            out.push(c);
        }
    }
    if let Some(fraction) = fraction {
        out.push('.');
        out.push_str(fraction);
    }
}

/// A number as written in a display unit, with that unit: `131,400 units`,
/// `13.999%`, `131.4 thousand units`.
pub fn with_unit(display: &str, unit: Option<&str>) -> String {
    let mut number =
        String::with_capacity(display.len() + display.len() / 3 + unit.map_or(0, |u| u.len() + 1));
    push_with_unit(&mut number, display, unit);
    number
}

/// Appends [`with_unit`] of `display` and `unit` to `out`.
pub(crate) fn push_with_unit(out: &mut String, display: &str, unit: Option<&str>) {
    push_grouped(out, display);
    if let Some(unit) = unit {
        if !is_percent(unit) {
            out.push(' ');
        }
        out.push_str(unit);
    }
}

/// Whether a display unit is a percentage (`%`, `% of GDP`): written right
/// after the number, and differences in it are points.
pub fn is_percent(unit: &str) -> bool {
    unit.starts_with('%')
}

/// The number of digits after the decimal point of a written number.
pub fn decimals(text: &str) -> usize {
    let mantissa = text.split(['e', 'E']).next().unwrap_or(text);
    split_at_byte(mantissa, b'.').map_or(0, |(_, f)| f.len())
}

/// A difference shown with `decimals` decimals, or more where that would show
/// a non-zero difference as zero.
pub fn difference(value: f64, decimals: usize) -> String {
    let mut text = String::with_capacity(24);
    push_difference(&mut text, value, decimals);
    text
}

/// Appends [`difference`] of `value` and `decimals` to `out`: written in
/// place, the commas put in after.
pub(crate) fn push_difference(out: &mut String, value: f64, decimals: usize) {
    use std::fmt::Write as _;
    let start = out.len();
    let magnitude = value.abs();
    let mut places = decimals;
    let _ = write!(out, "{magnitude:.places$}");
    while magnitude != 0.0 && out[start..].trim_start_matches(['0', '.']).is_empty() && places < 17
    {
        places += 1;
        out.truncate(start);
        let _ = write!(out, "{magnitude:.places$}");
    }
    // Trailing zeros added only to reach a non-zero digit mean nothing.
    if places > decimals && out[start..].contains('.') {
        let kept = out[start..]
            .trim_end_matches('0')
            .trim_end_matches('.')
            .len();
        out.truncate(start + kept);
    }
    // Plain digits with perhaps a point (`inf` and `NaN` stay as they are).
    if out.as_bytes().get(start).is_some_and(u8::is_ascii_digit) {
        insert_commas(out, start);
    }
}

/// Puts a comma before every third character of the ASCII number at
/// `out[start..]`, counted back from its point (or its end).
fn insert_commas(out: &mut String, start: usize) {
    let mut at = out[start..]
        .bytes()
        .position(|b| b == b'.')
        .map_or(out.len(), |i| start + i);
    while at - start > 3 {
        at -= 3;
        out.insert(at, ',');
    }
}

/// Appends a relative difference as a signed percentage with one decimal
/// (more if that would show zero): `−17.9%`, `+3.1%`.
pub(crate) fn push_percent_change(out: &mut String, ratio: f64) {
    out.push_str(if ratio < 0.0 { "−" } else { "+" });
    push_difference(out, ratio * 100.0, 1);
    out.push('%');
}

/// A rate as a percentage with one decimal: `3.1%`.
pub fn percent(rate: f64) -> String {
    let sign = if rate < 0.0 { "−" } else { "" };
    format!("{sign}{}%", difference(rate * 100.0, 1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Grouping a character at a time, as the comma rule says.
    fn grouped_char_by_char(text: &str) -> String {
        if text.contains(['e', 'E', ',']) || !text.chars().any(|c| c.is_ascii_digit()) {
            return text.to_string();
        }
        let rest = text.trim_start_matches(['-', '−', '+']);
        let sign = &text[..text.len() - rest.len()];
        let (integer, fraction) = match rest.split_once('.') {
            Some((i, f)) => (i, Some(f)),
            None => (rest, None),
        };
        let mut grouped = sign.to_string();
        for (i, c) in integer.chars().enumerate() {
            if i > 0 && (integer.len() - i) % 3 == 0 {
                grouped.push(',');
            }
            grouped.push(c);
        }
        if let Some(fraction) = fraction {
            grouped.push('.');
            grouped.push_str(fraction);
        }
        grouped
    }

    /// A difference written whole, then grouped.
    fn difference_by_copies(value: f64, decimals: usize) -> String {
        let magnitude = value.abs();
        let mut places = decimals;
        let mut text = format!("{magnitude:.places$}");
        while magnitude != 0.0 && text.trim_start_matches(['0', '.']).is_empty() && places < 17 {
            places += 1;
            text = format!("{magnitude:.places$}");
        }
        if places > decimals && text.contains('.') {
            text = text.trim_end_matches('0').trim_end_matches('.').to_string();
        }
        grouped_char_by_char(&text)
    }

    #[test]
    fn differences_are_never_shown_as_zero() {
        assert_eq!(difference(-297.6883613945324, 2), "297.69");
        assert_eq!(difference(2189.120391065446, 2), "2,189.12");
        assert_eq!(difference(0.0004, 1), "0.0004");
        assert_eq!(difference(0.0, 2), "0.00");
        assert_eq!(difference(1234567.0, 0), "1,234,567");
        assert_eq!(difference(f64::INFINITY, 1), "inf");
        let percent_change = |ratio| {
            let mut text = String::new();
            push_percent_change(&mut text, ratio);
            text
        };
        assert_eq!(percent_change(-0.10408683964843791), "−10.4%");
        assert_eq!(percent_change(0.7654267101627433), "+76.5%");
    }

    #[test]
    fn thousands_are_grouped_from_the_point() {
        assert_eq!(group_thousands("131400"), "131,400");
        assert_eq!(group_thousands("-1234.56"), "-1,234.56");
        assert_eq!(group_thousands("−1234567"), "−1,234,567");
        assert_eq!(group_thousands("999"), "999");
        assert_eq!(group_thousands("0.0001234"), "0.0001234");
        assert_eq!(group_thousands("1e21"), "1e21");
        assert_eq!(group_thousands("1,000"), "1,000");
        assert_eq!(with_unit("2562.31", Some("units")), "2,562.31 units");
        assert_eq!(with_unit("13.999", Some("%")), "13.999%");
    }

    proptest! {
        /// Any text groups as grouping it a character at a time does.
        #[test]
        fn grouping_matches_the_char_by_char_rule(
            text in "[-−+]{0,2}[0-9]{0,12}(\\.[0-9]{0,6})?[a-zé]{0,2}",
        ) {
            prop_assert_eq!(group_thousands(&text), grouped_char_by_char(&text));
        }

        /// Differences written in place read as written whole and grouped.
        #[test]
        fn differences_in_place_match_the_whole_text(
            value in prop_oneof![
                any::<u64>().prop_map(f64::from_bits),
                (-999_999_999i64..=999_999_999, -25i32..=12)
                    .prop_map(|(m, e)| format!("{m}e{e}").parse::<f64>().unwrap()),
            ],
            decimals in 0usize..=6,
        ) {
            prop_assert_eq!(difference(value, decimals), difference_by_copies(value, decimals));
        }
    }
}
