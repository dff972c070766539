//! change-ci-not-updated: a package the change adds is built or tested by
//! a CI pipeline that runs on changes (checklist §8).

use crate::audit::ci;
use crate::audit::finding::Findings;
use crate::audit::rule::{
    AuditInput, Change, ChangeStatus, Confidence, Level, Rule, RuleMeta, Verdict,
};
use crate::audit::rules::change_repository;
use crate::context::{Context, Stack};
use crate::parse::pipeline::commands::Activity;
use crate::parse::pipeline::{Pipeline, Step, Uses};

crate::declare_rule!(
    ChangeCiNotUpdated,
    RuleMeta {
        id: "change-ci-not-updated",
        section: "8",
        level: Level::Error,
        confidence: Confidence::Medium,
        description: "A package or service the change adds is built or tested by CI",
        applies: "in diff mode (`--base REF`, `--staged`), when the change adds a package manifest and the repository has CI that runs on changes",
        rationale: "Checklist §8: CI must be updated to build and test the new code. A new service folder or a first package in a new language that no pipeline touches ships untested while every check stays green.",
        detection: "For each package the change adds (a manifest in a folder that had no package of that language before: package.json, Cargo.toml, go.mod, pyproject.toml, requirements.txt, Gemfile, composer.json, pom.xml, build.gradle …): some job of a workflow that runs on push or pull/merge requests builds or tests with that language's tools (cargo, go, npm/pnpm/yarn and the JavaScript runners, pytest/tox/uv/poetry, mvn/gradle, bundle/rspec/rails, composer/phpunit), directly or through scripts and recipes, and reaches the package's folder: its `working-directory` is that folder, or a parent folder whose project lists it as a workspace member (Cargo or uv `members`, npm/yarn `workspaces`, pnpm-workspace.yaml, go.work, a Maven `<module>`, a Gradle `include`), or the step's script names the folder. A templated working directory (a matrix) counts as reaching it. Runner calls that cannot be followed make the rule unknown rather than failing.",
        fix: "add the new package to CI: a job (or a matrix entry) that builds and tests it in its folder on push and pull_request",
        fixed_by_init: false,
        fail_example: "+ services/billing/package.json   (CI runs `npm test` only at the repository root)",
        pass_example: "- run: npm test\n  working-directory: services/billing",
    }
);

/// The ecosystem a recognised build or test command belongs to, by its tool.
fn command_language(command: &str) -> Option<&'static str> {
    let tool = command.split_whitespace().next()?;
    let tool = tool.rsplit('/').next().unwrap_or(tool);
    Some(match tool {
        "cargo" | "cross" | "rustc" => "rust",
        "go" | "golangci-lint" | "gotestsum" => "go",
        "npm" | "pnpm" | "yarn" | "npx" | "bun" | "node" | "jest" | "vitest" | "mocha"
        | "playwright" | "tsc" | "eslint" | "next" | "vite" | "webpack" | "turbo" | "nx" => "node",
        "pytest" | "python" | "python3" | "tox" | "nox" | "uv" | "poetry" | "pip" | "hatch"
        | "pdm" | "ruff" | "mypy" | "manage.py" => "python",
        "mvn" | "mvnw" | "gradle" | "gradlew" | "sbt" => "java",
        "bundle" | "rspec" | "rails" | "rake" | "ruby" => "ruby",
        "php" | "composer" | "phpunit" | "artisan" | "pest" => "php",
        _ => return None,
    })
}

fn normalise(dir: &str) -> &str {
    let d = dir.trim_start_matches("./").trim_end_matches('/');
    if d == "." {
        ""
    } else {
        d
    }
}

