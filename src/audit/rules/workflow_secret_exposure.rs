//! workflow-secret-exposure: CI jobs neither print their secrets nor hand
//! them, or a write token, to code or text from outside (checklist §5.1,
//! with §3's pipelines). Each finding names its cause, which also keys its
//! fingerprint: `echo`, `xtrace`, `template-injection`, `pr-head-checkout`,
//! `permissions`, `env-outside-environment`, `env-not-protected`,
//! `pipe-to-shell`.

use crate::audit::ci::{self, Production};
use crate::audit::finding::Findings;
use crate::audit::rule::{AuditInput, Confidence, Level, Rule, RuleMeta, Verdict};
use crate::context::Context;
use crate::model::{canonical_environment, Location};
use crate::parse::pipeline::commands::{command_words, pipelines};
use crate::parse::pipeline::{
    context_paths, expressions, secret_reads, EnvVar, Job, Permissions, Pipeline, PipelineKind,
    Step, System, Trigger, Uses, Value,
};
use crate::scan::names::is_secret_name;
use std::collections::BTreeSet;

crate::declare_rule!(
    WorkflowSecretExposure,
    RuleMeta {
        id: "workflow-secret-exposure",
        section: "5.1",
        level: Level::Error,
        confidence: Confidence::Medium,
        description: "CI jobs do not print their secrets or hand them, or a write token, to untrusted code or text",
        applies: "when the repository has GitHub Actions workflows or GitLab CI",
        rationale: "Checklist §5.1: secrets come from environment variables and secret stores, and stay there. A CI job is where they are most exposed: a secret printed to the log is readable by everyone who can read the job's logs (masking hides only the exact value, not a part or an encoding of it); a pull request title pasted into a `run:` script is code its author chose; a `pull_request_target` or `workflow_run` job that checks out the pull request's code runs that code with the base repository's secrets and token; a deploy workflow without `permissions:` gets whatever the repository's default token allows; a deploy secret outside a protected environment is readable by any workflow on any branch; and `curl … | sh` runs whatever that server sends with the job's secrets in reach.",
        detection: "GitHub Actions, per job (local reusable workflows take the events of the workflows that call them): `echo`/`printf` whose output reaches the log (not piped, not redirected to a file) of `${{ secrets.X }}` or of a variable set from `secrets.*` in the step's, job's or workflow's `env:` (cause `echo`), and `set -x` in a step that holds such a variable (`xtrace`); `${{ }}` of text an outsider writes (pull request title, body and head branch, `github.head_ref`, issue and comment bodies, review bodies, discussion text, wiki page names, commit messages and authors, `workflow_run` head branch and commit) in `run:` or in `actions/github-script`'s `script:`, only when the workflow runs on an event that carries that text (`template-injection`); a `pull_request_target`, `workflow_run` or `issue_comment` workflow that checks out the pull request's head (`actions/checkout` with `ref:` of the head sha or branch, `github.head_ref`, the workflow run's head, `refs/pull/…`, or `gh pr checkout`) in a job that reads a secret other than `GITHUB_TOKEN`, has a write permission, or sets no `permissions:` (`pr-head-checkout`); a deploying job (as deploy-not-gated-on-tests finds deploys, less those to a cluster the job creates) with `permissions: write-all`, or with none at job or workflow level, one level lower (`permissions`); a deploying job that reads secrets other than `GITHUB_TOKEN` without an `environment:`, one level lower (`env-outside-environment`), or in a production environment that infra.toml does not declare with `approval = true`, one level lower (`env-not-protected`; an environment chosen from a `workflow_dispatch` choice is checked for each option); `curl`/`wget` piped into a shell, or a shell running `<(curl …)`/`$(curl …)`, in a job that reads secrets, one level lower (`pipe-to-shell`). `GITHUB_TOKEN` and `github.token` are not counted as secrets, and names, `if:` conditions and comments count for nothing. GitLab CI: `echo`/`printf` of `$VAR` and `curl … | sh` in a job whose scripts read `$VAR`, where VAR is not set in the file and looks like a credential by its name (infra cannot see which CI/CD variables are masked or protected), one level lower. A job calling a reusable workflow from another repository, an environment or checkout ref chosen by an expression the rule cannot read, and a local reusable workflow no workflow calls are not guessed at: the rule is unknown when it found nothing and could judge no job in full.",
        fix: "never print secrets; pass outsider-written text to `run:` through `env:` and quote it (\"$TITLE\"); in `pull_request_target`/`workflow_run` workflows check out only the base, or run the pull request's code in a separate `pull_request` workflow without secrets; set `permissions:` per job to the least each needs; keep deploy secrets as environment secrets of a protected environment; download installers to a file, check their checksum, then run them",
        fixed_by_init: false,
        fail_example: "on: pull_request_target\njobs:\n  greet:\n    steps:\n      - run: echo \"${{ github.event.pull_request.title }}\"",
        pass_example: "on: pull_request_target\npermissions: {}\njobs:\n  greet:\n    steps:\n      - env:\n          TITLE: ${{ github.event.pull_request.title }}\n        run: echo \"$TITLE\"",
    }
);

/// Event families that carry text an outsider writes.
const PR_EVENTS: &[&str] = &[
    "pull_request",
    "pull_request_target",
    "pull_request_review",
    "pull_request_review_comment",
];
const ISSUE_EVENTS: &[&str] = &["issues", "issue_comment"];
const COMMENT_EVENTS: &[&str] = &[
    "issue_comment",
    "pull_request_review_comment",
    "discussion_comment",
    "commit_comment",
];
const DISCUSSION_EVENTS: &[&str] = &["discussion", "discussion_comment"];
const PUSH: &[&str] = &["push"];
const RUN: &[&str] = &["workflow_run"];

