//! `infra completions` and `infra man`: generated from the clap definitions.

use crate::cli::Cli;
use crate::exit::Exit;
use anyhow::Context as _;
use clap::CommandFactory;

pub fn completions(shell: clap_complete::Shell) -> anyhow::Result<Exit> {
    let mut cmd = Cli::command();
    let mut buf = Vec::new();
    clap_complete::generate(shell, &mut cmd, "infra", &mut buf);
    crate::output::print_bytes(&buf).context("writing the completions")?;
    Ok(Exit::Ok)
}

pub fn man() -> anyhow::Result<Exit> {
    let mut buf = Vec::new();
    clap_mangen::Man::new(Cli::command())
        .render(&mut buf)
        .context("rendering the man page")?;
    crate::output::print_bytes(&buf).context("writing the man page")?;
    Ok(Exit::Ok)
}
