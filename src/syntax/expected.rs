//! Syntax errors in words users know.
//!
//! pest reports the grammar rules and tokens it tried at the furthest point
//! it reached. This module names them the way a rule author would (never a
//! rule name such as `EOI` or `ge_op`), says what was found instead, and adds
//! a hint for the usual mistakes: a misspelt keyword, `160,000`, `5.2 %`,
//! `5m`, `=` for `==`, a time clause without its period, an unclosed `(`.

use std::collections::BTreeSet;

use pest::error::{Error, ErrorVariant, InputLocation};

use super::ast::{KEYWORDS, Span};
use super::error::{MAX_DEPTH, SyntaxError};
use super::parse::Rule;
use crate::diagnostic::LineIndex;

/// What the parser was looking for, in the order messages list them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Expected {
    Statement,
    Value,
    Operator,
    Name,
    Text,
    Period,
    Number,
    Colon,
    Equals,
    Comma,
    OpenParen,
    CloseParen,
    CloseBrace,
    ClosingQuote,
    Each,
    PeriodWord,
    From,
    To,
    Over,
    Years,
    SeverityLevel,
    ProjectionMethod,
    TimeClause,
    Attribute,
    LineEnd,
}

impl Expected {
    fn phrase(self) -> &'static str {
        match self {
            Expected::Statement => "a statement (`title`, `section`, `target`, a condition, ...)",
            Expected::Value => "a value (a number, a name, `(` or `-`)",
            Expected::Operator => "an operator (`>=`, `+`, `and`, ...)",
            Expected::Name => "a name",
            Expected::Text => "text in double quotes",
            Expected::Period => "a period (`2025`, `2025-Q3`, `2025-03` or `2025-03-31`)",
            Expected::Number => "a number",
            Expected::Colon => "`:`",
            Expected::Equals => "`=`",
            Expected::Comma => "`,`",
            Expected::OpenParen => "`(`",
            Expected::CloseParen => "`)`",
            Expected::CloseBrace => "`}`",
            Expected::ClosingQuote => "the closing `\"`",
            Expected::Each => "`each`",
            Expected::PeriodWord => "`period`",
            Expected::From => "`from`",
            Expected::To => "`to`",
            Expected::Over => "`over`",
            Expected::Years => "`years`",
            Expected::SeverityLevel => "`error` or `warning`",
            Expected::ProjectionMethod => "`cagr`, `linear` or `none`",
            Expected::TimeClause => "a time clause (`by`, `in`)",
            Expected::Attribute => "an attribute (`owner`, `quote`, `tags`, ...)",
            Expected::LineEnd => "the end of the line",
        }
    }

    /// What a grammar rule means to a user, or nothing for rules that only
    /// structure the tree. Deliberately without a catch-all arm: a new rule
    /// cannot ship without a name in words.
    fn of_rule(rule: Rule) -> Option<Expected> {
        Some(match rule {
            Rule::EOI => Expected::LineEnd,
            Rule::file | Rule::condition | Rule::target_id | Rule::description => return None,
            // Layout and word-level rules: silent, they never reach an error.
            Rule::WHITESPACE
            | Rule::continuation
            | Rule::skipped_line
            | Rule::comment
            | Rule::comment_text
            | Rule::open_paren
            | Rule::open_brace
            | Rule::hspace
            | Rule::line_end
            | Rule::statement
            | Rule::time_clause
            | Rule::attribute
            | Rule::prefix_op
            | Rule::infix_op
            | Rule::operand
            | Rule::digits
            | Rule::ident_start
            | Rule::ident_char
            | Rule::escape => return None,
            Rule::title_stmt
            | Rule::source_stmt
            | Rule::owner_stmt
            | Rule::section_stmt
            | Rule::scope_stmt
            | Rule::unit_stmt
            | Rule::let_stmt
            | Rule::target_stmt
            | Rule::condition_stmt
            | Rule::kw_title
            | Rule::kw_scope
            | Rule::kw_section
            | Rule::kw_unit
            | Rule::kw_let
            | Rule::kw_target => Expected::Statement,
            Rule::scope_item
            | Rule::selector_item
            | Rule::name
            | Rule::ident
            | Rule::quoted_name => Expected::Name,
            Rule::quoted_text | Rule::unit_name | Rule::function_name => Expected::Name,
            Rule::unit_value | Rule::unit_factor | Rule::number => Expected::Number,
            Rule::for_each | Rule::kw_for => Expected::Colon,
            Rule::by_clause
            | Rule::in_clause
            | Rule::in_each_clause
            | Rule::kw_by
            | Rule::kw_in => Expected::TimeClause,
            Rule::from_period | Rule::kw_from => Expected::From,
            Rule::to_period | Rule::kw_to => Expected::To,
            Rule::owner_attr
            | Rule::source_attr
            | Rule::quote_attr
            | Rule::note_attr
            | Rule::tags_attr
            | Rule::severity_attr
            | Rule::projection_attr
            | Rule::kw_owner
            | Rule::kw_source
            | Rule::kw_quote
            | Rule::kw_note
            | Rule::kw_tags
            | Rule::kw_severity
            | Rule::kw_projection
            | Rule::attribute_word => Expected::Attribute,
            Rule::severity_level => Expected::SeverityLevel,
            Rule::projection_method => Expected::ProjectionMethod,
            Rule::projection_window | Rule::kw_over => Expected::Over,
            Rule::kw_years => Expected::Years,
            Rule::kw_each => Expected::Each,
            Rule::kw_period => Expected::PeriodWord,
            Rule::expr
            | Rule::not_op
            | Rule::neg_op
            | Rule::paren
            | Rule::call
            | Rule::reference
            | Rule::literal => Expected::Value,
            Rule::or_op
            | Rule::and_op
            | Rule::ge_op
            | Rule::gt_op
            | Rule::le_op
            | Rule::lt_op
            | Rule::eq_op
            | Rule::ne_op
            | Rule::add_op
            | Rule::sub_op
            | Rule::mul_op
            | Rule::div_op
            | Rule::pow_op => Expected::Operator,
            // Parts of a reference or a number that may follow it: listing
            // them after every name would only add noise.
            Rule::selector
            | Rule::anchor
            | Rule::period_range
            | Rule::percent_sign
            | Rule::scale_suffix
            | Rule::scale_word
            | Rule::keyword => return None,
            Rule::period => Expected::Period,
            Rule::close_paren => Expected::CloseParen,
            Rule::colon => Expected::Colon,
            Rule::equals => Expected::Equals,
            Rule::comma => Expected::Comma,
            Rule::close_brace => Expected::CloseBrace,
            Rule::string | Rule::string_text => Expected::Text,
        })
    }

    fn of_token(token: &str, in_string: bool) -> Option<Expected> {
        Some(match token {
            "\"" if !in_string => Expected::Text,
            ":" => Expected::Colon,
            "=" => Expected::Equals,
            "," => Expected::Comma,
            "(" => Expected::OpenParen,
            ")" => Expected::CloseParen,
            "}" => Expected::CloseBrace,
            "\"" => Expected::ClosingQuote,
            _ => return None,
        })
    }
}