const PR_AUTHOR: &str = "anyone who can open a pull request";
const COMMITTER: &str = "the author of any commit that lands, merged pull requests included";

/// Context paths (`*` one segment) whose text outsiders write, the events
/// that fill them, and who writes them.
const UNTRUSTED: &[(&str, &[&str], &str)] = &[
    ("github.event.pull_request.title", PR_EVENTS, PR_AUTHOR),
    ("github.event.pull_request.body", PR_EVENTS, PR_AUTHOR),
    ("github.event.pull_request.head.ref", PR_EVENTS, PR_AUTHOR),
    ("github.event.pull_request.head.label", PR_EVENTS, PR_AUTHOR),
    (
        "github.event.pull_request.head.repo.default_branch",
        PR_EVENTS,
        PR_AUTHOR,
    ),
    ("github.head_ref", PR_EVENTS, PR_AUTHOR),
    (
        "github.event.issue.title",
        ISSUE_EVENTS,
        "anyone who can open an issue",
    ),
    (
        "github.event.issue.body",
        ISSUE_EVENTS,
        "anyone who can open an issue",
    ),
    (
        "github.event.comment.body",
        COMMENT_EVENTS,
        "anyone who can comment",
    ),
    (
        "github.event.review.body",
        &["pull_request_review"],
        "anyone who can review a pull request",
    ),
    (
        "github.event.discussion.title",
        DISCUSSION_EVENTS,
        "anyone who can start a discussion",
    ),
    (
        "github.event.discussion.body",
        DISCUSSION_EVENTS,
        "anyone who can start a discussion",
    ),
    (
        "github.event.pages.*.page_name",
        &["gollum"],
        "anyone who can edit the wiki",
    ),
    (
        "github.event.pages.*.title",
        &["gollum"],
        "anyone who can edit the wiki",
    ),
    ("github.event.commits.*.message", PUSH, COMMITTER),
    ("github.event.commits.*.author.name", PUSH, COMMITTER),
    ("github.event.commits.*.author.email", PUSH, COMMITTER),
    ("github.event.head_commit.message", PUSH, COMMITTER),
    ("github.event.head_commit.author.name", PUSH, COMMITTER),
    ("github.event.head_commit.author.email", PUSH, COMMITTER),
    ("github.event.head_commit.committer.name", PUSH, COMMITTER),
    ("github.event.head_commit.committer.email", PUSH, COMMITTER),
    ("github.event.workflow_run.head_branch", RUN, PR_AUTHOR),
    ("github.event.workflow_run.display_title", RUN, PR_AUTHOR),
    (
        "github.event.workflow_run.head_commit.message",
        RUN,
        PR_AUTHOR,
    ),
    (
        "github.event.workflow_run.head_commit.author.name",
        RUN,
        PR_AUTHOR,
    ),
    (
        "github.event.workflow_run.head_commit.author.email",
        RUN,
        PR_AUTHOR,
    ),
    (
        "github.event.workflow_run.pull_requests.*.head.ref",
        RUN,
        PR_AUTHOR,
    ),
];

/// Events whose workflows run with the base repository's secrets and token
/// while a pull request's code is at hand.
const PRIVILEGED_PR_EVENTS: &[&str] = &["pull_request_target", "workflow_run", "issue_comment"];

/// What a checkout `ref:` or a `git` line names as the pull request's head.
const PR_HEAD_REFS: &[&str] = &[
    "github.event.pull_request.head.sha",
    "github.event.pull_request.head.ref",
    "github.event.pull_request.merge_commit_sha",
    "github.head_ref",
    "github.event.workflow_run.head_sha",
    "github.event.workflow_run.head_branch",
    "github.event.workflow_run.head_commit.id",
];

/// Contexts a checkout `ref:` may name that stay on the base repository.
const BASE_REFS: &[&str] = &[
    "github.sha",
    "github.ref",
    "github.ref_name",
    "github.base_ref",
    "github.event.repository.default_branch",
    "github.event.pull_request.base.sha",
    "github.event.pull_request.base.ref",
];

/// Whether a pattern (with `*` segments) matches a context path, or the
/// path is an object that contains it (`toJSON(github.event.issue)`).
fn reads_untrusted(path: &str, pattern: &str) -> bool {
    let p: Vec<&str> = pattern.split('.').collect();
    let n: Vec<&str> = path.split('.').collect();
    if n.len() < 2 || n.len() > p.len() {
        return false;
    }
    // `github` or `github.event` alone: the whole event.
    n.iter()
        .zip(&p)
        .all(|(a, b)| *b == "*" || a == b || *a == "*")
}

fn is_token(name: &str) -> bool {
    name.eq_ignore_ascii_case("GITHUB_TOKEN")
}

/// The secrets (not `GITHUB_TOKEN`) a text reads.
fn secrets_in(text: &str) -> Vec<String> {
    secret_reads(text)
        .into_iter()
        .map(|(_, n)| n)
        .filter(|n| !is_token(n))
        .collect()
}

