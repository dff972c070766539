//! deploy-unreviewed-branch: production is reached only from reviewed code
//! (checklist §3.3): the default branch, behind a protected environment.

use crate::audit::ci::{self, event_name, pins, upstream_pins, Deploy, Production};
use crate::audit::finding::Findings;
use crate::audit::rule::{AuditInput, Confidence, Level, Rule, RuleMeta, Verdict};
use crate::model::Location;
use crate::parse::pipeline::{Event, Pipeline, PipelineKind, System, Uses};

crate::declare_rule!(
    DeployUnreviewedBranch,
    RuleMeta {
        id: "deploy-unreviewed-branch",
        section: "3.3",
        level: Level::Error,
        confidence: Confidence::Medium,
        description: "Production deploys only reviewed code: the default branch, behind a protected environment",
        applies: "when a pipeline deploys to production",
        rationale: "Checklist §3.3: avoid deploying unreviewed code to production. A deploy that runs for any branch, a branch pattern anyone can push (`hotfix/*`), a tag (which can point at any commit), a pull request, or a manual run from any branch ships code no reviewer approved.",
        detection: "For each production deploy step (as deploy-not-gated-on-tests finds them), the events that reach it: push branch filters (none: any branch; globs: a pattern), tag pushes, published releases, pull_request and pull_request_target, workflow_dispatch, and workflow_run on a workflow that runs for any branch or for pull requests (a merge queue, `merge_group`, runs reviewed code); narrowed by the deploy job's and the deploy step's `if:` when they pin `github.ref`/`github.ref_name` to one branch or `github.event_name` to some events (and for reusable workflows, by the caller's). GitLab: the job's `rules:`/`only:` (`$CI_DEFAULT_BRANCH` or a literal main/master, `$CI_COMMIT_TAG`, merge request events); a job without them runs for every branch. When only the default branch reaches production, the environment must be protected: GitHub's environment settings are not visible offline, so `approval = true` on that environment in infra.toml counts, and the report says it is declared, not verified; without it the finding is one level lower. A condition the rule cannot read makes it unknown.",
        fix: "deploy production only from the default branch (`on: push: branches: [main]` and `if: github.ref == 'refs/heads/main'`), drop pull-request, tag and manual triggers from the production job or pin them to main, and protect the `production` environment with required reviewers (then set `approval = true` for it in infra.toml)",
        fixed_by_init: false,
        fail_example: "on:\n  push:\n    branches: ['**']\njobs:\n  deploy:\n    environment: production\n    steps: [{run: flyctl deploy}]",
        pass_example: "on:\n  push:\n    branches: [main]\njobs:\n  deploy:\n    environment: production   # approval = true in infra.toml\n    steps: [{run: flyctl deploy}]",
    }
);

const DEFAULT_BRANCHES: [&str; 2] = ["main", "master"];

struct Exposure {
    what: String,
    at: Location,
    key: &'static str,
}

/// Triggers of the pipeline itself or, for a reusable workflow, of its
/// callers (with the caller job's `if:`).
fn entry_points<'c>(
    input: &'c AuditInput<'_>,
    d: &'c Deploy<'c>,
) -> Vec<(&'c Pipeline, Option<&'c str>)> {
    let own_if = d.job.condition.as_ref().map(|c| c.text.as_str());
    if d.pipeline.kind != PipelineKind::Reusable {
        return vec![(d.pipeline, own_if)];
    }
    input
        .ctx
        .pipelines
        .iter()
        .flat_map(|p| p.jobs.iter().map(move |j| (p, j)))
        .filter(|(_, j)| matches!(&j.calls, Some(Uses::Local(path)) if *path == d.pipeline.path))
        .map(|(p, j)| (p, j.condition.as_ref().map(|c| c.text.as_str()).or(own_if)))
        .collect()
}

