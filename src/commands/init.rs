//! `infra init`: discover, resolve answers (prompting only on a terminal),
//! write infra.toml, then render. The pipeline is linear: context → answers →
//! plan → write, and nothing touches the disk before every answer is known.

use crate::answers::{self, terminal::TerminalPrompter, AnswersError, NoPrompt};
use crate::cli::{GlobalArgs, InitArgs, NoInput};
use crate::context::{self};
use crate::exit::Exit;
use crate::source::walk::WalkOptions;
use anyhow::Context as _;

pub fn run(args: &InitArgs, global: &GlobalArgs) -> anyhow::Result<Exit> {
    let started = std::time::Instant::now();
    let root = super::repo_root(args.path.as_deref(), global)?;
    let ctx = context::discover(&root, &WalkOptions::default())
        .with_context(|| format!("discovering {}", root.display()))?;
    let no_input = global.no_input_reason();
    let req = answers::Request {
        root: &root,
        ctx: &ctx,
        set: &args.answers.set,
        answers_file: args.answers.answers.as_deref(),
        env: std::env::vars().collect(),
        save: answers::Save::Everything,
        no_prompt: match no_input {
            Some(NoInput::Flag) | None => NoPrompt::NoInputFlag,
            Some(NoInput::Ci) => NoPrompt::Ci,
            Some(NoInput::NotTerminal) => NoPrompt::NotTerminal,
        },
    };
    let resolution = if no_input.is_none() {
        restore_terminal_on_ctrl_c();
        let mut prompter = TerminalPrompter::new();
        answers::resolve(&req, Some(&mut prompter))?
    } else {
        answers::resolve(&req, None)?
    };
    super::check_audit_settings(&resolution)?;
    super::print_warnings(&resolution, global);
    // infra.toml goes through the same validated, atomic plan as every
    // rendered file, so a failure leaves the repo as it was.
    let extra_files = super::infra_toml_change(&resolution)?;
    let run = super::render::Run {
        root: &root,
        ctx: &ctx,
        answers: &resolution.answers,
        started,
        extra_files,
        global,
    };
    super::render::run_init(&run, args.force)
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
            AnswersError::Io { kind, .. } if *kind == std::io::ErrorKind::NotFound => Exit::Usage,
            AnswersError::Io { .. } => Exit::Io,
            AnswersError::Prompt(_) => Exit::Internal,
            AnswersError::Syntax { .. }
            | AnswersError::Invalid(_)
            | AnswersError::Missing { .. } => Exit::Usage,
        }
    }
}
