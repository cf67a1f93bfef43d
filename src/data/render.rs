//! Data errors and warnings shown to people, in the look of the rule-file
//! diagnostics (`diagnostic.rs`): the message, `--> file:line:col`, the
//! offending line of the data file with the field underlined, and a
//! `= help:` line where there is advice. A clash with an earlier row (a
//! conflicting duplicate, mixed frequencies, two units) also shows that
//! row. Errors about a whole file (not found, empty) are one line,
//! `file: error: message`.
//!
//! This module owns turning a [`DataError`]'s line and column into a span
//! of text; it does not decide which errors exist (the loaders do) or how
//! many a command prints (the caller does).
//!
//! Why not [`crate::diagnostic::Diagnostic`]: it renders spans in a source
//! held in memory, with line numbers counted from its start, and one
//! excerpt per message. Data files can be large and a clashing row can be
//! far away or in another file, so each file is read once for the lines
//! the messages need, and each line is shown as its own excerpt with
//! annotate-snippets (the crate `Diagnostic` uses, with the same settings).
//!
//! A column means different things by format (see `error.rs`): in CSV it is
//! a field number, whose span is found by splitting the line; in YAML and
//! JSON it is the character column of a period key, and the span runs to
//! the end of that key's value; for a syntax error or invalid UTF-8 it is
//! the one character where the parser stopped. Column 0 underlines the
//! whole line.

use std::collections::{BTreeSet, HashMap};
use std::fmt::Write as _;
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::ops::Range;
use std::path::Path;

use annotate_snippets::{AnnotationKind, Group, Level as SnippetLevel, Renderer, Snippet};

use super::blocks::MAX_RECORD;
use super::document::find_key;
use super::error::{DataError, DataErrorKind, DataWarning, DataWarningKind, Location};
use super::period::Period;
use crate::diagnostic::Level;
use crate::source::MAX_SHOWN;

/// Lines longer than this many bytes are cut to a window around the span
/// before rendering (annotate-snippets trims long lines for display, but
/// only after walking the whole line, and a minified JSON file is one line).
const LONG_LINE: usize = 4096;
/// How many bytes of a long line are kept on each side of the span, and
/// at most of the span itself.
const WINDOW: usize = 1000;

impl DataError {
    /// This error as [`render_errors`] shows it.
    pub fn render(&self, color: bool) -> String {
        render_errors(std::slice::from_ref(self), color)
    }
}

impl DataWarning {
    /// This warning as [`render_warnings`] shows it.
    pub fn render(&self, color: bool) -> String {
        render_warnings(std::slice::from_ref(self), color)
    }
}

/// Renders errors, one after another, reading each file they name once.
pub fn render_errors(errors: &[DataError], color: bool) -> String {
    let (shown, more) = first_of_each_file(errors, |e| &e.path, "error");
    let messages: Vec<Message<'_>> = shown.into_iter().map(Message::of_error).collect();
    render_all(&messages, color) + &more
}

/// Renders warnings like [`render_errors`].
pub fn render_warnings(warnings: &[DataWarning], color: bool) -> String {
    let (shown, more) = first_of_each_file(warnings, |w| &w.path, "warning");
    let messages: Vec<Message<'_>> = shown.into_iter().map(Message::of_warning).collect();
    render_all(&messages, color) + &more
}

/// The first [`MAX_SHOWN`] items of each file, and a note for each file
/// with more (a file where every row is bad would otherwise print millions
/// of messages).
fn first_of_each_file<'i, T>(
    items: &'i [T],
    path: impl Fn(&T) -> &Path,
    what: &str,
) -> (Vec<&'i T>, String) {
    let mut counts: Vec<(&Path, usize)> = Vec::new();
    let mut shown = Vec::new();
    for item in items {
        let file = path(item);
        let index = match counts.iter().position(|(p, _)| *p == file) {
            Some(index) => index,
            None => {
                counts.push((file, 0));
                counts.len() - 1
            }
        };
        counts[index].1 += 1;
        if counts[index].1 <= MAX_SHOWN {
            shown.push(item);
        }
    }
    let mut more = String::new();
    for (file, count) in counts {
        if count > MAX_SHOWN {
            let _ = write!(
                more,
                "\nnote: {} more {what}s in {} not shown (the first {MAX_SHOWN} are)",
                count - MAX_SHOWN,
                file.display()
            );
        }
    }
    (shown, more)
}

