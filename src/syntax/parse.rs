//! From source text to the typed AST: runs the pest grammar
//! (`grammar/targets.pest`) and lowers its pairs, one function per grammar
//! rule. pest's `Pair`s never leave this module.
//!
//! pest reads a file a chunk of statements at a time (`chunk.rs` says
//! where a file may be cut), and each chunk is lowered before the next is
//! read, so memory holds one chunk's parse tree rather than the file's. A
//! large file is cut into parts that several threads read (`read_from`).
//!
//! A syntax error does not stop the reading of a file: parsing resumes at
//! the next statement (the next line that starts at column 0), so one run
//! reports every broken statement.

use std::cell::Cell;
use std::sync::LazyLock;
use std::sync::atomic::{AtomicBool, Ordering};

use pest::Parser;
use pest::iterators::{Pair, Pairs};
use pest::pratt_parser::{Assoc, Op, PrattParser};

use super::ast::*;
use super::chunk;
use super::error::{MAX_DEPTH, MAX_OPERATORS, SyntaxError};
use super::expected;
use crate::data::period::Period;
use crate::diagnostic::LineIndex;

#[derive(pest_derive::Parser)]
#[grammar = "../grammar/targets.pest"]
pub(crate) struct Grammar;

/// Reports at most this many syntax errors per file.
const MAX_SYNTAX_ERRORS: usize = 50;

/// How a file is cut up for reading. The result does not depend on it.
#[derive(Clone, Copy, Debug)]
struct Cutting {
    /// pest parses a file in chunks of at least this many bytes, cut
    /// between statements (`chunk.rs`), so that only one chunk's parse tree
    /// is in memory at a time.
    chunk_bytes: usize,
    /// How many threads may read parts of the file at the same time.
    threads: usize,
    /// The least number of bytes worth starting a thread for.
    thread_bytes: usize,
}

/// Chunks small enough for their parse tree to stay in the processor's
/// caches, large enough that starting a parse costs nothing noticeable; a
/// thread for each megabyte, about a quarter of a second of parsing.
const CUTTING: Cutting = Cutting {
    chunk_bytes: 16 * 1024,
    threads: 1,
    thread_bytes: 1024 * 1024,
};

/// The stack of a thread that reads part of a file: the usual size of a
/// main thread's, so that pest's guard against deep nesting running out of
/// stack (`SyntaxError::TooDeep`) acts as it does on the main thread. (Where
/// exactly it stops a nesting thousands of levels deep depends on how much
/// stack is in use, on any thread.)
const THREAD_STACK_BYTES: usize = 8 * 1024 * 1024;

/// Parses a rule file. On failure, returns every syntax error found.
pub fn parse(source: &str) -> Result<RuleFile, Vec<SyntaxError>> {
    // Asking for the number of processors costs system calls: only for
    // files large enough to be read by several threads.
    let threads = if source.len() >= 2 * CUTTING.thread_bytes {
        std::thread::available_parallelism().map_or(1, |n| n.get())
    } else {
        1
    };
    parse_in_chunks(source, Cutting { threads, ..CUTTING })
}

/// [`parse`], cut up as `cutting` says.
fn parse_in_chunks(source: &str, cutting: Cutting) -> Result<RuleFile, Vec<SyntaxError>> {
    let lines = LineIndex::new(source);
    let mut file = RuleFile {
        statements: Vec::new(),
        comments: Vec::new(),
    };
    let mut errors = Vec::new();
    // Where pest starts reading: the start of the file, or the statement
    // after a syntax error.
    let mut offset = 0;
    loop {
        let mut read = read_from(source, &lines, offset, cutting);
        let Some(Failure {
            previous,
            start,
            end,
            error,
        }) = read.failure.take()
        else {
            read.append_to(&mut file, &mut errors);
            break;
        };
        // An error at the very start of a parse is reported with less
        // context than the same error after a statement (pest then names
        // only the rule `file`). When the failed chunk does not start the
        // parse, parse it again together with the chunk before it, so that
        // the error is the one the parse of the whole file from `offset`
        // reports.
        let (base, error) = if previous < start
            && let Err(again) = Grammar::parse(Rule::file, &source[previous..end])
        {
            (previous, again)
        } else {
            (start, error)
        };
        let failed =
            expected::syntax_error(source, &lines, base, &detailed(&source[base..end], error));
        let position = failed.span().start;
        errors.push(failed);
        // Keep the statements before the broken one, for their own errors:
        // what was read, if the statements of the failed chunk before the
        // broken one parse too (as if the file had been parsed from
        // `offset` to the broken statement in one piece).
        let statement = statement_start(source, offset, position);
        if statement <= start || read.chunk(start, statement).is_ok() {
            read.append_to(&mut file, &mut errors);
        }
        match next_statement_start(source, position) {
            Some(next) if errors.len() < MAX_SYNTAX_ERRORS => offset = next,
            _ => break,
        }
    }
    finish(source, &lines, file, errors)
}

