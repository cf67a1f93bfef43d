//! JSON data files (`.json`) with a `series` list, the same shape as YAML
//! files (see `document.rs`). The parser refuses nesting deeper than 128
//! levels; size is bounded as for YAML.

use super::document::{json_lines, load_series};
use super::error::DataErrorKind;
use super::row::FileLoad;
use super::yaml::{read_text, strip_position};

pub(crate) fn load(load: &mut FileLoad<'_>) {
    let Some(text) = read_text(load) else {
        return;
    };
    // JSON is read into YAML's value type so that one walker serves both.
    match serde_json::from_str::<serde_yaml::Value>(&text) {
        Ok(root) => load_series(load, &root, &json_lines(&text)),
        Err(error) => {
            let kind = DataErrorKind::Syntax {
                format: "JSON",
                message: strip_position(&error.to_string()),
            };
            load.fail(error.line() as u32, error.column() as u32, kind);
        }
    }
}
