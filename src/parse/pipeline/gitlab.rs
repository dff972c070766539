//! GitLab CI (`.gitlab-ci.yml`) into the pipeline model: stages, jobs with
//! `extends:` and `!reference` resolved, `needs`, `rules`/`only`/`except`,
//! `when: manual`, environments, and `include:` of local files (read
//! through the caller, so this module never touches the disk).

use super::{
    Condition, EnvVar, Environment, Event, Job, Needs, Pipeline, PipelineError, PipelineKind,
    RefFilter, Script, Step, System, Trigger, Value,
};
use crate::model::Location;
use crate::parse::yaml::{self, Yaml};

const DEFAULT_STAGES: [&str; 5] = [".pre", "build", "test", "deploy", ".post"];
/// Keys at the top of `.gitlab-ci.yml` that are not jobs.
const GLOBAL_KEYS: [&str; 12] = [
    "stages",
    "variables",
    "default",
    "workflow",
    "include",
    "image",
    "services",
    "before_script",
    "after_script",
    "cache",
    "types",
    "pages:deploy",
];
/// `extends:` chains deeper than this are cut (GitLab allows 11 levels).
const MAX_EXTENDS: usize = 11;
/// Local includes followed at most this deep.
const MAX_INCLUDE_DEPTH: usize = 8;

/// One YAML document of jobs, after local includes are merged in.
struct Source {
    path: String,
    doc: Yaml,
}