/// What an error or a warning says, and where.
struct Message<'e> {
    level: Level,
    path: &'e Path,
    line: u32,
    column: u32,
    text: String,
    help: Option<&'static str>,
    /// Whether the column is the one character where a parser stopped.
    at_char: bool,
    /// Another place worth showing.
    related: Option<Related<'e>>,
}

/// A second place a message points at: the earlier row a clash is with,
/// the header column a repeated one repeats, or where the construct a
/// parser was reading began.
struct Related<'e> {
    path: &'e Path,
    line: u32,
    span: RelatedSpan,
    note: String,
}

#[derive(Clone, Debug)]
enum RelatedSpan {
    /// A CSV field, by number (from 1).
    Field(u32),
    /// One character, by column (from 1).
    Char(u32),
    /// A YAML or JSON mapping entry, by key.
    Key(String),
    WholeLine,
}

impl<'e> Message<'e> {
    fn of_error(error: &'e DataError) -> Message<'e> {
        let clash = |first, period, note| clash(&error.path, error.column, first, period, note);
        let related = match &error.kind {
            DataErrorKind::ConflictingDuplicate { first, period, .. } => {
                Some(clash(first, Some(period), "first value here"))
            }
            DataErrorKind::MixedFrequency { first, .. } => {
                Some(clash(first, None, "first period here"))
            }
            DataErrorKind::UnitConflict { first, .. } => {
                Some(clash(first, None, "first unit here"))
            }
            DataErrorKind::DuplicateColumn { first, .. } => Some(Related {
                path: &error.path,
                line: error.line,
                span: RelatedSpan::Field(*first),
                note: "first here".to_string(),
            }),
            DataErrorKind::Syntax { message, .. } => {
                parsing_context(message).map(|(what, line, column)| Related {
                    path: &error.path,
                    line,
                    span: RelatedSpan::Char(column),
                    note: format!("{what} starts here"),
                })
            }
            _ => None,
        };
        Message {
            level: Level::Error,
            path: &error.path,
            line: error.line,
            column: error.column,
            text: error.kind.to_string(),
            help: error.help(),
            at_char: matches!(
                error.kind,
                DataErrorKind::Syntax { .. } | DataErrorKind::FileNotUtf8
            ),
            related,
        }
    }

    fn of_warning(warning: &'e DataWarning) -> Message<'e> {
        let related = match &warning.kind {
            DataWarningKind::IdenticalDuplicate { first, period, .. } => clash(
                &warning.path,
                warning.column,
                first,
                Some(period),
                "first value here",
            ),
        };
        Message {
            level: Level::Warning,
            path: &warning.path,
            line: warning.line,
            column: warning.column,
            text: warning.kind.to_string(),
            help: None,
            at_char: false,
            related: Some(related),
        }
    }
}

/// The earlier row a row clashes with. In the same CSV file the clashing
/// field is in the same column; in a YAML or JSON file it is the entry of
/// the same period, when written the way the period prints; otherwise the
/// whole row is shown.
fn clash<'e>(
    path: &Path,
    column: u32,
    first: &'e Location,
    period: Option<&Period>,
    note: &str,
) -> Related<'e> {
    let span = match (Format::of(&first.path).is_csv(), period) {
        (true, _) if first.path == path => RelatedSpan::Field(column),
        (false, Some(period)) => RelatedSpan::Key(period.to_string()),
        _ => RelatedSpan::WholeLine,
    };
    Related {
        path: &first.path,
        line: first.line,
        span,
        note: note.to_string(),
    }
}

/// From a YAML parser's message such as `did not find expected ',' or '}',
/// while parsing a flow mapping at line 3 column 13`: what it was parsing
/// (`the flow mapping`) and where that began.
fn parsing_context(message: &str) -> Option<(String, u32, u32)> {
    let (_, rest) = message.split_once("while parsing ")?;
    let (what, rest) = rest.split_once(" at line ")?;
    let (line, rest) = rest.split_once(" column ")?;
    let column: String = rest.chars().take_while(char::is_ascii_digit).collect();
    let what = what
        .strip_prefix("a ")
        .or_else(|| what.strip_prefix("an "))
        .unwrap_or(what);
    Some((
        format!("the {what}"),
        line.parse().ok()?,
        column.parse().ok()?,
    ))
}

