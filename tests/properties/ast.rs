//! Strategies for arbitrary rule-file syntax trees, built from the
//! project's own AST types (`ontrack::syntax::ast`) with dummy spans, and a
//! comparison of trees that ignores parentheses.
//!
//! The trees are anything the grammar can express, whether or not it passes
//! the static checks: unknown functions, wrong argument counts, ranges
//! outside aggregates, values where conditions belong. The few shapes the
//! grammar cannot express (a percent with a unit, a call named like a
//! keyword, an empty `for each ... in ()`) are never generated, and strings
//! hold no carriage return, which the formatter drops on purpose.

use ontrack::data::period::{Date, Period};
use ontrack::syntax::ast::*;
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;

pub fn spanned<T>(node: T) -> Spanned<T> {
    Spanned::new(node, Span::default())
}

fn name_of(text: impl Into<String>) -> Spanned<Name> {
    spanned(Name { text: text.into() })
}

fn is_keyword(text: &str) -> bool {
    KEYWORDS.contains(&text.split('.').next().unwrap_or(""))
}

/// A plain identifier that is not a keyword: the only kind of name a
/// function can have.
fn plain_identifier() -> impl Strategy<Value = String> {
    "[A-Za-z_][A-Za-z0-9_]{0,7}(\\.[A-Za-z0-9_]{1,4}){0,2}"
        .prop_filter("a keyword", |s| !is_keyword(s))
}

/// Names of indicators, dimensions, lets, tags and units: mostly plain,
/// some spelled like keywords, some that need backticks for their spaces,
/// punctuation or non-ASCII letters.
pub fn name() -> impl Strategy<Value = Spanned<Name>> {
    prop_oneof![
        6 => plain_identifier(),
        1 => select(KEYWORDS.to_vec()).prop_map(str::to_string),
        1 => "[^`\r\n]{1,10}",
        1 => select(vec!["Country Code", "by.x", "in_", "note", "noted", "2025", "a..b", "x."])
            .prop_map(str::to_string),
    ]
    .prop_map(name_of)
}

/// Names written after a number, as its unit, including names spelled like
/// scale words (`thousands`, `Million`), which keep their backticks.
pub fn unit_name() -> impl Strategy<Value = Spanned<Name>> {
    prop_oneof![
        4 => select(vec!["units", "tonnes", "KZT", "MW", "m", "k", "percent", "e5", "GWh.el"])
            .prop_map(name_of),
        1 => select(vec!["thousands", "Million", "BILLIONS", "Trillion"]).prop_map(name_of),
        2 => name(),
    ]
}

/// String contents with what must be escaped (`"`, `\`, newline, tab),
/// comment and bracket characters, and any other Unicode character except a
/// carriage return.
pub fn string_text() -> impl Strategy<Value = String> {
    let character = prop_oneof![
        6 => proptest::char::range(' ', '~'),
        1 => select(vec!['"', '\\', '\n', '\t', '#', '`', '{', '(', 'é', '中', '😀', '\u{2028}', '\u{feff}', '\0']),
        1 => any::<char>().prop_filter("a carriage return", |&c| c != '\r'),
    ];
    vec(character, 0..14).prop_map(String::from_iter)
}

pub fn string() -> impl Strategy<Value = Spanned<String>> {
    string_text().prop_map(spanned)
}

/// A valid period; years mostly recent, some at the ends of what a period
/// can hold.
pub fn period() -> impl Strategy<Value = Period> {
    let year = prop_oneof![8 => 1990..=2040i32, 1 => 1..=9999i32];
    prop_oneof![
        2 => year.clone().prop_map(Period::Year),
        1 => (year.clone(), 1..=4u8).prop_map(|(y, q)| Period::Quarter(y, q)),
        1 => (year.clone(), 1..=12u8).prop_map(|(y, m)| Period::Month(y, m)),
        1 => (year, 1..=12u8, 1..=31u8)
            .prop_filter_map("no such day", |(y, m, d)| Date::new(y, m, d).map(Period::Day)),
    ]
}

fn spanned_period() -> impl Strategy<Value = Spanned<Period>> {
    period().prop_map(spanned)
}

/// The digits of a number as the grammar reads them: `_` between digits, an
/// optional fraction and exponent.
fn digits() -> impl Strategy<Value = String> {
    "[0-9](_?[0-9]){0,5}(\\.[0-9](_?[0-9]){0,3})?([eE][+-]?[0-9]{1,2})?"
}

