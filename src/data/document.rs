//! The `series:` shape shared by YAML and JSON data files (SPEC section 2):
//!
//! ```yaml
//! series:
//!   - indicator: passenger_cars
//!     country: KZ          # any other scalar key is a dimension
//!     unit: units
//!     values: {2023: 113000, 2024: 131400}
//! ```
//!
//! Both formats are parsed into a `serde_yaml::Value` and walked here. Each
//! entry of `values` is one row. Parsers give no positions for values, so
//! lines are found by a light scan of the text ([`SeriesLines`]): a row's
//! line is the first line at or after its series' start (and before the
//! next series) that holds its period key followed by `:`, and its column
//! that key's character column; when the key cannot be found, the line is
//! the series' first line and the column 0.

use serde_yaml::{Mapping, Value};

use super::error::{DataErrorKind, Shape};
use super::row::{Field, FileLoad, PeriodField, Row};

/// Where each series of a file starts, and how to find a key near it.
pub(crate) struct SeriesLines<'t> {
    pub(crate) lines: Vec<&'t str>,
    /// The 1-based line of the `series` key (1 if not found).
    pub(crate) list: u32,
    /// The 1-based first line of each series entry, in order.
    pub(crate) starts: Vec<u32>,
}

impl SeriesLines<'_> {
    fn series_line(&self, index: usize) -> u32 {
        self.starts.get(index).copied().unwrap_or(self.list)
    }

    /// The line and column of `key` in series `index` (see the module doc).
    fn locate(&self, index: usize, key: &str) -> (u32, u32) {
        let start = self.series_line(index);
        let end = self
            .starts
            .get(index + 1)
            .map_or(self.lines.len() as u32, |&next| next - 1);
        for line in start..=end {
            let Some(text) = self.lines.get(line as usize - 1) else {
                break;
            };
            if let Some(at) = find_key(text, key) {
                return (line, text[..at].chars().count() as u32 + 1);
            }
        }
        (start, 0)
    }
}

/// The byte offset of `key` used as a mapping key in `line` (`key:`,
/// `"key":`, `'key' :`), not as part of a longer word.
pub(crate) fn find_key(line: &str, key: &str) -> Option<usize> {
    if key.is_empty() {
        return None;
    }
    let word = |c: char| c.is_alphanumeric() || matches!(c, '_' | '-' | '.');
    let mut from = 0;
    while let Some(found) = line[from..].find(key) {
        let at = from + found;
        let after = &line[at + key.len()..];
        let before_ok = !line[..at].chars().next_back().is_some_and(word);
        let rest = after.trim_start_matches(['"', '\'']).trim_start();
        if before_ok && rest.starts_with(':') {
            let quoted = line[..at].ends_with(['"', '\'']);
            return Some(if quoted { at - 1 } else { at });
        }
        from = at + key.len();
    }
    None
}

/// Loads the series of a parsed file.
pub(crate) fn load_series(load: &mut FileLoad<'_>, root: &Value, lines: &SeriesLines<'_>) {
    let list = match root {
        Value::Mapping(root) => root.get("series"),
        _ => None,
    };
    let Some(Value::Sequence(list)) = list else {
        let line = if lines.starts.is_empty() {
            1
        } else {
            lines.list
        };
        return load.fail(line, 0, DataErrorKind::Shape(Shape::NoSeriesList));
    };
    for (index, entry) in list.iter().enumerate() {
        match entry {
            Value::Mapping(entry) => series(load, entry, index, lines),
            _ => {
                let line = lines.series_line(index);
                load.fail(line, 0, DataErrorKind::Shape(Shape::SeriesNotMapping));
            }
        }
    }
}

