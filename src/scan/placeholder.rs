//! Values that look like secrets but are not: documentation examples,
//! template placeholders, variable references and dummy fillers.

/// Case-insensitive words that mark a value as a stand-in, wherever they appear.
const PLACEHOLDER_WORDS: &[&str] = &[
    "example",
    "changeme",
    "change_me",
    "change-me",
    "replace_me",
    "replaceme",
    "replace-me",
    // `API_KEY=mmg=secret-key`: the value names what it stands in for.
    "secret-key",
    "replace_with",
    "your_",
    "your-",
    "yourkey",
    "yourtoken",
    "yoursecret",
    "yourpassword",
    // `myuser:mypass@localhost`, `mypassword`: documentation stand-ins.
    "mypass",
    "mysecret",
    "mytoken",
    "_here",
    "-here",
    "dummy",
    "placeholder",
    "sample",
    "redacted",
    "insert",
    "notreal",
    "not_real",
    "not-a-real",
    "fake",
    "todo",
    "fixme",
    "xxxx",
    "****",
    "....",
    // An elided or already-redacted value (`sk_l…(32 chars)`).
    "…",
    "____",
    "----",
    "0000",
    "1234",
];

/// Whole values (lower-cased) that are defaults or words, not secrets.
const PLACEHOLDER_VALUES: &[&str] = &[
    "password",
    "passwd",
    "secret",
    "token",
    "pass",
    "admin",
    "root",
    "guest",
    "test",
    "testing",
    "dev",
    "development",
    "postgres",
    "mysql",
    "redis",
    "user",
    "username",
    "none",
    "null",
    "nil",
    "undefined",
    "true",
    "false",
    "default",
    "local",
    "demo",
    "foobar",
    "foo",
    "bar",
    "empty",
    "required",
    "optional",
    "unset",
];

/// Whether `value` is a stand-in rather than a real secret.
/// What a log filter writes in place of a value: `[FILTERED]`, `[REDACTED]`
/// (a value pattern may stop before the closing bracket).
pub fn is_filter_marker(v: &str) -> bool {
    v.strip_prefix('[')
        .map(|r| r.strip_suffix(']').unwrap_or(r))
        .is_some_and(|inner| {
            !inner.is_empty()
                && inner
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c == '_' || c == ' ')
        })
}

pub fn is_placeholder(value: &str) -> bool {
    let v = value.trim();
    if v.is_empty() {
        return true;
    }
    if is_reference(v) {
        return true;
    }
    if is_filter_marker(v) {
        return true;
    }
    let lower = v.to_ascii_lowercase();
    if PLACEHOLDER_VALUES.contains(&lower.as_str()) {
        return true;
    }
    if PLACEHOLDER_WORDS.iter().any(|w| lower.contains(w)) {
        return true;
    }
    // One character repeated (`aaaaaaaa`, `########`).
    let mut chars = v.chars();
    if let Some(first) = chars.next() {
        if chars.all(|c| c == first) {
            return true;
        }
    }
    false
}

/// Template, variable and function references: `${VAR}`, `$VAR`, `{{ var }}`,
/// `<your-key>`, `%(x)s`, `#{x}`, `<%= x %>`, `process.env.X`, `os.environ[...]`.
pub fn is_reference(v: &str) -> bool {
    // `((NOTIFY_PASSWORD))`: a Cloud Foundry or Concourse variable (the
    // value may reach the scanner without its closing parentheses).
    if let Some(name) = v.strip_prefix("((") {
        let name = name.trim_end_matches(')').trim();
        if !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '/'))
        {
            return true;
        }
    }
    if v.starts_with('$')
        || v.starts_with('<')
        || v.starts_with("%(")
        || v.starts_with("%{")
        || v.starts_with("#{")
        || v.starts_with('@')
        || v.contains("${")
        || v.contains("{{")
        || v.contains("}}")
        || v.contains("<%")
        || v.contains("\\(")
        || v.contains("\\#(")
    {
        return true;
    }
    let lower = v.to_ascii_lowercase();
    const LOOKUPS: &[&str] = &[
        "process.env",
        "os.environ",
        "os.getenv",
        "getenv(",
        "env(",
        "env[",
        "env.",
        "system.getenv",
        "secrets.",
        "vault:",
        "ref+",
        "secretkeyref",
        "valuefrom",
        "import.meta.env",
        "config(",
        "settings.",
    ];
    LOOKUPS.iter().any(|l| lower.starts_with(l))
}

/// Keys that cloud and vendor documentation publish as examples.
pub fn is_documentation_example(value: &str) -> bool {
    const DOC_SIGNATURES: &[&str] = &[
        "AKIAIOSFODNN7EXAMPLE",
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        // The signature of the sample token shown on jwt.io.
        "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
    ];
    DOC_SIGNATURES.iter().any(|s| value.contains(s)) || value.contains("EXAMPLE")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_placeholders() {
        for v in [
            "changeme",
            "<your-key>",
            "${STRIPE_KEY}",
            "$API_TOKEN",
            "{{ api_key }}",
            "xxxxxxxxxxxxxxxx",
            "********",
            "your_api_key_here",
            "REPLACE_ME",
            "dummy",
            "example-token",
            "",
            "aaaaaaaaaaaa",
            "process.env.API_KEY",
            "os.environ[",
            "mypassword",
        ] {
            assert!(is_placeholder(v), "{v} should be a placeholder");
        }
    }

    #[test]
    fn real_looking_values_are_not_placeholders() {
        for v in [
            "q8Zr3xLp0vN2Tw9k",
            "Tr0ub4dor&3x",
            "c2VjcmV0LXZhbHVlLTk4NzY",
        ] {
            assert!(!is_placeholder(v), "{v} is not a placeholder");
        }
    }

    #[test]
    fn recognises_documentation_examples() {
        assert!(is_documentation_example("AKIAIOSFODNN7EXAMPLE"));
        assert!(is_documentation_example(
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
        ));
        assert!(!is_documentation_example("AKIA2E0A8F3B244C9986"));
    }
}
