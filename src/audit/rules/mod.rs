//! The rules, one snake_case file per rule id (`readme_missing.rs` for
//! `readme-missing`, checked by a test), plus the small helpers documentation
//! rules share (finding a doc under docs/infra, requiring a section).

use super::finding::Findings;
use super::rule::Verdict;
use super::scan::ScanResults;
use crate::context::stack::Language;
use crate::context::{Context, Stack};
use crate::model::Location;
use crate::parse::markdown::sections::{mentions, Doc, Section};
use crate::scan::MatchKind;

pub(crate) mod admin_interface_exposed;
pub(crate) mod alert_not_actionable;
pub(crate) mod alerts_missing;
pub(crate) mod backups_undocumented;
pub(crate) mod branch_mapping_undocumented;
pub(crate) mod cache_invalidation_undocumented;
pub(crate) mod change_ci_not_updated;
pub(crate) mod change_dependency_undocumented;
pub(crate) mod change_env_undeclared;
pub(crate) mod change_logging_missing;
pub(crate) mod change_no_rollback;
pub(crate) mod ci_missing;
pub(crate) mod ci_no_build;
pub(crate) mod ci_no_lint;
pub(crate) mod ci_no_tests;
pub(crate) mod config_doc_missing;
pub(crate) mod config_var_undocumented;
pub(crate) mod dashboards_missing;
pub(crate) mod dependency_unvetted_source;
pub(crate) mod dependency_updates_missing;
pub(crate) mod deploy_ad_hoc_script;
pub(crate) mod deploy_doc_missing;
pub(crate) mod deploy_no_rollback;
pub(crate) mod deploy_not_gated_on_tests;
pub(crate) mod deploy_unreviewed_branch;
pub(crate) mod env_example_has_value;
pub(crate) mod env_example_incomplete;
pub(crate) mod env_example_missing;
pub(crate) mod env_file_committed;
pub(crate) mod environment_config_mixed;
pub(crate) mod environments_incomplete;
pub(crate) mod eol_runtime;
pub(crate) mod hardcoded_secret;
pub(crate) mod infra_answers_missing;
pub(crate) mod log_context_missing;
pub(crate) mod log_sensitive_data;
pub(crate) mod logging_missing;
pub(crate) mod metrics_missing;
pub(crate) mod nonprod_live_credentials;
pub(crate) mod oversized_instance;
pub(crate) mod overview_doc_missing;
pub(crate) mod plaintext_http;
pub(crate) mod projectplan_missing;
pub(crate) mod rate_limiting_missing;
pub(crate) mod readme_missing;
pub(crate) mod runbook_missing;
pub(crate) mod secret_in_history;
pub(crate) mod security_headers_missing;
pub(crate) mod staging_parity;
pub(crate) mod unbounded_resources;
pub(crate) mod vulnerability_scan_missing;
pub(crate) mod workflow_secret_exposure;
pub(crate) mod zero_downtime_strategy;

/// Server frameworks (discovery's framework ids): a stack with one serves
/// requests, and the §4 code rules hold it to logging and metrics.
pub const SERVER_FRAMEWORKS: &[&str] = &[
    "express",
    "fastify",
    "koa",
    "hono",
    "flask",
    "fastapi",
    "gin",
    "echo",
    "chi",
    "fiber",
    "sinatra",
    "axum",
    "actix-web",
    "rocket",
    "warp",
    "django",
    "rails",
    "spring-boot",
    "laravel",
    "symfony",
    "nestjs",
];

/// What the rules over deployed manifests and IaC do per file class: what
/// tests, fixtures, vendored and generated files hold is not what runs in
/// production; examples are copied into real configuration, so they are
/// reported one level lower.
pub const DEPLOYED_ONLY: super::rule::ClassPolicy = {
    use super::rule::ClassAction::{Demote, Skip};
    use crate::source::class::FileClass::*;
    &[
        (Test, Skip),
        (Fixture, Skip),
        (Example, Demote),
        (Vendored, Skip),
        (Generated, Skip),
    ]
};

