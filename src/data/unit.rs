//! Data units and decimal scaling (SPEC section 1, "Units").
//!
//! A data unit string is an optional scale word and a base unit
//! (`thousand units`, `mln. tenge`), a percentage (`%`, `% of GDP`,
//! `percent`) or an SDMX unit code (`PC`, `PC_GDP`, `THS_T`, `MIO_EUR`).
//! Values are stored in base units: a written number is scaled by moving its
//! decimal exponent *before* it is converted to binary floating point, so
//! `35` in `%` is exactly the double nearest 0.35 and `131.4` in
//! `thousand units` is exactly 131400.0. [`display_value`] moves the decimal
//! point back to show a stored value as it was written.
//!
//! This module does not know about unit declarations in rule files
//! (`unit GW = 1000 MW`); those are applied when rules meet data.

use std::fmt;

/// A unit as a data file writes it, with the power of ten that turns written
/// values into base-unit values.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct DataUnit {
    /// The unit as written, scale included (`thousand units`).
    pub display: String,
    /// The unit with scale and percent removed (`units`; empty for a
    /// percentage or a bare scale word).
    pub base: String,
    /// Written value × 10^shift = base-unit value (3 for `thousand`, −2 for
    /// `%`).
    pub shift: i32,
}

/// Scale words and their powers of ten; matched case-insensitively on the
/// whole first word, with an optional trailing `.`.
const SCALE_WORDS: &[(&str, i32)] = &[
    ("thousand", 3),
    ("thousands", 3),
    ("k", 3),
    ("million", 6),
    ("millions", 6),
    ("mln", 6),
    ("mn", 6),
    ("billion", 9),
    ("billions", 9),
    ("bln", 9),
    ("bn", 9),
    ("trillion", 12),
    ("trillions", 12),
    ("trln", 12),
    ("tn", 12),
];

/// SDMX unit-code prefixes (upper case, followed by `_` and the base code).
const SDMX_SCALES: &[(&str, i32)] = &[("THS_", 3), ("MIO_", 6), ("BN_", 9)];

impl DataUnit {
    /// Reads a data unit; `None` for an empty text (no unit).
    ///
    /// A scale word standing alone (`thousands`) scales an empty base unit:
    /// a count in thousands.
    pub fn parse(text: &str) -> Option<DataUnit> {
        let display = text.trim();
        if display.is_empty() {
            return None;
        }
        let unit = |base: &str, shift| {
            Some(DataUnit {
                display: display.to_string(),
                base: base.to_string(),
                shift,
            })
        };
        // SDMX codes are upper case; `pc` in lower case may mean pieces.
        if display == "PC" || display.starts_with("PC_") {
            return unit("", -2);
        }
        for &(prefix, shift) in SDMX_SCALES {
            if let Some(base) = display.strip_prefix(prefix)
                && !base.is_empty()
            {
                return unit(base, shift);
            }
        }
        if display.starts_with('%') {
            return unit("", -2);
        }
        let (first, rest) = match display.split_once(char::is_whitespace) {
            Some((first, rest)) => (first, rest.trim()),
            None => (display, ""),
        };
        if first.eq_ignore_ascii_case("percent") {
            return unit("", -2);
        }
        let word = first.strip_suffix('.').unwrap_or(first);
        match SCALE_WORDS
            .iter()
            .find(|(scale, _)| scale.eq_ignore_ascii_case(word))
        {
            Some(&(_, shift)) => unit(rest, shift),
            None => unit(display, 0),
        }
    }

    /// Whether values in this unit are percentages (dimensionless, × 0.01).
    pub fn is_percentage(&self) -> bool {
        self.base.is_empty() && self.shift == -2
    }
}

impl fmt::Display for DataUnit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.display)
    }
}

/// `text` split around its first `byte`, an ASCII character. A byte
/// search: the written numbers this is for are short, and a `char` search
/// costs more to set up than such a number takes to scan.
pub(crate) fn split_at_byte(text: &str, byte: u8) -> Option<(&str, &str)> {
    let at = text.bytes().position(|b| b == byte)?;
    Some((&text[..at], &text[at + 1..]))
}