/// The file, or its errors with one more if the first statement is indented.
fn finish(
    source: &str,
    lines: &LineIndex,
    file: RuleFile,
    mut errors: Vec<SyntaxError>,
) -> Result<RuleFile, Vec<SyntaxError>> {
    if let Some(first) = file.statements.first()
        && is_indented(source, first.span.start)
        && errors.iter().all(|e| e.span().start > first.span.start)
    {
        let span = lines.span(source, first.span.start, first.span.start);
        errors.insert(0, SyntaxError::IndentedFirstStatement { span });
    }
    if errors.is_empty() {
        Ok(file)
    } else {
        Err(errors)
    }
}

/// Reads the file from `offset` (the start of the file, or of a statement
/// after a syntax error) up to its end or the first chunk that does not
/// parse.
///
/// A large file is cut into parts, at chunk boundaries, that threads read
/// at the same time. Each part reads as it would in one piece, since a
/// chunk boundary is a place where the parse of the whole file could have
/// stopped and started again (`chunk.rs`). The parts are joined in order
/// up to the first one that stops at a syntax error; what the parts after
/// it read is dropped, as that error decides where reading goes on.
fn read_from<'s>(
    source: &'s str,
    lines: &'s LineIndex,
    offset: usize,
    cutting: Cutting,
) -> Read<'s> {
    let rest = source.len() - offset;
    let threads = cutting.threads.min(rest / cutting.thread_bytes).max(1);
    // Part `k` starts at the first chunk boundary after `k / threads` of the rest.
    let mut starts = vec![offset];
    starts.extend(
        (1..threads)
            .map(|k| chunk::chunk_end(source, offset, rest / threads * k))
            .filter(|&start| start < source.len()),
    );
    starts.dedup();
    let ends: Vec<usize> = starts
        .iter()
        .skip(1)
        .copied()
        .chain([source.len()])
        .collect();
    let mut parts = starts.into_iter().zip(ends);
    // Set when a part stops at a syntax error: the parts after it need not go on.
    let stop = AtomicBool::new(false);
    let read = |(start, end)| Read::part(source, lines, start, end, cutting.chunk_bytes, &stop);
    let first = parts.next().unwrap_or((offset, source.len()));
    std::thread::scope(|scope| {
        let others: Vec<_> = parts
            .map(|bounds| {
                std::thread::Builder::new()
                    .stack_size(THREAD_STACK_BYTES)
                    .spawn_scoped(scope, move || read(bounds))
                    .map_err(|_| bounds)
            })
            .collect();
        let mut joined = read(first);
        for part in others {
            if joined.failure.is_some() {
                stop.store(true, Ordering::Relaxed);
                break;
            }
            let part = match part {
                Ok(thread) => thread
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
                // No thread could be started: read the part here.
                Err(bounds) => read(bounds),
            };
            joined.join(part);
        }
        joined
    })
}

/// What is read from one place pest starts at, or from the start of a part
/// of the file, up to the first chunk that does not parse: statements,
/// comments and the errors of lowering them. It is kept apart until that
/// chunk's syntax error shows whether it stays.
struct Read<'s> {
    source: &'s str,
    lines: &'s LineIndex,
    file: RuleFile,
    errors: Vec<SyntaxError>,
    /// Where the last chunk read starts.
    last_chunk: usize,
    /// The chunk that did not parse, if one did not.
    failure: Option<Failure>,
}

/// A chunk that does not parse.
struct Failure {
    /// Where the chunk before it starts, or where it starts if it is the
    /// first chunk read.
    previous: usize,
    start: usize,
    end: usize,
    error: pest::error::Error<Rule>,
}