/// A stack's folder as the messages name it.
/// The verdict of a rule that reads Kubernetes objects when the repository
/// has Helm templates: unknown, naming them, since the objects they define
/// were not seen (infra does not run `helm template`).
pub fn helm_not_rendered(templates: &[String]) -> Verdict {
    let first = templates.first().map(String::as_str).unwrap_or("");
    let more = match templates.len() {
        0 | 1 => String::new(),
        n => format!(" and {} more", n - 1),
    };
    Verdict::Unknown(format!(
        "the Helm templates {first}{more} are not rendered, so the Kubernetes objects they define were not checked: render the chart (`helm template`) into a folder and audit that"
    ))
}

pub fn stack_folder(stack: &Stack) -> String {
    if stack.dir.is_empty() {
        "the repository".to_string()
    } else {
        format!("{}/", stack.dir)
    }
}

/// A scan match that `wanted` accepts lies in a file under the stack's folder.
pub fn code_under(
    stack: &Stack,
    scan: &ScanResults,
    wanted: impl Fn(&crate::scan::MatchKind) -> bool,
) -> bool {
    scan.matches
        .iter()
        .any(|m| wanted(&m.kind) && under(&stack.dir, &m.location.path))
}

/// `path` is `dir` itself or inside it (`""` is the repository).
pub fn under(dir: &str, path: &str) -> bool {
    dir.is_empty()
        || path == dir
        || path
            .strip_prefix(dir)
            .is_some_and(|rest| rest.starts_with('/'))
}

/// The stacks that run as services, with their server framework. A Rust
/// crate needs a binary (`src/main.rs`, `src/bin/`) and a Python project a
/// file that imports its framework: a compiled requirements.txt lists the
/// framework a tool such as Locust depends on.
pub fn service_stacks<'c>(ctx: &'c Context, scan: &ScanResults) -> Vec<(&'c Stack, &'c str)> {
    let is_service = |stack: &Stack| {
        let inside = |rest: &str| {
            if stack.dir.is_empty() {
                rest.to_string()
            } else {
                format!("{}/{rest}", stack.dir)
            }
        };
        match stack.language {
            Language::Rust => {
                let (main, bin) = (inside("src/main.rs"), inside("src/bin/"));
                ctx.files
                    .iter()
                    .any(|f| f.path == main || f.path.starts_with(&bin))
            }
            Language::Python => scan.matches.iter().any(|m| {
                matches!(m.kind, MatchKind::ServerImport(_)) && under(&stack.dir, &m.location.path)
            }),
            _ => true,
        }
    };
    ctx.stacks
        .iter()
        .filter_map(|s| {
            let f = s
                .frameworks
                .iter()
                .find(|f| SERVER_FRAMEWORKS.contains(&f.as_str()))?;
            Some((s, f.as_str()))
        })
        .filter(|(s, _)| is_service(s))
        .collect()
}

/// Frameworks that log requests and errors with no set-up.
const LOGS_BY_DEFAULT: &[&str] = &[
    "django",
    "rails",
    "spring-boot",
    "laravel",
    "symfony",
    "nestjs",
];

/// Logging libraries, by package name (a trailing `/` matches a prefix).
const LIBRARIES: &[&str] = &[
    "winston",
    "pino",
    "pino-http",
    "bunyan",
    "morgan",
    "log4js",
    "loglevel",
    "consola",
    "signale",
    "tslog",
    "@nestjs/common",
    "koa-logger",
    "hono/logger",
    "loguru",
    "structlog",
    "python-json-logger",
    "go.uber.org/zap",
    "github.com/sirupsen/logrus",
    "github.com/rs/zerolog",
    "github.com/go-kit/log",
    "lograge",
    "semantic_logger",
    "rails_semantic_logger",
    "tracing",
    "tracing-subscriber",
    "log",
    "env_logger",
    "slog",
    "log4rs",
    "fern",
    "monolog/monolog",
    "serilog",
    "serilog.aspnetcore",
    "nlog",
    "ch.qos.logback:",
    "org.apache.logging.log4j:",
    "org.slf4j:",
    "io.github.microutils:kotlin-logging",
];

pub fn logging_library(stack: &Stack) -> Option<&str> {
    runtime_dependency(stack, LIBRARIES)
}

