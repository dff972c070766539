//! nonprod-live-credentials: dev, test and staging config must use sandbox
//! keys and endpoints, never live payment keys, live-mode switches or the
//! production endpoints of payment and notification providers (checklist §2.3).

use crate::audit::finding::Findings;
use crate::audit::rule::{
    AuditInput, ClassAction, ClassPolicy, Confidence, Level, Rule, RuleMeta, Verdict,
};
use crate::model::canonical_environment;
use crate::scan::{is_test_path, MatchKind};

crate::declare_rule!(
    NonprodLiveCredentials,
    RuleMeta {
        id: "nonprod-live-credentials",
        section: "2.3",
        level: Level::Error,
        confidence: Confidence::Medium,
        description: "Non-production config uses test keys and sandbox endpoints only",
        applies: "to files that belong to a non-production environment by name (`.env.staging`, `config/dev.yml`, `overlays/staging/…`)",
        rationale: "Checklist §2.3: non-production environments must use test keys, sandbox payment providers and fake notification channels, so a test run can never charge a card or message a real customer.",
        detection: "In files whose path names a non-production environment: Stripe keys in live mode (`sk_live_`, `rk_live_`, `pk_live_`), live-mode switches (`PAYPAL_MODE=live`, `BRAINTREE_ENVIRONMENT=production`, `braintree.Environment.Production`), and production hosts of providers that have a sandbox (PayPal, Braintree, Square, Adyen, Authorize.net, Klarna, Checkout.com, Apple Push). Test and fixture folders are not checked.",
        fix: "use the provider's test key and sandbox endpoint in this environment; keep live values only in production's secret store",
        fixed_by_init: false,
        fail_example: ".env.staging:2: PAYPAL_MODE=live",
        pass_example: ".env.staging:2: PAYPAL_MODE=sandbox",
    }
);

/// The environment a path belongs to by name, if any: the last path
/// component (split on `/ . _ -`) that names one.
pub fn environment_of(path: &str) -> Option<&'static str> {
    path.rsplit(['/', '.', '_', '-'])
        .find_map(canonical_environment)
}

impl Rule for NonprodLiveCredentials {
    fn class_policy(&self) -> ClassPolicy {
        use crate::source::class::FileClass::*;
        use ClassAction::*;
        // Tests and copied-in code configure no environment of this repo.
        &[
            (Generated, Skip),
            (Vendored, Skip),
            (Test, Skip),
            (Fixture, Skip),
            (Docs, Demote),
            (Example, Demote),
        ]
    }

    fn repository(&self, input: &AuditInput<'_>, out: &mut Findings<'_>) -> Verdict {
        for m in &input.scan.matches {
            let path = &m.location.path;
            if is_test_path(path) {
                continue;
            }
            let Some(env) = environment_of(path).filter(|e| *e != "production") else {
                continue;
            };
            let (class, what) = (m.kind.class(), m.kind.detail());
            let message = match m.kind {
                MatchKind::Secret(k) | MatchKind::PublishableKey(k)
                    if k.id().starts_with("stripe-live-") =>
                {
                    format!(
                        "live Stripe key ({what}, {}) in {env} config {path}",
                        m.shown
                    )
                }
                MatchKind::LiveSwitch(provider) => format!(
                    "{} switches {provider} to live mode in {env} config {path}",
                    m.shown
                ),
                MatchKind::ProductionEndpoint(provider) => format!(
                    "production {provider} endpoint {} in {env} config {path}",
                    m.shown
                ),
                _ => continue,
            };
            out.add(message)
                .at(m.location.clone())
                .width(m.len as usize)
                .evidence(format!("{path} belongs to {env} by its name"))
                .key(format!("{class} {what} {}", m.shown))
                .emit();
        }
        Verdict::Checked
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn environment_from_path() {
        assert_eq!(environment_of(".env.staging"), Some("staging"));
        assert_eq!(environment_of("config/dev.yml"), Some("dev"));
        assert_eq!(
            environment_of("k8s/overlays/staging/app.yaml"),
            Some("staging")
        );
        assert_eq!(environment_of("config/production.yml"), Some("production"));
        assert_eq!(environment_of("docker-compose.dev.yml"), Some("dev"));
        assert_eq!(environment_of("src/pay.js"), None);
    }
}
