//! Diagnostics: what every stage reports about a rule file, rendered like a
//! compiler's message (`file:line:col`, the source line, the span underlined,
//! and a `help` line where there is advice).
//!
//! Each stage has its own error type (`syntax::SyntaxError`,
//! `check::CheckError`, ...) and turns it into a [`Diagnostic`]; this module
//! only knows how to show one.

use annotate_snippets::{AnnotationKind, Group, Level as SnippetLevel, Renderer, Snippet};

use crate::syntax::ast::Span;

/// How serious a diagnostic is: errors stop the run, warnings do not.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Level {
    Error,
    Warning,
}

/// One message about one place in a source file.
#[derive(Clone, Debug, PartialEq)]
pub struct Diagnostic {
    pub level: Level,
    /// What is wrong, lowercase, without a trailing period.
    pub message: String,
    pub span: Span,
    /// A short note printed under the span.
    pub label: Option<String>,
    /// Advice on the fix.
    pub help: Option<String>,
    /// Other places worth showing (the first definition of a duplicate, ...).
    pub related: Vec<(Span, String)>,
}

impl Diagnostic {
    pub fn error(message: impl Into<String>, span: Span) -> Diagnostic {
        Diagnostic {
            level: Level::Error,
            message: message.into(),
            span,
            label: None,
            help: None,
            related: Vec::new(),
        }
    }

    pub fn warning(message: impl Into<String>, span: Span) -> Diagnostic {
        Diagnostic {
            level: Level::Warning,
            ..Diagnostic::error(message, span)
        }
    }

    pub fn with_label(mut self, label: impl Into<String>) -> Diagnostic {
        self.label = Some(label.into());
        self
    }

    pub fn with_help(mut self, help: Option<impl Into<String>>) -> Diagnostic {
        self.help = help.map(Into::into);
        self
    }

    pub fn with_related(mut self, span: Span, note: impl Into<String>) -> Diagnostic {
        self.related.push((span, note.into()));
        self
    }

    /// Renders the diagnostic against the file it is about, with ANSI colours
    /// when `color` is set.
    pub fn render(&self, path: &str, source: &str, color: bool) -> String {
        self.render_with(path, source, &LineIndex::new(source), color)
    }

    /// [`Diagnostic::render`] with the file's line index built once for all its diagnostics.
    pub fn render_with(&self, path: &str, source: &str, lines: &LineIndex, color: bool) -> String {
        let level = match self.level {
            Level::Error => SnippetLevel::ERROR,
            Level::Warning => SnippetLevel::WARNING,
        };
        let mut spans = vec![(self.span, self.label.clone().unwrap_or_default(), true)];
        spans.extend(
            self.related
                .iter()
                .map(|(span, note)| (*span, note.clone(), false)),
        );
        let first = spans.iter().map(|(s, ..)| s.start).min().unwrap_or(0);
        let last = spans.iter().map(|(s, ..)| s.end).max().unwrap_or(0);
        let excerpt = lines.excerpt(source, first, last);
        let annotations = spans.into_iter().map(|(span, note, primary)| {
            let kind = if primary {
                AnnotationKind::Primary
            } else {
                AnnotationKind::Context
            };
            let start = span.start.clamp(excerpt.start, excerpt.end) - excerpt.start;
            let end = span.end.clamp(excerpt.start, excerpt.end) - excerpt.start;
            let annotation = kind.span(start..end.max(start));
            if note.is_empty() {
                annotation
            } else {
                annotation.label(note)
            }
        });
        let snippet = Snippet::source(&source[excerpt.clone()])
            .line_start(lines.line_of(excerpt.start) as usize)
            .path(path)
            .annotations(annotations);
        let mut group = level.primary_title(self.message.as_str()).element(snippet);
        if let Some(help) = &self.help {
            group = group.element(SnippetLevel::HELP.message(help.as_str()));
        }
        let report: [Group<'_>; 1] = [group];
        let renderer = if color {
            Renderer::styled()
        } else {
            Renderer::plain()
        };
        renderer.render(&report)
    }
}

/// The start of every line of a source, to turn byte offsets into lines and columns.
#[derive(Clone, Debug)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(source: &str) -> LineIndex {
        let mut starts = vec![0];
        let bytes = source.as_bytes();
        for (i, &b) in bytes.iter().enumerate() {
            // `\r\n` and `\n` end a line at the `\n`; a lone `\r` ends one too.
            let ends_line = b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n'));
            if ends_line {
                starts.push(i + 1);
            }
        }
        LineIndex { starts }
    }

    /// The line (from 1) of a byte offset.
    pub fn line_of(&self, offset: usize) -> u32 {
        self.starts.partition_point(|&start| start <= offset) as u32
    }

    /// The line and the column (from 1, in characters) of a byte offset.
    pub fn line_col(&self, source: &str, offset: usize) -> (u32, u32) {
        let line = self.line_of(offset);
        let start = self.starts[line as usize - 1];
        let offset = floor_char_boundary(source, offset.min(source.len()));
        let column = source[start.min(offset)..offset].chars().count() as u32 + 1;
        (line, column)
    }

    /// A span covering `start..end` in `source`, with its line and column.
    pub fn span(&self, source: &str, start: usize, end: usize) -> Span {
        let (line, column) = self.line_col(source, start);
        Span {
            start,
            end,
            line,
            column,
        }
    }

    /// The byte range of the whole lines from the one holding `first` to the one holding `last`.
    fn excerpt(&self, source: &str, first: usize, last: usize) -> std::ops::Range<usize> {
        let start = self.starts[self.line_of(first) as usize - 1];
        let last_line = self.line_of(last.max(first)) as usize;
        let end = self.starts.get(last_line).copied().unwrap_or(source.len());
        // Leave out the line break itself, so the renderer shows no empty line.
        let text = &source[start..end];
        start..start + text.trim_end_matches(['\n', '\r']).len()
    }
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}
