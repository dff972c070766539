//! `infra init`: discover, resolve answers (prompting only on a terminal),
//! write infra.toml, then render. The pipeline is linear: context → answers →
//! plan → write, and nothing touches the disk before every answer is known.

use super::UserError;
use crate::answers::{self, prompt::TerminalPrompter, write::render_infra_toml, AnswersError};
use crate::cli::{GlobalArgs, InitArgs};
use crate::context::{self, walk::WalkOptions};
use crate::exit::Exit;
use anyhow::Context as _;
use std::io::Write as _;
use std::path::Path;

pub fn run(args: &InitArgs, global: &GlobalArgs) -> anyhow::Result<Exit> {
    let root = super::repo_root(&args.path)?;
    let ctx = context::discover(&root, &WalkOptions::default())
        .with_context(|| format!("discovering {}", root.display()))?;
    let req = answers::Request {
        root: &root,
        ctx: &ctx,
        set: &args.answers.set,
        answers_file: args.answers.answers.as_deref(),
        env: std::env::vars().collect(),
    };
    let resolution = if global.interactive() {
        restore_terminal_on_ctrl_c();
        let mut prompter = TerminalPrompter::new();
        answers::resolve(&req, Some(&mut prompter))?
    } else {
        answers::resolve(&req, None)?
    };
    let text = render_infra_toml(resolution.existing_text.as_deref(), &resolution.toml)
        .map_err(|m| anyhow::anyhow!(m))?;
    let changed = resolution.existing_text.as_deref() != Some(text.as_str());
    if changed {
        write_atomic(&root, answers::load::INFRA_TOML, &text)?;
    }
    let a = &resolution.answers;
    let mut out = std::io::stdout().lock();
    if !global.quiet {
        writeln!(
            out,
            "{} infra.toml: {} on {}{}, environments {}",
            if changed { "wrote" } else { "unchanged" },
            a.project_name,
            a.platform.display_name(),
            a.region
                .as_deref()
                .map(|r| format!(" ({r})"))
                .unwrap_or_default(),
            a.environments
                .iter()
                .map(|e| e.name.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        )?;
        writeln!(
            out,
            "Rendering .env.example, docs/infra/ and the workflows is not in this build yet (issue 3); only infra.toml was written."
        )?;
    }
    Ok(Exit::Ok)
}

/// Ctrl-C at a raw-mode prompt raises SIGINT; restore the cursor dialoguer hid
/// and exit 130. Nothing has been written while prompts are open.
fn restore_terminal_on_ctrl_c() {
    let _ = ctrlc::set_handler(|| {
        let term = console::Term::stderr();
        let _ = term.show_cursor();
        let _ = term.write_line("\ninterrupted: nothing was written");
        std::process::exit(i32::from(Exit::Interrupted.code()));
    });
}

/// Write `rel` under `root` through a temporary file and a rename, so a crash
/// never leaves half a file.
fn write_atomic(root: &Path, rel: &str, text: &str) -> anyhow::Result<()> {
    let target = root.join(rel);
    if target.is_symlink() {
        anyhow::bail!(UserError::Usage(format!(
            "{rel} is a symbolic link; infra does not write through links"
        )));
    }
    let mut tmp = tempfile::NamedTempFile::new_in(root)
        .with_context(|| format!("creating a temporary file in {}", root.display()))?;
    tmp.write_all(text.as_bytes())
        .with_context(|| format!("writing {rel}"))?;
    tmp.persist(&target)
        .with_context(|| format!("replacing {}", target.display()))?;
    Ok(())
}

impl From<&AnswersError> for Exit {
    fn from(e: &AnswersError) -> Exit {
        match e {
            AnswersError::Interrupted => Exit::Interrupted,
            AnswersError::Io { .. } | AnswersError::Prompt(_) => Exit::Internal,
            AnswersError::Syntax { .. } | AnswersError::Invalid(_) | AnswersError::Missing(_) => {
                Exit::Usage
            }
        }
    }
}