impl<'s> Read<'s> {
    /// Nothing read yet, from `start`.
    fn new(source: &'s str, lines: &'s LineIndex, start: usize) -> Read<'s> {
        Read {
            source,
            lines,
            file: RuleFile {
                statements: Vec::new(),
                comments: Vec::new(),
            },
            errors: Vec::new(),
            last_chunk: start,
            failure: None,
        }
    }

    /// Reads `source[start..end]`, which starts and ends at chunk boundaries
    /// (or where reading starts, and the end of the file), chunk by chunk
    /// up to the first chunk that does not parse or until `stop` is set.
    fn part(
        source: &'s str,
        lines: &'s LineIndex,
        start: usize,
        end: usize,
        chunk_bytes: usize,
        stop: &AtomicBool,
    ) -> Read<'s> {
        let mut read = Read::new(source, lines, start);
        let mut chunk_start = start;
        while chunk_start < end && !stop.load(Ordering::Relaxed) {
            let chunk_end = chunk::chunk_end(source, chunk_start, chunk_bytes).min(end);
            if let Err(error) = read.chunk(chunk_start, chunk_end) {
                read.failure = Some(Failure {
                    previous: read.last_chunk,
                    start: chunk_start,
                    end: chunk_end,
                    error,
                });
                break;
            }
            read.last_chunk = chunk_start;
            chunk_start = chunk_end;
        }
        read
    }

    /// Parses and lowers `source[start..end]`, a whole number of statements.
    fn chunk(&mut self, start: usize, end: usize) -> Result<(), pest::error::Error<Rule>> {
        let text = &self.source[start..end];
        let pairs = Grammar::parse(Rule::file, text)?;
        let lower = Lower {
            source: self.source,
            lines: self.lines,
            base: start,
            text,
            last: Cell::new((0, self.lines.line_of(start), 1)),
        };
        lower.file(pairs, &mut self.file, &mut self.errors);
        Ok(())
    }

    /// Adds what was read from the part of the file that follows.
    fn join(&mut self, next: Read<'_>) {
        let Read {
            file,
            errors,
            last_chunk,
            failure,
            ..
        } = next;
        append(&mut self.file.statements, file.statements);
        append(&mut self.file.comments, file.comments);
        append(&mut self.errors, errors);
        self.failure = failure.map(|failure| Failure {
            // The chunk before the part's first is this part's last.
            previous: if failure.previous == failure.start {
                self.last_chunk
            } else {
                failure.previous
            },
            ..failure
        });
        self.last_chunk = last_chunk;
    }

    fn append_to(self, file: &mut RuleFile, errors: &mut Vec<SyntaxError>) {
        append(&mut file.statements, self.file.statements);
        append(&mut file.comments, self.file.comments);
        append(errors, self.errors);
    }
}

/// Moves the items of `more` to the end of `items`, without copying them
/// when `items` is empty.
fn append<T>(items: &mut Vec<T>, mut more: Vec<T>) {
    if items.is_empty() {
        *items = more;
    } else {
        items.append(&mut more);
    }
}

/// The error of a failed parse with pest's record of the tokens it expected,
/// for messages in words. Recording costs a third of the parsing time, so it
/// is switched on only once a file fails to parse, and the failed part is
/// parsed again. (The switch is process-wide and is never switched back off,
/// so every message comes from a recorded parse, whatever other threads do.)
fn detailed(source: &str, error: pest::error::Error<Rule>) -> pest::error::Error<Rule> {
    if error
        .parse_attempts()
        .is_some_and(|a| !a.expected_tokens().is_empty())
    {
        return error;
    }
    pest::set_error_detail(true);
    Grammar::parse(Rule::file, source).err().unwrap_or(error)
}

/// The start of the line, at or after `floor`, where the statement holding
/// `position` begins: the last line before it that starts at column 0.
fn statement_start(source: &str, floor: usize, position: usize) -> usize {
    let mut line_start = source[..position.min(source.len())]
        .rfind('\n')
        .map_or(0, |i| i + 1);
    while line_start > floor {
        if starts_statement(&source[line_start..]) {
            return line_start;
        }
        line_start = source[..line_start - 1].rfind('\n').map_or(0, |i| i + 1);
    }
    floor
}

/// The start of the first line after `position` that starts a statement.
fn next_statement_start(source: &str, position: usize) -> Option<usize> {
    let mut from = position;
    while let Some(newline) = source.get(from..)?.find('\n') {
        let line_start = from + newline + 1;
        if starts_statement(&source[line_start..]) {
            return Some(line_start);
        }
        from = line_start;
    }
    None
}

/// Whether the line holding `position` has spaces or tabs before it.
fn is_indented(source: &str, position: usize) -> bool {
    let line_start = source[..position].rfind(['\n', '\r']).map_or(0, |i| i + 1);
    !source[line_start..position]
        .trim_start_matches('\u{feff}')
        .is_empty()
}

fn starts_statement(line: &str) -> bool {
    line.chars()
        .next()
        .is_some_and(|c| !matches!(c, ' ' | '\t' | '\r' | '\n' | '#'))
}

static PRATT: LazyLock<PrattParser<Rule>> = LazyLock::new(|| {
    PrattParser::new()
        .op(Op::infix(Rule::or_op, Assoc::Left))
        .op(Op::infix(Rule::and_op, Assoc::Left))
        .op(Op::prefix(Rule::not_op))
        .op(Op::infix(Rule::ge_op, Assoc::Left)
            | Op::infix(Rule::gt_op, Assoc::Left)
            | Op::infix(Rule::le_op, Assoc::Left)
            | Op::infix(Rule::lt_op, Assoc::Left)
            | Op::infix(Rule::eq_op, Assoc::Left)
            | Op::infix(Rule::ne_op, Assoc::Left))
        .op(Op::infix(Rule::add_op, Assoc::Left) | Op::infix(Rule::sub_op, Assoc::Left))
        .op(Op::infix(Rule::mul_op, Assoc::Left) | Op::infix(Rule::div_op, Assoc::Left))
        .op(Op::prefix(Rule::neg_op))
        .op(Op::infix(Rule::pow_op, Assoc::Right))
});

type Lowered<T> = Result<T, Box<SyntaxError>>;

