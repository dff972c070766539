//! The values templates see: discovery and answers turned into plain,
//! serialisable data (stacks with their CI commands, env vars with safe
//! placeholders, platform facts, alert thresholds computed from the SLAs).

use crate::answers::Answers;
use crate::context::stack::Language;
use crate::context::{Context, Stack};
use crate::model::ServiceKind;
use crate::platform::{Platform, PlatformFacts};
use crate::scan::is_secret_name;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

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
    pub uses: BTreeMap<&'static str, String>,
    /// Filled per runbook (`docs/infra/runbooks/<id>.md`).
    pub service: Option<ServiceVars>,
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
    /// Its outage takes the app down: it gets a runbook.
    pub critical: bool,
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

fn slugify(s: &str) -> String {
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
    let services = services(ctx, answers);
    let data_stores: Vec<ServiceVars> = services.iter().filter(|s| s.data_store).cloned().collect();
    let runbooks: Vec<ServiceVars> = services
        .iter()
        .filter(|s| s.data_store || s.critical)
        .cloned()
        .collect();
    let caches: Vec<ServiceVars> = services
        .iter()
        .filter(|s| s.kind == "cache")
        .cloned()
        .collect();
    let side_effect_services = services
        .iter()
        .filter(|s| {
            [ServiceKind::Payments, ServiceKind::Email, ServiceKind::Sms]
                .iter()
                .any(|k| k.id() == s.kind)
        })
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
    let sla = sla_vars(answers);
    let alerts = alert_vars(answers, &sla, &runbooks);
    let stacks = stacks(ctx);
    let env_vars = env_vars(ctx, &services);
    let dependabot = dependabot(ctx, &stacks);
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

fn sla_vars(answers: &Answers) -> SlaVars {
    let a = answers.sla.availability;
    let budget = answers.error_budget_minutes_per_month();
    let (cpu, memory, disk) = if a >= 99.95 {
        (70, 75, 75)
    } else if a >= 99.9 {
        (80, 80, 80)
    } else {
        (85, 85, 85)
    };
    SlaVars {
        availability: num(a),
        latency_p95_ms: answers.sla.latency_p95_ms,
        error_rate_percent: num(answers.sla.error_rate_percent),
        error_rate_warning_percent: num(answers.sla.error_rate_percent / 2.0),
        rpo_hours: answers.sla.rpo_hours.map(num),
        rto_hours: answers.sla.rto_hours.map(num),
        error_budget_minutes: num((budget * 10.0).round() / 10.0),
        fast_burn_minutes: num(((budget * 0.02) * 10.0).round() / 10.0),
        cpu_percent: cpu,
        memory_percent: memory,
        disk_percent: disk,
        health_failures: if a >= 99.95 { 2 } else { 3 },
    }
}

fn alert_vars(answers: &Answers, sla: &SlaVars, runbooks: &[ServiceVars]) -> AlertVars {
    let (kind, target) = answers
        .alerts_channel
        .split_once(':')
        .map(|(k, t)| (k.to_string(), t.to_string()))
        .unwrap_or_else(|| ("email".into(), answers.alerts_channel.clone()));
    let mut rules = vec![
        AlertRule {
            name: "High error rate".into(),
            condition: format!(
                "5xx responses above {}% of requests for 5 minutes (warning above {}% for 15 minutes)",
                sla.error_rate_percent, sla.error_rate_warning_percent
            ),
            severity: "page".into(),
            runbook: "runbooks/app.md#high-error-rate".into(),
        },
        AlertRule {
            name: "Service unavailable".into(),
            condition: format!(
                "health check failing {} times in a row (1-minute interval), or more than {} minutes of downtime in one hour (2% of the {}-minute monthly error budget)",
                sla.health_failures, sla.fast_burn_minutes, sla.error_budget_minutes
            ),
            severity: "page".into(),
            runbook: "runbooks/app.md#service-unavailable".into(),
        },
        AlertRule {
            name: "Slow responses".into(),
            condition: format!("p95 latency above {} ms for 10 minutes", sla.latency_p95_ms),
            severity: "warning".into(),
            runbook: "runbooks/app.md#slow-responses".into(),
        },
        AlertRule {
            name: "CPU exhaustion".into(),
            condition: format!("CPU above {}% for 15 minutes", sla.cpu_percent),
            severity: "warning".into(),
            runbook: "runbooks/app.md#resource-exhaustion".into(),
        },
        AlertRule {
            name: "Memory exhaustion".into(),
            condition: format!("memory above {}% for 10 minutes, or any out-of-memory restart", sla.memory_percent),
            severity: "page".into(),
            runbook: "runbooks/app.md#resource-exhaustion".into(),
        },
        AlertRule {
            name: "Disk exhaustion".into(),
            condition: format!("disk or volume usage above {}%", sla.disk_percent),
            severity: "warning".into(),
            runbook: "runbooks/app.md#resource-exhaustion".into(),
        },
    ];
    for s in runbooks {
        rules.push(AlertRule {
            name: format!("{} unreachable", s.name),
            condition: "connection errors from the app for 2 minutes, or the provider's health check failing".into(),
            severity: "page".into(),
            runbook: format!("runbooks/{}.md#unreachable", s.id),
        });
    }
    AlertVars {
        channel: answers.alerts_channel.clone(),
        kind,
        target,
        rules,
    }
}

fn stacks(ctx: &Context) -> Vec<StackVars> {
    let mut out: Vec<StackVars> = ctx.stacks.iter().map(|s| stack_vars(ctx, s)).collect();
    out.sort_by(|a, b| (&a.dir, &a.language).cmp(&(&b.dir, &b.language)));
    out.dedup_by(|a, b| a.job == b.job);
    out
}

/// A stack as templates see it. The commands are exactly those discovery
/// found the project uses (`context/stack/<ecosystem>.rs`); none is added here.
fn stack_vars(ctx: &Context, s: &Stack) -> StackVars {
    let eco = s.language.ecosystem();
    let dir = s.dir.trim_matches('/').to_string();
    let language = eco.id;
    let job = if dir.is_empty() {
        language.to_string()
    } else {
        format!("{language}-{}", slugify(&dir))
    };
    let in_dir = |name: &str| {
        if dir.is_empty() {
            name.to_string()
        } else {
            format!("{dir}/{name}")
        }
    };
    let command = |c: &Option<String>| c.clone().unwrap_or_default();
    StackVars {
        language: language.into(),
        label: (eco.label)(s).into(),
        workdir: if dir.is_empty() {
            ".".into()
        } else {
            dir.clone()
        },
        job,
        manifest: s.manifest.clone(),
        package_manager: s.package_manager.clone().unwrap_or_default(),
        install: command(&s.commands.install),
        build: command(&s.commands.build),
        lint: command(&s.commands.lint),
        typecheck: command(&s.commands.typecheck),
        test: command(&s.commands.test),
        typescript: s.language == Language::Node
            && s.dependencies.iter().any(|d| d.name == "typescript"),
        version_file: eco
            .version_files
            .iter()
            .map(|n| in_dir(n))
            .find(|p| ctx.has_file(p)),
        dependabot: (eco.dependabot)(s).map(str::to_string),
        dir,
    }
}

fn dependabot(ctx: &Context, stacks: &[StackVars]) -> Vec<DependabotVars> {
    let mut set = BTreeSet::new();
    for s in stacks {
        if let Some(eco) = &s.dependabot {
            set.insert((eco.clone(), format!("/{}", s.dir)));
        }
    }
    for d in &ctx.containers {
        let dir = d.path.rsplit_once('/').map(|(d, _)| d).unwrap_or("");
        set.insert(("docker".into(), format!("/{dir}")));
    }
    let mut out: Vec<DependabotVars> = set
        .into_iter()
        .map(|(ecosystem, directory)| DependabotVars {
            ecosystem,
            directory,
        })
        .collect();
    out.push(DependabotVars {
        ecosystem: "github-actions".into(),
        directory: "/".into(),
    });
    out
}

/// Services to document: discovered ones plus confirmed data stores.
fn services(ctx: &Context, answers: &Answers) -> Vec<ServiceVars> {
    let mut out: BTreeMap<String, ServiceVars> = BTreeMap::new();
    for s in &ctx.services {
        out.insert(
            s.id.clone(),
            service_vars(&s.id, &s.name, s.kind, answers.platform),
        );
    }
    for id in &answers.data.stores {
        if !out.contains_key(id) {
            let (name, kind) = known_service(id);
            out.insert(id.clone(), service_vars(id, name, kind, answers.platform));
        }
    }
    // The answers say which services hold data that must be backed up.
    let confirmed: BTreeSet<&str> = answers.data.stores.iter().map(String::as_str).collect();
    out.into_values()
        .map(|mut s| {
            s.data_store = confirmed.contains(s.id.as_str());
            s
        })
        .collect()
}

fn known_service(id: &str) -> (&'static str, ServiceKind) {
    match id {
        "postgresql" | "postgres" => ("PostgreSQL", ServiceKind::Database),
        "mysql" => ("MySQL", ServiceKind::Database),
        "mongodb" => ("MongoDB", ServiceKind::Database),
        "redis" => ("Redis", ServiceKind::Cache),
        "elasticsearch" | "opensearch" => ("Elasticsearch", ServiceKind::Search),
        "s3" => ("Object storage", ServiceKind::ObjectStorage),
        _ => ("Data store", ServiceKind::Database),
    }
}

fn service_vars(id: &str, name: &str, kind: ServiceKind, platform: Platform) -> ServiceVars {
    let hosting = platform.hosting(id, kind);
    ServiceVars {
        id: id.to_string(),
        name: name.to_string(),
        kind: kind.id().to_string(),
        data_store: kind.is_data_store(),
        critical: kind.is_critical(),
        hosted: hosting.hosted,
        backup: hosting.backup,
        restore: hosting.restore,
        env: service_env(id, kind)
            .iter()
            .map(|(n, _, _, _)| n.to_string())
            .collect(),
    }
}

/// Variables a service needs: (name, purpose, placeholder, secret).
fn service_env(
    id: &str,
    kind: ServiceKind,
) -> &'static [(&'static str, &'static str, &'static str, bool)] {
    match id {
        "postgresql" | "postgres" => &[(
            "DATABASE_URL",
            "PostgreSQL connection string",
            "postgres://localhost:5432/app_dev",
            true,
        )],
        "mysql" => &[(
            "DATABASE_URL",
            "MySQL connection string",
            "mysql://localhost:3306/app_dev",
            true,
        )],
        "mongodb" => &[(
            "MONGODB_URI",
            "MongoDB connection string",
            "mongodb://localhost:27017/app_dev",
            true,
        )],
        "redis" => &[(
            "REDIS_URL",
            "Redis connection string",
            "redis://localhost:6379/0",
            true,
        )],
        "stripe" => &[
            (
                "STRIPE_SECRET_KEY",
                "Stripe API key: test mode (sk_test_…) everywhere except production",
                "sk_test_replace_me",
                true,
            ),
            (
                "STRIPE_WEBHOOK_SECRET",
                "Stripe webhook signing secret (whsec_…) of this environment's endpoint",
                "whsec_replace_me",
                true,
            ),
        ],
        "sendgrid" => &[(
            "SENDGRID_API_KEY",
            "SendGrid API key; outside production use a key whose mail is sandboxed",
            "SG.replace_me",
            true,
        )],
        "twilio" => &[
            (
                "TWILIO_ACCOUNT_SID",
                "Twilio account SID: the test credentials outside production",
                "ACreplace_me",
                false,
            ),
            (
                "TWILIO_AUTH_TOKEN",
                "Twilio auth token: the test credentials outside production",
                "replace_me",
                true,
            ),
        ],
        "mailgun" => &[(
            "MAILGUN_API_KEY",
            "Mailgun API key; a sandbox domain outside production",
            "replace_me",
            true,
        )],
        "postmark" => &[(
            "POSTMARK_SERVER_TOKEN",
            "Postmark server token; use POSTMARK_API_TEST outside production",
            "POSTMARK_API_TEST",
            true,
        )],
        "sentry" => &[("SENTRY_DSN", "Sentry DSN for error reports", "", false)],
        "rabbitmq" => &[(
            "AMQP_URL",
            "RabbitMQ connection string",
            "amqp://localhost:5672",
            true,
        )],
        _ => match kind {
            ServiceKind::Database => &[("DATABASE_URL", "database connection string", "", true)],
            _ => &[],
        },
    }
}

