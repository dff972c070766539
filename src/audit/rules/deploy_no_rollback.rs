//! deploy-no-rollback: the deployment doc says how to roll back
//! (checklist §3.2).

use crate::audit::finding::Findings;
use crate::audit::rule::{AuditInput, Confidence, Level, Rule, RuleMeta, Verdict};
use crate::audit::rules::{deployments_doc, require_section};

crate::declare_rule!(
    DeployNoRollback,
    RuleMeta {
        id: "deploy-no-rollback",
        section: "3.2",
        level: Level::Error,
        confidence: Confidence::High,
        description: "docs/infra/deployments.md says how to roll back a deploy",
        applies: "when docs/infra/deployments.md exists (otherwise deploy-doc-missing reports it)",
        rationale: "Checklist §3.2: for each deployment process define how to roll back, and prefer keeping the previous version available. A rollback worked out during an outage is a second outage.",
        detection: "A non-empty section of docs/infra/deployments.md whose heading matches \"roll back\", \"rollback\", \"rolling back\", \"revert\" or \"undo\".",
        fix: "add a `## How to roll back` section to docs/infra/deployments.md (the exact command or workflow, and how to check it worked); `infra init` renders it, with a rollback workflow, for a new repo",
        fixed_by_init: true,
        fail_example: "# Deployments\n\n## How to deploy\nMerge to main.",
        pass_example: "## How to roll back\n\nRun the `rollback` workflow (Actions → rollback → Run) with the previous release tag; it redeploys that build.",
    }
);

pub const ROLLBACK_HEADINGS: &[&str] = &["roll back", "rollback", "rolling back", "revert", "undo"];

impl Rule for DeployNoRollback {
    fn repository(&self, input: &AuditInput<'_>, out: &mut Findings<'_>) -> Verdict {
        let d = match deployments_doc(input.ctx) {
            Ok(d) => d,
            Err(verdict) => return verdict,
        };
        require_section(
            out,
            &d,
            ROLLBACK_HEADINGS,
            "how to roll back a deploy",
            "How to roll back",
        );
        Verdict::Checked
    }
}
