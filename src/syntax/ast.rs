//! The typed syntax tree of a rule file.
//!
//! Every node carries its [`Span`] in the source. Two nodes compare equal
//! when they mean the same thing written the same way, whatever their spans:
//! [`Spanned`]'s equality ignores the span, which is what round-trip tests of
//! the formatter need. Periods and numbers are already interpreted (a
//! [`Number`] knows its value in base units); names are not yet resolved
//! (that is `crate::check`'s job).

use std::fmt;

use crate::data::period::Period;

/// Where a node is in its source: byte offsets, and the line and column
/// (both from 1, the column counted in characters) of its start.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Span {
    pub start: usize,
    pub end: usize,
    pub line: u32,
    pub column: u32,
}

impl Span {
    /// The span from the start of `self` to the end of `other`.
    pub fn to(self, other: Span) -> Span {
        Span {
            end: other.end,
            ..self
        }
    }
}

/// A node and its span. Equality and hashing ignore the span.
#[derive(Clone, Debug)]
pub struct Spanned<T> {
    pub node: T,
    pub span: Span,
}

impl<T> Spanned<T> {
    pub fn new(node: T, span: Span) -> Spanned<T> {
        Spanned { node, span }
    }
}

impl<T: PartialEq> PartialEq for Spanned<T> {
    fn eq(&self, other: &Self) -> bool {
        self.node == other.node
    }
}

impl<T> std::ops::Deref for Spanned<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.node
    }
}

/// The reserved words of the rule language (SPEC section 3): a name spelled
/// like one is written in backticks. The grammar's `keyword` rule lists the same.
pub const KEYWORDS: [&str; 24] = [
    "and",
    "or",
    "not",
    "by",
    "in",
    "each",
    "for",
    "title",
    "source",
    "owner",
    "scope",
    "section",
    "unit",
    "let",
    "target",
    "quote",
    "note",
    "tags",
    "severity",
    "projection",
    "thousand",
    "million",
    "billion",
    "trillion",
];

/// A name: an identifier (`passenger_cars`, `NV.IND.MANF.ZS`) or a name in
/// backticks (`` `Country Code` ``, `` `by` ``). `text` is the name without
/// backticks; whether it was quoted only matters for printing it back.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Name {
    pub text: String,
}

impl fmt::Display for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// A parsed rule file: its statements in order, and its comments.
#[derive(Clone, Debug, PartialEq)]
pub struct RuleFile {
    pub statements: Vec<Spanned<Statement>>,
    /// Comments are not part of the meaning; the formatter puts them back.
    pub comments: Vec<Comment>,
}