fn github_exposures(input: &AuditInput<'_>, d: &Deploy<'_>) -> (Vec<Exposure>, Vec<String>) {
    let mut out = Vec::new();
    let mut sources: Vec<String> = Vec::new();
    let step_if = d.job.steps[d.step]
        .condition
        .as_ref()
        .map(|c| c.text.as_str());
    for (p, condition) in entry_points(input, d) {
        let pin = pins(condition)
            .and(pins(step_if))
            .and(upstream_pins(d.pipeline, d.job, 0));
        let pinned_to_default = pin
            .branch
            .as_deref()
            .is_some_and(|b| DEFAULT_BRANCHES.contains(&b));
        for t in &p.triggers {
            let at = t.location.clone();
            if !pin.allows(event_name(&t.event)) {
                continue;
            }
            match &t.event {
                Event::Push {
                    branches: Some(b), ..
                } if !pin.tags_only => {
                    if let Some(branch) = &pin.branch {
                        sources.push(branch.clone());
                    } else {
                        sources.extend(b.include.iter().cloned());
                    }
                }
                Event::WorkflowRun { branches, .. } => {
                    sources.extend(branches.include.iter().cloned())
                }
                Event::Other(name) if name == "merge_group" => sources.push("(merge queue)".into()),
                _ => {}
            }
            match &t.event {
                Event::Push { branches, tags } => {
                    if let Some(b) = branches {
                        if !pinned_to_default && !pin.tags_only {
                            if b.include.is_empty() {
                                out.push(Exposure {
                                    what: "a push to any branch".into(),
                                    at: at.clone(),
                                    key: "any-branch",
                                });
                            } else if let Some(glob) = b
                                .include
                                .iter()
                                .find(|g| g.contains('*') || g.contains('?'))
                            {
                                out.push(Exposure {
                                    what: format!("a push to any branch matching `{glob}`"),
                                    at: at.clone(),
                                    key: "branch-pattern",
                                });
                            }
                        }
                    }
                    if tags.is_some() && pin.branch.is_none() {
                        out.push(Exposure {
                            what: "a tag push (a tag can point at any commit, reviewed or not)"
                                .into(),
                            at,
                            key: "tag",
                        });
                    }
                }
                Event::Release if pin.branch.is_none() => {
                    out.push(Exposure {
                        what:
                            "a published release (its tag can point at any commit, reviewed or not)"
                                .into(),
                        at,
                        key: "release",
                    });
                }
                Event::PullRequest { .. } | Event::PullRequestTarget { .. }
                    if pin.branch.is_none() =>
                {
                    out.push(Exposure {
                        what: "a pull request (its code is not merged, let alone reviewed)".into(),
                        at,
                        key: "pull-request",
                    });
                }
                Event::WorkflowDispatch if pin.branch.is_none() => {
                    out.push(Exposure {
                        what: "a manual run (workflow_dispatch) from any branch".into(),
                        at,
                        key: "dispatch",
                    });
                }
                Event::WorkflowRun { branches, .. }
                    if branches.include.is_empty()
                        && !condition.is_some_and(|c| c.contains("head_branch")) =>
                {
                    out.push(Exposure {
                        what: "a run of the workflow it follows on any branch or pull request (workflow_run without `branches:`)".into(),
                        at,
                        key: "workflow-run",
                    });
                }
                _ => {}
            }
        }
    }
    sources.sort();
    sources.dedup();
    (out, sources)
}

