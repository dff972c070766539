//! `infra context --format json`, version 1 (docs/context.md). The frozen v1
//! shape, built from [`Context`] but not derived from it: discovery may
//! rename or regroup its own types, and this document stays the same.
//! `files`, `git_tracked` and `texts` are never part of it (`texts` may hold
//! secrets).

use crate::context::model as ctx;
use crate::context::Context;
use crate::model::Location;
use serde::Serialize;
use std::collections::BTreeMap;

pub const VERSION: u32 = 1;

pub fn render(c: &Context) -> String {
    super::to_text(&ContextV1::from(c))
}

#[derive(Serialize)]
struct ContextV1<'a> {
    version: u32,
    root: &'a str,
    project: ProjectV1<'a>,
    plan: Option<PlanV1<'a>>,
    environments: Vec<EnvironmentV1<'a>>,
    config_files: Vec<ConfigFileV1<'a>>,
    docs: Vec<DocV1<'a>>,
    stacks: Vec<StackV1<'a>>,
    platform_hints: Vec<PlatformHintV1<'a>>,
    containers: Vec<ContainerV1<'a>>,
    compose_services: Vec<ComposeServiceV1<'a>>,
    kubernetes: Vec<K8sObjectV1<'a>>,
    helm_charts: Vec<HelmChartV1<'a>>,
    terraform: TerraformV1<'a>,
    services: Vec<ServiceV1<'a>>,
    env_vars: Vec<EnvVarV1<'a>>,
    env_files: Vec<EnvFileV1<'a>>,
    workflows: Vec<WorkflowV1<'a>>,
    problems: Vec<ProblemV1<'a>>,
    stats: StatsV1,
    /// Added in v1 without a version bump (new fields only): per file
    /// class, the files that have it (what line rules skip or demote).
    file_classes: Vec<FileClassV1<'a>>,
    /// Root symlinks whose target is outside the repository: not followed.
    outside_links: Vec<&'a str>,
}

#[derive(Serialize)]
struct FileClassV1<'a> {
    class: &'static str,
    count: usize,
    paths: Vec<&'a str>,
}

/// `{path, line, column}`, 1-based, 0 when unknown.
#[derive(Serialize)]
struct LocationV1<'a> {
    path: &'a str,
    line: u32,
    column: u32,
}

impl<'a> From<&'a Location> for LocationV1<'a> {
    fn from(l: &'a Location) -> Self {
        LocationV1 {
            path: &l.path,
            line: l.line,
            column: l.column,
        }
    }
}

#[derive(Serialize)]
struct EvidenceV1<'a> {
    location: LocationV1<'a>,
    via: &'a str,
}

fn evidence<'a>(list: impl IntoIterator<Item = (&'a Location, &'a String)>) -> Vec<EvidenceV1<'a>> {
    list.into_iter()
        .map(|(location, via)| EvidenceV1 {
            location: location.into(),
            via,
        })
        .collect()
}

#[derive(Serialize)]
struct ProjectV1<'a> {
    name: Option<&'a str>,
    summary: Option<&'a str>,
    readme: Option<&'a str>,
    dir_name: &'a str,
}

#[derive(Serialize)]
struct HeadingV1<'a> {
    level: u8,
    text: &'a str,
    line: u32,
}

fn headings(list: &[ctx::Heading]) -> Vec<HeadingV1<'_>> {
    list.iter()
        .map(|h| HeadingV1 {
            level: h.level,
            text: &h.text,
            line: h.line,
        })
        .collect()
}

#[derive(Serialize)]
struct PlanV1<'a> {
    path: &'a str,
    sections: Vec<HeadingV1<'a>>,
    tasks: Vec<TaskV1<'a>>,
}

#[derive(Serialize)]
struct TaskV1<'a> {
    text: &'a str,
    done: bool,
    priority: Option<&'a str>,
    section: Option<&'a str>,
    line: u32,
}