/// A `# ...` comment.
#[derive(Clone, Debug, PartialEq)]
pub struct Comment {
    /// The comment's text, from `#` to the end of the line, trailing spaces removed.
    pub text: String,
    pub span: Span,
    /// Whether the comment stands alone on its line.
    pub own_line: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Statement {
    Title(Spanned<String>),
    Source(Spanned<String>),
    Owner(Spanned<String>),
    Section(Spanned<String>),
    /// `scope country = "KZ", sex = "F"`
    Scope(Vec<Selector>),
    Unit(UnitDecl),
    Let(LetDecl),
    Target(Box<Target>),
}

/// `dim = "value"`, in a `scope` statement or a reference's `{...}`.
#[derive(Clone, Debug, PartialEq)]
pub struct Selector {
    pub dimension: Spanned<Name>,
    pub value: Spanned<String>,
}

/// `unit NAME = [NUMBER] [SCALE] BASE`, e.g. `unit mln_tenge = 1 million KZT`.
#[derive(Clone, Debug, PartialEq)]
pub struct UnitDecl {
    pub name: Spanned<Name>,
    /// The factor as written (`1 million`), if any; its value includes the scale.
    pub factor: Option<Spanned<Number>>,
    pub base: Spanned<Name>,
}

impl UnitDecl {
    /// How many `base` units one `name` is.
    pub fn factor_value(&self) -> f64 {
        self.factor.as_ref().map_or(1.0, |f| f.value)
    }
}

/// `let NAME = EXPR`
#[derive(Clone, Debug, PartialEq)]
pub struct LetDecl {
    pub name: Spanned<Name>,
    pub value: Spanned<Expr>,
}

/// A target: `target [ID] ["description"] [for each DIM [in (...)]]: CONDITION [TIME] ATTRS*`,
/// or a bare `CONDITION [TIME] ATTRS*`.
#[derive(Clone, Debug, PartialEq)]
pub struct Target {
    /// Whether the target was written with the `target` keyword.
    pub keyword: bool,
    pub id: Option<Spanned<Name>>,
    pub description: Option<Spanned<String>>,
    pub for_each: Option<ForEach>,
    pub condition: Spanned<Expr>,
    pub time: Option<Spanned<TimeClause>>,
    pub attributes: Vec<Spanned<Attribute>>,
}

/// `for each DIM [in ("a", "b")]`
#[derive(Clone, Debug, PartialEq)]
pub struct ForEach {
    pub dimension: Spanned<Name>,
    /// The listed values, if any.
    pub values: Option<Vec<Spanned<String>>>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum TimeClause {
    /// `by P`: must hold at the end of P.
    By(Spanned<Period>),
    /// `in P`: must hold in P itself.
    In(Spanned<Period>),
    /// `in each period [from P1] [to P2]`.
    InEachPeriod {
        from: Option<Spanned<Period>>,
        to: Option<Spanned<Period>>,
    },
}

#[derive(Clone, Debug, PartialEq)]
pub enum Attribute {
    Owner(Spanned<String>),
    Source(Spanned<String>),
    Quote(Spanned<String>),
    Note(Spanned<String>),
    Tags(Vec<Spanned<Name>>),
    Severity(Severity),
    Projection {
        method: ProjectionMethod,
        /// `over N years`, as written (checked to be a positive whole number).
        over_years: Option<Spanned<Number>>,
    },
}

impl Attribute {
    /// The attribute's keyword, to name it in messages.
    pub fn keyword(&self) -> &'static str {
        match self {
            Attribute::Owner(_) => "owner",
            Attribute::Source(_) => "source",
            Attribute::Quote(_) => "quote",
            Attribute::Note(_) => "note",
            Attribute::Tags(_) => "tags",
            Attribute::Severity(_) => "severity",
            Attribute::Projection { .. } => "projection",
        }
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Severity {
    #[default]
    Error,
    Warning,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ProjectionMethod {
    Cagr,
    Linear,
    None,
}

impl ProjectionMethod {
    pub fn as_str(self) -> &'static str {
        match self {
            ProjectionMethod::Cagr => "cagr",
            ProjectionMethod::Linear => "linear",
            ProjectionMethod::None => "none",
        }
    }
}

/// An expression or condition.
#[derive(Clone, Debug, PartialEq)]
pub enum Expr {
    Number(Number),
    Reference(Reference),
    Call {
        function: Spanned<Name>,
        args: Vec<Spanned<Expr>>,
    },
    /// Parentheses as written; kept so the formatter prints them back.
    Paren(Box<Spanned<Expr>>),
    Unary {
        op: UnaryOp,
        operand: Box<Spanned<Expr>>,
    },
    Binary {
        op: BinaryOp,
        lhs: Box<Spanned<Expr>>,
        rhs: Box<Spanned<Expr>>,
    },
}

impl Expr {
    /// The expression without any parentheses around it.
    pub fn unparenthesized(&self) -> &Expr {
        match self {
            Expr::Paren(inner) => inner.node.unparenthesized(),
            other => other,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum UnaryOp {
    Neg,
    Not,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BinaryOp {
    Or,
    And,
    Ge,
    Gt,
    Le,
    Lt,
    Eq,
    Ne,
    Add,
    Sub,
    Mul,
    Div,
    Pow,
}

impl BinaryOp {
    pub fn symbol(self) -> &'static str {
        match self {
            BinaryOp::Or => "or",
            BinaryOp::And => "and",
            BinaryOp::Ge => ">=",
            BinaryOp::Gt => ">",
            BinaryOp::Le => "<=",
            BinaryOp::Lt => "<",
            BinaryOp::Eq => "==",
            BinaryOp::Ne => "!=",
            BinaryOp::Add => "+",
            BinaryOp::Sub => "-",
            BinaryOp::Mul => "*",
            BinaryOp::Div => "/",
            BinaryOp::Pow => "^",
        }
    }

    pub fn is_comparison(self) -> bool {
        matches!(
            self,
            BinaryOp::Ge | BinaryOp::Gt | BinaryOp::Le | BinaryOp::Lt | BinaryOp::Eq | BinaryOp::Ne
        )
    }

    pub fn is_logical(self) -> bool {
        matches!(self, BinaryOp::Or | BinaryOp::And)
    }

    /// Binding strength, loosest first (SPEC section 3). Unary `not` sits
    /// between `and` and comparisons, unary `-` between `*` and `^`.
    pub fn precedence(self) -> u8 {
        match self {
            BinaryOp::Or => 1,
            BinaryOp::And => 2,
            BinaryOp::Ge
            | BinaryOp::Gt
            | BinaryOp::Le
            | BinaryOp::Lt
            | BinaryOp::Eq
            | BinaryOp::Ne => 4,
            BinaryOp::Add | BinaryOp::Sub => 5,
            BinaryOp::Mul | BinaryOp::Div => 6,
            BinaryOp::Pow => 8,
        }
    }
}

impl UnaryOp {
    pub fn precedence(self) -> u8 {
        match self {
            UnaryOp::Not => 3,
            UnaryOp::Neg => 7,
        }
    }
}

/// A number literal, interpreted: `160 thousand units`, `5.2%`, `403.2bn KZT`.
#[derive(Clone, Debug, PartialEq)]
pub struct Number {
    /// The digits as written (`160_000`, `1.5e-3`), without scale, `%` or unit.
    pub digits: String,
    pub scale: Option<(Scale, ScaleStyle)>,
    pub percent: bool,
    pub unit: Option<Spanned<Name>>,
    /// The value: the digits times the scale (times 0.01 for a percent),
    /// computed by shifting the decimal exponent before rounding to binary.
    pub value: f64,
}

impl Number {
    /// Whether the number is bare: no scale word, `%` or unit (SPEC section 3).
    pub fn is_bare(&self) -> bool {
        self.scale.is_none() && !self.percent && self.unit.is_none()
    }
}

/// A power-of-ten scale.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Scale {
    Thousand,
    Million,
    Billion,
    Trillion,
}

impl Scale {
    /// The power of ten.
    pub fn exponent(self) -> i32 {
        match self {
            Scale::Thousand => 3,
            Scale::Million => 6,
            Scale::Billion => 9,
            Scale::Trillion => 12,
        }
    }

    pub fn word(self) -> &'static str {
        match self {
            Scale::Thousand => "thousand",
            Scale::Million => "million",
            Scale::Billion => "billion",
            Scale::Trillion => "trillion",
        }
    }

    pub fn suffix(self) -> &'static str {
        match self {
            Scale::Thousand => "k",
            Scale::Million => "mn",
            Scale::Billion => "bn",
            Scale::Trillion => "tn",
        }
    }
}

/// How a scale was written: as a word after a space, or as a suffix.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ScaleStyle {
    Word,
    Suffix,
}

/// A reference to an indicator or a `let`: `name{dim="v"}@anchor`.
#[derive(Clone, Debug, PartialEq)]
pub struct Reference {
    pub name: Spanned<Name>,
    pub selectors: Vec<Selector>,
    pub anchor: Option<Spanned<Anchor>>,
}

/// `@2023` or `@2024-01..2024-04`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Anchor {
    Period(Period),
    Range(Period, Period),
}

/// The functions of the rule language.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Function {
    Sum,
    Mean,
    Min,
    Max,
    Count,
    First,
    Last,
    Growth,
    Yoy,
    Abs,
}

impl Function {
    pub const ALL: [Function; 10] = [
        Function::Sum,
        Function::Mean,
        Function::Min,
        Function::Max,
        Function::Count,
        Function::First,
        Function::Last,
        Function::Growth,
        Function::Yoy,
        Function::Abs,
    ];

    pub fn from_name(name: &str) -> Option<Function> {
        Function::ALL.into_iter().find(|f| f.name() == name)
    }

    pub fn name(self) -> &'static str {
        match self {
            Function::Sum => "sum",
            Function::Mean => "mean",
            Function::Min => "min",
            Function::Max => "max",
            Function::Count => "count",
            Function::First => "first",
            Function::Last => "last",
            Function::Growth => "growth",
            Function::Yoy => "yoy",
            Function::Abs => "abs",
        }
    }

    /// Whether the function aggregates the observations of one anchored reference.
    pub fn is_aggregate(self) -> bool {
        !matches!(self, Function::Growth | Function::Yoy | Function::Abs)
    }

    pub fn arity(self) -> usize {
        if self == Function::Growth { 2 } else { 1 }
    }
}
