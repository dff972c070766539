//! `infra audit`, `infra rules` and `infra explain`: load infra.toml and the
//! shared discovery, run the rule engine, print the report, pick the exit code.

use super::UserError;
use crate::audit::baseline::Baseline;
use crate::audit::{self, registry, AuditError, AuditOptions, Level};
use crate::cli::{AuditArgs, FailOn, Format, GlobalArgs, Verbosity};
use crate::exit::Exit;
use crate::report;
use crate::source::walk::WalkOptions;
use anyhow::Context as _;

fn print(text: &str) -> anyhow::Result<()> {
    crate::output::print(text).context("writing the report")
}

/// How long an audit runs before the progress line appears:
/// `INFRA_PROGRESS_AFTER_MS`, else 300 ms (a quick audit shows none).
fn progress_delay() -> std::time::Duration {
    let ms = std::env::var("INFRA_PROGRESS_AFTER_MS")
        .ok()
        .and_then(|v| v.trim().parse::<u64>().ok())
        .unwrap_or(300);
    std::time::Duration::from_millis(ms)
}

fn note(global: &GlobalArgs, text: &str) {
    if !global.quiet {
        crate::output::message(text);
    }
}

pub fn audit(args: &AuditArgs, global: &GlobalArgs) -> anyhow::Result<Exit> {
    let started = std::time::Instant::now();
    let root = super::repo_root(args.path.as_deref(), global)?;
    let root = root.as_path();
    let progress = std::sync::Arc::new(crate::source::walk::Progress::default());
    let spinner = if global.quiet {
        None
    } else {
        let shown = progress.clone();
        crate::output::Spinner::start(progress_delay(), move || {
            let (phase, files) = shown.status();
            format!("infra audit: {phase}, {files} files read")
        })
    };
    let options = AuditOptions {
        walk: WalkOptions {
            progress: Some(progress),
            ..WalkOptions::default()
        },
        fail_on: args.fail_on.map(|f| match f {
            FailOn::Error => Level::Error,
            FailOn::Warning => Level::Warning,
            FailOn::Note => Level::Note,
        }),
        no_ignores: args.no_ignores,
        baseline: args.baseline.clone(),
        today: audit::date::Date::from_source_date_epoch(
            std::env::var("SOURCE_DATE_EPOCH").ok().as_deref(),
        )
        .map_err(UserError::Usage)?,
        history: args.history.then_some(audit::history::HistoryRange::All),
        ..AuditOptions::default()
    };
    let diff = match (&args.base, args.staged) {
        (Some(reference), _) => Some(audit::diff::DiffSource::Base(reference.clone())),
        (None, true) => Some(audit::diff::DiffSource::Staged),
        (None, false) => None,
    };
    let audited = match &diff {
        Some(source) => audit::diff::audit_change(root, &options, source),
        None => audit::audit_tree(root, &options),
    };
    // The progress line is erased before any message or report.
    drop(spinner);
    let result = match audited {
        Ok(report) => report,
        // Nothing to check, and the caller said that is fine: no report
        // (so no readiness is claimed), exit 0.
        Err(e @ AuditError::NothingStaged(_)) if args.allow_nothing_staged => {
            note(global, &format!("{e} (--allow-nothing-staged: exit 0)"));
            return Ok(Exit::Ok);
        }
        Err(e @ (AuditError::NothingToAudit(_) | AuditError::NothingStaged(_))) => {
            note(global, &e.to_string());
            return Ok(Exit::NothingToAudit);
        }
        // A file that cannot be read is exit 4, naming it; one that is
        // not there is a mistake in the flag (exit 2).
        Err(AuditError::BaselineUnreadable { path, source })
            if source.kind() != std::io::ErrorKind::NotFound =>
        {
            return Err(UserError::Io(format!("cannot read baseline {path}: {source}")).into())
        }
        Err(AuditError::Answers(e)) => return Err(e.into()),
        Err(e @ AuditError::TempTree(_)) => return Err(UserError::Io(e.to_string()).into()),
        // Everything else is a mistake in the input: exit 2, with the
        // position in infra.toml where there is one.
        Err(e) => return Err(UserError::Usage(e.to_string()).into()),
    };

    if let Some(path) = &args.write_baseline {
        let b = Baseline::from_findings(&result.findings);
        crate::output::write_file(path, &b.to_json())
            .with_context(|| format!("writing baseline {}", path.display()))?;
        note(
            global,
            &format!(
                "wrote {} finding{} to baseline {}",
                b.findings.len(),
                if b.findings.len() == 1 { "" } else { "s" },
                path.display()
            ),
        );
        return Ok(Exit::Ok);
    }

    let full = report::render(&result, global.format, global.use_color());
    let text = match (global.format, global.verbosity()) {
        (Format::Text, Verbosity::Quiet) => quiet_text(&result, global.use_color()),
        (Format::Text, Verbosity::Verbose) => verbose_text(&result, &full, started.elapsed()),
        _ => full,
    };
    match &args.output {
        Some(path) => crate::output::write_file(path, &text).map_err(|e| {
            let what = format!("cannot write the report to {}: {e}", path.display());
            match e.kind() {
                // A folder that is not there or a path that is a folder: the
                // flag is wrong (exit 2); anything else is the disk's (exit 4).
                std::io::ErrorKind::NotFound | std::io::ErrorKind::IsADirectory => {
                    UserError::Usage(format!("{what}; give a file in an existing folder"))
                }
                _ => UserError::Io(what),
            }
        })?,
        None => print(&text)?,
    }
    Ok(match result.failing_level() {
        None => Exit::Ok,
        Some(Level::Note) => Exit::FindingsNote,
        Some(Level::Warning) => Exit::FindingsWarning,
        Some(Level::Error) => Exit::FindingsError,
    })
}