/// Well-known variables: (purpose, placeholder, secret).
fn known_var(name: &str) -> Option<(&'static str, &'static str, bool)> {
    Some(match name {
        "PORT" => ("port the HTTP server listens on", "3000", false),
        "NODE_ENV" => (
            "Node.js mode: development, test or production",
            "development",
            false,
        ),
        "LOG_LEVEL" => ("log verbosity: debug, info, warn or error", "info", false),
        "APP_ENV" | "ENVIRONMENT" => (
            "which environment this is: dev, staging or production",
            "dev",
            false,
        ),
        "JWT_SECRET" | "SESSION_SECRET" | "SECRET_KEY" | "APP_SECRET" => (
            "signing secret; generate a long random value per environment",
            "",
            true,
        ),
        "STRIPE_PUBLISHABLE_KEY" => (
            "Stripe publishable key: test mode (pk_test_…) outside production",
            "pk_test_replace_me",
            false,
        ),
        "SENDGRID_FROM_EMAIL" | "EMAIL_FROM" | "MAIL_FROM" => (
            "sender address for outgoing mail",
            "no-reply@example.com",
            false,
        ),
        "SENTRY_DSN" => ("Sentry DSN for error reports", "", false),
        "PUBLIC_URL" | "BASE_URL" | "APP_URL" => (
            "public base URL of this environment (links in e-mails, redirects)",
            "http://localhost:3000",
            false,
        ),
        "CORS_ORIGIN" | "ALLOWED_ORIGINS" => (
            "origins allowed to call the API",
            "http://localhost:3000",
            false,
        ),
        _ => return None,
    })
}