/// Parses a decimal number written in a unit with decimal shift `shift`,
/// returning its value in base units: the exponent is moved before the
/// conversion to binary, so the result is the double nearest the exact
/// scaled decimal.
///
/// Accepts what `str::parse::<f64>` accepts (sign, fraction, exponent,
/// surrounding spaces trimmed). `None` when the text is not a number; a
/// written `NaN` or `inf`, or a value that overflows when scaled, comes back
/// non-finite for the caller to reject. With `shift == 0` nothing is
/// allocated; otherwise only numbers longer than 64 bytes allocate.
///
/// The conversion is the standard library's (correctly rounded, Eisel–Lemire);
/// `fast-float2` was measured at about 5 ns a number faster, a few
/// milliseconds per million rows, not worth a dependency.
pub fn parse_scaled(text: &str, shift: i32) -> Option<f64> {
    let text = crate::data::row::trim(text);
    if shift == 0 {
        return text.parse::<f64>().ok();
    }
    let Some(number) = Decimal::split(text) else {
        // `inf`, `NaN` and the like: scaling does not change them.
        return text.parse::<f64>().ok();
    };
    let exponent = number.exponent - number.fraction.len() as i64 + i64::from(shift);
    if let Some(value) = number.exact_product(exponent) {
        return Some(value);
    }
    let mut buffer = NumberBuffer::new();
    if number.negative {
        buffer.push(b"-");
    }
    buffer.push(number.integer.as_bytes());
    buffer.push(number.fraction.as_bytes());
    buffer.push(b"e");
    let mut exponent_text = [0u8; 24];
    let exponent_len = write_i64(exponent, &mut exponent_text);
    buffer.push(&exponent_text[..exponent_len]);
    buffer.as_str().and_then(|s| s.parse::<f64>().ok())
}

/// Shows a base-unit value in a unit with decimal shift `shift`, as it was
/// written: the shortest text that reads back as the same double, with the
/// decimal point moved textually (131400.0 with shift 3 → `131.4`; 0.35 with
/// shift −2 → `35`). Never in exponent form, like `f64`'s `Display`.
pub fn display_value(base_value: f64, shift: i32) -> String {
    let Some(digits) = Digits::of(base_value) else {
        return base_value.to_string();
    };
    let point = digits.point - shift;
    let digits_len = digits.len as i32;
    let mut text = String::with_capacity(digits.len + 4);
    if digits.negative {
        text.push('-');
    }
    let zeros = |text: &mut String, count: i32| text.extend((0..count).map(|_| '0'));
    if digits.len == 0 {
        text.push('0');
    } else if point <= 0 {
        text.push_str("0.");
        zeros(&mut text, -point);
        text.push_str(digits.as_str());
    } else if point >= digits_len {
        text.push_str(digits.as_str());
        zeros(&mut text, point - digits_len);
    } else {
        let (whole, fraction) = digits.as_str().split_at(point as usize);
        text.push_str(whole);
        text.push('.');
        text.push_str(fraction);
    }
    text
}

/// The number of digits after the decimal point of
/// `display_value(base_value, shift)`, without writing it.
pub fn display_decimals(base_value: f64, shift: i32) -> usize {
    match Digits::of(base_value) {
        Some(digits) if digits.len > 0 => {
            (digits.len as i32 - (digits.point - shift)).max(0) as usize
        }
        _ => 0,
    }
}

/// The most digits after the decimal point among `display_value(v, shift)`
/// of `values`: [`display_decimals`] of each, but mostly without writing
/// any text, as a value with no more digits than the most so far needs only
/// a multiplication to show it ([`has_at_most_decimals`]).
pub fn max_display_decimals(values: impl IntoIterator<Item = f64>, shift: i32) -> usize {
    let mut most = 0;
    for value in values {
        if !has_at_most_decimals(value, shift, most) {
            most = most.max(display_decimals(value, shift));
        }
    }
    most
}

/// Whether `display_value(value, shift)` has at most `places` digits after
/// the point; `false` also when it cannot be told cheaply (the caller then
/// counts them).
///
/// The shown text is the shortest that reads back as `value`, and a
/// shortest text never has more decimals than another text that reads back:
/// so it is enough to find one with `places` decimals (in the display
/// unit), here the value rounded to them. It reads back when dividing its
/// digits by the power of ten gives `value` again: that division, of exact
/// operands, rounds as reading the text does. Below 2^50 the rounding
/// finds those digits whenever they exist.
fn has_at_most_decimals(value: f64, shift: i32, places: usize) -> bool {
    if !value.is_finite() || value == 0.0 {
        return true;
    }
    // Decimals in the base unit: `131.4` thousand is 131400, none.
    let raw = places as i32 - shift;
    let Some(&power) = POWERS_OF_TEN.get(raw.unsigned_abs() as usize) else {
        return false;
    };
    let (digits, back) = if raw >= 0 {
        let digits = (value * power).round();
        (digits, digits / power)
    } else {
        let digits = (value / power).round();
        (digits, digits * power)
    };
    digits.abs() < (1u64 << 50) as f64 && back == value
}

