//! plaintext-http: `http://` (or `ws://`) to a host outside this machine and
//! network in code, config or manifests (checklist §5.2).

use crate::audit::finding::Findings;
use crate::audit::rule::{
    AuditInput, ClassAction, ClassPolicy, Confidence, Level, Rule, RuleMeta, Verdict,
};
use crate::scan::MatchKind;

crate::declare_rule!(
    PlaintextHttp,
    RuleMeta {
        id: "plaintext-http",
        section: "5.2",
        level: Level::Warning,
        confidence: Confidence::Medium,
        description: "Code, config and manifests use HTTPS for every remote host",
        applies: "always",
        rationale: "Checklist §5.2: use HTTPS everywhere. Plain HTTP to a remote host exposes tokens, cookies and payloads to anyone on the path and lets them be altered.",
        detection: "URLs with scheme http or ws whose host is not loopback, private (10/8, 172.16/12, 192.168/16, link-local), a single-label service name (`http://api:8080`), a reserved name (*.local, *.test, *.example, *.internal, example.com), a placeholder (`yourapp.com`, `foo.bar`, `fake.com`, dotted digits that are no address), or an identifier: an XML namespace, schema or licence (www.w3.org, xmlns=…, `$schema`, a Go `xml:\"…\"` tag, a `.dtd`/`.xsd` path), a JSON-LD `@context`/`@type` IRI or any URL of a JSON-LD document (ActivityPub objects). URLs only inside a comment of the file's language (`//`, `#`, `--`, `/* … */`, `<!-- -->`) are not requests and are not reported. One finding per URL host and line.",
        fix: "switch the URL to https:// (or wss://); if the host cannot do TLS, put it behind a TLS-terminating proxy",
        fixed_by_init: false,
        // Split so this source file holds no plaintext URL itself.
        fail_example: concat!("src/client.js:4: const API = \"http", "://api.partner.io/v1\";"),
        pass_example: "src/client.js:4: const API = \"https://api.partner.io/v1\";",
    }
);

impl Rule for PlaintextHttp {
    fn class_policy(&self) -> ClassPolicy {
        use crate::source::class::FileClass::*;
        use ClassAction::*;
        // Prose links and test data make no request; examples are copied into
        // real code, so they are still reported (lower).
        &[
            (Generated, Skip),
            (Vendored, Skip),
            (Minified, Skip),
            (Translation, Skip),
            (Docs, Skip),
            (Licence, Skip),
            (Test, Skip),
            (Fixture, Skip),
            (Example, Demote),
        ]
    }

    fn repository(&self, input: &AuditInput<'_>, out: &mut Findings<'_>) -> Verdict {
        for m in &input.scan.matches {
            let MatchKind::PlaintextUrl(scheme) = m.kind else {
                continue;
            };
            let (secure, scheme) = (scheme.secure(), scheme.id());
            out.add(format!("{scheme}:// to {} in {}", m.shown, m.location.path))
                .at(m.location.clone())
                .width(m.len as usize)
                .fix(format!("use {secure}://{} instead", m.shown))
                .key(format!("{scheme} {}", m.shown))
                .emit();
        }
        Verdict::Checked
    }
}