fn render_all(messages: &[Message<'_>], color: bool) -> String {
    let mut wanted: HashMap<&Path, BTreeSet<u32>> = HashMap::new();
    for message in messages {
        if message.line > 0 {
            wanted.entry(message.path).or_default().insert(message.line);
        }
        if let Some(related) = &message.related {
            wanted.entry(related.path).or_default().insert(related.line);
        }
    }
    let files: HashMap<&Path, FileLines> = wanted
        .into_iter()
        .filter_map(|(path, lines)| Some((path, FileLines::read(path, &lines)?)))
        .collect();
    let rendered: Vec<String> = messages
        .iter()
        .map(|message| render_one(message, &files, color))
        .collect();
    rendered.join("\n")
}

fn render_one(message: &Message<'_>, files: &HashMap<&Path, FileLines>, color: bool) -> String {
    let path = message.path.display().to_string();
    let file = files.get(message.path);
    let Some(line) = file.and_then(|f| f.lines.get(&message.line)) else {
        return one_line(message, &path, color);
    };
    let file = file.expect("the line came from this file");
    let (span, label) = primary_span(message, file, line);
    let excerpt = Excerpt::new(line, span);
    let mut annotations = vec![primary(excerpt.span.clone(), label)];
    // The related place: on the same line, a second annotation; elsewhere,
    // a snippet of its own.
    let mut elsewhere = None;
    if let Some(related) = &message.related {
        let related_file = files.get(related.path);
        let related_line = related_file.and_then(|f| f.lines.get(&related.line));
        if let (Some(related_file), Some(related_line)) = (related_file, related_line) {
            let span = related_span(related, related_file, related_line);
            if related.path == message.path && related.line == message.line {
                if excerpt.contains(&span) {
                    let span = excerpt.shift(&span);
                    let note = related.note.as_str();
                    annotations.push(AnnotationKind::Context.span(span).label(note));
                }
            } else {
                let related_path = related.path.display().to_string();
                elsewhere = Some((related_path, Excerpt::new(related_line, span)));
            }
        }
    }
    let level = match message.level {
        Level::Error => SnippetLevel::ERROR,
        Level::Warning => SnippetLevel::WARNING,
    };
    let mut group: Group<'_> = level.primary_title(message.text.as_str()).element(
        Snippet::source(excerpt.text.as_str())
            .line_start(message.line as usize)
            .path(path.as_str())
            .annotations(annotations),
    );
    if let (Some(related), Some((related_path, related_excerpt))) = (&message.related, &elsewhere) {
        group = group.element(
            Snippet::source(related_excerpt.text.as_str())
                .line_start(related.line as usize)
                .path(related_path.as_str())
                .annotation(
                    AnnotationKind::Context
                        .span(related_excerpt.span.clone())
                        .label(related.note.as_str()),
                ),
        );
    }
    if let Some(help) = message.help {
        group = group.element(SnippetLevel::HELP.message(help));
    }
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let mut out = renderer.render(&[group]);
    excerpt.fix_column(&mut out, &path, message.line);
    if let (Some(related), Some((related_path, related_excerpt))) = (&message.related, &elsewhere) {
        related_excerpt.fix_column(&mut out, related_path, related.line);
    }
    out
}

/// The span a related place underlines in its line.
fn related_span(related: &Related<'_>, file: &FileLines, line: &str) -> Range<usize> {
    let format = Format::of(related.path);
    match &related.span {
        RelatedSpan::Field(column) if format.is_csv() => {
            csv_field_span(line, format.delimiter(file), *column)
        }
        RelatedSpan::Char(column) => column
            .checked_sub(1)
            .map(|index| char_span(line, index as usize)),
        RelatedSpan::Key(key) => find_key(line, key).map(|at| item_span(line, at)),
        RelatedSpan::Field(_) | RelatedSpan::WholeLine => None,
    }
    .unwrap_or_else(|| whole_line(line))
}

