//! Checks a rule file against data files with the library API: parse and
//! check the rules, load the data, evaluate as of a date, print each result.
//!
//! ```sh
//! cargo run --example check_targets -- rules/kz/manufacturing-2025.targets 2025-06-30 examples/kz/data.yaml
//! ```

use std::path::PathBuf;
use std::process::ExitCode;

use ontrack::data::period::Date;
use ontrack::data::{self, DataSource, LoadOptions};
use ontrack::eval::{self, EvalOptions, RuleSet};
use ontrack::source;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [rules_path, as_of, data_paths @ ..] = args.as_slice() else {
        eprintln!("usage: check_targets RULES.targets YYYY-MM-DD DATA…");
        return ExitCode::from(2);
    };

    // 1. Parse and statically check the rule file.
    let file = match source::read(&PathBuf::from(rules_path)) {
        Ok(file) => file,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::from(2);
        }
    };
    let linted = source::lint(&file);
    let Some(tree) = linted.file.clone().filter(|_| !linted.has_errors()) else {
        eprintln!("{}", file.render(&linted.diagnostics, false));
        return ExitCode::from(2);
    };

    // 2. Load the data: every row is loaded, counted as missing, or reported.
    let sources: Vec<DataSource> = data_paths.iter().map(DataSource::new).collect();
    let loaded = data::load(&sources, &LoadOptions::default());
    for error in &loaded.errors {
        eprintln!("error: {error}");
    }
    if loaded.is_fatal() {
        return ExitCode::from(2);
    }

    // 3. Evaluate every target as of a date.
    let Ok(as_of) = Date::parse(as_of) else {
        eprintln!("error: `{as_of}` is not a date (YYYY-MM-DD)");
        return ExitCode::from(2);
    };
    let rules = [RuleSet {
        path: file.path.clone(),
        file: tree,
    }];
    let evaluation = eval::evaluate(
        &rules,
        &loaded.dataset,
        &EvalOptions {
            as_of,
            trace: false,
            history: false,
        },
    );

    // 4. Print one line per result, then the counts.
    for result in &evaluation.results {
        println!(
            "{:<10} {:<32} {}",
            result.status, result.name, result.message
        );
    }
    for (status, count) in evaluation.summary() {
        if count > 0 {
            println!("{count} {status}");
        }
    }
    ExitCode::SUCCESS
}
