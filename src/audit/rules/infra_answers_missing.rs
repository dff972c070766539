//! infra-answers-missing: the critical answers of checklist §1.2 (platform,
//! environments, SLAs) are recorded in infra.toml.

use crate::audit::finding::Findings;
use crate::audit::rule::{AuditInput, Confidence, Level, Rule, RuleMeta, Verdict};
use crate::model::Location;
use crate::platform::Platform;

crate::declare_rule!(
    InfraAnswersMissing,
    RuleMeta {
        id: "infra-answers-missing",
        section: "1.2",
        level: Level::Error,
        confidence: Confidence::High,
        description: "infra.toml records the target platform, the environments and the SLAs",
        applies: "always",
        rationale: "Checklist §1.2: when the target platform, the environments or basic SLAs are not defined, ask before building anything. infra.toml is where the answers are kept so the next person does not have to ask again.",
        detection: "infra.toml exists at the root and sets `[platform] target` (a supported platform), at least one `[[environments]]`, and `[sla] availability`; for a repository whose `[project] kind` is `cli` or `library` (it deploys nothing), infra.toml itself is enough.",
        fix: "run `infra init` to answer the questions and write infra.toml (or `infra init --set platform.target=aws --set environments=dev,staging,production --set sla.availability=99.9`)",
        fixed_by_init: true,
        fail_example: "[platform]\n# target not chosen yet",
        pass_example: "[platform]\ntarget = \"aws\"\n\n[[environments]]\nname = \"production\"\n\n[sla]\navailability = 99.9",
    }
);

impl Rule for InfraAnswersMissing {
    fn repository(&self, input: &AuditInput<'_>, out: &mut Findings<'_>) -> Verdict {
        let Some(answers) = input.answers else {
            out.add("no infra.toml: target platform, environments and SLAs are not recorded")
                .at_file("infra.toml")
                .emit();
            return Verdict::Checked;
        };
        let text = input.ctx.text("infra.toml").unwrap_or("");
        // A cli or a library deploys nothing: no platform, environments or
        // SLA to record (its kind is checked where infra.toml is read).
        if answers.deploys_nothing().is_some() {
            return Verdict::Checked;
        }
        let line_of = |needle: &str| -> Location {
            text.lines()
                .position(|l| l.trim_start().starts_with(needle))
                .map_or_else(
                    || Location::file("infra.toml"),
                    |i| Location::new("infra.toml", i as u32 + 1, 1),
                )
        };
        let target = answers.platform.as_ref().and_then(|p| p.target.as_deref());
        match target {
            None => out
                .add("infra.toml does not name the target platform")
                .at(line_of("[platform]"))
                .fix(format!(
                    "set `[platform] target` to one of {} (or run `infra init --set platform.target=…`)",
                    Platform::ids()
                ))
                .key("platform.target")
                .emit(),
            Some(t) if Platform::parse(t).is_none() => out
                .add(format!("infra.toml names an unsupported platform {t:?}"))
                .at(line_of("target"))
                .fix(format!("use one of {}", Platform::ids()))
                .key("platform.target invalid")
                .emit(),
            Some(_) => {}
        }
        if answers.environments.as_ref().is_none_or(Vec::is_empty) {
            out.add("infra.toml defines no [[environments]]")
                .at_file("infra.toml")
                .fix("run `infra init --set environments=dev,staging,production` or add `[[environments]]` tables to infra.toml")
                .key("environments")
                .emit();
        }
        if answers.sla.as_ref().and_then(|s| s.availability).is_none() {
            out.add("infra.toml sets no SLA (`[sla] availability`)")
                .at(line_of("[sla]"))
                .fix("run `infra init --set sla.availability=99.9` (and latency_p95_ms, error_rate_percent) or add an `[sla]` table to infra.toml")
                .key("sla.availability")
                .emit();
        }
        Verdict::Checked
    }
}
