//! deploy-ad-hoc-script: deploy scripts, Makefile targets and npm scripts
//! that deploy are run by a pipeline, not by hand (checklist §3.1).

use crate::audit::finding::Findings;
use crate::audit::rule::{AuditInput, Confidence, Level, Rule, RuleMeta, Verdict};
use crate::context::pipelines::Resolver;
use crate::model::Location;
use crate::parse::pipeline::commands::{self, Activity};
use std::collections::BTreeSet;

crate::declare_rule!(
    DeployAdHocScript,
    RuleMeta {
        id: "deploy-ad-hoc-script",
        section: "3.1",
        level: Level::Warning,
        confidence: Confidence::Medium,
        description: "Deploys run from a pipeline, not from scripts run by hand",
        applies: "when a script, Makefile target, justfile recipe or npm script deploys",
        rationale: "Checklist §3.1: avoid manual, ad hoc deploy scripts where a pipeline can be used. A deploy run from someone's laptop skips the tests, the review and the audit trail, and works only for whoever has the credentials.",
        detection: "Shell scripts, Makefile targets, justfile recipes and package.json scripts whose commands deploy (the same deploy commands as deploy-not-gated-on-tests, followed through the recipes they call) and that no CI step runs, directly or through another script; a recipe or script that another deploying one runs is reported once, at the entry point. A recipe that shares a distinctive word with an action or reusable workflow from another repository that a pipeline uses (`org/actions/maintenance` and `make maintenance-fail-over`) may be what that action runs: not a finding, and the rule is unknown when nothing else is found. Rollback scripts (named rollback or revert, or running helm rollback/kubectl rollout undo) and deploys to a cluster the script creates itself (kind, minikube, k3d) are not reported.",
        fix: "run the deploy from a CI job (on the default branch, after the tests, with a protected environment) and keep the script only as what that job calls",
        fixed_by_init: false,
        fail_example: "scripts/deploy.sh:\nssh prod 'docker compose pull' && flyctl deploy   (no workflow runs it)",
        pass_example: ".github/workflows/deploy.yml:\n      - run: ./scripts/deploy.sh",
    }
);

/// Labels the pipelines reach, as `commands` records them in `via`
/// (`npm run deploy`, `make deploy`, `script scripts/deploy.sh`).
fn reached(input: &AuditInput<'_>) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for p in &input.ctx.pipelines {
        for step in p.jobs.iter().flat_map(|j| &j.steps) {
            for c in &step.runs.found {
                out.extend(c.via.iter().cloned());
            }
            for u in &step.runs.unknown {
                out.insert(u.command.clone());
            }
        }
    }
    out
}

