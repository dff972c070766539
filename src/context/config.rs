//! Configuration and environments: files under `config/` (environment from
//! the name, top-level keys only — never values), environments evidenced by
//! file and folder names and workflow `environment:`s, infra docs and CI files.

use super::facts::{Fact, Facts};
use super::model::{ConfigFile, DocFile, Evidence, WorkflowFile};
use super::platform::toml_problem;
use super::problem;
use crate::model::{canonical_environment, Location};
use crate::parse::markdown;
use crate::parse::pipeline::{github, Pipeline};
use crate::parse::yaml;
use crate::source::text::{extension, file_name};

/// Canonical environment for a file stem like `production`, `settings.prod`
/// or `application-staging`: the whole stem first, then its last part.
pub fn environment_from_stem(stem: &str) -> Option<&'static str> {
    canonical_environment(stem).or_else(|| {
        stem.rsplit(['.', '-', '_'])
            .next()
            .filter(|last| last.len() < stem.len())
            .and_then(canonical_environment)
    })
}

fn stem(name: &str) -> &str {
    match name.rsplit_once('.') {
        Some((s, _)) if !s.is_empty() => s,
        _ => name,
    }
}

fn env_evidence(facts: &mut Facts, name: &str, location: Location, via: String) {
    facts.push(Fact::Environment(
        name.to_string(),
        Evidence { location, via },
    ));
}

pub fn config_file(path: &str, text: &str, facts: &mut Facts) {
    let name = file_name(path);
    let ext = extension(name);
    let environment = environment_from_stem(stem(name)).map(str::to_string);
    let keys: Vec<(String, u32)> = match ext.as_str() {
        "yml" | "yaml" => match yaml::parse_documents(text) {
            Ok(docs) => docs
                .first()
                .map(|d| {
                    d.entries()
                        .into_iter()
                        .filter_map(|(k, _)| k.as_str().map(|s| (s.to_string(), k.line)))
                        .collect()
                })
                .unwrap_or_default(),
            Err(e) => {
                // ERB-templated YAML (Rails) is only YAML after rendering.
                if !text.contains("<%") {
                    facts.push(Fact::Problem(problem(
                        path,
                        e.line,
                        e.column,
                        format!("invalid YAML: {}", e.message),
                    )));
                }
                top_level_yaml_keys(text)
            }
        },
        "json" => match serde_json::from_str::<serde_json::Value>(text) {
            Ok(serde_json::Value::Object(map)) => map
                .keys()
                .map(|k| (k.clone(), line_of(text, &format!("\"{k}\""))))
                .collect(),
            Ok(_) => Vec::new(),
            Err(e) => {
                facts.push(Fact::Problem(problem(
                    path,
                    e.line() as u32,
                    e.column() as u32,
                    format!("invalid JSON: {e}"),
                )));
                Vec::new()
            }
        },
        "toml" => match toml::de::DeTable::parse(text) {
            Ok(table) => {
                let idx = crate::source::text::LineIndex::new(text);
                table
                    .get_ref()
                    .iter()
                    .map(|(k, _)| (k.get_ref().to_string(), idx.line(k.span().start)))
                    .collect()
            }
            Err(e) => {
                facts.push(Fact::Problem(toml_problem(path, text, &e)));
                Vec::new()
            }
        },
        _ => Vec::new(),
    };
    if let Some(env) = &environment {
        env_evidence(
            facts,
            env,
            Location::file(path),
            "config file name".to_string(),
        );
    }
    // Rails-style files keyed by environment (`database.yml`: development, production …).
    if environment.is_none() {
        for (key, line) in &keys {
            if let Some(env) = canonical_environment(key) {
                env_evidence(
                    facts,
                    env,
                    Location::new(path, *line, 1),
                    format!("config key {key}"),
                );
            }
        }
    }
    facts.push(Fact::Config(ConfigFile {
        path: path.to_string(),
        environment,
        keys: keys.into_iter().map(|(k, _)| k).collect(),
    }));
}

