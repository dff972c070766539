//! Command handlers: each takes parsed arguments and returns an exit code.
//! Errors are printed here, once, with their cause chain.

mod audit;
mod context;
mod init;
mod meta;
pub mod render;
pub mod root;

use crate::cli::{Cli, Command, Format};
use crate::exit::Exit;

/// An error the user can act on, with the exit code it maps to.
#[derive(Debug, thiserror::Error)]
pub enum UserError {
    #[error("{0}")]
    Usage(String),
    #[error("interrupted: nothing was written")]
    Interrupted,
    /// A file could not be read or written; the message names it.
    #[error("{0}")]
    Io(String),
}

pub fn run(cli: Cli) -> Exit {
    let global = cli.global.clone();
    if let Err(err) = check_format(&cli.command, global.format) {
        return report_error(&err.into(), global.quiet);
    }
    let result = match cli.command {
        Command::Completions { shell } => meta::completions(shell),
        Command::Man => meta::man(),
        Command::Init(args) => init::run(&args, &global),
        Command::Update(args) => render_command("update", &args, &global, render::run_update),
        Command::Plan(args) => render_command("plan", &args, &global, render::run_plan),
        Command::Check(args) => render_command("check", &args, &global, render::run_check),
        Command::Audit(args) => audit::audit(&args, &global),
        Command::Rules => audit::rules(&global),
        Command::Explain { rule } => audit::explain(&rule, &global),
        Command::Context { path } => context::run(path.as_deref(), &global),
    };
    match result {
        Ok(exit) => exit,
        Err(err) => report_error(&err, global.quiet),
    }
}

/// Every format `--format` offers, in `--help` order.
const ALL_FORMATS: &[Format] = &[
    Format::Text,
    Format::Json,
    Format::Sarif,
    Format::Junit,
    Format::Github,
    Format::Markdown,
];

/// The formats each command can write (documented in docs/json.md).
/// Any other `--format` is a usage error (exit 2), never silently text.
pub fn accepted_formats(command: &Command) -> (&'static str, &'static [Format]) {
    const TEXT_JSON: &[Format] = &[Format::Text, Format::Json];
    const TEXT: &[Format] = &[Format::Text];
    match command {
        Command::Audit(_) => ("audit", ALL_FORMATS),
        Command::Init(_) => ("init", TEXT_JSON),
        Command::Update(_) => ("update", TEXT_JSON),
        Command::Plan(_) => ("plan", TEXT_JSON),
        Command::Check(_) => ("check", TEXT_JSON),
        Command::Rules => ("rules", TEXT_JSON),
        Command::Explain { .. } => ("explain", TEXT_JSON),
        Command::Context { .. } => ("context", TEXT_JSON),
        Command::Completions { .. } => ("completions", TEXT),
        Command::Man => ("man", TEXT),
    }
}

/// `--format`'s spelling of a format.
pub fn format_name(format: Format) -> &'static str {
    match format {
        Format::Text => "text",
        Format::Json => "json",
        Format::Sarif => "sarif",
        Format::Junit => "junit",
        Format::Github => "github",
        Format::Markdown => "markdown",
    }
}

fn check_format(command: &Command, format: Format) -> Result<(), UserError> {
    let (name, accepted) = accepted_formats(command);
    if accepted.contains(&format) {
        return Ok(());
    }
    let names: Vec<&str> = accepted.iter().map(|f| format_name(*f)).collect();
    let list = match names.as_slice() {
        [only] => format!("only {only}"),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
        [] => String::new(),
    };
    Err(UserError::Usage(format!(
        "`infra {name}` writes {list}, not {}; use --format {}",
        format_name(format),
        names.join("|")
    )))
}

