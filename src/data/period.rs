//! Periods and calendar dates (SPEC section 1).
//!
//! A [`Period`] is a year, quarter, month or day. Rules write periods one way
//! (`2025`, `2025-Q3`, `2025-03`, `2025-03-31`, see [`Period::parse`]); data
//! files may also write `2025Q3` and `2025M03` ([`Period::parse_data`]). This
//! module owns period arithmetic: spans, the one-year shift, the distance in
//! years and the last period of a frequency that ends by a date.

use std::cmp::Ordering;
use std::fmt;

use thiserror::Error;

/// How often a series is observed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Frequency {
    Year,
    Quarter,
    Month,
    Day,
}

impl Frequency {
    pub fn name(self) -> &'static str {
        match self {
            Frequency::Year => "annual",
            Frequency::Quarter => "quarterly",
            Frequency::Month => "monthly",
            Frequency::Day => "daily",
        }
    }
}

/// A calendar date (proleptic Gregorian), years 1 to 9999.
///
/// Four bytes, so that a [`Period`] is eight and an observation (period and
/// value) sixteen: a dataset holds millions of them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Date {
    year: i16,
    month: u8,
    day: u8,
}

impl Date {
    /// A date, if the day exists in that month.
    pub fn new(year: i32, month: u8, day: u8) -> Option<Date> {
        let valid = (1..=9999).contains(&year)
            && (1..=12).contains(&month)
            && day >= 1
            && day <= days_in_month(year, month);
        valid.then(|| Date::of(year, month, day))
    }

    /// A date from parts known to be a valid month and day; years beyond
    /// what a date can hold (far outside 1 to 9999) are clamped.
    fn of(year: i32, month: u8, day: u8) -> Date {
        Date {
            year: year.clamp(i32::from(i16::MIN), i32::from(i16::MAX)) as i16,
            month,
            day,
        }
    }

    pub fn year(self) -> i32 {
        i32::from(self.year)
    }

    /// The month, 1 to 12.
    pub fn month(self) -> u8 {
        self.month
    }

    pub fn day(self) -> u8 {
        self.day
    }

    /// Parses `YYYY-MM-DD`.
    pub fn parse(text: &str) -> Result<Date, PeriodError> {
        match Period::parse(text)? {
            Period::Day(date) => Ok(date),
            _ => Err(PeriodError::NotADate(text.to_string())),
        }
    }

    /// Days since 1970-01-01 (negative before).
    pub fn days_since_epoch(self) -> i64 {
        // Howard Hinnant's days_from_civil.
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The date `days` days after 1970-01-01.
    pub fn from_days_since_epoch(days: i64) -> Date {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = (yoe + era * 400 + i64::from(month <= 2))
            .clamp(i64::from(i16::MIN), i64::from(i16::MAX));
        Date::of(year as i32, month, day)
    }

    /// Today's date in UTC.
    pub fn today() -> Date {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        Date::from_days_since_epoch((secs / 86_400) as i64)
    }

    /// The same day `months` months earlier (or later, if negative), with the
    /// day clamped to the end of a shorter month (29 February → 28th).
    pub fn shift_months(self, months: i32) -> Date {
        let index = self.month_index() - months;
        let year = index.div_euclid(12);
        let month = (index.rem_euclid(12) + 1) as u8;
        let day = self.day.min(days_in_month(year, month));
        Date::of(year, month, day)
    }

    fn month_index(self) -> i32 {
        self.year() * 12 + i32::from(self.month) - 1
    }

    fn is_month_end(self) -> bool {
        self.day == days_in_month(self.year(), self.month)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

pub fn is_leap_year(year: i32) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

pub fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap_year(year) => 29,
        2 => 28,
        _ => 0,
    }
}

/// A year, quarter, month or day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Period {
    Year(i32),
    /// Year and quarter (1–4).
    Quarter(i32, u8),
    /// Year and month (1–12).
    Month(i32, u8),
    Day(Date),
}

/// Why a text is not a valid period.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum PeriodError {
    #[error("`{0}` is not a period")]
    NotAPeriod(String),
    #[error("`{0}` is not a date (YYYY-MM-DD)")]
    NotADate(String),
    #[error("a year has four digits, not `{0}`")]
    YearDigits(String),
    #[error("year 0 does not exist")]
    YearZero,
    #[error("months and days have two digits, not `{0}`")]
    TwoDigits(String),
    #[error("there is no month {0}")]
    Month(u32),
    #[error("there is no quarter {0}")]
    Quarter(u32),
    #[error("{year}-{month:02} has no day {day}")]
    Day { year: i32, month: u8, day: u32 },
    #[error("quarters are written with a capital `Q`")]
    LowercaseQuarter,
}

