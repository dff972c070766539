//! deploy-doc-missing: docs/infra/deployments.md describes the CI/CD flow, how
//! to deploy and where logs and metrics are (checklist §3.2, §7.1).

use crate::audit::finding::Findings;
use crate::audit::rule::{AuditInput, Confidence, Level, Rule, RuleMeta, Verdict};
use crate::audit::rules::{any_keyword, infra_doc, require_section, DocLookup};

crate::declare_rule!(
    DeployDocMissing,
    RuleMeta {
        id: "deploy-doc-missing",
        section: "3.2",
        level: Level::Error,
        confidence: Confidence::High,
        description: "docs/infra/deployments.md says how CI/CD flows, how to deploy, and where logs and metrics are",
        applies: "always",
        rationale: "Checklist §3.2 and §7.1: for each deployment process define how to deploy and where logs and metrics can be checked, and keep the CI/CD flow in docs/infra/deployments.md. During an incident nobody should have to reverse-engineer the pipeline.",
        detection: "docs/infra/deployments.md (or docs/devops/deployments.md) has non-empty sections whose headings match: CI/CD (\"CI/CD\", \"CI\", \"pipeline\", \"workflow\", \"continuous\"), deploying (\"deploy\", \"deploying\", \"deployment\", \"release\", \"shipping\"), and logs/metrics (\"logs\", \"logging\", \"metrics\", \"monitoring\", \"observability\", \"where to look\", \"telemetry\"); the document mentions both logs and metrics (or dashboards).",
        fix: "run `infra init` to render docs/infra/deployments.md (CI/CD flow, how to deploy, how to roll back, where logs and metrics are)",
        fixed_by_init: true,
        fail_example: "docs/infra/deployments.md:\n# Deployments\n\nWe deploy from main.",
        pass_example: "# Deployments\n\n## CI/CD flow\nPushes to main run CI, then deploy.\n\n## How to deploy\nMerge to main.\n\n## How to roll back\nRun the rollback workflow.\n\n## Logs and metrics\nLogs in CloudWatch; metrics on the Grafana dashboard.",
    }
);

pub const CI_HEADINGS: &[&str] = &["ci cd", "cicd", "ci", "pipeline", "workflow", "continuous"];
pub const DEPLOY_HEADINGS: &[&str] = &[
    "how to deploy",
    "deploying",
    "deploy",
    "deployment",
    "release",
    "releasing",
    "shipping",
];
pub const LOGS_HEADINGS: &[&str] = &[
    "logs",
    "logging",
    "metrics",
    "monitoring",
    "observability",
    "where to look",
    "telemetry",
];

impl Rule for DeployDocMissing {
    fn repository(&self, input: &AuditInput<'_>, out: &mut Findings<'_>) -> Verdict {
        let d = match infra_doc(input.ctx, "deployments.md") {
            DocLookup::Found(d) => d,
            DocLookup::Unreadable(p) => return Verdict::Unknown(format!("{p} was not read")),
            DocLookup::Missing => {
                out.add("no docs/infra/deployments.md: how to deploy, roll back and find logs is not written down")
                    .at_file("docs/infra/deployments.md")
                    .emit();
                return Verdict::Checked;
            }
        };
        require_section(
            out,
            &d,
            CI_HEADINGS,
            "how the CI/CD pipeline builds, tests and deploys",
            "CI/CD flow",
        );
        require_section(out, &d, DEPLOY_HEADINGS, "how to deploy", "How to deploy");
        if require_section(
            out,
            &d,
            LOGS_HEADINGS,
            "where logs and metrics can be checked",
            "Logs and metrics",
        )
        .is_some()
        {
            let lower = d.lower();
            if !any_keyword(&lower, &["log"]) {
                out.add(format!("{} does not say where logs are", d.path))
                    .at_file(d.path)
                    .fix(format!(
                        "say in {} where each environment's logs can be read",
                        d.path
                    ))
                    .key("no logs")
                    .emit();
            }
            if !any_keyword(
                &lower,
                &[
                    "metric",
                    "dashboard",
                    "grafana",
                    "prometheus",
                    "datadog",
                    "cloudwatch",
                ],
            ) {
                out.add(format!("{} does not say where metrics are", d.path))
                    .at_file(d.path)
                    .fix(format!(
                        "say in {} where metrics and dashboards are",
                        d.path
                    ))
                    .key("no metrics")
                    .emit();
            }
        }
        Verdict::Checked
    }
}
