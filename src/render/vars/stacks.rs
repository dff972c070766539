//! Stacks as CI jobs and Dependabot entries; what each ecosystem runs comes
//! from `context/stack/<ecosystem>.rs`.

use super::{slugify, DependabotVars, StackVars};
use crate::context::stack::Language;
use crate::context::{Context, Stack};
use std::collections::BTreeSet;

pub(super) fn stacks(ctx: &Context) -> Vec<StackVars> {
    let mut out: Vec<StackVars> = ctx.stacks.iter().map(|s| stack_vars(ctx, s)).collect();
    out.sort_by(|a, b| (&a.dir, &a.language).cmp(&(&b.dir, &b.language)));
    out.dedup_by(|a, b| a.job == b.job);
    out
}

/// A stack as templates see it. The build, lint, type-check and test
/// commands are exactly those discovery found the project uses
/// (`context/stack/<ecosystem>.rs`); the one step added is the ecosystem's
/// pinned vulnerability scan, which the project need not have adopted.
fn stack_vars(ctx: &Context, s: &Stack) -> StackVars {
    let eco = s.language.ecosystem();
    let dir = s.dir.trim_matches('/').to_string();
    let language = eco.id;
    let job = if dir.is_empty() {
        language.to_string()
    } else {
        format!("{language}-{}", slugify(&dir))
    };
    let in_dir = |name: &str| {
        if dir.is_empty() {
            name.to_string()
        } else {
            format!("{dir}/{name}")
        }
    };
    let command = |c: &Option<String>| c.clone().unwrap_or_default();
    StackVars {
        language: language.into(),
        label: (eco.label)(s).into(),
        workdir: if dir.is_empty() {
            ".".into()
        } else {
            dir.clone()
        },
        job,
        manifest: s.manifest.clone(),
        package_manager: s.package_manager.clone().unwrap_or_default(),
        install: command(&s.commands.install),
        build: command(&s.commands.build),
        lint: command(&s.commands.lint),
        typecheck: command(&s.commands.typecheck),
        test: command(&s.commands.test),
        vulnerability_scan: (eco.vulnerability_scan)(s, &|name| ctx.has_file(&in_dir(name)))
            .unwrap_or_default(),
        typescript: s.language == Language::Node
            && s.dependencies.iter().any(|d| d.name == "typescript"),
        version_file: eco
            .version_files
            .iter()
            .map(|n| in_dir(n))
            .find(|p| ctx.has_file(p)),
        dependabot: (eco.dependabot)(s).map(str::to_string),
        dir,
    }
}

pub(super) fn dependabot(ctx: &Context, stacks: &[StackVars]) -> Vec<DependabotVars> {
    let mut set = BTreeSet::new();
    for s in stacks {
        if let Some(eco) = &s.dependabot {
            set.insert((eco.clone(), format!("/{}", s.dir)));
        }
    }
    for d in &ctx.containers {
        let dir = d.path.rsplit_once('/').map(|(d, _)| d).unwrap_or("");
        set.insert(("docker".into(), format!("/{dir}")));
    }
    let mut out: Vec<DependabotVars> = set
        .into_iter()
        .map(|(ecosystem, directory)| DependabotVars {
            ecosystem,
            directory,
        })
        .collect();
    out.push(DependabotVars {
        ecosystem: "github-actions".into(),
        directory: "/".into(),
    });
    out
}
