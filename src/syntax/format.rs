//! The canonical layout of a rule file (`ontrack fmt`).
//!
//! - One statement per line, at column 0; `title`, `source`, `scope`, ...
//!   with single spaces (`scope country = "KZ"`).
//! - A target with attributes, or one that does not fit in [`LINE_WIDTH`]
//!   columns, is written on several lines: the header (`target ID
//!   "description" for each DIM:`), then the condition and time clause, then
//!   one attribute per line, each indented by four spaces. Other targets take
//!   one line.
//! - Operators are surrounded by single spaces; `,` is followed by one;
//!   references, selectors and anchors are written without spaces
//!   (`cars{country="KZ"}@2023`). Parentheses are kept as written.
//! - Scale words are written in lower case and singular (`160 thousand`);
//!   numbers keep their digits as written (`160_000`, `1.5e-3`).
//! - Blank lines: one at most; always one around a `section` line and
//!   around a multi-line target; none inside a statement.
//! - Comments stay with the line they were on: a comment at the end of a
//!   line stays at the end of that line (two spaces before `#`); a comment on
//!   its own line stays before the line that followed it, indented like it.
//! - Lines end in `\n`, and the file ends with one.
//!
//! Formatting never changes meaning: parsing the output gives the same tree.

use std::fmt::Write;

use super::ast::*;

/// Targets longer than this are written on several lines.
pub const LINE_WIDTH: usize = 100;

const INDENT: &str = "    ";

/// Formats a parsed rule file. `source` is the text it was parsed from, used
/// only to keep blank lines where the author put them (pass `""` for a
/// tree built by hand).
pub fn format(file: &RuleFile, source: &str) -> String {
    let mut lines = Vec::new();
    for (index, statement) in file.statements.iter().enumerate() {
        let previous_end = index.checked_sub(1).map(|i| file.statements[i].span.end);
        let multi_line_before = index
            .checked_sub(1)
            .is_some_and(|i| is_multi_line(&file.statements[i].node));
        let mut items = statement_lines(statement);
        let multi_line = items.len() > 1;
        items[0].blank_before = match previous_end {
            None => false,
            Some(end) => {
                multi_line_before
                    || is_section(&file.statements[index - 1].node)
                    || is_section(&statement.node)
                    || multi_line
                    || has_blank_line(source, end, statement.span.start)
            }
        };
        lines.extend(items);
    }
    let placed = place_comments(&lines, &file.comments);
    let mut out = String::new();
    for (index, line) in lines.iter().enumerate() {
        let leading = &placed.leading[index];
        if line.blank_before && !out.is_empty() {
            out.push('\n');
        }
        let indent = if line.indented { INDENT } else { "" };
        for (i, comment) in leading.iter().enumerate() {
            let _ = writeln!(out, "{indent}{}", comment.text);
            let next_start = leading.get(i + 1).map_or(line.start, |c| c.span.start);
            if !line.indented && has_blank_line(source, comment.span.end, next_start) {
                out.push('\n');
            }
        }
        out.push_str(indent);
        out.push_str(&line.text);
        if let Some(comment) = placed.trailing[index] {
            let _ = write!(out, "  {}", comment.text);
        }
        out.push('\n');
    }
    for (i, comment) in placed.after_last.iter().enumerate() {
        let previous_end = match i {
            0 => lines.last().map_or(0, |l| l.end),
            _ => placed.after_last[i - 1].span.end,
        };
        if !out.is_empty() && has_blank_line(source, previous_end, comment.span.start) {
            out.push('\n');
        }
        let _ = writeln!(out, "{}", comment.text);
    }
    out
}

/// The comments of a file, by the output line they go with.
struct PlacedComments<'c> {
    /// Own-line comments printed before each line.
    leading: Vec<Vec<&'c Comment>>,
    /// The comment printed at the end of each line.
    trailing: Vec<Option<&'c Comment>>,
    /// Own-line comments after the last line.
    after_last: Vec<&'c Comment>,
}

