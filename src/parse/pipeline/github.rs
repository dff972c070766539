//! GitHub Actions: workflows (`.github/workflows/*.yml`) and composite
//! actions (`action.yml`) into the pipeline model.

use super::{
    content_line, secret_reads, Condition, EnvVar, Environment, Event, Job, Needs, Permissions,
    Pipeline, PipelineError, PipelineKind, RefFilter, Script, SecretRef, Step, System, Trigger,
    Uses, Value,
};
use crate::model::Location;
use crate::parse::yaml::{self, Yaml};

/// Parse a workflow file. A file that is YAML but not a workflow (no `jobs`)
/// is an error with the position of the document.
pub fn parse_workflow(path: &str, text: &str) -> Result<Pipeline, PipelineError> {
    let docs = yaml::parse_documents(text)?;
    workflow_from(path, text, docs.first())
}

/// The workflow of an already parsed document (`None`: an empty file).
pub fn workflow_from(
    path: &str,
    text: &str,
    doc: Option<&Yaml>,
) -> Result<Pipeline, PipelineError> {
    let Some(doc) = doc else {
        return Err(PipelineError {
            line: 1,
            column: 1,
            message: "empty workflow file".into(),
        });
    };
    let Some(jobs) = doc.get("jobs") else {
        return Err(PipelineError {
            line: doc.line,
            column: doc.column,
            message: "a workflow needs a `jobs:` mapping".into(),
        });
    };
    let at = |node: &Yaml| Location::new(path, node.line, node.column);
    let triggers = doc
        .get("on")
        .map(|on| triggers(on, &at))
        .unwrap_or_default();
    let default_dir = doc
        .path(&["defaults", "run", "working-directory"])
        .and_then(Yaml::as_str);
    let reusable = !triggers.is_empty()
        && triggers
            .iter()
            .all(|t| matches!(t.event, Event::WorkflowCall));
    let jobs = jobs
        .entries()
        .into_iter()
        .filter_map(|(key, job)| {
            key.as_str()
                .map(|id| parse_job(text, id, key, job, default_dir, &at))
        })
        .collect();
    Ok(Pipeline {
        system: System::GithubActions,
        kind: if reusable {
            PipelineKind::Reusable
        } else {
            PipelineKind::Workflow
        },
        path: path.to_string(),
        name: doc.str_at("name").map(str::to_string),
        triggers,
        permissions: doc.get("permissions").map(permissions),
        permissions_at: doc.get("permissions").map(&at),
        env: env(doc.get("env"), &at),
        dispatch_choices: dispatch_choices(doc),
        jobs,
        stages: Vec::new(),
        external_includes: Vec::new(),
    })
}

/// `on.workflow_dispatch.inputs.<name>` of `type: choice`, with options.
fn dispatch_choices(doc: &Yaml) -> Vec<(String, Vec<String>)> {
    let Some(inputs) = doc.path(&["on", "workflow_dispatch", "inputs"]) else {
        return Vec::new();
    };
    inputs
        .entries()
        .into_iter()
        .filter(|(_, v)| v.str_at("type") == Some("choice"))
        .filter_map(|(k, v)| Some((k.as_str()?.to_string(), strings(v.get("options")))))
        .collect()
}

/// An `env:` map; a value that is an expression for the whole map
/// (`env: ${{ fromJSON(…) }}`) has no entries the model can read.
fn env(node: Option<&Yaml>, at: &dyn Fn(&Yaml) -> Location) -> Vec<EnvVar> {
    let Some(node) = node.filter(|n| n.as_map().is_some()) else {
        return Vec::new();
    };
    node.entries()
        .into_iter()
        .filter_map(|(k, v)| {
            Some(EnvVar {
                name: k.as_str()?.to_string(),
                value: v.as_str()?.to_string(),
                location: at(k),
            })
        })
        .collect()
}

/// Every `${{ secrets.X }}` under `node`, skipping `name:` and `if:`
/// values (a label or a condition exposes nothing).
fn secret_refs(
    text: &str,
    node: &Yaml,
    key: Option<&str>,
    at: &dyn Fn(&Yaml) -> Location,
    out: &mut Vec<SecretRef>,
) {
    match &node.value {
        yaml::Value::Scalar(s) => {
            if matches!(key, Some("name" | "if")) {
                return;
            }
            // Only literal blocks keep their line breaks in the value.
            let first = content_line(text, node);
            for (offset, name) in secret_reads(s) {
                let mut location = at(node);
                location.line = first + s[..offset].matches('\n').count() as u32;
                out.push(SecretRef { name, location });
            }
        }
        yaml::Value::Seq(items) => {
            for item in items {
                secret_refs(text, item, key, at, out);
            }
        }
        yaml::Value::Map(entries) => {
            for (k, v) in entries {
                secret_refs(text, v, k.as_str(), at, out);
            }
        }
    }
}

