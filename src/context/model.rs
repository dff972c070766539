//! What discovery found, as plain data. Rendering and audit read this; only
//! `context::discover` writes it. Serialised as `infra context --format json`
//! (schema documented in docs/context.md, `version` bumps on breaking change).

use crate::context::stack::Language;
use crate::model::{Location, ServiceKind};
use crate::platform::Platform;
// Types of the context's own fields that lower layers define.
pub use crate::model::Problem;
pub use crate::parse::markdown::Heading;
pub use crate::source::walk::{RepoFile, WalkStats};
use serde::Serialize;
use std::collections::BTreeMap;

pub const CONTEXT_JSON_VERSION: u32 = 1;

#[derive(Debug, Clone, Default, Serialize)]
pub struct Context {
    pub version: u32,
    /// The repository root as given (display only).
    pub root: String,
    pub project: ProjectInfo,
    pub plan: Option<ProjectPlan>,
    pub environments: Vec<DiscoveredEnvironment>,
    pub config_files: Vec<ConfigFile>,
    pub docs: Vec<DocFile>,
    pub stacks: Vec<Stack>,
    pub platform_hints: Vec<PlatformHint>,
    pub containers: Vec<Dockerfile>,
    pub compose_services: Vec<ComposeService>,
    pub kubernetes: Vec<K8sObject>,
    pub helm_charts: Vec<HelmChart>,
    /// Go-templated manifests of Helm charts, by path: not YAML until
    /// rendered, so no rule reads the objects they define.
    #[serde(skip)]
    pub helm_templates: Vec<String>,
    #[serde(skip)]
    pub kustomizations: Vec<Kustomization>,
    pub terraform: Terraform,
    pub services: Vec<Service>,
    pub env_vars: Vec<EnvVar>,
    pub env_files: Vec<EnvFile>,
    pub workflows: Vec<WorkflowFile>,
    /// Every CI pipeline parsed into the model (GitHub workflows and
    /// composite actions, GitLab CI with its local includes), by path.
    #[serde(skip)]
    pub pipelines: Vec<crate::parse::pipeline::Pipeline>,
    /// CI configuration of systems infra does not parse: (path, system).
    #[serde(skip)]
    pub other_ci: Vec<(String, &'static str)>,
    /// Files that could not be parsed; audit turns these into findings.
    pub problems: Vec<Problem>,
    pub stats: WalkStats,
    /// Every file the walk saw, sorted by path (not in JSON: it can be huge).
    #[serde(skip)]
    pub files: Vec<RepoFile>,
    /// What git tracks below the root; `None` outside a git work tree.
    #[serde(skip)]
    pub git_tracked: Option<std::collections::BTreeSet<String>>,
    /// Text of the small files rules and templates read again (docs, workflows,
    /// manifests, config, env files), keyed by path: read once during the walk.
    #[serde(skip)]
    pub texts: BTreeMap<String, String>,
    /// Alerts and dashboards defined as code (Prometheus rules, cloud alarms,
    /// Grafana dashboards), in path order.
    #[serde(skip)]
    pub monitoring: Vec<MonitorDef>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MonitorKind {
    Alert,
    Dashboard,
}

/// One alert or dashboard defined in the repository.
#[derive(Debug, Clone)]
pub struct MonitorDef {
    pub kind: MonitorKind,
    /// The alert's or dashboard's name as written (`HighErrorRate`).
    pub name: String,
    /// What defines it: `PrometheusRule`, `Prometheus rule file`,
    /// `aws_cloudwatch_metric_alarm`, `Grafana dashboard JSON`, …
    pub via: String,
    pub location: Location,
    /// What the alert watches, lower-cased: its name, expression, metric,
    /// query or filter (empty for dashboards). Rules read signals from it.
    pub watches: String,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct ProjectInfo {
    /// The README's first heading.
    pub name: Option<String>,
    /// The README's first paragraph of prose.
    pub summary: Option<String>,
    pub readme: Option<String>,
    /// The repository folder's name, the fallback for `project.name`.
    pub dir_name: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ProjectPlan {
    pub path: String,
    pub sections: Vec<Heading>,
    pub tasks: Vec<PlanTask>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PlanTask {
    pub text: String,
    pub done: bool,
    /// `P0`…`P3`, `high`/`medium`/`low`, from the item or its heading.
    pub priority: Option<String>,
    /// The nearest heading above the task.
    pub section: Option<String>,
    pub line: u32,
}

#[derive(Debug, Clone, Serialize)]
pub struct DiscoveredEnvironment {
    /// Canonical name (`dev`, `staging`, `production`, …) or the repo's own.
    pub name: String,
    pub evidence: Vec<Evidence>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct Evidence {
    pub location: Location,
    /// Why this counts, e.g. `dependency "pg"`, `image postgres:16`, `file name`.
    pub via: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ConfigFile {
    pub path: String,
    /// Canonical environment the file is for, from its name.
    pub environment: Option<String>,
    /// Top-level keys (values are never kept: they may be secrets).
    pub keys: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct DocFile {
    pub path: String,
    pub title: Option<String>,
    pub headings: Vec<Heading>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Stack {
    pub language: Language,
    /// The manifest that defines it, e.g. `package.json` or `api/go.mod`.
    pub manifest: String,
    /// Folder of the manifest relative to the root (`""` for the root).
    pub dir: String,
    pub name: Option<String>,
    pub frameworks: Vec<String>,
    pub dependencies: Vec<Dependency>,
    /// `package.json` scripts, `[project.scripts]`, … name ⇒ command.
    pub scripts: BTreeMap<String, String>,
    /// npm, pnpm, yarn, bun, pip, poetry, uv, pipenv, cargo, go, bundler, composer, maven, gradle.
    pub package_manager: Option<String>,
    /// Commands this repo uses for each CI step, derived from the manifest.
    pub commands: StackCommands,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct StackCommands {
    pub install: Option<String>,
    pub build: Option<String>,
    pub lint: Option<String>,
    pub typecheck: Option<String>,
    pub test: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Dependency {
    pub name: String,
    pub version: Option<String>,
    pub dev: bool,
    pub line: u32,
    /// Where it is fetched from when that is not the ecosystem's registry
    /// (a git repository, a URL, a local path); `None` for the registry.
    #[serde(skip)]
    pub source: Option<DepSource>,
}

/// A dependency taken from outside its registry, as the manifest says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DepSource {
    pub kind: SourceKind,
    /// The URL or path as written (`git+https://…`, `../lib`).
    pub spec: String,
    /// 1-based line that says it (the `replace` line of a go.mod, the
    /// `[tool.uv.sources]` entry), which may differ from the dependency's.
    pub line: u32,
    /// The manifest that says it (a folder's manifests merge into one stack).
    pub file: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum SourceKind {
    Git,
    /// A tarball, wheel or archive by URL.
    Url,
    /// A folder or file on disk, relative to the manifest unless absolute.
    Path,
}

impl SourceKind {
    pub fn id(self) -> &'static str {
        match self {
            SourceKind::Git => "git",
            SourceKind::Url => "url",
            SourceKind::Path => "path",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct PlatformHint {
    /// A supported target, or `None` for hints about other hosts (render, heroku).
    pub platform: Option<Platform>,
    /// The host's name as the hint names it (`render`, `heroku`, `aws`, …).
    pub host: String,
    pub region: Option<String>,
    pub location: Location,
    pub via: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Dockerfile {
    pub path: String,
    pub base_images: Vec<String>,
    pub exposed_ports: Vec<String>,
    pub has_healthcheck: bool,
    pub runs_as_non_root: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct ComposeService {
    pub name: String,
    pub image: Option<String>,
    pub location: Location,
    pub ports: Vec<String>,
    pub depends_on: Vec<String>,
    /// Names under `environment:` (values are never kept).
    pub environment: Vec<String>,
    /// A memory or CPU limit: `deploy.resources.limits`, `mem_limit`, `cpus`.
    #[serde(skip)]
    pub limits: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct K8sObject {
    pub kind: String,
    pub name: Option<String>,
    pub namespace: Option<String>,
    pub location: Location,
    pub images: Vec<String>,
    /// For workloads: does every container set CPU and memory limits?
    pub has_resource_limits: Option<bool>,
    /// The containers (init containers too) of a workload's pod template
    /// and which limits each sets.
    #[serde(skip)]
    pub container_limits: Vec<ContainerLimits>,
    /// A CronJob's bounds on one run.
    #[serde(skip)]
    pub cron: Option<CronBounds>,
    /// A LimitRange's container defaults: (cpu, memory) limits it sets.
    #[serde(skip)]
    pub default_limits: Option<(bool, bool)>,
    /// A Service of type LoadBalancer or NodePort: what it opens outside
    /// the cluster.
    #[serde(skip)]
    pub exposed: Option<ExposedService>,
    /// A workload's database or search containers and where each keeps its data.
    #[serde(skip)]
    pub stores: Vec<PodStore>,
    /// For an Ingress: whether it serves HTTPS.
    #[serde(skip)]
    pub ingress: Option<IngressTls>,
    /// The document is a kustomize patch (its file is listed under a
    /// kustomization's `patches`/`patchesStrategicMerge`): a partial object
    /// that changes a base, not a whole object, so rules do not judge what
    /// it leaves out.
    #[serde(skip)]
    pub patch: bool,
}

/// A `kustomization.yaml`: what it builds from and what it patches, as
/// paths relative to the repository root.
#[derive(Debug, Clone, Default)]
pub struct Kustomization {
    pub path: String,
    /// Files and folders under `resources`, `bases` and `components`.
    pub resources: Vec<String>,
    /// Patch files under `patches[].path` and `patchesStrategicMerge`.
    pub patches: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct PodStore {
    pub container: String,
    pub image: String,
    /// Where the container's entry starts.
    pub location: Location,
    pub storage: PodStorage,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PodStorage {
    /// A claim, a claim template, a host path or another lasting volume.
    Lasting,
    /// Only `emptyDir` volumes: gone with the pod.
    EmptyDir(String),
    /// No volume mounted at all (or only config and secrets): the data is in
    /// the container's writable layer.
    None,
}

#[derive(Debug, Clone)]
pub struct ExposedService {
    /// `LoadBalancer` or `NodePort`.
    pub service_type: String,
    /// Where `type:` is written.
    pub location: Location,
    pub ports: Vec<ServicePort>,
    /// The `spec.selector` labels' values (`app: postgres` gives `postgres`).
    pub selector: Vec<String>,
    /// An annotation makes the load balancer internal (cloud-provider
    /// annotations such as `service.beta.kubernetes.io/aws-load-balancer-internal`
    /// or `networking.gke.io/load-balancer-type: Internal`).
    pub internal: bool,
    /// `spec.loadBalancerSourceRanges` as written.
    pub source_ranges: Vec<String>,
    /// A cloud annotation gives the load balancer a TLS certificate
    /// (`service.beta.kubernetes.io/aws-load-balancer-ssl-cert`, …).
    pub tls_annotation: bool,
}

/// An Ingress and whether it serves HTTPS.
#[derive(Debug, Clone)]
pub struct IngressTls {
    pub location: Location,
    /// `spec.tls` has an entry.
    pub tls: bool,
    /// A controller annotation attaches a certificate or forces HTTPS
    /// (ALB `certificate-arn`, GKE `pre-shared-cert`/`managed-certificates`,
    /// `force-ssl-redirect`).
    pub cert_annotation: bool,
}

#[derive(Debug, Clone)]
pub struct ServicePort {
    pub name: Option<String>,
    pub port: Option<u32>,
    /// `targetPort` as written (a number or a container port's name).
    pub target: Option<String>,
    pub line: u32,
}

#[derive(Debug, Clone)]
pub struct ContainerLimits {
    pub name: Option<String>,
    pub location: Location,
    /// `resources.limits.cpu` / `.memory` are set.
    pub cpu: bool,
    pub memory: bool,
    pub init: bool,
}

#[derive(Debug, Clone)]
pub struct CronBounds {
    /// `spec.jobTemplate.spec.activeDeadlineSeconds` is set.
    pub active_deadline: bool,
    /// `spec.concurrencyPolicy` as written (`None`: Kubernetes' default, Allow).
    pub concurrency_policy: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct HelmChart {
    /// The chart's `Chart.yaml`.
    pub path: String,
    pub name: Option<String>,
    /// Names of the charts it depends on (`postgresql`, `redis`, …).
    pub dependencies: Vec<String>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Terraform {
    pub providers: Vec<TerraformBlock>,
    pub resources: Vec<TerraformBlock>,
    /// `module` blocks (kind: the module's `source`).
    pub modules: Vec<TerraformBlock>,
    /// `*.tfvars` files, with the environment their name or folder names.
    #[serde(skip)]
    pub variables: Vec<TerraformVariables>,
    /// `variable` blocks (name: the variable's; body: its `type`, `default`, …).
    #[serde(skip)]
    pub inputs: Vec<TerraformBlock>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TerraformBlock {
    /// Provider name, resource type (`aws_db_instance`) or module source.
    pub kind: String,
    /// Resource or module name (`main`); empty for providers.
    pub name: String,
    pub location: Location,
    /// What the block holds (empty for providers), for the rules.
    #[serde(skip)]
    pub body: crate::parse::terraform::Body,
}

#[derive(Debug, Clone)]
pub struct TerraformVariables {
    pub path: String,
    pub environment: Option<String>,
    pub body: crate::parse::terraform::Body,
}

#[derive(Debug, Clone, Serialize)]
pub struct Service {
    /// Stable id (`postgresql`, `stripe`, …).
    pub id: String,
    pub name: String,
    pub kind: ServiceKind,
    pub evidence: Vec<Evidence>,
    /// The README names it but nothing in the code, manifests or infra files
    /// uses it: a plan or a comparison, not a dependency. Rules that need a
    /// service to exist (backups, runbooks, caching) skip these.
    pub mentioned_only: bool,
    /// The app connects to it with its own settings (an env var, a compose,
    /// k8s or Terraform resource, an ORM or framework config), or it is an
    /// embedded store the app ships. `false` for a driver dependency alone:
    /// a client library for reaching other systems.
    pub own: bool,
    /// Lives in the app's process and a file (SQLite, LevelDB, H2, …):
    /// backing it up means copying the file or its volume.
    pub embedded: bool,
    /// What the app uses it for, each with the evidence for that role.
    pub roles: Vec<RoleEvidence>,
}

/// What a service is to the app, from the calls made and the config.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ServiceRole {
    /// Holds data the app cannot rebuild: needs backups and a runbook.
    Store,
    /// Copies of data kept elsewhere, with expiry.
    Cache,
    /// Jobs or messages waiting to be processed.
    Queue,
    /// Messages fanned out to subscribers and not kept.
    PubSub,
    /// Only a driver dependency: the app reaches someone else's system.
    Client,
}

impl ServiceRole {
    pub fn id(self) -> &'static str {
        match self {
            ServiceRole::Store => "store",
            ServiceRole::Cache => "cache",
            ServiceRole::Queue => "queue",
            ServiceRole::PubSub => "pubsub",
            ServiceRole::Client => "client",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct RoleEvidence {
    pub role: ServiceRole,
    pub evidence: Vec<Evidence>,
}

impl Service {
    pub fn has_role(&self, role: ServiceRole) -> bool {
        self.roles.iter().any(|r| r.role == role)
    }

    pub fn role_ids(&self) -> Vec<&'static str> {
        self.roles.iter().map(|r| r.role.id()).collect()
    }

    /// The app's own store of data it cannot rebuild (checklist §5.4).
    pub fn is_own_store(&self) -> bool {
        self.own && !self.mentioned_only && self.has_role(ServiceRole::Store)
    }

    /// The app's own cache (checklist §6.2).
    pub fn is_own_cache(&self) -> bool {
        self.own && !self.mentioned_only && self.has_role(ServiceRole::Cache)
    }

    /// The app's own service whose outage stops it (checklist §7.2): a
    /// store, a queue holding work not yet done, or a cache the app reads
    /// on every request. Not a client library for someone else's system, a
    /// pub/sub channel alone, or a service with no use found.
    pub fn is_own_critical(&self) -> bool {
        self.own
            && !self.mentioned_only
            && (self.has_role(ServiceRole::Store)
                || self.has_role(ServiceRole::Queue)
                || self.has_role(ServiceRole::Cache))
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct EnvVar {
    pub name: String,
    pub reads: Vec<EnvRead>,
    /// Looks like it holds a credential (name ends in KEY, SECRET, TOKEN, PASSWORD, …).
    pub secret: bool,
    /// Who is expected to supply it (only app configuration belongs in `.env.example`).
    pub class: EnvClass,
    /// Why it got that class, for `infra context`.
    pub reason: String,
    /// Every app read supplies a fallback in code (for a secret: a non-empty
    /// one), so the app runs without it.
    pub optional: bool,
}

/// Who supplies an environment variable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum EnvClass {
    /// The app's own configuration: belongs in `.env.example` and the config doc.
    App,
    /// Read only while building (`build.rs`, bundler configs, Dockerfile `ARG`).
    Build,
    /// Set by the CI system (`CI`, `GITHUB_*`, `GITLAB_CI`, …).
    Ci,
    /// Set by the OS, the shell, a proxy set-up or a toolchain (`HOME`, `HTTP_PROXY`, `CARGO_*`).
    System,
    /// The runtime mode the framework tooling or platform sets (`NODE_ENV`, `RAILS_ENV`).
    Runtime,
    /// Read only by tests or set by a test env file / test-runner config.
    Test,
    /// A parameter of a one-off task (`rake task X=1`), not service config.
    Task,
}

impl EnvClass {
    pub fn id(self) -> &'static str {
        match self {
            EnvClass::App => "app",
            EnvClass::Build => "build",
            EnvClass::Ci => "ci",
            EnvClass::System => "system",
            EnvClass::Runtime => "runtime",
            EnvClass::Test => "test",
            EnvClass::Task => "task",
        }
    }
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct EnvRead {
    pub location: Location,
    /// How it is read: `process.env`, `os.getenv`, `std::env::var`, `${}` in compose, …
    pub via: String,
    /// Whether the read supplies a fallback in code.
    pub default: ReadDefault,
}

/// The fallback a read supplies when the variable is unset.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ReadDefault {
    /// None: the read yields nothing or fails when unset.
    #[default]
    None,
    /// An empty one (`''`, `null`, `nil`, `${X:-}`).
    Empty,
    /// A real value.
    Given,
    /// The code checks whether it is set (`if ENV["X"].present?`,
    /// `ENV["X"] == "true"`, `if (process.env.X)`): unset is handled.
    Checked,
}

/// A `.env*` file: which variables it sets and whether each has a value.
/// The values themselves are never kept.
#[derive(Debug, Clone, Serialize)]
pub struct EnvFile {
    pub path: String,
    pub entries: Vec<EnvEntry>,
    /// Git tracks it although an ignore file matches it (committed before
    /// it was ignored), so the walk never read it; discovery read it apart.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub tracked_although_ignored: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct EnvEntry {
    pub name: String,
    pub line: u32,
    pub has_value: bool,
    /// Listed commented out (`# NAME=default`): documented, not set.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub commented: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct WorkflowFile {
    pub path: String,
    /// `github` or `gitlab`.
    pub system: String,
}

impl Context {
    pub fn has_file(&self, path: &str) -> bool {
        self.files
            .binary_search_by(|f| f.path.as_str().cmp(path))
            .is_ok()
    }

    /// The classes the walk gave `path` (none for a path it did not see).
    pub fn classes_of(&self, path: &str) -> crate::source::class::Classes {
        self.files
            .binary_search_by(|f| f.path.as_str().cmp(path))
            .ok()
            .and_then(|i| self.files.get(i))
            .map(|f| f.classes)
            .unwrap_or_default()
    }

    /// Every class with the files that have it, in path order (classes no
    /// file has are left out): what line rules skip or demote.
    pub fn file_classes(&self) -> Vec<(crate::source::class::FileClass, Vec<&str>)> {
        crate::source::class::FileClass::ALL
            .into_iter()
            .map(|c| {
                let paths: Vec<&str> = self
                    .files
                    .iter()
                    .filter(|f| f.classes.has(c))
                    .map(|f| f.path.as_str())
                    .collect();
                (c, paths)
            })
            .filter(|(_, paths)| !paths.is_empty())
            .collect()
    }

    /// Root symlinks that lead out of the repository: listed, never read.
    pub fn outside_links(&self) -> impl Iterator<Item = &str> {
        self.files
            .iter()
            .filter(|f| f.outside_link)
            .map(|f| f.path.as_str())
    }

    pub fn text(&self, path: &str) -> Option<&str> {
        self.texts.get(path).map(String::as_str)
    }

    pub fn service(&self, id: &str) -> Option<&Service> {
        self.services.iter().find(|s| s.id == id)
    }

    /// Services something in the repo actually uses (not only README mentions).
    pub fn used_services(&self) -> impl Iterator<Item = &Service> {
        self.services.iter().filter(|s| !s.mentioned_only)
    }

    /// The app's own stores of data it cannot rebuild (a client library
    /// for someone else's database is not one).
    pub fn data_stores(&self) -> impl Iterator<Item = &Service> {
        self.services.iter().filter(|s| s.is_own_store())
    }

    pub fn env_var(&self, name: &str) -> Option<&EnvVar> {
        self.env_vars.iter().find(|v| v.name == name)
    }

    /// The supported platform with the most hints, if any.
    pub fn likely_platform(&self) -> Option<Platform> {
        let mut counts: BTreeMap<Platform, usize> = BTreeMap::new();
        for hint in &self.platform_hints {
            if let Some(p) = hint.platform {
                *counts.entry(p).or_default() += 1;
            }
        }
        counts
            .into_iter()
            .max_by_key(|(p, n)| (*n, std::cmp::Reverse(*p)))
            .map(|(p, _)| p)
    }

    /// A region named by a hint for the given platform.
    pub fn likely_region(&self, platform: Platform) -> Option<&str> {
        self.platform_hints
            .iter()
            .filter(|h| h.platform == Some(platform))
            .find_map(|h| h.region.as_deref())
    }
}