/// Puts each comment with the line it stood on or before. A comment at the
/// end of a source line stays at the end of the output line that prints it;
/// a comment on a line of its own goes before the next line. When a statement
/// spread over several source lines is joined into one, its first comment
/// goes at the end of the joined line and the others before the next line.
fn place_comments<'c>(lines: &[Line], comments: &'c [Comment]) -> PlacedComments<'c> {
    let mut placed = PlacedComments {
        leading: lines.iter().map(|_| Vec::new()).collect(),
        trailing: lines.iter().map(|_| None).collect(),
        after_last: Vec::new(),
    };
    for comment in comments {
        let start = comment.span.start;
        // The last line starting before the comment.
        let containing = lines.partition_point(|l| l.start <= start).checked_sub(1);
        if let Some(i) = containing
            && !comment.own_line
            && placed.trailing[i].is_none()
        {
            placed.trailing[i] = Some(comment);
            continue;
        }
        let next = match containing {
            Some(i) if start < lines[i].end || !comment.own_line => Some(i + 1),
            _ => lines.iter().position(|l| l.start > start),
        };
        match next.filter(|&n| n < lines.len()) {
            Some(next) => placed.leading[next].push(comment),
            None => placed.after_last.push(comment),
        }
    }
    placed
}

/// One line of output, with the source range it comes from (to place comments).
struct Line {
    text: String,
    start: usize,
    end: usize,
    indented: bool,
    blank_before: bool,
}

fn line(text: String, start: usize, end: usize, indented: bool) -> Line {
    Line {
        text,
        start,
        end,
        indented,
        blank_before: false,
    }
}

fn is_section(statement: &Statement) -> bool {
    matches!(statement, Statement::Section(_))
}

fn is_multi_line(statement: &Statement) -> bool {
    match statement {
        Statement::Target(target) => {
            !target.attributes.is_empty() || one_line(target).len() > LINE_WIDTH
        }
        _ => false,
    }
}

/// Whether `source[from..to]` holds an empty line.
fn has_blank_line(source: &str, from: usize, to: usize) -> bool {
    let Some(text) = source.get(from.min(to)..to) else {
        return false;
    };
    let mut segments = text.split('\n');
    segments.next(); // the rest of the line where `from` stands
    let mut segments: Vec<&str> = segments.collect();
    segments.pop(); // the start of the line where `to` stands
    segments.iter().any(|s| s.trim().is_empty())
}

fn statement_lines(statement: &Spanned<Statement>) -> Vec<Line> {
    let span = statement.span;
    let simple = |text: String| vec![line(text, span.start, span.end, false)];
    match &statement.node {
        Statement::Title(text) => simple(format!("title {}", string(text))),
        Statement::Source(text) => simple(format!("source {}", string(text))),
        Statement::Owner(text) => simple(format!("owner {}", string(text))),
        Statement::Section(text) => simple(format!("section {}", string(text))),
        Statement::Scope(selectors) => {
            let items: Vec<String> = selectors
                .iter()
                .map(|s| format!("{} = {}", name(&s.dimension), string(&s.value)))
                .collect();
            simple(format!("scope {}", items.join(", ")))
        }
        Statement::Unit(unit) => {
            let mut text = format!("unit {} = ", name(&unit.name));
            if let Some(factor) = &unit.factor {
                text.push_str(&number(factor));
                text.push(' ');
            }
            text.push_str(&name(&unit.base));
            simple(text)
        }
        Statement::Let(decl) => simple(format!("let {} = {}", name(&decl.name), expr(&decl.value))),
        Statement::Target(target) => target_lines(target, span),
    }
}

fn target_lines(target: &Target, span: Span) -> Vec<Line> {
    let one = one_line(target);
    if target.attributes.is_empty() && one.len() <= LINE_WIDTH {
        return vec![line(one, span.start, span.end, false)];
    }
    let mut lines = Vec::new();
    let condition_start = target.condition.span.start;
    let condition_end = target
        .time
        .as_ref()
        .map_or(target.condition.span.end, |t| t.span.end);
    let body = condition_with_time(target);
    if target.keyword {
        lines.push(line(
            header(target),
            span.start,
            header_end(target, span),
            false,
        ));
        lines.push(line(body, condition_start, condition_end, true));
    } else {
        lines.push(line(body, span.start, condition_end, false));
    }
    for attribute in &target.attributes {
        lines.push(line(
            attribute_text(&attribute.node),
            attribute.span.start,
            attribute.span.end,
            true,
        ));
    }
    lines
}

