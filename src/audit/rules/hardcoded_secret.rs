//! hardcoded-secret: credentials committed in code, config or manifests
//! (checklist §5.1), found by the one-pass scanner in `src/scan`.

use crate::audit::finding::Findings;
use crate::audit::rule::{
    AuditInput, ClassAction, ClassPolicy, Confidence, Level, Rule, RuleMeta, Verdict,
};
use crate::scan::{is_test_path, MatchKind};

crate::declare_rule!(
    HardcodedSecret,
    RuleMeta {
        id: "hardcoded-secret",
        section: "5.1",
        level: Level::Error,
        confidence: Confidence::High,
        description: "No credential is committed in code, config or manifests",
        applies: "always",
        rationale: "Checklist §5.1: secrets never live in the repository; they come from environment variables or a secret manager. A committed key is readable by everyone with the repo, forever (git history), and must be rotated.",
        detection: "Provider formats (AWS, Google Cloud, Azure, GitHub, GitLab, Slack, Stripe live keys, Twilio, SendGrid, Postmark, Mailgun, npm, PyPI, Docker Hub, OpenAI and Anthropic keys, JWTs, PEM private keys, URLs and connection strings with passwords) plus high-entropy values assigned to secret-looking names. Documentation example keys, placeholders (`changeme`, `<your-key>`, `${VAR}`, `xxxx`), test-mode keys, environment lookups and lockfiles are not reported; matches under test and fixture folders are reported one level lower (a warning by default). Values are shown redacted: a short prefix and the length.",
        fix: "remove the value, rotate the credential at the provider, and read it from an environment variable or a secret manager (list the name in .env.example without a value)",
        fixed_by_init: false,
        fail_example: "src/pay.js:3: const stripe = Stripe(\"sk_l…(32 chars)\");",
        pass_example: "src/pay.js:3: const stripe = Stripe(process.env.STRIPE_SECRET_KEY);",
    }
);

impl Rule for HardcodedSecret {
    fn class_policy(&self) -> ClassPolicy {
        use crate::source::class::FileClass::*;
        use ClassAction::*;
        // A key pasted into docs or an example is still a leak, so those are
        // reported (lower); tool output and copied-in code are not the repo's.
        &[
            (Generated, Skip),
            (Vendored, Skip),
            (Minified, Skip),
            (Translation, Skip),
            (Test, Demote),
            (Fixture, Demote),
            (Example, Demote),
            (Docs, Demote),
        ]
    }

    fn repository(&self, input: &AuditInput<'_>, out: &mut Findings<'_>) -> Verdict {
        for m in &input.scan.matches {
            let MatchKind::Secret(kind) = m.kind else {
                continue;
            };
            // Fixtures hold fake keys far more often than real ones: still
            // reported, one level lower.
            let fixture = is_test_path(&m.location.path);
            let mut finding = out
                .add(format!(
                    "{kind} committed in {}: {}{}",
                    m.location.path,
                    m.shown,
                    if fixture {
                        " (under a test folder: reported one level lower)"
                    } else {
                        ""
                    }
                ))
                .at(m.location.clone())
                .width(m.len as usize)
                .evidence(format!("matched {kind}; value {}", m.shown))
                .key(format!("{kind} {}", m.shown));
            if fixture {
                finding = finding.demoted();
            }
            finding.emit();
        }
        Verdict::Checked
    }
}