/// `file: error: message` for an error with no line to show (the whole
/// file, or a line that can no longer be read).
fn one_line(message: &Message<'_>, path: &str, color: bool) -> String {
    let position = match (message.line, message.column) {
        (0, _) => path.to_string(),
        (line, 0) => format!("{path}:{line}"),
        (line, column) => format!("{path}:{line}:{column}"),
    };
    let level = match message.level {
        Level::Error => "error",
        Level::Warning => "warning",
    };
    let mut out = if color {
        let style = match message.level {
            Level::Error => "\x1b[1m\x1b[91m",
            Level::Warning => "\x1b[1m\x1b[93m",
        };
        format!(
            "{position}: {style}{level}\x1b[0m\x1b[1m: {}\x1b[0m",
            message.text
        )
    } else {
        format!("{position}: {level}: {}", message.text)
    };
    if let Some(help) = message.help {
        out.push_str(&format!("\n  = help: {help}"));
    }
    out
}

fn primary(span: Range<usize>, label: Option<String>) -> annotate_snippets::Annotation<'static> {
    let annotation = AnnotationKind::Primary.span(span);
    match label {
        Some(label) => annotation.label(label),
        None => annotation,
    }
}

/// The span a message underlines in its line, and a label naming the CSV
/// column.
fn primary_span(
    message: &Message<'_>,
    file: &FileLines,
    line: &str,
) -> (Range<usize>, Option<String>) {
    if message.column == 0 {
        return (whole_line(line), None);
    }
    let format = Format::of(message.path);
    let index = message.column as usize - 1;
    if message.at_char {
        return (char_span(line, index), None);
    }
    if !format.is_csv() {
        return (item_span(line, byte_of_char(line, index)), None);
    }
    let delimiter = format.delimiter(file);
    let name = file
        .header
        .as_ref()
        .filter(|(number, _)| *number != message.line)
        .and_then(|(_, header)| {
            let range = csv_fields(header, delimiter).into_iter().nth(index)?;
            Some(unquote(&header[range]))
        })
        .filter(|name| !name.is_empty());
    let label = match name {
        Some(name) => format!("column {} (`{name}`)", message.column),
        None => format!("column {}", message.column),
    };
    match csv_field_span(line, delimiter, message.column) {
        Some(span) => (span, Some(label)),
        // A quoted field with a line break puts later fields on later lines.
        None => (
            whole_line(line),
            Some(format!("{label}, on a later line of this row")),
        ),
    }
}

/// The one character at character index `index` of a line (an empty span
/// past its end).
fn char_span(line: &str, index: usize) -> Range<usize> {
    let start = byte_of_char(line, index);
    let width = line[start..].chars().next().map_or(0, char::len_utf8);
    start..start + width
}

/// The line shown for a message: the whole line, or for a long one a
/// window around the span with `...` where it was cut.
struct Excerpt {
    text: String,
    /// The span within `text`.
    span: Range<usize>,
    /// For a cut line: the byte range of the line kept in `text` (`from`,
    /// `to`), and the length of the `...` before it.
    cut: Option<(usize, usize, usize)>,
    /// The character columns (from 1) of the span in the line and in `text`.
    columns: (usize, usize),
}

impl Excerpt {
    fn new(line: &str, span: Range<usize>) -> Excerpt {
        let start = span.start.min(line.len());
        let end = span.end.clamp(start, line.len());
        let column = line[..start].chars().count() + 1;
        if line.len() <= LONG_LINE {
            return Excerpt {
                text: line.to_string(),
                span: start..end,
                cut: None,
                columns: (column, column),
            };
        }
        let end = floor_char_boundary(line, end.min(start + WINDOW));
        let from = floor_char_boundary(line, start.saturating_sub(WINDOW));
        let to = ceil_char_boundary(line, (end + WINDOW).min(line.len()));
        let prefix = if from > 0 { "..." } else { "" };
        let suffix = if to < line.len() { "..." } else { "" };
        let text = format!("{prefix}{}{suffix}", &line[from..to]);
        let shift = |at: usize| at - from + prefix.len();
        let span = shift(start)..shift(end);
        let shown_column = text[..span.start].chars().count() + 1;
        Excerpt {
            text,
            span,
            cut: Some((from, to, prefix.len())),
            columns: (column, shown_column),
        }
    }

    /// Whether a span of the line is in the excerpt.
    fn contains(&self, span: &Range<usize>) -> bool {
        match self.cut {
            None => true,
            Some((from, to, _)) => span.start >= from && span.end <= to,
        }
    }

    /// A span of the line as a span of the excerpt (see [`Excerpt::contains`]).
    fn shift(&self, span: &Range<usize>) -> Range<usize> {
        match self.cut {
            None => span.clone(),
            Some((from, _, prefix)) => span.start - from + prefix..span.end - from + prefix,
        }
    }