/// `$NAME` and `${NAME…}` outside single quotes.
fn shell_vars(command: &str) -> Vec<String> {
    let b = command.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    let mut single = false;
    let mut double = false;
    while i < b.len() {
        match b[i] {
            b'\'' if !double => single = !single,
            b'"' if !single => double = !double,
            b'\\' if !single => i += 1,
            b'$' if !single => {
                let mut j = i + 1;
                if b.get(j) == Some(&b'{') {
                    j += 1;
                }
                let start = j;
                if b.get(j)
                    .is_some_and(|c| c.is_ascii_alphabetic() || *c == b'_')
                {
                    while b
                        .get(j)
                        .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_')
                    {
                        j += 1;
                    }
                    out.push(command[start..j].to_string());
                    i = j;
                    continue;
                }
            }
            _ => {}
        }
        i += 1;
    }
    out
}

/// The commands of a line whose output reaches the job log: `echo` or
/// `printf` last in their pipeline (or piped only into `tee`) and not
/// redirected to a file; `::add-mask::` is the masking command itself.
fn printed(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    for pipeline in pipelines(line) {
        for (i, command) in pipeline.iter().enumerate() {
            let words = command_words(command);
            if !matches!(words.first().map(String::as_str), Some("echo" | "printf")) {
                continue;
            }
            let rest = &pipeline[i + 1..];
            let to_log = rest.is_empty()
                || rest.iter().all(|c| {
                    command_words(c).first().map(String::as_str) == Some("tee")
                        && !c.contains("/dev/null")
                });
            if to_log && !to_file(command) && !command.contains("::add-mask::") {
                out.push(command.clone());
            }
        }
    }
    out
}

/// Whether a command's stdout goes to a file (`> f`, `>> "$GITHUB_ENV"`),
/// not to the log (`>&2`, `> /dev/stderr`).
fn to_file(command: &str) -> bool {
    let words = command_words(command);
    words.iter().enumerate().any(|(i, w)| {
        let Some(at) = w.find('>') else { return false };
        if w[..at].chars().any(|c| c != '1') {
            return false; // `2>` and text that only contains `>`
        }
        let target = w[at..].trim_start_matches('>');
        let target = if target.is_empty() {
            words.get(i + 1).map(String::as_str).unwrap_or("")
        } else {
            target
        };
        !(target.starts_with('&') || target == "/dev/stderr" || target == "/dev/stdout")
    })
}

/// `curl … | sh`, `wget -qO- … | bash`, `bash <(curl …)`, `sh -c "$(curl …)"`.
fn pipes_to_shell(line: &str) -> bool {
    const SHELLS: &[&str] = &["sh", "bash", "zsh", "dash", "ksh"];
    const FETCH: &[&str] = &["curl", "wget"];
    for pipeline in pipelines(line) {
        let mut fetched = false;
        for command in &pipeline {
            let words = command_words(command);
            // `sudo -E bash`: the wrapper's own flags.
            let first = words
                .iter()
                .map(String::as_str)
                .find(|w| !w.starts_with('-'))
                .unwrap_or("");
            if FETCH.contains(&first) {
                fetched = true;
            } else if fetched && SHELLS.contains(&first) && !words.iter().any(|w| w == "-c") {
                return true;
            }
            if SHELLS.contains(&first) || matches!(first, "source" | "eval" | ".") {
                let fetched_inline = ["<(", "$("].iter().any(|open| {
                    command.split(open).skip(1).any(|after| {
                        let after = after.trim_start();
                        FETCH.iter().any(|f| {
                            after.starts_with(f)
                                && after[f.len()..].starts_with(|c: char| c.is_whitespace())
                        })
                    })
                });
                if fetched_inline {
                    return true;
                }
            }
        }
    }
    false
}

/// `set -x`, `set -eux`, `set -o xtrace`.
fn enables_xtrace(line: &str) -> bool {
    pipelines(line).iter().flatten().any(|command| {
        let w = command_words(command);
        w.first().map(String::as_str) == Some("set")
            && (w.iter().skip(1).any(|a| {
                a.starts_with('-') && !a.starts_with("--") && a.contains('x') && a != "-o"
            }) || w.windows(2).any(|p| p[0] == "-o" && p[1] == "xtrace"))
    })
}

/// A secret a job can reach: where it is read, and its name.
#[derive(Clone)]
struct Held {
    name: String,
    at: Location,
}

struct Audit<'a, 'f, 'c> {
    input: &'a AuditInput<'c>,
    out: &'a mut Findings<'f>,
    /// Jobs (or deploy jobs) the rule could judge.
    decided: usize,
    undecided: Vec<String>,
    /// Calls of `undecided`, duplicates included: a job is decided when
    /// judging it added none.
    undecided_calls: usize,
    declared: BTreeSet<String>,
    /// GitHub jobs that deploy: (workflow path, job id) → the first deploy
    /// step's location and whether it is production.
    deploys: Vec<((String, String), (Location, Production))>,
}

impl Audit<'_, '_, '_> {
    fn undecided(&mut self, why: String) {
        self.undecided_calls += 1;
        if !self.undecided.contains(&why) {
            self.undecided.push(why);
        }
    }
}

/// The events that start a pipeline, with the lines that say so: its own
/// triggers, or for a reusable workflow its local callers'. `None` for a
/// reusable workflow nothing here calls.
fn events<'p>(ctx: &'p Context, p: &'p Pipeline) -> Option<Vec<&'p Trigger>> {
    if p.kind != PipelineKind::Reusable {
        return Some(p.triggers.iter().collect());
    }
    let callers: Vec<&Trigger> = ctx
        .pipelines
        .iter()
        .filter(|c| {
            c.jobs
                .iter()
                .any(|j| matches!(&j.calls, Some(Uses::Local(path)) if *path == p.path))
        })
        .flat_map(|c| c.triggers.iter())
        .collect();
    (!callers.is_empty()).then_some(callers)
}

