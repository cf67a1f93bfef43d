//! Errors found while reading a rule file: syntax errors, and values that
//! are well-formed but meaningless (`2025-13`, `1e400`).

use thiserror::Error;

use super::ast::Span;
use crate::data::period::PeriodError;
use crate::diagnostic::Diagnostic;

/// The deepest nesting of parentheses, calls, `not`, unary minus and `^`
/// that a rule may have (SPEC section 3).
pub const MAX_DEPTH: usize = 256;

/// The most operators one expression may have. Deeper trees than this are
/// no longer rules people write, and every later stage walks them recursively.
pub const MAX_OPERATORS: usize = 1000;

#[derive(Clone, Debug, PartialEq, Error)]
pub enum SyntaxError {
    #[error("{}", unexpected(expected, found))]
    Unexpected {
        span: Span,
        expected: String,
        found: String,
        help: Option<String>,
        /// Another place worth showing, such as an unclosed `(`.
        related: Option<(Span, String)>,
    },
    #[error("the first statement is indented")]
    IndentedFirstStatement { span: Span },
    #[error("this string is not closed")]
    UnclosedString { span: Span },
    #[error("this name in backticks is not closed")]
    UnclosedBacktick { span: Span },
    #[error("unknown escape `{escape}` in a string")]
    UnknownEscape { span: Span, escape: String },
    #[error("invalid period: {error}")]
    Period { span: Span, error: PeriodError },
    #[error("`{text}` is not a finite number")]
    NotFinite { span: Span, text: String },
    #[error("comparisons do not chain")]
    ChainedComparison { span: Span },
    #[error("nesting deeper than {MAX_DEPTH} levels")]
    TooDeep { span: Span },
    #[error("expression with more than {MAX_OPERATORS} operators")]
    TooLong { span: Span },
    /// The grammar produced a shape the parser does not know: a bug.
    #[error("internal error: unexpected `{rule}` in the parse tree")]
    Internal { span: Span, rule: String },
}

impl SyntaxError {
    pub fn span(&self) -> Span {
        match self {
            SyntaxError::Unexpected { span, .. }
            | SyntaxError::UnclosedString { span }
            | SyntaxError::UnclosedBacktick { span }
            | SyntaxError::IndentedFirstStatement { span }
            | SyntaxError::UnknownEscape { span, .. }
            | SyntaxError::Period { span, .. }
            | SyntaxError::NotFinite { span, .. }
            | SyntaxError::ChainedComparison { span }
            | SyntaxError::TooDeep { span }
            | SyntaxError::TooLong { span }
            | SyntaxError::Internal { span, .. } => *span,
        }
    }

    pub fn help(&self) -> Option<String> {
        match self {
            SyntaxError::Unexpected { help, .. } => help.clone(),
            SyntaxError::IndentedFirstStatement { .. } => {
                Some("an indented line continues the statement above it, and there is none: remove the indentation".into())
            }
            SyntaxError::UnclosedString { .. } => {
                Some("a string ends on the line it starts: add the closing `\"`".into())
            }
            SyntaxError::UnclosedBacktick { .. } => {
                Some("a name in backticks ends on the line it starts: add the closing backtick".into())
            }
            SyntaxError::UnknownEscape { .. } => {
                Some("the escapes in a string are `\\\"`, `\\\\`, `\\n` and `\\t`".into())
            }
            SyntaxError::Period { error, .. } => error.help().map(String::from),
            SyntaxError::NotFinite { .. } => {
                Some("numbers must stay within about ±1.8e308 after scaling".into())
            }
            SyntaxError::ChainedComparison { .. } => {
                Some("write `a < b and b < c`, or add parentheses".into())
            }
            SyntaxError::TooDeep { .. } | SyntaxError::TooLong { .. } => {
                Some("split the expression with `let`".into())
            }
            SyntaxError::Internal { .. } => Some("please report this with the rule file".into()),
        }
    }

    pub fn diagnostic(&self) -> Diagnostic {
        let mut diagnostic =
            Diagnostic::error(self.to_string(), self.span()).with_help(self.help());
        if let SyntaxError::Unexpected {
            related: Some((span, note)),
            ..
        } = self
        {
            diagnostic = diagnostic.with_related(*span, note.clone());
        }
        diagnostic
    }
}

fn unexpected(expected: &str, found: &str) -> String {
    if expected.is_empty() {
        format!("unexpected {found}")
    } else {
        format!("expected {expected}, found {found}")
    }
}
