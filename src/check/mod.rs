//! Static checks: everything about a rule file that can be known without
//! data (SPEC section 3, "Errors found without data").
//!
//! [`check`] walks the whole file and collects every problem, not only the
//! first. It does not resolve indicators (that needs the data) and does not
//! read periods or numbers (the parser has already rejected invalid ones).

mod error;

use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, HashMap, HashSet};

pub use error::{CheckError, CheckWarning};

use crate::diagnostic::Diagnostic;
use crate::syntax::ast::*;

/// The outcome of the static checks of one file.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Checked {
    pub errors: Vec<CheckError>,
    pub warnings: Vec<CheckWarning>,
}

impl Checked {
    /// Errors and warnings as diagnostics, in the order of the file.
    pub fn diagnostics(&self) -> Vec<Diagnostic> {
        let mut all: Vec<Diagnostic> = self
            .errors
            .iter()
            .map(CheckError::diagnostic)
            .chain(self.warnings.iter().map(CheckWarning::diagnostic))
            .collect();
        all.sort_by_key(|d| (d.span.start, d.level));
        all
    }
}

/// Runs every static check on a parsed file.
pub fn check(file: &RuleFile) -> Checked {
    let mut checker = Checker::new(file);
    checker.declarations();
    checker.let_kinds();
    for statement in &file.statements {
        match &statement.node {
            Statement::Let(decl) => {
                checker.expr(&decl.value, Place::Other);
            }
            Statement::Target(target) => checker.target(target),
            _ => {}
        }
    }
    checker.let_cycles();
    checker.unit_cycles();
    checker.result.errors.sort_by_key(|e| e.span().start);
    checker.result
}

/// Whether an expression gives a value (`gdp * 2`) or a condition (`gdp > 2`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Value,
    Condition,
}

/// Where an expression stands, for the checks that depend on it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Place {
    /// The argument of an aggregate (`sum`, `mean`, ...).
    AggregateArgument,
    Other,
}

struct Checker<'f> {
    file: &'f RuleFile,
    lets: HashMap<&'f str, &'f LetDecl>,
    /// Whether each let names a value or a condition, worked out once.
    let_kinds: HashMap<&'f str, Kind>,
    result: Checked,
}

