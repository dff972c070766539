//! Discovery: what the repository already says about itself (SPEC §2),
//! read in one parallel walk and shared by `init`, `audit` and `context`.
//!
//! The walk's visitor is [`analyze_file`]: it reads one file's text once and
//! returns its [`Facts`]. [`assemble`] then merges every file's facts into
//! a [`Context`], sorted so the output is the same whatever the thread timing.
//! The audit engine can run its own scanner in the same walk by calling
//! `analyze_file` from its visitor and passing the facts on to `assemble`.

pub(crate) mod config;
pub(crate) mod envvars;
pub(crate) mod facts;
#[doc(hidden)]
pub mod fuzz;
pub(crate) mod infra_files;
pub(crate) mod model;
pub(crate) mod monitoring;
pub(crate) mod pipelines;
pub(crate) mod plan;
pub(crate) mod platform;
pub(crate) mod readme;
pub(crate) mod services;
pub(crate) mod stack;

pub use model::*;

use crate::model::Location;
use crate::source::kind::{self, FileKind, Kinds};
use crate::source::text::file_name;
use crate::source::walk::{SourceFile, WalkError, WalkOptions, Walked};
use facts::{Fact, Facts};
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

/// Longest text kept in [`Context::texts`] per file; longer files are cut at
/// a character boundary.
pub const MAX_KEPT_TEXT: usize = 256 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum DiscoverError {
    #[error(transparent)]
    Walk(#[from] WalkError),
}

pub(crate) fn problem(path: &str, line: u32, column: u32, message: String) -> Problem {
    Problem {
        location: Location::new(path, line, column),
        message,
    }
}

/// Parse a YAML file, or record why it is not YAML as a problem at its line
/// and column; `what` names the kind of file in the message.
pub(crate) fn parse_yaml_or_report(
    path: &str,
    text: &str,
    what: &str,
    facts: &mut Facts,
) -> Option<Vec<crate::parse::yaml::Yaml>> {
    match crate::parse::yaml::parse_documents(text) {
        Ok(docs) => Some(docs),
        Err(e) => {
            facts.push(Fact::Problem(problem(
                path,
                e.line,
                e.column,
                format!("invalid {what}: {}", e.message),
            )));
            None
        }
    }
}

/// Files whose text rules and templates read again after the walk.
fn keeps_text(path: &str, k: Kinds, manifest: bool) -> bool {
    k.has(FileKind::Readme)
        || k.has(FileKind::ProjectPlan)
        || k.has(FileKind::Doc)
        || path.starts_with(".github/workflows/")
        || k.has(FileKind::Dependabot)
        || k.has(FileKind::GitlabCi)
        || k.has(FileKind::EnvFile)
        || k.has(FileKind::InfraToml)
        || k.has(FileKind::Config)
        || k.has(FileKind::Dockerfile)
        || k.has(FileKind::Compose)
        || k.has(FileKind::PlatformFile)
        || k.has(FileKind::TaskRunner)
        || k.has(FileKind::ShellScript)
        || manifest
        || config::is_environment_config(path)
        || envvars::is_next_config(path)
}

/// Extract one file's facts. Cheap for files no analyzer cares about: the
/// file's kinds decide what runs, and only the matching language's env-var
/// regexes run.
pub fn analyze_file(file: &SourceFile<'_>) -> Option<Facts> {
    let (path, name, text) = (file.path, file.name, file.text);
    let k = kind::classify(path);
    let mut f = Facts::default();
    if k.has(FileKind::Readme) {
        f.push(Fact::Readme(readme::analyze(text)));
    }
    if k.has(FileKind::ProjectPlan) {
        f.push(Fact::Plan(plan::analyze(path, text)));
    }
    if k.has(FileKind::Config) {
        config::config_file(path, text, &mut f);
    }
    config::environments_from_path(path, &mut f);
    if k.has(FileKind::InfraDoc) {
        config::doc_file(path, text, &mut f);
    }
    let is_workflow = k.has(FileKind::GithubWorkflow) || k.has(FileKind::GitlabCi);
    if is_workflow {
        config::workflow(path, text, &mut f);
        platform::workflow(path, text, &mut f);
    } else if k.has(FileKind::ActionFile) {
        config::action(path, text, &mut f);
    }
    if let Some(system) = kind::other_ci(path) {
        f.push(Fact::OtherCi(system));
    }
    let manifest = stack::manifest_of(name).is_some();
    if manifest {
        stack::analyze(path, text, &mut f);
    }
    if k.has(FileKind::Dockerfile) {
        infra_files::dockerfile(path, text, &mut f);
    } else if k.has(FileKind::Compose) {
        infra_files::compose(path, text, &mut f);
    } else if k.has(FileKind::HelmChart) {
        infra_files::helm_chart(path, text, &mut f);
    } else if k.has(FileKind::Terraform) {
        infra_files::terraform(path, text, &mut f);
    } else if k.has(FileKind::Kustomization) {
        infra_files::kustomization(path, text, &mut f);
    } else if !is_workflow
        && !k.has(FileKind::PlatformFile)
        && kind::looks_like_prometheus_rules(name, text)
        && !kind::is_helm_template(path, text)
    {
        monitoring::rule_file(path, text, &mut f);
    } else if !is_workflow && !k.has(FileKind::PlatformFile) && kind::looks_like_k8s(name, text) {
        if kind::is_helm_template(path, text) {
            f.push(Fact::HelmTemplate);
        } else {
            infra_files::kubernetes(path, text, &mut f);
        }
    }
    if k.has(FileKind::Kustomization) && !f.iter().any(|x| matches!(x, Fact::PlatformHint(_))) {
        f.push(Fact::PlatformHint(platform::kubernetes(
            Location::file(path),
            "kustomization".to_string(),
        )));
    }
    if kind::looks_like_grafana_dashboard(name, text) {
        monitoring::grafana_json(path, text, &mut f);
    }
    if k.has(FileKind::PlatformFile) {
        platform::analyze(path, name, text, &mut f);
    }
    if k.has(FileKind::EnvFile) {
        f.push(Fact::EnvFile(envvars::parse_env_file(path, text)));
    }
    // Tests exercise every adapter a library supports; they say nothing
    // about what the app itself uses.
    if !is_test_path(path) {
        f.extend(
            services::usage(path, name, text)
                .into_iter()
                .map(Fact::ServiceUse),
        );
    }
    let lang = envvars::lang_for(path, name, text);
    if let Some(lang) = lang {
        f.extend(
            envvars::scan(path, text, lang)
                .into_iter()
                .map(|(name, read)| Fact::EnvRead(name, read)),
        );
    }
    // A script without an extension (`.ci/run`, `bin/deploy`) that a
    // pipeline may call: kept so its steps can be followed.
    let shell_script = lang == Some(envvars::Lang::Shell);
    if keeps_text(path, k, manifest) || shell_script {
        let mut kept = text.to_string();
        if kept.len() > MAX_KEPT_TEXT {
            let cut = (0..=MAX_KEPT_TEXT)
                .rev()
                .find(|i| kept.is_char_boundary(*i))
                .unwrap_or(0);
            kept.truncate(cut);
        }
        f.push(Fact::Text(kept));
    }
    (!f.is_empty()).then_some(f)
}

/// A test file or folder: `test/`, `tests/`, `spec/`, `__tests__/`, `*_test.*`, `*.test.*`, `*.spec.*`.
fn is_test_path(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    let name = file_name(&lower);
    lower.split('/').rev().skip(1).any(|d| {
        matches!(
            d,
            "test" | "tests" | "spec" | "specs" | "__tests__" | "testdata" | "e2e" | "cypress"
        )
    }) || name.contains("_test.")
        || name.contains(".test.")
        || name.contains(".spec.")
        || name.starts_with("test_")
}

/// Walk `root` once and build its [`Context`].
/// How README evidence is labelled; a service with only such evidence is `mentioned_only`.
const README_MENTION: &str = "README mentions";

pub fn discover(root: &Path, opts: &WalkOptions) -> Result<Context, DiscoverError> {
    let walked = crate::source::walk::walk(root, opts, analyze_file)?;
    Ok(assemble(root, walked))
}

/// Walk once, running discovery and the caller's own scanner on each file
/// (the audit's secret and rule scanners), so every file is read once.
/// Returns the context and the scanner's results in path order.
pub fn discover_with<T, F>(
    root: &Path,
    opts: &WalkOptions,
    scan: F,
) -> Result<(Context, Vec<(String, T)>), DiscoverError>
where
    T: Send,
    F: Fn(&SourceFile<'_>) -> Option<T> + Sync,
{
    let walked = crate::source::walk::walk(root, opts, |file| {
        let facts = analyze_file(file);
        let extra = scan(file);
        (facts.is_some() || extra.is_some()).then_some((facts, extra))
    })?;
    let mut facts = Vec::new();
    let mut extras = Vec::new();
    for (path, (f, e)) in walked.items {
        if let Some(e) = e {
            extras.push((path.clone(), e));
        }
        if let Some(f) = f {
            facts.push((path, f));
        }
    }
    let ctx = assemble(
        root,
        Walked {
            items: facts,
            files: walked.files,
            stats: walked.stats,
            problems: walked.problems,
        },
    );
    Ok((ctx, extras))
}

/// Does this evidence show the app connecting with its own settings? A
/// driver dependency alone does not (a monitor probing other people's
/// databases has the same dependency), nor a README line, nor a test. In
/// Laravel, `config/*.php` and `.env*` list every driver the framework
/// supports; only the selected one (a [`services::Usage`]) counts.
fn own_evidence(e: &Evidence, embedded: bool, laravel: bool) -> bool {
    let path = e.location.path.as_str();
    if e.via.starts_with(README_MENTION) || is_test_path(path) {
        return false;
    }
    if e.via.starts_with("dependency") {
        // A Cargo feature of a runtime crate (`sqlx/sqlite`) enables the
        // embedded store itself.
        return embedded && e.via.contains("(feature");
    }
    let option_file = (path.starts_with("config/") && path.ends_with(".php"))
        || file_name(path).starts_with(".env");
    !(laravel && option_file)
}

/// Each role the service plays, with its evidence: the roles found in the
/// code and config, plus the one its kind implies for the app's own services.
fn roles_of(
    def: &services::ServiceDef,
    own: bool,
    evidence: &[Evidence],
    uses: &[services::Usage],
) -> Vec<RoleEvidence> {
    use crate::model::ServiceKind as K;
    let mut by_role: BTreeMap<ServiceRole, Vec<Evidence>> = BTreeMap::new();
    for u in uses.iter().filter(|u| u.id == def.id) {
        if let Some(role) = u.role {
            by_role.entry(role).or_default().push(u.evidence.clone());
        }
    }
    let implied = match def.kind {
        K::Database | K::Search | K::ObjectStorage => Some(ServiceRole::Store),
        K::Queue if def.id == "pubsub" => Some(ServiceRole::PubSub),
        K::Queue => Some(ServiceRole::Queue),
        K::Cache if def.id == "memcached" => Some(ServiceRole::Cache),
        _ => None,
    };
    let non_readme: Vec<&Evidence> = evidence
        .iter()
        .filter(|e| !e.via.starts_with(README_MENTION))
        .collect();
    if own {
        if let Some(role) = implied {
            by_role.entry(role).or_insert_with(|| {
                non_readme
                    .iter()
                    .filter(|e| !e.via.starts_with("dependency"))
                    .chain(non_readme.iter())
                    .take(1)
                    .map(|e| (*e).clone())
                    .collect()
            });
        }
    } else if !non_readme.is_empty() {
        by_role.insert(
            ServiceRole::Client,
            non_readme.iter().take(3).map(|e| (*e).clone()).collect(),
        );
    }
    by_role
        .into_iter()
        .map(|(role, mut evidence)| {
            evidence.sort();
            evidence.dedup();
            RoleEvidence { role, evidence }
        })
        .collect()
}

/// An own Redis with no cache, queue or pub/sub use found, in an app with
/// no other database, is where the app keeps its data: a primary store.
fn primary_redis(services: &mut [Service]) {
    let other_store = services.iter().any(|s| s.id != "redis" && s.is_own_store());
    if other_store {
        return;
    }
    if let Some(redis) = services
        .iter_mut()
        .find(|s| s.id == "redis" && s.own && !s.mentioned_only && s.roles.is_empty())
    {
        let evidence = redis
            .evidence
            .iter()
            .find(|e| own_evidence(e, false, false))
            .map(|e| Evidence {
                location: e.location.clone(),
                via: format!(
                    "no expiry, queue or pub/sub use found and no other database ({})",
                    e.via
                ),
            });
        redis.roles.push(RoleEvidence {
            role: ServiceRole::Store,
            evidence: evidence.into_iter().collect(),
        });
    }
}

/// Order environments the way people read them: dev → production, then others.
fn environment_rank(name: &str) -> (u8, String) {
    let rank = match name {
        "dev" => 0,
        "test" => 1,
        "qa" => 2,
        "preview" => 3,
        "staging" => 4,
        "production" => 5,
        _ => 6,
    };
    (rank, name.to_string())
}

/// Merge every file's facts into one [`Context`], deterministically sorted.
pub fn assemble(root: &Path, walked: Walked<Facts>) -> Context {
    let dir_name = root
        .canonicalize()
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .or_else(|| root.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_default();
    let mut ctx = Context {
        version: CONTEXT_JSON_VERSION,
        root: root.display().to_string(),
        project: ProjectInfo {
            dir_name,
            ..ProjectInfo::default()
        },
        stats: walked.stats,
        problems: walked.problems,
        ..Context::default()
    };
    let file_paths: Vec<String> = walked.files.iter().map(|f| f.path.clone()).collect();
    let mut environments: BTreeMap<String, Vec<Evidence>> = BTreeMap::new();
    let mut manifests = Vec::new();
    let mut service_evidence: HashMap<&'static str, Vec<Evidence>> = HashMap::new();
    let mut env_reads: BTreeMap<String, Vec<EnvRead>> = BTreeMap::new();
    let mut uses: Vec<services::Usage> = Vec::new();
    for (path, facts) in walked.items {
        for fact in facts {
            match fact {
                Fact::Readme(readme) => {
                    ctx.project.name = readme.name;
                    ctx.project.summary = readme.summary;
                    ctx.project.readme = Some(path.clone());
                    for (id, word, line) in readme.mentions {
                        service_evidence.entry(id).or_default().push(Evidence {
                            location: Location::new(path.clone(), line, 0),
                            via: format!("{README_MENTION} \"{word}\""),
                        });
                    }
                }
                Fact::Plan(plan) => ctx.plan = Some(plan),
                Fact::Config(c) => ctx.config_files.push(c),
                Fact::Doc(d) => ctx.docs.push(d),
                Fact::Environment(name, evidence) => {
                    environments.entry(name).or_default().push(evidence)
                }
                Fact::Manifest(m) => manifests.push(m),
                Fact::Dockerfile(d) => ctx.containers.push(d),
                Fact::ComposeService(c) => ctx.compose_services.push(c),
                Fact::K8sObject(o) => ctx.kubernetes.push(o),
                Fact::HelmChart(h) => ctx.helm_charts.push(h),
                Fact::HelmTemplate => ctx.helm_templates.push(path.clone()),
                Fact::Kustomization(k) => ctx.kustomizations.push(k),
                Fact::TerraformProvider(b) => ctx.terraform.providers.push(b),
                Fact::TerraformResource(b) => ctx.terraform.resources.push(b),
                Fact::TerraformModule(b) => ctx.terraform.modules.push(b),
                Fact::TerraformVariables(v) => ctx.terraform.variables.push(v),
                Fact::TerraformInput(b) => ctx.terraform.inputs.push(b),
                Fact::PlatformHint(h) => ctx.platform_hints.push(h),
                Fact::Service(id, evidence) => {
                    service_evidence.entry(id).or_default().push(evidence)
                }
                Fact::ServiceUse(u) => uses.push(u),
                Fact::EnvRead(name, read) => env_reads.entry(name).or_default().push(read),
                Fact::EnvFile(e) => ctx.env_files.push(e),
                Fact::Workflow(w) => ctx.workflows.push(w),
                Fact::Pipeline(p) => ctx.pipelines.push(p),
                Fact::OtherCi(system) => ctx.other_ci.push((path.clone(), system)),
                Fact::Monitor(m) => ctx.monitoring.push(m),
                Fact::Problem(p) => ctx.problems.push(p),
                Fact::Text(text) => {
                    ctx.texts.insert(path.clone(), text);
                }
            }
        }
    }
    // A kustomize patch file holds partial objects: mark them so rules do not
    // judge them as whole ones.
    let patch_files: std::collections::BTreeSet<String> = ctx
        .kustomizations
        .iter()
        .flat_map(|k| k.patches.iter().cloned())
        .collect();
    for o in &mut ctx.kubernetes {
        o.patch = patch_files.contains(&o.location.path);
    }
    ctx.helm_templates.sort();
    // Env vars and the names a dotenv file sets point at services too (STRIPE_…).
    for (name, reads) in &mut env_reads {
        reads.sort();
        reads.dedup();
        if let Some(first) = reads.first() {
            for def in services::match_env_var(name) {
                service_evidence.entry(def.id).or_default().push(Evidence {
                    location: first.location.clone(),
                    via: format!("env var {name}"),
                });
            }
        }
    }
    for file in &ctx.env_files {
        // A commented-out example entry documents an option, not a service in use.
        for entry in file.entries.iter().filter(|e| !e.commented) {
            for def in services::match_env_var(&entry.name) {
                service_evidence.entry(def.id).or_default().push(Evidence {
                    location: Location::new(file.path.clone(), entry.line, 1),
                    via: format!("env var {} in {}", entry.name, file_name(&file.path)),
                });
            }
        }
    }
    let test_names = envvars::test_env_names(&ctx.env_files);
    // Next.js replaces `process.env.<key>` for the keys of next.config's
    // `env` object at build time: constants of the build, not variables.
    let next_env: std::collections::BTreeSet<String> = ctx
        .texts
        .iter()
        .filter(|(p, _)| envvars::is_next_config(p))
        .flat_map(|(_, t)| envvars::next_config_env_keys(t))
        .collect();
    ctx.env_vars = env_reads
        .into_iter()
        .map(|(name, reads)| {
            let secret = envvars::is_secret_name(&name);
            let (mut class, mut reason) = envvars::classify(&name, &reads, &test_names);
            if class == EnvClass::App && next_env.contains(name.as_str()) {
                (class, reason) = (
                    EnvClass::Build,
                    "a key of `env` in next.config, which the build inlines".into(),
                );
            }
            EnvVar {
                optional: envvars::is_optional(secret, &reads),
                secret,
                class,
                reason,
                name,
                reads,
            }
        })
        .collect();
    // The app's own config selecting a store makes it a service even when
    // nothing else names it (`DB_CONNECTION=sqlite`).
    for u in uses.iter().filter(|u| u.own) {
        service_evidence
            .entry(u.id)
            .or_default()
            .push(u.evidence.clone());
    }
    let laravel = file_paths.iter().any(|p| p == "artisan")
        && file_paths.iter().any(|p| p == "config/app.php");
    let mut services: Vec<Service> = service_evidence
        .into_iter()
        .filter_map(|(id, mut evidence)| {
            let def = services::def(id)?;
            evidence.sort();
            evidence.dedup();
            let mentioned_only = evidence.iter().all(|e| e.via.starts_with(README_MENTION));
            let own = uses.iter().any(|u| u.id == id && u.own)
                || evidence
                    .iter()
                    .any(|e| own_evidence(e, def.embedded, laravel));
            let roles = roles_of(def, own, &evidence, &uses);
            Some(Service {
                id: id.to_string(),
                name: def.name.to_string(),
                kind: def.kind,
                evidence,
                mentioned_only,
                own,
                embedded: def.embedded,
                roles,
            })
        })
        .collect();
    primary_redis(&mut services);
    services.sort_by(|a, b| (a.kind, &a.id).cmp(&(b.kind, &b.id)));
    ctx.services = services;
    for path in ctx
        .workflows
        .iter()
        .filter(|w| w.system == "gitlab")
        .map(|w| w.path.clone())
        .collect::<Vec<_>>()
    {
        gitlab_pipeline(root, &path, &mut ctx, &mut environments);
    }
    ctx.pipelines.sort_by(|a, b| a.path.cmp(&b.path));
    pipelines::analyze(&mut ctx);
    let mut environments: Vec<DiscoveredEnvironment> = environments
        .into_iter()
        .map(|(name, mut evidence)| {
            evidence.sort();
            evidence.dedup();
            DiscoveredEnvironment { name, evidence }
        })
        .collect();
    environments.sort_by_key(|e| environment_rank(&e.name));
    ctx.environments = environments;
    ctx.stacks = stack::stacks(manifests, &file_paths);
    // Per-path lists arrive in path order; sort the rest by location.
    ctx.compose_services
        .sort_by(|a, b| a.location.cmp(&b.location));
    ctx.kubernetes.sort_by(|a, b| a.location.cmp(&b.location));
    ctx.terraform
        .providers
        .sort_by(|a, b| a.location.cmp(&b.location));
    ctx.terraform
        .resources
        .sort_by(|a, b| a.location.cmp(&b.location));
    ctx.platform_hints
        .sort_by(|a, b| (&a.location, &a.host, &a.via).cmp(&(&b.location, &b.host, &b.via)));
    ctx.problems.sort();
    ctx.problems.dedup();
    ctx.files = walked.files;
    ctx.git_tracked = crate::source::git::tracked_files(root);
    read_tracked_ignored_env_files(root, &mut ctx);
    ctx
}

/// Longest included GitLab CI file read from disk.
const MAX_INCLUDE_BYTES: u64 = 1024 * 1024;

/// Parse `.gitlab-ci.yml` with its `include: local:` files: from the texts
/// the walk kept, else read from disk (included YAML is not otherwise kept),
/// confined to the repository.
fn gitlab_pipeline(
    root: &Path,
    path: &str,
    ctx: &mut Context,
    environments: &mut BTreeMap<String, Vec<Evidence>>,
) {
    let Some(text) = ctx.texts.get(path).cloned() else {
        return;
    };
    let texts = &ctx.texts;
    let read_local = |file: &str| -> Option<String> {
        if let Some(t) = texts.get(file) {
            return Some(t.clone());
        }
        let rel = Path::new(file);
        if rel.is_absolute()
            || rel
                .components()
                .any(|c| !matches!(c, std::path::Component::Normal(_)))
        {
            return None;
        }
        let full = root.join(rel);
        let meta = std::fs::symlink_metadata(&full).ok()?;
        if !meta.is_file() || meta.len() > MAX_INCLUDE_BYTES {
            return None;
        }
        std::fs::read_to_string(full).ok()
    };
    match crate::parse::pipeline::gitlab::parse(path, &text, &read_local) {
        Ok(pipeline) => {
            for (name, evidence) in config::pipeline_environments(&pipeline) {
                environments.entry(name).or_default().push(evidence);
            }
            ctx.pipelines.push(pipeline);
        }
        Err(e) => ctx.problems.push(problem(
            path,
            e.line,
            e.column,
            format!("invalid workflow YAML: {}", e.message),
        )),
    }
}

/// What git tracks, for a tree copied out of git (diff mode's base tree or
/// staged index): recorded as discovery would have asked git, and the
/// tracked `.env` files an ignore rule hides read as it would have.
pub fn set_tracked(root: &Path, ctx: &mut Context, tracked: std::collections::BTreeSet<String>) {
    ctx.git_tracked = Some(tracked);
    read_tracked_ignored_env_files(root, ctx);
}

/// `.env` files git tracks although an ignore file matches them (committed
/// before the ignore rule was added): the walk skipped them, yet they are in
/// every clone. Read them apart, keeping names only, never values.
/// `.infraignore` and the always-skipped folders still apply.
fn read_tracked_ignored_env_files(root: &Path, ctx: &mut Context) {
    let Some(tracked) = &ctx.git_tracked else {
        return;
    };
    let infraignore = {
        let mut builder = ignore::gitignore::GitignoreBuilder::new(root);
        let _ = builder.add(root.join(".infraignore"));
        builder.build().ok()
    };
    let mut found = Vec::new();
    for path in tracked {
        let name = path.rsplit('/').next().unwrap_or(path);
        let skipped_dir = path
            .split('/')
            .any(|part| crate::source::walk::SKIPPED_DIRS.contains(&part));
        let excluded = infraignore
            .as_ref()
            .is_some_and(|m| m.matched_path_or_any_parents(path, false).is_ignore());
        if !kind::is_env_file(name) || ctx.has_file(path) || skipped_dir || excluded {
            continue;
        }
        let full = root.join(path);
        let small_file =
            std::fs::symlink_metadata(&full).is_ok_and(|m| m.is_file() && m.len() <= 1024 * 1024);
        if let (true, Ok(bytes)) = (small_file, std::fs::read(&full)) {
            let mut file = envvars::parse_env_file(path, &String::from_utf8_lossy(&bytes));
            file.tracked_although_ignored = true;
            found.push(file);
        }
    }
    ctx.env_files.extend(found);
    ctx.env_files.sort_by(|a, b| a.path.cmp(&b.path));
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn write(root: &Path, path: &str, text: &[u8]) {
        let full = root.join(path);
        if let Some(parent) = full.parent() {
            fs::create_dir_all(parent).unwrap();
        }
        fs::write(full, text).unwrap();
    }

    #[test]
    fn discovers_a_small_repo() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(root, "README.md", b"# Shop\n\nSells things. Uses Redis.\n");
        write(root, "projectplan.md", b"## Now\n- [ ] launch\n");
        write(
            root,
            "package.json",
            b"{\"dependencies\": {\"express\": \"4\", \"stripe\": \"1\"}}",
        );
        write(
            root,
            "src/app.js",
            b"const k = process.env.STRIPE_SECRET_KEY;\n",
        );
        write(root, "config/production.json", b"{\"port\": 1}");
        write(root, ".env.example", b"STRIPE_SECRET_KEY=\n");
        write(root, "bin.dat", b"\x00\x01\x02");
        let ctx = discover(root, &WalkOptions::default()).unwrap();
        assert_eq!(ctx.project.name.as_deref(), Some("Shop"));
        assert_eq!(
            ctx.plan.as_ref().unwrap().tasks[0].priority.as_deref(),
            Some("high")
        );
        assert_eq!(ctx.stacks[0].frameworks, ["express"]);
        let ids: Vec<_> = ctx.services.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(ids, ["redis", "stripe"]);
        let stripe = ctx.service("stripe").unwrap();
        assert_eq!(stripe.evidence.len(), 3);
        let var = ctx.env_var("STRIPE_SECRET_KEY").unwrap();
        assert!(var.secret);
        assert_eq!(var.reads[0].location.to_string(), "src/app.js:1:11");
        assert!(ctx.environments.iter().any(|e| e.name == "production"));
        assert!(ctx.text("package.json").is_some());
        assert!(ctx.text("src/app.js").is_none());
        assert!(ctx.has_file("bin.dat"));
        assert_eq!(ctx.stats.skipped_binary, 1);
    }

    #[test]
    fn services_only_the_readme_names_are_mentions_not_dependencies() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(
            root,
            "README.md",
            b"# Tool\n\nUnlike PostgreSQL-backed tools, this keeps data in Redis.\n",
        );
        write(
            root,
            "package.json",
            b"{\"dependencies\": {\"ioredis\": \"5\"}}",
        );
        let ctx = discover(root, &WalkOptions::default()).unwrap();
        let pg = ctx.service("postgresql").unwrap();
        assert!(pg.mentioned_only);
        let redis = ctx.service("redis").unwrap();
        assert!(!redis.mentioned_only);
        let used: Vec<_> = ctx.used_services().map(|s| s.id.as_str()).collect();
        assert_eq!(used, ["redis"]);
        assert_eq!(
            ctx.data_stores().count(),
            0,
            "a README mention is not a data store"
        );
    }

    #[test]
    fn discover_with_runs_a_second_scanner_in_the_same_walk() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(root, "README.md", b"# A\n");
        write(root, "src/x.txt", b"one\ntwo\n");
        let (ctx, lines) = discover_with(root, &WalkOptions::default(), |f| {
            Some(f.text.lines().count())
        })
        .unwrap();
        assert_eq!(ctx.project.name.as_deref(), Some("A"));
        assert_eq!(
            lines,
            [("README.md".to_string(), 1), ("src/x.txt".to_string(), 2)]
        );
        assert_eq!(ctx.files.len(), 2);
    }

    #[test]
    fn hostile_files_never_panic() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(root, "package.json", b"{\"dependencies\": {\"pg\": ");
        write(root, "Cargo.toml", b"[package\n");
        write(root, "docker-compose.yml", b"services:\n  a: [\n");
        write(
            root,
            "README.md",
            b"# \xff\xfe bad utf8 \xc3\x28\n\nText \xe2\x82\n",
        );
        write(
            root,
            "k8s/x.yaml",
            b"apiVersion: v1\nkind: Pod\nspec: {containers: [}\n",
        );
        write(root, "src/a.py", b"os.environ['\xff']\nos.getenv('OK')\n");
        write(
            root,
            "deep.yaml",
            format!("apiVersion: v1\nkind: {}", "[".repeat(5000)).as_bytes(),
        );
        let ctx = discover(root, &WalkOptions::default()).unwrap();
        let paths: Vec<_> = ctx
            .problems
            .iter()
            .map(|p| p.location.path.as_str())
            .collect();
        assert_eq!(
            paths,
            [
                "Cargo.toml",
                "deep.yaml",
                "docker-compose.yml",
                "k8s/x.yaml",
                "package.json"
            ]
        );
        assert!(ctx.project.name.is_some());
        assert!(ctx.env_var("OK").is_some());
    }
}
