//! A target's condition made ready to evaluate against one dataset.
//!
//! Lowering substitutes `let`s (applying a let's selectors and anchor to
//! the references inside it), adds `scope` and `for each` selectors,
//! resolves every reference to its series, converts numbers with units to
//! base units (through the file's `unit` declarations) and binds bare
//! numbers compared with a single reference to that series' display unit
//! (SPEC section 3 and 8.2).

use std::cell::RefCell;
use std::collections::HashMap;

use super::value::{Problem, Unit};
use crate::data::dataset::{Dataset, Series};
use crate::data::period::Period;
use crate::data::unit::DataUnit;
use crate::syntax::ast::{
    Anchor, BinaryOp, Expr, Function, LetDecl, RuleFile, Span, Statement, UnaryOp,
};

/// A node of the evaluation tree.
#[derive(Clone, Debug)]
pub(crate) enum Node {
    Number {
        /// In base units.
        value: f64,
        unit: Unit,
        /// The digits as written, for a bare number (binding to a display unit).
        bare: Option<String>,
        /// Written as a percentage (`5%`).
        percent: bool,
    },
    Ref(usize),
    Call(Function, Vec<Node>),
    Neg(Box<Node>),
    Not(Box<Node>),
    Binary(BinaryOp, Box<Node>, Box<Node>),
}

/// One reference of a condition, after let substitution.
#[derive(Clone, Debug)]
pub(crate) struct RefUse<'d> {
    /// As written, with the selectors and anchor that apply (`cars{country="KZ"}@2023`).
    pub text: String,
    /// Where the reference stands in its rule file (inside the `let` for a
    /// reference that comes from one).
    pub span: Span,
    pub indicator: String,
    /// Selectors written in the rule (on the reference or on the let around it).
    pub selectors: Vec<(String, String)>,
    pub anchor: Option<Anchor>,
    /// Whether the reference is the argument of an aggregate.
    pub aggregated: bool,
    /// The series it resolved to, and its name for messages (`cars[country=KZ]`).
    pub series: Result<&'d Series, Problem>,
    pub label: String,
    /// Multiplies the series' base-unit values to reach its canonical unit
    /// (the file's `unit` declarations), and that unit.
    pub factor: f64,
    pub unit: Unit,
}

impl RefUse<'_> {
    pub fn is_anchored(&self) -> bool {
        self.anchor.is_some()
    }
}

/// What a file's declarations contribute to every target in it.
pub(crate) struct FileContext<'f> {
    lets: HashMap<&'f str, &'f LetDecl>,
    pub scope: Vec<(String, String)>,
    /// `unit NAME = FACTOR BASE`.
    units: HashMap<&'f str, (&'f str, f64)>,
}

impl<'f> FileContext<'f> {
    pub fn new(file: &'f RuleFile) -> FileContext<'f> {
        let mut context = FileContext {
            lets: HashMap::new(),
            scope: Vec::new(),
            units: HashMap::new(),
        };
        for statement in &file.statements {
            match &statement.node {
                Statement::Let(decl) => {
                    context
                        .lets
                        .entry(decl.name.node.text.as_str())
                        .or_insert(decl);
                }
                Statement::Scope(selectors) => context.scope.extend(
                    selectors
                        .iter()
                        .map(|s| (s.dimension.node.text.clone(), s.value.node.clone())),
                ),
                Statement::Unit(unit) => {
                    context
                        .units
                        .entry(unit.name.node.text.as_str())
                        .or_insert((unit.base.node.text.as_str(), unit.factor_value()));
                }
                _ => {}
            }
        }
        context
    }

    /// A unit name through the file's declarations: its canonical base and
    /// how many of those one of it is (`GW` with `unit GW = 1000 MW` → MW, 1000).
    pub fn canonical_unit(&self, name: &str) -> (String, f64) {
        let mut name = name;
        let mut factor = 1.0;
        // Declarations are checked to be acyclic; the bound guards anyway.
        for _ in 0..=self.units.len() {
            match self.units.get(name) {
                Some((base, f)) => {
                    factor *= f;
                    name = base;
                }
                None => break,
            }
        }
        (name.to_string(), factor)
    }

    /// The canonical unit of a data series and the factor to reach it.
    pub fn series_unit(&self, series: &Series) -> (Unit, f64) {
        match series.unit() {
            None => (Unit::Free, 1.0),
            Some(unit) if unit.base.is_empty() => (Unit::dimensionless(), 1.0),
            Some(unit) => {
                let (base, factor) = self.canonical_unit(&unit.base);
                (Unit::base(&base), factor)
            }
        }
    }
}

/// The canonical units of the data units a target's series are in, each
/// worked out once for the target rather than again for every entity of a
/// `for each` (the series of a unit text share one [`DataUnit`]).
#[derive(Default)]
pub(crate) struct SeriesUnits<'d>(RefCell<Vec<(&'d DataUnit, Unit, f64)>>);