impl<'f> Checker<'f> {
    fn new(file: &'f RuleFile) -> Checker<'f> {
        Checker {
            file,
            lets: HashMap::new(),
            let_kinds: HashMap::new(),
            result: Checked::default(),
        }
    }

    fn error(&mut self, error: CheckError) {
        self.result.errors.push(error);
    }

    /// Lets, units, scopes and target ids: defined once each.
    fn declarations(&mut self) {
        let mut target_ids: HashMap<&str, Span> =
            HashMap::with_capacity(self.file.statements.len());
        let mut units: HashMap<&str, Span> = HashMap::new();
        let mut scoped: HashMap<String, Span> = HashMap::new();
        for statement in &self.file.statements {
            match &statement.node {
                Statement::Let(decl) => {
                    let name = decl.name.node.text.as_str();
                    match self.lets.get(name) {
                        Some(first) => self.error(CheckError::DuplicateLet {
                            name: name.to_string(),
                            span: decl.name.span,
                            first: first.name.span,
                        }),
                        None => {
                            self.lets.insert(name, decl);
                        }
                    }
                }
                Statement::Unit(unit) => {
                    let name = unit.name.node.text.as_str();
                    if let Some(first) = units.insert(name, unit.name.span) {
                        units.insert(name, first);
                        self.error(CheckError::DuplicateUnit {
                            name: name.to_string(),
                            span: unit.name.span,
                            first,
                        });
                    }
                }
                Statement::Scope(selectors) => {
                    for selector in selectors {
                        let key = selector.dimension.node.text.to_lowercase();
                        match scoped.get(&key) {
                            Some(first) => self.error(CheckError::RepeatedScope {
                                dimension: selector.dimension.node.text.clone(),
                                span: selector.dimension.span,
                                first: *first,
                            }),
                            None => {
                                scoped.insert(key, selector.dimension.span);
                            }
                        }
                    }
                }
                Statement::Target(target) => {
                    if let Some(id) = &target.id {
                        let id_text = id.node.text.as_str();
                        match target_ids.entry(id_text) {
                            Entry::Occupied(first) => self.error(CheckError::DuplicateTargetId {
                                id: id_text.to_string(),
                                span: id.span,
                                first: *first.get(),
                            }),
                            Entry::Vacant(slot) => {
                                slot.insert(id.span);
                            }
                        }
                    }
                }
                Statement::Title(_)
                | Statement::Source(_)
                | Statement::Owner(_)
                | Statement::Section(_) => {}
            }
        }
    }

    fn target(&mut self, target: &'f Target) {
        if self.expr(&target.condition, Place::Other) == Kind::Value {
            self.error(CheckError::NotACondition {
                span: target.condition.span,
            });
        }
        if let Some(time) = &target.time
            && let TimeClause::InEachPeriod {
                from: Some(from),
                to: Some(to),
            } = &time.node
            && from.node.start() > to.node.end()
        {
            self.error(CheckError::FromAfterTo {
                from: from.node,
                to: to.node,
                span: time.span,
            });
        }
        let mut seen: HashMap<&'static str, Span> = HashMap::new();
        for attribute in &target.attributes {
            let keyword = attribute.node.keyword();
            if let Some(first) = seen.get(keyword) {
                self.error(CheckError::RepeatedAttribute {
                    keyword,
                    span: attribute.span,
                    first: *first,
                });
            } else {
                seen.insert(keyword, attribute.span);
            }
            if let Attribute::Projection {
                over_years: Some(years),
                ..
            } = &attribute.node
            {
                let n = years.node.value;
                if !(n >= 1.0 && n.fract() == 0.0) {
                    self.error(CheckError::ProjectionYears {
                        text: years.node.digits.clone(),
                        span: years.span,
                    });
                }
            }
        }
        if let Some(for_each) = &target.for_each {
            self.for_each(target, for_each);
        }
    }

    fn for_each(&mut self, target: &'f Target, for_each: &ForEach) {
        let dimension = for_each.dimension.node.text.to_lowercase();
        let mut selected = Vec::new();
        self.selected_dimensions(&target.condition.node, &dimension, &mut selected);
        for span in selected {
            self.error(CheckError::ForEachDimensionSelected {
                dimension: for_each.dimension.node.text.clone(),
                span,
                for_each: for_each.dimension.span,
            });
        }
        let mut values = HashSet::new();
        for value in for_each.values.iter().flatten() {
            if !values.insert(value.node.as_str()) {
                self.result
                    .warnings
                    .push(CheckWarning::RepeatedForEachValue {
                        value: value.node.clone(),
                        span: value.span,
                    });
            }
        }
    }

    /// The selectors on `dimension` in an expression and the lets it uses
    /// (each let once, without recursion through chains of lets).
    fn selected_dimensions(&self, expr: &'f Expr, dimension: &str, out: &mut Vec<Span>) {
        let mut visited: HashSet<&'f str> = HashSet::new();
        let mut pending: Vec<&'f Expr> = vec![expr];
        while let Some(expr) = pending.pop() {
            visit_references(expr, &mut |reference| {
                for selector in &reference.selectors {
                    if selector.dimension.node.text.to_lowercase() == dimension {
                        out.push(selector.dimension.span);
                    }
                }
                let name = reference.name.node.text.as_str();
                if let Some(decl) = self.lets.get(name)
                    && visited.insert(name)
                {
                    pending.push(&decl.value.node);
                }
            });
        }
        out.sort_by_key(|span| span.start);
    }

    /// Checks an expression and tells whether it is a value or a condition.
    fn expr(&mut self, expr: &'f Spanned<Expr>, place: Place) -> Kind {
        match &expr.node {
            Expr::Number(number) => {
                if let Some(unit) = &number.unit
                    && is_scale_abbreviation(&unit.node.text)
                    && number.scale.is_none()
                {
                    self.result.warnings.push(CheckWarning::ScaleWordAsUnit {
                        word: unit.node.text.clone(),
                        number: number.digits.clone(),
                        span: unit.span,
                    });
                }
                Kind::Value
            }
            Expr::Reference(reference) => {
                self.reference(reference, place);
                // Every let has a kind; any other name is an indicator, a value.
                self.let_kinds
                    .get(reference.name.node.text.as_str())
                    .copied()
                    .unwrap_or(Kind::Value)
            }
            Expr::Call { function, args } => {
                self.call(function, args, expr.span);
                Kind::Value
            }
            Expr::Paren(inner) => self.expr(inner, place),
            Expr::Unary {
                op: UnaryOp::Neg,
                operand,
            } => {
                self.expect(operand, Kind::Value, "-");
                Kind::Value
            }
            Expr::Unary {
                op: UnaryOp::Not,
                operand,
            } => {
                self.expect(operand, Kind::Condition, "not");
                Kind::Condition
            }
            Expr::Binary { op, lhs, rhs } => {
                let (wanted, result) = if op.is_logical() {
                    (Kind::Condition, Kind::Condition)
                } else if op.is_comparison() {
                    (Kind::Value, Kind::Condition)
                } else {
                    (Kind::Value, Kind::Value)
                };
                self.expect(lhs, wanted, op.symbol());
                self.expect(rhs, wanted, op.symbol());
                result
            }
        }
    }

    fn expect(&mut self, expr: &'f Spanned<Expr>, wanted: Kind, operator: &str) {
        let kind = self.expr(expr, Place::Other);
        match (wanted, kind) {
            (Kind::Condition, Kind::Value) => self.error(CheckError::ConditionExpected {
                operator: operator.to_string(),
                span: expr.span,
            }),
            (Kind::Value, Kind::Condition) => self.error(CheckError::ValueExpected {
                operator: operator.to_string(),
                span: expr.span,
            }),
            _ => {}
        }
    }

    /// Whether each let names a value or a condition. A let whose value is
    /// another let's name takes that let's kind: chains are followed once,
    /// without recursion, whatever their length (cycles are reported apart).
    fn let_kinds(&mut self) {
        let names: Vec<&'f str> = self.lets.keys().copied().collect();
        for start in names {
            let mut chain = Vec::new();
            let mut on_chain = HashSet::new();
            let mut name = start;
            let kind = loop {
                if let Some(kind) = self.let_kinds.get(name) {
                    break *kind;
                }
                if !on_chain.insert(name) {
                    break Kind::Value;
                }
                chain.push(name);
                let value = &self.lets[name].value.node;
                match value.unparenthesized() {
                    Expr::Reference(r) if self.lets.contains_key(r.name.node.text.as_str()) => {
                        name = r.name.node.text.as_str();
                    }
                    other => break kind_of(other),
                }
            };
            for link in chain {
                self.let_kinds.insert(link, kind);
            }
        }
    }

    fn reference(&mut self, reference: &'f Reference, place: Place) {
        let mut seen: HashMap<String, Span> = HashMap::new();
        for selector in &reference.selectors {
            let key = selector.dimension.node.text.to_lowercase();
            if let Some(first) = seen.get(&key) {
                self.error(CheckError::RepeatedSelector {
                    dimension: selector.dimension.node.text.clone(),
                    span: selector.dimension.span,
                    first: *first,
                });
            } else {
                seen.insert(key, selector.dimension.span);
            }
        }
        if let Some(anchor) = &reference.anchor
            && let Anchor::Range(first, last) = anchor.node
        {
            if place != Place::AggregateArgument {
                self.error(CheckError::RangeOutsideAggregate { span: anchor.span });
            }
            if first.frequency() != last.frequency() {
                self.error(CheckError::RangeMixesFrequencies {
                    first,
                    last,
                    span: anchor.span,
                });
            } else if first > last {
                self.error(CheckError::RangeReversed {
                    first,
                    last,
                    span: anchor.span,
                });
            }
        }
    }

    fn call(&mut self, function: &'f Spanned<Name>, args: &'f [Spanned<Expr>], span: Span) {
        let name = function.node.text.as_str();
        let Some(known) = Function::from_name(name) else {
            let suggestion = Function::ALL
                .iter()
                .map(|f| f.name())
                .filter(|candidate| strsim::osa_distance(name, candidate) <= 2)
                .min_by_key(|candidate| strsim::osa_distance(name, candidate))
                .map(String::from);
            self.error(CheckError::UnknownFunction {
                name: name.to_string(),
                suggestion,
                span: function.span,
            });
            for arg in args {
                self.expr(arg, Place::Other);
            }
            return;
        };
        if args.len() != known.arity() {
            self.error(CheckError::ArgumentCount {
                function: name.to_string(),
                expected: known.arity(),
                found: args.len(),
                span,
            });
        }
        for arg in args {
            if known.is_aggregate() {
                let anchored = matches!(&arg.node, Expr::Reference(r) if r.anchor.is_some());
                if !anchored {
                    self.error(CheckError::AggregateArgument {
                        function: name.to_string(),
                        span: arg.span,
                    });
                }
                self.expr(arg, Place::AggregateArgument);
            } else {
                self.expect(arg, Kind::Value, name);
            }
        }
    }

    /// Reports each cycle among lets once, at the first let of the cycle in the file.
    fn let_cycles(&mut self) {
        let mut graph: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for (name, decl) in &self.lets {
            let mut uses = Vec::new();
            visit_references(&decl.value.node, &mut |r| {
                if self.lets.contains_key(r.name.node.text.as_str()) {
                    uses.push(r.name.node.text.as_str());
                }
            });
            graph.insert(name, uses);
        }
        let order: Vec<&LetDecl> = self
            .file
            .statements
            .iter()
            .filter_map(|s| match &s.node {
                Statement::Let(decl) => Some(decl),
                _ => None,
            })
            .collect();
        for cycle in find_cycles(&graph, order.iter().map(|d| d.name.node.text.as_str())) {
            let name = cycle[0].to_string();
            let span = self.lets[name.as_str()].name.span;
            self.error(CheckError::LetCycle {
                name,
                cycle: cycle.iter().map(|s| s.to_string()).collect(),
                span,
            });
        }
    }

    fn unit_cycles(&mut self) {
        let units: Vec<&UnitDecl> = self
            .file
            .statements
            .iter()
            .filter_map(|s| match &s.node {
                Statement::Unit(unit) => Some(unit),
                _ => None,
            })
            .collect();
        let mut graph: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for unit in &units {
            graph
                .entry(unit.name.node.text.as_str())
                .or_default()
                .push(unit.base.node.text.as_str());
        }
        for cycle in find_cycles(&graph, units.iter().map(|u| u.name.node.text.as_str())) {
            let name = cycle[0].to_string();
            let span = units
                .iter()
                .find(|u| u.name.node.text == name)
                .map_or_else(Span::default, |u| u.name.span);
            self.error(CheckError::UnitCycle {
                name,
                cycle: cycle.iter().map(|s| s.to_string()).collect(),
                span,
            });
        }
    }
}

/// The cycles of a graph: for each group of nodes that reach each other
/// (Tarjan's strongly connected components, without recursion), one path
/// from its first node in `order` back to that node. Linear in the graph.
fn find_cycles<'a>(
    graph: &BTreeMap<&'a str, Vec<&'a str>>,
    order: impl Iterator<Item = &'a str>,
) -> Vec<Vec<&'a str>> {
    let nodes: Vec<&'a str> = graph.keys().copied().collect();
    let position: HashMap<&str, usize> = nodes.iter().enumerate().map(|(i, n)| (*n, i)).collect();
    let edges: Vec<Vec<usize>> = nodes
        .iter()
        .map(|n| {
            graph[n]
                .iter()
                .filter_map(|t| position.get(t).copied())
                .collect()
        })
        .collect();
    let component = strongly_connected(&edges);
    let mut size = vec![0usize; nodes.len()];
    for &c in &component {
        size[c] += 1;
    }
    let mut reported = HashSet::new();
    let mut cycles = Vec::new();
    for name in order {
        let Some(&start) = position.get(name) else {
            continue;
        };
        let c = component[start];
        let cyclic = size[c] > 1 || edges[start].contains(&start);
        if !cyclic || !reported.insert(c) {
            continue;
        }
        // A path back to `start` within its component, by breadth-first search.
        let mut previous: HashMap<usize, usize> = HashMap::new();
        let mut queue = std::collections::VecDeque::from([start]);
        let mut last = None;
        while let Some(node) = queue.pop_front() {
            if edges[node].contains(&start) {
                last = Some(node);
                break;
            }
            for &t in &edges[node] {
                if component[t] == c && t != start && !previous.contains_key(&t) {
                    previous.insert(t, node);
                    queue.push_back(t);
                }
            }
        }
        let mut path = vec![start];
        let mut node = last.unwrap_or(start);
        let mut back = Vec::new();
        while node != start {
            back.push(node);
            node = previous[&node];
        }
        path.extend(back.into_iter().rev());
        path.push(start);
        cycles.push(path.into_iter().map(|i| nodes[i]).collect());
    }
    cycles
}

