//! Strategies for rule files that pass the static checks, over the
//! indicators of `dataset.rs`: comparisons of references, aggregates,
//! `growth`/`yoy`/`abs` and arithmetic, combined with `and`/`or`/`not`;
//! lets, a scope, unit declarations, `for each country`, time clauses and
//! attributes (each at most once per target).

use ontrack::data::period::Period;
use ontrack::syntax::ast::*;
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::{select, subsequence};

use super::ast::{number_of, spanned};
use super::dataset::INDICATORS;

const LETS: [&str; 2] = ["l_first", "l_second"];

fn name_of(text: &str) -> Spanned<Name> {
    spanned(Name {
        text: text.to_string(),
    })
}

/// A period the data may have, or one just outside it.
fn period() -> impl Strategy<Value = Period> {
    prop_oneof![
        3 => (2005..2032i32).prop_map(Period::Year),
        1 => (2012..2030i32, 1..=4u8).prop_map(|(y, q)| Period::Quarter(y, q)),
        1 => (2016..2026i32, 1..=12u8).prop_map(|(y, m)| Period::Month(y, m)),
    ]
}

/// A range of one frequency, first to last.
fn range() -> impl Strategy<Value = Anchor> {
    (period(), period())
        .prop_filter("mixed frequencies", |(a, b)| a.frequency() == b.frequency())
        .prop_map(|(a, b)| Anchor::Range(a.min(b), a.max(b)))
}

fn country_selector() -> impl Strategy<Value = Vec<Selector>> {
    select(vec!["KZ", "UZ", "XX"]).prop_map(|country| {
        vec![Selector {
            dimension: name_of("country"),
            value: spanned(country.to_string()),
        }]
    })
}

/// A reference to an indicator (or, with `lets`, to a let), with a
/// `country` selector only where `select_country`.
fn reference(
    lets: bool,
    select_country: bool,
    anchor: BoxedStrategy<Option<Anchor>>,
) -> impl Strategy<Value = Expr> {
    let mut names = INDICATORS.to_vec();
    names.push("ind_zz");
    if lets {
        names.extend(LETS);
    }
    let selectors = if select_country {
        prop_oneof![2 => Just(Vec::new()), 1 => country_selector()].boxed()
    } else {
        Just(Vec::new()).boxed()
    };
    (
        prop_oneof![20 => select(INDICATORS.to_vec()), 1 => select(names)],
        selectors,
        anchor,
    )
        .prop_map(|(name, selectors, anchor)| {
            Expr::Reference(Reference {
                name: name_of(name),
                selectors,
                anchor: anchor.map(spanned),
            })
        })
}

fn number() -> impl Strategy<Value = Expr> {
    let digits = prop_oneof![
        4 => (0u32..300).prop_map(|n| n.to_string()),
        2 => (0u32..1000, 1u32..100).prop_map(|(a, b)| format!("{a}.{b}")),
        1 => select(vec!["0", "1e300", "1e-300", "7.1e12", "1_000_000.25"]).prop_map(str::to_string),
    ];
    let scale = select(vec![
        None,
        Some((Scale::Thousand, ScaleStyle::Word)),
        Some((Scale::Million, ScaleStyle::Suffix)),
    ]);
    let unit = select(vec![
        None,
        Some("units"),
        Some("tonnes"),
        Some("KZT"),
        Some("kzt_k"),
    ]);
    prop_oneof![
        6 => digits.clone().prop_map(|d| number_of(d, None, false, None)),
        1 => digits.clone().prop_map(|d| number_of(d, None, true, None)),
        1 => (digits, scale, unit)
            .prop_map(|(d, s, u)| number_of(d, s, false, u.map(name_of))),
    ]
    .prop_map(Expr::Number)
}

fn boxed(expr: Expr) -> Box<Spanned<Expr>> {
    Box::new(spanned(expr))
}

fn call(function: Function, args: Vec<Expr>) -> Expr {
    Expr::Call {
        function: name_of(function.name()),
        args: args.into_iter().map(spanned).collect(),
    }
}