/// Builds the error for a failed parse of `source[base..]`.
pub(super) fn syntax_error(
    source: &str,
    lines: &LineIndex,
    base: usize,
    error: &Error<Rule>,
) -> SyntaxError {
    let location = match error.location {
        InputLocation::Pos(p) => p,
        InputLocation::Span((start, _)) => start,
    };
    let rules = match &error.variant {
        ErrorVariant::ParsingError { positives, .. } => positives.clone(),
        ErrorVariant::CustomError { .. } => {
            // pest's guard against running out of stack: only deep nesting
            // gets there, at a point that depends on the stack in use. The
            // error points where the nesting first goes too deep instead, as
            // it does when the parse succeeds.
            let end = (base + location).min(source.len());
            let position = base.min(end) + too_deep_at(&source[base.min(end)..end]).unwrap_or(end);
            return SyntaxError::TooDeep {
                span: found_at(source, lines, position).1,
            };
        }
    };
    let position = (base + location).min(source.len());
    if let Some(error) = broken_string(source, lines, position) {
        return error;
    }
    let (found, found_span) = found_at(source, lines, position);
    let mut expected: BTreeSet<Expected> =
        rules.into_iter().filter_map(Expected::of_rule).collect();
    let in_string = inside_string(&source[line_start(source, position)..position]);
    if let Some(attempts) = error.parse_attempts() {
        expected.extend(
            attempts
                .expected_tokens()
                .iter()
                .filter_map(|token| Expected::of_token(&token.to_string(), in_string)),
        );
    }
    refine(&mut expected, source, position);
    let context = Context {
        source,
        position,
        found: &found,
        expected: &expected,
    };
    let related = context.unclosed_bracket().map(|start| {
        (
            lines.span(source, start, start + 1),
            format!("this `{}` is not closed", &source[start..start + 1]),
        )
    });
    SyntaxError::Unexpected {
        span: found_span,
        expected: list(&expected),
        found: found.describe(),
        help: context.hint(),
        related,
    }
}