/// The text report's heading after the findings.
const SUMMARY_HEADING: &str = "Summary by checklist section:";

/// `-q`: only the findings at or above the failing level, then the verdict.
fn quiet_text(result: &audit::Report, color: bool) -> String {
    let full = report::text::render(result, color);
    let verdict = full.lines().last().unwrap_or_default().to_string();
    let failing = audit::Report {
        findings: result
            .active()
            .filter(|f| f.level >= result.fail_on)
            .cloned()
            .collect(),
        results: Vec::new(),
        fail_on: result.fail_on,
        files: result.files,
        partial: true,
        diff: result.diff.clone(),
        known: audit::Known::default(),
        docs_url: result.docs_url.clone(),
        history: result.history.clone(),
    };
    let text = report::text::render(&failing, color);
    let findings = text
        .find(SUMMARY_HEADING)
        .and_then(|i| text[..i].rfind('\n').map(|nl| &text[..=nl]).or(Some("")))
        .unwrap_or_default();
    format!("{findings}{verdict}\n")
}

/// `-v`: the report, then the rules that passed and the time taken, before the verdict.
fn verbose_text(result: &audit::Report, full: &str, took: std::time::Duration) -> String {
    let body = full.trim_end_matches('\n');
    let (head, verdict) = body.rsplit_once('\n').unwrap_or(("", body));
    let mut out = format!("{head}\n");
    let passed: Vec<_> = result
        .results
        .iter()
        .filter(|r| r.status == audit::Status::Pass)
        .collect();
    out.push_str(&format!("Passed ({}):\n", passed.len()));
    for r in passed {
        let description = registry::find(r.rule).map_or("", |m| m.description);
        out.push_str(&format!(
            "  {:<34} §{:<4} {description}\n",
            r.rule, r.section
        ));
    }
    out.push_str(&format!(
        "Took {:.2} s for {} files.\n{verdict}\n",
        took.as_secs_f64(),
        result.files
    ));
    out
}

/// `infra rules`: every rule and engine diagnostic, as a table or JSON.
pub fn rules(global: &GlobalArgs) -> anyhow::Result<Exit> {
    match global.format {
        Format::Json => print(&report::json::rules_v1::render(registry::all_meta()))?,
        // Other formats were refused before the command ran.
        _ => print(&rules_table())?,
    }
    Ok(Exit::Ok)
}

/// The `infra rules` table (one row per id, checklist order).
pub fn rules_table() -> String {
    let mut out = format!(
        "{:<34} {:<5} {:<8} {:<7} {:<5} {}\n",
        "RULE", "§", "LEVEL", "CONF", "INIT", "CHECKS"
    );
    for m in registry::all_meta() {
        out.push_str(&format!(
            "{:<34} {:<5} {:<8} {:<7} {:<5} {}\n",
            m.id,
            m.section,
            m.level.id(),
            m.confidence.id(),
            if m.fixed_by_init { "yes" } else { "no" },
            m.description
        ));
    }
    out
}

fn indent(s: &str) -> String {
    s.lines().map(|l| format!("    {l}\n")).collect()
}

/// `infra explain RULE`.
pub fn explain(rule: &str, global: &GlobalArgs) -> anyhow::Result<Exit> {
    let Some(m) = registry::find(rule) else {
        return Err(UserError::Usage(format!(
            "no rule {rule:?}{}; `infra rules` lists them",
            audit::did_you_mean(rule)
        ))
        .into());
    };
    if global.format == Format::Json {
        print(&report::json::rules_v1::render([m]))?;
        return Ok(Exit::Ok);
    }
    let text = format!(
        "{id} (checklist §{section} {title}; {level}, confidence {conf})\n{desc}\n\n\
         Applies: {applies}\n\n\
         Why: {why}\n\n\
         How it is detected: {detect}\n\n\
         {classes}\
         How to fix: {fix}\n\
         Fixed by `infra init`: {init}\n\n\
         Failing example:\n{fail}\n\
         Passing example:\n{pass}\n\
         Docs: {docs}\n",
        id = m.id,
        section = m.section,
        title = registry::section_title(m.section),
        level = m.level,
        conf = m.confidence.id(),
        desc = m.description,
        applies = m.applies,
        why = m.rationale,
        detect = m.detection,
        classes = match registry::class_policy(m.id) {
            p if p.is_empty() => String::new(),
            p => format!("File classes: {p}.\n\n"),
        },
        fix = m.fix,
        init = if m.fixed_by_init { "yes" } else { "no" },
        fail = indent(m.fail_example),
        pass = indent(m.pass_example),
        docs = m.docs(),
    );
    print(&text)?;
    Ok(Exit::Ok)
}
