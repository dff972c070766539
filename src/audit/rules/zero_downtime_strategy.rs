//! zero-downtime-strategy: the deployment doc names how deploys avoid
//! downtime, or says why they cannot (checklist §3.2, a SHOULD).

use crate::audit::finding::Findings;
use crate::audit::rule::{AuditInput, Confidence, Level, Rule, RuleMeta, Verdict};
use crate::audit::rules::{any_keyword, deployments_doc};

crate::declare_rule!(
    ZeroDowntimeStrategy,
    RuleMeta {
        id: "zero-downtime-strategy",
        section: "3.2",
        level: Level::Warning,
        confidence: Confidence::Medium,
        description: "docs/infra/deployments.md names the zero-downtime strategy (or why there is none)",
        applies: "when docs/infra/deployments.md exists (otherwise deploy-doc-missing reports it)",
        rationale: "Checklist §3.2: prefer zero-downtime deployments where possible. Writing the strategy down (rolling, blue-green, canary, atomic platform deploys) makes it a decision rather than an accident.",
        detection: "docs/infra/deployments.md mentions one of: zero downtime, zero-downtime, no downtime, without downtime, rolling, blue-green, blue/green, canary, atomic, immutable, traffic shift, or has a non-empty section whose heading mentions \"downtime\" or \"strategy\".",
        fix: "add a `## Zero-downtime strategy` section to docs/infra/deployments.md (e.g. rolling update with health checks, blue-green, or the platform's atomic deploys); `infra init` renders one for the chosen platform",
        fixed_by_init: true,
        fail_example: "## How to deploy\nStop the server, copy the build, start it.",
        pass_example: "## Zero-downtime strategy\nRolling update: new tasks must pass the health check before old ones stop.",
    }
);

pub const STRATEGY_KEYWORDS: &[&str] = &[
    "zero downtime",
    "zero-downtime",
    "no downtime",
    "without downtime",
    "rolling",
    "blue-green",
    "blue/green",
    "blue green",
    "canary",
    "atomic",
    "immutable",
    "traffic shift",
];

impl Rule for ZeroDowntimeStrategy {
    fn repository(&self, input: &AuditInput<'_>, out: &mut Findings<'_>) -> Verdict {
        let d = match deployments_doc(input.ctx) {
            Ok(d) => d,
            Err(verdict) => return verdict,
        };
        let section = d
            .doc
            .find(&["downtime", "strategy"])
            .is_some_and(|s| s.has_content());
        if !section && !any_keyword(&d.lower(), STRATEGY_KEYWORDS) {
            out.add(format!(
                "{} does not say how deploys avoid downtime",
                d.path
            ))
            .at_file(d.path)
            .key("no strategy")
            .emit();
        }
        Verdict::Checked
    }
}
