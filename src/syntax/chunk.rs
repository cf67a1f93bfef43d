//! Where a rule file may be cut into chunks that pest parses one at a time,
//! and where its comments are: both found by reading strings, names in
//! backticks, comments and brackets the way the grammar reads them.
//!
//! pest builds the token queue of everything it parses in one call before
//! returning it, so parsing a large file in one call holds the whole file's
//! parse tree in memory at once. `parse.rs` parses a chunk of statements
//! at a time instead, and lowers each chunk before parsing the next.
//!
//! Cutting is only correct at a *boundary*: a place where the parse of the
//! whole file ends one statement and starts the next, and which no attempt
//! of the parser to read the statement before can cross. A boundary is the
//! start of a line that
//!
//! - follows a `\n`,
//! - starts with a character other than a space, a tab, `\r`, `\n`, `#` or a
//!   byte-order mark (so it is not a continuation line, not a blank or
//!   comment line that a continuation skips over, and not read as the
//!   file's leading byte-order mark when a chunk starts there), and
//! - is outside brackets: every `(` and `{` before it has been closed.
//!
//! The grammar lets a statement run past a line end only into an indented
//! line (after any blank and comment lines) or while inside brackets (the
//! `continuation` rule), and no token holds a line break. So the parse of a
//! statement that starts before a boundary can never get past it, whether
//! the statement parses or not: pest's pairs and its errors (the furthest
//! position it reached, and what it expected there) are the same for the
//! chunk as for the whole file. (Except for an error at the very start of
//! a chunk, which pest reports with less context than after a statement;
//! `parse.rs` parses such a chunk again together with the one before it.)
//!
//! Brackets are counted the way the grammar reads them: a `(` or `{` inside
//! a string, a name in backticks or a comment is not a bracket. Strings and
//! names in backticks end at their closing quote or at the end of their line
//! (the grammar does not let them span lines), comments at the end of their
//! line; `\r` ends a line as `\n` does, as pest's `NEWLINE` does. In a part
//! of the file that parses, every bracket this scan counts is one the parser
//! pushed on or dropped from its stack, so "outside brackets" here is
//! "outside brackets" to the parser. In a part that does not parse (a
//! stray `)`, an unclosed `(`), the count may be off, but only towards
//! fewer boundaries: an unclosed bracket leaves the rest of the file in one
//! chunk.

use std::ops::Range;

/// The end of the chunk that starts at `start` (the start of the file or a
/// boundary): the first boundary at least `min_len` bytes after `start`,
/// or the end of the source.
pub(super) fn chunk_end(source: &str, start: usize, min_len: usize) -> usize {
    let bytes = source.as_bytes();
    let wanted = start.saturating_add(min_len);
    if wanted >= bytes.len() {
        return bytes.len();
    }
    let mut depth = 0usize;
    let mut i = start;
    while i < bytes.len() {
        match bytes[i] {
            b'\n' => {
                let line = i + 1;
                if depth == 0 && line >= wanted && starts_statement(&bytes[line..]) {
                    return line;
                }
            }
            quote @ (b'"' | b'`') => {
                i = after_quoted(bytes, i + 1, quote);
                continue;
            }
            b'#' => {
                i = line_break(bytes, i);
                continue;
            }
            b'(' | b'{' => depth += 1,
            // A stray closing bracket is a syntax error; it closes nothing.
            b')' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
    bytes.len()
}

/// The comments of `text`, a part of a file that parses: from each `#`
/// outside strings and names in backticks to the end of its line.
pub(super) fn comments(text: &str) -> Vec<Range<usize>> {
    let bytes = text.as_bytes();
    let mut comments = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            quote @ (b'"' | b'`') => i = after_quoted(bytes, i + 1, quote),
            b'#' => {
                let end = line_break(bytes, i);
                comments.push(i..end);
                i = end;
            }
            _ => i += 1,
        }
    }
    comments
}

/// Whether a line can start a chunk (see the module's documentation).
fn starts_statement(line: &[u8]) -> bool {
    const BYTE_ORDER_MARK: &[u8] = "\u{feff}".as_bytes();
    line.first()
        .is_some_and(|b| !matches!(b, b' ' | b'\t' | b'\r' | b'\n' | b'#'))
        && !line.starts_with(BYTE_ORDER_MARK)
}

/// Where a string or a name in backticks whose text starts at `from` ends:
/// just after its closing `quote`, or at the line break that ends it
/// unclosed. In a string, `\` escapes the character after it.
fn after_quoted(bytes: &[u8], from: usize, quote: u8) -> usize {
    let mut i = from;
    while i < bytes.len() {
        match bytes[i] {
            b'\n' | b'\r' => return i,
            b'\\' if quote == b'"' && !matches!(bytes.get(i + 1), Some(b'\n' | b'\r')) => i += 1,
            b if b == quote => return i + 1,
            _ => {}
        }
        i += 1;
    }
    bytes.len()
}

/// The position of the line break that ends the line holding `from`.
fn line_break(bytes: &[u8], from: usize) -> usize {
    bytes[from..]
        .iter()
        .position(|&b| b == b'\n' || b == b'\r')
        .map_or(bytes.len(), |n| from + n)
}
