//! What the pipelines prove, for the §3 rules: which jobs run on changes,
//! which run tests, lint and builds, where production deploys happen, and
//! whether a passing test stands between a change and each production
//! deploy. Undecidable cases (an expression, a reusable workflow from
//! another repository, an unfollowed `npm run x`) come back as `Unknown`
//! with the reason, never as a pass.

use crate::context::Context;
use crate::model::{canonical_environment, Location};
use crate::parse::pipeline::commands::{Activity, Classified};
use crate::parse::pipeline::{Event, Job, Needs, Pipeline, PipelineKind, System, Uses, Value};

/// Pipelines that run on their own (workflows and GitLab CI), not the
/// composite actions and reusable workflows they call.
pub fn top_level(ctx: &Context) -> impl Iterator<Item = &Pipeline> {
    ctx.pipelines
        .iter()
        .filter(|p| p.kind == PipelineKind::Workflow)
}

/// Whether a pipeline runs on changes: a push or a pull/merge request.
pub fn runs_on_changes(p: &Pipeline) -> bool {
    p.triggers.iter().any(|t| {
        matches!(
            t.event,
            Event::Push { .. }
                | Event::PullRequest { .. }
                | Event::PullRequestTarget { .. }
                | Event::MergeRequest
        )
    })
}

/// The pipelines that run on changes, for the rules that judge CI as a
/// whole; `Err` is the verdict when there are none (ci-missing reports it).
pub fn on_changes(ctx: &Context) -> Result<Vec<&Pipeline>, crate::audit::rule::Verdict> {
    let found: Vec<&Pipeline> = top_level(ctx).filter(|p| runs_on_changes(p)).collect();
    if found.is_empty() {
        return Err(crate::audit::rule::Verdict::NotApplicable(
            "no CI pipeline runs on changes (ci-missing reports it)".into(),
        ));
    }
    Ok(found)
}

/// Why a CI-wide rule cannot conclude "missing": a runner call it could not
/// follow, or CI on a system infra does not read.
pub fn undecided(ctx: &Context) -> Option<crate::audit::rule::Verdict> {
    use crate::audit::rule::Verdict;
    if let Some((at, why)) = unresolved(ctx).into_iter().next() {
        return Some(Verdict::Unknown(format!("{why} ({}:{})", at.path, at.line)));
    }
    ctx.other_ci.first().map(|(path, system)| {
        Verdict::Unknown(format!(
            "CI also runs on {system} ({path}), which infra does not read"
        ))
    })
}

/// A local reusable workflow a job calls.
fn called<'c>(ctx: &'c Context, job: &Job) -> Option<&'c Pipeline> {
    match &job.calls {
        Some(Uses::Local(path)) => ctx.pipelines.iter().find(|p| p.path == *path),
        _ => None,
    }
}

/// Every classified command of a job, including the jobs of a local
/// reusable workflow it calls (one level, as GitHub nests them).
pub fn job_commands<'c>(ctx: &'c Context, job: &'c Job) -> Vec<&'c Classified> {
    let mut out: Vec<&Classified> = job
        .steps
        .iter()
        .filter(|s| !s.may_fail)
        .flat_map(|s| s.runs.found.iter())
        .collect();
    if let Some(inner) = called(ctx, job) {
        for j in &inner.jobs {
            out.extend(
                j.steps
                    .iter()
                    .filter(|s| !s.may_fail)
                    .flat_map(|s| s.runs.found.iter()),
            );
        }
    }
    out
}

pub fn job_does(ctx: &Context, job: &Job, activity: Activity) -> bool {
    job_commands(ctx, job)
        .iter()
        .any(|c| c.activity == activity)
}

/// The first step of a job that does `activity`, for locations.
pub fn first_step_doing(job: &Job, activity: Activity) -> Option<Location> {
    job.steps.iter().find_map(|s| {
        s.runs
            .found
            .iter()
            .find(|c| c.activity == activity)
            .map(|c| Location::new(s.location.path.clone(), c.line, s.location.column))
    })
}