/// Secret env entries in scope of a step: workflow, job, then step `env:`
/// (a later definition of a name wins).
fn secret_env<'p>(p: &'p Pipeline, job: &'p Job, step: &'p Step) -> Vec<&'p EnvVar> {
    let mut scope: Vec<&EnvVar> = Vec::new();
    for e in p.env.iter().chain(&job.env).chain(&step.env) {
        scope.retain(|x| x.name != e.name);
        scope.push(e);
    }
    scope.retain(|e| !secrets_in(&e.value).is_empty());
    scope
}

/// Every secret (not `GITHUB_TOKEN`) the job reads, workflow `env:`
/// included, in file order.
fn held(p: &Pipeline, job: &Job) -> Vec<Held> {
    let mut out: Vec<Held> = p
        .env
        .iter()
        .flat_map(|e| {
            secrets_in(&e.value).into_iter().map(|name| Held {
                name,
                at: e.location.clone(),
            })
        })
        .collect();
    out.extend(
        job.secrets
            .iter()
            .filter(|s| !is_token(&s.name))
            .map(|s| Held {
                name: s.name.clone(),
                at: s.location.clone(),
            }),
    );
    out
}

fn script_line(step: &Step, line: u32) -> Location {
    Location::new(step.location.path.clone(), line, step.location.column)
}

/// The shell text a step runs, with its first line: `run:`, or the
/// `script:` of `actions/github-script` (JavaScript, where `${{ }}` is
/// pasted the same way).
fn scripts(step: &Step) -> Vec<(String, u32, &'static str)> {
    let mut out = Vec::new();
    if let Some(run) = &step.run {
        out.push((run.text.clone(), run.line, "`run:`"));
    }
    let github_script = step.uses.as_ref().is_some_and(|u| {
        u.text()
            .split('@')
            .next()
            .is_some_and(|n| n.eq_ignore_ascii_case("actions/github-script"))
    });
    if github_script {
        for ((k, v), at) in step.with.iter().zip(&step.with_at) {
            if k == "script" {
                out.push((v.clone(), at.line, "`script:` of actions/github-script"));
            }
        }
    }
    out
}

