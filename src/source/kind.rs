//! What a file is, from its path: the one table discovery, the scanner and the
//! rules consult. Names decide; only Kubernetes manifests, Helm templates,
//! Prometheus rule files and Grafana dashboard JSON need a look at the text
//! ([`looks_like_k8s`], [`is_helm_template`], [`looks_like_prometheus_rules`],
//! [`looks_like_grafana_dashboard`]).
//! Package manifests are the exception: each language ecosystem names its own
//! (`context/stack/<ecosystem>.rs`), so adding one touches one file.

use super::text::{extension, file_name};

/// A kind of file discovery reads. A path can be several (`config/x.yml` is
/// config; `.github/workflows/ci.yml` is a GitHub workflow).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u32)]
pub enum FileKind {
    /// The root `README.md`.
    Readme = 1 << 0,
    /// The root `projectplan.md`.
    ProjectPlan = 1 << 1,
    /// A file under the root `config/` folder.
    Config = 1 << 2,
    /// Markdown under `docs/infra/` or `docs/devops/`.
    InfraDoc = 1 << 3,
    /// Markdown anywhere under `docs/`.
    Doc = 1 << 4,
    GithubWorkflow = 1 << 5,
    GitlabCi = 1 << 6,
    Dependabot = 1 << 7,
    InfraToml = 1 << 8,
    /// `.env`, `.env.production`, `prod.env`, …
    EnvFile = 1 << 9,
    Dockerfile = 1 << 10,
    Compose = 1 << 11,
    HelmChart = 1 << 12,
    Terraform = 1 << 13,
    Kustomization = 1 << 14,
    /// A hosting platform's own file (`vercel.json`, `fly.toml`, `Procfile`, …).
    PlatformFile = 1 << 15,
    Yaml = 1 << 16,
    /// A GitHub Action's metadata (`action.yml`): composite steps run in CI.
    ActionFile = 1 << 17,
    /// `Makefile`, `justfile`, `Taskfile.yml`: recipes CI steps call.
    TaskRunner = 1 << 18,
    /// A shell script a CI step may run (`scripts/deploy.sh`).
    ShellScript = 1 << 19,
    /// A CI system infra does not parse (CircleCI, Jenkins, Azure Pipelines,
    /// Bitbucket, Travis, Buildkite, Drone, Cloud Build, CodeBuild, Woodpecker).
    OtherCi = 1 << 20,
}

/// The set of kinds of one path.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Kinds(u32);

impl Kinds {
    pub fn has(self, kind: FileKind) -> bool {
        self.0 & kind as u32 != 0
    }

    fn with(self, kind: FileKind, yes: bool) -> Kinds {
        if yes {
            Kinds(self.0 | kind as u32)
        } else {
            self
        }
    }
}

/// Every kind `path` (relative, `/`-separated) has, by name alone.
pub fn classify(path: &str) -> Kinds {
    let name = file_name(path);
    let lower = name.to_ascii_lowercase();
    let ext = extension(&lower);
    let yaml = matches!(ext.as_str(), "yml" | "yaml");
    Kinds::default()
        .with(FileKind::Readme, is_readme(path))
        .with(FileKind::ProjectPlan, is_plan(path))
        .with(FileKind::Config, is_config_file(path))
        .with(FileKind::InfraDoc, is_infra_doc(path))
        .with(
            FileKind::Doc,
            path.starts_with("docs/") && matches!(ext.as_str(), "md" | "markdown"),
        )
        .with(FileKind::GithubWorkflow, is_github_workflow(path))
        .with(FileKind::GitlabCi, path == ".gitlab-ci.yml")
        .with(
            FileKind::Dependabot,
            path == ".github/dependabot.yml" || path == ".github/dependabot.yaml",
        )
        .with(FileKind::InfraToml, path == "infra.toml")
        .with(FileKind::EnvFile, is_env_file(name))
        .with(FileKind::Dockerfile, is_dockerfile(name))
        .with(FileKind::Compose, is_compose(name))
        .with(FileKind::HelmChart, name == "Chart.yaml")
        .with(FileKind::Terraform, ext == "tf" || ext == "tfvars")
        .with(FileKind::Kustomization, lower.starts_with("kustomization."))
        .with(FileKind::PlatformFile, is_platform_file(path, name))
        .with(FileKind::Yaml, yaml)
        .with(
            FileKind::ActionFile,
            matches!(name, "action.yml" | "action.yaml"),
        )
        .with(FileKind::TaskRunner, is_task_runner(name))
        .with(FileKind::ShellScript, matches!(ext.as_str(), "sh" | "bash"))
        .with(FileKind::OtherCi, other_ci(path).is_some())
}