/// The pipeline a finding about CI as a whole points at: the one that
/// already does the most (tests, builds), else the first.
pub fn main_pipeline<'c>(ctx: &'c Context, on_changes: &[&'c Pipeline]) -> &'c Pipeline {
    on_changes
        .iter()
        .copied()
        .max_by_key(|p| {
            let jobs = &p.jobs;
            let score = |a| jobs.iter().filter(|j| job_does(ctx, j, a)).count();
            (
                score(Activity::Test) * 2 + score(Activity::Build),
                std::cmp::Reverse(p.path.clone()),
            )
        })
        .unwrap_or(on_changes[0])
}

/// Runner calls the model could not follow in jobs that run on changes.
pub fn unresolved(ctx: &Context) -> Vec<(Location, String)> {
    let mut out = Vec::new();
    for p in top_level(ctx).filter(|p| runs_on_changes(p)) {
        for job in &p.jobs {
            for step in &job.steps {
                for u in &step.runs.unknown {
                    out.push((
                        Location::new(step.location.path.clone(), u.line, step.location.column),
                        u.reason.clone(),
                    ));
                }
            }
            if let Some(Uses::Remote(r)) = &job.calls {
                out.push((
                    job.location.clone(),
                    format!("job `{}` calls the reusable workflow {r} from another repository, which infra cannot read", job.id),
                ));
            }
        }
    }
    out
}

/// Whether a deploy is to production, as far as the file says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Production {
    Yes,
    No,
    Unknown(String),
}

#[derive(Debug, Clone)]
pub struct Deploy<'c> {
    pub pipeline: &'c Pipeline,
    pub job: &'c Job,
    /// Index of the step that deploys.
    pub step: usize,
    pub command: &'c Classified,
    pub production: Production,
    /// Puts a previously deployed version back (`helm rollback`, a job or
    /// workflow named rollback): it ships nothing untested, so test gating
    /// does not apply.
    pub rollback: bool,
}

fn is_rollback(p: &Pipeline, job: &Job, command: &Classified) -> bool {
    let words = format!(
        "{} {} {} {} {}",
        command.command,
        job.id,
        job.name.as_deref().unwrap_or(""),
        p.name.as_deref().unwrap_or(""),
        p.path
    )
    .to_lowercase();
    [
        "rollback",
        "roll-back",
        "roll back",
        "rollout undo",
        "revert",
    ]
    .iter()
    .any(|w| words.contains(w))
}

/// An upload to object storage that a workflow, job or step names a backup
/// or an archive: it keeps a copy, it does not ship the application.
fn is_backup(
    p: &Pipeline,
    job: &Job,
    step: &crate::parse::pipeline::Step,
    command: &Classified,
) -> bool {
    if !command.command.starts_with("aws s3") {
        return false;
    }
    let words = format!(
        "{} {} {} {} {}",
        p.name.as_deref().unwrap_or(""),
        p.path,
        job.id,
        job.name.as_deref().unwrap_or(""),
        step.name.as_deref().unwrap_or("")
    )
    .to_lowercase();
    ["backup", "back-up", "archive", "snapshot"]
        .iter()
        .any(|w| words.contains(w))
}

impl Deploy<'_> {
    /// A deploy to a cluster the job itself creates (kind, minikube, k3d):
    /// an end-to-end test that ships nowhere.
    pub fn throwaway(&self) -> bool {
        self.command.target == Some(crate::parse::pipeline::commands::Target::Kubernetes)
            && throwaway_cluster(self.job)
    }

    pub fn location(&self) -> Location {
        let s = &self.job.steps[self.step];
        Location::new(
            s.location.path.clone(),
            self.command.line,
            s.location.column,
        )
    }
}