impl Audit<'_, '_, '_> {
    fn github(&mut self, p: &Pipeline) {
        let events = events(self.input.ctx, p);
        for job in &p.jobs {
            if let Some(Uses::Remote(r)) = &job.calls {
                self.undecided(format!(
                    "job `{}` in {} calls the reusable workflow {r} from another repository, which infra cannot read",
                    job.id, p.path
                ));
                continue;
            }
            let before = self.undecided_calls;
            let held = held(p, job);
            for step in &job.steps {
                self.echo(p, job, step);
                if !held.is_empty() {
                    self.pipe_to_shell(p, job, step, &held[0]);
                }
            }
            match &events {
                Some(events) => {
                    self.template_injection(p, job, events);
                    self.pr_head_checkout(p, job, events, &held);
                }
                None => {
                    if job.steps.iter().any(|s| {
                        scripts(s)
                            .iter()
                            .any(|(t, ..)| !untrusted_reads(t, None).is_empty())
                    }) {
                        self.undecided(format!(
                            "{} is a reusable workflow no workflow of this repository calls, so infra cannot tell which events fill the `${{{{ }}}}` in job `{}`",
                            p.path, job.id
                        ));
                    }
                }
            }
            let deploy = self
                .deploys
                .iter()
                .find(|((path, id), _)| *path == p.path && *id == job.id)
                .map(|(_, d)| d.clone());
            if let Some((deploy_at, production)) = deploy {
                self.permissions(p, job, &deploy_at);
                if let Some(secret) = held.first() {
                    self.environment(p, job, secret, &production);
                }
            }
            if self.undecided_calls == before {
                self.decided += 1;
            }
        }
    }

    fn echo(&mut self, p: &Pipeline, job: &Job, step: &Step) {
        let Some(run) = &step.run else { return };
        let env = secret_env(p, job, step);
        let inline = !secrets_in(&run.text).is_empty();
        for (line, text) in run.lines() {
            for command in printed(&text) {
                let mut names: Vec<(String, Option<Location>)> = secrets_in(&command)
                    .into_iter()
                    .map(|n| (format!("secrets.{n}"), None))
                    .collect();
                for var in shell_vars(&command) {
                    if let Some(e) = env.iter().find(|e| e.name == var) {
                        names.push((var, Some(e.location.clone())));
                    }
                }
                let Some((name, set_at)) = names.into_iter().next() else {
                    continue;
                };
                let verb = command_words(&command).first().cloned().unwrap_or_default();
                let mut b = self
                    .out
                    .add(format!(
                        "`{verb}` in job `{}` prints the secret `{name}` to the job log: GitHub masks only the exact value, not a part, an encoding or a line-wrapped copy of it, and the log is readable by everyone who can read this repository's Actions",
                        job.id
                    ))
                    .at(script_line(step, line))
                    .fix("do not print secrets; hand them to the command that needs them through `env:` or stdin, and print only that the step ran")
                    .evidence("cause: echo")
                    .key(format!("{} {} echo {name}", p.path, job.id));
                if let Some(at) = set_at {
                    b = b.related(at, format!("`{name}` is set from a secret here"));
                }
                b.emit();
            }
            if enables_xtrace(&text) && (!env.is_empty() || inline) {
                let name = env
                    .first()
                    .map(|e| e.name.clone())
                    .unwrap_or_else(|| "secrets.*".into());
                let mut b = self
                    .out
                    .add(format!(
                        "`set -x` in job `{}` prints every command with its variables expanded, so the secret `{name}` this step holds ends up in the job log",
                        job.id
                    ))
                    .at(script_line(step, line))
                    .fix("drop `set -x` from steps that hold secrets, or turn it off (`set +x`) around the commands that use them")
                    .evidence("cause: xtrace")
                    .key(format!("{} {} xtrace", p.path, job.id));
                if let Some(e) = env.first() {
                    b = b.related(
                        e.location.clone(),
                        format!("`{}` is set from a secret here", e.name),
                    );
                }
                b.emit();
            }
        }
    }

    fn pipe_to_shell(&mut self, p: &Pipeline, job: &Job, step: &Step, secret: &Held) {
        let Some(run) = &step.run else { return };
        for (line, text) in run.lines() {
            if pipes_to_shell(&text) {
                self.out
                    .add(format!(
                        "job `{}` runs a script straight from the network (`curl … | sh`) while it holds the secret `{}`: whoever controls that server, or the path to it, runs code with the job's secrets",
                        job.id, secret.name
                    ))
                    .at(script_line(step, line))
                    .related(secret.at.clone(), format!("the job reads `{}` here", secret.name))
                    .fix("download the installer to a file, check its published checksum or signature, then run it; or use a pinned action or package instead, and keep secrets out of that job")
                    .evidence("cause: pipe-to-shell")
                    .key(format!("{} {} pipe-to-shell {}", p.path, job.id, text.split_whitespace().collect::<Vec<_>>().join(" ")))
                    .demoted()
                    .emit();
            }
        }
    }

    fn template_injection(&mut self, p: &Pipeline, job: &Job, events: &[&Trigger]) {
        let names: Vec<&str> = events.iter().map(|t| ci::event_name(&t.event)).collect();
        for step in &job.steps {
            for (text, first, what) in scripts(step) {
                for (offset, path, who) in untrusted_reads(&text, Some(&names)) {
                    let line = first + text[..offset].matches('\n').count() as u32;
                    let trigger = events
                        .iter()
                        .find(|t| {
                            UNTRUSTED.iter().any(|(pat, evs, _)| {
                                *pat == path && evs.contains(&ci::event_name(&t.event))
                            })
                        })
                        .or(events.first());
                    let var = path
                        .rsplit('.')
                        .next()
                        .unwrap_or("VALUE")
                        .to_ascii_uppercase()
                        .replace('-', "_");
                    let mut b = self
                        .out
                        .add(format!(
                            "`${{{{ {path} }}}}` in the {what} of job `{}` is text {who} writes, pasted into the script before it runs: a crafted value runs their commands with this job's token and secrets",
                            job.id
                        ))
                        .at(script_line(step, line))
                        .fix(format!(
                            "pass it through an environment variable (`env: {var}: ${{{{ {path} }}}}`) and use \"${var}\" in the script (or `process.env.{var}` in github-script)"
                        ))
                        .evidence("cause: template-injection")
                        .key(format!("{} {} template-injection {path}", p.path, job.id));
                    if let Some(t) = trigger {
                        b = b.related(
                            t.location.clone(),
                            format!("`{}` runs this workflow", ci::event_name(&t.event)),
                        );
                    }
                    b.emit();
                }
            }
        }
    }

    fn pr_head_checkout(&mut self, p: &Pipeline, job: &Job, events: &[&Trigger], held: &[Held]) {
        let Some(trigger) = events
            .iter()
            .find(|t| PRIVILEGED_PR_EVENTS.contains(&ci::event_name(&t.event)))
        else {
            return;
        };
        let event = ci::event_name(&trigger.event);
        for step in &job.steps {
            let Some((at, what)) = self.checks_out_head(p, job, step) else {
                continue;
            };
            let permissions = job.permissions.as_ref().or(p.permissions.as_ref());
            let permissions_at = job.permissions_at.as_ref().or(p.permissions_at.as_ref());
            let power = if let Some(s) = held.first() {
                Some((
                    format!("the secret `{}`", s.name),
                    Some((s.at.clone(), format!("the job reads `{}` here", s.name))),
                ))
            } else {
                match permissions {
                    None => Some((
                        "the default GITHUB_TOKEN (no `permissions:`; read-write unless the repository's default is read-only)".to_string(),
                        None,
                    )),
                    Some(perm) if perm.writes() => Some((
                        if perm.scope("id-token") == Some("write") {
                            "an OIDC token (`id-token: write`)".to_string()
                        } else {
                            "a GITHUB_TOKEN that can write".to_string()
                        },
                        permissions_at.map(|a| (a.clone(), "write permission granted here".to_string())),
                    )),
                    Some(Permissions::Dynamic(expr)) => {
                        self.undecided(format!(
                            "job `{}` in {} sets its permissions by an expression ({expr})",
                            job.id, p.path
                        ));
                        None
                    }
                    Some(_) => None,
                }
            };
            let Some((power, related)) = power else {
                continue;
            };
            let mut b = self
                .out
                .add(format!(
                    "job `{}` runs on `{event}` and checks out the pull request's code ({what}) while it holds {power}: the pull request's build scripts, hooks and tests run with them",
                    job.id
                ))
                .at(at)
                .related(
                    trigger.location.clone(),
                    format!("`{event}` runs with the base repository's secrets, even for pull requests from forks"),
                )
                .fix("check out only the base (drop `ref:`), or build the pull request in a `pull_request` workflow without secrets and hand results over as artifacts; give this job `permissions: {}` or read-only scopes")
                .evidence("cause: pr-head-checkout")
                .key(format!("{} {} pr-head-checkout", p.path, job.id));
            if let Some((at, why)) = related {
                b = b.related(at, why);
            }
            b.emit();
            return;
        }
    }

    /// Where a step checks out a pull request's head, and how it says so.
    fn checks_out_head(
        &mut self,
        p: &Pipeline,
        job: &Job,
        step: &Step,
    ) -> Option<(Location, String)> {
        let checkout = step.uses.as_ref().is_some_and(|u| {
            u.text()
                .split('@')
                .next()
                .is_some_and(|n| n.eq_ignore_ascii_case("actions/checkout"))
        });
        if checkout {
            for ((k, v), at) in step.with.iter().zip(&step.with_at) {
                if k != "ref" && k != "repository" {
                    continue;
                }
                if v.contains("refs/pull/") || names_head(v) {
                    return Some((at.clone(), format!("`{k}: {}`", v.trim())));
                }
                if k == "ref" && !expressions(v).is_empty() {
                    let unknown = expressions(v).iter().any(|(_, e)| {
                        context_paths(e)
                            .iter()
                            .any(|c| !BASE_REFS.contains(&c.as_str()))
                    });
                    if unknown {
                        self.undecided(format!(
                            "job `{}` in {} checks out `{}`, and infra cannot tell whether that is the pull request's code",
                            job.id, p.path, v.trim()
                        ));
                    }
                }
            }
        }
        let run = step.run.as_ref()?;
        for (line, text) in run.lines() {
            let git = text.contains("gh pr checkout")
                || ((text.contains("git checkout")
                    || text.contains("git fetch")
                    || text.contains("git switch"))
                    && (names_head(&text) || text.contains("pull/")));
            if git {
                return Some((
                    script_line(step, line),
                    "`gh pr checkout` or `git` of the head".into(),
                ));
            }
        }
        None
    }

    fn gitlab(&mut self, p: &Pipeline) {
        for (what, _) in &p.external_includes {
            self.undecided(format!(
                "{} includes {what}, whose jobs infra cannot read",
                p.path
            ));
        }
        let defined = |job: &Job, name: &str| {
            p.env
                .iter()
                .chain(&job.env)
                .find(|e| e.name == name)
                .is_some_and(|e| !e.value.contains('$'))
        };
        for job in &p.jobs {
            self.decided += 1;
            let secret_var = |var: &str| is_secret_name(var) && !defined(job, var);
            let mut held: Option<(String, Location)> = None;
            for step in &job.steps {
                let Some(run) = &step.run else { continue };
                for (line, text) in run.lines() {
                    if held.is_none() {
                        if let Some(v) = shell_vars(&text).into_iter().find(|v| secret_var(v)) {
                            held = Some((v, script_line(step, line)));
                        }
                    }
                    for command in printed(&text) {
                        if let Some(var) = shell_vars(&command).into_iter().find(|v| secret_var(v))
                        {
                            self.out
                                .add(format!(
                                    "`{}` in job `{}` prints `${var}` to the job log; by its name it holds a credential (infra cannot see which CI/CD variables are masked, so this is a guess from the name): masking hides only the exact value, and only when the variable is masked",
                                    command_words(&command).first().cloned().unwrap_or_default(),
                                    job.id
                                ))
                                .at(script_line(step, line))
                                .fix("do not print credentials; pass them to the command that needs them, and mark the variable masked and protected in Settings → CI/CD → Variables")
                                .evidence("cause: echo")
                                .key(format!("{} {} echo {var}", p.path, job.id))
                                .demoted()
                                .emit();
                        }
                    }
                }
            }
            let Some((name, at)) = held else { continue };
            for step in &job.steps {
                let Some(run) = &step.run else { continue };
                for (line, text) in run.lines() {
                    if pipes_to_shell(&text) {
                        self.out
                            .add(format!(
                                "job `{}` runs a script straight from the network (`curl … | sh`) while it reads `${name}`, a credential by its name: whoever controls that server, or the path to it, runs code with the job's variables",
                                job.id
                            ))
                            .at(script_line(step, line))
                            .related(at.clone(), format!("the job reads `${name}` here"))
                            .fix("download the installer to a file, check its published checksum or signature, then run it; or bake the tool into the job's image")
                            .evidence("cause: pipe-to-shell")
                            .key(format!("{} {} pipe-to-shell {}", p.path, job.id, text.split_whitespace().collect::<Vec<_>>().join(" ")))
                            .demoted()
                            .emit();
                    }
                }
            }
        }
    }

    fn permissions(&mut self, p: &Pipeline, job: &Job, deploy_at: &Location) {
        let own = job
            .permissions
            .as_ref()
            .map(|x| (x, job.permissions_at.clone()))
            .or_else(|| {
                p.permissions
                    .as_ref()
                    .map(|x| (x, p.permissions_at.clone()))
            });
        // A reusable workflow's token is capped by its callers'.
        let callers_set = p.kind == PipelineKind::Reusable && own.is_none() && {
            let callers: Vec<bool> = self
                .input
                .ctx
                .pipelines
                .iter()
                .flat_map(|c| c.jobs.iter().map(move |j| (c, j)))
                .filter(|(_, j)| matches!(&j.calls, Some(Uses::Local(path)) if *path == p.path))
                .map(|(c, j)| j.permissions.is_some() || c.permissions.is_some())
                .collect();
            !callers.is_empty() && callers.iter().all(|&b| b)
        };
        match own {
            Some((Permissions::WriteAll, at)) => {
                self.out
                    .add(format!(
                        "job `{}` deploys with `permissions: write-all`: its GITHUB_TOKEN can push code, rewrite releases and change workflows, and every step and action in the job holds it",
                        job.id
                    ))
                    .at(at.unwrap_or_else(|| job.location.clone()))
                    .related(deploy_at.clone(), "the deploy")
                    .fix("replace `write-all` with the scopes the job needs, e.g. `permissions: {contents: read, id-token: write}`")
                    .evidence("cause: permissions")
                    .key(format!("{} {} permissions write-all", p.path, job.id))
                    .emit();
            }
            Some((Permissions::Dynamic(expr), _)) => self.undecided(format!(
                "job `{}` in {} sets its permissions by an expression ({expr})",
                job.id, p.path
            )),
            Some(_) => {}
            None if callers_set => {}
            None => {
                self.out
                    .add(format!(
                        "job `{}` deploys, but neither it nor {} sets `permissions:`, so its GITHUB_TOKEN has the repository's default permissions, which are read-write unless someone set them to read-only in the repository or organization settings",
                        job.id, p.path
                    ))
                    .at(job.location.clone())
                    .related(deploy_at.clone(), "the deploy")
                    .fix("add `permissions: {}` at the top of the workflow and grant the deploy job only what it needs (`contents: read`, `id-token: write` for OIDC)")
                    .evidence("cause: permissions")
                    .key(format!("{} {} permissions missing", p.path, job.id))
                    .demoted()
                    .emit();
            }
        }
    }

    fn environment(&mut self, p: &Pipeline, job: &Job, secret: &Held, production: &Production) {
        let Some(env) = &job.environment else {
            self.out
                .add(format!(
                    "job `{}` deploys with the secret `{}` but has no `environment:`, so the secret is a repository secret that every workflow on every branch can read",
                    job.id, secret.name
                ))
                .at(job.location.clone())
                .related(secret.at.clone(), format!("the job reads `{}` here", secret.name))
                .fix("add `environment: production` (or the environment it deploys to) to the job, move the secret into that environment, and protect it with required reviewers or a branch rule; then declare `approval = true` for it in infra.toml")
                .evidence("cause: env-outside-environment")
                .key(format!("{} {} env-outside-environment", p.path, job.id))
                .demoted()
                .emit();
            return;
        };
        let names: Vec<String> = match &env.name {
            Value::Literal(name) => vec![name.clone()],
            Value::Dynamic(expr) => match dispatch_options(p, expr) {
                Some(options) => options,
                None => {
                    self.undecided(format!(
                        "job `{}` in {} picks its environment at run time ({expr}): infra cannot tell which environment holds `{}`",
                        job.id, p.path, secret.name
                    ));
                    return;
                }
            },
        };
        for name in names {
            let is_production = match &env.name {
                Value::Literal(_) => *production == Production::Yes,
                Value::Dynamic(_) => {
                    canonical_environment(&name) == Some("production")
                        || name.to_ascii_lowercase().contains("prod")
                }
            };
            if !is_production {
                continue;
            }
            if self.approved(&name) {
                self.declared.insert(format!(
                    "infra.toml says environment `{name}` requires approval"
                ));
                continue;
            }
            self.out
                .add(format!(
                    "job `{}` deploys to `{name}` with the secret `{}`, but environment `{name}` is not declared as protected in infra.toml (GitHub's environment settings are not visible offline): an unprotected environment hands its secrets to a run from any branch",
                    job.id, secret.name
                ))
                .at(env.location.clone())
                .related(secret.at.clone(), format!("the job reads `{}` here", secret.name))
                .fix(format!(
                    "protect the `{name}` environment (required reviewers or deployment branches) and keep the deploy secrets as its environment secrets; then set `approval = true` for it under [[environments]] in infra.toml"
                ))
                .evidence("cause: env-not-protected")
                .key(format!("{} {} env-not-protected {name}", p.path, job.id))
                .demoted()
                .emit();
        }
    }

    fn approved(&self, env: &str) -> bool {
        ci::approval_declared(self.input.answers, env)
    }
}