/// Parse a composite action (`action.yml`); other action kinds (JavaScript,
/// Docker) have no steps of their own and come back with no jobs.
pub fn parse_action(path: &str, text: &str) -> Result<Pipeline, PipelineError> {
    let docs = yaml::parse_documents(text)?;
    let doc = docs.first();
    let at = |node: &Yaml| Location::new(path, node.line, node.column);
    let mut jobs = Vec::new();
    if let Some(runs) = doc.and_then(|d| d.get("runs")) {
        if runs.str_at("using") == Some("composite") {
            let steps = runs
                .get("steps")
                .and_then(Yaml::as_seq)
                .map(|s| s.iter().map(|n| step(text, n, None, &at)).collect())
                .unwrap_or_default();
            jobs.push(Job {
                id: "action".into(),
                name: doc.and_then(|d| d.str_at("name")).map(str::to_string),
                location: at(runs),
                needs: Needs::Unset,
                condition: None,
                rules: Vec::new(),
                environment: None,
                permissions: None,
                permissions_at: None,
                env: Vec::new(),
                secrets: Vec::new(),
                calls: None,
                steps,
                stage: None,
                manual: false,
                uses_secrets: false,
                timeout: false,
            });
        }
    }
    Ok(Pipeline {
        system: System::GithubActions,
        kind: PipelineKind::CompositeAction,
        path: path.to_string(),
        name: doc.and_then(|d| d.str_at("name")).map(str::to_string),
        triggers: Vec::new(),
        permissions: None,
        permissions_at: None,
        env: Vec::new(),
        dispatch_choices: Vec::new(),
        jobs,
        stages: Vec::new(),
        external_includes: Vec::new(),
    })
}

fn strings(node: Option<&Yaml>) -> Vec<String> {
    node.map(Yaml::str_list).unwrap_or_default()
}

fn filter(node: &Yaml, key: &str) -> Option<RefFilter> {
    let include = node.get(key);
    let exclude = node.get(&format!("{key}-ignore"));
    if include.is_none() && exclude.is_none() {
        return None;
    }
    let mut f = RefFilter::any();
    for pattern in strings(include) {
        // `!pattern` inside the list excludes (GitHub's negative patterns).
        match pattern.strip_prefix('!') {
            Some(neg) => f.exclude.push(neg.to_string()),
            None => f.include.push(pattern),
        }
    }
    f.exclude.extend(strings(exclude));
    if include.is_none() {
        f.include.clear();
    }
    Some(f)
}

fn triggers(on: &Yaml, at: &dyn Fn(&Yaml) -> Location) -> Vec<Trigger> {
    let mut out = Vec::new();
    let names: Vec<(&Yaml, Option<&Yaml>)> = match (&on.as_seq(), on.as_map(), on.as_str()) {
        (Some(items), _, _) => items.iter().map(|i| (i, None)).collect(),
        (_, Some(_), _) => on
            .entries()
            .into_iter()
            .map(|(k, v)| (k, Some(v)))
            .collect(),
        (_, _, Some(_)) => vec![(on, None)],
        _ => Vec::new(),
    };
    for (key, body) in names {
        let Some(name) = key.as_str() else { continue };
        let body = body.filter(|b| b.as_map().is_some());
        let event = match name {
            "push" => {
                let branches = body.and_then(|b| filter(b, "branches"));
                let tags = body.and_then(|b| filter(b, "tags"));
                match (branches, tags) {
                    (None, None) => Event::Push {
                        branches: Some(RefFilter::any()),
                        tags: Some(RefFilter::any()),
                    },
                    (branches, tags) => Event::Push { branches, tags },
                }
            }
            "pull_request" => Event::PullRequest {
                branches: body.and_then(|b| filter(b, "branches")).unwrap_or_default(),
            },
            "pull_request_target" => Event::PullRequestTarget {
                branches: body.and_then(|b| filter(b, "branches")).unwrap_or_default(),
            },
            "workflow_run" => Event::WorkflowRun {
                workflows: strings(body.and_then(|b| b.get("workflows"))),
                branches: body.and_then(|b| filter(b, "branches")).unwrap_or_default(),
            },
            "workflow_dispatch" => Event::WorkflowDispatch,
            "workflow_call" => Event::WorkflowCall,
            "schedule" => Event::Schedule,
            "release" => Event::Release,
            other => Event::Other(other.to_string()),
        };
        out.push(Trigger {
            event,
            location: at(key),
        });
    }
    out
}