/// Lowers the pairs of one parsed chunk of the source, which starts at byte
/// `base` of the whole file.
struct Lower<'s> {
    source: &'s str,
    lines: &'s LineIndex,
    base: usize,
    /// The chunk, which starts at the start of a line.
    text: &'s str,
    /// The offset into `text`, line and column of the last span's start.
    last: Cell<(usize, u32, u32)>,
}

impl<'s> Lower<'s> {
    fn span(&self, pair: &Pair<'_, Rule>) -> Span {
        let span = pair.as_span();
        self.span_at(span.start(), span.end())
    }

    /// The span of `text[start..end]`, in offsets into the whole file.
    fn span_at(&self, start: usize, end: usize) -> Span {
        let (line, column) = self.line_col(start);
        Span {
            start: self.base + start,
            end: self.base + end,
            line,
            column,
        }
    }

    /// The line and column in the file of `text[offset]`. Spans are mostly
    /// asked for in the order of the text, so lines and columns are counted
    /// on from the last span's start when that is earlier, and looked up in
    /// the file's line index otherwise.
    fn line_col(&self, offset: usize) -> (u32, u32) {
        let (last, mut line, mut column) = self.last.get();
        let bytes = self.text.as_bytes();
        if last <= offset {
            for (i, &b) in bytes[last..offset].iter().enumerate() {
                // Lines end as `LineIndex` ends them: `\n`, or `\r` not before `\n`.
                if b == b'\n' || (b == b'\r' && bytes.get(last + i + 1) != Some(&b'\n')) {
                    (line, column) = (line + 1, 1);
                } else if (b as i8) >= -0x40 {
                    // A byte that does not continue a UTF-8 sequence starts a character.
                    column += 1;
                }
            }
        } else {
            (line, column) = self.lines.line_col(self.source, self.base + offset);
        }
        self.last.set((offset, line, column));
        (line, column)
    }

    /// The error for a pair the lowering did not expect: the grammar and this
    /// module disagree.
    fn shape(&self, pair: &Pair<'_, Rule>) -> Box<SyntaxError> {
        Box::new(SyntaxError::Internal {
            span: self.span(pair),
            rule: format!("{:?}", pair.as_rule()),
        })
    }