/// A purpose from the name's shape, for variables no table knows.
fn guess_purpose(name: &str) -> &'static str {
    let ends = |s: &str| name.ends_with(s);
    if is_secret_name(name) {
        "credential read by the application"
    } else if ends("_URL") || ends("_URI") || ends("_ENDPOINT") {
        "address of a service the application calls"
    } else if ends("_HOST") {
        "host name of a service the application calls"
    } else if ends("_PORT") {
        "port of a service the application calls"
    } else if ends("_TTL") || ends("_SECONDS") || ends("_MS") || ends("_TIMEOUT") {
        "duration setting read by the application"
    } else if ends("_MAX") || ends("_MIN") || ends("_SIZE") || ends("_LIMIT") || ends("_COUNT") {
        "size or limit setting read by the application"
    } else if name.starts_with("FEATURE_") || ends("_ENABLED") {
        "feature switch read by the application"
    } else {
        "setting read by the application"
    }
}

fn env_vars(ctx: &Context, services: &[ServiceVars]) -> Vec<EnvVarVars> {
    let mut out: BTreeMap<String, EnvVarVars> = BTreeMap::new();
    for s in services {
        let kind = known_service_kind(&s.kind);
        for (name, purpose, placeholder, secret) in service_env(&s.id, kind) {
            out.insert(
                name.to_string(),
                EnvVarVars {
                    name: name.to_string(),
                    purpose: purpose.to_string(),
                    placeholder: placeholder.to_string(),
                    secret: *secret,
                    required: true,
                    source: format!("needed by {}", s.name),
                },
            );
        }
    }
    for v in &ctx.env_vars {
        // Variables only workflows read are deploy-time settings (documented
        // apart), and infra's own workflows must not feed back into the app's list.
        let app_reads: Vec<_> = v
            .reads
            .iter()
            .filter(|r| !r.location.path.starts_with(".github/"))
            .collect();
        if !is_env_name(&v.name) || app_reads.is_empty() {
            continue;
        }
        let mut reads: Vec<String> = app_reads
            .iter()
            .map(|r| match r.location.line {
                0 => r.location.path.clone(),
                l => format!("{}:{l}", r.location.path),
            })
            .collect();
        reads.sort();
        reads.dedup();
        let total = reads.len();
        reads.truncate(3);
        let mut source = format!("read in {}", reads.join(", "));
        if total > 3 {
            source.push_str(&format!(" and {} more", total - 3));
        }
        if let Some(existing) = out.get_mut(&v.name) {
            existing.source = format!("{source}; {}", existing.source);
            continue;
        }
        let (purpose, placeholder, secret) = known_var(&v.name).unwrap_or((
            guess_purpose(&v.name),
            "",
            v.secret || is_secret_name(&v.name),
        ));
        out.insert(
            v.name.clone(),
            EnvVarVars {
                name: v.name.clone(),
                purpose: purpose.to_string(),
                placeholder: if secret && !placeholder.ends_with("replace_me") {
                    String::new()
                } else {
                    placeholder.to_string()
                },
                secret: secret || v.secret,
                required: !matches!(v.name.as_str(), "PORT" | "LOG_LEVEL" | "NODE_ENV"),
                source,
            },
        );
    }
    out.into_values().collect()
}

fn known_service_kind(id: &str) -> ServiceKind {
    ServiceKind::ALL
        .into_iter()
        .find(|k| k.id() == id)
        .unwrap_or(ServiceKind::Observability)
}

/// Only conventional names go into `.env.example` (dotenv-linter rejects others).
fn is_env_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
        && !name.as_bytes()[0].is_ascii_digit()
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
}