/// Keys at column 0 of a YAML-ish file that does not parse (e.g. ERB templates).
fn top_level_yaml_keys(text: &str) -> Vec<(String, u32)> {
    text.lines()
        .enumerate()
        .filter_map(|(i, line)| {
            let first = line.chars().next()?;
            if !(first.is_ascii_alphanumeric() || first == '_') {
                return None;
            }
            let (key, _) = line.split_once(':')?;
            (!key.contains(' ')).then(|| (key.to_string(), i as u32 + 1))
        })
        .collect()
}

fn line_of(text: &str, needle: &str) -> u32 {
    text.lines()
        .position(|l| l.contains(needle))
        .map_or(0, |i| i as u32 + 1)
}

/// Per-environment deploy config by its path: kustomize overlays, Helm
/// `values-<env>.yaml`, Terraform `envs/<env>/` or `<env>.tfvars`, any
/// YAML/JSON/TOML/HCL file whose path names an environment. Rules read
/// their text to check environments stay apart.
pub fn is_environment_config(path: &str) -> bool {
    let ext = extension(file_name(path));
    matches!(
        ext.as_str(),
        "yml" | "yaml" | "json" | "toml" | "tf" | "tfvars" | "hcl" | "properties"
    ) && path
        .rsplit(['/', '.', '_', '-'])
        .find_map(canonical_environment)
        .is_some()
}

/// Folder names whose children are environments (`overlays/prod/`).
const ENV_PARENTS: &[&str] = &["overlays", "environments", "envs", "deploy", "env"];

/// Environments evidenced by a path alone: `.env.production`, `values-prod.yaml`,
/// `overlays/staging/…`, `environments/dev/…`, `application-prod.yml`.
pub fn environments_from_path(path: &str, facts: &mut Facts) {
    let name = file_name(path);
    let lower = name.to_ascii_lowercase();
    if let Some(suffix) = lower.strip_prefix(".env.") {
        if let Some(env) = canonical_environment(suffix) {
            env_evidence(facts, env, Location::file(path), format!("env file {name}"));
        }
    }
    let ext = extension(&lower);
    if matches!(ext.as_str(), "yml" | "yaml") {
        let s = stem(&lower);
        if let Some(rest) = s
            .strip_prefix("values-")
            .or_else(|| s.strip_prefix("values."))
        {
            if let Some(env) = canonical_environment(rest) {
                env_evidence(
                    facts,
                    env,
                    Location::file(path),
                    format!("Helm values file {name}"),
                );
            }
        }
    }
    if lower.starts_with("application-") && matches!(ext.as_str(), "yml" | "yaml" | "properties") {
        if let Some(env) = canonical_environment(&stem(&lower)["application-".len()..]) {
            env_evidence(
                facts,
                env,
                Location::file(path),
                format!("Spring profile {name}"),
            );
        }
    }
    let parts: Vec<&str> = path.split('/').collect();
    for window in parts.windows(2).take(parts.len().saturating_sub(2)) {
        let (parent, child) = (window[0], window[1]);
        if ENV_PARENTS.contains(&parent.to_ascii_lowercase().as_str()) {
            if let Some(env) = canonical_environment(child) {
                env_evidence(
                    facts,
                    env,
                    Location::file(path),
                    format!("folder {parent}/{child}/"),
                );
            } else if parent != "env" && parent != "deploy" && is_plain_name(child) {
                // The repo's own environment names count only under the strongest parents.
                if parent == "overlays" || parent == "environments" {
                    env_evidence(
                        facts,
                        child,
                        Location::file(path),
                        format!("folder {parent}/{child}/"),
                    );
                }
            }
        }
    }
}

fn is_plain_name(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 32
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !matches!(
            s,
            "base" | "common" | "default" | "shared" | "components" | "modules"
        )
}