    /// The next significant child of a pair, which must be of rule `rule`.
    fn next(
        &self,
        children: &mut Children<'s>,
        rule: Rule,
        parent: Span,
    ) -> Lowered<Pair<'s, Rule>> {
        match children.next() {
            Some(pair) if pair.as_rule() == rule => Ok(pair),
            Some(pair) => Err(self.shape(&pair)),
            None => Err(Box::new(SyntaxError::Internal {
                span: parent,
                rule: format!("{rule:?}"),
            })),
        }
    }

    fn file(&self, mut pairs: Pairs<'_, Rule>, file: &mut RuleFile, errors: &mut Vec<SyntaxError>) {
        let Some(root) = pairs.next() else { return };
        self.comments(&mut file.comments);
        for pair in root.into_inner() {
            if pair.as_rule() == Rule::EOI {
                continue;
            }
            match self.statement(pair) {
                Ok(statement) => file.statements.push(statement),
                Err(error) => errors.push(*error),
            }
        }
    }

    /// Finds the comments: the grammar skips them, so they are not in the
    /// tree; `chunk::comments` finds them the way the grammar reads them.
    fn comments(&self, comments: &mut Vec<Comment>) {
        for range in chunk::comments(self.text) {
            let line_start = self.text[..range.start]
                .rfind(['\n', '\r'])
                .map_or(0, |i| i + 1);
            comments.push(Comment {
                text: self.text[range.clone()].trim_end().to_string(),
                own_line: self.text[line_start..range.start].trim().is_empty(),
                span: self.span_at(range.start, range.end),
            });
        }
    }

    fn statement(&self, pair: Pair<'s, Rule>) -> Lowered<Spanned<Statement>> {
        let span = self.span(&pair);
        let rule = pair.as_rule();
        let mut children = Children::of(pair.clone());
        let statement =
            match rule {
                Rule::title_stmt => {
                    Statement::Title(self.string(self.next(&mut children, Rule::string, span)?))
                }
                Rule::source_stmt => {
                    Statement::Source(self.string(self.next(&mut children, Rule::string, span)?))
                }
                Rule::owner_stmt => {
                    Statement::Owner(self.string(self.next(&mut children, Rule::string, span)?))
                }
                Rule::section_stmt => {
                    Statement::Section(self.string(self.next(&mut children, Rule::string, span)?))
                }
                Rule::scope_stmt => Statement::Scope(
                    children
                        .map(|item| self.selector_item(item))
                        .collect::<Lowered<_>>()?,
                ),
                Rule::unit_stmt => Statement::Unit(self.unit_decl(children, span)?),
                Rule::let_stmt => {
                    let name = self.name(self.next(&mut children, Rule::name, span)?);
                    let value = self.expr(self.next(&mut children, Rule::expr, span)?, 0)?;
                    Statement::Let(LetDecl { name, value })
                }
                Rule::target_stmt | Rule::condition_stmt => Statement::Target(Box::new(
                    self.target(rule == Rule::target_stmt, children, span)?,
                )),
                _ => return Err(self.shape(&pair)),
            };
        Ok(Spanned::new(statement, span))
    }

    fn unit_decl(&self, mut children: Children<'s>, span: Span) -> Lowered<UnitDecl> {
        let name = self.name(self.next(&mut children, Rule::name, span)?);
        let value = self.next(&mut children, Rule::unit_value, span)?;
        let mut digits = None;
        let mut scale = None;
        let mut base = None;
        for part in Children::of(value.clone()) {
            match part.as_rule() {
                Rule::unit_factor => {
                    for factor_part in Children::of(part.clone()) {
                        match factor_part.as_rule() {
                            Rule::number => digits = Some(factor_part),
                            Rule::scale_suffix => {
                                scale = Some(self.scale(&factor_part, ScaleStyle::Suffix)?)
                            }
                            _ => return Err(self.shape(&factor_part)),
                        }
                    }
                }
                Rule::scale_word => scale = Some(self.scale(&part, ScaleStyle::Word)?),
                Rule::unit_name => base = Some(self.unit_name(part)?),
                _ => return Err(self.shape(&part)),
            }
        }
        let value_span = self.span(&value);
        let base = base.ok_or_else(|| {
            Box::new(SyntaxError::Internal {
                span: value_span,
                rule: "unit_name".into(),
            })
        })?;
        let factor = match (digits, scale) {
            (None, None) => None,
            (digits, scale) => {
                let digits_text = digits.as_ref().map_or("1", |d| d.as_str()).to_string();
                let number = self.number(digits_text, scale, false, None, value_span)?;
                Some(Spanned::new(number, value_span))
            }
        };
        Ok(UnitDecl { name, factor, base })
    }

    fn target(&self, keyword: bool, children: Children<'s>, span: Span) -> Lowered<Target> {
        let (mut id, mut description, mut for_each, mut condition, mut time) =
            (None, None, None, None, None);
        let mut attributes = Vec::new();
        for pair in children {
            let pair_span = self.span(&pair);
            match pair.as_rule() {
                Rule::target_id => {
                    id = Some(self.name(self.next(
                        &mut Children::of(pair),
                        Rule::name,
                        pair_span,
                    )?))
                }
                Rule::description => {
                    description = Some(self.string(self.next(
                        &mut Children::of(pair),
                        Rule::string,
                        pair_span,
                    )?));
                }
                Rule::for_each => for_each = Some(self.for_each(pair)?),
                Rule::condition => {
                    condition = Some(self.expr(
                        self.next(&mut Children::of(pair), Rule::expr, pair_span)?,
                        0,
                    )?);
                }
                Rule::by_clause | Rule::in_clause | Rule::in_each_clause => {
                    time = Some(self.time_clause(pair)?)
                }
                _ => attributes.push(self.attribute(pair)?),
            }
        }
        let condition = condition.ok_or_else(|| {
            Box::new(SyntaxError::Internal {
                span,
                rule: "condition".into(),
            })
        })?;
        Ok(Target {
            keyword,
            id,
            description,
            for_each,
            condition,
            time,
            attributes,
        })
    }

    fn for_each(&self, pair: Pair<'s, Rule>) -> Lowered<ForEach> {
        let span = self.span(&pair);
        let mut children = Children::of(pair);
        let dimension = self.name(self.next(&mut children, Rule::name, span)?);
        let values: Vec<_> = children.map(|value| self.string(value)).collect();
        Ok(ForEach {
            dimension,
            values: (!values.is_empty()).then_some(values),
        })
    }

    fn time_clause(&self, pair: Pair<'s, Rule>) -> Lowered<Spanned<TimeClause>> {
        let span = self.span(&pair);
        let rule = pair.as_rule();
        let mut children = Children::of(pair);
        let clause = match rule {
            Rule::by_clause => {
                TimeClause::By(self.period(self.next(&mut children, Rule::period, span)?)?)
            }
            Rule::in_clause => {
                TimeClause::In(self.period(self.next(&mut children, Rule::period, span)?)?)
            }
            _ => {
                let (mut from, mut to) = (None, None);
                for bound in children {
                    let bound_span = self.span(&bound);
                    let is_from = bound.as_rule() == Rule::from_period;
                    let period = self.period(self.next(
                        &mut Children::of(bound),
                        Rule::period,
                        bound_span,
                    )?)?;
                    if is_from {
                        from = Some(period)
                    } else {
                        to = Some(period)
                    }
                }
                TimeClause::InEachPeriod { from, to }
            }
        };
        Ok(Spanned::new(clause, span))
    }

    fn attribute(&self, pair: Pair<'s, Rule>) -> Lowered<Spanned<Attribute>> {
        let span = self.span(&pair);
        let rule = pair.as_rule();
        let mut children = Children::of(pair.clone());
        let attribute = match rule {
            Rule::owner_attr => {
                Attribute::Owner(self.string(self.next(&mut children, Rule::string, span)?))
            }
            Rule::source_attr => {
                Attribute::Source(self.string(self.next(&mut children, Rule::string, span)?))
            }
            Rule::quote_attr => {
                Attribute::Quote(self.string(self.next(&mut children, Rule::string, span)?))
            }
            Rule::note_attr => {
                Attribute::Note(self.string(self.next(&mut children, Rule::string, span)?))
            }
            Rule::tags_attr => Attribute::Tags(children.map(|tag| self.name(tag)).collect()),
            Rule::severity_attr => {
                let level = self.next(&mut children, Rule::severity_level, span)?;
                Attribute::Severity(match level.as_str() {
                    "warning" => Severity::Warning,
                    _ => Severity::Error,
                })
            }
            Rule::projection_attr => {
                let method = self.next(&mut children, Rule::projection_method, span)?;
                let method = match method.as_str() {
                    "cagr" => ProjectionMethod::Cagr,
                    "linear" => ProjectionMethod::Linear,
                    _ => ProjectionMethod::None,
                };
                let over_years = match children.next() {
                    Some(window) => {
                        let window_span = self.span(&window);
                        let digits =
                            self.next(&mut Children::of(window), Rule::number, window_span)?;
                        let digits_span = self.span(&digits);
                        let number = self.number(
                            digits.as_str().to_string(),
                            None,
                            false,
                            None,
                            digits_span,
                        )?;
                        Some(Spanned::new(number, digits_span))
                    }
                    None => None,
                };
                Attribute::Projection { method, over_years }
            }
            _ => return Err(self.shape(&pair)),
        };
        Ok(Spanned::new(attribute, span))
    }

    /// Lowers an expression found `depth` parentheses and calls deep.
    fn expr(&self, pair: Pair<'s, Rule>, depth: usize) -> Lowered<Spanned<Expr>> {
        let span = self.span(&pair);
        if depth > MAX_DEPTH {
            return Err(Box::new(SyntaxError::TooDeep { span }));
        }
        let items = Children::of(pair);
        let operators = items.clone().filter(|p| is_operator(p.as_rule())).count();
        if operators > MAX_OPERATORS {
            return Err(Box::new(SyntaxError::TooLong { span }));
        }
        let expr = PRATT
            .map_primary(|operand| self.operand(operand, depth))
            .map_prefix(|op, operand| {
                let op_span = self.span(&op);
                let operand = operand?;
                let op = if op.as_rule() == Rule::not_op { UnaryOp::Not } else { UnaryOp::Neg };
                let span = op_span.to(operand.span);
                Ok(Spanned::new(Expr::Unary { op, operand: Box::new(operand) }, span))
            })
            .map_infix(|lhs, op, rhs| {
                let (lhs, rhs) = (lhs?, rhs?);
                let op = binary_op(op.as_rule()).ok_or_else(|| self.shape(&op))?;
                let span = lhs.span.to(rhs.span);
                let is_comparison = |e: &Spanned<Expr>| {
                    matches!(&e.node, Expr::Binary { op, .. } if op.is_comparison())
                };
                if op.is_comparison() && (is_comparison(&lhs) || is_comparison(&rhs)) {
                    return Err(Box::new(SyntaxError::ChainedComparison { span }));
                }
                Ok(Spanned::new(Expr::Binary { op, lhs: Box::new(lhs), rhs: Box::new(rhs) }, span))
            })
            .parse(items)?;
        if depth + nesting(&expr.node) > MAX_DEPTH {
            return Err(Box::new(SyntaxError::TooDeep { span }));
        }
        Ok(expr)
    }

    fn operand(&self, pair: Pair<'s, Rule>, depth: usize) -> Lowered<Spanned<Expr>> {
        let span = self.span(&pair);
        let expr = match pair.as_rule() {
            Rule::paren => {
                let inner = self.next(&mut Children::of(pair), Rule::expr, span)?;
                Expr::Paren(Box::new(self.expr(inner, depth + 1)?))
            }
            Rule::call => {
                let mut children = Children::of(pair);
                let function = self.next(&mut children, Rule::function_name, span)?;
                let function_span = self.span(&function);
                let function = Spanned::new(
                    Name {
                        text: function.as_str().to_string(),
                    },
                    function_span,
                );
                let args = children
                    .map(|arg| self.expr(arg, depth + 1))
                    .collect::<Lowered<_>>()?;
                Expr::Call { function, args }
            }
            Rule::literal => Expr::Number(self.literal(pair)?),
            Rule::reference => Expr::Reference(self.reference(pair)?),
            _ => return Err(self.shape(&pair)),
        };
        Ok(Spanned::new(expr, span))
    }

    fn literal(&self, pair: Pair<'s, Rule>) -> Lowered<Number> {
        let span = self.span(&pair);
        let mut digits = None;
        let mut scale = None;
        let mut percent = false;
        let mut unit = None;
        for part in Children::of(pair.clone()) {
            match part.as_rule() {
                Rule::number => digits = Some(part.as_str().to_string()),
                Rule::percent_sign => percent = true,
                Rule::scale_suffix => scale = Some(self.scale(&part, ScaleStyle::Suffix)?),
                Rule::scale_word => scale = Some(self.scale(&part, ScaleStyle::Word)?),
                Rule::unit_name => unit = Some(self.unit_name(part)?),
                _ => return Err(self.shape(&part)),
            }
        }
        let digits = digits.ok_or_else(|| self.shape(&pair))?;
        self.number(digits, scale, percent, unit, span)
    }

    /// Interprets a number: shifts the decimal exponent of the written digits
    /// by the scale (and by −2 for a percent) before converting to binary,
    /// so `35%` is exactly the double nearest 0.35 (SPEC section 1).
    fn number(
        &self,
        digits: String,
        scale: Option<(Scale, ScaleStyle)>,
        percent: bool,
        unit: Option<Spanned<Name>>,
        span: Span,
    ) -> Lowered<Number> {
        let shift = scale.map_or(0, |(s, _)| s.exponent()) - if percent { 2 } else { 0 };
        let value = scaled_value(&digits, shift)
            .filter(|v| v.is_finite())
            .ok_or_else(|| {
                Box::new(SyntaxError::NotFinite {
                    span,
                    text: self.source[span.start..span.end].to_string(),
                })
            })?;
        Ok(Number {
            digits,
            scale,
            percent,
            unit,
            value,
        })
    }

    fn scale(&self, pair: &Pair<'_, Rule>, style: ScaleStyle) -> Lowered<(Scale, ScaleStyle)> {
        let word = pair.as_str().to_ascii_lowercase();
        let scale = match word.trim_end_matches('s') {
            "k" | "thousand" => Scale::Thousand,
            "mn" | "million" => Scale::Million,
            "bn" | "billion" => Scale::Billion,
            "tn" | "trillion" => Scale::Trillion,
            _ => return Err(self.shape(pair)),
        };
        Ok((scale, style))
    }

    fn unit_name(&self, pair: Pair<'s, Rule>) -> Lowered<Spanned<Name>> {
        let span = self.span(&pair);
        Ok(self.name(self.next(&mut Children::of(pair), Rule::name, span)?))
    }

    fn reference(&self, pair: Pair<'s, Rule>) -> Lowered<Reference> {
        let span = self.span(&pair);
        let mut children = Children::of(pair);
        let name = self.name(self.next(&mut children, Rule::name, span)?);
        let mut reference = Reference {
            name,
            selectors: Vec::new(),
            anchor: None,
        };
        for part in children {
            match part.as_rule() {
                Rule::selector => {
                    reference.selectors = Children::of(part)
                        .map(|item| self.selector_item(item))
                        .collect::<Lowered<_>>()?;
                }
                Rule::anchor => reference.anchor = Some(self.anchor(part)?),
                _ => return Err(self.shape(&part)),
            }
        }
        Ok(reference)
    }

    fn anchor(&self, pair: Pair<'s, Rule>) -> Lowered<Spanned<Anchor>> {
        let span = self.span(&pair);
        let inner = Children::of(pair.clone())
            .next()
            .ok_or_else(|| self.shape(&pair))?;
        let anchor = match inner.as_rule() {
            Rule::period => Anchor::Period(self.period(inner)?.node),
            Rule::period_range => {
                let mut ends = Children::of(inner.clone());
                let first = self.period(self.next(&mut ends, Rule::period, span)?)?;
                let last = self.period(self.next(&mut ends, Rule::period, span)?)?;
                Anchor::Range(first.node, last.node)
            }
            _ => return Err(self.shape(&inner)),
        };
        Ok(Spanned::new(anchor, span))
    }

    fn selector_item(&self, pair: Pair<'s, Rule>) -> Lowered<Selector> {
        let span = self.span(&pair);
        let mut children = Children::of(pair);
        let dimension = self.name(self.next(&mut children, Rule::name, span)?);
        let value = self.string(self.next(&mut children, Rule::string, span)?);
        Ok(Selector { dimension, value })
    }

    fn period(&self, pair: Pair<'s, Rule>) -> Lowered<Spanned<Period>> {
        let span = self.span(&pair);
        Period::parse(pair.as_str())
            .map(|period| Spanned::new(period, span))
            .map_err(|error| Box::new(SyntaxError::Period { span, error }))
    }

    fn name(&self, pair: Pair<'s, Rule>) -> Spanned<Name> {
        let span = self.span(&pair);
        // `name` holds an `ident`, or a `quoted_name` whose `quoted_text` is the name.
        let text = match pair.into_inner().next() {
            Some(inner) if inner.as_rule() == Rule::quoted_name => inner
                .into_inner()
                .next()
                .map_or("", |text| text.as_str())
                .to_string(),
            Some(inner) => inner.as_str().to_string(),
            None => String::new(),
        };
        Spanned::new(Name { text }, span)
    }

    /// A string literal's content with its escapes replaced.
    fn string(&self, pair: Pair<'s, Rule>) -> Spanned<String> {
        let span = self.span(&pair);
        let raw = pair.into_inner().next().map_or("", |text| text.as_str());
        let mut text = String::with_capacity(raw.len());
        let mut chars = raw.chars();
        while let Some(c) = chars.next() {
            if c != '\\' {
                text.push(c);
                continue;
            }
            match chars.next() {
                Some('n') => text.push('\n'),
                Some('t') => text.push('\t'),
                Some(other) => text.push(other), // `\"` and `\\`, the only others the grammar allows
                None => {}
            }
        }
        Spanned::new(text, span)
    }
}

