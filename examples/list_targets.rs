//! Reads a rule file with the library API, checks it, and lists its targets.
//!
//! ```sh
//! cargo run --example list_targets -- rules/kz/manufacturing-2025.targets
//! ```

use std::path::PathBuf;
use std::process::ExitCode;

use ontrack::source;
use ontrack::syntax::ast::{Statement, TimeClause};

fn main() -> ExitCode {
    let Some(path) = std::env::args_os().nth(1).map(PathBuf::from) else {
        eprintln!("usage: list_targets RULES.targets");
        return ExitCode::from(2);
    };
    let file = match source::read(&path) {
        Ok(file) => file,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::from(2);
        }
    };
    // Parse and run the static checks; print what they found, like `ontrack lint`.
    let linted = source::lint(&file);
    if !linted.diagnostics.is_empty() {
        eprintln!("{}", file.render(&linted.diagnostics, false));
    }
    let has_errors = linted.has_errors();
    let Some(rules) = linted.file.filter(|_| !has_errors) else {
        return ExitCode::from(2);
    };
    let mut section = String::new();
    for statement in &rules.statements {
        match &statement.node {
            Statement::Section(name) => section = name.node.clone(),
            Statement::Target(target) => {
                let id = target
                    .id
                    .as_ref()
                    .map_or("(no id)", |id| id.node.text.as_str());
                let when = match target.time.as_ref().map(|t| &t.node) {
                    Some(TimeClause::By(p)) => format!("by {}", p.node),
                    Some(TimeClause::In(p)) => format!("in {}", p.node),
                    Some(TimeClause::InEachPeriod { .. }) => "every period".to_string(),
                    None => "latest data".to_string(),
                };
                println!(
                    "line {:>4}  {section:<20} {id:<32} {when}",
                    statement.span.line
                );
            }
            _ => {}
        }
    }
    ExitCode::SUCCESS
}