/// 10^0 to 10^22: the powers of ten a double holds exactly.
const POWERS_OF_TEN: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// The significant digits of a finite double's shortest round-trip text
/// (no leading or trailing zeros; none for zero) and where the decimal
/// point stands among them: 1234.5 → `12345`, 4; 0.0012 → `12`, −2.
struct Digits {
    negative: bool,
    bytes: [u8; 24],
    len: usize,
    point: i32,
}

impl Digits {
    fn of(value: f64) -> Option<Digits> {
        if !value.is_finite() {
            return None;
        }
        let mut buffer = zmij::Buffer::new();
        let text = buffer.format_finite(value);
        let (negative, text) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        let (mantissa, exponent) = match text.split_once(['e', 'E']) {
            Some((mantissa, exponent)) => (mantissa, exponent.parse::<i32>().ok()?),
            None => (text, 0),
        };
        let (integer, fraction) = split_at_byte(mantissa, b'.').unwrap_or((mantissa, ""));
        let mut digits = Digits {
            negative,
            bytes: [0; 24],
            len: 0,
            point: integer.len() as i32 + exponent,
        };
        for byte in integer.bytes().chain(fraction.bytes()) {
            if byte == b'0' && digits.len == 0 {
                digits.point -= 1;
            } else if digits.len < digits.bytes.len() {
                digits.bytes[digits.len] = byte;
                digits.len += 1;
            }
        }
        while digits.len > 0 && digits.bytes[digits.len - 1] == b'0' {
            digits.len -= 1;
        }
        if digits.len == 0 {
            digits.point = 0;
        }
        Some(digits)
    }

    fn as_str(&self) -> &str {
        // Only ASCII digits are copied in.
        std::str::from_utf8(&self.bytes[..self.len]).unwrap_or_default()
    }
}

/// A decimal number split into its parts: `-12.50e3` → negative, `12`,
/// `50`, 3.
struct Decimal<'a> {
    negative: bool,
    integer: &'a str,
    fraction: &'a str,
    exponent: i64,
}

