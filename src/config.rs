//! `ontrack.yaml`: the defaults of `ontrack check` (SPEC section 6).
//!
//! ```yaml
//! rules: [rules/kz]                  # files or folders
//! data:
//!   - data/kz.csv                    # a path, read as it is
//!   - path: data/estat.csv           # or a path with options
//!     indicator: SDG_07_40
//!     columns: {geo: country}
//!     drop: [freq]
//!     dimensions: {source: eurostat}
//! as_of: 2025-06-30
//! fail_on: missed, off_track         # or a list
//! format: json
//! ```
//!
//! Paths are relative to the folder of the configuration file. Every key is
//! optional; an unknown key is an error naming it. This module reads and
//! checks the file; merging it with the command line is the command's job.

use std::fmt;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use thiserror::Error;

use crate::data::DataSource;
use crate::data::period::Date;
use crate::eval::Status;
use crate::report::Format;

/// The configuration file looked for in the current folder.
pub const FILE_NAME: &str = "ontrack.yaml";

/// A configuration, with every path resolved against the file's folder.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Config {
    /// The file it was read from.
    pub path: PathBuf,
    pub rules: Vec<PathBuf>,
    pub data: Vec<DataSource>,
    pub as_of: Option<Date>,
    pub fail_on: Option<Vec<Status>>,
    pub format: Option<Format>,
}

/// Why a configuration file could not be used.
#[derive(Debug, Error)]
pub enum ConfigError {
    #[error("{}: cannot read: {error}", path.display())]
    Unreadable {
        path: PathBuf,
        error: std::io::Error,
    },
    /// Invalid YAML, a value of the wrong kind or an unknown key; serde's
    /// message names the key.
    #[error("{}: {message}", position(path, *line, *column))]
    Invalid {
        path: PathBuf,
        /// 1-based; 0 when the YAML parser gives no position.
        line: u32,
        column: u32,
        message: String,
    },
}

fn position(path: &Path, line: u32, column: u32) -> String {
    match line {
        0 => path.display().to_string(),
        _ => format!("{}:{line}:{column}", path.display()),
    }
}

/// Reads and checks a configuration file.
pub fn load(path: &Path) -> Result<Config, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|error| ConfigError::Unreadable {
        path: path.to_path_buf(),
        error,
    })?;
    parse(&text, path)
}

/// Parses the text of a configuration file read from `path`.
pub fn parse(text: &str, path: &Path) -> Result<Config, ConfigError> {
    // An empty file (or one with only comments) is a configuration with no defaults.
    let raw: Option<RawConfig> = serde_yaml::from_str(text).map_err(|error| {
        let (line, column) = error
            .location()
            .map_or((0, 0), |l| (l.line() as u32, l.column() as u32));
        ConfigError::Invalid {
            path: path.to_path_buf(),
            line,
            column,
            message: without_position(&error.to_string()),
        }
    })?;
    let raw = raw.unwrap_or_default();
    let folder = path.parent().unwrap_or(Path::new(""));
    let resolve = |p: &Path| {
        if p.is_absolute() {
            p.to_path_buf()
        } else {
            normalize(&folder.join(p))
        }
    };
    Ok(Config {
        path: path.to_path_buf(),
        rules: raw.rules.iter().map(|p| resolve(p)).collect(),
        data: raw
            .data
            .into_iter()
            .map(|entry| {
                let mut source = entry.0;
                source.path = resolve(&source.path);
                source
            })
            .collect(),
        as_of: raw.as_of.map(|d| d.0),
        fail_on: raw.fail_on.map(|f| f.0),
        format: raw.format,
    })
}

/// serde_yaml ends its messages with ` at line L column C`; the position is
/// shown before the message instead, like every other `file:line:col`.
fn without_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(at) => message[..at].to_string(),
        None => message.to_string(),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    #[serde(default)]
    rules: Vec<PathBuf>,
    #[serde(default)]
    data: Vec<DataEntry>,
    as_of: Option<AsOf>,
    fail_on: Option<FailOn>,
    format: Option<Format>,
}

/// A `data` entry: a path, or a mapping read as a [`DataSource`]. Written by
/// hand rather than `#[serde(untagged)]` so that a mistake inside a mapping
/// (an unknown key) keeps serde's message and position.
#[derive(Debug)]
struct DataEntry(DataSource);

impl<'de> Deserialize<'de> for DataEntry {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct EntryVisitor;
        impl<'de> Visitor<'de> for EntryVisitor {
            type Value = DataEntry;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a path, or a mapping with `path` and options")
            }
            fn visit_str<E: de::Error>(self, path: &str) -> Result<DataEntry, E> {
                Ok(DataEntry(DataSource::new(path)))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<DataEntry, A::Error> {
                let source = DataSource::deserialize(de::value::MapAccessDeserializer::new(map))?;
                if source.path.as_os_str().is_empty() {
                    return Err(de::Error::missing_field("path"));
                }
                Ok(DataEntry(source))
            }
        }
        deserializer.deserialize_any(EntryVisitor)
    }
}

/// `as_of: 2025-06-30`
#[derive(Debug)]
struct AsOf(Date);

impl<'de> Deserialize<'de> for AsOf {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Date::parse(&text)
            .map(AsOf)
            .map_err(|error| de::Error::custom(format!("`as_of`: {error}")))
    }
}

/// `fail_on: missed, off_track` or `fail_on: [missed, off_track]`
#[derive(Debug)]
struct FailOn(Vec<Status>);

impl<'de> Deserialize<'de> for FailOn {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct FailOnVisitor;
        impl<'de> Visitor<'de> for FailOnVisitor {
            type Value = FailOn;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a list of statuses, or statuses separated by commas")
            }
            fn visit_str<E: de::Error>(self, text: &str) -> Result<FailOn, E> {
                parse_statuses(text.split(','))
                    .map(FailOn)
                    .map_err(E::custom)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<FailOn, A::Error> {
                let mut names = Vec::new();
                while let Some(name) = seq.next_element::<String>()? {
                    names.push(name);
                }
                parse_statuses(names.iter().map(String::as_str))
                    .map(FailOn)
                    .map_err(de::Error::custom)
            }
        }
        deserializer.deserialize_any(FailOnVisitor)
    }
}

/// A status name that is not one of [`Status::ALL`].
#[derive(Clone, Debug, PartialEq, Eq, Error)]
#[error("unknown status `{name}` (expected {})", status_names())]
pub struct UnknownStatus {
    pub name: String,
}

fn status_names() -> String {
    let names: Vec<&str> = Status::ALL.iter().map(|s| s.as_str()).collect();
    names.join(", ")
}

/// Status names (`missed`, ` off_track `) → statuses, without repeats; an
/// empty name is skipped.
pub fn parse_statuses<'a>(
    names: impl IntoIterator<Item = &'a str>,
) -> Result<Vec<Status>, UnknownStatus> {
    let mut statuses = Vec::new();
    for name in names.into_iter().map(str::trim).filter(|n| !n.is_empty()) {
        let status = Status::parse(name).ok_or_else(|| UnknownStatus {
            name: name.to_string(),
        })?;
        if !statuses.contains(&status) {
            statuses.push(status);
        }
    }
    Ok(statuses)
}

/// `examples/kz/../../rules/x.targets` → `rules/x.targets`: removes `.` and
/// `..` by the text alone (a `..` that climbs above the start is kept), so
/// reports show the paths people write.
fn normalize(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut parts: Vec<Component<'_>> = Vec::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir if matches!(parts.last(), Some(Component::Normal(_))) => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    if parts.is_empty() {
        return PathBuf::from(".");
    }
    parts.iter().collect()
}