impl PeriodError {
    /// Advice on how to write the period, where there is any.
    pub fn help(&self) -> Option<&'static str> {
        match self {
            PeriodError::NotAPeriod(_) | PeriodError::NotADate(_) => {
                Some("periods are written 2025, 2025-Q3, 2025-03 or 2025-03-31")
            }
            PeriodError::YearDigits(_) => Some("write the whole year, e.g. `2025`"),
            PeriodError::TwoDigits(_) => Some("write e.g. `2025-03` or `2025-03-09`"),
            PeriodError::LowercaseQuarter => Some("write e.g. `2025-Q3`"),
            PeriodError::YearZero
            | PeriodError::Month(_)
            | PeriodError::Quarter(_)
            | PeriodError::Day { .. } => None,
        }
    }
}

impl Period {
    /// Parses a period as rules write it: `2025`, `2025-Q3`, `2025-03`, `2025-03-31`.
    pub fn parse(text: &str) -> Result<Period, PeriodError> {
        let not_a_period = || PeriodError::NotAPeriod(text.to_string());
        let mut parts = text.split('-');
        let year = parse_year(parts.next().ok_or_else(not_a_period)?, text)?;
        let Some(second) = parts.next() else {
            return Ok(Period::Year(year));
        };
        if let Some(quarter) = second.strip_prefix(['Q', 'q']) {
            if parts.next().is_some() || !all_digits(quarter) {
                return Err(not_a_period());
            }
            if second.starts_with('q') {
                return Err(PeriodError::LowercaseQuarter);
            }
            return quarter_period(year, quarter);
        }
        let month = two_digits(second, text)?;
        if !(1..=12).contains(&month) {
            return Err(PeriodError::Month(month));
        }
        let Some(third) = parts.next() else {
            return Ok(Period::Month(year, month as u8));
        };
        if parts.next().is_some() {
            return Err(not_a_period());
        }
        let day = two_digits(third, text)?;
        Date::new(year, month as u8, day.min(99) as u8)
            .map(Period::Day)
            .ok_or(PeriodError::Day {
                year,
                month: month as u8,
                day,
            })
    }

    /// Parses a period as data files write it: the rule forms, plus
    /// `2025Q3` and `2025M03`. Surrounding spaces are ignored.
    pub fn parse_data(text: &str) -> Result<Period, PeriodError> {
        let text = super::row::trim(text);
        let bytes = text.as_bytes();
        // The usual period of a data file, a year: its four digits read once.
        if bytes.len() == 4 && bytes.iter().all(u8::is_ascii_digit) {
            return year_of_digits(bytes).map(Period::Year);
        }
        if bytes.len() > 5 && bytes[..4].iter().all(u8::is_ascii_digit) {
            // `get`: byte 5 is a character boundary only after an ASCII `Q`
            // or `M`, and the text may hold any characters.
            let rest = text.get(5..).unwrap_or_default();
            match bytes[4] {
                b'Q' => return quarter_period(parse_year(&text[..4], text)?, rest),
                b'M' => {
                    let year = parse_year(&text[..4], text)?;
                    let month = two_digits(rest, text)?;
                    if !(1..=12).contains(&month) {
                        return Err(PeriodError::Month(month));
                    }
                    return Ok(Period::Month(year, month as u8));
                }
                _ => {}
            }
        }
        Period::parse(text)
    }

    pub fn frequency(self) -> Frequency {
        match self {
            Period::Year(_) => Frequency::Year,
            Period::Quarter(..) => Frequency::Quarter,
            Period::Month(..) => Frequency::Month,
            Period::Day(_) => Frequency::Day,
        }
    }

    pub fn year(self) -> i32 {
        match self {
            Period::Year(y) | Period::Quarter(y, _) | Period::Month(y, _) => y,
            Period::Day(d) => d.year(),
        }
    }

    /// The first day of the period.
    pub fn start(self) -> Date {
        match self {
            Period::Year(year) => Date::of(year, 1, 1),
            Period::Quarter(year, q) => Date::of(year, q * 3 - 2, 1),
            Period::Month(year, month) => Date::of(year, month, 1),
            Period::Day(date) => date,
        }
    }

    /// The last day of the period.
    pub fn end(self) -> Date {
        let month_end = |year, month| Date::of(year, month, days_in_month(year, month));
        match self {
            Period::Year(year) => Date::of(year, 12, 31),
            Period::Quarter(year, q) => month_end(year, q * 3),
            Period::Month(year, month) => month_end(year, month),
            Period::Day(date) => date,
        }
    }