impl<'d> SeriesUnits<'d> {
    /// The most units remembered: a target's series use one or a few.
    const MOST: usize = 16;

    /// [`FileContext::series_unit`], remembered.
    fn get(&self, context: &FileContext<'_>, series: &'d Series) -> (Unit, f64) {
        let Some(data_unit) = series.unit() else {
            return context.series_unit(series);
        };
        let mut known = self.0.borrow_mut();
        if let Some((_, unit, factor)) = known.iter().find(|(u, ..)| std::ptr::eq(*u, data_unit)) {
            return (unit.clone(), *factor);
        }
        let (unit, factor) = context.series_unit(series);
        if known.len() < Self::MOST {
            known.push((data_unit, unit.clone(), factor));
        }
        (unit, factor)
    }
}

/// A target's condition, lowered and resolved for one entity.
pub(crate) struct Lowered<'d> {
    pub root: Node,
    pub refs: Vec<RefUse<'d>>,
    /// The substitution of lets went past [`MAX_NODES`] and was cut short.
    pub too_large: bool,
}

/// Selectors and an anchor that a let use passes to the references inside
/// it, and how many lets deep the substitution is.
#[derive(Clone, Default)]
struct Outer {
    selectors: Vec<(String, String)>,
    anchor: Option<Anchor>,
    depth: usize,
}

/// The most lets that may be substituted one inside another.
const MAX_LET_DEPTH: usize = 256;

#[derive(Clone, Copy)]
pub(crate) struct Lowerer<'f, 'd> {
    context: &'f FileContext<'f>,
    data: &'d Dataset,
    /// The `for each` dimension and this entity's value.
    binding: Option<(&'f str, &'f str)>,
    /// Whether references are resolved to their series (not when only
    /// their names and selectors are wanted).
    resolve: bool,
    /// Series units already worked out for this target, if kept.
    units: Option<&'f SeriesUnits<'d>>,
}

/// The most nodes a condition may have once its `let`s are substituted:
/// lets that use each other twice over double at every step.
pub(crate) const MAX_NODES: usize = 100_000;

impl<'f, 'd> Lowerer<'f, 'd> {
    pub fn new(
        context: &'f FileContext<'f>,
        data: &'d Dataset,
        binding: Option<(&'f str, &'f str)>,
    ) -> Lowerer<'f, 'd> {
        Lowerer {
            context,
            data,
            binding,
            resolve: true,
            units: None,
        }
    }

    /// The lowerer, remembering series units in `units` (kept across the
    /// entities of a target).
    pub fn with_units(self, units: &'f SeriesUnits<'d>) -> Lowerer<'f, 'd> {
        Lowerer {
            units: Some(units),
            ..self
        }
    }