type RenderHandler = fn(&render::Run<'_>, &crate::cli::RenderArgs) -> anyhow::Result<Exit>;

/// `update`, `plan` and `check`: discover, resolve answers without prompts
/// (infra.toml plus overrides), then run the handler. `--set` and
/// `--answers` values become a change to infra.toml, written by `update`
/// and shown by `plan` and `check`.
fn render_command(
    name: &'static str,
    args: &crate::cli::RenderArgs,
    global: &crate::cli::GlobalArgs,
    handler: RenderHandler,
) -> anyhow::Result<Exit> {
    use anyhow::Context as _;
    let started = std::time::Instant::now();
    let root = repo_root(args.path.as_deref(), global)?;
    let ctx = crate::context::discover(&root, &crate::source::walk::WalkOptions::default())
        .with_context(|| format!("discovering {}", root.display()))?;
    let req = crate::answers::Request {
        root: &root,
        ctx: &ctx,
        set: &args.answers.set,
        answers_file: args.answers.answers.as_deref(),
        env: std::env::vars().collect(),
        save: crate::answers::Save::Given,
        no_prompt: crate::answers::NoPrompt::Command(name),
    };
    let resolution = crate::answers::resolve(&req, None)?;
    check_audit_settings(&resolution)?;
    print_warnings(&resolution, global);
    let run = render::Run {
        root: &root,
        ctx: &ctx,
        answers: &resolution.answers,
        extra_files: infra_toml_change(&resolution)?,
        started,
        global,
    };
    handler(&run, args)
}

/// infra.toml as the run leaves it, when that differs from the disk, and
/// the JSON Schema its `#:schema` directive points at: more files in the
/// plan, so they are written, diffed and checked like the rest.
fn infra_toml_change(
    resolution: &crate::answers::Resolution,
) -> anyhow::Result<Vec<(String, String)>> {
    use crate::answers::schema;
    let mut files = Vec::new();
    let text = match &resolution.saved {
        Some(saved) => Some(crate::answers::write::render_infra_toml(
            resolution.existing_text.as_deref(),
            saved,
        )?),
        None => None,
    };
    if let Some(text) = &text {
        if resolution.existing_text.as_deref() != Some(text.as_str()) {
            files.push((crate::answers::load::INFRA_TOML.to_string(), text.clone()));
        }
    }
    let after = text.as_deref().or(resolution.existing_text.as_deref());
    if after.is_some_and(schema::wanted) {
        files.push((schema::SCHEMA_PATH.to_string(), schema::schema_text()));
    }
    Ok(files)
}

/// Answers that are allowed but contradict each other, on stderr (not with `-q`).
fn print_warnings(resolution: &crate::answers::Resolution, global: &crate::cli::GlobalArgs) {
    if global.quiet {
        return;
    }
    for w in &resolution.warnings {
        crate::output::message(&format!("warning: {w}"));
    }
}

/// `[audit]` is validated by the audit, the same way for every command, so
/// `plan` rejects exactly what `audit` would (exit 2, `infra.toml:LINE:COL`).
fn check_audit_settings(resolution: &crate::answers::Resolution) -> anyhow::Result<()> {
    let text = resolution.existing_text.as_deref().unwrap_or("");
    let elsewhere = |key: &str| {
        resolution
            .origins
            .get(key)
            .filter(|o| !o.starts_with(crate::answers::load::INFRA_TOML))
            .cloned()
    };
    crate::audit::Settings::validate(resolution.toml.audit.as_ref(), text, &elsewhere)
        .map(|_| ())
        .map_err(|e| UserError::Usage(e.to_string()).into())
}

/// The repository root: an explicit PATH (which must be a folder), else
/// found from the current folder (see [`root`]); says so on stderr when it
/// is not the current folder.
pub fn repo_root(
    path: Option<&std::path::Path>,
    global: &crate::cli::GlobalArgs,
) -> anyhow::Result<std::path::PathBuf> {
    let (dir, found) = root::find(path)?;
    let why = match found {
        root::Found::Here => None,
        root::Found::InfraToml => Some("the nearest folder above with an infra.toml"),
        root::Found::GitTop => Some("the top of the git work tree; no infra.toml on the way"),
    };
    if let (Some(why), false) = (why, global.quiet) {
        crate::output::message(&format!("using {} ({why})", dir.display()));
    }
    Ok(dir)
}

/// Print an error with its causes and choose the exit code from its kind.
fn report_error(err: &anyhow::Error, _quiet: bool) -> Exit {
    let mut message = format!("error: {err}");
    for cause in err.chain().skip(1) {
        message.push_str(&format!("\n  caused by: {cause}"));
    }
    crate::output::message(&message);
    exit_for(err)
}

/// The exit code for an error: what the user can fix is 2, a file that
/// cannot be read or written is 4, the rest is internal (1).
fn exit_for(err: &anyhow::Error) -> Exit {
    if let Some(e) = err.downcast_ref::<crate::answers::AnswersError>() {
        return Exit::from(e);
    }
    match err.downcast_ref::<UserError>() {
        Some(UserError::Interrupted) => return Exit::Interrupted,
        Some(UserError::Usage(_)) => return Exit::Usage,
        Some(UserError::Io(_)) => return Exit::Io,
        None => {}
    }
    let io = err.chain().any(|cause| {
        cause.is::<std::io::Error>()
            || cause.is::<crate::output::OutputError>()
            || matches!(
                cause.downcast_ref::<crate::render::RenderError>(),
                Some(crate::render::RenderError::Io { .. })
            )
    });
    if io {
        Exit::Io
    } else {
        Exit::Internal
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn io_errors_anywhere_in_the_chain_exit_4() {
        let denied = std::io::Error::from(std::io::ErrorKind::PermissionDenied);
        let err = anyhow::Error::new(denied).context("writing baseline /x/b.json");
        assert_eq!(exit_for(&err), Exit::Io);
        let render = crate::render::RenderError::Io {
            path: ".github/workflows/ci.yml".into(),
            source: std::io::Error::from(std::io::ErrorKind::PermissionDenied),
        };
        assert_eq!(exit_for(&anyhow::Error::new(render)), Exit::Io);
        let answers = |kind| crate::answers::AnswersError::Io {
            path: "/x/infra.toml".into(),
            message: "permission denied".into(),
            kind,
        };
        let denied = answers(std::io::ErrorKind::PermissionDenied);
        assert_eq!(exit_for(&anyhow::Error::new(denied)), Exit::Io);
        // An --answers FILE that is not there is a mistake in the flag.
        let missing = answers(std::io::ErrorKind::NotFound);
        assert_eq!(exit_for(&anyhow::Error::new(missing)), Exit::Usage);
        assert_eq!(exit_for(&anyhow::anyhow!("a bug")), Exit::Internal);
    }
}