/// Whether the job creates the cluster it deploys to (kind, minikube, k3d):
/// an end-to-end test, not a deploy anyone uses.
fn throwaway_cluster(job: &Job) -> bool {
    job.steps.iter().any(|s| {
        let action = s
            .uses
            .as_ref()
            .map(|u| u.text().to_ascii_lowercase())
            .unwrap_or_default();
        let run = s.run.as_ref().map(|r| r.text.as_str()).unwrap_or("");
        [
            "helm/kind-action",
            "engineerd/setup-kind",
            "medyagh/setup-minikube",
            "absaoss/k3d-action",
            "nolar/setup-k3d-k3s",
            "debianmaintainers/setup-k3s",
        ]
        .iter()
        .any(|a| action.starts_with(a))
            || [
                "kind create cluster",
                "minikube start",
                "k3d cluster create",
                "ctlptl create",
            ]
            .iter()
            .any(|c| run.contains(c))
    })
}

fn marks_production(command: &Classified) -> bool {
    matches!(
        command.target,
        Some(crate::parse::pipeline::commands::Target::Vercel)
            | Some(crate::parse::pipeline::commands::Target::Netlify)
    )
}

fn production_of(
    p: &Pipeline,
    job: &Job,
    step: &crate::parse::pipeline::Step,
    command: &Classified,
) -> Production {
    if command.target == Some(crate::parse::pipeline::commands::Target::Kubernetes)
        && throwaway_cluster(job)
    {
        return Production::No;
    }
    match job.environment.as_ref().map(|e| &e.name) {
        Some(Value::Literal(name)) => match canonical_environment(name) {
            Some("production") => Production::Yes,
            Some(_) => Production::No,
            // An environment of the project's own naming.
            None if name.to_ascii_lowercase().contains("prod") => Production::Yes,
            None => Production::No,
        },
        // Only Vercel and Netlify mark production on the command line.
        Some(Value::Dynamic(expr)) => {
            if command.production && marks_production(command) {
                Production::Yes
            } else {
                Production::Unknown(format!(
                    "job `{}` picks its environment at run time ({expr})",
                    job.id
                ))
            }
        }
        None => {
            let split = |text: &str| -> Vec<String> {
                text.to_lowercase()
                    .split(|c: char| !c.is_alphanumeric())
                    .filter(|w| !w.is_empty())
                    .map(str::to_string)
                    .collect()
            };
            let job_words = split(&format!("{} {}", job.id, job.name.as_deref().unwrap_or("")));
            let preview = ["preview", "staging", "stage", "dev", "review", "test"]
                .iter()
                .any(|w| job_words.iter().any(|p| p == w));
            // Then the workflow's name and file (`staging-deploy.yml`), when
            // they name no production too; "test" is left out there, as
            // "Test and deploy" names a pipeline, not an environment.
            let file = p.path.rsplit('/').next().unwrap_or(&p.path);
            let workflow_words = split(&format!("{} {file}", p.name.as_deref().unwrap_or("")));
            let workflow_preview = ["preview", "staging", "stage", "review"]
                .iter()
                .any(|w| workflow_words.iter().any(|p| p == w))
                && !workflow_words
                    .iter()
                    .any(|w| w.starts_with("prod") || w == "live");
            // The folder the step deploys from (`working-directory:
            // terraform/staging`, `terraform -chdir=infra/dev apply`).
            let chdir = command
                .command
                .split_whitespace()
                .find_map(|w| w.strip_prefix("-chdir="))
                .unwrap_or("");
            let dir_words = split(&format!(
                "{} {chdir}",
                step.working_directory.as_deref().unwrap_or("")
            ));
            let dir_preview = dir_words.iter().any(|w| {
                [
                    "staging", "stage", "dev", "preview", "review", "test", "qa", "sandbox",
                ]
                .contains(&w.as_str())
            }) && !dir_words
                .iter()
                .any(|w| w.starts_with("prod") || w == "live");
            let preview = preview || workflow_preview || dir_preview;
            if preview || (marks_production(command) && !command.production) {
                Production::No
            } else {
                Production::Yes
            }
        }
    }
}