pub fn is_task_runner(name: &str) -> bool {
    matches!(
        name,
        "Makefile"
            | "makefile"
            | "GNUmakefile"
            | "justfile"
            | "Justfile"
            | ".justfile"
            | "Taskfile.yml"
            | "Taskfile.yaml"
            | "taskfile.yml"
            | "taskfile.yaml"
    )
}

/// The CI system a file configures, for the systems infra does not parse.
pub fn other_ci(path: &str) -> Option<&'static str> {
    Some(match path {
        ".circleci/config.yml" | ".circleci/config.yaml" => "CircleCI",
        "Jenkinsfile" => "Jenkins",
        "azure-pipelines.yml" | "azure-pipelines.yaml" | ".azure-pipelines.yml" => {
            "Azure Pipelines"
        }
        "bitbucket-pipelines.yml" => "Bitbucket Pipelines",
        ".travis.yml" => "Travis CI",
        ".buildkite/pipeline.yml" | ".buildkite/pipeline.yaml" => "Buildkite",
        ".drone.yml" => "Drone",
        "cloudbuild.yaml" | "cloudbuild.yml" => "Cloud Build",
        "buildspec.yml" | "buildspec.yaml" => "AWS CodeBuild",
        ".woodpecker.yml" | ".woodpecker.yaml" => "Woodpecker",
        _ => return None,
    })
}

pub fn is_readme(path: &str) -> bool {
    matches!(
        path.to_ascii_lowercase().as_str(),
        "readme.md" | "readme.markdown" | "readme"
    )
}

pub fn is_plan(path: &str) -> bool {
    path.eq_ignore_ascii_case("projectplan.md")
}

/// Is this a file under the root `config/` folder?
pub fn is_config_file(path: &str) -> bool {
    path.starts_with("config/")
}

pub fn is_infra_doc(path: &str) -> bool {
    (path.starts_with("docs/infra/") || path.starts_with("docs/devops/"))
        && matches!(extension(file_name(path)).as_str(), "md" | "markdown")
}

pub fn is_github_workflow(path: &str) -> bool {
    path.strip_prefix(".github/workflows/").is_some_and(|rest| {
        !rest.contains('/') && matches!(extension(rest).as_str(), "yml" | "yaml")
    })
}

pub fn is_env_file(name: &str) -> bool {
    name == ".env" || name.starts_with(".env.") || (name.ends_with(".env") && name.len() > 4)
}

pub fn is_dockerfile(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower == "dockerfile"
        || lower == "containerfile"
        || lower
            .strip_prefix("dockerfile.")
            .is_some_and(|suffix| !NOT_A_DOCKERFILE_SUFFIX.contains(&suffix))
        || lower.ends_with(".dockerfile")
}

/// `Dockerfile.prod` is a Dockerfile; `dockerfile.rs`, `dockerfile.py` or
/// `dockerfile.md` is code or prose about one.
const NOT_A_DOCKERFILE_SUFFIX: &[&str] = &[
    "rs", "go", "py", "js", "mjs", "cjs", "ts", "tsx", "jsx", "java", "kt", "rb", "php", "cs",
    "swift", "c", "h", "cpp", "md", "txt", "rst", "html", "json", "yml", "yaml", "toml", "lock",
    "snap", "sh",
];

pub fn is_compose(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    matches!(extension(&lower).as_str(), "yml" | "yaml")
        && (lower.starts_with("docker-compose")
            || lower.starts_with("compose.")
            || lower.starts_with("compose-"))
}

/// Is this one of the hosting platforms' own files?
pub fn is_platform_file(path: &str, name: &str) -> bool {
    matches!(
        name,
        "vercel.json"
            | "netlify.toml"
            | "fly.toml"
            | "app.yaml"
            | "app.yml"
            | "cloudbuild.yaml"
            | "cloudbuild.yml"
            | "azure.yaml"
            | "azure.yml"
            | "render.yaml"
            | "Procfile"
            | "heroku.yml"
            | "serverless.yml"
            | "serverless.yaml"
            | "cdk.json"
            | "samconfig.toml"
            | "template.yaml"
            | "template.yml"
    ) || path == ".vercel/project.json"
        || path.ends_with("/.vercel/project.json")
}

/// A YAML file that looks like Kubernetes objects (cheap text check).
pub fn looks_like_k8s(name: &str, text: &str) -> bool {
    matches!(extension(name).as_str(), "yml" | "yaml")
        && text.contains("apiVersion")
        && text.contains("kind")
}