/// The value of `digits` times 10^`shift`, as SPEC section 1 says numbers
/// are scaled: the decimal exponent is shifted before rounding to binary.
pub fn scaled_value(digits: &str, shift: i32) -> f64 {
    let digits = digits.replace('_', "");
    let (mantissa, exponent) = match digits.split_once(['e', 'E']) {
        Some((mantissa, exponent)) => (mantissa, exponent.parse::<i32>().expect("exponent")),
        None => (digits.as_str(), 0),
    };
    format!("{mantissa}e{}", exponent + shift)
        .parse()
        .expect("a number")
}

pub fn number_of(
    digits: String,
    scale: Option<(Scale, ScaleStyle)>,
    percent: bool,
    unit: Option<Spanned<Name>>,
) -> Number {
    let shift = scale.map_or(0, |(s, _)| s.exponent()) - if percent { 2 } else { 0 };
    let value = scaled_value(&digits, shift);
    Number {
        digits,
        scale,
        percent,
        unit,
        value,
    }
}

fn scale() -> impl Strategy<Value = (Scale, ScaleStyle)> {
    (
        select(vec![
            Scale::Thousand,
            Scale::Million,
            Scale::Billion,
            Scale::Trillion,
        ]),
        select(vec![ScaleStyle::Word, ScaleStyle::Suffix]),
    )
}

/// A number literal as the grammar allows it: bare, a percent, a scale with
/// or without a unit, or a unit.
pub fn number(unit: BoxedStrategy<Spanned<Name>>) -> impl Strategy<Value = Number> {
    prop_oneof![
        3 => digits().prop_map(|d| number_of(d, None, false, None)),
        1 => digits().prop_map(|d| number_of(d, None, true, None)),
        1 => (digits(), scale(), proptest::option::of(unit.clone()))
            .prop_map(|(d, s, u)| number_of(d, Some(s), false, u)),
        1 => (digits(), unit).prop_map(|(d, u)| number_of(d, None, false, Some(u))),
    ]
}

fn selector() -> impl Strategy<Value = Selector> {
    (name(), string()).prop_map(|(dimension, value)| Selector { dimension, value })
}

fn anchor() -> impl Strategy<Value = Anchor> {
    prop_oneof![
        2 => period().prop_map(Anchor::Period),
        1 => (period(), period()).prop_map(|(a, b)| Anchor::Range(a, b)),
    ]
}

fn reference() -> impl Strategy<Value = Reference> {
    (
        name(),
        prop_oneof![3 => Just(Vec::new()), 1 => vec(selector(), 1..3)],
        proptest::option::of(anchor().prop_map(spanned)),
    )
        .prop_map(|(name, selectors, anchor)| Reference {
            name,
            selectors,
            anchor,
        })
}

fn binary_op() -> impl Strategy<Value = BinaryOp> {
    select(vec![
        BinaryOp::Or,
        BinaryOp::And,
        BinaryOp::Ge,
        BinaryOp::Gt,
        BinaryOp::Le,
        BinaryOp::Lt,
        BinaryOp::Eq,
        BinaryOp::Ne,
        BinaryOp::Add,
        BinaryOp::Sub,
        BinaryOp::Mul,
        BinaryOp::Div,
        BinaryOp::Pow,
    ])
}

/// Any expression: operators of every precedence nested in any order,
/// parentheses here and there, calls of the language's functions with
/// their arities and of unknown functions with any number of arguments.
pub fn expr(unit: BoxedStrategy<Spanned<Name>>) -> BoxedStrategy<Expr> {
    let leaf = prop_oneof![
        number(unit).prop_map(Expr::Number),
        reference().prop_map(Expr::Reference),
    ];
    leaf.prop_recursive(5, 40, 3, |inner| {
        let boxed = || inner.clone().prop_map(|e| Box::new(spanned(e)));
        let known_call = (select(Function::ALL.to_vec()), vec(inner.clone(), 2)).prop_map(
            |(function, mut args)| {
                args.truncate(function.arity());
                Expr::Call {
                    function: name_of(function.name()),
                    args: args.into_iter().map(spanned).collect(),
                }
            },
        );
        let other_call =
            (plain_identifier(), vec(inner.clone(), 0..3)).prop_map(|(f, args)| Expr::Call {
                function: name_of(f),
                args: args.into_iter().map(spanned).collect(),
            });
        prop_oneof![
            6 => (binary_op(), boxed(), boxed())
                .prop_map(|(op, lhs, rhs)| Expr::Binary { op, lhs, rhs }),
            2 => (select(vec![UnaryOp::Neg, UnaryOp::Not]), boxed())
                .prop_map(|(op, operand)| Expr::Unary { op, operand }),
            1 => boxed().prop_map(Expr::Paren),
            2 => known_call,
            1 => other_call,
        ]
    })
    .boxed()
}

