//! What the static checks report.

use thiserror::Error;

use crate::data::period::Period;
use crate::diagnostic::Diagnostic;
use crate::syntax::ast::Span;

/// A mistake that makes a rule file unusable (exit code 2 before evaluation).
#[derive(Clone, Debug, PartialEq, Error)]
pub enum CheckError {
    #[error("target id `{id}` is used twice")]
    DuplicateTargetId { id: String, span: Span, first: Span },
    #[error("`let {name}` is defined twice")]
    DuplicateLet {
        name: String,
        span: Span,
        first: Span,
    },
    #[error("unit `{name}` is declared twice")]
    DuplicateUnit {
        name: String,
        span: Span,
        first: Span,
    },
    #[error("`let {name}` is defined in terms of itself: {}", cycle.join(" → "))]
    LetCycle {
        name: String,
        cycle: Vec<String>,
        span: Span,
    },
    #[error("unit `{name}` is declared in terms of itself: {}", cycle.join(" → "))]
    UnitCycle {
        name: String,
        cycle: Vec<String>,
        span: Span,
    },
    #[error("unknown function `{name}`")]
    UnknownFunction {
        name: String,
        suggestion: Option<String>,
        span: Span,
    },
    #[error("`{function}` takes {expected} argument{}, found {found}", if *expected == 1 { "" } else { "s" })]
    ArgumentCount {
        function: String,
        expected: usize,
        found: usize,
        span: Span,
    },
    #[error("the argument of `{function}` must be an indicator with a period anchor")]
    AggregateArgument { function: String, span: Span },
    #[error(
        "a period range can only be used inside `sum`, `mean`, `min`, `max`, `count`, `first` or `last`"
    )]
    RangeOutsideAggregate { span: Span },
    #[error("the range `{first}..{last}` mixes {} and {} periods", first.frequency().name(), last.frequency().name())]
    RangeMixesFrequencies {
        first: Period,
        last: Period,
        span: Span,
    },
    #[error("the range `{first}..{last}` runs backwards")]
    RangeReversed {
        first: Period,
        last: Period,
        span: Span,
    },
    #[error("`from {from}` comes after `to {to}`")]
    FromAfterTo {
        from: Period,
        to: Period,
        span: Span,
    },
    #[error("`for each {dimension}` and a selector on `{dimension}` in the same target")]
    ForEachDimensionSelected {
        dimension: String,
        span: Span,
        for_each: Span,
    },
    #[error("`{keyword}` is given twice for this target")]
    RepeatedAttribute {
        keyword: &'static str,
        span: Span,
        first: Span,
    },
    #[error("dimension `{dimension}` is scoped twice")]
    RepeatedScope {
        dimension: String,
        span: Span,
        first: Span,
    },
    #[error("dimension `{dimension}` is selected twice")]
    RepeatedSelector {
        dimension: String,
        span: Span,
        first: Span,
    },
    #[error("`over {text} years` needs a positive whole number of years")]
    ProjectionYears { text: String, span: Span },
    #[error("a target's condition must be a comparison, found a value")]
    NotACondition { span: Span },
    #[error("expected a condition, found a value")]
    ConditionExpected { operator: String, span: Span },
    #[error("expected a value, found a condition")]
    ValueExpected { operator: String, span: Span },
}

impl CheckError {
    pub fn span(&self) -> Span {
        match self {
            CheckError::DuplicateTargetId { span, .. }
            | CheckError::DuplicateLet { span, .. }
            | CheckError::DuplicateUnit { span, .. }
            | CheckError::LetCycle { span, .. }
            | CheckError::UnitCycle { span, .. }
            | CheckError::UnknownFunction { span, .. }
            | CheckError::ArgumentCount { span, .. }
            | CheckError::AggregateArgument { span, .. }
            | CheckError::RangeOutsideAggregate { span }
            | CheckError::RangeMixesFrequencies { span, .. }
            | CheckError::RangeReversed { span, .. }
            | CheckError::FromAfterTo { span, .. }
            | CheckError::ForEachDimensionSelected { span, .. }
            | CheckError::RepeatedAttribute { span, .. }
            | CheckError::RepeatedScope { span, .. }
            | CheckError::RepeatedSelector { span, .. }
            | CheckError::ProjectionYears { span, .. }
            | CheckError::NotACondition { span }
            | CheckError::ConditionExpected { span, .. }
            | CheckError::ValueExpected { span, .. } => *span,
        }
    }