fn permissions(node: &Yaml) -> Permissions {
    match (node.as_str(), node.as_map()) {
        (Some("write-all"), _) => Permissions::WriteAll,
        (Some("read-all"), _) => Permissions::ReadAll,
        (Some(other), _) => Permissions::Dynamic(other.to_string()),
        (_, Some([])) => Permissions::None,
        (_, Some(_)) => Permissions::Scopes(
            node.entries()
                .into_iter()
                .filter_map(|(k, v)| Some((k.as_str()?.to_string(), v.as_str()?.to_string())))
                .collect(),
        ),
        _ => Permissions::Dynamic(String::new()),
    }
}

/// Whether any scalar under `node` reads `${{ secrets.… }}`.
fn reads_secrets(node: &Yaml) -> bool {
    match &node.value {
        yaml::Value::Scalar(s) => s.contains("secrets."),
        yaml::Value::Seq(items) => items.iter().any(reads_secrets),
        yaml::Value::Map(entries) => entries.iter().any(|(_, v)| reads_secrets(v)),
    }
}

fn condition(node: Option<&Yaml>, at: &dyn Fn(&Yaml) -> Location) -> Option<Condition> {
    let node = node?;
    let text = match &node.value {
        yaml::Value::Scalar(s) => s.clone(),
        _ => return None,
    };
    Some(Condition {
        text,
        location: at(node),
    })
}

fn parse_job(
    text: &str,
    id: &str,
    key: &Yaml,
    job: &Yaml,
    default_dir: Option<&str>,
    at: &dyn Fn(&Yaml) -> Location,
) -> Job {
    let dir = job
        .path(&["defaults", "run", "working-directory"])
        .and_then(Yaml::as_str)
        .or(default_dir);
    let needs = match job.get("needs") {
        None => Needs::Unset,
        Some(n) => Needs::List(strings(Some(n))),
    };
    let environment = job.get("environment").and_then(|e| {
        let node = e.get("name").unwrap_or(e);
        Some(Environment {
            name: Value::from_text(node.as_str()?),
            location: at(node),
        })
    });
    let steps = job
        .get("steps")
        .and_then(Yaml::as_seq)
        .map(|s| s.iter().map(|n| step(text, n, dir, at)).collect())
        .unwrap_or_default();
    let mut secrets = Vec::new();
    secret_refs(text, job, None, at, &mut secrets);
    Job {
        id: id.to_string(),
        name: job.str_at("name").map(str::to_string),
        location: at(key),
        needs,
        condition: condition(job.get("if"), at),
        rules: Vec::new(),
        environment,
        permissions: job.get("permissions").map(permissions),
        permissions_at: job.get("permissions").map(at),
        env: env(job.get("env"), at),
        secrets,
        calls: job.str_at("uses").map(Uses::parse),
        steps,
        stage: None,
        manual: false,
        uses_secrets: reads_secrets(job) || job.get("secrets").is_some(),
        timeout: job.get("timeout-minutes").is_some(),
    }
}