/// Tarjan's algorithm with an explicit stack: the component of each node.
fn strongly_connected(edges: &[Vec<usize>]) -> Vec<usize> {
    const UNSEEN: usize = usize::MAX;
    let n = edges.len();
    let (mut index, mut low, mut component) = (vec![UNSEEN; n], vec![0; n], vec![UNSEEN; n]);
    let (mut on_stack, mut stack) = (vec![false; n], Vec::new());
    let (mut next_index, mut next_component) = (0, 0);
    for root in 0..n {
        if index[root] != UNSEEN {
            continue;
        }
        // (node, next edge to look at)
        let mut calls = vec![(root, 0)];
        index[root] = next_index;
        low[root] = next_index;
        next_index += 1;
        stack.push(root);
        on_stack[root] = true;
        while let Some(&mut (node, ref mut edge)) = calls.last_mut() {
            if let Some(&target) = edges[node].get(*edge) {
                *edge += 1;
                if index[target] == UNSEEN {
                    index[target] = next_index;
                    low[target] = next_index;
                    next_index += 1;
                    stack.push(target);
                    on_stack[target] = true;
                    calls.push((target, 0));
                } else if on_stack[target] {
                    low[node] = low[node].min(index[target]);
                }
                continue;
            }
            calls.pop();
            if let Some(&(parent, _)) = calls.last() {
                low[parent] = low[parent].min(low[node]);
            }
            if low[node] == index[node] {
                while let Some(member) = stack.pop() {
                    on_stack[member] = false;
                    component[member] = next_component;
                    if member == node {
                        break;
                    }
                }
                next_component += 1;
            }
        }
    }
    component
}

