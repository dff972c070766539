//! Services to document, how the chosen platform hosts them, and the
//! variables each needs.

use super::ServiceVars;
use crate::answers::Answers;
use crate::context::Context;
use crate::model::ServiceKind;
use crate::platform::Platform;
use std::collections::{BTreeMap, BTreeSet};

/// Services to document: discovered ones plus confirmed data stores.
pub(super) fn services(ctx: &Context, answers: &Answers) -> Vec<ServiceVars> {
    let mut out: BTreeMap<String, ServiceVars> = BTreeMap::new();
    for s in &ctx.services {
        let mut v = service_vars(&s.id, &s.name, s.kind, answers.platform);
        // The same roles the audit uses: no caching section for a Redis
        // that only holds a queue, no runbook for a client library.
        v.roles = s.role_ids().into_iter().map(str::to_string).collect();
        v.own = s.own && !s.mentioned_only;
        v.embedded = s.embedded;
        v.critical = s.is_own_critical();
        v.cache = s.is_own_cache();
        out.insert(s.id.clone(), v);
    }
    for id in &answers.data.stores {
        if !out.contains_key(id) {
            let (name, kind) = known_service(id);
            let mut v = service_vars(id, name, kind, answers.platform);
            // Named by the answers as a store the app keeps data in.
            v.roles = vec!["store".into()];
            v.critical = true;
            out.insert(id.clone(), v);
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
        roles: Vec::new(),
        own: true,
        embedded: false,
        cache: kind == ServiceKind::Cache,
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
pub(super) fn service_env(
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
