//! Redaction of secret-looking values before anything reaches a report.
//! Every free-text field of a finding passes through [`redact_text`] in the
//! finding builder; secret-detection rules reuse [`redact_value`] for the
//! values they match.

use regex::Regex;
use std::borrow::Cow;
use std::sync::LazyLock;

/// Shown in place of a secret: a short prefix (only for long values, where
/// it cannot give the value away) and the length.
pub fn redact_value(value: &str) -> String {
    let n = value.chars().count();
    if n >= 16 {
        let prefix: String = value.chars().take(4).collect();
        format!("{prefix}…[redacted, {n} chars]")
    } else {
        format!("[redacted, {n} chars]")
    }
}

/// Provider token shapes: matched anywhere, the whole match is redacted.
static TOKENS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?:AKIA|ASIA)[0-9A-Z]{16}",
        r"|gh[pousr]_[A-Za-z0-9]{20,}",
        r"|github_pat_[A-Za-z0-9_]{20,}",
        r"|glpat-[A-Za-z0-9_-]{16,}",
        r"|xox[abposr]-[A-Za-z0-9-]{10,}",
        r"|hooks\.slack\.com/services/[A-Za-z0-9/]+",
        r"|(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{10,}",
        r"|sk-[A-Za-z0-9_-]{20,}",
        r"|AIza[0-9A-Za-z_-]{30,}",
        r"|SG\.[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{16,}",
        r"|npm_[A-Za-z0-9]{30,}",
        r"|pypi-[A-Za-z0-9_-]{30,}",
        r"|eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}",
    ))
    .unwrap_or_else(|_| Regex::new("$^").unwrap_or_else(|_| unreachable_regex()))
});

/// `scheme://user:password@host`: the password is redacted.
static URL_PASSWORD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"([A-Za-z][A-Za-z0-9+.-]*://[^\s:/@]*:)([^\s@/]+)(@)")
        .unwrap_or_else(|_| unreachable_regex())
});

/// `NAME = value`, `NAME: value`, `"name": "value"` where the name looks like
/// it holds a credential.
static ASSIGNMENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r#"(?i)([A-Za-z0-9_.-]*(?:passw(?:or)?d|pwd|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|credential|auth[_-]?key|client[_-]?secret|signing[_-]?key)[A-Za-z0-9_.-]*"?\s*[:=]\s*["']?)"#,
        r#"([^\s"',;]{4,})"#,
    ))
    .unwrap_or_else(|_| unreachable_regex())
});

/// Long unbroken tokens that may be keys; kept only when their entropy is low.
static LONG_TOKEN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[A-Za-z0-9+/=_-]{24,}").unwrap_or_else(|_| unreachable_regex()));

/// A regex that matches nothing; the patterns above are constant and tested,
/// so this only exists to avoid a panic path.
fn unreachable_regex() -> Regex {
    Regex::new("[^\\s\\S]").unwrap_or_else(|_| unreachable_regex())
}

/// Values that are obviously not secrets: placeholders and references.
fn is_placeholder(v: &str) -> bool {
    let l = v.to_ascii_lowercase();
    l.starts_with("${")
        || l.starts_with('<')
        || l.starts_with("{{")
        || l.starts_with('$')
        || l.contains("changeme")
        || l.contains("example")
        || l.contains("placeholder")
        || l.contains("your-")
        || l.contains("your_")
        || l.contains("xxxx")
        || l.contains("redacted")
        || l.starts_with("secrets.")
        || l.starts_with("env.")
        || l.starts_with("process.env")
        || matches!(
            l.as_str(),
            "true" | "false" | "null" | "none" | "required" | "optional"
        )
}

fn entropy(s: &str) -> f64 {
    let mut counts = [0u32; 256];
    for b in s.bytes() {
        counts[b as usize] += 1;
    }
    let n = s.len() as f64;
    counts
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| {
            let p = f64::from(c) / n;
            -p * p.log2()
        })
        .sum()
}

