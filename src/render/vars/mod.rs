//! The values templates see: discovery and answers turned into plain,
//! serialisable data (stacks with their CI commands, env vars with safe
//! placeholders, platform facts, alert thresholds computed from the SLAs).

mod alerts;
mod env;
mod services;
mod stacks;

use crate::answers::Answers;
use crate::context::Context;
use crate::model::ServiceKind;
use crate::platform::{Platform, PlatformFacts};
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Serialize)]
pub struct Vars {
    pub infra_version: &'static str,
    pub project: ProjectVars,
    pub platform: PlatformFacts,
    pub environments: Vec<EnvVars>,
    /// Environments that a branch deploys (staging, production, …), in order.
    pub deployed: Vec<EnvVars>,
    /// Choices of the rollback workflow (never empty).
    pub rollback_envs: Vec<String>,
    pub staging: Option<EnvVars>,
    pub production: Option<EnvVars>,
    pub sla: SlaVars,
    pub alerts: AlertVars,
    pub stacks: Vec<StackVars>,
    pub services: Vec<ServiceVars>,
    pub data_stores: Vec<ServiceVars>,
    pub runbooks: Vec<ServiceVars>,
    pub caches: Vec<ServiceVars>,
    pub side_effect_services: Vec<ServiceVars>,
    pub backup: Option<BackupVars>,
    pub env_vars: Vec<EnvVarVars>,
    pub dependabot: Vec<DependabotVars>,
    pub has_dockerfile: bool,
    /// Linter configs to create: the repository has none of that linter
    /// under any of the names it reads, so stock settings would judge the
    /// rendered files by rules they do not follow (line length).
    pub lint_configs: LintConfigs,
    pub uses: BTreeMap<&'static str, String>,
    /// Filled per runbook (`docs/infra/runbooks/<id>.md`).
    pub service: Option<ServiceVars>,
}

#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct LintConfigs {
    pub yamllint: bool,
    pub markdownlint: bool,
}

/// The config files yamllint and markdownlint(-cli2) look for at the root.
const YAMLLINT_CONFIGS: &[&str] = &[".yamllint", ".yamllint.yaml", ".yamllint.yml"];
const MARKDOWNLINT_CONFIGS: &[&str] = &[
    ".markdownlint.jsonc",
    ".markdownlint.json",
    ".markdownlint.yaml",
    ".markdownlint.yml",
    ".markdownlintrc",
    ".markdownlint-cli2.jsonc",
    ".markdownlint-cli2.yaml",
    ".markdownlint-cli2.cjs",
    ".markdownlint-cli2.mjs",
];