    pub fn lower(&self, expr: &Expr) -> Lowered<'d> {
        let mut refs = Vec::new();
        let budget = std::cell::Cell::new(MAX_NODES);
        let root = self.node(expr, &Outer::default(), false, &mut refs, &budget);
        let mut lowered = Lowered {
            root,
            refs,
            too_large: budget.get() == 0,
        };
        if !lowered.too_large {
            bind_bare_numbers(&mut lowered.root, &lowered.refs);
        }
        lowered
    }

    /// The references of an expression without resolving them (for `for each` entities).
    pub fn references(&self, expr: &Expr) -> Vec<RefUse<'d>> {
        Lowerer {
            resolve: false,
            ..*self
        }
        .lower(expr)
        .refs
    }

    fn node(
        &self,
        expr: &Expr,
        outer: &Outer,
        aggregated: bool,
        refs: &mut Vec<RefUse<'d>>,
        budget: &std::cell::Cell<usize>,
    ) -> Node {
        // Past the budget, every node becomes a placeholder: the result is an error.
        if budget.get() == 0 {
            return Node::Number {
                value: 0.0,
                unit: Unit::Free,
                bare: None,
                percent: false,
            };
        }
        budget.set(budget.get() - 1);
        match expr {
            Expr::Number(n) => {
                let (value, unit) = match &n.unit {
                    Some(name) => {
                        let (base, factor) = self.context.canonical_unit(&name.node.text);
                        (n.value * factor, Unit::base(&base))
                    }
                    None if n.percent => (n.value, Unit::dimensionless()),
                    None => (n.value, Unit::Free),
                };
                Node::Number {
                    value,
                    unit,
                    bare: n.is_bare().then(|| n.digits.replace('_', "")),
                    percent: n.percent,
                }
            }
            Expr::Reference(reference) => {
                let mut selectors: Vec<(String, String)> = reference
                    .selectors
                    .iter()
                    .map(|s| (s.dimension.node.text.clone(), s.value.node.clone()))
                    .collect();
                for (dim, value) in &outer.selectors {
                    if !selectors.iter().any(|(d, _)| d.eq_ignore_ascii_case(dim)) {
                        selectors.push((dim.clone(), value.clone()));
                    }
                }
                let anchor = reference.anchor.as_ref().map(|a| a.node).or(outer.anchor);
                let name = reference.name.node.text.as_str();
                if let Some(decl) = self.context.lets.get(name) {
                    if outer.depth >= MAX_LET_DEPTH {
                        budget.set(0);
                        return Node::Number {
                            value: 0.0,
                            unit: Unit::Free,
                            bare: None,
                            percent: false,
                        };
                    }
                    let inner = Outer {
                        selectors,
                        anchor,
                        depth: outer.depth + 1,
                    };
                    return self.node(&decl.value.node, &inner, aggregated, refs, budget);
                }
                refs.push(self.reference(name, selectors, anchor, aggregated, reference.name.span));
                Node::Ref(refs.len() - 1)
            }
            Expr::Call { function, args } => {
                let function = Function::from_name(&function.node.text).unwrap_or(Function::Abs);
                let args = args
                    .iter()
                    .map(|a| self.node(&a.node, outer, function.is_aggregate(), refs, budget))
                    .collect();
                Node::Call(function, args)
            }
            Expr::Paren(inner) => self.node(&inner.node, outer, aggregated, refs, budget),
            Expr::Unary {
                op: UnaryOp::Neg,
                operand,
            } => Node::Neg(Box::new(self.node(
                &operand.node,
                outer,
                aggregated,
                refs,
                budget,
            ))),
            Expr::Unary {
                op: UnaryOp::Not,
                operand,
            } => Node::Not(Box::new(self.node(
                &operand.node,
                outer,
                aggregated,
                refs,
                budget,
            ))),
            Expr::Binary { op, lhs, rhs } => Node::Binary(
                *op,
                Box::new(self.node(&lhs.node, outer, aggregated, refs, budget)),
                Box::new(self.node(&rhs.node, outer, aggregated, refs, budget)),
            ),
        }
    }

    fn reference(
        &self,
        indicator: &str,
        selectors: Vec<(String, String)>,
        anchor: Option<Anchor>,
        aggregated: bool,
        span: Span,
    ) -> RefUse<'d> {
        let text = reference_text(indicator, &selectors, anchor);
        let series = if self.resolve {
            self.resolve(indicator, &selectors)
        } else {
            // Not looked for: no series, and no message to make.
            Err(Problem::NoData(String::new()))
        };
        let (unit, factor, label) = match &series {
            Ok(series) => {
                let (unit, factor) = match self.units {
                    Some(units) => units.get(self.context, series),
                    None => self.context.series_unit(series),
                };
                (unit, factor, self.data.series_label(series))
            }
            Err(_) => (Unit::Free, 1.0, indicator.to_string()),
        };
        RefUse {
            text,
            span,
            indicator: indicator.to_string(),
            selectors,
            anchor,
            aggregated,
            series,
            label,
            factor,
            unit,
        }
    }

    /// The selectors a reference gets, in this order: its own (written on it
    /// or on the let around it), the `for each` value, then the file's
    /// `scope` on the dimensions its indicator has (`dims`) and that nothing
    /// before named. A `for each` dimension (`for_each`, or the binding's)
    /// takes no scope.
    fn selectors<'s>(
        &'s self,
        explicit: &'s [(String, String)],
        dims: &[&str],
        for_each: Option<&str>,
    ) -> Vec<(&'s str, &'s str)> {
        let has_dim = |dim: &str| dims.iter().any(|d| d.eq_ignore_ascii_case(dim));
        let mut selectors: Vec<(&str, &str)> = explicit
            .iter()
            .map(|(d, v)| (d.as_str(), v.as_str()))
            .collect();
        if let Some((dim, value)) = self.binding
            && has_dim(dim)
        {
            selectors.push((dim, value));
        }
        let for_each = for_each.or(self.binding.map(|(d, _)| d));
        for (dim, value) in &self.context.scope {
            let named = selectors.iter().any(|(d, _)| d.eq_ignore_ascii_case(dim));
            let replaced_by_for_each = for_each.is_some_and(|d| d.eq_ignore_ascii_case(dim));
            if has_dim(dim) && !named && !replaced_by_for_each {
                selectors.push((dim, value));
            }
        }
        selectors
    }

    /// The values of a `for each` dimension: those of the series the
    /// condition's references match, ignoring the dimension itself, sorted
    /// (SPEC section 3).
    pub fn entity_values(&self, expr: &Expr, dimension: &str) -> Vec<String> {
        let data = self.data;
        let mut values: Vec<&str> = Vec::new();
        let Some(dimension) = data.dim_id(dimension) else {
            return Vec::new();
        };
        for reference in self.references(expr) {
            let dims = data.dimensions(&reference.indicator);
            let selectors =
                self.selectors(&reference.selectors, &dims, Some(data.dim_name(dimension)));
            // Names to ids once, not for every series: a selector the data
            // has no id for matches no series.
            let Some(selectors) = selectors
                .iter()
                .map(|(d, v)| Some((data.dim_id(d)?, data.value_id(v)?)))
                .collect::<Option<Vec<_>>>()
            else {
                continue;
            };
            for (_, series) in data.series_of(&reference.indicator) {
                if selectors
                    .iter()
                    .all(|&(d, v)| data.dim_value_id(series, d) == Some(v))
                    && let Some(value) = data.dim_value_id(series, dimension)
                {
                    values.push(data.value_name(value));
                }
            }
        }
        values.sort_unstable();
        values.dedup();
        values.into_iter().map(String::from).collect()
    }

    /// The one series a reference means (SPEC section 3): its selectors, the
    /// file's scope and the `for each` value, on the dimensions the indicator has.
    fn resolve(
        &self,
        indicator: &str,
        explicit: &[(String, String)],
    ) -> Result<&'d Series, Problem> {
        let data = self.data;
        if !data.has_indicator(indicator) {
            return Err(Problem::Error(unknown_indicator(
                data,
                indicator,
                self.context,
            )));
        }
        let dims = data.dimensions(indicator);
        let has_dim = |dim: &str| dims.iter().any(|d| d.eq_ignore_ascii_case(dim));
        for (dim, _) in explicit {
            if !has_dim(dim) {
                let known = if dims.is_empty() {
                    "none".to_string()
                } else {
                    dims.join(", ")
                };
                return Err(Problem::Error(format!(
                    "`{indicator}` has no dimension `{dim}` in the data; its dimensions: {known}"
                )));
            }
        }
        let selectors = self.selectors(explicit, &dims, None);
        // Every dimension pinned: one hash probe.
        if selectors.len() == dims.len() {
            return data
                .find_series(indicator, &selectors)
                .ok_or_else(|| no_series(indicator, &selectors));
        }
        let mut matching = data
            .series_of(indicator)
            .map(|(_, series)| series)
            .filter(|series| {
                selectors
                    .iter()
                    .all(|(d, v)| data.dim_value(series, d) == Some(*v))
            });
        let Some(first) = matching.next() else {
            return Err(no_series(indicator, &selectors));
        };
        let others: Vec<&Series> = matching.collect();
        if others.is_empty() {
            return Ok(first);
        }
        let count = others.len() + 1;
        // Sorted, so the message does not depend on the order of the rows.
        let mut shown: Vec<String> = std::iter::once(first)
            .chain(others.iter().copied())
            .map(|s| data.series_label(s))
            .collect();
        shown.sort_unstable();
        shown.truncate(4);
        let more = if count > 4 {
            format!(", and {} more", count - 4)
        } else {
            String::new()
        };
        Err(Problem::Error(format!(
            "`{indicator}` matches {count} series ({}{more}): add a selector or a `scope`",
            shown.join("; ")
        )))
    }
}