/// Parse `.gitlab-ci.yml`; `read_local` returns the text of a file of this
/// repository (`include: local:`), or `None` when it is absent.
pub fn parse(
    path: &str,
    text: &str,
    read_local: &dyn Fn(&str) -> Option<String>,
) -> Result<Pipeline, PipelineError> {
    let mut sources: Vec<Source> = Vec::new();
    let mut external = Vec::new();
    load(path, text, read_local, &mut sources, &mut external, 0)?;

    // Later files win for a key of the same name, as in GitLab's merge.
    let mut entries: Vec<(String, usize, &Yaml, &Yaml)> = Vec::new();
    for (i, source) in sources.iter().enumerate() {
        for (k, v) in source.doc.entries() {
            let Some(name) = k.as_str() else { continue };
            entries.retain(|(n, ..)| n != name);
            entries.push((name.to_string(), i, k, v));
        }
    }
    let find = |name: &str| {
        entries
            .iter()
            .find(|(n, ..)| n == name)
            .map(|(_, i, _, v)| (*i, *v))
    };
    let stages = find("stages")
        .and_then(|(_, v)| v.as_seq())
        .map(|s| {
            s.iter()
                .filter_map(Yaml::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_else(|| DEFAULT_STAGES.iter().map(|s| s.to_string()).collect());

    let mut jobs = Vec::new();
    for (name, i, key, body) in &entries {
        if name.starts_with('.') || GLOBAL_KEYS.contains(&name.as_str()) || body.as_map().is_none()
        {
            continue;
        }
        let source = &sources[*i];
        let at = |node: &Yaml| Location::new(source.path.clone(), node.line, node.column);
        let chain = extends_chain(body, &find);
        jobs.push(job(name, key, &chain, &find, &sources, &at));
    }
    let workflow_rules = find("workflow")
        .and_then(|(i, w)| w.get("rules").map(|r| (i, r)))
        .map(|(i, r)| {
            rules(r, &|n: &Yaml| {
                Location::new(sources[i].path.clone(), n.line, n.column)
            })
        })
        .unwrap_or_default();
    let triggers = triggers(path, &workflow_rules, &jobs);
    Ok(Pipeline {
        system: System::GitlabCi,
        kind: PipelineKind::Workflow,
        path: path.to_string(),
        name: None,
        triggers,
        permissions: None,
        permissions_at: None,
        env: find("variables")
            .map(|(i, v)| {
                variables(v, &|n: &Yaml| {
                    Location::new(sources[i].path.clone(), n.line, n.column)
                })
            })
            .unwrap_or_default(),
        dispatch_choices: Vec::new(),
        jobs,
        stages,
        external_includes: external,
    })
}

fn load(
    path: &str,
    text: &str,
    read_local: &dyn Fn(&str) -> Option<String>,
    sources: &mut Vec<Source>,
    external: &mut Vec<(String, Location)>,
    depth: usize,
) -> Result<(), PipelineError> {
    let docs = yaml::parse_documents(text)?;
    let Some(doc) = docs.into_iter().next() else {
        return Ok(());
    };
    if let Some(include) = doc.get("include") {
        let items: Vec<&Yaml> = match include.as_seq() {
            Some(items) => items.iter().collect(),
            None => vec![include],
        };
        for item in items {
            let at = Location::new(path, item.line, item.column);
            let local = item
                .as_str()
                .filter(|s| !s.contains("://"))
                .or_else(|| item.str_at("local"));
            match local {
                Some(file) if depth < MAX_INCLUDE_DEPTH && !file.contains('*') => {
                    let file = file.trim_start_matches('/');
                    match read_local(file) {
                        Some(inner) => {
                            load(file, &inner, read_local, sources, external, depth + 1)?
                        }
                        None => external.push((format!("{file} (not found)"), at)),
                    }
                }
                _ => {
                    let what = item
                        .as_str()
                        .map(str::to_string)
                        .or_else(|| {
                            ["project", "remote", "template", "component", "local"]
                                .iter()
                                .find_map(|k| item.str_at(k).map(|v| format!("{k}: {v}")))
                        })
                        .unwrap_or_else(|| "include".into());
                    external.push((what, at));
                }
            }
        }
    }
    sources.push(Source {
        path: path.to_string(),
        doc,
    });
    Ok(())
}

/// The job's body first, then what it extends, nearest first.
fn extends_chain<'y>(
    body: &'y Yaml,
    find: &dyn Fn(&str) -> Option<(usize, &'y Yaml)>,
) -> Vec<&'y Yaml> {
    let mut chain = vec![body];
    let mut queue: Vec<String> = names(body.get("extends"));
    let mut seen = 0;
    while let Some(parent) = queue.first().cloned() {
        queue.remove(0);
        seen += 1;
        if seen > MAX_EXTENDS {
            break;
        }
        if let Some((_, node)) = find(&parent) {
            if !chain.iter().any(|c| std::ptr::eq(*c, node)) {
                chain.push(node);
                queue.extend(names(node.get("extends")));
            }
        }
    }
    chain
}

fn names(node: Option<&Yaml>) -> Vec<String> {
    node.map(Yaml::str_list).unwrap_or_default()
}

/// The nearest definition of `key` along the extends chain.
fn lookup<'y>(chain: &[&'y Yaml], key: &str) -> Option<&'y Yaml> {
    chain.iter().find_map(|node| node.get(key))
}

