//! The values templates see: discovery and answers turned into plain,
//! serialisable data (stacks with their CI commands, env vars with safe
//! placeholders, platform facts, alert thresholds computed from the SLAs).

use crate::answers::Answers;
use crate::context::{Context, Stack};
use crate::model::{Language, Platform, ServiceKind};
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

/// Everything a platform contributes to the docs and workflows.
#[derive(Debug, Clone, Serialize)]
pub struct PlatformFacts {
    pub id: &'static str,
    pub name: &'static str,
    pub region: Option<String>,
    pub runtime: &'static str,
    pub secrets_store: &'static str,
    pub secrets_cmd: &'static str,
    pub auth: &'static str,
    pub deploy_cmds: Vec<String>,
    pub rollback_list_cmd: String,
    pub rollback_cmds: Vec<String>,
    pub logs: &'static str,
    pub logs_cmd: String,
    pub metrics: &'static str,
    pub dashboards: &'static str,
    pub alerting: &'static str,
    pub zero_downtime: &'static str,
    pub https: &'static str,
    pub headers: &'static str,
    pub access: &'static str,
    /// Names of GitHub environment variables (`vars.*`) the deploy workflow reads.
    pub gh_vars: Vec<GhSetting>,
    /// Names of GitHub environment secrets the deploy workflow reads.
    pub gh_secrets: Vec<GhSetting>,
    pub container: bool,
    pub oidc: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct GhSetting {
    pub name: &'static str,
    pub purpose: &'static str,
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
    let platform = platform_facts(answers.platform, answers.region.clone(), &slug);
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
    let mut names: Vec<String> = match platform {
        Platform::Vercel | Platform::Netlify => all
            .iter()
            .filter(|e| e.name == "production")
            .map(|e| e.name.clone())
            .collect(),
        _ => deployed.iter().map(|e| e.name.clone()).collect(),
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
    let mut out: Vec<StackVars> = ctx.stacks.iter().filter_map(stack_vars).collect();
    for s in &mut out {
        let names: &[&str] = match s.language.as_str() {
            "node" => &[".nvmrc", ".node-version"],
            "python" => &[".python-version"],
            _ => &[],
        };
        s.version_file = names
            .iter()
            .map(|n| {
                if s.dir.is_empty() {
                    n.to_string()
                } else {
                    format!("{}/{n}", s.dir)
                }
            })
            .find(|p| ctx.has_file(p));
    }
    out.sort_by(|a, b| (&a.dir, &a.language).cmp(&(&b.dir, &b.language)));
    out.dedup_by(|a, b| a.job == b.job);
    out
}

fn stack_vars(s: &Stack) -> Option<StackVars> {
    let has_dep = |n: &str| s.dependencies.iter().any(|d| d.name == n);
    let script = |n: &str| s.scripts.contains_key(n);
    let pm = s.package_manager.clone();
    let (language, label, pm, install, build, lint, typecheck, test) = match s.language {
        Language::Node => {
            let pm = pm.unwrap_or_else(|| "npm".into());
            let run = |n: &str| match pm.as_str() {
                "npm" => format!("npm run {n}"),
                other => format!("{other} run {n}"),
            };
            let ts = has_dep("typescript");
            let install = match pm.as_str() {
                "pnpm" => "pnpm install --frozen-lockfile",
                "yarn" => "yarn install --frozen-lockfile",
                "bun" => "bun install --frozen-lockfile",
                _ => "npm ci",
            }
            .to_string();
            let build = if script("build") {
                run("build")
            } else {
                String::new()
            };
            let lint = if script("lint") {
                run("lint")
            } else if has_dep("eslint") {
                "npx --no-install eslint .".into()
            } else {
                String::new()
            };
            let typecheck = if script("typecheck") {
                run("typecheck")
            } else if script("type-check") {
                run("type-check")
            } else if ts {
                "npx --no-install tsc --noEmit".into()
            } else {
                String::new()
            };
            let test = if script("test") {
                run("test")
            } else {
                String::new()
            };
            (
                "node",
                if ts { "TypeScript" } else { "Node.js" },
                pm,
                install,
                build,
                lint,
                typecheck,
                test,
            )
        }
        Language::Python => {
            let pm = pm.unwrap_or_else(|| "pip".into());
            let install = match pm.as_str() {
                "poetry" => "pipx install poetry && poetry install --no-interaction",
                "uv" => "pipx install uv && uv sync --frozen",
                _ => "python -m pip install -r requirements.txt",
            }
            .to_string();
            let exec = match pm.as_str() {
                "poetry" => "poetry run ",
                "uv" => "uv run ",
                _ => "",
            };
            (
                "python",
                "Python",
                pm,
                install,
                format!("{exec}python -m compileall -q ."),
                format!("{exec}ruff check ."),
                format!("{exec}mypy ."),
                format!("{exec}pytest"),
            )
        }
        Language::Rust => (
            "rust",
            "Rust",
            "cargo".into(),
            "cargo fetch --locked".into(),
            "cargo build --locked --all-targets".into(),
            "cargo fmt --check && cargo clippy --locked --all-targets -- -D warnings".into(),
            "cargo check --locked --all-targets".into(),
            "cargo test --locked".into(),
        ),
        Language::Go => (
            "go",
            "Go",
            "go".into(),
            "go mod download".into(),
            "go build ./...".into(),
            "test -z \"$(gofmt -l .)\" && go vet ./...".into(),
            "go vet ./...".into(),
            "go test ./...".into(),
        ),
        _ => return None,
    };
    // The repo's own commands, when discovery found them, win over the defaults.
    let pick = |found: &Option<String>, default: String| found.clone().unwrap_or(default);
    let dir = s.dir.trim_matches('/').to_string();
    let job = if dir.is_empty() {
        language.to_string()
    } else {
        format!("{language}-{}", slugify(&dir))
    };
    Some(StackVars {
        language: language.into(),
        label: label.into(),
        workdir: if dir.is_empty() {
            ".".into()
        } else {
            dir.clone()
        },
        dir,
        job,
        manifest: s.manifest.clone(),
        package_manager: pm,
        install: pick(&s.commands.install, install),
        build: pick(&s.commands.build, build),
        lint: pick(&s.commands.lint, lint),
        typecheck: pick(&s.commands.typecheck, typecheck),
        test: pick(&s.commands.test, test),
        typescript: s.language == Language::Node && has_dep("typescript"),
        version_file: None,
    })
}

fn dependabot(ctx: &Context, stacks: &[StackVars]) -> Vec<DependabotVars> {
    let mut set = BTreeSet::new();
    for s in stacks {
        let eco = match s.language.as_str() {
            "node" => "npm",
            "python" => "pip",
            "rust" => "cargo",
            "go" => "gomod",
            _ => continue,
        };
        set.insert((eco.to_string(), format!("/{}", s.dir)));
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
    let (hosted, backup, restore) = hosting(id, kind, platform);
    ServiceVars {
        id: id.to_string(),
        name: name.to_string(),
        kind: kind.id().to_string(),
        data_store: kind.is_data_store(),
        critical: kind.is_critical(),
        hosted,
        backup,
        restore,
        env: service_env(id, kind)
            .iter()
            .map(|(n, _, _, _)| n.to_string())
            .collect(),
    }
}

fn hosting(id: &str, kind: ServiceKind, platform: Platform) -> (String, String, String) {
    let pg = matches!(id, "postgresql" | "postgres");
    let mysql = id == "mysql";
    let s = |a: &str, b: &str, c: &str| (a.to_string(), b.to_string(), c.to_string());
    match (kind, platform) {
        (ServiceKind::Database, Platform::Aws) if pg || mysql => s(
            "Amazon RDS (Multi-AZ in production)",
            "RDS automated backups (point-in-time recovery) plus a daily manual snapshot",
            "`aws rds restore-db-instance-to-point-in-time --source-db-instance-identifier <db> --target-db-instance-identifier <db>-restore --restore-time <UTC time>`, then point `DATABASE_URL` at the restored instance",
        ),
        (ServiceKind::Database, Platform::Gcp) if pg || mysql => s(
            "Cloud SQL (high availability in production)",
            "Cloud SQL automated backups with point-in-time recovery",
            "`gcloud sql backups list --instance <instance>` then `gcloud sql backups restore <backup-id> --restore-instance <instance>-restore`",
        ),
        (ServiceKind::Database, Platform::Azure) if pg || mysql => s(
            "Azure Database (Flexible Server, zone-redundant HA in production)",
            "Flexible Server automated backups with point-in-time restore",
            "`az postgres flexible-server restore --resource-group <rg> --name <server>-restore --source-server <server> --restore-time <UTC time>`",
        ),
        (ServiceKind::Database, Platform::Fly) if pg => s(
            "Fly Postgres cluster (or a managed Postgres provider)",
            "daily volume snapshots (`fly volumes snapshots list <volume-id>`) plus a nightly `pg_dump` to object storage",
            "create a volume from a snapshot (`fly volumes create pg_data --snapshot-id <id>`) or `pg_restore` the latest dump into a new cluster",
        ),
        (ServiceKind::Database, _) if pg || mysql => s(
            "a managed database service from your provider",
            "the provider's automated backups with point-in-time recovery, plus a nightly logical dump (`pg_dump`/`mysqldump`) to separate storage",
            "restore the latest backup into a new instance, verify it, then switch `DATABASE_URL` to it",
        ),
        (ServiceKind::Database, _) => s(
            "a managed database service",
            "the provider's automated backups, plus a nightly logical dump to separate storage",
            "restore the latest dump into a new instance, verify it, then switch the connection string",
        ),
        (ServiceKind::Cache, Platform::Aws) => s("Amazon ElastiCache", "not backed up (a cache is rebuilt from the source of truth)", "flush and let the app refill it"),
        (ServiceKind::Cache, Platform::Gcp) => s("Memorystore for Redis", "not backed up (a cache is rebuilt from the source of truth)", "flush and let the app refill it"),
        (ServiceKind::Cache, Platform::Azure) => s("Azure Cache for Redis", "not backed up (a cache is rebuilt from the source of truth)", "flush and let the app refill it"),
        (ServiceKind::Cache, _) => s("a managed Redis service", "not backed up (a cache is rebuilt from the source of truth)", "flush and let the app refill it"),
        (ServiceKind::ObjectStorage, _) => s("the platform's object storage", "bucket versioning plus a lifecycle rule keeping old versions for the retention period", "restore the previous object version"),
        (ServiceKind::Search, _) => s("a managed search service", "daily index snapshots", "restore the latest snapshot, or re-index from the database"),
        (ServiceKind::Queue, _) => s("a managed queue service", "not backed up; messages are retried from the producer", "replay from the dead-letter queue"),
        _ => s("an external provider", "kept by the provider", "not applicable"),
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

fn platform_facts(platform: Platform, region: Option<String>, slug: &str) -> PlatformFacts {
    let region_s = region.clone().unwrap_or_default();
    let v = |name, purpose| GhSetting { name, purpose };
    match platform {
        Platform::Aws => PlatformFacts {
            id: "aws",
            name: "AWS",
            region,
            runtime: "Amazon ECS on Fargate behind an Application Load Balancer; images in Amazon ECR",
            secrets_store: "AWS Secrets Manager, referenced from the ECS task definition's `secrets`",
            secrets_cmd: "aws secretsmanager create-secret --name <app>/<env>/<NAME> --secret-string <value>",
            auth: "GitHub OIDC federation to an IAM role (`AWS_DEPLOY_ROLE_ARN`), no long-lived keys",
            deploy_cmds: vec![
                "docker build -t \"$ECR_REPOSITORY:$GITHUB_SHA\" . && docker push \"$ECR_REPOSITORY:$GITHUB_SHA\"".into(),
                "aws ecs describe-task-definition --task-definition <service> --query taskDefinition > task.json".into(),
                "# set the container image to the new tag, then register it".into(),
                "aws ecs register-task-definition --cli-input-json file://task-new.json".into(),
                "aws ecs update-service --cluster <cluster> --service <service> --task-definition <new-arn>".into(),
                "aws ecs wait services-stable --cluster <cluster> --services <service>".into(),
            ],
            rollback_list_cmd: "aws ecs list-task-definitions --family-prefix <service> --sort DESC --max-items 5".into(),
            rollback_cmds: vec![
                "aws ecs update-service --cluster <cluster> --service <service> --task-definition <service>:<previous-revision>".into(),
                "aws ecs wait services-stable --cluster <cluster> --services <service>".into(),
            ],
            logs: "CloudWatch Logs, log group `/ecs/<service>` (awslogs driver)",
            logs_cmd: "aws logs tail /ecs/<service> --follow --since 15m".into(),
            metrics: "CloudWatch: `AWS/ECS` CPUUtilization and MemoryUtilization per service, `AWS/ApplicationELB` HTTPCode_Target_5XX_Count, RequestCount, TargetResponseTime and UnHealthyHostCount",
            dashboards: "a CloudWatch dashboard per environment with the ALB and ECS metrics above",
            alerting: "CloudWatch alarms publishing to an SNS topic that forwards to the alert channel",
            zero_downtime: "ECS rolling deployments with `minimumHealthyPercent: 100` and `maximumPercent: 200`: new tasks must pass the ALB health check before old ones drain; the deployment circuit breaker rolls back automatically when new tasks keep failing",
            https: "the ALB listens on 443 with an ACM certificate; port 80 only redirects to HTTPS",
            headers: "set by the application (e.g. helmet for Express) or a CloudFront response headers policy",
            access: "the ECS tasks run in private subnets; only the ALB is public; databases accept connections only from the tasks' security group; console access through IAM Identity Center",
            gh_vars: vec![
                v("AWS_DEPLOY_ROLE_ARN", "IAM role the deploy job assumes through OIDC"),
                v("AWS_REGION", "region of the cluster"),
                v("ECR_REPOSITORY", "ECR repository URI for the image"),
                v("ECS_CLUSTER", "ECS cluster name"),
                v("ECS_SERVICE", "ECS service name (its task definition family has the same name)"),
            ],
            gh_secrets: vec![],
            container: true,
            oidc: true,
        },
        Platform::Gcp => PlatformFacts {
            id: "gcp",
            name: "Google Cloud",
            region,
            runtime: "Cloud Run (one service per environment); images built from the repository with Cloud Build",
            secrets_store: "Secret Manager, mounted into Cloud Run as environment variables (`--set-secrets`)",
            secrets_cmd: "printf %s <value> | gcloud secrets create <NAME> --data-file=-",
            auth: "Workload Identity Federation from GitHub OIDC to a deploy service account, no key files",
            deploy_cmds: vec![format!("gcloud run deploy <service> --source . --region {region_s} --quiet")],
            rollback_list_cmd: format!("gcloud run revisions list --service <service> --region {region_s}"),
            rollback_cmds: vec![format!("gcloud run services update-traffic <service> --region {region_s} --to-revisions <previous-revision>=100")],
            logs: "Cloud Logging, resource type `cloud_run_revision`",
            logs_cmd: "gcloud logging read 'resource.type=\"cloud_run_revision\" AND resource.labels.service_name=\"<service>\"' --limit 100".into(),
            metrics: "Cloud Monitoring: `run.googleapis.com/request_count` (by response code class), `request_latencies`, `container/cpu/utilizations`, `container/memory/utilizations`",
            dashboards: "the Cloud Run service's Metrics tab, and a Cloud Monitoring dashboard per environment",
            alerting: "Cloud Monitoring alerting policies with a notification channel for the alert channel",
            zero_downtime: "Cloud Run starts the new revision, waits for its startup probe, then moves traffic; old revisions stay available so traffic can be sent back instantly",
            https: "Cloud Run serves HTTPS only with managed certificates",
            headers: "set by the application (e.g. helmet for Express) or a load balancer response header policy",
            access: "internal services use `--ingress internal`; Cloud SQL is reached through the Cloud SQL connector, not a public IP; IAM roles per person, no basic roles",
            gh_vars: vec![
                v("GCP_WORKLOAD_IDENTITY_PROVIDER", "full resource name of the workload identity provider"),
                v("GCP_SERVICE_ACCOUNT", "deploy service account e-mail"),
                v("GCP_PROJECT_ID", "project id"),
                v("GCP_REGION", "Cloud Run region"),
                v("CLOUD_RUN_SERVICE", "Cloud Run service name"),
            ],
            gh_secrets: vec![],
            container: true,
            oidc: true,
        },
        Platform::Azure => PlatformFacts {
            id: "azure",
            name: "Azure",
            region,
            runtime: "Azure Container Apps in multiple-revision mode; images in Azure Container Registry",
            secrets_store: "Azure Key Vault, referenced from Container Apps secrets",
            secrets_cmd: "az keyvault secret set --vault-name <vault> --name <NAME> --value <value>",
            auth: "GitHub OIDC federation to a Microsoft Entra app registration (federated credential), no client secrets",
            deploy_cmds: vec![
                "az acr build --registry <registry> --image <app>:$GITHUB_SHA .".into(),
                "az containerapp update --name <app> --resource-group <rg> --image <registry>.azurecr.io/<app>:$GITHUB_SHA".into(),
            ],
            rollback_list_cmd: "az containerapp revision list --name <app> --resource-group <rg> -o table".into(),
            rollback_cmds: vec!["az containerapp ingress traffic set --name <app> --resource-group <rg> --revision-weight <previous-revision>=100".into()],
            logs: "Log Analytics workspace linked to the Container Apps environment (`ContainerAppConsoleLogs_CL`)",
            logs_cmd: "az containerapp logs show --name <app> --resource-group <rg> --follow".into(),
            metrics: "Azure Monitor metrics for the container app: Requests (by status code), ResponseTime, CpuPercentage (UsageNanoCores), MemoryPercentage (WorkingSetBytes), RestartCount",
            dashboards: "an Azure Monitor workbook or portal dashboard per environment",
            alerting: "Azure Monitor alert rules with an action group for the alert channel",
            zero_downtime: "each deploy creates a new revision; traffic moves to it only once it is healthy, and earlier revisions stay available for an instant switch back",
            https: "Container Apps ingress serves HTTPS with managed certificates; `allowInsecure` stays false",
            headers: "set by the application (e.g. helmet for Express) or Azure Front Door rules",
            access: "internal services use internal ingress; databases use private endpoints; access through Entra ID roles",
            gh_vars: vec![
                v("AZURE_CLIENT_ID", "client id of the app registration with the federated credential"),
                v("AZURE_TENANT_ID", "tenant id"),
                v("AZURE_SUBSCRIPTION_ID", "subscription id"),
                v("AZURE_RESOURCE_GROUP", "resource group of the container app"),
                v("ACR_NAME", "container registry name"),
                v("CONTAINER_APP", "container app name"),
            ],
            gh_secrets: vec![],
            container: true,
            oidc: true,
        },
        Platform::Fly => PlatformFacts {
            id: "fly",
            name: "Fly.io",
            region,
            runtime: "Fly Machines, one Fly app per environment, configured by `fly.toml`",
            secrets_store: "Fly secrets (`fly secrets set`), encrypted and injected as environment variables",
            secrets_cmd: "fly secrets set --app <app> NAME=<value>",
            auth: "a deploy token scoped to one app per environment (`fly tokens create deploy`), stored as an environment secret; Fly has no OIDC federation for deploys",
            deploy_cmds: vec!["flyctl deploy --app <app> --remote-only --strategy rolling".into()],
            rollback_list_cmd: "fly releases --app <app> --image".into(),
            rollback_cmds: vec!["flyctl deploy --app <app> --image <previous-image> --strategy rolling".into()],
            logs: "`fly logs`, and the app's Monitoring page in the Fly dashboard; ship them onward with the fly-log-shipper",
            logs_cmd: format!("fly logs --app {slug}"),
            metrics: "Fly's managed Prometheus (`fly_instance_*`, `fly_app_http_responses_count`, `fly_app_http_response_time_seconds`), visible in the hosted Grafana",
            dashboards: "the Fly Metrics Grafana dashboards for the app",
            alerting: "Grafana alert rules on Fly's Prometheus metrics, sent to the alert channel",
            zero_downtime: "rolling deploys with health checks from `fly.toml` (`[[http_service.checks]]`): a Machine is replaced only after its successor passes; run at least two Machines in production",
            https: "Fly terminates TLS with managed certificates; set `force_https = true` in `fly.toml`",
            headers: "set by the application (e.g. helmet for Express)",
            access: "internal services listen on the private 6PN network only (`.internal` / `.flycast` addresses); org access through Fly's single sign-on",
            gh_vars: vec![v("FLY_APP", "Fly app name of the environment")],
            gh_secrets: vec![v("FLY_API_TOKEN", "deploy token for this environment's app only")],
            container: true,
            oidc: false,
        },
        Platform::Kubernetes => PlatformFacts {
            id: "kubernetes",
            name: "Kubernetes",
            region,
            runtime: "a Deployment per environment (namespace per environment) behind a Service and an Ingress; images in GitHub Container Registry",
            secrets_store: "Kubernetes Secrets (sealed or synced from a cloud secret manager with External Secrets), mounted as environment variables",
            secrets_cmd: "kubectl create secret generic <app>-env --namespace <namespace> --from-literal=NAME=<value>",
            auth: "a kubeconfig for a namespace-scoped deploy ServiceAccount, stored as an environment secret (use your cloud's OIDC federation instead where the cluster supports it)",
            deploy_cmds: vec![
                "kubectl --namespace <namespace> set image deployment/<app> app=ghcr.io/<owner>/<app>:$GITHUB_SHA".into(),
                "kubectl --namespace <namespace> rollout status deployment/<app> --timeout=5m".into(),
            ],
            rollback_list_cmd: "kubectl --namespace <namespace> rollout history deployment/<app>".into(),
            rollback_cmds: vec![
                "kubectl --namespace <namespace> rollout undo deployment/<app>".into(),
                "kubectl --namespace <namespace> rollout status deployment/<app> --timeout=5m".into(),
            ],
            logs: "`kubectl logs` for live pods, and the cluster's log pipeline (e.g. Loki, CloudWatch, Cloud Logging) for history",
            logs_cmd: "kubectl --namespace <namespace> logs deployment/<app> --since=15m".into(),
            metrics: "Prometheus (kube-state-metrics and cAdvisor: `container_cpu_usage_seconds_total`, `container_memory_working_set_bytes`, `kube_deployment_status_replicas_unavailable`) plus the app's own request metrics",
            dashboards: "Grafana dashboards per namespace",
            alerting: "Prometheus alerting rules routed by Alertmanager to the alert channel",
            zero_downtime: "RollingUpdate with `maxUnavailable: 0` and `maxSurge: 1`, readiness probes gating traffic, a PodDisruptionBudget, and at least two replicas in production",
            https: "the Ingress terminates TLS with certificates from cert-manager; HTTP redirects to HTTPS",
            headers: "set by the application or the ingress controller's response headers",
            access: "NetworkPolicies allow only the Ingress to reach the app and only the app to reach its data stores; namespace-scoped RBAC",
            gh_vars: vec![v("K8S_NAMESPACE", "namespace of the environment"), v("K8S_DEPLOYMENT", "Deployment name")],
            gh_secrets: vec![v("KUBE_CONFIG", "kubeconfig of a namespace-scoped deploy ServiceAccount")],
            container: true,
            oidc: false,
        },
        Platform::Vercel => PlatformFacts {
            id: "vercel",
            name: "Vercel",
            region,
            runtime: "Vercel (serverless functions and static assets); staging is a preview deployment, production the production deployment",
            secrets_store: "Vercel Environment Variables, scoped per environment (Development, Preview, Production) and marked Sensitive",
            secrets_cmd: "vercel env add NAME production",
            auth: "a Vercel access token scoped to the team, stored as an environment secret (Vercel has no OIDC federation for deploys)",
            deploy_cmds: vec![
                "vercel pull --yes --environment=production --token \"$VERCEL_TOKEN\"".into(),
                "vercel build --prod --token \"$VERCEL_TOKEN\"".into(),
                "vercel deploy --prebuilt --prod --token \"$VERCEL_TOKEN\"".into(),
            ],
            rollback_list_cmd: "vercel ls --prod".into(),
            rollback_cmds: vec!["vercel rollback <previous-deployment-url> --yes --token \"$VERCEL_TOKEN\"".into()],
            logs: "the deployment's Logs tab (runtime logs), and a Log Drain for history",
            logs_cmd: "vercel logs <deployment-url>".into(),
            metrics: "Vercel Observability (function invocations, errors, duration) and Speed Insights",
            dashboards: "the project's Observability tab",
            alerting: "Vercel alerts (usage and error anomalies), or monitors on the log drain's destination, sent to the alert channel",
            zero_downtime: "every deploy is immutable; the production domain switches atomically once the new deployment is ready, and earlier deployments stay available for instant rollback",
            https: "Vercel serves HTTPS only with managed certificates",
            headers: "`vercel.json` `headers` (HSTS, CSP, X-Frame-Options, X-Content-Type-Options, Referrer-Policy)",
            access: "Deployment Protection on preview (staging) deployments; team roles for the dashboard",
            gh_vars: vec![v("VERCEL_ORG_ID", "team id"), v("VERCEL_PROJECT_ID", "project id")],
            gh_secrets: vec![v("VERCEL_TOKEN", "access token for deploys")],
            container: false,
            oidc: false,
        },
        Platform::Netlify => PlatformFacts {
            id: "netlify",
            name: "Netlify",
            region,
            runtime: "Netlify (static assets and Functions); staging is a branch deploy alias, production the published deploy",
            secrets_store: "Netlify environment variables scoped by deploy context (production, branch-deploy) and marked secret",
            secrets_cmd: "netlify env:set NAME <value> --context production --secret",
            auth: "a Netlify personal access token stored as an environment secret (Netlify has no OIDC federation for deploys)",
            deploy_cmds: vec!["netlify deploy --build --prod --site \"$NETLIFY_SITE_ID\"".into()],
            rollback_list_cmd: "netlify api listSiteDeploys --data '{\"site_id\": \"<site-id>\"}'".into(),
            rollback_cmds: vec!["netlify api restoreSiteDeploy --data '{\"site_id\": \"<site-id>\", \"deploy_id\": \"<previous-deploy-id>\"}'".into()],
            logs: "the site's Deploys page (build logs) and Logs > Functions (function logs), with a log drain for history",
            logs_cmd: "netlify logs:function <name>".into(),
            metrics: "Netlify Analytics and the function metrics on the site's Logs & Metrics pages",
            dashboards: "the site's Analytics and Observability pages",
            alerting: "deploy notifications and a monitor on the log drain's destination, sent to the alert channel",
            zero_downtime: "deploys are atomic: the new deploy is published only when fully uploaded, and every earlier deploy can be published again instantly",
            https: "Netlify serves HTTPS with managed certificates; enable Force HTTPS",
            headers: "`netlify.toml` `[[headers]]` (HSTS, CSP, X-Frame-Options, X-Content-Type-Options, Referrer-Policy)",
            access: "password or SSO protection on branch deploys (staging); team roles for the dashboard",
            gh_vars: vec![v("NETLIFY_SITE_ID", "site id")],
            gh_secrets: vec![v("NETLIFY_AUTH_TOKEN", "personal access token for deploys")],
            container: false,
            oidc: false,
        },
    }
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