/// Actions and reusable workflows from other repositories that the
/// pipelines use, other than the well-known publishers' (which do not run
/// a repository's own recipes): infra cannot read what they run.
fn remote_calls(input: &AuditInput<'_>) -> Vec<String> {
    const PUBLISHERS: &[&str] = &[
        "actions/",
        "docker/",
        "github/",
        "aws-actions/",
        "google-github-actions/",
        "azure/",
        "hashicorp/",
        "superfly/",
        "pnpm/",
        "ruby/",
        "codecov/",
        "peter-evans/",
    ];
    let mut out = Vec::new();
    for p in &input.ctx.pipelines {
        for job in &p.jobs {
            let uses = job
                .steps
                .iter()
                .filter_map(|s| s.uses.as_ref())
                .chain(job.calls.as_ref());
            for u in uses {
                if let crate::parse::pipeline::Uses::Remote(r) = u {
                    let lower = r.to_ascii_lowercase();
                    if !PUBLISHERS.iter().any(|p| lower.starts_with(p)) {
                        out.push(r.clone());
                    }
                }
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

/// Distinctive words of a name (`make domains-infra-apply` → domains,
/// infra), for matching a recipe with a remote action named after it.
fn distinctive_words(text: &str) -> BTreeSet<String> {
    const GENERIC: &[&str] = &[
        "make",
        "script",
        "scripts",
        "just",
        "deploy",
        "deploys",
        "apply",
        "build",
        "push",
        "image",
        "docker",
        "setup",
        "action",
        "actions",
        "github",
        "workflow",
        "workflows",
        "release",
        "test",
        "tests",
        "master",
        "main",
        "terraform",
        "helm",
        "kubectl",
        "aws",
        "azure",
        "google",
        "cloud",
        "tools",
        "run",
        "yml",
        "yaml",
        "bash",
        "npm",
    ];
    text.to_ascii_lowercase()
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| w.len() >= 4 && !GENERIC.contains(w))
        .map(str::to_string)
        .collect()
}

fn throwaway_or_rollback(label: &str, body: &str) -> bool {
    let words = format!("{label}\n{body}").to_lowercase();
    [
        "rollback",
        "roll-back",
        "revert",
        "rollout undo",
        "kind create cluster",
        "minikube start",
        "k3d cluster create",
    ]
    .iter()
    .any(|w| words.contains(w))
}

fn line_of(text: &str, needle: &str) -> u32 {
    text.lines()
        .position(|l| l.trim_start().starts_with(needle))
        .map_or(1, |i| i as u32 + 1)
}

impl Rule for DeployAdHocScript {
    fn repository(&self, input: &AuditInput<'_>, out: &mut Findings<'_>) -> Verdict {
        let ctx = input.ctx;
        let resolver = Resolver::new(ctx);
        let reached = reached(input);
        // (label as the pipelines would record it, where, body, dir)
        let mut candidates: Vec<(String, Location, String, String)> = Vec::new();
        for s in &ctx.stacks {
            if s.language != crate::context::stack::Language::Node {
                continue;
            }
            let text = ctx.text(&s.manifest).unwrap_or("");
            for (name, body) in &s.scripts {
                candidates.push((
                    format!("npm run {name}"),
                    Location::new(s.manifest.clone(), line_of(text, &format!("\"{name}\"")), 1),
                    body.clone(),
                    s.dir.clone(),
                ));
            }
        }
        for (path, text) in &ctx.texts {
            let name = path.rsplit('/').next().unwrap_or(path);
            let dir = path
                .rsplit_once('/')
                .map(|(d, _)| d.to_string())
                .unwrap_or_default();
            if matches!(name, "Makefile" | "makefile" | "GNUmakefile") {
                for (target, body) in commands::make_recipes(text) {
                    candidates.push((
                        format!("make {target}"),
                        Location::new(path.clone(), line_of(text, &format!("{target}:")), 1),
                        body,
                        dir.clone(),
                    ));
                }
            } else if matches!(name, "justfile" | "Justfile" | ".justfile") {
                for (recipe, body) in commands::just_recipes(text) {
                    candidates.push((
                        format!("just {recipe}"),
                        Location::new(path.clone(), line_of(text, &recipe), 1),
                        body,
                        dir.clone(),
                    ));
                }
            } else if name.ends_with(".sh") || name.ends_with(".bash") {
                candidates.push((
                    format!("script {path}"),
                    Location::new(path.clone(), 1, 1),
                    text.clone(),
                    String::new(),
                ));
            }
        }
        let mut deploying = 0;
        let mut entries = Vec::new();
        // What the deploying candidates call: a recipe or script another
        // one runs is reported at that entry point, once, not at each level.
        let mut called: BTreeSet<String> = BTreeSet::new();
        for (label, at, body, dir) in candidates {
            let analysis = commands::classify_script(&body, at.line, &dir, &resolver);
            let Some(deploy) = analysis
                .found
                .iter()
                .find(|c| c.activity == Activity::Deploy)
                .cloned()
            else {
                continue;
            };
            if throwaway_or_rollback(&label, &body) {
                continue;
            }
            deploying += 1;
            called.extend(
                analysis
                    .found
                    .iter()
                    .filter(|c| c.activity == Activity::Deploy)
                    .flat_map(|c| c.via.iter().cloned()),
            );
            entries.push((label, at, deploy));
        }
        let remote: Vec<(String, BTreeSet<String>)> = remote_calls(input)
            .into_iter()
            .map(|r| {
                let name = r.split('@').next().unwrap_or(&r);
                // The owner says nothing about what the action runs.
                let path = name.split_once('/').map_or(name, |(_, p)| p);
                let words = distinctive_words(path);
                (r, words)
            })
            .collect();
        let mut unknown: Option<String> = None;
        for (label, at, deploy) in entries {
            if reached.contains(&label) || called.contains(&label) {
                continue;
            }
            // A remote action named after the recipe may well be what runs
            // it (`org/actions/deploy-domains` → `make domains-apply`).
            let mine = distinctive_words(&label);
            if let Some((r, _)) = remote.iter().find(|(_, w)| !w.is_disjoint(&mine)) {
                unknown.get_or_insert_with(|| {
                    format!("`{label}` deploys, and may be what {r} runs in CI, an action from another repository infra cannot read")
                });
                continue;
            }
            let line = if label.starts_with("script ") {
                deploy.line
            } else {
                at.line
            };
            out.add(format!(
                "`{label}` deploys (`{}`) but no CI pipeline runs it: a deploy by hand",
                deploy.command
            ))
            .at(Location::new(at.path.clone(), line, 1))
            .key(label.clone())
            .emit();
        }
        if deploying == 0 {
            return Verdict::NotApplicable("no script, recipe or npm script deploys".into());
        }
        match unknown {
            Some(why) if out.is_empty() => Verdict::Unknown(why),
            _ => Verdict::Checked,
        }
    }
}
