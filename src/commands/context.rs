//! `infra context [PATH]`: print what discovery found, as a sectioned text
//! summary or as the versioned JSON documented in docs/context.md.

use crate::cli::{Format, GlobalArgs, Verbosity};
use crate::context::{self, Context};
use crate::exit::Exit;
use crate::model::ServiceKind;
use crate::source::walk::WalkOptions;
use anyhow::Context as _;
use std::fmt::Write as _;
use std::path::Path;

pub fn run(path: Option<&Path>, global: &GlobalArgs) -> anyhow::Result<Exit> {
    let started = std::time::Instant::now();
    let root = super::repo_root(path, global)?;
    let path = root.as_path();
    let ctx = context::discover(path, &WalkOptions::default())
        .with_context(|| format!("discovering {}", path.display()))?;
    let out = match (global.format, global.verbosity()) {
        (Format::Json, _) => crate::report::json::context_v1::render(&ctx),
        (_, Verbosity::Quiet) => quiet_text(&ctx),
        (_, Verbosity::Normal) => render_text(&ctx, global.use_color()),
        (_, Verbosity::Verbose) => format!(
            "{}Took {:.2} s.\n",
            render_text(&ctx, global.use_color()),
            started.elapsed().as_secs_f64()
        ),
    };
    // `infra context | head` is not an error: see crate::output.
    crate::output::print(&out)?;
    Ok(Exit::Ok)
}

/// `-q`: what discovery could not read, then one line of counts.
fn quiet_text(ctx: &Context) -> String {
    let mut o = String::new();
    for p in &ctx.problems {
        let _ = writeln!(o, "{}  {}", p.location, p.message);
    }
    let _ = writeln!(
        o,
        "{} services, {} environment variables, {} environments, {} platform hints, {} problems",
        ctx.used_services().count(),
        ctx.env_vars.len(),
        ctx.environments.len(),
        ctx.platform_hints.len(),
        ctx.problems.len()
    );
    o
}

/// The human summary. `write!` into a String cannot fail, so results are ignored.
/// Paths listed per file class in the text view.
const CLASS_PATHS_SHOWN: usize = 5;

