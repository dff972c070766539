//! A fixed shop-like context and answers (Node/TypeScript API with Postgres,
//! Redis, Stripe and SendGrid) for snapshot tests, lint runs and examples.

use crate::answers::{Answers, Data, Environment, Sla};
use crate::context::stack::Language;
use crate::context::{
    Context, Dependency, Dockerfile, EnvRead, EnvVar, ProjectInfo, RoleEvidence, Service,
    ServiceRole, Stack, StackCommands,
};
use crate::model::{Location, ServiceKind};
use crate::platform::Platform;
use std::collections::BTreeMap;

pub fn context() -> Context {
    let dep = |name: &str, dev: bool| Dependency {
        name: name.into(),
        version: Some("1.0.0".into()),
        dev,
        line: 0,
        source: None,
    };
    let mut scripts = BTreeMap::new();
    for (k, v) in [
        ("build", "tsc -p ."),
        ("lint", "eslint ."),
        ("typecheck", "tsc --noEmit"),
        ("test", "vitest run"),
    ] {
        scripts.insert(k.to_string(), v.to_string());
    }
    let service = |id: &str, name: &str, kind, role: Option<ServiceRole>| Service {
        id: id.into(),
        name: name.into(),
        kind,
        evidence: vec![],
        mentioned_only: false,
        own: true,
        embedded: false,
        roles: role
            .map(|role| RoleEvidence {
                role,
                evidence: vec![],
            })
            .into_iter()
            .collect(),
    };
    let var = |name: &str, path: &str, line: u32, secret: bool| EnvVar {
        name: name.into(),
        reads: vec![EnvRead {
            location: Location::new(path, line, 1),
            via: "process.env".into(),
            default: Default::default(),
        }],
        secret,
        class: crate::context::model::EnvClass::App,
        reason: "read by the app".into(),
        optional: false,
    };
    Context {
        version: 1,
        root: ".".into(),
        project: ProjectInfo {
            name: Some("Shopfront".into()),
            summary: Some("An Express API for a small online shop.".into()),
            readme: Some("README.md".into()),
            dir_name: "shopfront".into(),
        },
        stacks: vec![Stack {
            language: Language::Node,
            manifest: "package.json".into(),
            dir: String::new(),
            name: Some("shopfront".into()),
            frameworks: vec!["express".into()],
            dependencies: vec![
                dep("express", false),
                dep("pg", false),
                dep("typescript", true),
            ],
            scripts,
            package_manager: Some("npm".into()),
            commands: commands(
                "npm ci",
                "npm run build",
                "npm run lint",
                "npm run typecheck",
                "npm test",
            ),
        }],
        containers: vec![Dockerfile {
            path: "Dockerfile".into(),
            base_images: vec!["node:22-slim".into()],
            exposed_ports: vec!["3000".into()],
            has_healthcheck: true,
            runs_as_non_root: true,
        }],
        services: vec![
            service(
                "postgresql",
                "PostgreSQL",
                ServiceKind::Database,
                Some(ServiceRole::Store),
            ),
            service(
                "redis",
                "Redis",
                ServiceKind::Cache,
                Some(ServiceRole::Cache),
            ),
            service("sendgrid", "SendGrid", ServiceKind::Email, None),
            service("stripe", "Stripe", ServiceKind::Payments, None),
        ],
        env_vars: vec![
            var("DATABASE_URL", "src/db.ts", 4, true),
            var("LOG_LEVEL", "src/logger.ts", 3, false),
            var("PORT", "src/server.ts", 12, false),
            var("REDIS_URL", "src/cache.ts", 5, true),
            var("SENDGRID_API_KEY", "src/mail.ts", 7, true),
            var("STRIPE_SECRET_KEY", "src/payments.ts", 9, true),
            var("STRIPE_WEBHOOK_SECRET", "src/webhooks.ts", 14, true),
        ],
        ..Context::default()
    }
}