fn step(text: &str, node: &Yaml, dir: Option<&str>, at: &dyn Fn(&Yaml) -> Location) -> Step {
    let run = node.get("run").and_then(|r| {
        r.as_str().map(|s| Script {
            text: s.to_string(),
            line: content_line(text, r),
        })
    });
    let (with, with_at) = node
        .get("with")
        .map(|w| {
            w.entries()
                .into_iter()
                .filter_map(|(k, v)| {
                    let pair = (k.as_str()?.to_string(), v.as_str()?.to_string());
                    let mut location = at(v);
                    location.line = content_line(text, v);
                    Some((pair, location))
                })
                .unzip()
        })
        .unwrap_or_default();
    Step {
        name: node.str_at("name").map(str::to_string),
        location: at(node),
        uses: node.str_at("uses").map(Uses::parse),
        with,
        with_at,
        env: env(node.get("env"), at),
        run,
        condition: condition(node.get("if"), at),
        may_fail: node.str_at("continue-on-error") == Some("true"),
        working_directory: node
            .str_at("working-directory")
            .or(dir)
            .map(|d| d.trim_start_matches("./").trim_end_matches('/').to_string()),
        runs: Default::default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DEPLOY: &str = "\
name: Deploy
on:
  push:
    branches: [main, 'release/**']
    tags: ['v*']
  pull_request:
  workflow_dispatch:
permissions:
  contents: read
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - name: Test
        run: |
          npm ci
          npm test
  deploy:
    needs: test
    if: github.ref == 'refs/heads/main'
    environment:
      name: production
      url: https://example.com
    permissions:
      id-token: write
    steps:
      - run: vercel deploy --prod --token ${{ secrets.VERCEL_TOKEN }}
        continue-on-error: true
";

    #[test]
    fn a_workflow_with_triggers_jobs_and_steps() {
        let p = parse_workflow(".github/workflows/deploy.yml", DEPLOY).unwrap();
        assert_eq!(p.kind, PipelineKind::Workflow);
        assert_eq!(p.name.as_deref(), Some("Deploy"));
        assert_eq!(p.triggers.len(), 3);
        let Event::Push { branches, tags } = &p.triggers[0].event else {
            panic!("{:?}", p.triggers[0]);
        };
        assert!(branches.as_ref().unwrap().matches("release/1/2"));
        assert!(!branches.as_ref().unwrap().matches("feature/x"));
        assert!(tags.as_ref().unwrap().matches("v1.0"));
        assert_eq!(p.triggers[0].location.line, 3);
        assert!(matches!(p.triggers[1].event, Event::PullRequest { .. }));
        assert_eq!(
            p.permissions.as_ref().unwrap().scope("contents"),
            Some("read")
        );

        let test = &p.jobs[0];
        assert_eq!(test.id, "test");
        assert_eq!(test.needs, Needs::Unset);
        let run = test.steps[1].run.as_ref().unwrap();
        assert_eq!(
            run.lines(),
            vec![(17, "npm ci".into()), (18, "npm test".into())]
        );

        let deploy = &p.jobs[1];
        assert_eq!(deploy.needs, Needs::List(vec!["test".into()]));
        assert_eq!(
            deploy.condition.as_ref().unwrap().text,
            "github.ref == 'refs/heads/main'"
        );
        let env = deploy.environment.as_ref().unwrap();
        assert_eq!(env.name.literal(), Some("production"));
        assert!(deploy.permissions.as_ref().unwrap().writes());
        assert!(deploy.uses_secrets);
        assert!(!test.uses_secrets);
        assert!(deploy.steps[0].may_fail);
        assert_eq!(deploy.steps[0].run.as_ref().unwrap().line, 28);
        assert_eq!(deploy.steps[0].working_directory, None);
        let p = parse_workflow(
            "w.yml",
            "on: push\ndefaults: {run: {working-directory: ./web/}}\njobs:\n  a:\n    steps: [{run: npm test}, {run: x, working-directory: api}]\n",
        )
        .unwrap();
        let dirs: Vec<_> = p.jobs[0]
            .steps
            .iter()
            .map(|s| s.working_directory.clone())
            .collect();
        assert_eq!(dirs, [Some("web".to_string()), Some("api".to_string())]);
    }

    #[test]
    fn trigger_shapes_string_list_and_filters() {
        let p = parse_workflow("w.yml", "on: push\njobs: {}\n").unwrap();
        assert_eq!(
            p.triggers[0].event,
            Event::Push {
                branches: Some(RefFilter::any()),
                tags: Some(RefFilter::any())
            }
        );
        let p = parse_workflow("w.yml", "on: [push, pull_request_target]\njobs: {}\n").unwrap();
        assert!(matches!(
            p.triggers[1].event,
            Event::PullRequestTarget { .. }
        ));
        let p = parse_workflow("w.yml", "on:\n  push:\n    tags: ['v*']\njobs: {}\n").unwrap();
        assert!(matches!(
            p.triggers[0].event,
            Event::Push {
                branches: None,
                tags: Some(_)
            }
        ));
        let p = parse_workflow(
            "w.yml",
            "on:\n  push:\n    branches-ignore: ['dependabot/**']\njobs: {}\n",
        )
        .unwrap();
        let Event::Push { branches, .. } = &p.triggers[0].event else {
            panic!()
        };
        assert!(branches.as_ref().unwrap().matches("main"));
        assert!(!branches.as_ref().unwrap().matches("dependabot/npm/x"));
        let p = parse_workflow(
            "w.yml",
            "on:\n  workflow_run:\n    workflows: [CI]\n    types: [completed]\n    branches: [main]\njobs: {}\n",
        )
        .unwrap();
        assert_eq!(
            p.triggers[0].event,
            Event::WorkflowRun {
                workflows: vec!["CI".into()],
                branches: RefFilter {
                    include: vec!["main".into()],
                    exclude: vec![]
                }
            }
        );
    }

    #[test]
    fn reusable_workflows_environments_by_expression_and_permissions() {
        let p = parse_workflow(
            "w.yml",
            "on:\n  workflow_call:\n    inputs:\n      env: {type: string}\npermissions: write-all\njobs:\n  d:\n    environment: ${{ inputs.env }}\n    steps: [{run: make deploy}]\n  call:\n    uses: ./.github/workflows/deploy.yml\n    secrets: inherit\n",
        )
        .unwrap();
        assert_eq!(p.kind, PipelineKind::Reusable);
        assert_eq!(p.permissions, Some(Permissions::WriteAll));
        assert!(p.jobs[0]
            .environment
            .as_ref()
            .unwrap()
            .name
            .literal()
            .is_none());
        assert_eq!(
            p.jobs[1].calls,
            Some(Uses::Local(".github/workflows/deploy.yml".into()))
        );
        assert!(p.jobs[1].uses_secrets);
        let p = parse_workflow("w.yml", "on: push\npermissions: {}\njobs: {}\n").unwrap();
        assert_eq!(p.permissions, Some(Permissions::None));
    }

    #[test]
    fn env_maps_inputs_secret_reads_and_dispatch_choices() {
        let text = "\
on:
  workflow_dispatch:
    inputs:
      env: {type: choice, options: [staging, production]}
      note: {type: string}
env:
  NPM_TOKEN: ${{ secrets.NPM_TOKEN }}
permissions:
  contents: read
jobs:
  a:
    name: uses ${{ secrets.NOT_READ }}
    permissions: write-all
    env: {TOKEN: '${{ secrets.GITHUB_TOKEN }}'}
    steps:
      - name: secrets.X in a name
        if: ${{ secrets.DEPLOY_KEY != '' }}
        uses: actions/checkout@v4
        with:
          ref: ${{ github.event.pull_request.head.sha }}
      - env:
          KEY: ${{ secrets.KEY }}
        run: |
          echo one
          echo ${{ secrets.INLINE }}
";
        let p = parse_workflow("w.yml", text).unwrap();
        assert_eq!(
            p.dispatch_choices,
            [(
                "env".to_string(),
                vec!["staging".into(), "production".into()]
            )]
        );
        assert_eq!(p.env[0].name, "NPM_TOKEN");
        assert_eq!(p.env[0].location.line, 7);
        assert_eq!(p.permissions_at.as_ref().unwrap().line, 9);
        let job = &p.jobs[0];
        assert_eq!(job.permissions_at.as_ref().unwrap().line, 13);
        assert_eq!(job.env[0].value, "${{ secrets.GITHUB_TOKEN }}");
        let reads: Vec<(&str, u32)> = job
            .secrets
            .iter()
            .map(|s| (s.name.as_str(), s.location.line))
            .collect();
        assert_eq!(reads, [("GITHUB_TOKEN", 14), ("KEY", 22), ("INLINE", 25)]);
        assert_eq!(job.steps[0].with[0].0, "ref");
        assert_eq!(job.steps[0].with_at[0].line, 20);
        assert_eq!(job.steps[1].env[0].name, "KEY");
    }

    #[test]
    fn composite_actions_have_one_job() {
        let p = parse_action(
            "action.yml",
            "name: Setup\nruns:\n  using: composite\n  steps:\n    - run: cargo test\n      shell: bash\n",
        )
        .unwrap();
        assert_eq!(p.kind, PipelineKind::CompositeAction);
        assert_eq!(p.jobs[0].steps[0].run.as_ref().unwrap().text, "cargo test");
        let p = parse_action("action.yml", "runs:\n  using: node20\n  main: index.js\n").unwrap();
        assert!(p.jobs.is_empty());
    }

    #[test]
    fn not_a_workflow_is_an_error_with_a_position() {
        let e = parse_workflow("w.yml", "name: x\n").unwrap_err();
        assert!(e.message.contains("jobs"), "{e:?}");
        let e = parse_workflow("w.yml", "jobs: [\n").unwrap_err();
        assert!(e.line >= 1);
        assert!(parse_workflow("w.yml", "").is_err());
    }
}