/// The first runtime (not dev) dependency of the stack that one of the
/// lower-case `patterns` names, matched like the service catalog's.
pub fn runtime_dependency<'s>(stack: &'s Stack, patterns: &[&str]) -> Option<&'s str> {
    stack
        .dependencies
        .iter()
        .filter(|d| !d.dev)
        .map(|d| d.name.as_str())
        .find(|name| {
            let lower = name.to_ascii_lowercase();
            patterns
                .iter()
                .any(|p| crate::context::services::pattern_matches(p, &lower))
        })
}

/// Whether the stack's own dependencies or code show logging.
pub fn service_logs(stack: &Stack, scan: &ScanResults) -> bool {
    stack
        .frameworks
        .iter()
        .any(|f| LOGS_BY_DEFAULT.contains(&f.as_str()))
        || logging_library(stack).is_some()
        || scan
            .matches
            .iter()
            .any(|m| matches!(m.kind, MatchKind::LogUse(_)) && under(&stack.dir, &m.location.path))
}

/// Folders where infra documentation may live, in order of preference.
pub const DOC_DIRS: &[&str] = &["docs/infra", "docs/devops"];

/// A documentation file discovery read, parsed into sections.
pub struct DocRef<'c> {
    pub path: &'c str,
    pub text: &'c str,
    pub doc: Doc,
}

impl DocRef<'_> {
    pub fn lower(&self) -> String {
        self.text.to_lowercase()
    }
}

/// Where a doc lives: `docs/infra/<name>` (or `docs/devops/<name>`),
/// matched case-insensitively.
pub enum DocLookup<'c> {
    Found(DocRef<'c>),
    /// Listed by the walk but its text was not kept (too large, binary).
    Unreadable(&'c str),
    Missing,
}

pub fn infra_doc<'c>(ctx: &'c Context, name: &str) -> DocLookup<'c> {
    for dir in DOC_DIRS {
        let want = format!("{dir}/{name}");
        // Compared in place: this runs for several rules over every path.
        if let Some((path, text)) = ctx
            .texts
            .iter()
            .find(|(p, _)| p.eq_ignore_ascii_case(&want))
        {
            return DocLookup::Found(DocRef {
                path,
                text,
                doc: Doc::parse(text),
            });
        }
        if let Some(f) = ctx
            .files
            .iter()
            .find(|f| f.path.eq_ignore_ascii_case(&want))
        {
            return DocLookup::Unreadable(&f.path);
        }
    }
    DocLookup::Missing
}

/// The deployments doc for the rules that read its sections; when it cannot
/// be read, the verdict is unknown (deploy-doc-missing reports its absence).
pub fn deployments_doc(ctx: &Context) -> Result<DocRef<'_>, Verdict> {
    match infra_doc(ctx, "deployments.md") {
        DocLookup::Found(d) => Ok(d),
        DocLookup::Unreadable(p) => Err(Verdict::Unknown(format!("{p} was not read"))),
        DocLookup::Missing => Err(Verdict::Unknown(
            "docs/infra/deployments.md does not exist (see deploy-doc-missing)".into(),
        )),
    }
}

/// Every Markdown doc under the infra doc folders.
pub fn infra_docs(ctx: &Context) -> Vec<DocRef<'_>> {
    ctx.texts
        .iter()
        .filter(|(p, _)| {
            let b = p.as_bytes();
            let starts_in = |d: &str| {
                b.len() > d.len()
                    && b[..d.len()].eq_ignore_ascii_case(d.as_bytes())
                    && b[d.len()] == b'/'
            };
            DOC_DIRS.iter().any(|d| starts_in(d))
                && b.len() >= 3
                && b[b.len() - 3..].eq_ignore_ascii_case(b".md")
        })
        .map(|(path, text)| DocRef {
            path,
            text,
            doc: Doc::parse(text),
        })
        .collect()
}

