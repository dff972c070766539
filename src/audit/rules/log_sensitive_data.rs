//! log-sensitive-data: a log call whose arguments carry a password, token,
//! secret, API key, Authorization header or card number (checklist §4.1),
//! found in the one walk by `src/scan/logs.rs`.

use crate::audit::finding::Findings;
use crate::audit::rule::{
    AuditInput, ClassAction, ClassPolicy, Confidence, Level, Rule, RuleMeta, Verdict,
};
use crate::scan::MatchKind;

crate::declare_rule!(
    LogSensitiveData,
    RuleMeta {
        id: "log-sensitive-data",
        section: "4.1",
        level: Level::Error,
        confidence: Confidence::Medium,
        description: "Log calls do not write passwords, tokens, secrets, API keys, Authorization headers or card numbers",
        applies: "to source files in JavaScript/TypeScript, Python, Go, Ruby, Java, Kotlin, Scala, Rust, PHP and C#",
        rationale: "Checklist §4.1: logs must avoid leaking sensitive data. Logs are copied to aggregators, shipped to vendors, kept for months and read by far more people than the secret store: a token written there is a token leaked.",
        detection: "Log calls per language: `console.*`, `logger.*`, `log.*`, winston and pino (JS/TS); `logging.*`, `logger.*`, structlog, and `print` in a Flask/Django/FastAPI file (Python); `log.*`, `slog.*`, zap, logrus (Go); `Rails.logger`, `logger` (Ruby); slf4j-style `log.`/`logger.` (Java, Kotlin, Scala); `tracing`/`log` macros (Rust); `Log::`, `$logger->`, `error_log` (PHP); `_logger.Log*` and Serilog (C#). Their arguments are read to the closing parenthesis with string literals blanked out — interpolations (`${x}`, f-string `{x}`, `#{x}`, `$x`, Rust `{x}`) are code and kept. An identifier (or a structured-log key) whose last segment's words name a secret is evidence: `password`, `passwd`, `passphrase`, `token`, `jwt`, `secret`, `apiKey`, `private_key`, `authorization`, `cardNumber`, `cvv`, and a whole request's headers (`req.headers`, `request.headers`, Go's `r.Header`). Not evidence: the words inside a message (\"invalid password\"), names about a secret rather than the secret (`tokenCount`, `token_length`, `password_reset_url`, `secretName`, `tokenExpiry`, `token_id`, `tokenType`, `passwordHash`, `max_tokens`), values only tested, measured or masked (`!!token`, `token ? … : …`, `token != nil`, `len(token)`, `token.length`, `mask(password)`, `token[:8]`), calls (`getToken()`), one header picked from the headers (`req.headers['user-agent']`), and calls inside a comment. Only the identifier is reported, never a value.",
        fix: "log an identifier of the principal instead (user id, key id, the last four characters), or mask the value with the logger's redaction (pino `redact`, structlog processors, a Serilog destructuring policy)",
        fixed_by_init: false,
        fail_example: "src/auth.js:12: logger.info(\"login\", { user: user.id, password });",
        pass_example: "src/auth.js:12: logger.info(\"login\", { user: user.id });",
    }
);

impl Rule for LogSensitiveData {
    fn class_policy(&self) -> ClassPolicy {
        use crate::source::class::FileClass::*;
        use ClassAction::*;
        // Tests log fake credentials on purpose; copied-in and generated
        // code is not the project's to fix; docs and examples are not run.
        &[
            (Generated, Skip),
            (Vendored, Skip),
            (Minified, Skip),
            (Docs, Skip),
            (Test, Skip),
            (Fixture, Skip),
            (Example, Skip),
        ]
    }

    fn repository(&self, input: &AuditInput<'_>, out: &mut Findings<'_>) -> Verdict {
        for m in &input.scan.matches {
            let MatchKind::SensitiveLog(what) = m.kind else {
                continue;
            };
            let named = match what {
                "request-headers" => {
                    "a whole request's headers (cookies, Authorization)".to_string()
                }
                "api-key" => "an API key".to_string(),
                "authorization" => "an Authorization header".to_string(),
                "private-key" => "a private key".to_string(),
                "card-number" => "a card number".to_string(),
                other => format!("a {other}"),
            };
            out.add(format!(
                "log call in {} writes `{}`, {named}",
                m.location.path, m.shown
            ))
            .at(m.location.clone())
            .width(m.len as usize)
            .evidence(format!(
                "the argument `{}` of a log call is named for a secret ({what})",
                m.shown
            ))
            .key(format!("{what} {}", m.shown))
            .emit();
        }
        Verdict::Checked
    }
}