    /// The renderer counts columns in the excerpt; a cut line's `-->` must
    /// give the column in the file.
    fn fix_column(&self, out: &mut String, path: &str, line: u32) {
        let (real, shown) = self.columns;
        if real == shown {
            return;
        }
        let wrong = format!("{path}:{line}:{shown}");
        let found = out.match_indices(&wrong).map(|(at, _)| at).find(|&at| {
            // `file:3:1` is not the start of `file:3:12`.
            !out[at + wrong.len()..].starts_with(|c: char| c.is_ascii_digit())
        });
        if let Some(at) = found {
            out.replace_range(at..at + wrong.len(), &format!("{path}:{line}:{real}"));
        }
    }
}

/// The formats, as far as rendering cares.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Format {
    Csv,
    Tsv,
    /// YAML, JSON, or a file of no known format.
    Document,
}

impl Format {
    fn of(path: &Path) -> Format {
        let extension = path
            .extension()
            .map(|e| e.to_string_lossy().to_lowercase())
            .unwrap_or_default();
        match extension.as_str() {
            "csv" => Format::Csv,
            "tsv" => Format::Tsv,
            _ => Format::Document,
        }
    }

    fn is_csv(self) -> bool {
        matches!(self, Format::Csv | Format::Tsv)
    }

    /// The separator, chosen as the loader chooses it (`csv_long.rs`).
    fn delimiter(self, file: &FileLines) -> u8 {
        match self {
            Format::Tsv => b'\t',
            _ => match &file.header {
                Some((_, header)) if header.contains(';') && !header.contains(',') => b';',
                _ => b',',
            },
        }
    }
}

/// The lines of one file that messages need, and its first non-blank line
/// (a CSV header).
struct FileLines {
    header: Option<(u32, String)>,
    lines: HashMap<u32, String>,
}

impl FileLines {
    /// Reads `wanted` lines (from 1) of a file, or `None` if it cannot be
    /// opened. Invalid UTF-8 is shown as `�`; line ends and a byte-order
    /// mark are left out.
    fn read(path: &Path, wanted: &BTreeSet<u32>) -> Option<FileLines> {
        let mut reader = BufReader::new(File::open(path).ok()?);
        let last = wanted.last().copied().unwrap_or(0);
        let mut file = FileLines {
            header: None,
            lines: HashMap::new(),
        };
        let mut buffer = Vec::new();
        let mut number = 0u32;
        while number < last || file.header.is_none() {
            let whole = read_line(&mut reader, &mut buffer, MAX_LINE).unwrap_or(false);
            if !whole && buffer.is_empty() {
                break;
            }
            number += 1;
            let mut bytes = buffer.as_slice();
            if number == 1 {
                bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
            }
            let blank = bytes.iter().all(u8::is_ascii_whitespace);
            let needed = wanted.contains(&number);
            if needed || (file.header.is_none() && !blank) {
                let text = String::from_utf8_lossy(bytes).into_owned();
                if file.header.is_none() && !blank {
                    file.header = Some((number, text.clone()));
                }
                if needed {
                    file.lines.insert(number, text);
                }
            }
            if !whole {
                break;
            }
        }
        Some(file)
    }
}

/// The most of one line kept for showing it; the rest is skipped.
const MAX_LINE: usize = 1 << 20;

/// Reads one line into `line` (cleared first) without its line end, which
/// is `\n`, `\r\n` or a lone `\r` as in the loaders, keeping its first
/// `keep` bytes. `false` when there is no whole line to read: at the end of
/// the file, or when the line runs on past [`MAX_RECORD`] bytes (where the
/// loaders stop too; `/dev/zero` never ends one).
fn read_line(reader: &mut impl BufRead, line: &mut Vec<u8>, keep: usize) -> std::io::Result<bool> {
    line.clear();
    let mut read = 0;
    let mut any = false;
    loop {
        let buffer = match reader.fill_buf() {
            Ok(buffer) => buffer,
            Err(error) if error.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(error) => return Err(error),
        };
        if buffer.is_empty() {
            return Ok(any);
        }
        any = true;
        let end = memchr::memchr2(b'\n', b'\r', buffer);
        let text = &buffer[..end.unwrap_or(buffer.len())];
        line.extend_from_slice(&text[..text.len().min(keep.saturating_sub(line.len()))]);
        let Some(end) = end else {
            let used = buffer.len();
            reader.consume(used);
            read += used;
            if read > MAX_RECORD {
                return Ok(false);
            }
            continue;
        };
        let cr = buffer[end] == b'\r';
        reader.consume(end + 1);
        if cr
            && reader
                .fill_buf()
                .is_ok_and(|next| next.first() == Some(&b'\n'))
        {
            reader.consume(1);
        }
        return Ok(true);
    }
}