#[derive(Serialize)]
struct EnvironmentV1<'a> {
    name: &'a str,
    evidence: Vec<EvidenceV1<'a>>,
}

#[derive(Serialize)]
struct ConfigFileV1<'a> {
    path: &'a str,
    environment: Option<&'a str>,
    keys: &'a [String],
}

#[derive(Serialize)]
struct DocV1<'a> {
    path: &'a str,
    title: Option<&'a str>,
    headings: Vec<HeadingV1<'a>>,
}

#[derive(Serialize)]
struct StackV1<'a> {
    language: &'static str,
    manifest: &'a str,
    dir: &'a str,
    name: Option<&'a str>,
    frameworks: &'a [String],
    dependencies: Vec<DependencyV1<'a>>,
    scripts: &'a BTreeMap<String, String>,
    package_manager: Option<&'a str>,
    commands: CommandsV1<'a>,
}

#[derive(Serialize)]
struct DependencyV1<'a> {
    name: &'a str,
    version: Option<&'a str>,
    dev: bool,
    line: u32,
}

#[derive(Serialize)]
struct CommandsV1<'a> {
    install: Option<&'a str>,
    build: Option<&'a str>,
    lint: Option<&'a str>,
    typecheck: Option<&'a str>,
    test: Option<&'a str>,
}

#[derive(Serialize)]
struct PlatformHintV1<'a> {
    platform: Option<&'static str>,
    host: &'a str,
    region: Option<&'a str>,
    location: LocationV1<'a>,
    via: &'a str,
}

#[derive(Serialize)]
struct ContainerV1<'a> {
    path: &'a str,
    base_images: &'a [String],
    exposed_ports: &'a [String],
    has_healthcheck: bool,
    runs_as_non_root: bool,
}

#[derive(Serialize)]
struct ComposeServiceV1<'a> {
    name: &'a str,
    image: Option<&'a str>,
    location: LocationV1<'a>,
    ports: &'a [String],
    depends_on: &'a [String],
    environment: &'a [String],
}

#[derive(Serialize)]
struct K8sObjectV1<'a> {
    kind: &'a str,
    name: Option<&'a str>,
    namespace: Option<&'a str>,
    location: LocationV1<'a>,
    images: &'a [String],
    has_resource_limits: Option<bool>,
}

#[derive(Serialize)]
struct HelmChartV1<'a> {
    path: &'a str,
    name: Option<&'a str>,
    dependencies: &'a [String],
}

#[derive(Serialize)]
struct TerraformV1<'a> {
    providers: Vec<TerraformBlockV1<'a>>,
    resources: Vec<TerraformBlockV1<'a>>,
}

#[derive(Serialize)]
struct TerraformBlockV1<'a> {
    kind: &'a str,
    name: &'a str,
    location: LocationV1<'a>,
}

fn terraform_blocks(list: &[ctx::TerraformBlock]) -> Vec<TerraformBlockV1<'_>> {
    list.iter()
        .map(|b| TerraformBlockV1 {
            kind: &b.kind,
            name: &b.name,
            location: (&b.location).into(),
        })
        .collect()
}

#[derive(Serialize)]
struct ServiceV1<'a> {
    id: &'a str,
    name: &'a str,
    kind: &'static str,
    evidence: Vec<EvidenceV1<'a>>,
    mentioned_only: bool,
    own: bool,
    embedded: bool,
    roles: Vec<ServiceRoleV1<'a>>,
}

#[derive(Serialize)]
struct ServiceRoleV1<'a> {
    role: &'static str,
    evidence: Vec<EvidenceV1<'a>>,
}

#[derive(Serialize)]
struct EnvVarV1<'a> {
    name: &'a str,
    reads: Vec<EnvReadV1<'a>>,
    secret: bool,
    /// Who supplies it: `app`, `build`, `ci`, `system`, `runtime`, `test`, `task`.
    class: &'static str,
    class_reason: &'a str,
    /// Every app read has an in-code fallback: `.env.example` need not list it.
    optional: bool,
}