/// `${{ inputs.X }}` or `${{ github.event.inputs.X }}` of a
/// `workflow_dispatch` choice: its options.
fn dispatch_options(p: &Pipeline, expr: &str) -> Option<Vec<String>> {
    let exprs = expressions(expr);
    let [(_, inner)] = exprs.as_slice() else {
        return None;
    };
    let whole = expr.trim();
    if !whole.starts_with("${{") || !whole.ends_with("}}") {
        return None;
    }
    let paths = context_paths(inner);
    let [path] = paths.as_slice() else {
        return None;
    };
    let name = path
        .strip_prefix("inputs.")
        .or_else(|| path.strip_prefix("github.event.inputs."))?;
    p.dispatch_choices
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, options)| options.clone())
        .filter(|o| !o.is_empty())
}

/// Whether a checkout value names the pull request's head.
fn names_head(text: &str) -> bool {
    expressions(text).iter().any(|(_, e)| {
        context_paths(e).iter().any(|c| {
            PR_HEAD_REFS.contains(&c.as_str())
                || c == "github.event.pull_request.head.repo.full_name"
                || c == "github.event.workflow_run.head_repository.full_name"
        })
    })
}

/// Untrusted reads in a script: byte offset of the expression, the context
/// path (the pattern it matched) and who writes it. With `events`, only
/// contexts those events fill.
fn untrusted_reads(text: &str, events: Option<&[&str]>) -> Vec<(usize, String, &'static str)> {
    let mut out = Vec::new();
    for (offset, expr) in expressions(text) {
        for path in context_paths(expr) {
            let hit = UNTRUSTED.iter().find(|(pattern, evs, _)| {
                reads_untrusted(&path, pattern)
                    && events.is_none_or(|names| evs.iter().any(|e| names.contains(e)))
            });
            if let Some((pattern, _, who)) = hit {
                let shown = if path.split('.').count() < pattern.split('.').count() {
                    path.clone()
                } else {
                    pattern.to_string()
                };
                out.push((offset, shown, *who));
                break;
            }
        }
    }
    out
}