/// Every deploy step in the pipelines that run on their own and in the
/// reusable workflows and composite actions they call.
pub fn deploys(ctx: &Context) -> Vec<Deploy<'_>> {
    let mut out = Vec::new();
    for p in ctx
        .pipelines
        .iter()
        .filter(|p| p.kind != PipelineKind::CompositeAction)
    {
        for job in &p.jobs {
            for (i, step) in job.steps.iter().enumerate() {
                if let Some(c) = step
                    .runs
                    .found
                    .iter()
                    .find(|c| c.activity == Activity::Deploy && !is_backup(p, job, step, c))
                {
                    out.push(Deploy {
                        pipeline: p,
                        job,
                        step: i,
                        command: c,
                        production: production_of(p, job, step, c),
                        rollback: is_rollback(p, job, c),
                    });
                }
            }
        }
    }
    out
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Gate {
    /// A test that must pass runs first; the location proves it.
    Gated(Location),
    NotGated(String),
    Unknown(String),
}

pub fn condition_overrides_failure(job: &Job) -> bool {
    job.condition.as_ref().is_some_and(|c| {
        let t = c.text.replace(' ', "");
        t.contains("always()") || t.contains("!cancelled()") || t.contains("failure()")
    })
}

/// The jobs `job` waits for, transitively, in its own pipeline.
fn needs_closure<'p>(p: &'p Pipeline, job: &Job) -> Result<Vec<&'p Job>, String> {
    let mut out: Vec<&Job> = Vec::new();
    let mut queue: Vec<String> = match &job.needs {
        Needs::List(n) => n.clone(),
        Needs::Unset => Vec::new(),
    };
    while let Some(id) = queue.pop() {
        if out.iter().any(|j| j.id == id) {
            continue;
        }
        match p.jobs.iter().find(|j| j.id == id) {
            Some(j) => {
                if let Needs::List(n) = &j.needs {
                    queue.extend(n.iter().cloned());
                }
                out.push(j);
            }
            None => {
                return Err(format!(
                    "job `{}` needs `{id}`, which this file does not define",
                    job.id
                ))
            }
        }
    }
    Ok(out)
}

/// GitLab: the jobs of earlier stages, which must pass first when `needs`
/// is unset.
fn earlier_stages<'p>(p: &'p Pipeline, job: &Job) -> Vec<&'p Job> {
    let rank = |j: &Job| {
        j.stage
            .as_deref()
            .and_then(|s| p.stages.iter().position(|x| x == s))
            .unwrap_or(usize::MAX)
    };
    let mine = rank(job);
    p.jobs.iter().filter(|j| rank(j) < mine).collect()
}

fn tests_in(ctx: &Context, jobs: &[&Job]) -> Option<Location> {
    jobs.iter().find_map(|j| {
        if j.steps.iter().all(|s| s.may_fail) && !j.steps.is_empty() {
            return None;
        }
        if job_does(ctx, j, Activity::Test) {
            first_step_doing(j, Activity::Test).or_else(|| Some(j.location.clone()))
        } else {
            None
        }
    })
}

