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
        applies: "to config files that belong to a non-production environment by name (`.env.staging`, `Procfile.dev`, `config/dev.yml`, `appsettings.Development.json`, `values-staging.yaml`, `overlays/staging/…`, `envs/dev/…`); not applicable when no file is named so. Source files, docs, images and CI workflows do not belong to an environment by name alone (`src/test.ts`, `ci.png`)",
        rationale: "Checklist §2.3: non-production environments must use test keys, sandbox payment providers and fake notification channels, so a test run can never charge a card or message a real customer.",
        detection: "In files whose path names a non-production environment: Stripe keys in live mode (`sk_live_`, `rk_live_`, `pk_live_`), live-mode switches (`PAYPAL_MODE=live`, `BRAINTREE_ENVIRONMENT=production`, `braintree.Environment.Production`), and production hosts of providers that have a sandbox (PayPal, Braintree, Square, Adyen, Authorize.net, Klarna, Checkout.com, Apple Push). Test and fixture folders are not checked.",
        fix: "use the provider's test key and sandbox endpoint in this environment; keep live values only in production's secret store",
        fixed_by_init: false,
        fail_example: ".env.staging:2: PAYPAL_MODE=live",
        pass_example: ".env.staging:2: PAYPAL_MODE=sandbox",
    }
);

/// Folders whose files are config, and whose child folders may be environments.
const CONFIG_DIRS: &[&str] = &[
    "config",
    "configs",
    "configuration",
    "settings",
    "environments",
    "envs",
    "env",
    "overlays",
    "deploy",
    "deployments",
    "k8s",
    "kubernetes",
    "kustomize",
    "helm",
    "charts",
    "terraform",
    "infra",
];
/// Extensions of config files (and of their example copies).
const CONFIG_EXTS: &[&str] = &[
    "yml",
    "yaml",
    "json",
    "jsonc",
    "toml",
    "ini",
    "conf",
    "cfg",
    "properties",
    "tfvars",
    "tf",
    "hcl",
    "env",
    "xml",
    "example",
    "sample",
    "template",
    "dist",
];

/// The environment a config file belongs to by its path, if any:
/// `.env.staging`, `Procfile.dev`, `config/dev.yml`, `appsettings.Development.json`,
/// `docker-compose.dev.yml`, `values-prod.yaml`, `config/environments/test.rb`,
/// `overlays/staging/…`, `envs/prod/main.tf`. Source files, docs, images and
/// CI workflows are not config by their name alone (`src/test.ts`,
/// `local_image/lib.rs`, `ci.png`, `.github/workflows/ci.yml`).
pub fn environment_of(path: &str) -> Option<&'static str> {
    if path.starts_with(".github/") {
        return None;
    }
    let lower = path.to_ascii_lowercase();
    let mut parts: Vec<&str> = lower.split('/').collect();
    let name = parts.pop().unwrap_or("");
    let in_config_dir = parts.iter().any(|p| CONFIG_DIRS.contains(p));
    let (stem, ext) = name.rsplit_once('.').unwrap_or((name, ""));
    if let Some(env) = canonical_environment(ext) {
        return Some(env);
    }
    let last = stem.rsplit(['.', '_', '-']).next().unwrap_or(stem);
    if let Some(env) = canonical_environment(last) {
        if CONFIG_EXTS.contains(&ext) || in_config_dir {
            return Some(env);
        }
    }
    parts.windows(2).rev().find_map(|w| {
        CONFIG_DIRS
            .contains(&w[0])
            .then(|| canonical_environment(w[1]))
            .flatten()
    })
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
        // Without a file named for a non-production environment there is
        // nothing to check: passing would claim a check that never ran.
        let nonprod = |path: &str| {
            // The environment first: most paths name none, and it is cheaper.
            environment_of(path).is_some_and(|e| e != "production") && !is_test_path(path)
        };
        if !input.ctx.files.iter().any(|f| nonprod(&f.path)) {
            return Verdict::NotApplicable(
                "no file is named for a non-production environment (`.env.staging`, `config/dev.yml`, `overlays/staging/…`)".into(),
            );
        }
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
        let cases = [
            (".env.staging", Some("staging")),
            ("config/dev.yml", Some("dev")),
            ("k8s/overlays/staging/app.yaml", Some("staging")),
            ("config/production.yml", Some("production")),
            ("docker-compose.dev.yml", Some("dev")),
            ("src/Web/appsettings.Development.json", Some("dev")),
            ("charts/app/values-prod.yaml", Some("production")),
            ("config/environments/test.rb", Some("test")),
            ("infra/envs/staging/main.tf", Some("staging")),
            ("staging.tfvars", Some("staging")),
            ("Procfile.dev", Some("dev")),
            (".env.local.example", Some("dev")),
            ("src/pay.js", None),
            ("src/test.ts", None),
            ("crates/db/local_image/src/lib.rs", None),
            ("public/images/ci.png", None),
            ("docs/development.md", None),
            (".github/workflows/ci.yml", None),
            ("requirements-dev.txt", None),
            ("scripts/run-test.sh", None),
        ];
        for (path, want) in cases {
            assert_eq!(environment_of(path), want, "{path}");
        }
    }
}