/// Require a non-empty section whose heading mentions one of `names`.
/// Reports "missing" at the file, "empty" at the heading. Returns the
/// section when it is there with content.
pub fn require_section<'d>(
    out: &mut Findings<'_>,
    d: &'d DocRef<'_>,
    names: &[&str],
    what: &str,
    heading: &str,
) -> Option<&'d Section> {
    match d.doc.find(names) {
        Some(s) if s.has_content() => Some(s),
        Some(s) => {
            out.add(format!(
                "the \"{}\" section of {} is empty: it must say {what}",
                s.heading, d.path
            ))
            .at(Location::new(d.path, s.line, 1))
            .width(s.heading.len() + s.level as usize + 1)
            .fix(format!("write {what} under \"{}\"", s.heading))
            .key(format!("empty {heading}"))
            .emit();
            None
        }
        None => {
            out.add(format!("{} has no section saying {what}", d.path))
                .at_file(d.path)
                .evidence(format!("no heading like {}", quote_list(names)))
                .fix(format!(
                    "add a `## {heading}` section to {} saying {what} (headings are matched case-insensitively; synonyms are listed in docs/rules.md)",
                    d.path
                ))
                .key(format!("missing {heading}"))
                .emit();
            None
        }
    }
}

pub fn quote_list(names: &[&str]) -> String {
    names
        .iter()
        .map(|n| format!("\"{n}\""))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Whether `text` (already lowercase) contains any of the keywords.
pub fn any_keyword(text: &str, keywords: &[&str]) -> bool {
    keywords.iter().any(|k| text.contains(k))
}

/// Whether a doc names a service: its id, its display name, or the first six
/// letters of either (`postgres` for `postgresql`).
pub fn names_service(text: &str, id: &str, name: &str) -> bool {
    let short = |s: &str| -> String { s.chars().take(6).collect() };
    [id, name, &short(id), &short(name)]
        .iter()
        .filter(|n| n.chars().count() >= 3)
        .any(|n| mentions(text, n))
}

/// Whether `word` appears in `text` as a whole identifier (`DATABASE_URL`
/// in `| DATABASE_URL |`, not in `READ_DATABASE_URL`).
pub fn mentions_word(text: &str, word: &str) -> bool {
    text.match_indices(word).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + word.len()..].chars().next();
        let is_word = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_');
        !is_word(before) && !is_word(after)
    })
}

/// The standard environments the checklist requires (§2.1).
pub const REQUIRED_ENVIRONMENTS: [&str; 3] = ["dev", "staging", "production"];

/// The most telling evidence for a service: a manifest, compose file or
/// config rather than a README mention.
pub fn service_evidence(s: &crate::context::Service) -> Option<&crate::context::Evidence> {
    s.evidence
        .iter()
        .find(|e| !e.location.path.to_ascii_lowercase().starts_with("readme"))
        .or_else(|| s.evidence.first())
}

/// Frameworks that render pages for browsers without a server framework
/// among the stack's dependencies (Next.js, Nuxt, SvelteKit, Astro, Remix).
pub const PAGE_FRAMEWORKS: &[&str] = &["next", "nuxt", "sveltekit", "astro", "remix"];

/// The stacks that serve HTTP to browsers or users: [`service_stacks`], and
/// stacks whose runtime dependencies include a page framework, with the
/// framework.
pub fn web_stacks<'c>(ctx: &'c Context, scan: &ScanResults) -> Vec<(&'c Stack, &'c str)> {
    let mut out = service_stacks(ctx, scan);
    for stack in &ctx.stacks {
        if out.iter().any(|(s, _)| std::ptr::eq(*s, stack)) {
            continue;
        }
        if let Some(f) = stack
            .frameworks
            .iter()
            .find(|f| PAGE_FRAMEWORKS.contains(&f.as_str()))
        {
            let package = if f == "sveltekit" {
                "@sveltejs/kit"
            } else if f == "remix" {
                "@remix-run/"
            } else {
                f.as_str()
            };
            if runtime_dependency(stack, &[package]).is_some() {
                out.push((stack, f.as_str()));
            }
        }
    }
    out
}

/// A file that configures a whole deployment rather than one service's
/// code: a reverse proxy, a platform's header or routing file, Kubernetes
/// and compose YAML, Terraform. What it sets holds for every service.
pub fn deployment_config(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
    matches!(
        name.as_str(),
        "caddyfile"
            | "_headers"
            | "vercel.json"
            | "netlify.toml"
            | "firebase.json"
            | "web.config"
            | ".htaccess"
    ) || name.starts_with("nginx")
        || [".conf", ".yaml", ".yml", ".tf", ".tpl"]
            .iter()
            .any(|e| name.ends_with(e))
}

