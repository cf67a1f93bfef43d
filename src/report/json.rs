//! The JSON report (`--format json`): one JSON object, schema version 1.
//!
//! The object is written as it goes: the header fields first, then
//! `results`, one result per line, each serialized on its own as it is
//! evaluated, then `summary`, counted on the way, so the report of a very
//! large run never sits in memory as a whole. Readers should parse it as
//! one JSON document (the order of its fields means nothing); the line
//! breaks between results are only a convenience for `grep` and diffs.
//!
//! # Wire format
//!
//! Numbers are JSON numbers with full precision (the shortest decimal that
//! reads back as the same double); a value that is not finite is `null`.
//! Periods are strings as rules write them (`2025`, `2025-Q3`, `2025-03`,
//! `2025-03-31`); dates are `YYYY-MM-DD`. Fields marked "or null" are
//! always present. Readers must ignore fields they do not know: a later
//! version of the same `schema_version` may add fields, never remove or
//! change one.
//!
//! ```text
//! {
//!   "schema_version": 1,
//!   "as_of": "2025-06-30",                  observations ending later were ignored
//!   "rules": [                              the rule files, in order
//!     {"file": "rules/kz/cars.targets", "title": "…" or null, "source": "…" or null}
//!   ],
//!   "data": [                               the data files, in order
//!     {"file": "data.csv", "rows_read": 1204, "rows_loaded": 1180,
//!      "rows_missing": 20, "rows_rejected": 4}   read = loaded + missing + rejected
//!   ],
//!   "data_warnings": 0,
//!   "results": [ RESULT, … ],
//!   "summary": {"met": 3, "missed": 2, "achieved": 1, "on_track": 4,
//!               "off_track": 1, "no_data": 1, "error": 0}   all seven keys
//! }
//! ```
//!
//! A `RESULT`:
//!
//! | field | type | meaning |
//! |---|---|---|
//! | `id` | string | the target id (`<file stem>:<line>` when it has none) |
//! | `name` | string | `id`, or `id[DIM=value]` for an entity of a `for each` target |
//! | `entity` | object | `{DIM: value}` for a `for each` entity, else `{}` |
//! | `description` | string or null | the target's description |
//! | `file`, `line` | string, number | where the target is written |
//! | `section` | string or null | the rule file's section |
//! | `status` | string | `met`, `missed`, `achieved`, `on_track`, `off_track`, `no_data` or `error` |
//! | `severity` | string | `error` or `warning` (a warning never fails a run) |
//! | `deadline` | string or null | P of `by P` / `in P` |
//! | `values` | list | the values used: `{reference, series, period, value, display, unit, kind, projected_from}` |
//! | `target` | object or null | `{op, value, display, unit}`, the level asked for |
//! | `gap` | object or null | `{absolute, display, relative}`: value − target |
//! | `progress` | object or null | `{actual_cagr, required_cagr, ratio, category}` |
//! | `progress_note` | string or null | why there is no progress assessment |
//! | `projection` | object or null | `{method, window, rate}` |
//! | `latest_period` | string or null | the latest observation used |
//! | `data_age_years` | number or null | how old it is at the as-of date |
//! | `failing_periods` | list of strings | `in each period`: where the condition failed |
//! | `message` | string | a one-line human summary |
//! | `owner`, `source`, `quote` | string or null | the target's attributes |
//! | `tags` | list of strings | the target's tags |
//!
//! In `values`: `value` is in base units (scale and percent removed),
//! `display` the same value as the data writes it in its display unit
//! `unit` (string or null), `kind` `observed` or `projected`, and
//! `projected_from` the period a projected value starts from (else null).
//! In `target` and `gap`, `value`/`absolute` are in base units and
//! `display` in the reference's display unit; `op` has the reference on the
//! left; `relative` is (value − target) / |target|, null when the target is
//! 0. `progress` rates are fractions (`0.031` is 3.1% a year); `category`
//! is `significant_progress`, `moderate_progress`, `insufficient_progress`
//! or `moving_away`. `projection.method` is `cagr` or `linear`, `window`
//! the periods it was fitted to, `rate` the annual growth rate (cagr) or
//! slope per year in base units (linear).
//!
//! `docs/json-report.md` documents the same schema with an example.

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde::Serialize;