/// The file infra writes (the first name) is left to the plan: a user's own
/// is kept by `CreateOnly`, infra's own is merged like any rendered file.
/// Only a config under another name stops it.
fn lint_configs(ctx: &Context) -> LintConfigs {
    let has = |names: &[&str]| ctx.files.iter().any(|f| names.contains(&f.path.as_str()));
    LintConfigs {
        yamllint: !has(&YAMLLINT_CONFIGS[1..]),
        markdownlint: !has(&MARKDOWNLINT_CONFIGS[1..]),
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct ProjectVars {
    pub name: String,
    /// Lowercase, `-`-separated: used for app, service and cluster names.
    pub slug: String,
    pub summary: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct EnvVars {
    pub name: String,
    pub branch: Option<String>,
    pub url: Option<String>,
    pub approval: bool,
    /// The platform-side name of this environment's app (`shopfront-staging`).
    pub app: String,
    /// Upper-case name for variable prefixes.
    pub upper: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct SlaVars {
    pub availability: String,
    pub latency_p95_ms: u32,
    pub error_rate_percent: String,
    pub error_rate_warning_percent: String,
    pub rpo_hours: Option<String>,
    pub rto_hours: Option<String>,
    pub error_budget_minutes: String,
    /// Minutes of downtime in one hour that burn 2% of the monthly budget (page).
    pub fast_burn_minutes: String,
    pub cpu_percent: u32,
    pub memory_percent: u32,
    pub disk_percent: u32,
    /// Consecutive failed one-minute health checks before paging.
    pub health_failures: u32,
}

#[derive(Debug, Clone, Serialize)]
pub struct AlertVars {
    pub channel: String,
    pub kind: String,
    pub target: String,
    pub rules: Vec<AlertRule>,
}

#[derive(Debug, Clone, Serialize)]
pub struct AlertRule {
    pub name: String,
    pub condition: String,
    pub severity: String,
    /// Path relative to docs/infra/, with an anchor.
    pub runbook: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct StackVars {
    pub language: String,
    pub label: String,
    pub dir: String,
    /// `.` for the root, else the folder: for `working-directory`.
    pub workdir: String,
    pub job: String,
    pub manifest: String,
    pub package_manager: String,
    pub install: String,
    pub build: String,
    pub lint: String,
    pub typecheck: String,
    pub test: String,
    /// The pinned dependency vulnerability scan, run after installing.
    pub vulnerability_scan: String,
    pub typescript: bool,
    /// `.nvmrc` / `.node-version` / `.python-version` next to the manifest, if any.
    pub version_file: Option<String>,
    /// Dependabot's `package-ecosystem` for it.
    pub dependabot: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ServiceVars {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub data_store: bool,
    /// The app's own store or queue: its outage takes the app down, so it
    /// gets a runbook.
    pub critical: bool,
    /// What the app uses it for (`store`, `cache`, `queue`, `pubsub`, `client`).
    pub roles: Vec<String>,
    /// The app connects to it with its own settings (not a client library).
    pub own: bool,
    /// An in-process store on a file (SQLite, H2, …).
    pub embedded: bool,
    /// The app's own cache: the overview gets a caching section.
    pub cache: bool,
    /// How this platform usually hosts it (managed offering).
    pub hosted: String,
    pub backup: String,
    pub restore: String,
    pub env: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct BackupVars {
    pub frequency: String,
    pub retention_days: u32,
}

#[derive(Debug, Clone, Serialize)]
pub struct EnvVarVars {
    pub name: String,
    pub purpose: String,
    pub placeholder: String,
    pub secret: bool,
    pub required: bool,
    /// `src/db.ts:3, src/app.ts:9` or the service that needs it.
    pub source: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct DependabotVars {
    pub ecosystem: String,
    pub directory: String,
}

pub(super) fn slugify(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out.trim_matches('-').to_string();
    if out.is_empty() {
        "app".into()
    } else {
        out
    }
}

/// Format a float without trailing zeros (`99.9`, `1`, `0.5`).
pub fn num(v: f64) -> String {
    let s = format!("{v:.3}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    s.to_string()
}

pub fn build(ctx: &Context, answers: &Answers) -> Vars {
    let slug = slugify(&answers.project_name);
    let environments: Vec<EnvVars> = answers
        .environments
        .iter()
        .map(|e| EnvVars {
            name: e.name.clone(),
            branch: e.branch.clone(),
            url: e.url.clone(),
            approval: e.approval,
            app: if e.name == "production" {
                slug.clone()
            } else {
                format!("{slug}-{}", slugify(&e.name))
            },
            upper: slugify(&e.name).replace('-', "_").to_ascii_uppercase(),
        })
        .collect();
    let deployed: Vec<EnvVars> = environments
        .iter()
        .filter(|e| e.branch.is_some())
        .cloned()
        .collect();
    let find = |n: &str| environments.iter().find(|e| e.name == n).cloned();
    let rollback_envs = rollback_envs(answers.platform, &environments, &deployed);
    let platform = answers.platform.facts(answers.region.clone(), &slug);
    let services = services::services(ctx, answers);
    let data_stores: Vec<ServiceVars> = services.iter().filter(|s| s.data_store).cloned().collect();
    let runbooks: Vec<ServiceVars> = services
        .iter()
        .filter(|s| s.data_store || s.critical)
        .cloned()
        .collect();
    let caches: Vec<ServiceVars> = services.iter().filter(|s| s.cache).cloned().collect();
    let side_effect_services = services
        .iter()
        .filter(|s| ServiceKind::from_id(&s.kind).is_some_and(ServiceKind::has_side_effects))
        .cloned()
        .collect();
    let backup = (!data_stores.is_empty()).then(|| BackupVars {
        frequency: answers
            .data
            .backup_frequency
            .clone()
            .unwrap_or_else(|| "daily".into()),
        retention_days: answers.data.backup_retention_days.unwrap_or(30),
    });
    let sla = alerts::sla_vars(answers);
    let alerts = alerts::alert_vars(answers, &sla, &runbooks);
    let stacks = stacks::stacks(ctx);
    let env_vars = env::env_vars(ctx, &services);
    let dependabot = stacks::dependabot(ctx, &stacks);
    Vars {
        infra_version: env!("CARGO_PKG_VERSION"),
        project: ProjectVars {
            name: answers.project_name.clone(),
            slug,
            summary: ctx.project.summary.clone(),
        },
        platform,
        staging: find("staging"),
        production: find("production"),
        environments,
        deployed,
        rollback_envs,
        sla,
        alerts,
        stacks,
        runbooks,
        caches,
        data_stores,
        side_effect_services,
        services,
        backup,
        env_vars,
        dependabot,
        has_dockerfile: !ctx.containers.is_empty(),
        lint_configs: lint_configs(ctx),
        uses: super::actions::uses_map(),
        service: None,
    }
}

/// Vercel and Netlify roll back production only (staging is a preview alias);
/// elsewhere every deployed environment. Falls back so the list is never empty.
fn rollback_envs(platform: Platform, all: &[EnvVars], deployed: &[EnvVars]) -> Vec<String> {
    let mut names: Vec<String> = if platform.def().staging_is_preview {
        all.iter()
            .filter(|e| e.name == "production")
            .map(|e| e.name.clone())
            .collect()
    } else {
        deployed.iter().map(|e| e.name.clone()).collect()
    };
    if names.is_empty() {
        names = all
            .iter()
            .filter(|e| e.name != "dev")
            .map(|e| e.name.clone())
            .collect();
    }
    if names.is_empty() {
        names.push("production".into());
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_and_numbers() {
        assert_eq!(slugify("My Shop!"), "my-shop");
        assert_eq!(slugify("***"), "app");
        assert_eq!(num(99.9), "99.9");
        assert_eq!(num(1.0), "1");
        assert_eq!(num(0.25), "0.25");
    }

    /// Ruby, PHP and JVM stacks used to be discovered and then dropped:
    /// they get a CI job with the commands discovery found, and Dependabot.
    #[test]
    fn every_discovered_ecosystem_gets_ci_and_dependabot() {
        use crate::context::stack::Language;
        use crate::context::{Stack, StackCommands};
        use crate::platform::Platform;
        use crate::render::fixture;
        let stack = |language, manifest: &str, dir: &str, pm: &str, test: &str| Stack {
            language,
            manifest: manifest.into(),
            dir: dir.into(),
            name: None,
            frameworks: vec![],
            dependencies: vec![],
            scripts: BTreeMap::new(),
            package_manager: Some(pm.into()),
            commands: StackCommands {
                test: Some(test.into()),
                ..StackCommands::default()
            },
        };
        let mut ctx = fixture::context();
        ctx.stacks = vec![
            stack(
                Language::Ruby,
                "api/Gemfile",
                "api",
                "bundler",
                "bundle exec rspec",
            ),
            stack(
                Language::Php,
                "web/composer.json",
                "web",
                "composer",
                "vendor/bin/phpunit",
            ),
            stack(Language::Java, "svc/pom.xml", "svc", "maven", "mvn -B test"),
            stack(
                Language::Java,
                "app/build.gradle",
                "app",
                "gradle",
                "gradle test",
            ),
        ];
        let vars = build(&ctx, &fixture::answers(Platform::Aws));
        let jobs: Vec<(&str, &str)> = vars
            .stacks
            .iter()
            .map(|s| (s.job.as_str(), s.test.as_str()))
            .collect();
        assert_eq!(
            jobs,
            [
                ("ruby-api", "bundle exec rspec"),
                ("java-app", "gradle test"),
                ("java-svc", "mvn -B test"),
                ("php-web", "vendor/bin/phpunit"),
            ]
        );
        let eco: Vec<(&str, &str)> = vars
            .dependabot
            .iter()
            .map(|d| (d.ecosystem.as_str(), d.directory.as_str()))
            .collect();
        for want in [
            ("bundler", "/api"),
            ("composer", "/web"),
            ("maven", "/svc"),
            ("gradle", "/app"),
        ] {
            assert!(eco.contains(&want), "{want:?} missing from {eco:?}");
        }
    }
}