fn job<'y>(
    name: &str,
    key: &Yaml,
    chain: &[&'y Yaml],
    find: &dyn Fn(&str) -> Option<(usize, &'y Yaml)>,
    sources: &[Source],
    at: &dyn Fn(&Yaml) -> Location,
) -> Job {
    let needs = match lookup(chain, "needs") {
        None => Needs::Unset,
        Some(n) => Needs::List(
            n.as_seq()
                .map(|items| {
                    items
                        .iter()
                        .filter_map(|i| i.as_str().or_else(|| i.str_at("job")))
                        .map(str::to_string)
                        .collect()
                })
                .unwrap_or_default(),
        ),
    };
    let mut conditions = lookup(chain, "rules")
        .map(|r| rules(r, at))
        .unwrap_or_default();
    for (key, prefix) in [("only", "only"), ("except", "except")] {
        if let Some(node) = lookup(chain, key) {
            let refs = node.get("refs").unwrap_or(node);
            for r in names(Some(refs)) {
                conditions.push(Condition {
                    text: format!("{prefix}: {r}"),
                    location: at(node),
                });
            }
        }
    }
    let manual = lookup(chain, "when").and_then(Yaml::as_str) == Some("manual");
    let environment = lookup(chain, "environment").and_then(|e| {
        let node = e.get("name").unwrap_or(e);
        Some(Environment {
            name: Value::from_text(node.as_str()?),
            location: at(node),
        })
    });
    let may_fail = lookup(chain, "allow_failure").and_then(Yaml::as_str) == Some("true");
    let mut steps = Vec::new();
    for part in ["before_script", "script", "after_script"] {
        if let Some(node) = lookup(chain, part) {
            script_steps(node, part, find, sources, at, may_fail, &mut steps, 0);
        }
    }
    Job {
        id: name.to_string(),
        name: None,
        location: at(key),
        needs,
        condition: None,
        rules: conditions,
        environment,
        permissions: None,
        permissions_at: None,
        env: lookup(chain, "variables")
            .map(|v| variables(v, at))
            .unwrap_or_default(),
        secrets: Vec::new(),
        calls: None,
        steps,
        stage: Some(
            lookup(chain, "stage")
                .and_then(Yaml::as_str)
                .unwrap_or("test")
                .to_string(),
        ),
        manual,
        uses_secrets: false,
        timeout: lookup(chain, "timeout").is_some(),
    }
}

/// Each script line becomes a step; `!reference [.job, key]` (a nested
/// sequence once tags are dropped) is resolved through `find`.
#[allow(clippy::too_many_arguments)]
fn script_steps<'y>(
    node: &Yaml,
    part: &str,
    find: &dyn Fn(&str) -> Option<(usize, &'y Yaml)>,
    sources: &[Source],
    at: &dyn Fn(&Yaml) -> Location,
    may_fail: bool,
    out: &mut Vec<Step>,
    depth: usize,
) {
    if depth > 10 {
        return;
    }
    let items: Vec<&Yaml> = match node.as_seq() {
        Some(items) => items.iter().collect(),
        None => vec![node],
    };
    for item in items {
        if let Some(text) = item.as_str() {
            out.push(Step {
                name: Some(part.to_string()),
                location: at(item),
                uses: None,
                with: Vec::new(),
                with_at: Vec::new(),
                env: Vec::new(),
                run: Some(Script {
                    text: text.to_string(),
                    line: item.line,
                }),
                condition: None,
                may_fail,
                working_directory: None,
                runs: Default::default(),
            });
        } else if let Some(reference) = item.as_seq() {
            let path: Vec<&str> = reference.iter().filter_map(Yaml::as_str).collect();
            if let [job, rest @ ..] = path.as_slice() {
                if let Some((i, target)) = find(job) {
                    if let Some(inner) = rest.iter().try_fold(target, |n, k| n.get(k)) {
                        let source = &sources[i];
                        let inner_at =
                            |n: &Yaml| Location::new(source.path.clone(), n.line, n.column);
                        script_steps(
                            inner,
                            part,
                            find,
                            sources,
                            &inner_at,
                            may_fail,
                            out,
                            depth + 1,
                        );
                        continue;
                    }
                }
            }
            // A nested list that is no resolvable reference: GitLab flattens it.
            script_steps(item, part, find, sources, at, may_fail, out, depth + 1);
        }
    }
}

/// `variables:`: `NAME: value` or `NAME: {value: …, description: …}`.
fn variables(node: &Yaml, at: &dyn Fn(&Yaml) -> Location) -> Vec<EnvVar> {
    node.entries()
        .into_iter()
        .filter_map(|(k, v)| {
            let value = v.as_str().or_else(|| v.str_at("value"))?;
            Some(EnvVar {
                name: k.as_str()?.to_string(),
                value: value.to_string(),
                location: at(k),
            })
        })
        .collect()
}

fn rules(node: &Yaml, at: &dyn Fn(&Yaml) -> Location) -> Vec<Condition> {
    node.as_seq()
        .map(|items| {
            items
                .iter()
                .map(|r| {
                    let mut text = r.str_at("if").unwrap_or("always").to_string();
                    if let Some(when) = r.str_at("when") {
                        text.push_str(&format!(" -> when: {when}"));
                    }
                    Condition {
                        text,
                        location: at(r),
                    }
                })
                .collect()
        })
        .unwrap_or_default()
}

/// GitLab runs pipelines on pushes to any branch and tag and on merge
/// requests when `workflow: rules` allow; refs the model can read from
/// `workflow:rules` are kept as conditions on the jobs' side, so the
/// triggers here are the broad ones.
fn triggers(path: &str, workflow_rules: &[Condition], jobs: &[Job]) -> Vec<Trigger> {
    let location = workflow_rules
        .first()
        .map(|c| c.location.clone())
        .unwrap_or_else(|| Location::new(path, 1, 1));
    let mr = workflow_rules
        .iter()
        .chain(jobs.iter().flat_map(|j| j.rules.iter()))
        .any(|c| c.text.contains("merge_request") || c.text.contains("only: merge_requests"));
    let mut out = vec![Trigger {
        event: Event::Push {
            branches: Some(RefFilter::any()),
            tags: Some(RefFilter::any()),
        },
        location: location.clone(),
    }];
    if mr {
        out.push(Trigger {
            event: Event::MergeRequest,
            location,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const CI: &str = "\
stages: [build, test, deploy]
include:
  - local: ci/templates.yml
  - project: other/group
    file: ci.yml
.deploy:
  image: alpine
  environment:
    name: production
  when: manual
build:
  stage: build
  script:
    - npm ci
    - npm run build
test:
  stage: test
  script: npm test
deploy:
  extends: .deploy
  stage: deploy
  needs: []
  rules:
    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH
  script:
    - !reference [.setup, script]
    - helm upgrade --install app ./chart
";

    fn read(file: &str) -> Option<String> {
        (file == "ci/templates.yml").then(|| {
            ".setup:\n  script:\n    - echo setting up\n    - aws sts get-caller-identity\n"
                .to_string()
        })
    }

    #[test]
    fn stages_extends_references_includes_and_needs() {
        let p = parse(".gitlab-ci.yml", CI, &read).unwrap();
        assert_eq!(p.stages, ["build", "test", "deploy"]);
        assert_eq!(p.external_includes.len(), 1);
        assert!(p.external_includes[0].0.contains("other/group"));
        let ids: Vec<&str> = p.jobs.iter().map(|j| j.id.as_str()).collect();
        assert_eq!(ids, ["build", "test", "deploy"]);
        let deploy = &p.jobs[2];
        assert_eq!(deploy.needs, Needs::List(vec![]));
        assert!(deploy.manual);
        assert_eq!(
            deploy.environment.as_ref().unwrap().name.literal(),
            Some("production")
        );
        assert_eq!(
            deploy.rules[0].text,
            "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH"
        );
        let commands: Vec<(String, u32)> = deploy
            .steps
            .iter()
            .map(|s| (s.run.as_ref().unwrap().text.clone(), s.location.line))
            .collect();
        assert_eq!(
            commands,
            [
                ("echo setting up".to_string(), 3),
                ("aws sts get-caller-identity".to_string(), 4),
                ("helm upgrade --install app ./chart".to_string(), 27),
            ]
        );
        assert_eq!(deploy.steps[0].location.path, "ci/templates.yml");
        assert_eq!(p.jobs[1].stage.as_deref(), Some("test"));
        assert_eq!(p.jobs[1].needs, Needs::Unset);
    }

    #[test]
    fn defaults_only_except_and_missing_includes() {
        let p = parse(
            ".gitlab-ci.yml",
            "include: ci/missing.yml\nrelease:\n  only: [tags]\n  except:\n    refs: [branches]\n  script: [make release]\n",
            &|_: &str| None::<String>,
        )
        .unwrap();
        assert_eq!(p.stages.len(), 5);
        let job = &p.jobs[0];
        assert_eq!(job.stage.as_deref(), Some("test"));
        let texts: Vec<&str> = job.rules.iter().map(|c| c.text.as_str()).collect();
        assert_eq!(texts, ["only: tags", "except: branches"]);
        assert!(p.external_includes[0].0.contains("not found"));
    }

    #[test]
    fn include_cycles_end() {
        let looped = |_: &str| Some("include: a.yml\nx:\n  script: [true]\n".to_string());
        let p = parse(".gitlab-ci.yml", "include: a.yml\n", &looped).unwrap();
        assert_eq!(p.jobs.len(), 1);
    }
}