/// The significant children of a pair: keywords and punctuation are left out.
#[derive(Clone)]
struct Children<'s> {
    pairs: Pairs<'s, Rule>,
}

impl<'s> Children<'s> {
    fn of(pair: Pair<'s, Rule>) -> Children<'s> {
        Children {
            pairs: pair.into_inner(),
        }
    }
}

impl<'s> Iterator for Children<'s> {
    type Item = Pair<'s, Rule>;

    fn next(&mut self) -> Option<Pair<'s, Rule>> {
        self.pairs.by_ref().find(|pair| !is_skipped(pair.as_rule()))
    }
}

fn is_skipped(rule: Rule) -> bool {
    matches!(
        rule,
        Rule::close_paren
            | Rule::close_brace
            | Rule::colon
            | Rule::equals
            | Rule::comma
            | Rule::kw_title
            | Rule::kw_source
            | Rule::kw_owner
            | Rule::kw_scope
            | Rule::kw_section
            | Rule::kw_unit
            | Rule::kw_let
            | Rule::kw_target
            | Rule::kw_for
            | Rule::kw_each
            | Rule::kw_in
            | Rule::kw_by
            | Rule::kw_quote
            | Rule::kw_note
            | Rule::kw_tags
            | Rule::kw_severity
            | Rule::kw_projection
            | Rule::kw_period
            | Rule::kw_from
            | Rule::kw_to
            | Rule::kw_over
            | Rule::kw_years
    )
}