/// Whether a step that runs `command` in its working directory reaches the
/// package in `dir`.
fn reaches(ctx: &Context, step: &Step, stack: &Stack) -> bool {
    let wd = step.working_directory.as_deref().unwrap_or("");
    if wd.contains("${{") || wd.contains("$(") {
        return true;
    }
    let wd = normalise(wd);
    let dir = normalise(&stack.dir);
    if dir == wd {
        return true;
    }
    let under = wd.is_empty() || dir.starts_with(&format!("{wd}/"));
    if under && member_of_workspace(ctx, wd, dir, stack.language.id()) {
        return true;
    }
    !dir.is_empty()
        && step
            .run
            .as_ref()
            .is_some_and(|r| crate::audit::rules::mentions_word(&r.text, dir))
}

/// The text of `file` in folder `dir` (kept by discovery for manifests).
fn text_in<'c>(ctx: &'c Context, dir: &str, file: &str) -> Option<&'c str> {
    let path = if dir.is_empty() {
        file.to_string()
    } else {
        format!("{dir}/{file}")
    };
    ctx.texts.get(&path).map(String::as_str)
}

/// Whether any of the workspace member patterns (globs relative to the
/// workspace root) names `rel`.
fn matches_any(patterns: &[String], rel: &str) -> bool {
    patterns.iter().any(|p| {
        let p = normalise(p);
        p == rel
            || globset::Glob::new(p)
                .map(|g| g.compile_matcher().is_match(rel))
                .unwrap_or(false)
    })
}

