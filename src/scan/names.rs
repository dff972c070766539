//! The one place that says which names hold credentials. Discovery marks
//! secret environment variables with [`is_secret_name`], rendering leaves
//! their values out of `.env.example` with it, and the scanner's
//! assignment pattern and the report redaction both match names in text
//! with [`secret_name_regex!`].

/// Words (upper-case) that make a name secret-looking wherever they stand in
/// it: `STRIPE_SECRET_KEY`, `DB_PASSWORD`, `SENTRY_DSN`.
pub const SECRET_WORDS: &[&str] = &[
    "KEY",
    "SECRET",
    "SECRETS",
    "TOKEN",
    "PASSWORD",
    "PASSWD",
    "PASS",
    "PWD",
    "CREDENTIALS",
    "CREDENTIAL",
    "CREDS",
    "PRIVATE",
    "DSN",
    "APIKEY",
    "PASSPHRASE",
];

/// Endings of a name's last word that make it secret-looking: `APIKEY`,
/// `GITHUBTOKEN`.
pub const SECRET_SUFFIXES: &[&str] = &["KEY", "TOKEN", "SECRET", "PASSWORD"];

/// The same policy for names inside text (code identifiers, YAML keys,
/// JSON properties), as a regex alternation matched case-insensitively
/// anywhere in the name. A macro, so `concat!` can build patterns from it.
#[macro_export]
macro_rules! secret_name_regex {
    () => {
        r"passw(?:or)?d|pwd|secret|token|api[_.-]?key|access[_.-]?key|auth[_.-]?key|private[_.-]?key|signing[_.-]?key|credentials?"
    };
}

/// Does the name (an environment variable, a config key) look like it
/// holds a credential? Whole `_`, `-` or `.` separated words, any case:
/// [`SECRET_WORDS`] anywhere, a last word ending in one of
/// [`SECRET_SUFFIXES`], or a connection URL of a data store (`DATABASE_URL`);
/// never a name marked public (`NEXT_PUBLIC_…`, `…_PUBLISHABLE_KEY`).
pub fn is_secret_name(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    let tokens: Vec<&str> = upper
        .split(['_', '-', '.'])
        .filter(|t| !t.is_empty())
        .collect();
    // Public values, and per-session anti-forgery tokens (CSRF) that grant
    // nothing once the session is gone.
    if tokens.iter().any(|t| {
        matches!(
            *t,
            "PUBLIC" | "PUBLISHABLE" | "CSRF" | "XSRF" | "AUTHENTICITY"
        )
    }) {
        return false;
    }
    if tokens.iter().any(|t| SECRET_WORDS.contains(t)) {
        return true;
    }
    let last = tokens.last().copied().unwrap_or("");
    if SECRET_SUFFIXES.iter().any(|s| last.ends_with(s)) {
        return true;
    }
    // Connection URLs usually embed a password.
    if matches!(last, "URL" | "URI") || upper.ends_with("CONNECTION_STRING") {
        const CRED_URLS: &[&str] = &[
            "DATABASE",
            "DB",
            "POSTGRES",
            "POSTGRESQL",
            "PG",
            "MYSQL",
            "MONGO",
            "MONGODB",
            "REDIS",
            "AMQP",
            "RABBITMQ",
            "BROKER",
            "CELERY",
            "KAFKA",
            "ELASTICSEARCH",
            "MEMCACHED",
            "SMTP",
        ];
        return tokens[..tokens.len().saturating_sub(1)]
            .iter()
            .any(|t| CRED_URLS.contains(t));
    }
    upper.ends_with("CONNECTION_STRING") || upper.ends_with("CONNECTIONSTRING")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_names() {
        for s in [
            "STRIPE_SECRET_KEY",
            "API_KEY",
            "GITHUB_TOKEN",
            "DB_PASSWORD",
            "SENTRY_DSN",
            "DATABASE_URL",
            "REDIS_URL",
            "AWS_SECRET_ACCESS_KEY",
            "PRIVATE_KEY_PEM",
            "APIKEY",
            "MONGODB_URI",
        ] {
            assert!(is_secret_name(s), "{s}");
        }
        for s in [
            "PORT",
            "NODE_ENV",
            "NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY",
            "API_URL",
            "KEYCLOAK_REALM_NAME",
            "LOG_LEVEL",
            "PUBLIC_KEY",
        ] {
            assert!(!is_secret_name(s), "{s}");
        }
    }

    #[test]
    fn the_text_pattern_agrees_on_plain_names() {
        let re = regex::Regex::new(concat!("(?i:", secret_name_regex!(), ")")).unwrap();
        for name in [
            "DB_PASSWORD",
            "API_KEY",
            "GITHUB_TOKEN",
            "client_secret",
            "apiKey",
            "signing_key",
        ] {
            assert!(re.is_match(name), "{name}");
        }
        for name in ["PORT", "LOG_LEVEL", "API_URL"] {
            assert!(!re.is_match(name) && !is_secret_name(name), "{name}");
        }
    }
}
