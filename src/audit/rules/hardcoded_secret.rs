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
        detection: "Provider formats (AWS, Google Cloud, Azure, GitHub, GitLab, Slack, Stripe live keys, Twilio, SendGrid, Postmark, Mailgun, npm, PyPI, Docker Hub, OpenAI and Anthropic keys, Telegram bot tokens, Shopify, HashiCorp Vault `hvs.`, Doppler, New Relic, Square and Heroku tokens, Plaid access tokens, JWTs, private keys recognised by their PEM/OpenSSH/PGP structure, URLs, ADO.NET and JDBC connection strings with passwords) plus high-entropy values assigned to secret-looking names (also `- name: X_PASSWORD` followed by `value:`, Dockerfile `ENV`/`ARG` in both forms) and weak passwords a person chose (`Winter2025!`) under password names; a readable phrase written as one word (`SigningKeyForTheOrdersApi…`) under a key or secret name is still a committed key. Base64 and hex values (up to 8 KiB) are decoded and checked against the provider formats, so a k8s Secret's `data:` token or `tls.key` is found. Not reported: documentation example keys, placeholders (`changeme`, `<your-key>`, `${VAR}`, `{x}`, `%s`, `{{ x }}`, `xxxx`), identifiers and type references (`#SecretType`), file paths, image and package coordinates, Vault paths, regexes, prose and UI labels, values that name what they stand in for (`encrypted_token_1`) or count up (`a1B2c3D4`), a `user:password` URL introduced as an example (`Example: DATABASE_URL=…`), a bare `token` in test files (there it is the request nonce, header or invitation under test; provider formats are still found), committed ciphertext (SealedSecret, SOPS `ENC[...]`, `$ANSIBLE_VAULT`), sandbox and test-mode keys, environment lookups and lockfiles; a default password on its own (`POSTGRES_PASSWORD: postgres`) is not reported either. Reported one level lower, with the reason in the message: matches under test and fixture folders, well-known default credentials inside a URL or connection string (`postgres:postgres`, `root:root`, `sa`/`password`, a password equal to its user) and encrypted private keys (`ENCRYPTED PRIVATE KEY`, `Proc-Type: 4,ENCRYPTED`), which still need their passphrase. Values are shown redacted: a short prefix and the length; file paths never are.",
        fix: "remove the value, rotate the credential at the provider, and read it from an environment variable or a secret manager (list the name in .env.example without a value)",
        fixed_by_init: false,
        fail_example: "src/pay.js:3: const stripe = Stripe(\"sk_l…(32 chars)\");",
        pass_example: "src/pay.js:3: const stripe = Stripe(process.env.STRIPE_SECRET_KEY);",
    }
);

/// What a file's class means for a committed secret, in the tree and in
/// history alike: a key pasted into docs or an example is still a leak, so
/// those are reported (lower); tool output and copied-in code are not the
/// repository's own.
pub(crate) const SECRET_CLASSES: ClassPolicy = {
    use crate::source::class::FileClass::*;
    use ClassAction::*;
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
};

impl Rule for HardcodedSecret {
    fn class_policy(&self) -> ClassPolicy {
        SECRET_CLASSES
    }

    fn repository(&self, input: &AuditInput<'_>, out: &mut Findings<'_>) -> Verdict {
        for m in &input.scan.matches {
            let MatchKind::Secret(kind) = m.kind else {
                continue;
            };
            // Fixtures hold fake keys far more often than real ones, and a
            // default credential or an encrypted key is weaker evidence:
            // still reported, one level lower (once, whatever the reasons).
            let fixture = is_test_path(&m.location.path);
            let why: Vec<&str> = [fixture.then_some("under a test folder"), m.weak_evidence]
                .into_iter()
                .flatten()
                .collect();
            let mut finding = out
                .add(format!(
                    "{kind} committed in {}: {}{}",
                    m.location.path,
                    m.shown,
                    if why.is_empty() {
                        String::new()
                    } else {
                        format!(" ({}, so reported one level lower)", why.join("; "))
                    }
                ))
                .at(m.location.clone())
                .width(m.len as usize)
                .evidence(format!("matched {kind}; value {}", m.shown))
                .key(format!("{kind} {}", m.shown));
            if !why.is_empty() {
                finding = finding.demoted();
            }
            finding.emit();
        }
        Verdict::Checked
    }
}
