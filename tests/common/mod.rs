//! Helpers shared by the integration tests.

#![allow(dead_code)]

pub mod results;

use std::fmt::Write;
use std::path::{Path, PathBuf};

use ontrack::syntax::ast::*;

/// Every `*.targets` file under `folder` (relative to the crate root), sorted.
pub fn targets_files(folder: &str) -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join(folder);
    let mut files = Vec::new();
    collect(&root, &mut files);
    files.sort();
    files
}

fn collect(folder: &Path, files: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(folder).expect("fixture folder exists") {
        let path = entry.expect("readable folder").path();
        if path.is_dir() {
            collect(&path, files);
        } else if path.extension().is_some_and(|e| e == "targets") {
            files.push(path);
        }
    }
}

/// A readable dump of a parsed file: one block per statement, expressions
/// fully parenthesized in prefix form with numbers shown as interpreted
/// (`160000{160 thousand units}`), so a snapshot shows precedence and values.
pub fn outline(file: &RuleFile) -> String {
    let mut out = String::new();
    for statement in &file.statements {
        let line = statement.span.line;
        match &statement.node {
            Statement::Title(t) => writeln!(out, "{line}: title {:?}", t.node),
            Statement::Source(t) => writeln!(out, "{line}: source {:?}", t.node),
            Statement::Owner(t) => writeln!(out, "{line}: owner {:?}", t.node),
            Statement::Section(t) => writeln!(out, "{line}: section {:?}", t.node),
            Statement::Scope(selectors) => {
                writeln!(out, "{line}: scope {}", selectors_text(selectors))
            }
            Statement::Unit(unit) => writeln!(
                out,
                "{line}: unit {} = {} × {}",
                unit.name.node.text,
                unit.factor_value(),
                unit.base.node.text
            ),
            Statement::Let(decl) => writeln!(
                out,
                "{line}: let {} = {}",
                decl.name.node.text,
                expr(&decl.value.node)
            ),
            Statement::Target(target) => {
                let _ = write!(out, "{line}: target");
                if let Some(id) = &target.id {
                    let _ = write!(out, " id={}", id.node.text);
                }
                if let Some(d) = &target.description {
                    let _ = write!(out, " description={:?}", d.node);
                }
                if let Some(f) = &target.for_each {
                    let _ = write!(out, " for_each={}", f.dimension.node.text);
                    if let Some(values) = &f.values {
                        let values: Vec<&str> = values.iter().map(|v| v.node.as_str()).collect();
                        let _ = write!(out, " in {values:?}");
                    }
                }
                let _ = writeln!(out);
                let _ = writeln!(out, "    condition: {}", expr(&target.condition.node));
                if let Some(time) = &target.time {
                    let _ = writeln!(out, "    time: {}", time_text(&time.node));
                }
                for attribute in &target.attributes {
                    let _ = writeln!(out, "    {}", attribute_text(&attribute.node));
                }
                Ok(())
            }
        }
        .expect("writing to a String");
    }
    if !file.comments.is_empty() {
        writeln!(out, "comments:").expect("writing to a String");
        for c in &file.comments {
            let place = if c.own_line {
                "own line"
            } else {
                "end of line"
            };
            writeln!(
                out,
                "    {}:{} ({place}) {}",
                c.span.line, c.span.column, c.text
            )
            .expect("writing");
        }
    }
    out
}

fn selectors_text(selectors: &[Selector]) -> String {
    let items: Vec<String> = selectors
        .iter()
        .map(|s| format!("{}={:?}", s.dimension.node.text, s.value.node))
        .collect();
    items.join(", ")
}

fn time_text(time: &TimeClause) -> String {
    match time {
        TimeClause::By(p) => format!("by {}", p.node),
        TimeClause::In(p) => format!("in {}", p.node),
        TimeClause::InEachPeriod { from, to } => {
            let mut text = String::from("in each period");
            if let Some(from) = from {
                text += &format!(" from {}", from.node);
            }
            if let Some(to) = to {
                text += &format!(" to {}", to.node);
            }
            text
        }
    }
}

fn attribute_text(attribute: &Attribute) -> String {
    match attribute {
        Attribute::Owner(s) => format!("owner: {:?}", s.node),
        Attribute::Source(s) => format!("source: {:?}", s.node),
        Attribute::Quote(s) => format!("quote: {:?}", s.node),
        Attribute::Note(s) => format!("note: {:?}", s.node),
        Attribute::Tags(tags) => {
            let tags: Vec<&str> = tags.iter().map(|t| t.node.text.as_str()).collect();
            format!("tags: {tags:?}")
        }
        Attribute::Severity(s) => format!("severity: {}", s.as_str()),
        Attribute::Projection { method, over_years } => match over_years {
            Some(n) => format!(
                "projection: {} over {} years",
                method.as_str(),
                n.node.value
            ),
            None => format!("projection: {}", method.as_str()),
        },
    }
}

/// An expression in prefix form: `(>= cars 160000{160 thousand units})`.
pub fn expr(expr: &Expr) -> String {
    match expr {
        Expr::Number(n) => {
            let mut written = n.digits.clone();
            if let Some((scale, style)) = n.scale {
                match style {
                    ScaleStyle::Word => written += &format!(" {}", scale.word()),
                    ScaleStyle::Suffix => written += scale.suffix(),
                }
            }
            if n.percent {
                written.push('%');
            }
            if let Some(unit) = &n.unit {
                written += &format!(" {}", unit.node.text);
            }
            format!("{:?}{{{written}}}", n.value)
        }
        Expr::Reference(r) => {
            let mut text = r.name.node.text.clone();
            if !r.selectors.is_empty() {
                text += &format!("{{{}}}", selectors_text(&r.selectors));
            }
            match r.anchor.as_ref().map(|a| a.node) {
                Some(Anchor::Period(p)) => text += &format!("@{p}"),
                Some(Anchor::Range(a, b)) => text += &format!("@{a}..{b}"),
                None => {}
            }
            text
        }
        Expr::Call { function, args } => {
            let args: Vec<String> = args.iter().map(|a| self::expr(&a.node)).collect();
            format!("({} {})", function.node.text, args.join(" "))
        }
        Expr::Paren(inner) => format!("(paren {})", self::expr(&inner.node)),
        Expr::Unary { op, operand } => {
            let op = match op {
                UnaryOp::Neg => "neg",
                UnaryOp::Not => "not",
            };
            format!("({op} {})", self::expr(&operand.node))
        }
        Expr::Binary { op, lhs, rhs } => {
            format!(
                "({} {} {})",
                op.symbol(),
                self::expr(&lhs.node),
                self::expr(&rhs.node)
            )
        }
    }
}

/// Parses a file, panicking with the rendered errors if it does not parse.
pub fn parse_ok(path: &Path, text: &str) -> RuleFile {
    ontrack::syntax::parse(text).unwrap_or_else(|errors| {
        let rendered: Vec<String> = errors
            .iter()
            .map(|e| {
                e.diagnostic()
                    .render(&path.display().to_string(), text, false)
            })
            .collect();
        panic!(
            "{} does not parse:\n{}",
            path.display(),
            rendered.join("\n")
        )
    })
}

/// The path relative to the crate root, with `/` separators, for stable snapshots.
pub fn relative(path: &Path) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    path.strip_prefix(root)
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}