fn looks_random(t: &str) -> bool {
    let has_digit = t.bytes().any(|b| b.is_ascii_digit());
    let has_alpha = t.bytes().any(|b| b.is_ascii_alphabetic());
    // A git commit id is public, and workflows pin actions with them.
    let git_sha = t.len() == 40 && t.bytes().all(|b| b.is_ascii_hexdigit());
    has_digit && has_alpha && !git_sha && entropy(t) >= 3.5
}

/// Redact every secret-looking value in `text`. Returns the input unchanged
/// (borrowed) when nothing looks secret.
pub fn redact_text(text: &str) -> Cow<'_, str> {
    let mut out: Cow<'_, str> = Cow::Borrowed(text);
    if TOKENS.is_match(&out) {
        out = Cow::Owned(
            TOKENS
                .replace_all(&out, |c: &regex::Captures<'_>| redact_value(&c[0]))
                .into_owned(),
        );
    }
    if URL_PASSWORD.is_match(&out) {
        out = Cow::Owned(
            URL_PASSWORD
                .replace_all(&out, |c: &regex::Captures<'_>| {
                    format!("{}{}{}", &c[1], redact_value(&c[2]), &c[3])
                })
                .into_owned(),
        );
    }
    if ASSIGNMENT.is_match(&out) {
        out = Cow::Owned(
            ASSIGNMENT
                .replace_all(&out, |c: &regex::Captures<'_>| {
                    let value = &c[2];
                    if is_placeholder(value) || value.contains("[redacted") {
                        c[0].to_string()
                    } else {
                        format!("{}{}", &c[1], redact_value(value))
                    }
                })
                .into_owned(),
        );
    }
    if LONG_TOKEN.is_match(&out) {
        let replaced = LONG_TOKEN.replace_all(&out, |c: &regex::Captures<'_>| {
            if looks_random(&c[0]) {
                redact_value(&c[0])
            } else {
                c[0].to_string()
            }
        });
        if replaced != out {
            out = Cow::Owned(replaced.into_owned());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn provider_tokens_are_redacted() {
        for secret in [
            "AKIAIOSFODNN7EXAMPLQ",
            "ghp_abcdefghijklmnopqrstuvwxyz0123456789",
            "sk_live_51HabcdefghijklmnopqrstUV",
            "xoxb-123456789012-abcdefghijkl",
        ] {
            let line = format!("token here {secret} end");
            let r = redact_text(&line);
            assert!(!r.contains(secret), "{r}");
            assert!(r.contains("[redacted"), "{r}");
        }
    }

    #[test]
    fn assignments_and_urls_are_redacted() {
        let r = redact_text("DB_PASSWORD=hunter2hunter2");
        assert_eq!(r, "DB_PASSWORD=[redacted, 14 chars]");
        let r = redact_text("url: postgres://app:s3cretpass@db:5432/app");
        assert!(!r.contains("s3cretpass"), "{r}");
        let r = redact_text(r#""apiKey": "Zx81kLmq0PqrStuv""#);
        assert!(!r.contains("Zx81kLmq0PqrStuv"), "{r}");
    }

    #[test]
    fn plain_prose_and_placeholders_are_kept() {
        for line in [
            "run `infra init` to render docs/infra/deployments.md",
            "API_TOKEN=${API_TOKEN}",
            "STRIPE_SECRET_KEY=<your-key>",
            "uses: actions/checkout@b4ffde65f46336ab88eb53be808477a3936bc11d",
            "## How to roll back",
        ] {
            assert_eq!(redact_text(line), line);
        }
    }

    #[test]
    fn random_tokens_are_redacted() {
        let r = redact_text("key Qm9vbGVhbjEyMzQ1Njc4OTBhYmNkZWZnaGlq");
        assert!(r.contains("[redacted"), "{r}");
    }
}