/// A value: references, numbers, aggregates, `growth`/`yoy`/`abs` and
/// arithmetic.
fn value(lets: bool, select_country: bool) -> BoxedStrategy<Expr> {
    let single_anchor = prop_oneof![
        3 => Just(None),
        1 => period().prop_map(|p| Some(Anchor::Period(p))),
    ]
    .boxed();
    let aggregate_anchor = prop_oneof![
        1 => period().prop_map(|p| Some(Anchor::Period(p))),
        2 => range().prop_map(Some),
    ]
    .boxed();
    let aggregate = (
        select(
            Function::ALL
                .into_iter()
                .filter(|f| f.is_aggregate())
                .collect::<Vec<_>>(),
        ),
        reference(false, select_country, aggregate_anchor),
    )
        .prop_map(|(f, r)| call(f, vec![r]));
    let leaf = prop_oneof![
        5 => reference(lets, select_country, single_anchor),
        3 => number(),
        1 => aggregate,
    ];
    leaf.prop_recursive(3, 12, 2, |inner| {
        prop_oneof![
            4 => (
                select(vec![BinaryOp::Add, BinaryOp::Sub, BinaryOp::Mul, BinaryOp::Div, BinaryOp::Pow]),
                inner.clone(),
                inner.clone(),
            )
                .prop_map(|(op, lhs, rhs)| Expr::Binary { op, lhs: boxed(lhs), rhs: boxed(rhs) }),
            1 => inner.clone().prop_map(|e| Expr::Unary { op: UnaryOp::Neg, operand: boxed(e) }),
            1 => inner.clone().prop_map(|e| Expr::Paren(boxed(e))),
            1 => (inner.clone(), inner.clone()).prop_map(|(a, b)| call(Function::Growth, vec![a, b])),
            1 => inner.clone().prop_map(|e| call(Function::Yoy, vec![e])),
            1 => inner.prop_map(|e| call(Function::Abs, vec![e])),
        ]
    })
    .boxed()
}

/// A condition: comparisons of values, combined.
fn condition(select_country: bool) -> BoxedStrategy<Expr> {
    let comparison = (
        select(vec![
            BinaryOp::Ge,
            BinaryOp::Gt,
            BinaryOp::Le,
            BinaryOp::Lt,
            BinaryOp::Eq,
            BinaryOp::Ne,
        ]),
        value(true, select_country),
        value(true, select_country),
    )
        .prop_map(|(op, lhs, rhs)| Expr::Binary {
            op,
            lhs: boxed(lhs),
            rhs: boxed(rhs),
        });
    let simple = (
        select(vec![BinaryOp::Ge, BinaryOp::Gt, BinaryOp::Le, BinaryOp::Lt]),
        reference(true, select_country, Just(None).boxed()),
        (0u32..300_000).prop_map(|n| Expr::Number(number_of(n.to_string(), None, false, None))),
    )
        .prop_map(|(op, lhs, rhs)| Expr::Binary {
            op,
            lhs: boxed(lhs),
            rhs: boxed(rhs),
        });
    let leaf = prop_oneof![3 => simple, 2 => comparison];
    let combined = leaf.clone().prop_recursive(2, 6, 2, |inner| {
        prop_oneof![
            2 => (select(vec![BinaryOp::And, BinaryOp::Or]), inner.clone(), inner.clone())
                .prop_map(|(op, lhs, rhs)| Expr::Binary { op, lhs: boxed(lhs), rhs: boxed(rhs) }),
            1 => inner.clone().prop_map(|e| Expr::Unary { op: UnaryOp::Not, operand: boxed(e) }),
            1 => inner.prop_map(|e| Expr::Paren(boxed(e))),
        ]
    });
    prop_oneof![3 => leaf, 1 => combined].boxed()
}

fn time_clause() -> impl Strategy<Value = Option<TimeClause>> {
    let from_to = (
        proptest::option::of(period()),
        proptest::option::of(period()),
    )
        .prop_map(|(from, to)| {
            let (from, to) = match (from, to) {
                (Some(a), Some(b)) => (Some(a.min(b)), Some(a.max(b))),
                other => other,
            };
            TimeClause::InEachPeriod {
                from: from.map(spanned),
                to: to.map(spanned),
            }
        });
    prop_oneof![
        2 => Just(None),
        4 => period().prop_map(|p| Some(TimeClause::By(spanned(p)))),
        1 => period().prop_map(|p| Some(TimeClause::In(spanned(p)))),
        1 => from_to.prop_map(Some),
    ]
}