use super::{Report, Summary};
use crate::data::period::Period;
use crate::eval::{Status, TargetResult};

/// The version of the wire format above.
pub const SCHEMA_VERSION: u32 = 1;

/// Writes the JSON report, followed by a newline.
pub fn write<W: Write + ?Sized>(report: &Report<'_>, out: &mut W) -> io::Result<()> {
    let header = Header {
        schema_version: SCHEMA_VERSION,
        as_of: report.as_of.to_string(),
        rules: report
            .rules
            .iter()
            .map(|r| RuleFileJson {
                file: r.path.display().to_string(),
                title: r.title(),
                source: r.source(),
            })
            .collect(),
        data: report
            .data
            .iter()
            .map(|a| DataFileJson {
                file: a.path.display().to_string(),
                rows_read: a.rows_read,
                rows_loaded: a.rows_loaded,
                rows_missing: a.rows_missing,
                rows_rejected: a.rows_rejected,
            })
            .collect(),
        data_warnings: report.data_warnings,
    };
    // The header is serialized as an object and left open: its closing
    // brace is replaced by the `results` list, written one result at a time.
    let header = serde_json::to_vec(&header).map_err(io::Error::from)?;
    let open = header
        .strip_suffix(b"}")
        .ok_or_else(|| io::Error::other("a JSON object ends with `}`"))?;
    out.write_all(open)?;
    out.write_all(b",\"results\":[")?;
    let mut summary = Summary::default();
    // Each result is serialized into memory, where it is made (on every
    // core), and written in one call: serde writes a result in hundreds of
    // small pieces, and through `out` each would be a call on the writer.
    let render = |result: &TargetResult, bytes: &mut Vec<u8>| write_result(result, bytes);
    report
        .results
        .each_rendered(&render, &mut |status, severity, bytes| {
            out.write_all(if summary.total() == 0 { b"\n" } else { b",\n" })?;
            summary.add_status(status, severity);
            out.write_all(bytes)
        })?;
    let counts: BTreeMap<Status, usize> = summary.counts().into_iter().collect();
    out.write_all(b"\n],\"summary\":")?;
    serde_json::to_writer(&mut *out, &counts).map_err(io::Error::from)?;
    out.write_all(b"}\n")
}

#[derive(Serialize)]
struct Header<'a> {
    schema_version: u32,
    as_of: String,
    rules: Vec<RuleFileJson<'a>>,
    data: Vec<DataFileJson>,
    data_warnings: usize,
}

#[derive(Serialize)]
struct RuleFileJson<'a> {
    file: String,
    title: Option<&'a str>,
    source: Option<&'a str>,
}

#[derive(Serialize)]
struct DataFileJson {
    file: String,
    rows_read: u64,
    rows_loaded: u64,
    rows_missing: u64,
    rows_rejected: u64,
}

