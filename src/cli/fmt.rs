//! `ontrack fmt [--check] [FILES…]`: rewrite rule files in the canonical layout.

use std::path::PathBuf;

use clap::Args;

use super::{Outcome, output, paths_or_here, stderr_color};
use crate::source;
use crate::syntax;

#[derive(Debug, Args)]
pub struct FmtArgs {
    /// Change nothing: list the files that would change, and exit with 1 if any would.
    #[arg(long)]
    check: bool,
    /// Rule files, or folders to search for `*.targets` (default: the current folder).
    files: Vec<PathBuf>,
}

pub fn run(args: &FmtArgs) -> Outcome {
    let files = match source::find(&paths_or_here(&args.files)) {
        Ok(files) => files,
        Err(error) => {
            eprintln!("error: {error}");
            return Outcome::Failure;
        }
    };
    let color = stderr_color();
    let mut failed = false;
    let mut would_change = Vec::new();
    for path in &files {
        let file = match source::read(path) {
            Ok(file) => file,
            Err(error) => {
                eprintln!("error: {error}");
                failed = true;
                continue;
            }
        };
        // A file that does not parse is left as it is.
        let tree = match syntax::parse(&file.text) {
            Ok(tree) => tree,
            Err(errors) => {
                let diagnostics: Vec<_> = errors.iter().map(|e| e.diagnostic()).collect();
                eprintln!("{}", file.render(&diagnostics, color));
                failed = true;
                continue;
            }
        };
        let formatted = syntax::format(&tree, &file.text);
        if formatted == file.text {
            continue;
        }
        if args.check {
            println!("{}", file.name());
            would_change.push(path);
        } else if let Err(error) =
            output::write_file(path, |out| out.write_all(formatted.as_bytes()))
        {
            eprintln!("error: {}: cannot write: {error}", file.name());
            failed = true;
        }
    }
    if failed {
        Outcome::Failure
    } else if !would_change.is_empty() {
        eprintln!(
            "{} file{} would be reformatted",
            would_change.len(),
            if would_change.len() == 1 { "" } else { "s" }
        );
        Outcome::Findings
    } else {
        Outcome::Success
    }
}