/// Whether a passing test gates `deploy`.
pub fn gate(ctx: &Context, deploy: &Deploy<'_>) -> Gate {
    let job = deploy.job;
    // Earlier in the same step (`make release` whose prerequisite tests).
    let own = &job.steps[deploy.step];
    if let Some(c) = own
        .runs
        .found
        .iter()
        .take_while(|c| !std::ptr::eq(*c, deploy.command))
        .find(|c| c.activity == Activity::Test)
    {
        if !own.may_fail {
            return Gate::Gated(Location::new(
                own.location.path.clone(),
                c.line,
                own.location.column,
            ));
        }
    }
    // An earlier step of the same job.
    for step in &job.steps[..deploy.step] {
        if !step.may_fail {
            if let Some(c) = step
                .runs
                .found
                .iter()
                .find(|c| c.activity == Activity::Test)
            {
                return Gate::Gated(Location::new(
                    step.location.path.clone(),
                    c.line,
                    step.location.column,
                ));
            }
        }
    }
    let p = deploy.pipeline;
    let upstream: Vec<&Job> = match (p.system, &job.needs) {
        (System::GitlabCi, Needs::Unset) => earlier_stages(p, job),
        _ => match needs_closure(p, job) {
            Ok(j) => j,
            Err(why) => return Gate::Unknown(why),
        },
    };
    if let Some(at) = tests_in(ctx, &upstream) {
        if p.system == System::GithubActions && condition_overrides_failure(job) {
            return Gate::NotGated(format!(
                "job `{}` waits for the tests but its `if:` ({}) runs it even when they fail",
                job.id,
                job.condition
                    .as_ref()
                    .map(|c| c.text.as_str())
                    .unwrap_or("")
            ));
        }
        return Gate::Gated(at);
    }
    if let Some(j) = upstream
        .iter()
        .find(|j| matches!(j.calls, Some(Uses::Remote(_))))
    {
        return Gate::Unknown(format!(
            "job `{}` waits for `{}`, which calls a workflow from another repository",
            job.id, j.id
        ));
    }
    // A reusable workflow: gated when every caller's job is.
    if p.kind == PipelineKind::Reusable {
        let callers: Vec<(&Pipeline, &Job)> = ctx
            .pipelines
            .iter()
            .flat_map(|c| c.jobs.iter().map(move |j| (c, j)))
            .filter(|(_, j)| matches!(&j.calls, Some(Uses::Local(path)) if *path == p.path))
            .collect();
        if callers.is_empty() {
            return Gate::Unknown(format!(
                "{} is a reusable workflow no workflow of this repository calls",
                p.path
            ));
        }
        for (cp, cj) in &callers {
            let closure = match needs_closure(cp, cj) {
                Ok(c) => c,
                Err(why) => return Gate::Unknown(why),
            };
            if tests_in(ctx, &closure).is_none() {
                return Gate::NotGated(format!(
                    "{} calls this workflow from job `{}` without a test job before it",
                    cp.path, cj.id
                ));
            }
        }
        return Gate::Gated(callers[0].1.location.clone());
    }
    // After another workflow: only a success check on its conclusion gates.
    let after: Vec<&Vec<String>> = p
        .triggers
        .iter()
        .filter_map(|t| match &t.event {
            Event::WorkflowRun { workflows, .. } => Some(workflows),
            _ => None,
        })
        .collect();
    if !after.is_empty() {
        let checks = std::iter::once(job)
            .chain(upstream.iter().copied())
            .filter_map(|j| j.condition.as_ref())
            .any(|c| {
                let t = c.text.replace(' ', "");
                t.contains("workflow_run.conclusion=='success'")
                    || t.contains("workflow_run.conclusion==\"success\"")
            });
        let names: Vec<&String> = after.iter().flat_map(|w| w.iter()).collect();
        let tested = names.iter().all(|name| {
            ctx.pipelines
                .iter()
                .filter(|w| {
                    w.name.as_deref() == Some(name.as_str())
                        || w.path.ends_with(&format!("/{name}"))
                })
                .any(|w| w.jobs.iter().any(|j| job_does(ctx, j, Activity::Test)))
        });
        return match (checks, tested) {
            (true, true) => Gate::Gated(
                job.condition
                    .as_ref()
                    .map(|c| c.location.clone())
                    .unwrap_or_else(|| job.location.clone()),
            ),
            (false, _) => Gate::NotGated(format!(
                "{} runs after {} completes, but no `if:` checks `github.event.workflow_run.conclusion == 'success'`, so it deploys when the tests fail",
                p.path,
                names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")
            )),
            (true, false) => Gate::NotGated(format!(
                "{} runs after {}, which runs no tests",
                p.path,
                names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")
            )),
        };
    }
    let unknown: Vec<String> = std::iter::once(job)
        .chain(upstream.iter().copied())
        .flat_map(|j| {
            j.steps
                .iter()
                .flat_map(|s| s.runs.unknown.iter().map(|u| u.reason.clone()))
        })
        .collect();
    if let Some(why) = unknown.first() {
        return Gate::Unknown(why.clone());
    }
    let why = match (p.system, &job.needs) {
        (System::GitlabCi, Needs::List(n)) if n.is_empty() => format!(
            "job `{}` has `needs: []`, so it starts before any test job",
            job.id
        ),
        (System::GitlabCi, _) => format!(
            "no job before `{}` (by stage or `needs`) runs tests",
            job.id
        ),
        (_, Needs::Unset) => format!(
            "job `{}` has no `needs:` on a test job and runs no tests itself",
            job.id
        ),
        (_, Needs::List(n)) => format!(
            "none of the jobs `{}` waits for ({}) runs tests",
            job.id,
            n.join(", ")
        ),
    };
    Gate::NotGated(why)
}