/// A YAML file that may hold Prometheus (or Grafana provisioning) alerting
/// rules: a top-level `groups:` key, `rules:` and an expression. Content
/// decides, not the name: a `rule_files:` entry can name any file. The
/// parse then confirms the shape.
pub fn looks_like_prometheus_rules(name: &str, text: &str) -> bool {
    // `alert.rules`: the extension of Prometheus 1.x, still used as a name.
    matches!(extension(name).as_str(), "yml" | "yaml" | "rules")
        && (text.starts_with("groups:") || text.contains("\ngroups:"))
        && text.contains("rules:")
        && text.contains("expr")
}

/// Named like a rule file (`*.rules.yml`, `alerts.yml`, `prometheus/…`,
/// `rules/…`): a YAML error in such a file is worth reporting.
pub fn is_rule_file_name(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    let name = file_name(&lower);
    name.contains(".rules.")
        || name.starts_with("alert")
        || name.starts_with("rules")
        || lower
            .split('/')
            .any(|d| d == "prometheus" || d == "rules" || d == "alerts")
}

/// A Grafana dashboard exported as JSON (cheap text check: `panels` and
/// `schemaVersion` keys).
pub fn looks_like_grafana_dashboard(name: &str, text: &str) -> bool {
    extension(name) == "json" && text.contains("\"schemaVersion\"") && text.contains("\"panels\"")
}

/// Go-templated YAML inside a Helm chart: not YAML until rendered.
pub fn is_helm_template(path: &str, text: &str) -> bool {
    (path.contains("/templates/") || path.starts_with("templates/")) && text.contains("{{")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_by_path() {
        let k = classify(".github/workflows/ci.yml");
        assert!(k.has(FileKind::GithubWorkflow) && k.has(FileKind::Yaml));
        assert!(classify(".github/actions/setup/action.yml").has(FileKind::ActionFile));
        assert!(classify("Makefile").has(FileKind::TaskRunner));
        assert!(classify("web/justfile").has(FileKind::TaskRunner));
        assert!(classify("scripts/deploy.sh").has(FileKind::ShellScript));
        assert!(classify(".circleci/config.yml").has(FileKind::OtherCi));
        assert!(!classify("ci/config.yml").has(FileKind::OtherCi));
        assert!(!k.has(FileKind::Compose));
        assert!(classify("config/production.yml").has(FileKind::Config));
        assert!(classify("docs/infra/overview.md").has(FileKind::InfraDoc));
        assert!(classify("docs/infra/overview.md").has(FileKind::Doc));
        assert!(classify("svc/Dockerfile.prod").has(FileKind::Dockerfile));
        assert!(classify("svc/dockerfile.alpine").has(FileKind::Dockerfile));
        // A parser's source file or its docs are not a Dockerfile.
        assert!(!classify("src/parse/dockerfile.rs").has(FileKind::Dockerfile));
        assert!(!classify("docs/dockerfile.md").has(FileKind::Dockerfile));
        assert!(classify("docker-compose.override.yml").has(FileKind::Compose));
        assert!(classify("k8s/overlays/prod/kustomization.yaml").has(FileKind::Kustomization));
        assert!(classify("infra/main.tf").has(FileKind::Terraform));
        assert!(classify("web/.vercel/project.json").has(FileKind::PlatformFile));
        assert!(classify(".env.production").has(FileKind::EnvFile));
        assert!(classify("README.md").has(FileKind::Readme));
        assert!(!classify("docs/README.md").has(FileKind::Readme));
        assert_eq!(classify("src/main.rs"), Kinds::default());
        assert!(!is_github_workflow(".github/workflows/sub/ci.yaml"));
        assert!(looks_like_k8s("a.yaml", "apiVersion: v1\nkind: Pod\n"));
        assert!(is_helm_template("chart/templates/d.yaml", "{{ .Values }}"));
        let rules = "groups:\n- name: a\n  rules:\n  - alert: X\n    expr: up == 0\n";
        assert!(looks_like_prometheus_rules("any.yml", rules));
        assert!(!looks_like_prometheus_rules("any.json", rules));
        assert!(looks_like_prometheus_rules("prometheus/alert.rules", rules));
        assert!(!looks_like_prometheus_rules(
            "a.yml",
            "spec:\n  groups:\n  - rules: []\n    expr: 1\n"
        ));
        assert!(is_rule_file_name("deploy/prometheus/app.yml"));
        assert!(is_rule_file_name("api.rules.yaml") && is_rule_file_name("alerts.yml"));
        assert!(!is_rule_file_name("config/app.yml"));
        assert!(looks_like_grafana_dashboard(
            "d.json",
            "{\"panels\": [], \"schemaVersion\": 39}"
        ));
        assert!(!looks_like_grafana_dashboard(
            "package.json",
            "{\"name\": \"x\"}"
        ));
    }
}