#[derive(Serialize)]
struct EnvReadV1<'a> {
    location: LocationV1<'a>,
    via: &'a str,
    /// `none`, `empty`, `given` or `checked` (the code tests whether it is set).
    default: ctx::ReadDefault,
}

#[derive(Serialize)]
struct EnvFileV1<'a> {
    path: &'a str,
    entries: Vec<EnvEntryV1<'a>>,
    /// Present (and `true`) only for a file git tracks although it is ignored.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    tracked_although_ignored: bool,
}

#[derive(Serialize)]
struct EnvEntryV1<'a> {
    name: &'a str,
    line: u32,
    has_value: bool,
    /// Present (and `true`) only for a commented-out entry (`# NAME=default`).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    commented: bool,
}

#[derive(Serialize)]
struct WorkflowV1<'a> {
    path: &'a str,
    system: &'a str,
}

#[derive(Serialize)]
struct ProblemV1<'a> {
    location: LocationV1<'a>,
    message: &'a str,
}

#[derive(Serialize)]
struct StatsV1 {
    files: u64,
    bytes: u64,
    skipped_binary: u64,
    skipped_large: u64,
    unreadable: u64,
}

impl<'a> From<&'a Context> for ContextV1<'a> {
    fn from(c: &'a Context) -> Self {
        ContextV1 {
            version: VERSION,
            root: &c.root,
            project: ProjectV1 {
                name: c.project.name.as_deref(),
                summary: c.project.summary.as_deref(),
                readme: c.project.readme.as_deref(),
                dir_name: &c.project.dir_name,
            },
            plan: c.plan.as_ref().map(|p| PlanV1 {
                path: &p.path,
                sections: headings(&p.sections),
                tasks: p
                    .tasks
                    .iter()
                    .map(|t| TaskV1 {
                        text: &t.text,
                        done: t.done,
                        priority: t.priority.as_deref(),
                        section: t.section.as_deref(),
                        line: t.line,
                    })
                    .collect(),
            }),
            environments: c
                .environments
                .iter()
                .map(|e| EnvironmentV1 {
                    name: &e.name,
                    evidence: evidence(e.evidence.iter().map(|v| (&v.location, &v.via))),
                })
                .collect(),
            config_files: c
                .config_files
                .iter()
                .map(|f| ConfigFileV1 {
                    path: &f.path,
                    environment: f.environment.as_deref(),
                    keys: &f.keys,
                })
                .collect(),
            docs: c
                .docs
                .iter()
                .map(|d| DocV1 {
                    path: &d.path,
                    title: d.title.as_deref(),
                    headings: headings(&d.headings),
                })
                .collect(),
            stacks: c
                .stacks
                .iter()
                .map(|s| StackV1 {
                    language: s.language.id(),
                    manifest: &s.manifest,
                    dir: &s.dir,
                    name: s.name.as_deref(),
                    frameworks: &s.frameworks,
                    dependencies: s
                        .dependencies
                        .iter()
                        .map(|d| DependencyV1 {
                            name: &d.name,
                            version: d.version.as_deref(),
                            dev: d.dev,
                            line: d.line,
                        })
                        .collect(),
                    scripts: &s.scripts,
                    package_manager: s.package_manager.as_deref(),
                    commands: CommandsV1 {
                        install: s.commands.install.as_deref(),
                        build: s.commands.build.as_deref(),
                        lint: s.commands.lint.as_deref(),
                        typecheck: s.commands.typecheck.as_deref(),
                        test: s.commands.test.as_deref(),
                    },
                })
                .collect(),
            platform_hints: c
                .platform_hints
                .iter()
                .map(|h| PlatformHintV1 {
                    platform: h.platform.map(|p| p.id()),
                    host: &h.host,
                    region: h.region.as_deref(),
                    location: (&h.location).into(),
                    via: &h.via,
                })
                .collect(),
            containers: c
                .containers
                .iter()
                .map(|d| ContainerV1 {
                    path: &d.path,
                    base_images: &d.base_images,
                    exposed_ports: &d.exposed_ports,
                    has_healthcheck: d.has_healthcheck,
                    runs_as_non_root: d.runs_as_non_root,
                })
                .collect(),
            compose_services: c
                .compose_services
                .iter()
                .map(|s| ComposeServiceV1 {
                    name: &s.name,
                    image: s.image.as_deref(),
                    location: (&s.location).into(),
                    ports: &s.ports,
                    depends_on: &s.depends_on,
                    environment: &s.environment,
                })
                .collect(),
            kubernetes: c
                .kubernetes
                .iter()
                .map(|k| K8sObjectV1 {
                    kind: &k.kind,
                    name: k.name.as_deref(),
                    namespace: k.namespace.as_deref(),
                    location: (&k.location).into(),
                    images: &k.images,
                    has_resource_limits: k.has_resource_limits,
                })
                .collect(),
            helm_charts: c
                .helm_charts
                .iter()
                .map(|h| HelmChartV1 {
                    path: &h.path,
                    name: h.name.as_deref(),
                    dependencies: &h.dependencies,
                })
                .collect(),
            terraform: TerraformV1 {
                providers: terraform_blocks(&c.terraform.providers),
                resources: terraform_blocks(&c.terraform.resources),
            },
            services: c
                .services
                .iter()
                .map(|s| ServiceV1 {
                    id: &s.id,
                    name: &s.name,
                    kind: s.kind.id(),
                    evidence: evidence(s.evidence.iter().map(|v| (&v.location, &v.via))),
                    mentioned_only: s.mentioned_only,
                    own: s.own,
                    embedded: s.embedded,
                    roles: s
                        .roles
                        .iter()
                        .map(|r| ServiceRoleV1 {
                            role: r.role.id(),
                            evidence: evidence(r.evidence.iter().map(|v| (&v.location, &v.via))),
                        })
                        .collect(),
                })
                .collect(),
            env_vars: c
                .env_vars
                .iter()
                .map(|v| EnvVarV1 {
                    name: &v.name,
                    reads: v
                        .reads
                        .iter()
                        .map(|r| EnvReadV1 {
                            location: (&r.location).into(),
                            via: &r.via,
                            default: r.default,
                        })
                        .collect(),
                    secret: v.secret,
                    class: v.class.id(),
                    class_reason: &v.reason,
                    optional: v.optional,
                })
                .collect(),
            env_files: c
                .env_files
                .iter()
                .map(|f| EnvFileV1 {
                    path: &f.path,
                    entries: f
                        .entries
                        .iter()
                        .map(|e| EnvEntryV1 {
                            name: &e.name,
                            line: e.line,
                            has_value: e.has_value,
                            commented: e.commented,
                        })
                        .collect(),
                    tracked_although_ignored: f.tracked_although_ignored,
                })
                .collect(),
            workflows: c
                .workflows
                .iter()
                .map(|w| WorkflowV1 {
                    path: &w.path,
                    system: &w.system,
                })
                .collect(),
            problems: c
                .problems
                .iter()
                .map(|p| ProblemV1 {
                    location: (&p.location).into(),
                    message: &p.message,
                })
                .collect(),
            stats: StatsV1 {
                files: c.stats.files,
                bytes: c.stats.bytes,
                skipped_binary: c.stats.skipped_binary,
                skipped_large: c.stats.skipped_large,
                unreadable: c.stats.unreadable,
            },
            file_classes: c
                .file_classes()
                .into_iter()
                .map(|(class, paths)| FileClassV1 {
                    class: class.id(),
                    count: paths.len(),
                    paths,
                })
                .collect(),
            outside_links: c.outside_links().collect(),
        }
    }
}
