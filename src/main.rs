use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = ontrack::cli::Cli::parse();
    ExitCode::from(ontrack::cli::run(cli).exit_code())
}
