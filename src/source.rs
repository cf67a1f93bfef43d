//! Rule files on disk: finding them under the paths a user gives, and
//! reading them as UTF-8 text.

use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};

use thiserror::Error;

use crate::check::{self, Checked};
use crate::diagnostic::{Diagnostic, Level, LineIndex};
use crate::syntax::{self, ast::RuleFile};

/// The extension of rule files.
pub const EXTENSION: &str = "targets";

/// The largest rule file read (64 MiB, some 800,000 targets): past it, a
/// file is not one people write, and holding its syntax tree would take
/// gigabytes.
pub const MAX_BYTES: u64 = 64 << 20;

/// The most diagnostics shown for one file; past that they only repeat.
pub const MAX_SHOWN: usize = 100;

/// A rule file's path and text.
#[derive(Clone, Debug)]
pub struct SourceFile {
    pub path: PathBuf,
    pub text: String,
}

impl SourceFile {
    /// The path as users wrote it, for messages.
    pub fn name(&self) -> String {
        self.path.display().to_string()
    }

    /// Renders diagnostics about this file: the first [`MAX_SHOWN`], then a
    /// count of the others.
    pub fn render(&self, diagnostics: &[Diagnostic], color: bool) -> String {
        let name = self.name();
        let lines = LineIndex::new(&self.text);
        let mut out: Vec<String> = diagnostics
            .iter()
            .take(MAX_SHOWN)
            .map(|d| d.render_with(&name, &self.text, &lines, color))
            .collect();
        if diagnostics.len() > MAX_SHOWN {
            out.push(format!(
                "{name}: {} more diagnostics not shown",
                diagnostics.len() - MAX_SHOWN
            ));
        }
        out.join("\n")
    }
}

#[derive(Debug, Error)]
pub enum SourceError {
    #[error("{path}: no such file or folder")]
    NotFound { path: PathBuf },
    #[error("{path}: cannot read: {error}")]
    Unreadable {
        path: PathBuf,
        error: std::io::Error,
    },
    #[error("{path}: the file is larger than {} MiB, the limit for a rule file", MAX_BYTES >> 20)]
    TooLarge { path: PathBuf },
    #[error("{path}:{line}:{column}: the file is not valid UTF-8 text")]
    NotUtf8 {
        path: PathBuf,
        line: u32,
        column: u32,
    },
}

/// Reads a rule file. A UTF-8 byte-order mark is left to the grammar.
pub fn read(path: &Path) -> Result<SourceFile, SourceError> {
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|file| file.take(MAX_BYTES + 1).read_to_end(&mut bytes))
        .map_err(|error| match error.kind() {
            std::io::ErrorKind::NotFound => SourceError::NotFound {
                path: path.to_path_buf(),
            },
            _ => SourceError::Unreadable {
                path: path.to_path_buf(),
                error,
            },
        })?;
    if bytes.len() as u64 > MAX_BYTES {
        return Err(SourceError::TooLarge {
            path: path.to_path_buf(),
        });
    }
    match String::from_utf8(bytes) {
        Ok(text) => Ok(SourceFile {
            path: path.to_path_buf(),
            text,
        }),
        Err(error) => {
            let valid_up_to = error.utf8_error().valid_up_to();
            let valid = String::from_utf8_lossy(&error.as_bytes()[..valid_up_to]).into_owned();
            let (line, column) = LineIndex::new(&valid).line_col(&valid, valid.len());
            Err(SourceError::NotUtf8 {
                path: path.to_path_buf(),
                line,
                column,
            })
        }
    }
}

/// The rule files under `paths`: files as given, folders searched for
/// `*.targets` (sorted, so every run reads them in the same order).
pub fn find(paths: &[PathBuf]) -> Result<Vec<PathBuf>, SourceError> {
    let mut files = Vec::new();
    for path in paths {
        let metadata = std::fs::metadata(path).map_err(|error| match error.kind() {
            std::io::ErrorKind::NotFound => SourceError::NotFound { path: path.clone() },
            _ => SourceError::Unreadable {
                path: path.clone(),
                error,
            },
        })?;
        if metadata.is_dir() {
            collect(path, &mut files)?;
        } else {
            files.push(path.clone());
        }
    }
    Ok(files)
}

fn collect(folder: &Path, files: &mut Vec<PathBuf>) -> Result<(), SourceError> {
    let unreadable = |error| SourceError::Unreadable {
        path: folder.to_path_buf(),
        error,
    };
    let mut entries: Vec<PathBuf> = std::fs::read_dir(folder)
        .map_err(unreadable)?
        .map(|entry| entry.map(|e| e.path()))
        .collect::<Result<_, _>>()
        .map_err(unreadable)?;
    entries.sort();
    for entry in entries {
        // Hidden folders (`.git`) and build output are not searched.
        let hidden = entry
            .file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with('.') || n == "target");
        if entry.is_dir() && !hidden {
            collect(&entry, files)?;
        } else if entry.extension().is_some_and(|e| e == EXTENSION) {
            files.push(entry);
        }
    }
    Ok(())
}

/// A rule file parsed and checked: the tree if it parsed, and every diagnostic.
#[derive(Clone, Debug)]
pub struct Linted {
    pub file: Option<RuleFile>,
    pub diagnostics: Vec<Diagnostic>,
}

impl Linted {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(|d| d.level == Level::Error)
    }
}

/// Parses and statically checks a rule file. Static checks run only on a
/// file that parsed: on a broken one they would mostly repeat the syntax errors.
pub fn lint(source: &SourceFile) -> Linted {
    match syntax::parse(&source.text) {
        Ok(file) => {
            let checked: Checked = check::check(&file);
            Linted {
                diagnostics: checked.diagnostics(),
                file: Some(file),
            }
        }
        Err(errors) => Linted {
            file: None,
            diagnostics: errors.iter().map(|e| e.diagnostic()).collect(),
        },
    }
}

/// Counts of diagnostics, for the closing line of `lint`.
#[derive(Clone, Copy, Debug, Default)]
pub struct Tally {
    pub files: usize,
    pub errors: usize,
    pub warnings: usize,
}

impl Tally {
    pub fn add(&mut self, diagnostics: &[Diagnostic]) {
        self.files += 1;
        for d in diagnostics {
            match d.level {
                Level::Error => self.errors += 1,
                Level::Warning => self.warnings += 1,
            }
        }
    }
}

impl fmt::Display for Tally {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
        write!(
            f,
            "{}, {} in {}",
            plural(self.errors, "error"),
            plural(self.warnings, "warning"),
            plural(self.files, "file")
        )
    }
}
