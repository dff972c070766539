//! projectplan-missing: a projectplan.md with current tasks (checklist §1.1).

use crate::audit::finding::Findings;
use crate::audit::rule::{AuditInput, Confidence, Level, Rule, RuleMeta, Verdict};

crate::declare_rule!(
    ProjectplanMissing,
    RuleMeta {
        id: "projectplan-missing",
        section: "1.1",
        level: Level::Warning,
        confidence: Confidence::High,
        description: "The repository has a projectplan.md listing current tasks and priorities",
        applies: "always",
        rationale: "Checklist §1.1: read projectplan.md to see current tasks and priorities before changing infra. It is also where the infra work a person must still do (protected environments, secrets, backups) is tracked.",
        detection: "A projectplan.md at the root (any case).",
        fix: "run `infra init` (or `infra update`) to create projectplan.md with an \"Infra\" task list, then add the project's own tasks",
        fixed_by_init: true,
        fail_example: "(no projectplan.md at the repository root)",
        pass_example: "# Project plan\n\n## Infra\n\n- [ ] Create the protected `production` environment (P0)",
    }
);

impl Rule for ProjectplanMissing {
    fn repository(&self, input: &AuditInput<'_>, out: &mut Findings<'_>) -> Verdict {
        let ctx = input.ctx;
        let exists = ctx.plan.is_some()
            || ctx
                .files
                .iter()
                .any(|f| f.path.eq_ignore_ascii_case("projectplan.md"));
        if !exists {
            out.add("no projectplan.md: current tasks and priorities are not written down")
                .at_file("projectplan.md")
                .emit();
        }
        Verdict::Checked
    }
}