/// The byte ranges of the fields of one CSV line. A field that starts with
/// `"` is quoted up to the closing `"` (`""` inside is a quote); a quoted
/// field still open at the end of the line (it goes on to the next line)
/// ends there.
fn csv_fields(line: &str, delimiter: u8) -> Vec<Range<usize>> {
    let bytes = line.as_bytes();
    let mut fields = Vec::new();
    let mut start = 0;
    let mut quoted = false;
    let mut at = 0;
    while at < bytes.len() {
        let byte = bytes[at];
        if quoted {
            if byte == b'"' {
                if bytes.get(at + 1) == Some(&b'"') {
                    at += 1;
                } else {
                    quoted = false;
                }
            }
        } else if byte == b'"' && bytes[start..at].iter().all(u8::is_ascii_whitespace) {
            quoted = true;
        } else if byte == delimiter {
            fields.push(start..at);
            start = at + 1;
        }
        at += 1;
    }
    fields.push(start..bytes.len());
    fields
}

/// The span of field `column` (from 1) of a CSV line, without the blanks
/// around it; an empty field is an empty span where it would be.
fn csv_field_span(line: &str, delimiter: u8, column: u32) -> Option<Range<usize>> {
    let index = (column as usize).checked_sub(1)?;
    let range = csv_fields(line, delimiter).into_iter().nth(index)?;
    let field = &line[range.clone()];
    let trimmed = field.trim();
    if trimmed.is_empty() {
        return Some(range.start..range.start);
    }
    let start = range.start + (field.len() - field.trim_start().len());
    Some(start..start + trimmed.len())
}

/// A header name as the loader reads it: without quotes or blanks.
fn unquote(field: &str) -> String {
    let field = field.trim();
    match field
        .strip_prefix('"')
        .and_then(|inner| inner.strip_suffix('"'))
    {
        Some(inner) => inner.replace("\"\"", "\""),
        None => field.to_string(),
    }
}

/// The span of a YAML or JSON mapping entry starting at byte `start`: the
/// key and its value, up to a `,`, a closing bracket or a comment outside
/// quotes and brackets, or the end of the line.
fn item_span(line: &str, start: usize) -> Range<usize> {
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    let mut escaped = false;
    let mut previous: Option<char> = None;
    let mut end = line.len();
    for (offset, ch) in line[start..].char_indices() {
        let at = start + offset;
        if let Some(open) = quote {
            if escaped {
                escaped = false;
            } else if ch == '\\' && open == '"' {
                escaped = true;
            } else if ch == open {
                quote = None;
            }
            previous = Some(ch);
            continue;
        }
        let after_gap = previous.is_none_or(|p| p.is_whitespace());
        match ch {
            // A quote opens a string only where a scalar can start (`it's` is plain text).
            '"' | '\'' if previous.is_none_or(|p| p.is_whitespace() || ":,[{".contains(p)) => {
                quote = Some(ch);
            }
            '[' | '{' => depth += 1,
            ']' | '}' if depth == 0 => {
                end = at;
                break;
            }
            ']' | '}' => depth -= 1,
            ',' if depth == 0 => {
                end = at;
                break;
            }
            '#' if depth == 0 && after_gap => {
                end = at;
                break;
            }
            _ => {}
        }
        previous = Some(ch);
    }
    let end = start + line[start..end].trim_end().len();
    start..end.max(start)
}

/// The whole line without leading and trailing blanks.
fn whole_line(line: &str) -> Range<usize> {
    let start = line.len() - line.trim_start().len();
    start..start + line.trim().len()
}

/// The byte offset of character `index` (from 0), or the line's length.
fn byte_of_char(line: &str, index: usize) -> usize {
    line.char_indices()
        .nth(index)
        .map_or(line.len(), |(at, _)| at)
}

fn floor_char_boundary(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn ceil_char_boundary(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at += 1;
    }
    at
}
