//! The checklist's MUSTs (shared/role-checklist.md) and the rules that
//! check each. A MUST with no rule yet, or whose rules all ended unknown,
//! is not checked: the summary says so and readiness never says "ready"
//! over it (unknown is not pass).

/// One MUST of the checklist.
#[derive(Debug)]
pub struct Must {
    /// Checklist subsection (`"3.1"`).
    pub section: &'static str,
    pub text: &'static str,
    /// The rules whose results check it; empty: no rule yet.
    pub rules: &'static [&'static str],
}

pub static MUSTS: &[Must] = &[
    Must {
        section: "1.1",
        text: "README.md says what the app does and its core services",
        rules: &["readme-missing"],
    },
    Must {
        section: "1.1",
        text: "projectplan.md holds current tasks and priorities",
        rules: &["projectplan-missing"],
    },
    Must {
        section: "1.2",
        text: "target platform, environments and SLAs are defined",
        rules: &["infra-answers-missing"],
    },
    Must {
        section: "2.1",
        text: "dev, staging and production exist",
        rules: &["environments-incomplete"],
    },
    Must {
        section: "2.1",
        text: "config is not mixed between environments",
        rules: &["environment-config-mixed"],
    },
    Must {
        section: "2.2",
        text: "secrets live in environment variables or secret stores, never in Git",
        rules: &["hardcoded-secret", "env-file-committed"],
    },
    Must {
        section: "2.2",
        text: ".env.example lists every needed variable without real values",
        rules: &[
            "env-example-missing",
            "env-example-incomplete",
            "env-example-has-value",
        ],
    },
    Must {
        section: "2.2",
        text: "docs/infra/config.md explains the key variables",
        rules: &["config-doc-missing", "config-var-undocumented"],
    },
    Must {
        section: "2.3",
        text: "non-production uses test keys and sandbox endpoints",
        rules: &["nonprod-live-credentials"],
    },
    Must {
        section: "3.1",
        text: "automated build and test pipelines",
        rules: &["ci-missing", "ci-no-build", "ci-no-tests"],
    },
    Must {
        section: "3.1",
        text: "linting and type checking where applicable",
        rules: &["ci-no-lint"],
    },
    Must {
        section: "3.1",
        text: "tests pass before production deploys",
        rules: &["deploy-not-gated-on-tests"],
    },
    Must {
        section: "3.1",
        text: "no manual, ad hoc deploy scripts where a pipeline can be used",
        rules: &["deploy-ad-hoc-script"],
    },
    Must {
        section: "3.2",
        text: "how to deploy, roll back, and where logs and metrics are",
        rules: &["deploy-doc-missing", "deploy-no-rollback"],
    },
    Must {
        section: "3.3",
        text: "which branch deploys where is documented",
        rules: &["branch-mapping-undocumented"],
    },
    Must {
        section: "3.3",
        text: "unreviewed code is not deployed to production",
        rules: &["deploy-unreviewed-branch"],
    },
    Must {
        section: "4.1",
        text: "services log errors, state changes and integration failures",
        rules: &["logging-missing"],
    },
    Must {
        section: "4.1",
        text: "logs do not leak sensitive data",
        rules: &["log-sensitive-data"],
    },
    Must {
        section: "4.1",
        text: "logs carry request or correlation ids",
        rules: &["log-context-missing"],
    },
    Must {
        section: "4.2",
        text: "metrics are exposed or collected and connected to dashboards",
        rules: &["metrics-missing", "dashboards-missing"],
    },
    Must {
        section: "4.3",
        text: "alert thresholds for error rate, unavailability and resources",
        rules: &["alerts-missing"],
    },
    Must {
        section: "4.3",
        text: "alerts are actionable and not noisy",
        rules: &["alert-not-actionable"],
    },
    Must {
        section: "5.1",
        text: "no API keys, database passwords or tokens are committed",
        rules: &["hardcoded-secret", "secret-in-history"],
    },
    Must {
        section: "5.1",
        text: "secrets are used through environment variables and secret managers, and CI does not leak them",
        rules: &["workflow-secret-exposure"],
    },
    Must {
        section: "5.2",
        text: "admin interfaces and internal services are restricted",
        rules: &["admin-interface-exposed"],
    },
    Must {
        section: "5.2",
        text: "HTTPS everywhere",
        rules: &["plaintext-http"],
    },
    Must {
        section: "5.3",
        text: "dependencies are kept reasonably up to date",
        rules: &["dependency-updates-missing", "eol-runtime"],
    },
    Must {
        section: "5.3",
        text: "no random, unvetted libraries for critical tasks",
        rules: &["dependency-unvetted-source"],
    },
    Must {
        section: "5.4",
        text: "backups are configured and documented (frequency, retention, restore)",
        rules: &["backups-undocumented"],
    },
    Must {
        section: "6.1",
        text: "no oversized instances",
        rules: &["oversized-instance"],
    },
    Must {
        section: "6.1",
        text: "no unbounded background tasks",
        rules: &["unbounded-resources"],
    },
    Must {
        section: "6.2",
        text: "cache invalidation is considered",
        rules: &["cache-invalidation-undocumented"],
    },
    Must {
        section: "7.1",
        text: "docs/infra/overview.md with environments and main services",
        rules: &["overview-doc-missing"],
    },
    Must {
        section: "7.1",
        text: "docs/infra/deployments.md with CI/CD flows, deploy and rollback steps",
        rules: &["deploy-doc-missing"],
    },
    Must {
        section: "8",
        text: "changes that touch infra are checked (env vars, CI, logging, new dependencies, deploy and rollback path)",
        rules: &[
            "change-env-undeclared",
            "change-dependency-undocumented",
            "change-ci-not-updated",
            "change-logging-missing",
            "change-no-rollback",
        ],
    },
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::registry;

    #[test]
    fn every_named_rule_exists_and_every_rule_checks_a_must_or_a_should() {
        for m in MUSTS {
            for r in m.rules {
                assert!(
                    registry::find(r).is_some(),
                    "{r} (under §{}) is not a rule",
                    m.section
                );
            }
        }
        // Rules that check a SHOULD, not a MUST.
        let shoulds = [
            "staging-parity",
            "zero-downtime-strategy",
            "runbook-missing",
            "vulnerability-scan-missing",
            "security-headers-missing",
            "rate-limiting-missing",
        ];
        for rule in registry::RULES {
            let id = rule.meta().id;
            assert!(
                shoulds.contains(&id) || MUSTS.iter().any(|m| m.rules.contains(&id)),
                "{id} checks no MUST: list it in MUSTS or in the SHOULD list here"
            );
        }
    }
}
