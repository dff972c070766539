//! The `infra` binary: parse the command line, run, map the outcome to an exit code.

use clap::Parser;
use infra::cli::Cli;
use infra::exit::Exit;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            // clap prints help/version to stdout and usage errors to stderr.
            let _ = err.print();
            return if err.use_stderr() {
                Exit::Usage
            } else {
                Exit::Ok
            }
            .into();
        }
    };
    infra::commands::run(cli).into()
}