pub fn render_text(ctx: &Context, color: bool) -> String {
    let heading = |s: &str| {
        if color {
            console::style(s).bold().to_string()
        } else {
            s.to_string()
        }
    };
    let dim = |s: &str| {
        if color {
            console::style(s).dim().to_string()
        } else {
            s.to_string()
        }
    };
    let mut o = String::new();

    let _ = writeln!(o, "{}", heading("Project"));
    let name = match (&ctx.project.name, &ctx.project.readme) {
        (Some(n), Some(r)) => format!("{n} {}", dim(&format!("(first heading of {r})"))),
        _ => format!(
            "{} {}",
            ctx.project.dir_name,
            dim("(folder name; no README heading)")
        ),
    };
    let _ = writeln!(o, "  name     {name}");
    if let Some(summary) = &ctx.project.summary {
        let _ = writeln!(o, "  summary  {summary}");
    }
    if ctx.project.readme.is_none() {
        let _ = writeln!(o, "  readme   {}", dim("none"));
    }

    let _ = writeln!(o);
    match &ctx.plan {
        Some(plan) => {
            let done = plan.tasks.iter().filter(|t| t.done).count();
            let _ = writeln!(
                o,
                "{} {}",
                heading("Plan"),
                dim(&format!(
                    "({}: {} tasks, {done} done)",
                    plan.path,
                    plan.tasks.len()
                ))
            );
            for task in &plan.tasks {
                let mark = if task.done { "[x]" } else { "[ ]" };
                let mut extra = Vec::new();
                if let Some(p) = &task.priority {
                    extra.push(p.clone());
                }
                if let Some(s) = &task.section {
                    extra.push(s.clone());
                }
                extra.push(format!("line {}", task.line));
                let _ = writeln!(
                    o,
                    "  {mark} {}  {}",
                    task.text,
                    dim(&format!("({})", extra.join(" · ")))
                );
            }
        }
        None => {
            let _ = writeln!(o, "{} {}", heading("Plan"), dim("(no projectplan.md)"));
        }
    }

    let _ = writeln!(o);
    let _ = writeln!(o, "{}", heading("Environments"));
    if ctx.environments.is_empty() {
        let _ = writeln!(o, "  {}", dim("none found"));
    }
    let width = ctx
        .environments
        .iter()
        .map(|e| e.name.len())
        .max()
        .unwrap_or(0);
    for env in &ctx.environments {
        let evidence: Vec<String> = env
            .evidence
            .iter()
            .take(3)
            .map(|e| format!("{} ({})", e.location, e.via))
            .collect();
        let more = env.evidence.len().saturating_sub(3);
        let more = if more > 0 {
            format!(" +{more} more")
        } else {
            String::new()
        };
        let _ = writeln!(o, "  {:width$}  {}{more}", env.name, evidence.join(", "));
    }

    let _ = writeln!(o);
    let _ = writeln!(o, "{}", heading("Stacks"));
    if ctx.stacks.is_empty() {
        let _ = writeln!(o, "  {}", dim("no manifest found"));
    }
    for stack in &ctx.stacks {
        let mut about = Vec::new();
        if let Some(pm) = &stack.package_manager {
            about.push(pm.clone());
        }
        if !stack.frameworks.is_empty() {
            about.push(stack.frameworks.join(", "));
        }
        let dev = stack.dependencies.iter().filter(|d| d.dev).count();
        about.push(format!(
            "{} dependencies, {dev} dev",
            stack.dependencies.len()
        ));
        let _ = writeln!(
            o,
            "  {} {}  {}",
            stack.language,
            stack.manifest,
            dim(&format!("({})", about.join("; ")))
        );
        let c = &stack.commands;
        for (step, cmd) in [
            ("install", &c.install),
            ("build", &c.build),
            ("lint", &c.lint),
            ("typecheck", &c.typecheck),
            ("test", &c.test),
        ] {
            if let Some(cmd) = cmd {
                let _ = writeln!(o, "    {step:9}  {cmd}");
            }
        }
    }

    let _ = writeln!(o);
    let _ = writeln!(o, "{}", heading("Services"));
    if ctx.services.is_empty() {
        let _ = writeln!(o, "  {}", dim("none found"));
    }
    for kind in ServiceKind::ALL {
        let of_kind: Vec<_> = ctx.services.iter().filter(|s| s.kind == kind).collect();
        if of_kind.is_empty() {
            continue;
        }
        let _ = writeln!(o, "  {}", kind.id());
        for service in of_kind {
            let mut traits = vec![service.id.clone()];
            if service.mentioned_only {
                traits.push("README mention only".into());
            } else if !service.own {
                traits.push("client library".into());
            }
            if service.embedded {
                traits.push("embedded".into());
            }
            let _ = writeln!(
                o,
                "    {} {}",
                service.name,
                dim(&format!("({})", traits.join(", ")))
            );
            if !service.mentioned_only {
                // Only a data service lacks a role worth saying; Stripe has none.
                if service.roles.is_empty() && service.kind.is_critical() {
                    let _ = writeln!(o, "      role: {}", dim("unknown (no use found)"));
                }
                for r in &service.roles {
                    let _ = writeln!(o, "      role: {}", r.role.id());
                    for e in &r.evidence {
                        let _ = writeln!(o, "        {}  {}", e.location, dim(&e.via));
                    }
                }
            }
            let _ = writeln!(o, "      found:");
            for e in &service.evidence {
                let _ = writeln!(o, "        {}  {}", e.location, dim(&e.via));
            }
        }
    }

    let _ = writeln!(o);
    let secrets = ctx.env_vars.iter().filter(|v| v.secret).count();
    let _ = writeln!(
        o,
        "{} {}",
        heading("Environment variables"),
        dim(&format!(
            "({} read, {secrets} look secret)",
            ctx.env_vars.len()
        ))
    );
    let width = ctx.env_vars.iter().map(|v| v.name.len()).max().unwrap_or(0);
    for var in &ctx.env_vars {
        let Some(first) = var.reads.first() else {
            continue;
        };
        let secret = if var.secret { "secret" } else { "      " };
        let more = var.reads.len() - 1;
        let more = if more > 0 {
            format!(" +{more} more")
        } else {
            String::new()
        };
        let optional = if var.optional { "optional" } else { "        " };
        let _ = writeln!(
            o,
            "  {:width$}  {secret}  {:7}  {optional}  {} {}{more}",
            var.name,
            var.class.id(),
            first.location,
            dim(&format!("({}; {})", first.via, var.reason))
        );
    }
    for file in &ctx.env_files {
        let names: Vec<String> = file
            .entries
            .iter()
            .map(|e| {
                if e.commented {
                    format!("#{}", e.name)
                } else {
                    e.name.clone()
                }
            })
            .collect();
        let _ = writeln!(
            o,
            "  {} {}",
            dim(&format!("{} sets", file.path)),
            names.join(", ")
        );
    }

    let _ = writeln!(o);
    let _ = writeln!(o, "{}", heading("Platform hints"));
    if ctx.platform_hints.is_empty() {
        let _ = writeln!(o, "  {}", dim("none found"));
    }
    for hint in &ctx.platform_hints {
        let target = match hint.platform {
            Some(p) => p.id().to_string(),
            None => format!("{} (not a supported target)", hint.host),
        };
        let region = hint
            .region
            .as_ref()
            .map(|r| format!(", region {r}"))
            .unwrap_or_default();
        let _ = writeln!(
            o,
            "  {target}  {} {}",
            hint.location,
            dim(&format!("({}{region})", hint.via))
        );
    }
    if let Some(p) = ctx.likely_platform() {
        let _ = writeln!(o, "  likely target: {}", p.display_name());
    }

    let infra_lines = infra_summary(ctx);
    if !infra_lines.is_empty() {
        let _ = writeln!(o);
        let _ = writeln!(o, "{}", heading("Infrastructure files"));
        for line in infra_lines {
            let _ = writeln!(o, "  {line}");
        }
    }

    if !ctx.problems.is_empty() {
        let _ = writeln!(o);
        let _ = writeln!(
            o,
            "{} {}",
            heading("Problems"),
            dim(&format!("({})", ctx.problems.len()))
        );
        for p in &ctx.problems {
            let _ = writeln!(o, "  {}  {}", p.location, p.message);
        }
    }

    let classes = ctx.file_classes();
    if !classes.is_empty() {
        let _ = writeln!(o);
        let _ = writeln!(
            o,
            "{} {}",
            heading("File classes"),
            dim("(line rules skip or demote these; `infra explain <rule>` says which)")
        );
        for (class, paths) in classes {
            let shown: Vec<&str> = paths.iter().take(CLASS_PATHS_SHOWN).copied().collect();
            let more = paths.len().saturating_sub(CLASS_PATHS_SHOWN);
            let _ = writeln!(
                o,
                "  {:<12} {:>5}  {}{}",
                class.id(),
                paths.len(),
                shown.join(", "),
                if more > 0 {
                    format!(" … and {more} more (all in --format json)")
                } else {
                    String::new()
                }
            );
        }
    }
    let outside: Vec<&str> = ctx.outside_links().collect();
    if !outside.is_empty() {
        let _ = writeln!(o);
        let _ = writeln!(
            o,
            "{} {}",
            heading("Symlinks out of the repository"),
            dim("(not followed, not read)")
        );
        for p in outside {
            let _ = writeln!(o, "  {p}");
        }
    }

    let s = &ctx.stats;
    let _ = writeln!(o);
    let _ = writeln!(
        o,
        "{}",
        dim(&format!(
            "Walked {} files ({} bytes read); skipped {} binary, {} too large, {} unreadable.",
            s.files, s.bytes, s.skipped_binary, s.skipped_large, s.unreadable
        ))
    );
    o
}

