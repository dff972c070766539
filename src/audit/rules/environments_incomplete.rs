//! environments-incomplete: dev, staging and production are all defined
//! (checklist §2.1).

use crate::audit::finding::Findings;
use crate::audit::rule::{AuditInput, Confidence, Level, Rule, RuleMeta, Verdict};
use crate::audit::rules::REQUIRED_ENVIRONMENTS;
use crate::model::{canonical_environment, Location};
use std::collections::BTreeSet;

crate::declare_rule!(
    EnvironmentsIncomplete,
    RuleMeta {
        id: "environments-incomplete",
        section: "2.1",
        level: Level::Error,
        confidence: Confidence::Medium,
        description: "dev, staging and production environments are all defined",
        applies: "always",
        rationale: "Checklist §2.1: at minimum assume dev (local or shared), staging (pre-production) and production (live). Without staging, changes reach users untested; without a named production, nothing protects it.",
        detection: "Environment names from infra.toml `[[environments]]` and from discovery (config/<env>.* files, workflow environments, …), canonicalised (`prod`, `live` ⇒ production; `stage`, `preprod` ⇒ staging; `development`, `local` ⇒ dev).",
        fix: "run `infra init --set environments=dev,staging,production` (or add the missing `[[environments]]` to infra.toml)",
        fixed_by_init: true,
        fail_example: "[[environments]]\nname = \"production\"\n# no staging, no dev",
        pass_example: "[[environments]]\nname = \"dev\"\n\n[[environments]]\nname = \"staging\"\nbranch = \"develop\"\n\n[[environments]]\nname = \"production\"\nbranch = \"main\"",
    }
);

impl Rule for EnvironmentsIncomplete {
    fn repository(&self, input: &AuditInput<'_>, out: &mut Findings<'_>) -> Verdict {
        let ctx = input.ctx;
        let mut defined: BTreeSet<String> = BTreeSet::new();
        let mut evidence = Vec::new();
        if let Some(envs) = input.answers.and_then(|a| a.environments.as_ref()) {
            for e in envs {
                let c = canonical_environment(&e.name)
                    .map_or_else(|| e.name.to_lowercase(), str::to_string);
                evidence.push(format!("infra.toml defines {:?}", e.name));
                defined.insert(c);
            }
        }
        for e in &ctx.environments {
            let c = canonical_environment(&e.name)
                .map_or_else(|| e.name.to_lowercase(), str::to_string);
            if let Some(ev) = e.evidence.first() {
                evidence.push(format!("{} ({}: {})", e.name, ev.location, ev.via));
            }
            defined.insert(c);
        }
        let missing: Vec<&str> = REQUIRED_ENVIRONMENTS
            .iter()
            .copied()
            .filter(|e| !defined.contains(*e))
            .collect();
        if missing.is_empty() {
            return Verdict::Checked;
        }
        let at = if ctx.has_file("infra.toml") {
            let text = ctx.text("infra.toml").unwrap_or("");
            text.lines()
                .position(|l| l.trim_start().starts_with("[[environments]]"))
                .map_or_else(
                    || Location::file("infra.toml"),
                    |i| Location::new("infra.toml", i as u32 + 1, 1),
                )
        } else {
            Location::file("infra.toml")
        };
        let mut b = out
            .add(format!(
                "environment{} {} not defined (dev, staging and production are the minimum)",
                if missing.len() == 1 { "" } else { "s" },
                missing.join(", ")
            ))
            .at(at)
            .key(missing.join(","))
            .parts(missing.iter().cloned());
        if defined.is_empty() {
            b = b.evidence("no environment found in infra.toml or discovery");
        }
        for e in evidence.into_iter().take(5) {
            b = b.evidence(e);
        }
        b.emit();
        Verdict::Checked
    }
}