/// What a job's or step's `if:` pins (GitHub).
#[derive(Default)]
pub struct Pins {
    pub branch: Option<String>,
    /// The events `github.event_name == '…'` allows; `None`: any.
    pub events: Option<Vec<String>>,
    pub tags_only: bool,
}

impl Pins {
    pub fn allows(&self, event: &str) -> bool {
        self.events
            .as_ref()
            .is_none_or(|e| e.iter().any(|x| x == event))
    }

    /// Both conditions hold: the job's and the deploy step's.
    pub fn and(self, other: Pins) -> Pins {
        let events = match (self.events, other.events) {
            (Some(a), Some(b)) => Some(a.into_iter().filter(|e| b.contains(e)).collect()),
            (a, b) => a.or(b),
        };
        Pins {
            branch: self.branch.or(other.branch),
            events,
            tags_only: self.tags_only || other.tags_only,
        }
    }
}

pub fn pins(condition: Option<&str>) -> Pins {
    let mut p = Pins::default();
    let Some(text) = condition else { return p };
    let t = text.replace(' ', "").replace('"', "'");
    for prefix in ["github.ref=='refs/heads/", "github.ref_name=='"] {
        if let Some(rest) = t.split(prefix).nth(1) {
            p.branch = rest.split('\'').next().map(str::to_string);
        }
    }
    // `github.event_name == 'a' || github.event_name == 'b'`: the events it
    // allows. A negation (`!=`) says what it excludes, which is not read.
    if !t.contains("github.event_name!=") && !t.contains("!(github.event_name") {
        let events: Vec<String> = t
            .split("github.event_name=='")
            .skip(1)
            .filter_map(|rest| rest.split('\'').next().map(str::to_string))
            .collect();
        if !events.is_empty() {
            p.events = Some(events);
        }
    }
    p.tags_only = t.contains("startsWith(github.ref,'refs/tags/')");
    p
}

/// What the jobs a job waits for pin: a job whose `needs:` was skipped is
/// skipped too, unless its `if:` overrides that (`always()`,
/// `!cancelled()`, `failure()`), so their conditions hold for it as well.
pub fn upstream_pins(p: &Pipeline, job: &Job, depth: usize) -> Pins {
    let mut pin = Pins::default();
    if depth > 16 || condition_overrides_failure(job) {
        return pin;
    }
    if let Needs::List(needs) = &job.needs {
        for id in needs {
            if let Some(up) = p.jobs.iter().find(|j| j.id == *id) {
                pin = pin
                    .and(pins(up.condition.as_ref().map(|c| c.text.as_str())))
                    .and(upstream_pins(p, up, depth + 1));
            }
        }
    }
    pin
}