/// Where a target's header ends in the source: at its last part (the `:`
/// follows, then perhaps a comment).
fn header_end(target: &Target, span: Span) -> usize {
    let keyword_end = span.start + "target".len();
    let parts = [
        target.id.as_ref().map(|id| id.span.end),
        target.description.as_ref().map(|d| d.span.end),
        target.for_each.as_ref().map(|f| {
            let last_value = f.values.iter().flatten().map(|v| v.span.end + 1).max();
            last_value.unwrap_or(f.dimension.span.end)
        }),
    ];
    parts.into_iter().flatten().fold(keyword_end, usize::max) + 1
}

fn one_line(target: &Target) -> String {
    let body = condition_with_time(target);
    if target.keyword {
        format!("{} {body}", header(target))
    } else {
        body
    }
}

fn header(target: &Target) -> String {
    let mut text = String::from("target");
    if let Some(id) = &target.id {
        let _ = write!(text, " {}", name(id));
    }
    if let Some(description) = &target.description {
        let _ = write!(text, " {}", string(description));
    }
    if let Some(for_each) = &target.for_each {
        let _ = write!(text, " for each {}", name(&for_each.dimension));
        if let Some(values) = &for_each.values {
            let values: Vec<String> = values.iter().map(|v| string(v)).collect();
            let _ = write!(text, " in ({})", values.join(", "));
        }
    }
    text.push(':');
    text
}

fn condition_with_time(target: &Target) -> String {
    let mut text = expr(&target.condition);
    match target.time.as_ref().map(|t| &t.node) {
        None => {}
        Some(TimeClause::By(period)) => {
            let _ = write!(text, " by {}", period.node);
        }
        Some(TimeClause::In(period)) => {
            let _ = write!(text, " in {}", period.node);
        }
        Some(TimeClause::InEachPeriod { from, to }) => {
            text.push_str(" in each period");
            if let Some(from) = from {
                let _ = write!(text, " from {}", from.node);
            }
            if let Some(to) = to {
                let _ = write!(text, " to {}", to.node);
            }
        }
    }
    text
}

fn attribute_text(attribute: &Attribute) -> String {
    let keyword = attribute.keyword();
    match attribute {
        Attribute::Owner(text)
        | Attribute::Source(text)
        | Attribute::Quote(text)
        | Attribute::Note(text) => {
            format!("{keyword} {}", string(text))
        }
        Attribute::Tags(tags) => {
            let tags: Vec<String> = tags.iter().map(|t| name(t)).collect();
            format!("tags {}", tags.join(", "))
        }
        Attribute::Severity(severity) => format!("severity {}", severity.as_str()),
        Attribute::Projection { method, over_years } => {
            let mut text = format!("projection {}", method.as_str());
            if let Some(years) = over_years {
                let unit = if years.value == 1.0 { "year" } else { "years" };
                let _ = write!(text, " over {} {unit}", years.digits);
            }
            text
        }
    }
}

/// Writes a string literal, escaping what must be escaped.
pub fn string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            // A lone carriage return would end the line: keep it out of the literal.
            '\r' => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Writes a name, in backticks where it is not a plain identifier.
pub fn name(name: &Name) -> String {
    if is_plain_name(&name.text) {
        name.text.clone()
    } else {
        format!("`{}`", name.text)
    }
}

/// `[A-Za-z_][A-Za-z0-9_]*` with optional `.`-joined parts, and not a keyword.
fn is_plain_name(text: &str) -> bool {
    let mut parts = text.split('.');
    let first_ok = parts.next().is_some_and(|first| {
        first.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
            && first.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    });
    first_ok
        && parts.all(|part| {
            !part.is_empty() && part.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        })
        && !KEYWORDS.contains(&text.split('.').next().unwrap_or(""))
}