    /// The period one year earlier (2024-Q2 → 2023-Q2, 2024-02-29 → 2023-02-28).
    pub fn year_earlier(self) -> Period {
        match self {
            Period::Year(y) => Period::Year(y - 1),
            Period::Quarter(y, q) => Period::Quarter(y - 1, q),
            Period::Month(y, m) => Period::Month(y - 1, m),
            Period::Day(date) => Period::Day(date.shift_months(12)),
        }
    }

    /// The last period of `frequency` that ends no later than `date`
    /// (SPEC section 4's "final period": 2025 on monthly data → 2025-12).
    pub fn last_ending_by(frequency: Frequency, date: Date) -> Period {
        let month_complete = date.is_month_end();
        match frequency {
            Frequency::Day => Period::Day(date),
            Frequency::Month => {
                let index = date.month_index() - i32::from(!month_complete);
                Period::Month(index.div_euclid(12), (index.rem_euclid(12) + 1) as u8)
            }
            Frequency::Quarter => {
                let quarter_complete = month_complete && date.month.is_multiple_of(3);
                let index = date.month_index() / 3 - i32::from(!quarter_complete);
                Period::Quarter(index.div_euclid(4), (index.rem_euclid(4) + 1) as u8)
            }
            Frequency::Year => {
                let year_complete = date.month == 12 && date.day == 31;
                Period::Year(date.year() - i32::from(!year_complete))
            }
        }
    }

    /// Orders periods of any frequency by their end, then their start.
    pub fn cmp_by_end(&self, other: &Period) -> Ordering {
        (self.end(), self.start()).cmp(&(other.end(), other.start()))
    }
}

/// The distance in years from the end of `from` to the end of `to`: whole
/// months / 12, or days / 365.25 when either end is not a month's end
/// (2017 → 2022 is 5.0; 2024-Q1 → 2024-Q3 is 0.5).
pub fn years_between(from: Period, to: Period) -> f64 {
    let (a, b) = (from.end(), to.end());
    if a.is_month_end() && b.is_month_end() {
        f64::from(b.month_index() - a.month_index()) / 12.0
    } else {
        (b.days_since_epoch() - a.days_since_epoch()) as f64 / 365.25
    }
}

impl PartialOrd for Period {
    fn partial_cmp(&self, other: &Period) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Period {
    fn cmp(&self, other: &Period) -> Ordering {
        // Periods of one frequency end in the order of their numbers: the
        // common case (a series has one frequency) needs no dates.
        match (self, other) {
            (Period::Year(a), Period::Year(b)) => a.cmp(b),
            (Period::Quarter(a, q), Period::Quarter(b, r))
            | (Period::Month(a, q), Period::Month(b, r)) => (a, q).cmp(&(b, r)),
            (Period::Day(a), Period::Day(b)) => a.cmp(b),
            _ => self
                .cmp_by_end(other)
                .then_with(|| self.frequency().cmp(&other.frequency())),
        }
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(text) = self.text() {
            return f.write_str(&text);
        }
        match self {
            Period::Year(y) => write!(f, "{y:04}"),
            Period::Quarter(y, q) => write!(f, "{y:04}-Q{q}"),
            Period::Month(y, m) => write!(f, "{y:04}-{m:02}"),
            Period::Day(date) => date.fmt(f),
        }
    }
}

impl Period {
    /// The period's text (`2025`, `2025-Q3`, `2025-07`, `2025-07-31`), for
    /// a year of four digits: written without the formatting machinery, as
    /// reports write several periods for every result. `None` for another
    /// year, which only [`fmt::Display`] writes.
    pub fn text(self) -> Option<PeriodText> {
        let year = u32::try_from(self.year()).ok().filter(|&y| y <= 9999)?;
        let mut text = PeriodText {
            bytes: [0; 10],
            len: 0,
        };
        text.push_digits(year, 4);
        match self {
            Period::Year(_) => {}
            Period::Quarter(_, quarter) => {
                text.push(b'-');
                text.push(b'Q');
                text.push_digits(u32::from(quarter), 1);
            }
            Period::Month(_, month) => {
                text.push(b'-');
                text.push_digits(u32::from(month), 2);
            }
            Period::Day(date) => {
                text.push(b'-');
                text.push_digits(u32::from(date.month()), 2);
                text.push(b'-');
                text.push_digits(u32::from(date.day()), 2);
            }
        }
        Some(text)
    }
}

/// A period's text, held in place ([`Period::text`]).
#[derive(Clone, Copy, Debug)]
pub struct PeriodText {
    bytes: [u8; 10],
    len: u8,
}

impl PeriodText {
    fn push(&mut self, byte: u8) {
        if let Some(slot) = self.bytes.get_mut(usize::from(self.len)) {
            *slot = byte;
            self.len += 1;
        }
    }