fn no_series(indicator: &str, selectors: &[(&str, &str)]) -> Problem {
    if selectors.is_empty() {
        // Named by rows that were all missing or rejected.
        return Problem::NoData(format!("no series of `{indicator}` in the data"));
    }
    let selectors: Vec<String> = selectors
        .iter()
        .map(|(d, v)| format!("{d}=\"{v}\""))
        .collect();
    Problem::NoData(format!(
        "no series of `{indicator}` with {{{}}} in the data",
        selectors.join(", ")
    ))
}

fn unknown_indicator(data: &Dataset, indicator: &str, context: &FileContext<'_>) -> String {
    let candidates = data.indicators().chain(context.lets.keys().copied());
    let best = candidates
        .map(|name| {
            (
                strsim::osa_distance(&name.to_lowercase(), &indicator.to_lowercase()),
                name,
            )
        })
        .filter(|(distance, name)| *distance <= (name.len().max(indicator.len()) / 3).max(2))
        .min();
    match best {
        Some((_, name)) => format!(
            "unknown indicator `{indicator}` (not in any data file); did you mean `{name}`?"
        ),
        None => format!("unknown indicator `{indicator}` (not in any data file)"),
    }
}

/// A reference as written: `name{dim="value"}@anchor`.
pub(crate) fn reference_text(
    indicator: &str,
    selectors: &[(String, String)],
    anchor: Option<Anchor>,
) -> String {
    let mut text = indicator.to_string();
    if !selectors.is_empty() {
        let items: Vec<String> = selectors
            .iter()
            .map(|(d, v)| format!("{d}=\"{v}\""))
            .collect();
        text.push_str(&format!("{{{}}}", items.join(", ")));
    }
    match anchor {
        Some(Anchor::Period(p)) => text.push_str(&format!("@{p}")),
        Some(Anchor::Range(a, b)) => text.push_str(&format!("@{a}..{b}")),
        None => {}
    }
    text
}

