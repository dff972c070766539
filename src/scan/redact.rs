//! Redaction, the one policy for every output: a secret is shown as a short
//! prefix and its length (`sk_l…(32 chars)`), never more than four
//! characters. The scanner redacts what it matches with [`redact`]; the
//! finding builder passes every free-text field (message, evidence, snippet,
//! fix) through [`redact_text`], so no report format can print a secret.

use super::entropy::shannon;
use regex::Regex;
use std::borrow::Cow;
use std::sync::LazyLock;

/// Most characters of a secret a redacted form may show.
pub const MAX_SHOWN: usize = 4;

/// `sk_l…(32 chars)`: at most four leading characters and never more than a
/// quarter of the value, so short passwords show little or nothing.
pub fn redact(secret: &str) -> String {
    let len = secret.chars().count();
    let shown = MAX_SHOWN.min(len / 4);
    let prefix: String = secret.chars().take(shown).collect();
    format!("{prefix}…({len} chars)")
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
        r#"(?i)([A-Za-z0-9_.-]*(?:"#,
        crate::secret_name_regex!(),
        r#")[A-Za-z0-9_.-]*"?\s*[:=]\s*["']?)"#,
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
/// Deliberately narrower than the scanner's [`super::placeholder`] list:
/// when in doubt, a report hides the value.
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

fn looks_random(t: &str) -> bool {
    let has_digit = t.bytes().any(|b| b.is_ascii_digit());
    let has_alpha = t.bytes().any(|b| b.is_ascii_alphabetic());
    // A git commit id is public, and workflows pin actions with them.
    let git_sha = t.len() == 40 && t.bytes().all(|b| b.is_ascii_hexdigit());
    has_digit && has_alpha && !git_sha && shannon(t) >= 3.5
}

/// [`redact_text`], leaving each of `keep` (the finding's own file paths)
/// as written: a path such as `test/controllers/api/v1/auth_test.rb` is
/// long, mixed and has digits, but it is never a secret, and a report that
/// redacts it cannot be followed.
pub fn redact_text_keeping<'a>(text: &'a str, keep: &[&str]) -> Cow<'a, str> {
    let keep: Vec<&str> = keep
        .iter()
        .copied()
        .filter(|k| k.len() >= 4 && text.contains(*k))
        .collect();
    if keep.is_empty() {
        return redact_text(text);
    }
    // Each kept text becomes a private-use character no pattern matches,
    // and comes back after redaction. Longest first, so a path that
    // contains another is kept whole.
    let mut keep = keep;
    keep.sort_by_key(|k| std::cmp::Reverse(k.len()));
    let marks: Vec<char> = (0..keep.len())
        .filter_map(|i| char::from_u32(0xF0000 + i as u32))
        .collect();
    if marks.len() != keep.len()
        || text.contains(|c: char| ('\u{F0000}'..='\u{FFFFD}').contains(&c))
    {
        return redact_text(text);
    }
    let mut masked = text.to_string();
    for (k, m) in keep.iter().zip(&marks) {
        masked = masked.replace(k, &m.to_string());
    }
    let mut out = redact_text(&masked).into_owned();
    for (k, m) in keep.iter().zip(&marks) {
        out = out.replace(*m, k);
    }
    Cow::Owned(out)
}

/// Already-redacted forms (`sk_l…(32 chars)`, `…(6 chars)`): redacting a
/// report twice must not redact what the first pass wrote.
static REDACTED_FORM: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"…\([0-9]+ chars\)").unwrap_or_else(|_| unreachable_regex()));