fn is_operator(rule: Rule) -> bool {
    rule == Rule::not_op || rule == Rule::neg_op || binary_op(rule).is_some()
}

fn binary_op(rule: Rule) -> Option<BinaryOp> {
    Some(match rule {
        Rule::or_op => BinaryOp::Or,
        Rule::and_op => BinaryOp::And,
        Rule::ge_op => BinaryOp::Ge,
        Rule::gt_op => BinaryOp::Gt,
        Rule::le_op => BinaryOp::Le,
        Rule::lt_op => BinaryOp::Lt,
        Rule::eq_op => BinaryOp::Eq,
        Rule::ne_op => BinaryOp::Ne,
        Rule::add_op => BinaryOp::Add,
        Rule::sub_op => BinaryOp::Sub,
        Rule::mul_op => BinaryOp::Mul,
        Rule::div_op => BinaryOp::Div,
        Rule::pow_op => BinaryOp::Pow,
        _ => return None,
    })
}

/// How deeply an expression nests parentheses, calls, `not`, unary minus and
/// `^` (SPEC section 8.11). Bounded by [`MAX_OPERATORS`] and [`MAX_DEPTH`].
fn nesting(expr: &Expr) -> usize {
    match expr {
        Expr::Number(_) | Expr::Reference(_) => 0,
        Expr::Paren(inner) => 1 + nesting(&inner.node),
        Expr::Call { args, .. } => 1 + args.iter().map(|a| nesting(&a.node)).max().unwrap_or(0),
        Expr::Unary { operand, .. } => 1 + nesting(&operand.node),
        Expr::Binary { op, lhs, rhs } => {
            usize::from(*op == BinaryOp::Pow) + nesting(&lhs.node).max(nesting(&rhs.node))
        }
    }
}

/// `digits` (as the grammar reads a number: `_` separators, an optional
/// exponent) times 10^`shift`, rounded once.
fn scaled_value(digits: &str, shift: i32) -> Option<f64> {
    if shift == 0 && !digits.contains(['_', 'e', 'E']) {
        // Plain decimal digits: the same rounding, without building a string.
        return digits.parse().ok();
    }
    let digits = digits.replace('_', "");
    let (mantissa, exponent) = match digits.split_once(['e', 'E']) {
        Some((mantissa, exponent)) => (mantissa, exponent.parse::<i64>().ok()?),
        None => (digits.as_str(), 0),
    };
    let exponent = exponent.checked_add(i64::from(shift))?;
    format!("{mantissa}e{exponent}").parse().ok()
}

#[cfg(test)]
mod tests;