/// The period an anchor names, one year earlier `shift` times.
pub(crate) fn shifted(period: Period, shift: u32) -> Period {
    (0..shift).fold(period, |p, _| p.year_earlier())
}

/// Binds a bare number to the display unit of the single reference (or
/// aggregate of one) it is compared with: `cars >= 160` against `thousand
/// units` data means 160 thousand units (SPEC 8.2).
fn bind_bare_numbers(node: &mut Node, refs: &[RefUse<'_>]) {
    match node {
        Node::Binary(op, lhs, rhs) if op.is_comparison() => {
            if let Some(i) = single_reference(lhs) {
                bind(rhs, &refs[i]);
            }
            if let Some(i) = single_reference(rhs) {
                bind(lhs, &refs[i]);
            }
            bind_bare_numbers(lhs, refs);
            bind_bare_numbers(rhs, refs);
        }
        Node::Binary(_, lhs, rhs) => {
            bind_bare_numbers(lhs, refs);
            bind_bare_numbers(rhs, refs);
        }
        Node::Neg(inner) | Node::Not(inner) => bind_bare_numbers(inner, refs),
        Node::Call(_, args) => args.iter_mut().for_each(|a| bind_bare_numbers(a, refs)),
        Node::Number { .. } | Node::Ref(_) => {}
    }
}

/// The reference a node is, directly or as the argument of `sum`, `mean`,
/// `min`, `max`, `first` or `last` (not `count`, which counts).
pub(crate) fn single_reference(node: &Node) -> Option<usize> {
    match node {
        Node::Ref(i) => Some(*i),
        Node::Call(function, args) if function.is_aggregate() && *function != Function::Count => {
            match args.as_slice() {
                [Node::Ref(i)] => Some(*i),
                _ => None,
            }
        }
        _ => None,
    }
}

fn bind(node: &mut Node, reference: &RefUse<'_>) {
    match node {
        Node::Neg(inner) => bind(inner, reference),
        Node::Number {
            value,
            unit,
            bare: Some(digits),
            ..
        } => {
            let Ok(series) = &reference.series else {
                return;
            };
            let shift = series.unit().map_or(0, |u| u.shift);
            if let Some(scaled) = crate::data::unit::parse_scaled(digits, shift) {
                *value = scaled * reference.factor;
                *unit = reference.unit.clone();
            }
        }
        _ => {}
    }
}