    pub fn help(&self) -> Option<String> {
        Some(match self {
            CheckError::DuplicateTargetId { .. } => "give each target of a file its own id".into(),
            CheckError::DuplicateLet { .. } | CheckError::DuplicateUnit { .. } => {
                "rename or remove one of them".into()
            }
            CheckError::LetCycle { .. } | CheckError::UnitCycle { .. } => return None,
            CheckError::UnknownFunction {
                suggestion: Some(s),
                ..
            } => format!("did you mean `{s}`?"),
            CheckError::UnknownFunction { .. } => {
                "the functions are sum, mean, min, max, count, first, last, growth, yoy and abs"
                    .into()
            }
            CheckError::ArgumentCount { .. } => return None,
            CheckError::AggregateArgument { function, .. } => {
                format!("e.g. `{function}(exports@2024-01..2024-06)` or `{function}(exports@2024)`")
            }
            CheckError::RangeOutsideAggregate { .. } => {
                "e.g. `sum(exports@2024-01..2024-06)`".into()
            }
            CheckError::RangeMixesFrequencies { .. } => {
                "write both ends the same way, e.g. `2024-01..2024-06`".into()
            }
            CheckError::RangeReversed { last, first, .. } => format!("write `{last}..{first}`"),
            CheckError::FromAfterTo { .. } => return None,
            CheckError::ForEachDimensionSelected { dimension, .. } => {
                format!(
                    "`for each {dimension}` sets `{dimension}` for every reference: remove the selector"
                )
            }
            CheckError::RepeatedAttribute { .. } => "keep one of them".into(),
            CheckError::RepeatedScope { .. } | CheckError::RepeatedSelector { .. } => {
                "keep one of them".into()
            }
            CheckError::ProjectionYears { .. } => "e.g. `projection cagr over 5 years`".into(),
            CheckError::NotACondition { .. } => {
                "compare it with something, e.g. `gdp >= 100 billion USD`".into()
            }
            CheckError::ConditionExpected { operator, .. } if operator == "not" => {
                "`not` applies to a condition, e.g. `not exports > 0`".into()
            }
            CheckError::ConditionExpected { operator, .. } => {
                format!("`{operator}` joins conditions, e.g. `exports > 0 {operator} imports > 0`")
            }
            CheckError::ValueExpected { operator, .. }
                if ["and", "or"].iter().any(|o| o == operator) =>
            {
                return None;
            }
            CheckError::ValueExpected { operator, .. } if is_comparison(operator) => {
                format!(
                    "`{operator}` compares two values; conditions are joined with `and` or `or`"
                )
            }
            CheckError::ValueExpected { operator, .. } => {
                format!("`{operator}` works on values, not on conditions")
            }
        })
    }

    /// Another place the message is about: the first definition of a duplicate, ...
    fn label(&self) -> Option<String> {
        match self {
            CheckError::ConditionExpected { operator, .. } => {
                Some(format!("this value is an operand of `{operator}`"))
            }
            CheckError::ValueExpected { operator, .. } => {
                Some(format!("this condition is an operand of `{operator}`"))
            }
            _ => None,
        }
    }

    fn related(&self) -> Option<(Span, &'static str)> {
        match self {
            CheckError::DuplicateTargetId { first, .. }
            | CheckError::DuplicateLet { first, .. }
            | CheckError::DuplicateUnit { first, .. }
            | CheckError::RepeatedAttribute { first, .. }
            | CheckError::RepeatedScope { first, .. }
            | CheckError::RepeatedSelector { first, .. } => Some((*first, "first here")),
            CheckError::ForEachDimensionSelected { for_each, .. } => {
                Some((*for_each, "`for each` here"))
            }
            _ => None,
        }
    }

    pub fn diagnostic(&self) -> Diagnostic {
        let mut diagnostic =
            Diagnostic::error(self.to_string(), self.span()).with_help(self.help());
        if let Some(label) = self.label() {
            diagnostic = diagnostic.with_label(label);
        }
        match self.related() {
            Some((span, note)) => diagnostic.with_related(span, note),
            None => diagnostic,
        }
    }
}

/// Something that is probably a mistake but does not stop the run.
#[derive(Clone, Debug, PartialEq, Error)]
pub enum CheckWarning {
    #[error("`{word}` is read as a unit, not as a scale")]
    ScaleWordAsUnit {
        word: String,
        number: String,
        span: Span,
    },
    #[error("`{value}` is listed twice in `for each`")]
    RepeatedForEachValue { value: String, span: Span },
}

impl CheckWarning {
    pub fn span(&self) -> Span {
        match self {
            CheckWarning::ScaleWordAsUnit { span, .. }
            | CheckWarning::RepeatedForEachValue { span, .. } => *span,
        }
    }

    pub fn diagnostic(&self) -> Diagnostic {
        let help = match self {
            CheckWarning::ScaleWordAsUnit { number, word, .. } => {
                let suggestion = match word.to_ascii_lowercase().trim_end_matches('.') {
                    "k" => "thousand",
                    "mn" | "mln" => "million",
                    "bn" | "bln" => "billion",
                    _ => "trillion",
                };
                Some(format!("for a scale, write `{number} {suggestion}`"))
            }
            CheckWarning::RepeatedForEachValue { .. } => None,
        };
        Diagnostic::warning(self.to_string(), self.span()).with_help(help)
    }
}

fn is_comparison(operator: &str) -> bool {
    matches!(operator, ">=" | ">" | "<=" | "<" | "==" | "!=")
}
