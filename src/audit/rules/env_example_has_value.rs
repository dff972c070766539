//! env-example-has-value: `.env.example` holds a real-looking value — a
//! credential in a provider format or a high-entropy secret (checklist §2.2).

use super::env_example_incomplete::is_example_env;
use crate::audit::finding::Findings;
use crate::audit::rule::{
    AuditInput, ClassAction, ClassPolicy, Confidence, Level, Rule, RuleMeta, Verdict,
};
use crate::scan::{is_test_path, MatchKind};

crate::declare_rule!(
    EnvExampleHasValue,
    RuleMeta {
        id: "env-example-has-value",
        section: "2.2",
        level: Level::Error,
        confidence: Confidence::High,
        description: ".env.example holds placeholders, never real values",
        applies: "when the repo has an example env file",
        rationale: "Checklist §2.2: `.env.example` lists the variables without real values. It is committed and copied around, so a real key there is a leaked key, and a real-looking test key invites copying it to production config.",
        detection: "The secret scanner's matches in example env files (.env.example, .env.sample, .env.template, .env.dist): provider-format keys, test-mode payment keys, URLs with passwords and high-entropy values for secret-looking names. Placeholders (`changeme`, `<your-key>`, `${VAR}`, `xxxx`, empty) are fine.",
        fix: "replace the value with an empty value or a placeholder; if it was a real credential, rotate it",
        fixed_by_init: false,
        fail_example: ".env.example:3: STRIPE_SECRET_KEY=sk_l…(32 chars)",
        pass_example: ".env.example:3: STRIPE_SECRET_KEY=",
    }
);

impl Rule for EnvExampleHasValue {
    fn class_policy(&self) -> ClassPolicy {
        use crate::source::class::FileClass::*;
        use ClassAction::*;
        // Example files under tests are test data, not the one new developers copy.
        &[(Test, Skip), (Fixture, Skip)]
    }

    fn repository(&self, input: &AuditInput<'_>, out: &mut Findings<'_>) -> Verdict {
        let has_example = input.ctx.files.iter().any(|f| is_example_env(&f.path));
        if !has_example {
            return Verdict::NotApplicable("no example env file".into());
        }
        for m in &input.scan.matches {
            if !is_example_env(&m.location.path) || is_test_path(&m.location.path) {
                continue;
            }
            let (MatchKind::Secret(kind) | MatchKind::TestModeKey(kind)) = m.kind else {
                continue;
            };
            out.add(format!(
                "{} holds a real-looking value {} ({kind})",
                m.location.path, m.shown
            ))
            .at(m.location.clone())
            .width(m.len as usize)
            .key(format!("{kind} {}", m.shown))
            .emit();
        }
        Verdict::Checked
    }
}
