//! `infra init`: discover, resolve answers (prompting only on a terminal),
//! write infra.toml, then render. The pipeline is linear: context → answers →
//! plan → write, and nothing touches the disk before every answer is known.

use crate::answers::{self, prompt::TerminalPrompter, write::render_infra_toml, AnswersError};
use crate::cli::{GlobalArgs, InitArgs};
use crate::context::{self};
use crate::exit::Exit;
use crate::source::walk::WalkOptions;
use anyhow::Context as _;

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
    super::check_audit_settings(&resolution)?;
    let text = render_infra_toml(resolution.existing_text.as_deref(), &resolution.toml)?;
    // infra.toml goes through the same validated, atomic plan as every
    // rendered file, so a failure leaves the repo as it was.
    let extra_files = if resolution.existing_text.as_deref() == Some(text.as_str()) {
        Vec::new()
    } else {
        vec![(answers::load::INFRA_TOML.to_string(), text)]
    };
    super::render::run_init(
        &root,
        &ctx,
        &resolution.answers,
        args.force,
        extra_files,
        global,
    )
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
