//! `.env.example` and config.md entries: every variable the code reads and
//! every variable a service needs, with a purpose and a safe placeholder.

use super::services::service_env;
use super::{EnvVarVars, ServiceVars};
use crate::context::Context;
use crate::model::ServiceKind;
use crate::scan::is_secret_name;
use std::collections::BTreeMap;

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

pub(super) fn env_vars(ctx: &Context, services: &[ServiceVars]) -> Vec<EnvVarVars> {
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
    ServiceKind::from_id(id).unwrap_or(ServiceKind::Observability)
}

/// Only conventional names go into `.env.example` (dotenv-linter rejects others).
fn is_env_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
        && !name.as_bytes()[0].is_ascii_digit()
}