/// Calls `f` on every reference in an expression.
pub(crate) fn visit_references<'e>(expr: &'e Expr, f: &mut dyn FnMut(&'e Reference)) {
    match expr {
        Expr::Number(_) => {}
        Expr::Reference(reference) => f(reference),
        Expr::Call { args, .. } => args.iter().for_each(|a| visit_references(&a.node, f)),
        Expr::Paren(inner) => visit_references(&inner.node, f),
        Expr::Unary { operand, .. } => visit_references(&operand.node, f),
        Expr::Binary { lhs, rhs, .. } => {
            visit_references(&lhs.node, f);
            visit_references(&rhs.node, f);
        }
    }
}

/// The kind of an expression by its outermost operator (parentheses
/// aside). A reference is a value here: references to lets are followed by
/// [`Checker::let_kinds`].
fn kind_of(expr: &Expr) -> Kind {
    match expr.unparenthesized() {
        Expr::Unary {
            op: UnaryOp::Not, ..
        } => Kind::Condition,
        Expr::Binary { op, .. } if op.is_logical() || op.is_comparison() => Kind::Condition,
        _ => Kind::Value,
    }
}

/// Scale words of data units (SPEC section 1) that rules write differently.
fn is_scale_abbreviation(word: &str) -> bool {
    matches!(
        word.to_ascii_lowercase().trim_end_matches('.'),
        "k" | "mn" | "mln" | "bn" | "bln" | "tn" | "trln"
    )
}