/// Writes one result as a JSON object, its fields in the order of the
/// table above.
///
/// Written field by field rather than through `#[derive(Serialize)]`: a
/// large run has hundreds of thousands of results, and serde_json writes
/// every key and string of each through its escaping loop a byte at a time,
/// which cost as much as evaluating the results did. Here keys are written
/// as they are and a string that needs no escaping (nearly all) is copied
/// whole; numbers and any string that does need escaping are still written
/// by serde_json, so the bytes are exactly what serde_json would write.
fn write_result(r: &TargetResult, out: &mut Vec<u8>) -> io::Result<()> {
    let mut o = Object::open(out);
    o.string("id", &r.id)?;
    o.string("name", &r.name)?;
    let mut entity = Object::open(o.key("entity"));
    if let Some((dimension, value)) = &r.entity {
        string(entity.key_text(dimension)?, value)?;
    }
    entity.close();
    o.optional_string("description", r.description.as_deref())?;
    // What `Path::display` writes, borrowed when the path is UTF-8.
    o.string("file", &r.file.to_string_lossy())?;
    number(o.key("line"), r.line)?;
    o.optional_string("section", r.section.as_deref())?;
    o.string("status", r.status.as_str())?;
    o.string("severity", r.severity.as_str())?;
    optional_period(o.key("deadline"), r.deadline);
    array(o.key("values"), &r.values, |out, v| {
        let mut value = Object::open(out);
        value.string("reference", &v.reference)?;
        value.string("series", &v.series)?;
        period(value.key("period"), v.period);
        number(value.key("value"), v.value)?;
        value.string("display", &v.display)?;
        value.optional_string("unit", v.unit.as_deref())?;
        value.string("kind", v.kind.as_str())?;
        optional_period(value.key("projected_from"), v.projected_from);
        value.close();
        Ok(())
    })?;
    o.object("target", r.target.as_ref(), |target, t| {
        target.string("op", &t.op)?;
        number(target.key("value"), t.value)?;
        target.string("display", &t.display)?;
        target.optional_string("unit", t.unit.as_deref())
    })?;
    o.object("gap", r.gap.as_ref(), |gap, g| {
        number(gap.key("absolute"), g.absolute)?;
        gap.string("display", &g.display)?;
        number(gap.key("relative"), g.relative)
    })?;
    o.object("progress", r.progress.as_ref(), |progress, p| {
        number(progress.key("actual_cagr"), p.actual_cagr)?;
        number(progress.key("required_cagr"), p.required_cagr)?;
        number(progress.key("ratio"), p.ratio)?;
        progress.string("category", p.category.as_str())
    })?;
    o.optional_string("progress_note", r.progress_note.as_deref())?;
    o.object("projection", r.projection.as_ref(), |projection, p| {
        projection.string("method", &p.method)?;
        periods(projection.key("window"), &p.window)?;
        number(projection.key("rate"), p.rate)
    })?;
    optional_period(o.key("latest_period"), r.latest_period);
    number(o.key("data_age_years"), r.data_age_years)?;
    periods(o.key("failing_periods"), &r.failing_periods)?;
    o.string("message", &r.message)?;
    o.optional_string("owner", r.owner.as_deref())?;
    o.optional_string("source", r.source.as_deref())?;
    o.optional_string("quote", r.quote.as_deref())?;
    array(o.key("tags"), &r.tags, |out, tag| string(out, tag))?;
    o.close();
    Ok(())
}

/// A JSON object being written: `{`, then its fields, then `}` on
/// [`Object::close`].
struct Object<'o> {
    out: &'o mut Vec<u8>,
    empty: bool,
}