/// The error for a string literal starting at `position` that does not
/// parse: an unknown escape, or no closing quote on its line.
fn broken_string(source: &str, lines: &LineIndex, position: usize) -> Option<SyntaxError> {
    if let Some(rest) = source[position..].strip_prefix('`') {
        let line = &rest[..rest.find(['\n', '\r']).unwrap_or(rest.len())];
        return (!line.contains('`')).then(|| SyntaxError::UnclosedBacktick {
            span: lines.span(source, position, position + 1),
        });
    }
    let rest = source[position..].strip_prefix('"')?;
    let mut chars = rest.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return None,
            '\\' => match chars.next() {
                Some((_, '"' | '\\' | 'n' | 't')) => {}
                Some((j, other)) if other != '\n' && other != '\r' => {
                    let start = position + 1 + i;
                    let end = position + 1 + j + other.len_utf8();
                    return Some(SyntaxError::UnknownEscape {
                        span: lines.span(source, start, end),
                        escape: source[start..end].to_string(),
                    });
                }
                _ => break,
            },
            '\n' | '\r' => break,
            _ => {}
        }
    }
    Some(SyntaxError::UnclosedString {
        span: lines.span(source, position, position + 1),
    })
}

/// Drops expectations that would mislead at this position.
fn refine(expected: &mut BTreeSet<Expected>, source: &str, position: usize) {
    if expected.contains(&Expected::Statement) {
        expected.remove(&Expected::Value);
    }
    // After an operand, a name would be a unit and `(` a call: both noise.
    if expected.contains(&Expected::Operator) || expected.contains(&Expected::Value) {
        expected.remove(&Expected::Name);
        expected.remove(&Expected::Number);
        expected.remove(&Expected::OpenParen);
    }
    // Inside brackets a line break is not the end of the statement.
    if expected.contains(&Expected::CloseParen) || expected.contains(&Expected::CloseBrace) {
        expected.remove(&Expected::LineEnd);
    }
    if expected.contains(&Expected::ClosingQuote) {
        expected.retain(|e| *e == Expected::ClosingQuote);
    }
    // The end of a file is also the end of its last line.
    if position >= source.len() && expected.is_empty() {
        expected.insert(Expected::LineEnd);
    }
}

/// Whether a line that ends here has an open string literal.
fn inside_string(line: &str) -> bool {
    let mut open: Option<char> = None;
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match (open, c) {
            (None, '#') => return false,
            (None, '"' | '`') => open = Some(c),
            (Some('"'), '\\') => {
                chars.next();
            }
            (Some(quote), c) if c == quote => open = None,
            _ => {}
        }
    }
    open == Some('"')
}