pub fn answers(platform: Platform) -> Answers {
    Answers {
        project_name: "Shopfront".into(),
        platform,
        region: platform.suggested_region().map(str::to_string),
        environments: vec![
            Environment {
                name: "dev".into(),
                branch: None,
                url: None,
                approval: false,
            },
            Environment {
                name: "staging".into(),
                branch: Some("develop".into()),
                url: Some("https://staging.shopfront.example.com".into()),
                approval: false,
            },
            Environment {
                name: "production".into(),
                branch: Some("main".into()),
                url: Some("https://shopfront.example.com".into()),
                approval: true,
            },
        ],
        sla: Sla {
            availability: 99.9,
            latency_p95_ms: 300,
            error_rate_percent: 1.0,
            rpo_hours: Some(24.0),
            rto_hours: Some(4.0),
        },
        data: Data {
            stores: vec!["postgresql".into()],
            backup_frequency: Some("daily".into()),
            backup_retention_days: Some(30),
        },
        alerts_channel: "slack:#shopfront-ops".into(),
        templates_dir: ".infra/templates".into(),
        sources: BTreeMap::new(),
    }
}

/// A repository with one stack per supported language, each in its own
/// folder (Go API, Python worker, Rust CLI, pnpm web app), for CI coverage.
pub fn polyglot_context() -> Context {
    let stack = |language, manifest: &str, dir: &str, pm: &str| Stack {
        language,
        manifest: manifest.into(),
        dir: dir.into(),
        name: None,
        frameworks: vec![],
        dependencies: vec![],
        scripts: BTreeMap::new(),
        package_manager: Some(pm.into()),
        commands: StackCommands::default(),
    };
    let mut web = stack(Language::Node, "web/package.json", "web", "pnpm");
    web.commands = commands(
        "pnpm install --frozen-lockfile",
        "pnpm run build",
        "",
        "pnpm exec tsc --noEmit",
        "pnpm test",
    );
    web.scripts.insert("build".into(), "vite build".into());
    web.scripts.insert("test".into(), "vitest run".into());
    web.dependencies.push(Dependency {
        name: "typescript".into(),
        version: Some("5.6.0".into()),
        dev: true,
        line: 0,
        source: None,
    });
    let mut ctx = context();
    ctx.project.name = Some("Polyglot".into());
    ctx.project.summary = None;
    let mut go = stack(Language::Go, "api/go.mod", "api", "go");
    go.commands = commands(
        "go mod download",
        "go build ./...",
        "go vet ./...",
        "",
        "go test ./...",
    );
    let mut rust = stack(Language::Rust, "cli/Cargo.toml", "cli", "cargo");
    rust.commands = commands(
        "",
        "cargo build --locked --all-targets",
        "cargo clippy --all-targets -- -D warnings",
        "",
        "cargo test",
    );
    let mut python = stack(
        Language::Python,
        "worker/pyproject.toml",
        "worker",
        "poetry",
    );
    python.commands = commands(
        "poetry install --no-interaction",
        "",
        "poetry run ruff check .",
        "poetry run mypy .",
        "poetry run pytest",
    );
    ctx.stacks = vec![go, rust, web, python];
    ctx.containers = vec![Dockerfile {
        path: "api/Dockerfile".into(),
        base_images: vec!["golang:1.23".into()],
        exposed_ports: vec!["8080".into()],
        has_healthcheck: false,
        runs_as_non_root: true,
    }];
    ctx
}

/// The smallest repository: no stack, no services, no variables, and answers
/// where no environment deploys from a branch. Renders must still be valid.
pub fn minimal_context() -> Context {
    Context {
        version: 1,
        root: ".".into(),
        project: ProjectInfo {
            dir_name: "empty".into(),
            ..ProjectInfo::default()
        },
        ..Context::default()
    }
}

pub fn minimal_answers(platform: Platform) -> Answers {
    let mut a = answers(platform);
    a.project_name = "Empty".into();
    for e in &mut a.environments {
        e.branch = None;
        e.url = None;
        e.approval = false;
    }
    a.sla.rpo_hours = None;
    a.sla.rto_hours = None;
    a.data = Data {
        stores: vec![],
        backup_frequency: None,
        backup_retention_days: None,
    };
    a.alerts_channel = "email:oncall@example.com".into();
    a
}

/// Commands as discovery reports them; an empty string is a command the
/// project has not adopted.
fn commands(install: &str, build: &str, lint: &str, typecheck: &str, test: &str) -> StackCommands {
    let some = |c: &str| (!c.is_empty()).then(|| c.to_string());
    StackCommands {
        install: some(install),
        build: some(build),
        lint: some(lint),
        typecheck: some(typecheck),
        test: some(test),
    }
}
