//! `infra init`, `update`, `plan` and `check`: run the render pipeline on
//! already-resolved answers and report per-file outcomes (SPEC §4).

use super::UserError;
use crate::answers::Answers;
use crate::cli::{Format, GlobalArgs, RenderArgs, Verbosity};
use crate::context::Context;
use crate::exit::Exit;
use crate::render::{self, FileChange, Outcome, Plan, PlanOptions, RenderError};
use std::fmt::Write as _;
use std::path::Path;

/// One render command's inputs, after answers are resolved.
pub struct Run<'a> {
    pub root: &'a Path,
    pub ctx: &'a Context,
    pub answers: &'a Answers,
    /// Files given whole (infra.toml when answers changed).
    pub extra_files: Vec<(String, String)>,
    pub global: &'a GlobalArgs,
    /// When the command started, for `-v`'s timing.
    pub started: std::time::Instant,
}

impl Run<'_> {
    fn options(&self, force: bool, restore: bool) -> PlanOptions {
        PlanOptions {
            force,
            restore,
            extra_files: self.extra_files.clone(),
        }
    }
}

pub fn run_init(run: &Run<'_>, force: bool) -> anyhow::Result<Exit> {
    let plan = make_plan(run, &run.options(force, false))?;
    write(run, &plan)?;
    emit(run, &report(&plan, run, Mode::Init))?;
    Ok(exit_after_write(&plan))
}

pub fn run_update(run: &Run<'_>, args: &RenderArgs) -> anyhow::Result<Exit> {
    let plan = make_plan(run, &run.options(args.force, args.restore))?;
    write(run, &plan)?;
    emit(run, &report(&plan, run, Mode::Update))?;
    Ok(exit_after_write(&plan))
}

pub fn run_plan(run: &Run<'_>, args: &RenderArgs) -> anyhow::Result<Exit> {
    let plan = make_plan(run, &run.options(args.force, args.restore))?;
    emit(run, &report(&plan, run, Mode::Plan))?;
    Ok(Exit::Ok)
}

pub fn run_check(run: &Run<'_>, args: &RenderArgs) -> anyhow::Result<Exit> {
    let plan = make_plan(run, &run.options(args.force, args.restore))?;
    emit(run, &report(&plan, run, Mode::Check))?;
    Ok(check_exit(&plan))
}

/// Write the plan; a file that cannot be written is named, with the repository.
fn write(run: &Run<'_>, plan: &Plan) -> anyhow::Result<()> {
    use anyhow::Context as _;
    render::apply(run.root, plan)
        .map(|_| ())
        .with_context(|| format!("writing into {}; nothing was changed", run.root.display()))
}

/// `check`'s verdict: conflicts beat drift.
pub fn check_exit(plan: &Plan) -> Exit {
    if plan.conflicts().next().is_some() {
        Exit::Conflicts
    } else if plan.drift().next().is_some() {
        Exit::Drift
    } else {
        Exit::Ok
    }
}

fn exit_after_write(plan: &Plan) -> Exit {
    if plan.conflicts().next().is_some() {
        Exit::Conflicts
    } else {
        Exit::Ok
    }
}