/// Where in `text` (which starts outside brackets) the text inside more than
/// [`MAX_DEPTH`] parentheses starts; brackets in strings, quoted names and
/// comments do not count.
fn too_deep_at(text: &str) -> Option<usize> {
    let mut open: Option<char> = None;
    let mut depth = 0usize;
    let mut chars = text.char_indices();
    while let Some((i, c)) = chars.next() {
        match (open, c) {
            (None, '#') => open = Some('\n'),
            (None, '"' | '`') => open = Some(c),
            (None, '(') => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Some(i + 1);
                }
            }
            (None, ')') => depth = depth.saturating_sub(1),
            (Some('"'), '\\') => {
                chars.next();
            }
            (Some('\n'), '\r') => open = None,
            (Some(quote), c) if c == quote => open = None,
            _ => {}
        }
    }
    None
}

fn line_start(source: &str, position: usize) -> usize {
    source[..position].rfind(['\n', '\r']).map_or(0, |i| i + 1)
}

/// The expectations as a list in words; empty when nothing useful is known.
fn list(expected: &BTreeSet<Expected>) -> String {
    let phrases: Vec<&str> = expected.iter().map(|e| e.phrase()).collect();
    match phrases.as_slice() {
        [] => String::new(),
        [one] => one.to_string(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

/// What stands at the error position.
#[derive(Debug)]
enum Found {
    EndOfFile,
    EndOfLine,
    Space,
    Word(String),
    Number(String),
    Symbol(String),
}

impl Found {
    fn describe(&self) -> String {
        match self {
            Found::EndOfFile => "the end of the file".to_string(),
            Found::EndOfLine => "the end of the line".to_string(),
            Found::Space => "a space".to_string(),
            Found::Word(text) | Found::Number(text) | Found::Symbol(text) => format!("`{text}`"),
        }
    }

    fn text(&self) -> &str {
        match self {
            Found::Word(text) | Found::Number(text) | Found::Symbol(text) => text,
            Found::EndOfFile | Found::EndOfLine | Found::Space => "",
        }
    }
}

fn found_at(source: &str, lines: &LineIndex, position: usize) -> (Found, Span) {
    let rest = &source[position..];
    let Some(first) = rest.chars().next() else {
        return (Found::EndOfFile, lines.span(source, position, position));
    };
    let take = |len: usize| lines.span(source, position, position + len);
    if first == '\n' || first == '\r' {
        return (Found::EndOfLine, take(0));
    }
    if first == ' ' || first == '\t' {
        return (Found::Space, take(1));
    }
    let word_len =
        |chars: &dyn Fn(char) -> bool| rest.find(|c: char| !chars(c)).unwrap_or(rest.len());
    if first.is_alphabetic() || first == '_' {
        let len = word_len(&|c: char| c.is_alphanumeric() || c == '_' || c == '.');
        return (Found::Word(rest[..len].to_string()), take(len));
    }
    if first.is_ascii_digit() {
        let len = word_len(&|c: char| c.is_ascii_alphanumeric() || c == '.' || c == '_');
        return (Found::Number(rest[..len].to_string()), take(len));
    }
    const PAIRS: [&str; 8] = ["=>", "=<", "&&", "||", "<>", "==", ">=", "<="];
    let len = PAIRS
        .iter()
        .find(|pair| rest.starts_with(*pair))
        .map_or(first.len_utf8(), |pair| pair.len());
    (Found::Symbol(rest[..len].to_string()), take(len))
}

const STATEMENT_KEYWORDS: [&str; 8] = [
    "title", "source", "owner", "scope", "section", "unit", "let", "target",
];
const ATTRIBUTE_KEYWORDS: [&str; 7] = [
    "owner",
    "source",
    "quote",
    "note",
    "tags",
    "severity",
    "projection",
];
/// Keywords that go on a statement after its condition: a value is missing before them.
const CONTINUATIONS: [&str; 12] = [
    "by",
    "in",
    "and",
    "or",
    "owner",
    "source",
    "quote",
    "note",
    "tags",
    "severity",
    "projection",
    "for",
];

struct Context<'a> {
    source: &'a str,
    position: usize,
    found: &'a Found,
    expected: &'a BTreeSet<Expected>,
}

impl Context<'_> {
    fn expects(&self, e: Expected) -> bool {
        self.expected.contains(&e)
    }

    fn before(&self) -> &str {
        &self.source[..self.position]
    }

    fn line_start(&self) -> usize {
        line_start(self.source, self.position)
    }

    fn hint(&self) -> Option<String> {
        let found = self.found.text();
        let before = self.before();
        let after = &self.source[self.position..];

        if let Some(hint) = self.misspelt_statement_keyword() {
            return Some(hint);
        }
        if self.expects(Expected::CloseParen) || self.expects(Expected::CloseBrace) {
            let bracket = if self.expects(Expected::CloseParen) {
                ")"
            } else {
                "}"
            };
            return Some(format!("close the bracket with `{bracket}`"));
        }
        if let Some(hint) = self.misspelt_word_before() {
            return Some(hint);
        }
        if matches!(found, "by" | "in")
            && self.expects(Expected::Attribute)
            && !self.expects(Expected::TimeClause)
        {
            if self
                .statement_words()
                .iter()
                .any(|w| *w == "by" || *w == "in")
            {
                return Some("a target has one time clause".into());
            }
            return Some(
                "the time clause comes right after the condition, before the attributes".into(),
            );
        }
        if found == ")" {
            return Some("this `)` has no matching `(`".into());
        }
        if let Some(ascii) = match found {
            "≥" => Some(">="),
            "≤" => Some("<="),
            "≠" => Some("!="),
            "−" | "–" => Some("-"),
            "×" => Some("*"),
            "÷" => Some("/"),
            "“" | "”" | "«" | "»" => Some("\""),
            _ => None,
        } {
            return Some(format!("write `{ascii}`"));
        }
        // `160,000`
        if found == ","
            && before.ends_with(|c: char| c.is_ascii_digit())
            && after[1..].starts_with(|c: char| c.is_ascii_digit())
        {
            let number: String = before
                .chars()
                .rev()
                .take_while(|c| c.is_ascii_digit() || *c == '.')
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
            let rest: String = after[1..]
                .chars()
                .take_while(|c| c.is_ascii_digit() || *c == ',')
                .filter(|c| *c != ',')
                .collect();
            return Some(format!(
                "`,` does not group digits: write `{number}{rest}` or `{number}_{rest}`"
            ));
        }
        // `5.2 %`
        if found == "%" && before.trim_end().ends_with(|c: char| c.is_ascii_digit()) {
            let number: String = before
                .trim_end()
                .chars()
                .rev()
                .take_while(|c| c.is_ascii_digit() || *c == '.')
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
            return Some(format!(
                "write the percent sign right after the number: `{number}%`"
            ));
        }
        // `5m`, `5M`, `5B`
        if let Found::Word(word) | Found::Number(word) = self.found
            && before.ends_with(|c: char| c.is_ascii_digit())
            && !word.starts_with(|c: char| c.is_ascii_digit())
        {
            let lower = word.to_ascii_lowercase();
            if matches!(lower.as_str(), "k" | "mn" | "bn" | "tn") {
                return Some(format!(
                    "scale suffixes are written in lower case: `{lower}`"
                ));
            }
            return Some(format!(
                "`{word}` is not a scale: write a suffix `k`, `mn`, `bn` or `tn` (`5mn`), or a word after a space (`5 million`)"
            ));
        }
        if let Found::Number(number) = self.found
            && number.contains(|c: char| c.is_ascii_alphabetic())
            && !number.contains(['e', 'E'])
        {
            return Some(
                "a scale is a suffix `k`, `mn`, `bn` or `tn` (`5mn`), or a word after a space (`5 million`)".into(),
            );
        }
        match found {
            "=" if self.expects(Expected::Operator) => {
                return Some("to compare, write `==`".into());
            }
            "=>" => return Some("did you mean `>=`?".into()),
            "=<" => return Some("did you mean `<=`?".into()),
            "<>" => return Some("did you mean `!=`?".into()),
            "&&" | "&" => return Some("write `and`".into()),
            "||" | "|" => return Some("write `or`".into()),
            "!" => return Some("write `not`".into()),
            "'" => return Some("text is written in double quotes".into()),
            _ => {}
        }
        if self.expects(Expected::Period) {
            let keyword = before
                .trim_end()
                .rsplit(|c: char| !c.is_alphanumeric())
                .next()
                .unwrap_or("");
            if matches!(self.found, Found::Number(_)) {
                return Some("write the whole year, e.g. `2025`".into());
            }
            if matches!(keyword, "by" | "in" | "from" | "to") {
                return Some(format!("`{keyword}` needs a period, e.g. `{keyword} 2025`"));
            }
        }
        if let Found::Word(word) = self.found {
            let word = word.as_str();
            let at_value = self.expects(Expected::Value) || self.expects(Expected::Name);
            if at_value && matches!(word, "thousand" | "million" | "billion" | "trillion") {
                return Some(format!("a scale word follows a number: `160 {word}`"));
            }
            if at_value && CONTINUATIONS.contains(&word) {
                return Some(format!("something is missing before `{word}`"));
            }
            if at_value && KEYWORDS.contains(&word) {
                return Some(format!(
                    "`{word}` is a keyword: to use it as a name, write `` `{word}` ``"
                ));
            }
            if self.expects(Expected::Colon) && before.trim_end().ends_with('"') {
                return Some(
                    "the id comes before the description: `target ID \"description\": ...`".into(),
                );
            }
            if self.expects(Expected::Colon) {
                return Some(
                    "a target's header ends with `:`, e.g. `target cars_2025: cars >= 160 thousand units by 2025`"
                        .into(),
                );
            }
            if let Some(keyword) = self.close_expected_keyword(word) {
                return Some(format!("did you mean `{keyword}`?"));
            }
            if self.expects(Expected::Text) {
                return Some(
                    "text is written in double quotes, e.g. `\"Machine building\"`".into(),
                );
            }
        }
        if self.expects(Expected::Name) && before.trim_end().ends_with(',') {
            return Some("remove the `,` at the end, or add what follows it".into());
        }
        if self.at_indented_line_start() && self.expects(Expected::LineEnd) {
            return Some(
                "an indented line continues the statement above: to start a new statement, remove the indentation"
                    .into(),
            );
        }
        if self.expects(Expected::Colon) && !self.expects(Expected::Operator) {
            return Some("a target's header ends with `:`, e.g. `target cars_2025: cars >= 160 thousand units by 2025`".into());
        }
        if matches!(self.found, Found::Word(_)) && self.expects(Expected::Operator) {
            return Some("a number's unit follows it on the same line (`160 thousand units`); otherwise an operator is missing".into());
        }
        None
    }

    /// The words of the statement holding the error, up to the error.
    fn statement_words(&self) -> Vec<&str> {
        let mut start = self.line_start();
        // Back over continuation lines to the line where the statement starts.
        while start > 0 && self.source[start..].starts_with([' ', '\t']) {
            start = line_start(self.source, start - 1);
        }
        self.source[start..self.position]
            .split(|c: char| !(c.is_alphanumeric() || c == '_'))
            .filter(|w| !w.is_empty())
            .collect()
    }

    /// `traget x: ...`: the statement's first word is close to a keyword.
    fn misspelt_statement_keyword(&self) -> Option<String> {
        let line = &self.source[self.line_start()..];
        let first_word: &str = line
            .split(|c: char| !(c.is_alphanumeric() || c == '_'))
            .next()?;
        if first_word.is_empty()
            || KEYWORDS.contains(&first_word)
            || self.line_start() + first_word.len() > self.position
        {
            return None;
        }
        let keyword = STATEMENT_KEYWORDS
            .iter()
            .find(|keyword| close(first_word, keyword))?;
        if first_word.eq_ignore_ascii_case(keyword) {
            return Some(format!("keywords are written in lower case: `{keyword}`"));
        }
        Some(format!("did you mean `{keyword}`?"))
    }

    /// `x >= 5 bye 2025`: a misspelt keyword after a number reads as its unit.
    fn misspelt_word_before(&self) -> Option<String> {
        let before = self.before().trim_end_matches([' ', '\t']);
        let word: String = before
            .chars()
            .rev()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        let number_before = before[..before.len() - word.len()]
            .trim_end()
            .ends_with(|c: char| c.is_ascii_digit());
        if word.is_empty() || !number_before || !self.expects(Expected::TimeClause) {
            return None;
        }
        let keyword = ["by", "in"]
            .into_iter()
            .chain(ATTRIBUTE_KEYWORDS)
            .find(|k| close(&word, k))?;
        Some(format!(
            "did you mean `{keyword}`? `{word}` was read as the unit of the number before it"
        ))
    }

    /// A word close to a keyword that could stand here (`bye` for `by`).
    fn close_expected_keyword(&self, word: &str) -> Option<&'static str> {
        let mut candidates: Vec<&'static str> = Vec::new();
        if self.expects(Expected::TimeClause) {
            candidates.extend(["by", "in"]);
        }
        if self.expects(Expected::Attribute) {
            candidates.extend(ATTRIBUTE_KEYWORDS);
        }
        for (expected, keyword) in [
            (Expected::Each, "each"),
            (Expected::PeriodWord, "period"),
            (Expected::From, "from"),
            (Expected::To, "to"),
            (Expected::Over, "over"),
            (Expected::Years, "years"),
        ] {
            if self.expects(expected) {
                candidates.push(keyword);
            }
        }
        if self.expects(Expected::SeverityLevel) {
            candidates.extend(["error", "warning"]);
        }
        if self.expects(Expected::ProjectionMethod) {
            candidates.extend(["cagr", "linear", "none"]);
        }
        candidates.into_iter().find(|keyword| close(word, keyword))
    }

    fn at_indented_line_start(&self) -> bool {
        let line = &self.source[self.line_start()..self.position];
        !line.is_empty() && line.chars().all(|c| c == ' ' || c == '\t')
    }

    /// The last `(` or `{` before the error that is not closed, when a closing one is expected.
    fn unclosed_bracket(&self) -> Option<usize> {
        if !(self.expects(Expected::CloseParen) || self.expects(Expected::CloseBrace)) {
            return None;
        }
        let mut open = Vec::new();
        let mut chars = self.before().char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            match c {
                '"' | '`' => {
                    // Skip to the closing quote on the same line.
                    while let Some((_, d)) = chars.next() {
                        if d == c || d == '\n' {
                            break;
                        }
                        if d == '\\' && c == '"' {
                            chars.next();
                        }
                    }
                }
                '#' => while chars.next_if(|(_, d)| *d != '\n').is_some() {},
                '(' | '{' => open.push(i),
                ')' | '}' => {
                    open.pop();
                }
                _ => {}
            }
        }
        open.pop()
    }
}

/// Whether `word` looks like a misspelling of `keyword`: a letter or two off,
/// two letters swapped, or a different case.
fn close(word: &str, keyword: &str) -> bool {
    if word == keyword {
        return false;
    }
    let allowed = if keyword.len() <= 3 { 1 } else { 2 };
    word.eq_ignore_ascii_case(keyword)
        || strsim::osa_distance(&word.to_ascii_lowercase(), keyword) <= allowed
}