/// Loads one series entry.
fn series(load: &mut FileLoad<'_>, entry: &Mapping, index: usize, lines: &SeriesLines<'_>) {
    let source = load.source;
    let line = lines.series_line(index);
    let mut indicator = source.indicator.clone();
    let mut unit: Option<String> = None;
    let mut values: Option<&Mapping> = None;
    let mut values_key = false;
    let mut dims = Vec::new();
    load.clear_dims();
    for (key, value) in entry {
        let Some(written) = scalar_text(key) else {
            let kind = DataErrorKind::Shape(Shape::NotScalar {
                key: "a key".to_string(),
            });
            load.fail(line, 0, kind);
            continue;
        };
        let renamed = source
            .columns
            .iter()
            .find(|(from, _)| from.eq_ignore_ascii_case(&written))
            .map_or(written.as_str(), |(_, to)| to.as_str());
        let dropped = source
            .drop
            .iter()
            .any(|d| d.eq_ignore_ascii_case(&written) || d.eq_ignore_ascii_case(renamed));
        let lower = renamed.to_lowercase();
        let constant = source.dimensions.keys().any(|d| d.to_lowercase() == lower);
        if dropped || (constant && !matches!(lower.as_str(), "indicator" | "unit" | "values")) {
            continue;
        }
        if lower == "values" {
            values_key = true;
            match value {
                Value::Mapping(map) => values = Some(map),
                _ => {
                    let (key_line, column) = lines.locate(index, &written);
                    let kind = DataErrorKind::Shape(Shape::ValuesNotMapping);
                    load.fail(key_line, column, kind);
                }
            }
            continue;
        }
        let text = match value {
            Value::Null => None,
            other => match scalar_text(other) {
                Some(text) => Some(text),
                None => {
                    let (key_line, column) = lines.locate(index, &written);
                    let kind = DataErrorKind::Shape(Shape::NotScalar { key: written });
                    load.fail(key_line, column, kind);
                    continue;
                }
            },
        };
        match lower.as_str() {
            "indicator" if source.indicator.is_none() => indicator = text,
            "indicator" => {}
            "unit" => unit = text,
            _ => dims.push((renamed.to_string(), text.unwrap_or_default())),
        }
    }
    for (name, value) in &dims {
        let dim = load.builder.dim(name);
        load.push_dim(dim, value);
    }
    for (name, value) in &source.dimensions {
        let dim = load.builder.dim(name.trim());
        load.push_dim(dim, value);
    }
    let Some(values) = values else {
        if !values_key {
            load.fail(line, 0, DataErrorKind::Shape(Shape::NoValues));
        }
        return;
    };
    let indicator = indicator.unwrap_or_default();
    for (period, value) in values {
        let period = scalar_text(period).unwrap_or_default();
        let (row_line, column) = lines.locate(index, &period);
        let value = match value {
            Value::Null => String::new(),
            Value::Bool(_) | Value::Number(_) | Value::String(_) => {
                scalar_text(value).unwrap_or_default()
            }
            Value::Sequence(_) | Value::Mapping(_) | Value::Tagged(_) => {
                let kind = DataErrorKind::Shape(Shape::NotScalar { key: period });
                load.reject(1, row_line, column, kind);
                continue;
            }
        };
        load.add_row(&Row {
            line: row_line,
            indicator: Field::new(&indicator, 0),
            unit: unit.as_deref().map(|u| Field::new(u, 0)),
            period: PeriodField::Text(Field::new(&period, column)),
            value: Field::new(&value, column),
        });
    }
}

/// A scalar as text: numbers as written (integers exactly, other numbers
/// as the shortest text that reads back the same).
fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(text) => Some(text.clone()),
        Value::Bool(flag) => Some(flag.to_string()),
        Value::Number(number) => Some(if let Some(i) = number.as_i64() {
            i.to_string()
        } else if let Some(u) = number.as_u64() {
            u.to_string()
        } else {
            number.as_f64().map_or_else(String::new, |f| f.to_string())
        }),
        Value::Null | Value::Sequence(_) | Value::Mapping(_) | Value::Tagged(_) => None,
    }
}

/// Series starts in a YAML file: the `series:` key at the left margin, then
/// each `-` item at the indentation of the first. A flow-style list
/// (`series: [...]`) has no item lines; its series are located at the key.
pub(crate) fn yaml_lines(text: &str) -> SeriesLines<'_> {
    let lines: Vec<&str> = text.lines().collect();
    let mut list = 1;
    let mut starts = Vec::new();
    let mut item_indent = None;
    let mut in_list = false;
    for (number, line) in lines.iter().enumerate() {
        let number = number as u32 + 1;
        let trimmed = line.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let indent = line.len() - trimmed.len();
        if !in_list {
            if indent == 0 && trimmed.starts_with("series") && find_key(line, "series") == Some(0) {
                in_list = true;
                list = number;
            }
            continue;
        }
        if indent == 0 && !trimmed.starts_with('-') {
            break;
        }
        if trimmed.starts_with('-') && item_indent.is_none_or(|i| i == indent) {
            item_indent = Some(indent);
            starts.push(number);
        }
    }
    SeriesLines {
        lines,
        list,
        starts,
    }
}

/// Series starts in a JSON file: each `{` directly inside the array of the
/// top-level `"series"` key.
pub(crate) fn json_lines(text: &str) -> SeriesLines<'_> {
    let lines: Vec<&str> = text.lines().collect();
    let mut list = 1;
    let mut starts = Vec::new();
    let (mut depth, mut line) = (0usize, 1u32);
    let (mut in_string, mut escaped) = (false, false);
    let mut string_start = 0;
    let mut last_string: &str = "";
    let mut series_key = false;
    let mut array_depth = None;
    for (at, byte) in text.bytes().enumerate() {
        if byte == b'\n' {
            line += 1;
        }
        if in_string {
            match byte {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => {
                    in_string = false;
                    last_string = text.get(string_start..at).unwrap_or_default();
                }
                _ => {}
            }
            continue;
        }
        match byte {
            b'"' => {
                in_string = true;
                string_start = at + 1;
            }
            b':' if depth == 1 && last_string == "series" => {
                series_key = true;
                list = line;
            }
            b'[' | b'{' => {
                if byte == b'[' && series_key && depth == 1 {
                    array_depth = Some(depth + 1);
                }
                if byte == b'{' && array_depth == Some(depth) {
                    starts.push(line);
                }
                depth += 1;
            }
            b']' | b'}' => {
                depth = depth.saturating_sub(1);
                if array_depth.is_some_and(|d| depth < d) {
                    break;
                }
            }
            b',' => series_key = false,
            _ => {}
        }
        if !matches!(byte, b'"' | b':' | b' ' | b'\t' | b'\r' | b'\n') {
            last_string = "";
        }
    }
    SeriesLines {
        lines,
        list,
        starts,
    }
}