impl<'a> Decimal<'a> {
    /// Splits a number written `[+-]digits[.digits][(e|E)[+-]digits]`
    /// (digits on at least one side of the point); `None` otherwise.
    fn split(text: &'a str) -> Option<Decimal<'a>> {
        let (negative, rest) = match text.as_bytes().first() {
            Some(b'-') => (true, &text[1..]),
            Some(b'+') => (false, &text[1..]),
            _ => (false, text),
        };
        let (mantissa, exponent) = match rest.bytes().position(|b| b == b'e' || b == b'E') {
            Some(at) => (&rest[..at], Some(&rest[at + 1..])),
            None => (rest, None),
        };
        let (integer, fraction) = match mantissa.bytes().position(|b| b == b'.') {
            Some(at) => (&mantissa[..at], &mantissa[at + 1..]),
            None => (mantissa, ""),
        };
        let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if (integer.is_empty() && fraction.is_empty()) || !digits(integer) || !digits(fraction) {
            return None;
        }
        let exponent = match exponent {
            None => 0,
            Some(text) => parse_exponent(text)?,
        };
        Some(Decimal {
            negative,
            integer,
            fraction,
            exponent,
        })
    }

    /// The number's digits times 10^`exponent`, when both are exact
    /// doubles (at most 15 digits, a power up to 10^22): one multiplication
    /// or division of exact operands then rounds as reading the text
    /// would. `None` otherwise.
    fn exact_product(&self, exponent: i64) -> Option<f64> {
        let digits = self.integer.len() + self.fraction.len();
        let power = *POWERS_OF_TEN.get(exponent.unsigned_abs() as usize)?;
        if digits > 15 {
            return None;
        }
        let mantissa = self
            .integer
            .bytes()
            .chain(self.fraction.bytes())
            .fold(0u64, |m, b| m * 10 + u64::from(b - b'0')) as f64;
        let value = if exponent >= 0 {
            mantissa * power
        } else {
            mantissa / power
        };
        Some(if self.negative { -value } else { value })
    }
}

/// An exponent, saturating far beyond any double's range.
fn parse_exponent(text: &str) -> Option<i64> {
    let (negative, digits) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let magnitude = digits.bytes().fold(0i64, |acc, b| {
        (acc * 10 + i64::from(b - b'0')).min(1_000_000_000)
    });
    Some(if negative { -magnitude } else { magnitude })
}

fn write_i64(value: i64, out: &mut [u8; 24]) -> usize {
    let mut digits = [0u8; 20];
    let mut n = value.unsigned_abs();
    let mut count = 0;
    loop {
        digits[count] = b'0' + (n % 10) as u8;
        count += 1;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    let mut len = 0;
    if value < 0 {
        out[0] = b'-';
        len = 1;
    }
    for i in (0..count).rev() {
        out[len] = digits[i];
        len += 1;
    }
    len
}

/// Bytes of a rewritten number: on the stack up to 64 bytes, else on the heap.
enum NumberBuffer {
    Stack([u8; 64], usize),
    Heap(Vec<u8>),
}

impl NumberBuffer {
    fn new() -> NumberBuffer {
        NumberBuffer::Stack([0; 64], 0)
    }

    fn push(&mut self, bytes: &[u8]) {
        match self {
            NumberBuffer::Stack(buffer, len) if *len + bytes.len() <= buffer.len() => {
                buffer[*len..*len + bytes.len()].copy_from_slice(bytes);
                *len += bytes.len();
            }
            NumberBuffer::Stack(buffer, len) => {
                let mut heap = buffer[..*len].to_vec();
                heap.extend_from_slice(bytes);
                *self = NumberBuffer::Heap(heap);
            }
            NumberBuffer::Heap(heap) => heap.extend_from_slice(bytes),
        }
    }

    fn as_str(&self) -> Option<&str> {
        let bytes = match self {
            NumberBuffer::Stack(buffer, len) => &buffer[..*len],
            NumberBuffer::Heap(heap) => heap.as_slice(),
        };
        std::str::from_utf8(bytes).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// `display_value` as first written, on `f64`'s own `Display`: slower
    /// (it formats through `fmt` and allocates at every step) but plainly
    /// right, so it is the reference for the digits-based one.
    fn display_by_moving_the_point(base_value: f64, shift: i32) -> String {
        let text = base_value.to_string();
        if shift == 0 || !base_value.is_finite() {
            return text;
        }
        let (sign, magnitude) = match text.strip_prefix('-') {
            Some(rest) => ("-", rest),
            None => ("", text.as_str()),
        };
        let (integer, fraction) = magnitude.split_once('.').unwrap_or((magnitude, ""));
        let digits: String = [integer, fraction].concat();
        let point = integer.len() as i64 - i64::from(shift);
        let (whole, mut part) = if point <= 0 {
            (
                "0".to_string(),
                "0".repeat(point.unsigned_abs() as usize) + &digits,
            )
        } else if point as usize >= digits.len() {
            (
                digits.clone() + &"0".repeat(point as usize - digits.len()),
                String::new(),
            )
        } else {
            let (w, p) = digits.split_at(point as usize);
            (w.to_string(), p.to_string())
        };
        let whole = match whole.trim_start_matches('0') {
            "" => "0".to_string(),
            trimmed => trimmed.to_string(),
        };
        part.truncate(part.trim_end_matches('0').len());
        if part.is_empty() {
            format!("{sign}{whole}")
        } else {
            format!("{sign}{whole}.{part}")
        }
    }

    fn assert_same(value: f64, shift: i32) {
        let expected = display_by_moving_the_point(value, shift);
        assert_eq!(
            display_value(value, shift),
            expected,
            "{value:e} shift {shift}"
        );
        let decimals = expected.split_once('.').map_or(0, |(_, f)| f.len());
        assert_eq!(
            display_decimals(value, shift),
            decimals,
            "{value:e} shift {shift}"
        );
    }

    #[test]
    fn written_values_show_as_written() {
        assert_eq!(display_value(131_400.0, 3), "131.4");
        assert_eq!(display_value(0.35, -2), "35");
        assert_eq!(display_value(-0.0, 0), "-0");
        assert_eq!(display_value(1e21, 0), "1000000000000000000000");
        assert_eq!(display_value(1.5e-7, 0), "0.00000015");
        assert_eq!(display_value(f64::NAN, 3), "NaN");
        assert_eq!(display_decimals(2562.31, 0), 2);
        for value in [
            0.0,
            -0.0,
            1.0,
            0.1,
            0.3,
            2.5,
            1e-300,
            5e-324,
            f64::MAX,
            f64::MIN_POSITIVE,
        ] {
            for shift in [-12, -2, 0, 3, 6, 12] {
                assert_same(value, shift);
            }
        }
    }

    /// The digits, without sign, point and the zeros around them.
    fn significant(text: &str) -> String {
        let digits: String = text.chars().filter(char::is_ascii_digit).collect();
        digits.trim_matches('0').to_string()
    }

    proptest! {
        /// Any double: the text reads back as the same double and has as
        /// many digits as `Display` gives. (When 17 digits are needed and
        /// the double lies halfway between two texts, the last digit may be
        /// rounded to even where `Display` rounds up: both read back.)
        #[test]
        fn any_double_shows_as_the_shortest_text_that_reads_back_as_it(
            bits in any::<u64>(),
            shift in -15i32..=15,
        ) {
            let value = f64::from_bits(bits);
            prop_assume!(value.is_finite());
            let text = display_value(value, shift);
            let back = parse_scaled(&text, shift).unwrap();
            prop_assert!(back == value, "{value:e} shift {shift}: {text}");
            let reference = display_by_moving_the_point(value, shift);
            prop_assert_eq!(significant(&text).len(), significant(&reference).len());
            let decimals = text.split_once('.').map_or(0, |(_, f)| f.len());
            prop_assert_eq!(display_decimals(value, shift), decimals);
        }

        /// A number read in a scaled unit is the double nearest its exact
        /// scaled value: what reading its digits with the exponent moved gives.
        #[test]
        fn scaled_numbers_read_as_the_exact_decimal(
            negative in any::<bool>(),
            integer in "[0-9]{0,18}",
            fraction in "[0-9]{0,18}",
            exponent in proptest::option::of(-30i32..=30),
            shift in -15i32..=15,
        ) {
            prop_assume!(!(integer.is_empty() && fraction.is_empty()));
            let sign = if negative { "-" } else { "" };
            let mut text = format!("{sign}{integer}");
            if !fraction.is_empty() {
                text.push('.');
                text.push_str(&fraction);
            }
            if let Some(e) = exponent {
                text.push_str(&format!("e{e}"));
            }
            let moved = exponent.unwrap_or(0) - fraction.len() as i32 + shift;
            let expected: f64 = format!("{sign}{integer}{fraction}e{moved}").parse().unwrap();
            let read = parse_scaled(&text, shift).unwrap();
            prop_assert_eq!(read.to_bits(), expected.to_bits(), "{} shift {}", text, shift);
        }

        /// The most decimals of a series, told mostly without writing text,
        /// are those of the values written one by one.
        #[test]
        fn max_display_decimals_is_the_most_of_each_values_decimals(
            values in proptest::collection::vec(
                prop_oneof![
                    any::<u64>().prop_map(f64::from_bits),
                    (-999_999_999i64..=999_999_999, -12i32..=12)
                        .prop_map(|(m, e)| format!("{m}e{e}").parse::<f64>().unwrap()),
                ],
                0..12,
            ),
            shift in -15i32..=15,
        ) {
            let expected = values.iter().map(|&v| display_decimals(v, shift)).max().unwrap_or(0);
            prop_assert_eq!(max_display_decimals(values.iter().copied(), shift), expected);
        }

        /// Numbers as data files write them (up to 15 significant digits)
        /// show exactly as `Display` shows them, the point moved.
        #[test]
        fn written_decimals_show_as_f64_display_with_the_point_moved(
            mantissa in -999_999_999_999_999i64..=999_999_999_999_999,
            exponent in -20i32..=20,
            shift in -12i32..=12,
        ) {
            let value: f64 = format!("{mantissa}e{exponent}").parse().unwrap();
            assert_same(value, shift);
        }
    }
}