/// Whether infra.toml declares environment `env` (or one of the same
/// canonical name: `prod` for `production`) with `approval = true`. What
/// GitHub's settings enforce is not visible offline; this is what the
/// project says.
pub fn approval_declared(answers: Option<&crate::answers::InfraToml>, env: &str) -> bool {
    answers
        .and_then(|a| a.environments.as_ref())
        .is_some_and(|envs| {
            envs.iter().any(|e| {
                e.approval == Some(true)
                    && (e.name == env
                        || canonical_environment(&e.name).is_some()
                            && canonical_environment(&e.name) == canonical_environment(env))
            })
        })
}

/// The name `github.event_name` has for an event.
pub fn event_name(e: &Event) -> &str {
    match e {
        Event::Push { .. } => "push",
        Event::PullRequest { .. } => "pull_request",
        Event::PullRequestTarget { .. } => "pull_request_target",
        Event::WorkflowRun { .. } => "workflow_run",
        Event::WorkflowDispatch => "workflow_dispatch",
        Event::WorkflowCall => "workflow_call",
        Event::Schedule => "schedule",
        Event::Release => "release",
        Event::MergeRequest => "merge_request_event",
        Event::Other(name) => name,
    }
}

/// A ref that reaches a deploy, for the branch → environment map.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum DeployRef {
    /// A branch name or glob; `**` is any branch; `$CI_DEFAULT_BRANCH` is
    /// GitLab's default branch.
    Branch(String),
    /// A tag pattern; `*` is any tag.
    Tag(String),
    /// A published GitHub release (its tag).
    Release,
}

impl DeployRef {
    pub fn describe(&self) -> String {
        match self {
            DeployRef::Branch(b) if b == "**" => "any branch".into(),
            DeployRef::Branch(b) if b == "$CI_DEFAULT_BRANCH" => "the default branch".into(),
            DeployRef::Branch(b) => format!("branch `{b}`"),
            DeployRef::Tag(t) if t == "*" => "any tag".into(),
            DeployRef::Tag(t) => format!("tags `{t}`"),
            DeployRef::Release => "published releases".into(),
        }
    }
}

/// The environment a deploy goes to, as the branch → environment map names
/// it (`prod` is production): `Ok(None)` when the job names none and the
/// deploy is not a production one, `Err` when the name is left to run time.
pub fn environment_of(d: &Deploy<'_>) -> Result<Option<String>, String> {
    match d.job.environment.as_ref().map(|e| &e.name) {
        Some(Value::Literal(name)) => Ok(Some(
            canonical_environment(name)
                .map(str::to_string)
                .unwrap_or_else(|| name.to_ascii_lowercase()),
        )),
        Some(Value::Dynamic(expr)) => Err(format!(
            "job `{}` picks its environment at run time ({expr})",
            d.job.id
        )),
        None => Ok((d.production == Production::Yes).then(|| "production".to_string())),
    }
}

/// The branches, tags and releases that reach a deploy through push-like
/// triggers (pull requests, manual runs and schedules name no branch of
/// the map; deploy-unreviewed-branch judges them), narrowed by the `if:` of
/// the job, of the deploy step and of the jobs it needs. GitLab: the job's
/// `rules:`/`only:`; `Err` when one is not readable.
pub fn deploy_refs(ctx: &Context, d: &Deploy<'_>) -> Result<Vec<DeployRef>, String> {
    let mut out = match d.pipeline.system {
        System::GithubActions => github_refs(ctx, d),
        System::GitlabCi => gitlab_refs(d)?,
    };
    out.sort();
    out.dedup();
    Ok(out)
}