/// Redact every secret-looking value in `text`. Returns the input unchanged
/// (borrowed) when nothing looks secret. Idempotent: its own output passes
/// through unchanged.
pub fn redact_text(text: &str) -> Cow<'_, str> {
    let mut out: Cow<'_, str> = Cow::Borrowed(text);
    if TOKENS.is_match(&out) {
        out = Cow::Owned(
            TOKENS
                .replace_all(&out, |c: &regex::Captures<'_>| redact(&c[0]))
                .into_owned(),
        );
    }
    if URL_PASSWORD.is_match(&out) {
        out = Cow::Owned(
            URL_PASSWORD
                .replace_all(&out, |c: &regex::Captures<'_>| {
                    if is_placeholder(&c[2]) {
                        c[0].to_string()
                    } else {
                        format!("{}{}{}", &c[1], redact(&c[2]), &c[3])
                    }
                })
                .into_owned(),
        );
    }
    if ASSIGNMENT.is_match(&out) {
        out = Cow::Owned(
            ASSIGNMENT
                .replace_all(&out, |c: &regex::Captures<'_>| {
                    let value = &c[2];
                    if is_placeholder(value) || value.contains('…') {
                        c[0].to_string()
                    } else {
                        format!("{}{}", &c[1], redact(value))
                    }
                })
                .into_owned(),
        );
    }
    if LONG_TOKEN.is_match(&out) {
        let text = out.to_string();
        let replaced = LONG_TOKEN.replace_all(&out, |c: &regex::Captures<'_>| {
            let end = c.get(0).map_or(0, |m| m.end());
            // The shown prefix of an already-redacted value.
            let redacted_prefix = REDACTED_FORM
                .find_at(&text, end)
                .is_some_and(|m| m.start() == end);
            if looks_random(&c[0]) && !redacted_prefix {
                redact(&c[0])
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
    fn shows_a_short_prefix_and_the_length() {
        assert_eq!(
            redact("sk_live_0123456789abcdefghijklmn"),
            "sk_l…(32 chars)"
        );
        assert_eq!(redact("hunter22"), "hu…(8 chars)");
        assert_eq!(redact("abc"), "…(3 chars)");
        assert_eq!(redact(""), "…(0 chars)");
    }

    #[test]
    fn never_shows_more_than_four_characters() {
        let long = "x".repeat(500);
        let r = redact(&long);
        assert_eq!(r.chars().filter(|c| *c == 'x').count(), 4);
    }

    #[test]
    fn provider_tokens_are_redacted() {
        for secret in [
            // infra: ignore[hardcoded-secret] synthetic key shapes: the test proves they are redacted
            "AKIAIOSFODNN7EXAMPLQ",
            "ghp_abcdefghijklmnopqrstuvwxyz0123456789",
            // infra: ignore[hardcoded-secret] synthetic key shape: the test proves it is redacted
            "sk_live_51HabcdefghijklmnopqrstUV",
            "xoxb-123456789012-abcdefghijkl",
        ] {
            let line = format!("token here {secret} end");
            let r = redact_text(&line);
            assert!(!r.contains(secret), "{r}");
            assert!(r.contains("…("), "{r}");
        }
    }

    #[test]
    fn assignments_and_urls_are_redacted() {
        let r = redact_text("DB_PASSWORD=hunter2hunter2");
        assert_eq!(r, "DB_PASSWORD=hun…(14 chars)");
        // infra: ignore[hardcoded-secret] synthetic password: the test proves it is redacted
        let r = redact_text("url: postgres://app:s3cretpass@db:5432/app");
        assert!(!r.contains("s3cretpass"), "{r}");
        // infra: ignore[hardcoded-secret] synthetic key: the test proves it is redacted
        let r = redact_text(r#""apiKey": "Zx81kLmq0PqrStuv""#);
        assert!(!r.contains("Zx81kLmq0PqrStuv"), "{r}");
    }

    #[test]
    fn plain_prose_and_placeholders_are_kept() {
        for line in [
            "run `infra init` to render docs/infra/deployments.md",
            "API_TOKEN=${API_TOKEN}",
            "url: postgres://app:${DB_PASSWORD}@db:5432/app",
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
        assert!(r.contains("…("), "{r}");
    }

    #[test]
    fn redacting_twice_changes_nothing() {
        for line in [
            "generic-high-entropy committed in src/app.rs: Sec…(14 chars)",
            "DB_PASSWORD=hunter2hunter2",
            "token here ghp_abcdefghijklmnopqrstuvwxyz0123456789 end",
            "key Qm9vbGVhbjEyMzQ1Njc4OTBhYmNkZWZnaGlq",
            // infra: ignore[hardcoded-secret] synthetic password: redacting twice must change nothing
            "url: postgres://app:s3cretpass@db:5432/app",
            "matched jwt; value eyJh…(120 chars)",
        ] {
            let once = redact_text(line).into_owned();
            assert_eq!(redact_text(&once), once, "{line}");
        }
    }

    #[test]
    fn kept_paths_survive_and_secrets_beside_them_do_not() {
        let path = "timoni/app/cue.mod/gen/k8s.io/api/core/v1/types_go_gen.cue";
        let text = format!("in {path}: key Qm9vbGVhbjEyMzQ1Njc4OTBhYmNkZWZnaGlq");
        let r = redact_text_keeping(&text, &[path]);
        assert!(r.contains(path), "{r}");
        assert!(!r.contains("Qm9vbGVhbjEyMzQ1Njc4OTBhYmNkZWZnaGlq"), "{r}");
        // Without the path to keep, the heuristics eat it: the test above
        // guards a real difference.
        assert!(!redact_text(&text).contains(path));
    }
}