impl<'o> Object<'o> {
    fn open(out: &'o mut Vec<u8>) -> Object<'o> {
        out.push(b'{');
        Object { out, empty: true }
    }

    /// Starts a field with a key of this module's, which needs no escaping;
    /// its value is to be written next.
    fn key(&mut self, key: &'static str) -> &mut Vec<u8> {
        debug_assert!(plain(key), "{key:?} needs escaping");
        self.comma();
        self.out.push(b'"');
        self.out.extend_from_slice(key.as_bytes());
        self.out.extend_from_slice(b"\":");
        self.out
    }

    /// Starts a field whose key is any text (a dimension name).
    fn key_text(&mut self, key: &str) -> io::Result<&mut Vec<u8>> {
        self.comma();
        string(self.out, key)?;
        self.out.push(b':');
        Ok(self.out)
    }

    fn comma(&mut self) {
        if !self.empty {
            self.out.push(b',');
        }
        self.empty = false;
    }

    fn string(&mut self, key: &'static str, value: &str) -> io::Result<()> {
        string(self.key(key), value)
    }

    fn optional_string(&mut self, key: &'static str, value: Option<&str>) -> io::Result<()> {
        match value {
            Some(value) => self.string(key, value),
            None => {
                null(self.key(key));
                Ok(())
            }
        }
    }

    /// A field whose value is an object (`fields` writes its fields), or
    /// `null` for none.
    fn object<T>(
        &mut self,
        key: &'static str,
        value: Option<&T>,
        fields: impl FnOnce(&mut Object<'_>, &T) -> io::Result<()>,
    ) -> io::Result<()> {
        let out = self.key(key);
        let Some(value) = value else {
            null(out);
            return Ok(());
        };
        let mut object = Object::open(out);
        fields(&mut object, value)?;
        object.close();
        Ok(())
    }

    fn close(self) {
        self.out.push(b'}');
    }
}

/// Whether a string is its own JSON text between quotes: no control
/// character, `"` or `\`, the only bytes JSON (and serde_json) escapes.
fn plain(text: &str) -> bool {
    // Every byte is looked at (no early exit), which the compiler turns
    // into a check of many bytes at once.
    !text.bytes().fold(false, |escape, b| {
        escape | (b < 0x20) | (b == b'"') | (b == b'\\')
    })
}

/// Writes a JSON string.
fn string(out: &mut Vec<u8>, text: &str) -> io::Result<()> {
    if plain(text) {
        out.reserve(text.len() + 2);
        out.push(b'"');
        out.extend_from_slice(text.as_bytes());
        out.push(b'"');
        Ok(())
    } else {
        serde_json::to_writer(out, text).map_err(io::Error::from)
    }
}

fn null(out: &mut Vec<u8>) {
    out.extend_from_slice(b"null");
}

/// Writes a number, or an optional one (`null` for none). serde_json
/// writes a float that is not finite as `null` too: JSON has no NaN or
/// infinity.
fn number(out: &mut Vec<u8>, x: impl Serialize) -> io::Result<()> {
    serde_json::to_writer(out, &x).map_err(io::Error::from)
}

/// Writes a period as a string (`"2025-Q3"`): digits, `-` and `Q`,
/// nothing to escape.
fn period(out: &mut Vec<u8>, period: Period) {
    out.push(b'"');
    match period.text() {
        Some(text) => out.extend_from_slice(text.as_bytes()),
        // A year beyond four digits, as `Display` writes it.
        None => out.extend_from_slice(period.to_string().as_bytes()),
    }
    out.push(b'"');
}

fn optional_period(out: &mut Vec<u8>, value: Option<Period>) {
    match value {
        Some(p) => period(out, p),
        None => null(out),
    }
}

/// Writes periods as an array of strings.
fn periods(out: &mut Vec<u8>, periods: &[Period]) -> io::Result<()> {
    array(out, periods, |out, &p| {
        period(out, p);
        Ok(())
    })
}

/// Writes an array, each item with `item`.
fn array<T>(
    out: &mut Vec<u8>,
    items: &[T],
    mut item: impl FnMut(&mut Vec<u8>, &T) -> io::Result<()>,
) -> io::Result<()> {
    out.push(b'[');
    for (i, x) in items.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        item(out, x)?;
    }
    out.push(b']');
    Ok(())
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn written(write: impl FnOnce(&mut Vec<u8>) -> io::Result<()>) -> String {
        let mut out = Vec::new();
        write(&mut out).expect("writing to memory");
        String::from_utf8(out).expect("UTF-8")
    }

    #[test]
    fn a_character_is_plain_unless_serde_json_escapes_it() {
        for c in (0..=0x7f_u8)
            .map(char::from)
            .chain(['é', '\u{2028}', '\u{feff}'])
        {
            let text = c.to_string();
            let escaped = serde_json::to_string(&text).expect("a string");
            assert_eq!(plain(&text), escaped == format!("\"{text}\""), "{c:?}");
        }
    }

    #[test]
    fn periods_are_written_as_strings() {
        let text = |p| {
            written(|out| {
                period(out, p);
                Ok(())
            })
        };
        assert_eq!(text(Period::Year(2025)), r#""2025""#);
        assert_eq!(text(Period::Quarter(2025, 3)), r#""2025-Q3""#);
        assert_eq!(text(Period::Month(2025, 3)), r#""2025-03""#);
        let far = Period::Year(12_025);
        assert_eq!(text(far), format!("\"{far}\""));
    }

    proptest! {
        #[test]
        fn a_string_is_written_as_serde_json_writes_it(text in any::<String>()) {
            let expected = serde_json::to_string(&text).expect("a string");
            prop_assert_eq!(written(|out| string(out, &text)), expected);
        }

        /// What the schema promises of a number: a text that reads back as
        /// the same double, `null` for one that is not finite.
        #[test]
        fn a_float_is_written_as_serde_json_writes_it(x in any::<f64>()) {
            let expected = serde_json::to_string(&x).expect("a number");
            let text = written(|out| number(out, x));
            prop_assert_eq!(&text, &expected);
            if x.is_finite() {
                let back: f64 = text.parse().expect("a decimal");
                prop_assert_eq!(back.to_bits(), x.to_bits());
            } else {
                prop_assert_eq!(text, "null");
            }
        }
    }
}