fn github_refs(ctx: &Context, d: &Deploy<'_>) -> Vec<DeployRef> {
    let own_if = d.job.condition.as_ref().map(|c| c.text.as_str());
    let step_if = d.job.steps[d.step]
        .condition
        .as_ref()
        .map(|c| c.text.as_str());
    // A reusable workflow is reached through its callers' triggers.
    let entries: Vec<(&Pipeline, Option<&str>)> = if d.pipeline.kind == PipelineKind::Reusable {
        ctx.pipelines
            .iter()
            .flat_map(|p| p.jobs.iter().map(move |j| (p, j)))
            .filter(
                |(_, j)| matches!(&j.calls, Some(Uses::Local(path)) if *path == d.pipeline.path),
            )
            .map(|(p, j)| (p, j.condition.as_ref().map(|c| c.text.as_str())))
            .collect()
    } else {
        vec![(d.pipeline, None)]
    };
    let mut out = Vec::new();
    for (p, caller_if) in entries {
        let pin = pins(own_if)
            .and(pins(caller_if))
            .and(pins(step_if))
            .and(upstream_pins(d.pipeline, d.job, 0));
        for t in &p.triggers {
            if !pin.allows(event_name(&t.event)) {
                continue;
            }
            match &t.event {
                Event::Push { branches, tags } => {
                    if let (Some(b), false) = (branches, pin.tags_only) {
                        match &pin.branch {
                            Some(x) if b.matches(x) => out.push(DeployRef::Branch(x.clone())),
                            Some(_) => {}
                            None if b.include.is_empty() => {
                                out.push(DeployRef::Branch("**".into()))
                            }
                            None => out.extend(b.include.iter().cloned().map(DeployRef::Branch)),
                        }
                    }
                    if let (Some(tags), None) = (tags, &pin.branch) {
                        if tags.include.is_empty() {
                            out.push(DeployRef::Tag("*".into()));
                        } else {
                            out.extend(tags.include.iter().cloned().map(DeployRef::Tag));
                        }
                    }
                }
                Event::Release if pin.branch.is_none() => out.push(DeployRef::Release),
                Event::WorkflowRun { branches, .. } if !pin.tags_only => match &pin.branch {
                    Some(x) => out.push(DeployRef::Branch(x.clone())),
                    None if branches.include.is_empty() => out.push(DeployRef::Branch("**".into())),
                    None => out.extend(branches.include.iter().cloned().map(DeployRef::Branch)),
                },
                _ => {}
            }
        }
    }
    out
}

fn gitlab_refs(d: &Deploy<'_>) -> Result<Vec<DeployRef>, String> {
    let active: Vec<_> = d
        .job
        .rules
        .iter()
        .filter(|c| !c.text.contains("when: never") && !c.text.starts_with("except:"))
        .collect();
    if active.is_empty() {
        return Ok(vec![DeployRef::Branch("**".into())]);
    }
    let mut out = Vec::new();
    for c in active {
        let t = c.text.replace('\'', "\"");
        let compact = t.replace(' ', "");
        let literal = ["$CI_COMMIT_BRANCH==\"", "$CI_COMMIT_REF_NAME==\""]
            .iter()
            .find_map(|p| compact.split(p).nth(1))
            .and_then(|rest| rest.split('"').next())
            .map(str::to_string);
        if t.contains("CI_COMMIT_TAG") || t == "only: tags" {
            out.push(DeployRef::Tag("*".into()));
        } else if compact.contains("==$CI_DEFAULT_BRANCH")
            || compact.contains("CI_DEFAULT_BRANCH==")
        {
            out.push(DeployRef::Branch("$CI_DEFAULT_BRANCH".into()));
        } else if let Some(b) = literal {
            out.push(DeployRef::Branch(b));
        } else if let Some(b) = t.strip_prefix("only: ") {
            match b {
                "branches" => out.push(DeployRef::Branch("**".into())),
                "merge_requests" | "web" | "schedules" | "api" | "triggers" => {}
                b => out.push(DeployRef::Branch(b.trim_matches('/').to_string())),
            }
        } else if t.contains("merge_request") || t.contains("CI_PIPELINE_SOURCE") {
        } else if t == "always" {
            out.push(DeployRef::Branch("**".into()));
        } else {
            return Err(format!(
                "job `{}` runs under a condition infra cannot read ({})",
                d.job.id, c.text
            ));
        }
    }
    Ok(out)
}