fn number(number: &Number) -> String {
    let mut text = number.digits.clone();
    match number.scale {
        Some((scale, ScaleStyle::Word)) => {
            let _ = write!(text, " {}", scale.word());
        }
        Some((scale, ScaleStyle::Suffix)) => text.push_str(scale.suffix()),
        None => {}
    }
    if number.percent {
        text.push('%');
    }
    if let Some(unit) = &number.unit {
        if number.scale.is_none() && is_scale_word(&unit.node.text) {
            // `5 thousands` would read as 5,000: the unit keeps its quotes.
            let _ = write!(text, " `{}`", unit.node.text);
        } else {
            let _ = write!(text, " {}", name(unit));
        }
    }
    text
}

/// Whether `text` reads as a scale word after a number (`thousand`,
/// `Millions`; grammar rule `scale_word`).
fn is_scale_word(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    let word = lower.strip_suffix('s').unwrap_or(&lower);
    ["thousand", "million", "billion", "trillion"].contains(&word)
}

/// Writes an expression.
pub fn expr(expr: &Spanned<Expr>) -> String {
    let mut out = String::new();
    write_expr(&mut out, &expr.node, 0);
    out
}

/// Writes `expr`, which is followed in the output by an operator binding
/// with strength `right` (0 if none). Parentheses are added where the tree
/// could not be read back otherwise; a parsed tree never needs any, since its
/// own parentheses are `Expr::Paren` nodes.
fn write_expr(out: &mut String, expr: &Expr, right: u8) {
    match expr {
        Expr::Number(n) => out.push_str(&number(n)),
        Expr::Reference(reference) => {
            out.push_str(&name(&reference.name));
            if !reference.selectors.is_empty() {
                let items: Vec<String> = reference
                    .selectors
                    .iter()
                    .map(|s| format!("{}={}", name(&s.dimension), string(&s.value)))
                    .collect();
                let _ = write!(out, "{{{}}}", items.join(", "));
            }
            match reference.anchor.as_ref().map(|a| a.node) {
                None => {}
                Some(Anchor::Period(period)) => {
                    let _ = write!(out, "@{}", period);
                }
                Some(Anchor::Range(first, last)) => {
                    let _ = write!(out, "@{}..{}", first, last);
                }
            }
        }
        Expr::Call { function, args } => {
            let _ = write!(out, "{}(", function.node.text);
            for (i, arg) in args.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_expr(out, &arg.node, 0);
            }
            out.push(')');
        }
        Expr::Paren(inner) => {
            out.push('(');
            write_expr(out, &inner.node, 0);
            out.push(')');
        }
        Expr::Unary { op, operand } => {
            let wrap = op.precedence() < right;
            if wrap {
                out.push('(');
            }
            out.push_str(match op {
                UnaryOp::Neg => "-",
                UnaryOp::Not => "not ",
            });
            let inner_right = if wrap { 0 } else { right };
            write_operand(out, &operand.node, op.precedence(), true, inner_right);
            if wrap {
                out.push(')');
            }
        }
        Expr::Binary { op, lhs, rhs } => {
            let precedence = op.precedence();
            write_operand(
                out,
                &lhs.node,
                precedence,
                *op == BinaryOp::Pow || op.is_comparison(),
                precedence,
            );
            let _ = write!(out, " {} ", op.symbol());
            write_operand(out, &rhs.node, precedence, *op != BinaryOp::Pow, right);
        }
    }
}

/// Writes an operand of an operator of strength `precedence`, in parentheses
/// if it binds more loosely (or as loosely, when `strict`).
fn write_operand(out: &mut String, operand: &Expr, precedence: u8, strict: bool, right: u8) {
    let operand_precedence = match operand {
        Expr::Binary { op, .. } => Some(op.precedence()),
        _ => None,
    };
    let wrap = operand_precedence.is_some_and(|p| p < precedence || (strict && p == precedence));
    if wrap {
        out.push('(');
        write_expr(out, operand, 0);
        out.push(')');
    } else {
        write_expr(out, operand, right);
    }
}