    /// The last `width` decimal digits of `value`.
    fn push_digits(&mut self, value: u32, width: u32) {
        for place in (0..width).rev() {
            self.push(b'0' + (value / 10u32.pow(place) % 10) as u8);
        }
    }
}

impl std::ops::Deref for PeriodText {
    type Target = str;

    fn deref(&self) -> &str {
        // ASCII digits, `-` and `Q` only.
        std::str::from_utf8(&self.bytes[..usize::from(self.len)]).unwrap_or_default()
    }
}

fn all_digits(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit())
}

fn parse_year(text: &str, whole: &str) -> Result<i32, PeriodError> {
    if !all_digits(text) {
        return Err(PeriodError::NotAPeriod(whole.to_string()));
    }
    if text.len() != 4 {
        return Err(PeriodError::YearDigits(text.to_string()));
    }
    year_of_digits(text.as_bytes())
}

/// The year written by four ASCII digits (none is year zero).
fn year_of_digits(digits: &[u8]) -> Result<i32, PeriodError> {
    match digits
        .iter()
        .fold(0, |year, digit| year * 10 + i32::from(digit - b'0'))
    {
        0 => Err(PeriodError::YearZero),
        year => Ok(year),
    }
}

fn two_digits(text: &str, whole: &str) -> Result<u32, PeriodError> {
    if !all_digits(text) {
        return Err(PeriodError::NotAPeriod(whole.to_string()));
    }
    if text.len() != 2 {
        return Err(PeriodError::TwoDigits(whole.to_string()));
    }
    text.parse()
        .map_err(|_| PeriodError::NotAPeriod(whole.to_string()))
}

fn quarter_period(year: i32, quarter: &str) -> Result<Period, PeriodError> {
    match quarter.parse::<u32>() {
        Ok(q @ 1..=4) if quarter.len() == 1 => Ok(Period::Quarter(year, q as u8)),
        Ok(q) => Err(PeriodError::Quarter(q)),
        Err(_) => Err(PeriodError::NotAPeriod(format!("{year}-Q{quarter}"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn any_period() -> impl Strategy<Value = Period> {
        prop_oneof![
            (1i32..=9999).prop_map(Period::Year),
            (1i32..=9999, 1u8..=4).prop_map(|(y, q)| Period::Quarter(y, q)),
            (1i32..=9999, 1u8..=12).prop_map(|(y, m)| Period::Month(y, m)),
            (1i32..=9999, 1u8..=12, 1u8..=31).prop_filter_map("a real day", |(y, m, d)| {
                Date::new(y, m, d).map(Period::Day)
            }),
        ]
    }

    proptest! {
        /// Periods order by their end, then their start, then their
        /// frequency, whichever way the comparison is made.
        #[test]
        fn periods_order_by_end_then_start_then_frequency(a in any_period(), b in any_period()) {
            let by_dates = a.cmp_by_end(&b).then_with(|| a.frequency().cmp(&b.frequency()));
            prop_assert_eq!(a.cmp(&b), by_dates);
            prop_assert_eq!(a.cmp(&b) == Ordering::Equal, a == b);
        }

        /// A year shows as four digits, as `{:04}` writes it.
        #[test]
        fn years_show_as_four_digits(y in -20_000i32..=20_000) {
            prop_assert_eq!(Period::Year(y).to_string(), format!("{y:04}"));
        }

        /// A period's text is what the formatting machinery writes, for
        /// every kind of period; a year beyond four digits has none.
        #[test]
        fn a_period_text_is_what_format_writes(period in any_period(), y in -20_000i32..=20_000) {
            let formatted = match period {
                Period::Year(y) => format!("{y:04}"),
                Period::Quarter(y, q) => format!("{y:04}-Q{q}"),
                Period::Month(y, m) => format!("{y:04}-{m:02}"),
                Period::Day(d) => format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day()),
            };
            let text = period.text();
            prop_assert_eq!(text.as_deref(), Some(formatted.as_str()));
            prop_assert_eq!(period.to_string(), formatted);
            let year = Period::Year(y);
            prop_assert_eq!(year.text().is_some(), (0..=9999).contains(&y));
        }

        /// Most pairs drawn above differ in frequency; these share one.
        #[test]
        fn periods_of_one_frequency_order_by_their_dates(y in 1i32..=9999, z in 1i32..=9999, i in 1u8..=4, j in 1u8..=4) {
            for (a, b) in [
                (Period::Year(y), Period::Year(z)),
                (Period::Quarter(y, i), Period::Quarter(z, j)),
                (Period::Month(y, i * 3), Period::Month(z, j)),
            ] {
                prop_assert_eq!(a.cmp(&b), a.cmp_by_end(&b));
            }
        }
    }
}