pub fn doc_file(path: &str, text: &str, facts: &mut Facts) {
    let headings = markdown::headings(text);
    let title = headings
        .iter()
        .find(|h| h.level == 1)
        .or(headings.first())
        .map(|h| h.text.clone());
    facts.push(Fact::Doc(DocFile {
        path: path.to_string(),
        title,
        headings,
    }));
}

/// A CI workflow: listed, parsed into the pipeline model once, and its jobs'
/// literal `environment:` names are environments. GitLab CI is parsed in
/// `assemble`, where the files its `include: local:` names are at hand.
pub fn workflow(path: &str, text: &str, facts: &mut Facts) {
    let gitlab = path == ".gitlab-ci.yml";
    facts.push(Fact::Workflow(WorkflowFile {
        path: path.to_string(),
        system: if gitlab { "gitlab" } else { "github" }.to_string(),
    }));
    if gitlab {
        return;
    }
    let Some(docs) = super::parse_yaml_or_report(path, text, "workflow YAML", facts) else {
        return;
    };
    match github::workflow_from(path, text, docs.first()) {
        Ok(pipeline) => {
            for (name, evidence) in pipeline_environments(&pipeline) {
                facts.push(Fact::Environment(name, evidence));
            }
            facts.push(Fact::Pipeline(pipeline));
        }
        Err(e) => facts.push(Fact::Problem(problem(
            path,
            e.line,
            e.column,
            format!("not a GitHub Actions workflow: {}", e.message),
        ))),
    }
}

/// A GitHub Action's `action.yml`: composite steps join the pipelines.
pub fn action(path: &str, text: &str, facts: &mut Facts) {
    match github::parse_action(path, text) {
        Ok(pipeline) => facts.push(Fact::Pipeline(pipeline)),
        Err(e) => facts.push(Fact::Problem(problem(
            path,
            e.line,
            e.column,
            format!("action metadata is not valid YAML: {}", e.message),
        ))),
    }
}