fn time_clause() -> impl Strategy<Value = TimeClause> {
    prop_oneof![
        spanned_period().prop_map(TimeClause::By),
        spanned_period().prop_map(TimeClause::In),
        (
            proptest::option::of(spanned_period()),
            proptest::option::of(spanned_period())
        )
            .prop_map(|(from, to)| TimeClause::InEachPeriod { from, to }),
    ]
}

fn attribute() -> impl Strategy<Value = Attribute> {
    let method = select(vec![
        ProjectionMethod::Cagr,
        ProjectionMethod::Linear,
        ProjectionMethod::None,
    ]);
    let years = "[0-9](_?[0-9]){0,2}(\\.[0-9]{1,2})?".prop_map(|d| number_of(d, None, false, None));
    prop_oneof![
        string().prop_map(Attribute::Owner),
        string().prop_map(Attribute::Source),
        string().prop_map(Attribute::Quote),
        string().prop_map(Attribute::Note),
        vec(name(), 1..4).prop_map(Attribute::Tags),
        select(vec![Severity::Error, Severity::Warning]).prop_map(Attribute::Severity),
        (method, proptest::option::of(years.prop_map(spanned)))
            .prop_map(|(method, over_years)| Attribute::Projection { method, over_years }),
    ]
}

fn for_each() -> impl Strategy<Value = ForEach> {
    (name(), proptest::option::of(vec(string(), 1..4)))
        .prop_map(|(dimension, values)| ForEach { dimension, values })
}

fn target(unit: BoxedStrategy<Spanned<Name>>) -> impl Strategy<Value = Target> {
    let header = (
        proptest::option::of(name()),
        proptest::option::of(string()),
        proptest::option::of(for_each()),
    );
    (
        any::<bool>(),
        header,
        expr(unit),
        proptest::option::of(time_clause().prop_map(spanned)),
        vec(attribute().prop_map(spanned), 0..4),
    )
        .prop_map(
            |(keyword, (id, description, for_each), condition, time, attributes)| {
                // Without the keyword a target has no header.
                let (id, description, for_each) = if keyword {
                    (id, description, for_each)
                } else {
                    (None, None, None)
                };
                Target {
                    keyword,
                    id,
                    description,
                    for_each,
                    condition: spanned(condition),
                    time,
                    attributes,
                }
            },
        )
}

fn unit_decl() -> impl Strategy<Value = UnitDecl> {
    let factor = (digits(), proptest::option::of(scale()))
        .prop_map(|(d, s)| spanned(number_of(d, s, false, None)));
    (name(), proptest::option::of(factor), name()).prop_map(|(name, factor, base)| UnitDecl {
        name,
        factor,
        base,
    })
}

fn statement(unit: BoxedStrategy<Spanned<Name>>) -> impl Strategy<Value = Statement> {
    prop_oneof![
        1 => string().prop_map(Statement::Title),
        1 => string().prop_map(Statement::Source),
        1 => string().prop_map(Statement::Owner),
        1 => string().prop_map(Statement::Section),
        1 => vec(selector(), 1..3).prop_map(Statement::Scope),
        1 => unit_decl().prop_map(Statement::Unit),
        2 => (name(), expr(unit.clone()))
            .prop_map(|(name, value)| Statement::Let(LetDecl { name, value: spanned(value) })),
        6 => target(unit).prop_map(|t| Statement::Target(Box::new(t))),
    ]
}

/// A rule file of up to `max` statements, with no comments; numbers name
/// their units with `unit`.
pub fn rule_file_with(
    unit: BoxedStrategy<Spanned<Name>>,
    max: usize,
) -> impl Strategy<Value = RuleFile> {
    vec(statement(unit).prop_map(spanned), 1..max).prop_map(|statements| RuleFile {
        statements,
        comments: Vec::new(),
    })
}

pub fn rule_file() -> impl Strategy<Value = RuleFile> {
    rule_file_with(unit_name().boxed(), 8)
}

/// The file with every `Expr::Paren` removed: the tree a formatter must
/// keep, whatever parentheses it adds to write it.
pub fn without_parens(file: &RuleFile) -> RuleFile {
    let mut file = file.clone();
    for statement in &mut file.statements {
        match &mut statement.node {
            Statement::Let(decl) => strip(&mut decl.value),
            Statement::Target(target) => strip(&mut target.condition),
            _ => {}
        }
    }
    file
}

fn strip(expr: &mut Spanned<Expr>) {
    while let Expr::Paren(inner) = &expr.node {
        *expr = (**inner).clone();
    }
    match &mut expr.node {
        Expr::Call { args, .. } => args.iter_mut().for_each(strip),
        Expr::Unary { operand, .. } => strip(operand),
        Expr::Binary { lhs, rhs, .. } => {
            strip(lhs);
            strip(rhs);
        }
        Expr::Number(_) | Expr::Reference(_) | Expr::Paren(_) => {}
    }
}
