//! overview-doc-missing: docs/infra/overview.md lists the environments and
//! the main services and dependencies (checklist §7.1).

use crate::audit::finding::Findings;
use crate::audit::rule::{AuditInput, Confidence, Level, Rule, RuleMeta, Verdict};
use crate::audit::rules::{infra_doc, names_service, require_section, DocLookup};
use crate::model::Location;
use crate::parse::markdown::sections::mentions;

crate::declare_rule!(
    OverviewDocMissing,
    RuleMeta {
        id: "overview-doc-missing",
        section: "7.1",
        level: Level::Error,
        confidence: Confidence::High,
        description: "docs/infra/overview.md lists the environments and the main services and dependencies",
        applies: "always",
        rationale: "Checklist §7.1: maintain docs/infra/overview.md with the environments and the main services and dependencies. It is the first page an on-call engineer opens.",
        detection: "docs/infra/overview.md (or docs/devops/overview.md) has a non-empty environments section (heading \"environments\" or \"environment\") that names staging and production, and a non-empty services section (heading \"services\", \"dependencies\", \"architecture\", \"components\", \"stack\", \"integrations\"); every service the repo uses (databases, caches, queues, payment/e-mail providers … found in dependencies, compose, Kubernetes, Terraform or env vars; a service the README only names does not count) is named somewhere in the file.",
        fix: "run `infra init` to render docs/infra/overview.md (environments, services and dependencies, platform, SLAs)",
        fixed_by_init: true,
        fail_example: "docs/infra/overview.md:\n# Overview\nA web app.",
        pass_example: "# Overview\n\n## Environments\n\n| Environment | URL |\n|---|---|\n| staging | https://staging.example.com |\n| production | https://example.com |\n\n## Services and dependencies\n\n- PostgreSQL (data)\n- Redis (cache)",
    }
);

pub const ENV_HEADINGS: &[&str] = &["environments", "environment"];
pub const SERVICE_HEADINGS: &[&str] = &[
    "services",
    "service",
    "dependencies",
    "architecture",
    "components",
    "stack",
    "integrations",
];

impl Rule for OverviewDocMissing {
    fn repository(&self, input: &AuditInput<'_>, out: &mut Findings<'_>) -> Verdict {
        let ctx = input.ctx;
        let d = match infra_doc(ctx, "overview.md") {
            DocLookup::Found(d) => d,
            DocLookup::Unreadable(p) => return Verdict::Unknown(format!("{p} was not read")),
            DocLookup::Missing => {
                out.add("no docs/infra/overview.md: environments, services and dependencies are not documented")
                    .at_file("docs/infra/overview.md")
                    .emit();
                return Verdict::Checked;
            }
        };
        if let Some(s) = require_section(
            out,
            &d,
            ENV_HEADINGS,
            "which environments exist",
            "Environments",
        ) {
            let text = s.text_lower();
            for (env, words) in [
                (
                    "staging",
                    &["staging", "stage", "preprod", "pre-production"][..],
                ),
                ("production", &["production", "prod", "live"][..]),
            ] {
                if !words.iter().any(|w| mentions(&text, w)) {
                    out.add(format!(
                        "the \"{}\" section of {} does not name {env}",
                        s.heading, d.path
                    ))
                    .at(Location::new(d.path, s.line, 1))
                    .fix(format!(
                        "describe the {env} environment under \"{}\"",
                        s.heading
                    ))
                    .key(format!("env {env}"))
                    .emit();
                }
            }
        }
        require_section(
            out,
            &d,
            SERVICE_HEADINGS,
            "the main services and dependencies",
            "Services and dependencies",
        );
        for s in ctx.used_services() {
            if !names_service(d.text, &s.id, &s.name) {
                let mut b = out
                    .add(format!(
                        "{} does not mention {} ({}), which the app depends on",
                        d.path, s.name, s.kind
                    ))
                    .at_file(d.path)
                    .fix(format!(
                        "add {} to the services and dependencies in {}",
                        s.name, d.path
                    ))
                    .key(format!("service {}", s.id));
                if let Some(e) = crate::audit::rules::service_evidence(s) {
                    b = b.related(
                        e.location.clone(),
                        format!("{} found here ({})", s.name, e.via),
                    );
                }
                b.emit();
            }
        }
        Verdict::Checked
    }
}