/// The environments a pipeline's jobs name literally (expressions are left
/// out: they are decided at run time), canonicalised.
pub fn pipeline_environments(pipeline: &Pipeline) -> Vec<(String, Evidence)> {
    pipeline
        .jobs
        .iter()
        .filter_map(|job| {
            let env = job.environment.as_ref()?;
            let name = env.name.literal().filter(|n| !n.is_empty())?;
            let canonical =
                canonical_environment(name).map_or_else(|| name.to_string(), str::to_string);
            Some((
                canonical,
                Evidence {
                    location: env.location.clone(),
                    via: format!("workflow environment {name}"),
                },
            ))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::context::facts::Collected;

    fn envs(f: &Collected) -> Vec<(String, String)> {
        f.environments
            .iter()
            .map(|(n, e)| (n.clone(), e.via.clone()))
            .collect()
    }

    #[test]
    fn config_files_keys_and_environments() {
        let mut f = Facts::default();
        config_file(
            "config/production.yml",
            "database:\n  password: hunter2\nport: 80\n",
            &mut f,
        );
        let f = f.collect();
        let c = f.config.clone().unwrap();
        assert_eq!(c.environment.as_deref(), Some("production"));
        assert_eq!(c.keys, ["database", "port"]);
        assert_eq!(envs(&f), [("production".into(), "config file name".into())]);
        assert!(!format!("{c:?}").contains("hunter2"));

        let mut f = Facts::default();
        config_file("config/database.yml", "default: &d\n  adapter: pg\ndevelopment:\n  <<: *d\nproduction:\n  url: <%= ENV['X'] %>\n", &mut f);
        let f = f.collect();
        assert_eq!(
            envs(&f).iter().map(|e| e.0.as_str()).collect::<Vec<_>>(),
            ["dev", "production"]
        );
        assert_eq!(f.environments[1].1.location.line, 5);

        let mut f = Facts::default();
        config_file(
            "config/settings.staging.json",
            "{\"a\": 1,\n \"b\": {\"c\": 2}}",
            &mut f,
        );
        let f = f.collect();
        let c = f.config.unwrap();
        assert_eq!(
            (c.environment.as_deref(), c.keys.len()),
            (Some("staging"), 2)
        );

        let mut f = Facts::default();
        config_file(
            "config/app.toml",
            "name = \"x\"\n[server]\nport = 1\n",
            &mut f,
        );
        let f = f.collect();
        assert_eq!(f.config.unwrap().keys, ["name", "server"]);
    }

    #[test]
    fn malformed_config_is_a_problem() {
        for (path, text) in [
            ("config/a.yml", "a: [\n"),
            ("config/a.json", "{\"a\": }"),
            ("config/a.toml", "a = = 1"),
        ] {
            let mut f = Facts::default();
            config_file(path, text, &mut f);
            let f = f.collect();
            assert_eq!(f.problems.len(), 1, "{path}");
            assert!(f.problems[0].location.line >= 1, "{path}");
        }
        let mut f = Facts::default();
        config_file(
            "config/database.yml",
            "production:\n  <% if x %>\n  a: [\n",
            &mut f,
        );
        let f = f.collect();
        assert!(f.problems.is_empty());
        assert_eq!(f.config.unwrap().keys, ["production"]);
    }

    #[test]
    fn environments_from_paths() {
        let mut f = Facts::default();
        for p in [
            ".env.production",
            ".env.example",
            "chart/values-staging.yaml",
            "k8s/overlays/prod/kustomization.yaml",
            "k8s/overlays/eu-west/patch.yaml",
            "k8s/overlays/base/x.yaml",
            "terraform/environments/dev/main.tf",
            "src/main/resources/application-prod.yml",
            "deploy/qa/x.sh",
            "deploy.sh",
        ] {
            environments_from_path(p, &mut f);
        }
        let f = f.collect();
        let got: Vec<_> = f.environments.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            got,
            [
                "production",
                "staging",
                "production",
                "eu-west",
                "dev",
                "production",
                "qa"
            ]
        );
    }

    #[test]
    fn workflows_and_docs() {
        let wf = "on: push\njobs:\n  deploy:\n    environment: production\n  stage:\n    environment:\n      name: stg\n      url: https://x\n  dyn:\n    environment: ${{ inputs.env }}\n";
        let mut f = Facts::default();
        workflow(".github/workflows/deploy.yml", wf, &mut f);
        let f = f.collect();
        let got: Vec<_> = f
            .environments
            .iter()
            .map(|(n, e)| (n.as_str(), e.location.line))
            .collect();
        assert_eq!(got, [("production", 4), ("staging", 7)]);
        let mut f = Facts::default();
        workflow(
            ".gitlab-ci.yml",
            "deploy:\n  environment:\n    name: review/$CI_COMMIT_REF\n",
            &mut f,
        );
        let f = f.collect();
        assert!(f.environments.is_empty());
        assert_eq!(f.workflow.unwrap().system, "gitlab");
        let mut f = Facts::default();
        workflow(".github/workflows/bad.yml", "jobs: [\n", &mut f);
        let f = f.collect();
        assert_eq!(f.problems.len(), 1);

        let mut f = Facts::default();
        doc_file(
            "docs/infra/overview.md",
            "Intro\n\n## Platform\n# Overview\n",
            &mut f,
        );
        let f = f.collect();
        let d = f.doc.unwrap();
        assert_eq!(d.title.as_deref(), Some("Overview"));
        assert_eq!(d.headings.len(), 2);
        assert!(crate::source::kind::is_infra_doc("docs/devops/a.md"));
        assert!(!crate::source::kind::is_infra_doc("docs/a.md"));
    }

    #[test]
    fn stems() {
        assert_eq!(environment_from_stem("production"), Some("production"));
        assert_eq!(environment_from_stem("settings.prod"), Some("production"));
        assert_eq!(
            environment_from_stem("application-staging"),
            Some("staging")
        );
        assert_eq!(environment_from_stem("database"), None);
    }
}
