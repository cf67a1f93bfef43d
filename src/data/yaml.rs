//! YAML data files (`.yaml`, `.yml`) with a `series:` list (see
//! `document.rs` for the shape and how lines are found).
//!
//! Hostile input is bounded: files over [`MAX_BYTES`] are refused unread,
//! and the parser's own limits (nesting depth 128, and a cap on how often
//! aliases may repeat nodes) turn deep nesting and alias bombs into syntax
//! errors instead of a hang.

use std::io::Read;

use super::document::{load_series, yaml_lines};
use super::error::DataErrorKind;
use super::row::FileLoad;

/// The largest YAML or JSON file read (a parsed tree takes several times the
/// file's size in memory).
pub(crate) const MAX_BYTES: u64 = 256 << 20;

pub(crate) fn load(load: &mut FileLoad<'_>) {
    let Some(text) = read_text(load) else {
        return;
    };
    match serde_yaml::from_str::<serde_yaml::Value>(&text) {
        Ok(root) => load_series(load, &root, &yaml_lines(&text)),
        Err(error) => {
            let (line, column) = error
                .location()
                .map_or((0, 0), |l| (l.line() as u32, l.column() as u32));
            let message = strip_position(&error.to_string());
            load.fail(
                line,
                column,
                DataErrorKind::Syntax {
                    format: "YAML",
                    message,
                },
            );
        }
    }
}

/// Reads a whole YAML or JSON file as text, reporting a missing, oversized,
/// empty or non-UTF-8 file.
pub(crate) fn read_text(load: &mut FileLoad<'_>) -> Option<String> {
    let path = load.path().to_path_buf();
    let size = match std::fs::metadata(&path) {
        Ok(metadata) => metadata.len(),
        Err(error) => {
            load.fail(0, 0, super::csv_long::io_error(&error));
            return None;
        }
    };
    if size > MAX_BYTES {
        let kind = DataErrorKind::TooLarge { limit: MAX_BYTES };
        load.fail(0, 0, kind);
        return None;
    }
    // Read no more than the limit, whatever the size said (a device or a
    // pipe says 0).
    let mut bytes = Vec::new();
    let read = std::fs::File::open(&path)
        .and_then(|file| file.take(MAX_BYTES + 1).read_to_end(&mut bytes));
    if let Err(error) = read {
        load.fail(0, 0, super::csv_long::io_error(&error));
        return None;
    }
    if bytes.len() as u64 > MAX_BYTES {
        let kind = DataErrorKind::TooLarge { limit: MAX_BYTES };
        load.fail(0, 0, kind);
        return None;
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    if bytes.trim_ascii().is_empty() {
        load.fail(0, 0, DataErrorKind::EmptyFile);
        return None;
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => Some(text.to_string()),
        Err(error) => {
            let valid = &bytes[..error.valid_up_to()];
            let line = valid.iter().filter(|&&b| b == b'\n').count() as u32 + 1;
            let line_start = valid.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
            let column = String::from_utf8_lossy(&valid[line_start..])
                .chars()
                .count() as u32
                + 1;
            load.fail(line, column, DataErrorKind::FileNotUtf8);
            None
        }
    }
}

/// A parser's message without ` at line L column C`, since the error
/// carries the position itself.
pub(crate) fn strip_position(message: &str) -> String {
    let Some(at) = message.find(" at line ") else {
        return message.to_string();
    };
    let rest = &message[at + " at line ".len()..];
    let rest = rest.trim_start_matches(|c: char| c.is_ascii_digit());
    let rest = rest.strip_prefix(" column ").unwrap_or(rest);
    let rest = rest.trim_start_matches(|c: char| c.is_ascii_digit());
    format!("{}{rest}", &message[..at])
}