/// Attributes, each kind at most once, in any order.
fn attributes() -> impl Strategy<Value = Vec<Spanned<Attribute>>> {
    let text = || "[ -~é]{0,10}".prop_map(spanned);
    let projection = (
        select(vec![
            ProjectionMethod::Cagr,
            ProjectionMethod::Linear,
            ProjectionMethod::None,
        ]),
        proptest::option::of(1u32..=10),
    )
        .prop_map(|(method, years)| Attribute::Projection {
            method,
            over_years: years.map(|n| spanned(number_of(n.to_string(), None, false, None))),
        });
    (
        text().prop_map(Attribute::Owner),
        text().prop_map(Attribute::Source),
        text().prop_map(Attribute::Quote),
        text().prop_map(Attribute::Note),
        vec(select(vec!["energy", "sdg_7", "eu"]), 1..3)
            .prop_map(|tags| Attribute::Tags(tags.into_iter().map(name_of).collect())),
        select(vec![Severity::Error, Severity::Warning]).prop_map(Attribute::Severity),
        projection,
    )
        .prop_flat_map(|(a, b, c, d, e, f, g)| {
            let all = vec![a, b, c, d, e, f, g];
            let n = all.len();
            subsequence(all, 0..=n).prop_shuffle()
        })
        .prop_map(|attributes| attributes.into_iter().map(spanned).collect())
}

/// A target with id `id` (or none, or no `target` keyword at all).
fn target(id: String) -> impl Strategy<Value = Target> {
    let for_each = prop_oneof![
        3 => Just(None),
        1 => Just(Some(ForEach { dimension: name_of("country"), values: None })),
        1 => Just(Some(ForEach {
            dimension: name_of("country"),
            values: Some(vec![spanned("KZ".to_string()), spanned("UZ".to_string())]),
        })),
    ];
    (
        select(vec![0u8, 1, 2]),
        proptest::option::of("[ -~]{0,12}"),
        for_each,
        time_clause(),
        attributes(),
    )
        .prop_flat_map(move |(header, description, for_each, time, attributes)| {
            let id = id.clone();
            // No `target` keyword, or one with and one without an id.
            let keyword = header > 0;
            let for_each = for_each.filter(|_| keyword);
            condition(for_each.is_none()).prop_map(move |condition| Target {
                keyword,
                id: (header == 2).then(|| name_of(&id)),
                description: description.clone().filter(|_| keyword).map(spanned),
                for_each: for_each.clone(),
                condition: spanned(condition),
                time: time.clone().map(spanned),
                attributes: attributes.clone(),
            })
        })
}

/// A rule file of one to four targets that passes the static checks.
pub fn rule_file() -> impl Strategy<Value = RuleFile> {
    let header = (
        proptest::option::of("[ -~]{0,12}".prop_map(|t| Statement::Title(spanned(t)))),
        proptest::option::weighted(
            0.6,
            select(vec!["KZ", "UZ"]).prop_map(|c| {
                Statement::Scope(vec![Selector {
                    dimension: name_of("country"),
                    value: spanned(c.to_string()),
                }])
            }),
        ),
        // Let bodies name no dimension: `for each country` targets use them too.
        vec(value(false, false), LETS.len()),
        any::<bool>(),
    );
    let targets =
        (1..5usize).prop_flat_map(|n| (0..n).map(|i| target(format!("t{i}"))).collect::<Vec<_>>());
    (header, targets).prop_map(|((title, scope, lets, units), targets)| {
        let mut statements: Vec<Statement> = title.into_iter().chain(scope).collect();
        if units {
            statements.push(Statement::Unit(UnitDecl {
                name: name_of("kzt_k"),
                factor: Some(spanned(number_of(
                    "1".to_string(),
                    Some((Scale::Thousand, ScaleStyle::Word)),
                    false,
                    None,
                ))),
                base: name_of("KZT"),
            }));
        }
        for (name, value) in LETS.iter().zip(lets) {
            statements.push(Statement::Let(LetDecl {
                name: name_of(name),
                value: spanned(value),
            }));
        }
        for (i, target) in targets.into_iter().enumerate() {
            if i == 1 {
                statements.push(Statement::Section(spanned("Second".to_string())));
            }
            statements.push(Statement::Target(Box::new(target)));
        }
        RuleFile {
            statements: statements.into_iter().map(spanned).collect(),
            comments: Vec::new(),
        }
    })
}