fn infra_summary(ctx: &Context) -> Vec<String> {
    let mut out = Vec::new();
    for d in &ctx.containers {
        let mut facts = vec![format!("FROM {}", d.base_images.join(", "))];
        if !d.exposed_ports.is_empty() {
            facts.push(format!("EXPOSE {}", d.exposed_ports.join(" ")));
        }
        facts.push(
            if d.has_healthcheck {
                "healthcheck"
            } else {
                "no healthcheck"
            }
            .to_string(),
        );
        facts.push(
            if d.runs_as_non_root {
                "non-root user"
            } else {
                "runs as root"
            }
            .to_string(),
        );
        out.push(format!("{}: {}", d.path, facts.join("; ")));
    }
    for c in &ctx.compose_services {
        let image = c.image.as_deref().unwrap_or("(built)");
        out.push(format!(
            "{} compose service {} image {image}",
            c.location, c.name
        ));
    }
    for k in &ctx.kubernetes {
        let limits = match k.has_resource_limits {
            Some(true) => "; cpu+memory limits set",
            Some(false) => "; missing cpu/memory limits",
            None => "",
        };
        out.push(format!(
            "{} {} {}{limits}",
            k.location,
            k.kind,
            k.name.as_deref().unwrap_or("(unnamed)")
        ));
    }
    for h in &ctx.helm_charts {
        out.push(format!(
            "{} Helm chart {}",
            h.path,
            h.name.as_deref().unwrap_or("(unnamed)")
        ));
    }
    for p in &ctx.terraform.providers {
        out.push(format!("{} terraform provider {}", p.location, p.kind));
    }
    for r in &ctx.terraform.resources {
        out.push(format!("{} terraform {}.{}", r.location, r.kind, r.name));
    }
    for w in &ctx.workflows {
        out.push(format!("{} {} CI workflow", w.path, w.system));
    }
    for c in &ctx.config_files {
        let env = c
            .environment
            .as_deref()
            .map(|e| format!(" [{e}]"))
            .unwrap_or_default();
        out.push(format!(
            "{} config{env}: keys {}",
            c.path,
            c.keys.join(", ")
        ));
    }
    for d in &ctx.docs {
        out.push(format!(
            "{} doc \"{}\"",
            d.path,
            d.title.as_deref().unwrap_or("")
        ));
    }
    out
}