/// A stack that another stack of the repository depends on by name (a
/// workspace crate such as `lemmy_utils` with a helper binary): a library of
/// the service, not a service of its own.
pub fn repository_library(ctx: &Context, stack: &Stack) -> bool {
    let Some(name) = stack.name.as_deref() else {
        return false;
    };
    let norm = |s: &str| s.to_ascii_lowercase().replace('-', "_");
    let name = norm(name);
    ctx.stacks.iter().any(|other| {
        !std::ptr::eq(other, stack) && other.dependencies.iter().any(|d| norm(&d.name) == name)
    })
}

/// What a change rule says outside diff mode.
pub const CHANGE_ONLY: &str =
    "checks a change: run `infra audit --base REF` or `infra audit --staged`";

/// The repository scope of a change rule: not applicable outside diff mode
/// or when the change touches nothing; otherwise the change scope decides.
pub fn change_repository(input: &super::rule::AuditInput<'_>) -> Verdict {
    match input.changes {
        None => Verdict::NotApplicable(CHANGE_ONLY.into()),
        Some([]) => Verdict::NotApplicable("the change touches no file".into()),
        Some(_) => Verdict::Skipped,
    }
}

/// Whether every one of `locations` stands on a line the change adds: a
/// variable or service the change brings in, not one it only uses again.
/// The guess `--staged` makes, where no base tree was audited.
pub fn all_added<'l>(
    input: &super::rule::AuditInput<'_>,
    mut locations: impl Iterator<Item = &'l Location>,
) -> bool {
    let changes = input.changes.unwrap_or_default();
    locations.all(|l| super::rule::Change::find(changes, &l.path, l.line).is_some())
}

/// Whether the change brings in what `known_before` names: with `--base`,
/// the base tree did not use it; with `--staged`, every use the staged copy
/// shows is on an added line ([`all_added`]).
pub fn brought_in<'l>(
    input: &super::rule::AuditInput<'_>,
    known_before: impl Fn(&super::rule::Known) -> bool,
    locations: impl Iterator<Item = &'l Location>,
) -> bool {
    match input.before {
        Some(before) => !known_before(before),
        None => all_added(input, locations),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::context::model::Dependency;

    #[test]
    fn whole_words_only() {
        assert!(mentions_word("| DATABASE_URL | x |", "DATABASE_URL"));
        assert!(!mentions_word("READ_DATABASE_URL", "DATABASE_URL"));
        assert!(mentions_word("`PORT`", "PORT"));
    }

    fn stack(dir: &str, name: &str, deps: &[&str]) -> Stack {
        Stack {
            language: Language::Rust,
            manifest: format!("{dir}/Cargo.toml"),
            dir: dir.into(),
            name: Some(name.into()),
            frameworks: vec!["actix-web".into()],
            dependencies: deps
                .iter()
                .map(|d| Dependency {
                    name: (*d).into(),
                    version: None,
                    dev: false,
                    line: 1,
                    source: None,
                })
                .collect(),
            scripts: Default::default(),
            package_manager: None,
            commands: Default::default(),
        }
    }

    #[test]
    fn a_crate_the_server_depends_on_is_its_library() {
        let ctx = Context {
            stacks: vec![
                stack("crates/server", "app_server", &["actix-web", "app-utils"]),
                stack("crates/utils", "app_utils", &["actix-web"]),
            ],
            ..Context::default()
        };
        assert!(repository_library(&ctx, &ctx.stacks[1]));
        assert!(!repository_library(&ctx, &ctx.stacks[0]));
    }

    #[test]
    fn deployment_files_are_proxy_platform_and_iac_files() {
        for p in [
            "deploy/nginx.conf",
            "Caddyfile",
            "public/_headers",
            "vercel.json",
            "k8s/ingress.yaml",
            "infra/api.tf",
        ] {
            assert!(deployment_config(p), "{p}");
        }
        for p in ["src/server.js", "package.json", "app/settings.py"] {
            assert!(!deployment_config(p), "{p}");
        }
    }
}
