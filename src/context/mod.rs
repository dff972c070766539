//! Discovery: what the repository already says about itself (SPEC §2),
//! read in one parallel walk and shared by `init`, `audit` and `context`.
//!
//! The walk's visitor is [`analyze_file`]: it reads one file's text once and
//! returns its [`FileFacts`]. [`assemble`] then merges every file's facts into
//! a [`Context`], sorted so the output is the same whatever the thread timing.
//! The audit engine can run its own scanner in the same walk by calling
//! `analyze_file` from its visitor and passing the facts on to `assemble`.

pub mod config;
pub mod envvars;
#[doc(hidden)]
pub mod fuzz;
pub mod infra_files;
pub mod manifests;
pub mod model;
pub mod plan;
pub mod platform;
pub mod readme;
pub mod services;

pub use model::*;

use crate::model::{canonical_environment, Location};
use crate::source::text::{extension, file_name};
use crate::source::walk::{SourceFile, WalkError, WalkOptions, Walked};
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

/// Everything one file contributes to the [`Context`].
#[derive(Debug, Clone, Default)]
pub struct FileFacts {
    /// The root README's name, summary and service mentions.
    pub readme: Option<readme::ReadmeFacts>,
    pub plan: Option<ProjectPlan>,
    pub config: Option<ConfigFile>,
    pub doc: Option<DocFile>,
    /// Environment name (canonical or the repo's own) and why.
    pub environments: Vec<(String, Evidence)>,
    pub manifest: Option<manifests::Manifest>,
    pub dockerfile: Option<Dockerfile>,
    pub compose_services: Vec<ComposeService>,
    pub kubernetes: Vec<K8sObject>,
    pub helm_chart: Option<HelmChart>,
    pub terraform: Terraform,
    pub platform_hints: Vec<PlatformHint>,
    /// Service id (from [`services::CATALOG`]) and the evidence for it.
    pub services: Vec<(&'static str, Evidence)>,
    pub env_reads: Vec<(String, EnvRead)>,
    pub env_file: Option<EnvFile>,
    pub workflow: Option<WorkflowFile>,
    pub problems: Vec<Problem>,
    /// The file's text, when it is one rules and templates read again.
    pub text: Option<String>,
}

impl FileFacts {
    fn is_empty(&self) -> bool {
        self.readme.is_none()
            && self.plan.is_none()
            && self.config.is_none()
            && self.doc.is_none()
            && self.environments.is_empty()
            && self.manifest.is_none()
            && self.dockerfile.is_none()
            && self.compose_services.is_empty()
            && self.kubernetes.is_empty()
            && self.helm_chart.is_none()
            && self.terraform.providers.is_empty()
            && self.terraform.resources.is_empty()
            && self.platform_hints.is_empty()
            && self.services.is_empty()
            && self.env_reads.is_empty()
            && self.env_file.is_none()
            && self.workflow.is_none()
            && self.problems.is_empty()
            && self.text.is_none()
    }
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
    facts: &mut FileFacts,
) -> Option<Vec<crate::parse::yaml::Yaml>> {
    match crate::parse::yaml::parse_documents(text) {
        Ok(docs) => Some(docs),
        Err(e) => {
            facts.problems.push(problem(
                path,
                e.line,
                e.column,
                format!("invalid {what}: {}", e.message),
            ));
            None
        }
    }
}

fn is_readme(path: &str) -> bool {
    matches!(
        path.to_ascii_lowercase().as_str(),
        "readme.md" | "readme.markdown" | "readme"
    )
}

fn is_plan(path: &str) -> bool {
    path.eq_ignore_ascii_case("projectplan.md")
}

/// Files whose text rules and templates read again after the walk.
pub fn keeps_text(path: &str) -> bool {
    let name = file_name(path);
    let lower = name.to_ascii_lowercase();
    let ext = extension(&lower);
    is_readme(path)
        || is_plan(path)
        || (path.starts_with("docs/") && matches!(ext.as_str(), "md" | "markdown"))
        || path.starts_with(".github/workflows/")
        || path == ".github/dependabot.yml"
        || path == ".github/dependabot.yaml"
        || path == ".gitlab-ci.yml"
        || envvars::is_env_file(name)
        || path == "infra.toml"
        || config::is_config_file(path)
        || infra_files::is_dockerfile(name)
        || infra_files::is_compose(name)
        || platform::is_platform_file(path, name)
        || manifests::is_manifest(name)
}

/// Extract one file's facts. Cheap for files no analyzer cares about: the
/// name decides what runs, and only the matching language's env-var regexes run.
pub fn analyze_file(file: &SourceFile<'_>) -> Option<FileFacts> {
    let (path, name, text) = (file.path, file.name, file.text);
    let mut f = FileFacts::default();
    if is_readme(path) {
        f.readme = Some(readme::analyze(text));
    }
    if is_plan(path) {
        f.plan = Some(plan::analyze(path, text));
    }
    if config::is_config_file(path) {
        config::config_file(path, text, &mut f);
    }
    config::environments_from_path(path, &mut f);
    if config::is_infra_doc(path) {
        config::doc_file(path, text, &mut f);
    }
    let is_workflow = config::is_github_workflow(path) || path == ".gitlab-ci.yml";
    if is_workflow {
        config::workflow(path, text, &mut f);
        platform::workflow(path, text, &mut f);
    }
    if manifests::is_manifest(name) {
        manifests::analyze(path, text, &mut f);
    }
    let lower = name.to_ascii_lowercase();
    if infra_files::is_dockerfile(name) {
        infra_files::dockerfile(path, text, &mut f);
    } else if infra_files::is_compose(name) {
        infra_files::compose(path, text, &mut f);
    } else if name == "Chart.yaml" {
        infra_files::helm_chart(path, text, &mut f);
    } else if extension(&lower) == "tf" {
        infra_files::terraform(path, text, &mut f);
    } else if !is_workflow
        && !platform::is_platform_file(path, name)
        && infra_files::looks_like_k8s(name, text)
        && !infra_files::is_helm_template(path, text)
    {
        infra_files::kubernetes(path, text, &mut f);
    }
    if lower.starts_with("kustomization.") && f.platform_hints.is_empty() {
        f.platform_hints.push(platform::kubernetes(
            Location::file(path),
            "kustomization".to_string(),
        ));
    }
    if platform::is_platform_file(path, name) {
        platform::analyze(path, name, text, &mut f);
    }
    if envvars::is_env_file(name) {
        f.env_file = Some(envvars::parse_env_file(path, text));
    }
    if let Some(lang) = envvars::lang_for(path, name, text) {
        f.env_reads.extend(envvars::scan(path, text, lang));
    }
    if keeps_text(path) {
        let mut kept = text.to_string();
        if kept.len() > MAX_KEPT_TEXT {
            let cut = (0..=MAX_KEPT_TEXT)
                .rev()
                .find(|i| kept.is_char_boundary(*i))
                .unwrap_or(0);
            kept.truncate(cut);
        }
        f.text = Some(kept);
    }
    (!f.is_empty()).then_some(f)
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
pub fn assemble(root: &Path, walked: Walked<FileFacts>) -> Context {
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
    for (path, facts) in walked.items {
        if let Some(readme) = facts.readme {
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
        if let Some(plan) = facts.plan {
            ctx.plan = Some(plan);
        }
        ctx.config_files.extend(facts.config);
        ctx.docs.extend(facts.doc);
        for (name, evidence) in facts.environments {
            environments.entry(name).or_default().push(evidence);
        }
        manifests.extend(facts.manifest);
        ctx.containers.extend(facts.dockerfile);
        ctx.compose_services.extend(facts.compose_services);
        ctx.kubernetes.extend(facts.kubernetes);
        ctx.helm_charts.extend(facts.helm_chart);
        ctx.terraform.providers.extend(facts.terraform.providers);
        ctx.terraform.resources.extend(facts.terraform.resources);
        ctx.platform_hints.extend(facts.platform_hints);
        for (id, evidence) in facts.services {
            service_evidence.entry(id).or_default().push(evidence);
        }
        for (name, read) in facts.env_reads {
            env_reads.entry(name).or_default().push(read);
        }
        ctx.env_files.extend(facts.env_file);
        ctx.workflows.extend(facts.workflow);
        ctx.problems.extend(facts.problems);
        if let Some(text) = facts.text {
            ctx.texts.insert(path, text);
        }
    }
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
        for entry in &file.entries {
            for def in services::match_env_var(&entry.name) {
                service_evidence.entry(def.id).or_default().push(Evidence {
                    location: Location::new(file.path.clone(), entry.line, 1),
                    via: format!("env var {} in {}", entry.name, file_name(&file.path)),
                });
            }
        }
    }
    ctx.env_vars = env_reads
        .into_iter()
        .map(|(name, reads)| EnvVar {
            secret: envvars::is_secret_name(&name),
            name,
            reads,
        })
        .collect();
    let mut services: Vec<Service> = service_evidence
        .into_iter()
        .filter_map(|(id, mut evidence)| {
            let def = services::def(id)?;
            evidence.sort();
            evidence.dedup();
            let mentioned_only = evidence.iter().all(|e| e.via.starts_with(README_MENTION));
            Some(Service {
                id: id.to_string(),
                name: def.name.to_string(),
                kind: def.kind,
                evidence,
                mentioned_only,
            })
        })
        .collect();
    services.sort_by(|a, b| (a.kind, &a.id).cmp(&(b.kind, &b.id)));
    ctx.services = services;
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
    ctx.stacks = manifests::stacks(manifests, &file_paths);
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
        if !envvars::is_env_file(name) || ctx.has_file(path) || skipped_dir || excluded {
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

/// Does any discovered environment have this canonical name?
pub fn has_environment(ctx: &Context, name: &str) -> bool {
    let want = canonical_environment(name).unwrap_or(name);
    ctx.environments.iter().any(|e| e.name == want)
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
        assert!(has_environment(&ctx, "prod"));
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