/// Problems in the user's input (paths, lock file, template overrides) are usage errors.
fn make_plan(run: &Run<'_>, opts: &PlanOptions) -> anyhow::Result<Plan> {
    render::plan(run.root, run.ctx, run.answers, opts).map_err(|e| match e {
        RenderError::Io { .. } => anyhow::Error::new(e),
        other => UserError::Usage(other.to_string()).into(),
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Init,
    Update,
    Plan,
    Check,
}

fn emit(_run: &Run<'_>, text: &str) -> anyhow::Result<()> {
    crate::output::print(text)?;
    Ok(())
}

/// The whole report as text or JSON. In text, `-q` keeps the files that
/// change or conflict and the verdict; the default adds the files skipped
/// or deleted by you, `plan`'s diffs and the next steps; `-v` adds the
/// unchanged files and the time taken.
fn report(plan: &Plan, run: &Run<'_>, mode: Mode) -> String {
    let global = run.global;
    if global.format == Format::Json {
        return crate::report::json::plan_v1::render(plan, mode == Mode::Plan);
    }
    let level = global.verbosity();
    let color = global.use_color();
    let mut out = String::new();
    for c in &plan.changes {
        let shown = match level {
            Verbosity::Quiet => matters_for_check(c),
            Verbosity::Normal if mode == Mode::Check => matters_for_check(c),
            Verbosity::Normal => c.outcome != Outcome::Unchanged,
            Verbosity::Verbose => true,
        };
        if !shown {
            continue;
        }
        let _ = writeln!(out, "{}", line(c, color));
        if mode == Mode::Plan && c.writes() && level > Verbosity::Quiet {
            out.push_str(&c.diff());
        }
    }
    let n = |o| plan.count(o);
    if !out.is_empty() {
        out.push('\n');
    }
    let _ = writeln!(
        out,
        "{} to create, {} to update, {} unchanged, {} skipped, {} deleted by you, {} in conflict",
        n(Outcome::Create),
        n(Outcome::Update),
        n(Outcome::Unchanged),
        n(Outcome::Skip),
        n(Outcome::DeletedByUser),
        n(Outcome::Conflict),
    );
    if matches!(mode, Mode::Init | Mode::Update) {
        out = out
            .replace(" to create,", " created,")
            .replace(" to update,", " updated,");
    }
    let conflicts: Vec<&FileChange> = plan.conflicts().collect();
    if !conflicts.is_empty() {
        let _ = writeln!(
            out,
            "\nConflicts (resolve the marked hunks, then run `infra update`):"
        );
        for c in conflicts {
            let _ = writeln!(
                out,
                "  {} ({} hunk{})",
                c.path,
                c.conflicts,
                if c.conflicts == 1 { "" } else { "s" }
            );
        }
    }
    let quiet = level == Verbosity::Quiet;
    match mode {
        Mode::Init if quiet => {}
        Mode::Init if plan.count(Outcome::Create) + plan.count(Outcome::Update) == 0 => {
            out.push_str("\nEverything is already rendered and up to date; run `infra audit` to see what is still missing.\n");
        }
        Mode::Init => {
            out.push_str("\nNext steps:\n");
            out.push_str("  1. Review the rendered files (`git diff`, `git status`).\n");
            out.push_str("  2. Commit them together with infra.toml and .infra/ (the lock lets `infra update` keep your edits).\n");
            out.push_str("  3. Work through the Infra tasks in projectplan.md (environments, secrets, backups, alerts).\n");
            out.push_str("  4. Run `infra audit` to see what is still missing.\n");
        }
        Mode::Check => {
            let status = match check_exit(plan) {
                Exit::Conflicts => "conflicts: resolve the marked files, then run `infra update`",
                Exit::Drift => "out of date: run `infra update` (or `infra plan` to see the diffs)",
                _ => "in sync",
            };
            let _ = writeln!(out, "{status}");
        }
        Mode::Plan => out.push_str("Nothing was written.\n"),
        Mode::Update => {}
    }
    if level == Verbosity::Verbose {
        let _ = writeln!(
            out,
            "took {:.2} s for {} files",
            run.started.elapsed().as_secs_f64(),
            plan.changes.len()
        );
    }
    out
}

fn matters_for_check(c: &FileChange) -> bool {
    matches!(
        c.outcome,
        Outcome::Create | Outcome::Update | Outcome::Conflict
    )
}

fn line(c: &FileChange, color: bool) -> String {
    let label = format!("{:<16}", c.outcome.id());
    let label = if color {
        let s = console::style(label);
        match c.outcome {
            Outcome::Create => s.green(),
            Outcome::Update => s.yellow(),
            Outcome::Conflict => s.red().bold(),
            Outcome::Skip | Outcome::DeletedByUser => s.dim(),
            Outcome::Unchanged => s,
        }
        .force_styling(true)
        .to_string()
    } else {
        label
    };
    match &c.note {
        Some(note) => format!("{label} {} ({note})", c.path),
        None => format!("{label} {}", c.path),
    }
}