impl Rule for WorkflowSecretExposure {
    fn repository(&self, input: &AuditInput<'_>, out: &mut Findings<'_>) -> Verdict {
        let pipelines: Vec<&Pipeline> = input
            .ctx
            .pipelines
            .iter()
            .filter(|p| p.kind != PipelineKind::CompositeAction)
            .collect();
        if pipelines.is_empty() {
            return Verdict::NotApplicable("no GitHub Actions workflow or GitLab CI file".into());
        }
        let mut audit = Audit {
            input,
            out,
            decided: 0,
            undecided: Vec::new(),
            undecided_calls: 0,
            declared: BTreeSet::new(),
            deploys: Vec::new(),
        };
        for d in ci::deploys(input.ctx) {
            let key = (d.pipeline.path.clone(), d.job.id.clone());
            if d.pipeline.system == System::GithubActions
                && !d.throwaway()
                && !audit.deploys.iter().any(|(k, _)| *k == key)
            {
                audit
                    .deploys
                    .push((key, (d.location(), d.production.clone())));
            }
        }
        for p in &pipelines {
            match p.system {
                System::GithubActions => audit.github(p),
                System::GitlabCi => audit.gitlab(p),
            }
        }
        if audit.out.is_empty() && audit.decided == 0 {
            if let Some(why) = audit.undecided.first() {
                return Verdict::Unknown(why.clone());
            }
        }
        if audit.declared.is_empty() || !audit.out.is_empty() {
            Verdict::Checked
        } else {
            Verdict::Declared(audit.declared.into_iter().collect::<Vec<_>>().join("; "))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printed_commands_reach_the_log() {
        assert_eq!(printed("echo \"$TOKEN\""), ["echo \"$TOKEN\""]);
        assert_eq!(printed("echo $TOKEN >&2"), ["echo $TOKEN >&2"]);
        assert_eq!(printed("echo $T | tee out.txt"), ["echo $T"]);
        assert!(printed("echo \"$TOKEN\" | docker login --password-stdin").is_empty());
        assert!(printed("echo \"token=$TOKEN\" >> \"$GITHUB_ENV\"").is_empty());
        assert!(printed("printf '%s' \"$K\" > \"$RUNNER_TEMP/k\"").is_empty());
        assert!(printed("echo \"::add-mask::$TOKEN\"").is_empty());
        assert!(printed("npm publish").is_empty());
    }

    #[test]
    fn shell_variables_outside_single_quotes() {
        assert_eq!(shell_vars("echo \"$A ${B:0:4}\" '$C' ${#D}"), ["A", "B"]);
        assert!(shell_vars("echo ${{ secrets.X }}").is_empty());
    }

    #[test]
    fn network_scripts_piped_into_a_shell() {
        assert!(pipes_to_shell("curl -fsSL https://get.example.sh | sh"));
        assert!(pipes_to_shell(
            "curl -sL https://x.example/i.sh | sudo -E bash -"
        ));
        assert!(pipes_to_shell(
            "wget -qO- https://x.example | bash -s -- --yes"
        ));
        assert!(pipes_to_shell("bash <(curl -s https://x.example/i.sh)"));
        assert!(pipes_to_shell(
            "sh -c \"$(curl -fsSL https://x.example/i.sh)\""
        ));
        assert!(!pipes_to_shell(
            "curl -fsSL https://x.example/a.json | jq ."
        ));
        assert!(!pipes_to_shell(
            "curl -o i.sh https://x.example/i.sh && sh i.sh"
        ));
        assert!(!pipes_to_shell("echo curl | sh"));
    }

    #[test]
    fn xtrace_flags() {
        assert!(enables_xtrace("set -euxo pipefail"));
        assert!(enables_xtrace("set -x"));
        assert!(enables_xtrace("set -o xtrace"));
        assert!(!enables_xtrace("set -euo pipefail"));
        assert!(!enables_xtrace("set +x"));
    }

    #[test]
    fn untrusted_contexts_by_event() {
        let t =
            "echo ${{ github.event.pull_request.title }} ${{ github.event.pull_request.number }}";
        let pr = ["pull_request_target"];
        let hits = untrusted_reads(t, Some(&pr[..]));
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].1, "github.event.pull_request.title");
        assert!(untrusted_reads(t, Some(&["push"][..])).is_empty());
        let c = untrusted_reads(
            "x ${{ github.event.commits[0].message }} ${{ toJSON(github.event) }}",
            Some(&["push"][..]),
        );
        assert_eq!(c.len(), 2, "{c:?}");
        assert_eq!(c[1].1, "github.event");
    }
}
