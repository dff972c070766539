//! The command line (SPEC §1), declared once with clap derive; `--help`,
//! completions and the man page are all generated from these types.

pub use crate::output::Format;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "infra",
    version,
    about = "Make a repository production-ready the way a senior DevOps engineer would, and keep it that way",
    after_help = crate::exit::Exit::help_table(),
    propagate_version = true
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Args)]
pub struct GlobalArgs {
    /// Output format (where the command supports it)
    #[arg(long, global = true, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// When to use colours; NO_COLOR in the environment means never under auto
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Print only what fails (findings at or above the failing level, changed files) and the verdict
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Print more: also what passed (passing rules, unchanged files) and timings
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
    /// Never prompt; implied when stdin is not a terminal or CI is set
    #[arg(long, global = true)]
    pub no_input: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Discover the repo, ask what is missing, write infra.toml and render the infra files
    Init(InitArgs),
    /// Re-render after answers or templates changed, merging with your edits
    Update(RenderArgs),
    /// Show what init/update would do to each file, with diffs; writes nothing
    Plan(RenderArgs),
    /// Exit non-zero when rendered files are out of date (20) or conflicted (21)
    Check(RenderArgs),
    /// Check the repo against the DevOps checklist
    Audit(AuditArgs),
    /// List the audit rules
    Rules,
    /// Explain one audit rule: why, how it is detected, how to fix it
    Explain {
        /// Rule id, e.g. hardcoded-secret
        rule: String,
    },
    /// Print what discovery found (stack, services, env vars, platform hints, plan tasks)
    Context {
        /// Repository root (default: found from the current folder)
        path: Option<PathBuf>,
    },
    /// Print shell completions
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff)
    Man,
}

/// Where answers come from, highest precedence first: --set, --answers, INFRA_* environment,
/// infra.toml, discovery, prompt, documented default.
#[derive(Debug, Clone, Args, Default)]
pub struct AnswerArgs {
    /// Set an answer, e.g. --set platform.target=aws --set environments=dev,staging,production
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
    /// Read answers from a TOML file shaped like infra.toml
    #[arg(long, value_name = "FILE")]
    pub answers: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Repository root (default: the nearest folder above with an infra.toml, else the git top level)
    pub path: Option<PathBuf>,
    #[command(flatten)]
    pub answers: AnswerArgs,
    /// Overwrite existing files that infra did not render
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct RenderArgs {
    /// Repository root (default: the nearest folder above with an infra.toml, else the git top level)
    pub path: Option<PathBuf>,
    #[command(flatten)]
    pub answers: AnswerArgs,
    /// Overwrite existing files that infra did not render
    #[arg(long)]
    pub force: bool,
    /// Bring back rendered files you deleted
    #[arg(long)]
    pub restore: bool,
}

#[derive(Debug, Args)]
pub struct AuditArgs {
    /// Repository root (default: the nearest folder above with an infra.toml, else the git top level)
    pub path: Option<PathBuf>,
    /// Lowest level that makes the exit code non-zero (default: [audit] fail_on, else error)
    #[arg(long, value_enum)]
    pub fail_on: Option<FailOn>,
    /// Report only findings the change since this git ref introduces (against its merge base with HEAD), plus the change checks
    #[arg(long, value_name = "REF")]
    pub base: Option<String>,
    /// Audit what is staged for the next commit (the index, not the work tree): the changed files' own checks and the change checks
    #[arg(long, conflicts_with_all = ["base", "write_baseline"])]
    pub staged: bool,
    /// With --staged and nothing staged, exit 0 saying so instead of 3 (for pre-commit hooks that also run on a clean tree)
    #[arg(long, requires = "staged")]
    pub allow_nothing_staged: bool,
    /// Also scan every commit's added lines for secrets (HEAD, branches, tags, remote-tracking branches; with --base, only the commits since the merge base): rule secret-in-history
    #[arg(long, conflicts_with = "staged")]
    pub history: bool,
    /// Suppress findings recorded in this baseline file
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Write the current findings as a baseline file and exit 0
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<PathBuf>,
    /// Show findings suppressed by inline comments, infra.toml and baselines
    #[arg(long)]
    pub no_ignores: bool,
    /// Write the report to FILE (atomically, in any --format) instead of standard output
    #[arg(
        long,
        short = 'o',
        value_name = "FILE",
        conflicts_with = "write_baseline"
    )]
    pub output: Option<std::path::PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
    Note,
}

/// Why prompts are off for this run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoInput {
    /// `--no-input` was given.
    Flag,
    /// The `CI` environment variable is set (and not empty).
    Ci,
    /// Standard input is not a terminal.
    NotTerminal,
}

/// How much a command prints in text formats: `-q` only what fails (and the
/// verdict), the default what changed or needs attention, `-v` also what
/// passed and how long it took. JSON and the other formats never change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Verbosity {
    Quiet,
    Normal,
    Verbose,
}

impl GlobalArgs {
    pub fn verbosity(&self) -> Verbosity {
        if self.quiet {
            Verbosity::Quiet
        } else if self.verbose > 0 {
            Verbosity::Verbose
        } else {
            Verbosity::Normal
        }
    }

    /// Whether prompts are allowed: never with --no-input, CI set, or a non-terminal stdin.
    pub fn interactive(&self) -> bool {
        self.no_input_reason().is_none()
    }

    /// The first reason prompts are off, if they are.
    pub fn no_input_reason(&self) -> Option<NoInput> {
        use std::io::IsTerminal;
        if self.no_input {
            Some(NoInput::Flag)
        } else if std::env::var_os("CI").is_some_and(|v| !v.is_empty()) {
            Some(NoInput::Ci)
        } else if !std::io::stdin().is_terminal() {
            Some(NoInput::NotTerminal)
        } else {
            None
        }
    }

    /// Whether to colour output written to stdout.
    pub fn use_color(&self) -> bool {
        use std::io::IsTerminal;
        match self.color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                    && std::io::stdout().is_terminal()
            }
        }
    }
}