/// Where the deploy is reached from, for the message: the default branch,
/// or the branches the triggers name.
fn from_where(sources: &[String]) -> String {
    let named: Vec<&String> = sources
        .iter()
        .filter(|b| !DEFAULT_BRANCHES.contains(&b.as_str()) && *b != "(merge queue)")
        .collect();
    let queue = sources.iter().any(|b| b == "(merge queue)");
    match (named.as_slice(), queue) {
        ([], false) => "the default branch".into(),
        ([], true) => "the merge queue".into(),
        ([one], _) => format!("branch `{one}`"),
        (many, _) => format!(
            "branches {}",
            many.iter()
                .map(|b| format!("`{b}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

enum GitlabReach {
    Exposures(Vec<Exposure>),
    Unknown(String),
}

fn gitlab_exposures(d: &Deploy<'_>) -> GitlabReach {
    let job = d.job;
    let mut out = Vec::new();
    let active: Vec<_> = job
        .rules
        .iter()
        .filter(|c| !c.text.contains("when: never") && !c.text.starts_with("except:"))
        .collect();
    if active.is_empty() {
        out.push(Exposure {
            what: "a push to any branch (the job has no `rules:` or `only:`)".into(),
            at: job.location.clone(),
            key: "any-branch",
        });
        return GitlabReach::Exposures(out);
    }
    for c in active {
        let t = c.text.replace('\'', "\"");
        let default = t.contains("CI_DEFAULT_BRANCH")
            || DEFAULT_BRANCHES
                .iter()
                .any(|b| t.contains(&format!("== \"{b}\"")) || t == format!("only: {b}"));
        if t.contains("CI_COMMIT_TAG") || t == "only: tags" {
            out.push(Exposure {
                what: "a tag (a tag can point at any commit, reviewed or not)".into(),
                at: c.location.clone(),
                key: "tag",
            });
        } else if t.contains("merge_request") {
            out.push(Exposure {
                what: "a merge request pipeline".into(),
                at: c.location.clone(),
                key: "pull-request",
            });
        } else if t == "always" || t == "only: branches" {
            out.push(Exposure {
                what: "a push to any branch".into(),
                at: c.location.clone(),
                key: "any-branch",
            });
        } else if !default {
            return GitlabReach::Unknown(format!(
                "job `{}` runs under a condition infra cannot read ({})",
                job.id, c.text
            ));
        }
    }
    GitlabReach::Exposures(out)
}

impl Rule for DeployUnreviewedBranch {
    fn repository(&self, input: &AuditInput<'_>, out: &mut Findings<'_>) -> Verdict {
        let ctx = input.ctx;
        let deploys: Vec<Deploy<'_>> = ci::deploys(ctx)
            .into_iter()
            .filter(|d| !d.rollback && d.production == Production::Yes)
            .collect();
        if deploys.is_empty() {
            return Verdict::NotApplicable("no pipeline deploys to production".into());
        }
        let approved = |env: &str| ci::approval_declared(input.answers, env);
        let mut unknown = None;
        let mut declared: Vec<String> = Vec::new();
        let mut seen = std::collections::BTreeSet::new();
        for d in &deploys {
            // One verdict per job: its first production deploy step.
            if !seen.insert((d.pipeline.path.as_str(), d.job.id.as_str())) {
                continue;
            }
            let (exposures, sources) = match d.pipeline.system {
                System::GithubActions => github_exposures(input, d),
                System::GitlabCi => match gitlab_exposures(d) {
                    GitlabReach::Exposures(e) => (e, Vec::new()),
                    GitlabReach::Unknown(why) => {
                        unknown.get_or_insert(why);
                        continue;
                    }
                },
            };
            let what = format!("`{}` in job `{}`", d.command.command, d.job.id);
            for e in &exposures {
                out.add(format!("{what} deploys to production on {}", e.what))
                    .at(d.location())
                    .related(e.at.clone(), "reached from here")
                    .key(format!("{} {} {}", d.pipeline.path, d.job.id, e.key))
                    .emit();
            }
            if !exposures.is_empty() {
                continue;
            }
            let env = d
                .job
                .environment
                .as_ref()
                .and_then(|e| e.name.literal().map(str::to_string));
            match env {
                Some(env) if approved(&env) => declared.push(format!(
                    "infra.toml says environment `{env}` requires approval"
                )),
                Some(env) => {
                    out.add(format!(
                        "{what} deploys to production from {}, but nothing says environment `{env}` requires a reviewer (GitHub/GitLab settings are not visible offline)",
                        from_where(&sources)
                    ))
                    .at(d.location())
                    .fix(format!(
                        "require reviewers for the `{env}` environment in the repository settings, then record it in infra.toml (`[[environments]] name = \"{env}\"` with `approval = true`); the audit will say it is declared"
                    ))
                    .key(format!("{} {} unprotected", d.pipeline.path, d.job.id))
                    .demoted()
                    .emit();
                }
                None => {
                    out.add(format!(
                        "{what} deploys to production without a GitHub/GitLab environment, so no environment protection (required reviewers, a branch policy) can stop it"
                    ))
                    .at(d.location())
                    .related(d.job.location.clone(), "the deploy job")
                    .fix("add `environment: production` to the deploy job and require reviewers for it")
                    .key(format!("{} {} no-environment", d.pipeline.path, d.job.id))
                    .demoted()
                    .emit();
                }
            }
        }
        if let Some(why) = unknown {
            if out.is_empty() {
                return Verdict::Unknown(why);
            }
        }
        declared.dedup();
        if declared.is_empty() {
            Verdict::Checked
        } else {
            Verdict::Declared(declared.join("; "))
        }
    }
}
