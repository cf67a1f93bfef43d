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
    let text = text.trim();
    if shift == 0 {
        return text.parse::<f64>().ok();
    }
    let Some(number) = Decimal::split(text) else {
        // `inf`, `NaN` and the like: scaling does not change them.
        return text.parse::<f64>().ok();
    };
    let exponent = number.exponent - number.fraction.len() as i64 + i64::from(shift);
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
/// shift −2 → `35`).
pub fn display_value(base_value: f64, shift: i32) -> String {
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
    // The position of the decimal point in `digits` after scaling back.
    let point = integer.len() as i64 - i64::from(shift);
    let (mut whole, mut part) = if point <= 0 {
        let zeros = "0".repeat(point.unsigned_abs() as usize);
        ("0".to_string(), zeros + &digits)
    } else if point as usize >= digits.len() {
        let zeros = "0".repeat(point as usize - digits.len());
        (digits + &zeros, String::new())
    } else {
        let (w, p) = digits.split_at(point as usize);
        (w.to_string(), p.to_string())
    };
    let trimmed_whole = whole.trim_start_matches('0');
    whole = if trimmed_whole.is_empty() {
        "0".to_string()
    } else {
        trimmed_whole.to_string()
    };
    part.truncate(part.trim_end_matches('0').len());
    if part.is_empty() {
        format!("{sign}{whole}")
    } else {
        format!("{sign}{whole}.{part}")
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
        let (mantissa, exponent) = match rest.find(['e', 'E']) {
            Some(at) => (&rest[..at], Some(&rest[at + 1..])),
            None => (rest, None),
        };
        let (integer, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
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