fn toml_strings(doc: &toml::Table, keys: &[&str]) -> Vec<String> {
    let mut v: Option<&toml::Value> = None;
    for (i, k) in keys.iter().enumerate() {
        v = if i == 0 {
            doc.get(*k)
        } else {
            v.and_then(|t| t.get(*k))
        };
    }
    v.and_then(toml::Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// Whether the project in `root` builds the package in `dir` (below it) as
/// one of its workspace members, so a command run at `root` reaches it: a
/// Cargo workspace's or uv workspace's `members`, npm/yarn `workspaces` (or
/// a pnpm-workspace.yaml), a `go.work`, a Maven `<module>` or a Gradle
/// `include`.
fn member_of_workspace(ctx: &Context, root: &str, dir: &str, language: &str) -> bool {
    let rel = if root.is_empty() {
        dir
    } else {
        dir.strip_prefix(&format!("{root}/")).unwrap_or(dir)
    };
    let toml_members = |file: &str, keys: &[&str]| {
        text_in(ctx, root, file)
            .and_then(|t| t.parse::<toml::Table>().ok())
            .is_some_and(|doc| matches_any(&toml_strings(&doc, keys), rel))
    };
    match language {
        "rust" => toml_members("Cargo.toml", &["workspace", "members"]),
        "python" => toml_members("pyproject.toml", &["tool", "uv", "workspace", "members"]),
        "node" => {
            let pnpm = if root.is_empty() {
                "pnpm-workspace.yaml".to_string()
            } else {
                format!("{root}/pnpm-workspace.yaml")
            };
            ctx.has_file(&pnpm)
                || text_in(ctx, root, "package.json")
                    .and_then(|t| serde_json::from_str::<serde_json::Value>(t).ok())
                    .is_some_and(|v| {
                        let w = v.get("workspaces");
                        let list = w
                            .and_then(|w| w.get("packages"))
                            .or(w)
                            .and_then(|l| l.as_array())
                            .map(|a| {
                                a.iter()
                                    .filter_map(|x| x.as_str().map(str::to_string))
                                    .collect::<Vec<_>>()
                            })
                            .unwrap_or_default();
                        matches_any(&list, rel)
                    })
        }
        "go" => text_in(ctx, root, "go.work")
            .is_some_and(|t| t.lines().any(|l| normalise(l.trim()) == rel)),
        "java" => {
            text_in(ctx, root, "pom.xml")
                .is_some_and(|t| t.contains(&format!("<module>{rel}</module>")))
                || ["settings.gradle", "settings.gradle.kts"].iter().any(|f| {
                    text_in(ctx, root, f).is_some_and(|t| {
                        let project = rel.replace('/', ":");
                        t.contains(&format!("'{project}'"))
                            || t.contains(&format!("\"{project}\""))
                            || t.contains(&format!("':{project}'"))
                            || t.contains(&format!("\":{project}\""))
                    })
                })
        }
        _ => false,
    }
}

/// Whether the package was there before the change under another manifest
/// (a `pyproject.toml` added beside a `requirements.txt`): with `--base`,
/// the base tree had a package of that language in the folder; with
/// `--staged`, another manifest of the language there is not new.
fn package_existed(input: &AuditInput<'_>, stack: &Stack) -> bool {
    let language = stack.language.id();
    if let Some(before) = input.before {
        return before
            .stacks
            .contains(&(language.to_string(), stack.dir.clone()));
    }
    let changes = input.changes.unwrap_or_default();
    input.ctx.files.iter().any(|f| {
        let (dir, name) = f.path.rsplit_once('/').unwrap_or(("", f.path.as_str()));
        dir == stack.dir
            && f.path != stack.manifest
            && crate::context::stack::manifest_of(name).is_some_and(|(l, _)| l == stack.language)
            && !changes
                .iter()
                .any(|c| c.path == f.path && c.status == ChangeStatus::Added)
    })
}

/// The pipelines' jobs with the steps of the local reusable workflows they call.
fn steps<'c>(ctx: &'c Context, pipelines: &[&'c Pipeline]) -> Vec<&'c Step> {
    let mut out = Vec::new();
    for p in pipelines {
        for job in &p.jobs {
            out.extend(job.steps.iter());
            if let Some(Uses::Local(path)) = &job.calls {
                if let Some(inner) = ctx.pipelines.iter().find(|q| q.path == *path) {
                    out.extend(inner.jobs.iter().flat_map(|j| j.steps.iter()));
                }
            }
        }
    }
    out
}

impl Rule for ChangeCiNotUpdated {
    fn repository(&self, input: &AuditInput<'_>, _out: &mut Findings<'_>) -> Verdict {
        change_repository(input)
    }

    fn change(&self, input: &AuditInput<'_>, change: &Change, out: &mut Findings<'_>) -> Verdict {
        let ctx = input.ctx;
        if change.status != ChangeStatus::Added {
            return Verdict::Skipped;
        }
        let Some(stack) = ctx.stacks.iter().find(|s| s.manifest == change.path) else {
            return Verdict::Skipped;
        };
        if package_existed(input, stack) {
            return Verdict::Checked;
        }
        let pipelines = match ci::on_changes(ctx) {
            Ok(p) => p,
            Err(verdict) => return verdict,
        };
        let language = stack.language.id();
        let covered = steps(ctx, &pipelines).into_iter().any(|step| {
            !step.may_fail
                && step.runs.found.iter().any(|c| {
                    matches!(c.activity, Activity::Build | Activity::Test)
                        && command_language(&c.command) == Some(language)
                        && reaches(ctx, step, stack)
                })
        });
        if covered {
            return Verdict::Checked;
        }
        if let Some(verdict) = ci::undecided(ctx) {
            return verdict;
        }
        let folder = if stack.dir.is_empty() {
            "the repository root".to_string()
        } else {
            stack.dir.clone()
        };
        let paths: Vec<&str> = pipelines.iter().map(|p| p.path.as_str()).collect();
        out.add(format!(
            "the change adds a {language} package in {folder} that no CI job builds or tests"
        ))
        .at_file(&change.path)
        .evidence(format!(
            "{} run on changes; none runs a {language} build or test that reaches {folder}",
            paths.join(", ")
        ))
        .fix(format!(
            "build and test {folder} in CI: a job or matrix entry with `working-directory: {}` running its build and test commands on push and pull_request",
            stack.dir
        ))
        .key(format!("package {}", change.path))
        .emit();
        Verdict::Checked
    }
}
