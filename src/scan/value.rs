//! What an assigned value *is*, read from the value alone: an identifier, a
//! type reference, a path, an image or package coordinate, a regex, prose,
//! committed ciphertext — none of them a secret — or a weak password, a
//! well-known default credential, or an encoded blob worth decoding.

/// Whether `value` (already trimmed of closing brackets) is something other
/// than a secret, whatever name it is assigned to.
pub fn is_not_a_secret(value: &str) -> bool {
    let v = value.trim();
    if v.is_empty() {
        return true;
    }
    is_ciphertext(v)
        || is_format_placeholder(v)
        || is_regex(v)
        || is_path(v)
        || is_coordinate(v)
        || is_version(v)
        || is_wordy(strip_sigils(v))
        || names_itself(v)
        || is_sequence_filler(v)
        || is_public_identifier(v)
}

/// Names that are public by design: a CPE (`cpe:2.3:a:vendor:product:…`,
/// as SBOMs list them) or a 20-byte Ethereum address (`0x` and 40 hex
/// digits; a private key is 32 bytes, 64 digits).
fn is_public_identifier(v: &str) -> bool {
    let v = v.trim_matches(['"', '\'']);
    if v.starts_with("cpe:2.3:") || v.starts_with("cpe:/") {
        return true;
    }
    v.strip_prefix("0x")
        .is_some_and(|h| h.len() == 40 && h.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// A lower-case identifier that says what it stands in for:
/// `encrypted_token_1`, `test-api-key-2`. A key nobody generated.
fn names_itself(v: &str) -> bool {
    const STANDS_FOR: &[&str] = &[
        "token",
        "key",
        "secret",
        "password",
        "pass",
        "pwd",
        "apikey",
        "credential",
        "credentials",
    ];
    let parts: Vec<&str> = v.split(['_', '-']).collect();
    let words = parts
        .iter()
        .filter(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_lowercase()))
        .count();
    parts.len() >= 2
        && words >= 2
        && parts.iter().all(|p| {
            !p.is_empty()
                && (p.chars().all(|c| c.is_ascii_lowercase())
                    || p.chars().all(|c| c.is_ascii_digit()))
        })
        && parts.iter().any(|p| STANDS_FOR.contains(p))
}

/// Letters and digits counted up in turn: `a1B2c3D4e5F6`, `1a2b3c4d`.
fn is_sequence_filler(v: &str) -> bool {
    let chars: Vec<char> = v.chars().collect();
    if chars.len() < 6 || !chars.iter().all(char::is_ascii_alphanumeric) {
        return false;
    }
    let letters: Vec<u8> = chars
        .iter()
        .filter(|c| c.is_ascii_alphabetic())
        .map(|c| c.to_ascii_lowercase() as u8)
        .collect();
    let digits: Vec<u8> = chars
        .iter()
        .filter(|c| c.is_ascii_digit())
        .map(|&c| c as u8)
        .collect();
    let alternating = chars
        .windows(2)
        .all(|w| w[0].is_ascii_digit() != w[1].is_ascii_digit());
    let counts_up = |xs: &[u8]| xs.windows(2).all(|w| w[1] == w[0] + 1);
    alternating && letters.len() >= 3 && counts_up(&letters) && counts_up(&digits)
}

/// A readable phrase written as one word, `SecretKeyOfDoomThatMustBeLong`:
/// wordy, but someone typed it as a key and an app signs with it.
pub fn is_phrase_key(v: &str) -> bool {
    v.chars().count() >= 24
        && v.chars().all(|c| c.is_ascii_alphanumeric())
        && v.starts_with(|c: char| c.is_ascii_uppercase())
        && words_of(v).len() >= 5
}

/// `#Type`, `:symbol`, `!tag`, `&anchor`, `*alias`, `+expr`: the sigil says
/// what follows is a name.
fn strip_sigils(v: &str) -> &str {
    // A trailing `:` makes the "value" a YAML key of its own
    // (`tb:secrets:PulumiSecretsManager:`), read as the words it is.
    v.trim_start_matches(['#', ':', '!', '&', '*', '+', '@', '%'])
        .trim_end_matches(':')
}

/// Ciphertext meant to be committed: SOPS values and Ansible Vault blocks.
/// (SealedSecret `encryptedData` is recognised by its file; see the scanner.)
pub fn is_ciphertext(v: &str) -> bool {
    v.starts_with("ENC[") || v.starts_with("$ANSIBLE_VAULT;")
}

/// `{x}`, `{password_hash}`, `%s`, `%(x)s`, `%1$s`, `:name` style fillers.
fn is_format_placeholder(v: &str) -> bool {
    // `{x}`, `{password_hash}` (the closing brace may be trimmed off).
    if let Some(inner) = v.strip_prefix('{') {
        let inner = inner.strip_suffix('}').unwrap_or(inner);
        if inner
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '.' | '-' | ' ' | ':'))
        {
            return true;
        }
    }
    if let Some(rest) = v.strip_prefix('%') {
        let rest = rest.trim_start_matches(|c: char| c.is_ascii_digit() || c == '$' || c == '-');
        return rest.len() <= 2;
    }
    v.contains("#{") || v.contains("%{")
}

/// A regex or sed expression: character classes with ranges, quantifiers,
/// anchors and escapes.
fn is_regex(v: &str) -> bool {
    const MARKS: &[&str] = &[
        "[a-", "[A-", "[0-", "[^", ".*", ".+", "\\d", "\\w", "\\s", "\\.", "(?", "$/", "^(", "]{",
        "]+", "]*",
    ];
    MARKS.iter().any(|m| v.contains(m))
}

/// A file path or a slash-separated name (`.deploystack/creds.json`,
/// `secret/data/app`, `active_storage/disk#update`).
fn is_path(v: &str) -> bool {
    let has_ext = |seg: &str| {
        seg.rsplit_once('.').is_some_and(|(stem, ext)| {
            !stem.is_empty()
                && (1..=5).contains(&ext.len())
                && ext.chars().all(|c| c.is_ascii_alphanumeric())
                && ext.chars().any(|c| c.is_ascii_alphabetic())
        })
    };
    let segs: Vec<&str> = v.split(['/', '\\']).filter(|s| !s.is_empty()).collect();
    if segs.len() < 2 {
        // A bare file name: `creds.json`, `server.key`.
        return segs.len() == 1 && !v.contains(['/', '\\']) && has_ext(v) && is_wordy(stem(v));
    }
    segs.iter().all(|s| {
        let s = s.trim_start_matches('.');
        s.is_empty() || is_wordy(s) || (has_ext(s) && is_wordy(stem(s)))
    })
}

fn stem(v: &str) -> &str {
    v.rsplit_once('.').map_or(v, |(s, _)| s)
}

/// An image or package coordinate: `ghcr.io/acme/app:1.13.5-alpine`,
/// `org.acme:secret-store:2.1.0`.
fn is_coordinate(v: &str) -> bool {
    let parts: Vec<&str> = v.split(':').collect();
    if parts.len() < 2 || parts.iter().any(|p| p.is_empty()) {
        return false;
    }
    let Some((last, head)) = parts.split_last() else {
        return false;
    };
    head.iter().all(|p| is_path(p) || is_wordy(p)) && (is_version(last) || is_wordy(last))
}

/// `1.13.5`, `v2.0.0-rc.1`, `16-alpine`.
fn is_version(v: &str) -> bool {
    let v = v.strip_prefix('v').unwrap_or(v);
    let mut parts = v.splitn(2, ['-', '+']);
    let core = parts.next().unwrap_or("");
    let tail = parts.next().unwrap_or("");
    !core.is_empty()
        && core
            .split('.')
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
        && (tail.is_empty()
            || tail
                .split(['.', '-'])
                .all(|p| is_wordy(p) || p.chars().all(|c| c.is_ascii_digit())))
}

/// Words and identifiers made of words: `ChangePassword`, `requirementType`,
/// `__RequestVerificationToken`, `Berechtigungs-Code`, `Nie (optional)`.
/// Random letters are not: a word has a vowel within every five letters, and
/// mixes case only as `Word`, `word` or `ACRONYM`.
pub fn is_wordy(v: &str) -> bool {
    if v.is_empty() || !v.chars().any(char::is_alphabetic) {
        return false;
    }
    if !v.chars().all(|c| {
        c.is_alphabetic()
            || is_combining(c)
            || matches!(c, '_' | '-' | '.' | ' ' | '(' | ')' | '\'' | '?' | '!')
    }) {
        return false;
    }
    let mut letters = 0usize;
    let mut words = 0usize;
    for word in words_of(v) {
        words += 1;
        letters += word.chars().count();
        // `Omschrijving` has five in a row; random letters have more.
        if consonant_run(&word) > 5 {
            return false;
        }
    }
    // `aBcDeF…` splits into one- and two-letter words: random, not a name
    // (words average at least two and a half letters).
    words > 0 && 2 * letters >= 5 * words
}

/// Splits at separators and case changes: `sqlAdminAPIKey` → sql, Admin, API, Key.
fn words_of(v: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let chars: Vec<char> = v.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if is_combining(c) {
            continue;
        }
        if !c.is_alphabetic() {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            continue;
        }
        let prev = i.checked_sub(1).and_then(|j| chars.get(j)).copied();
        let next = chars.get(i + 1).copied();
        let boundary = c.is_uppercase()
            && prev.is_some_and(|p| {
                p.is_lowercase() || (p.is_uppercase() && next.is_some_and(char::is_lowercase))
            });
        if boundary && !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
        cur.push(c);
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// Combining diacritics (`i̍`), part of the letter before them.
fn is_combining(c: char) -> bool {
    ('\u{0300}'..='\u{036F}').contains(&c)
}

fn consonant_run(word: &str) -> usize {
    let mut run = 0;
    let mut best = 0;
    for c in word.chars() {
        let vowel =
            !c.is_ascii() || matches!(c.to_ascii_lowercase(), 'a' | 'e' | 'i' | 'o' | 'u' | 'y');
        if vowel {
            run = 0;
        } else {
            run += 1;
            best = best.max(run);
        }
    }
    best
}

/// Names that hold a password (not a token or key): weak values count there.
pub fn is_password_name(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    n.contains("passw") || n.contains("pwd") || n.contains("passphrase")
}

/// A hard-coded password a person chose: `Aa12345678`, `welcome123`,
/// `P@ssw0rd`. Letters with digits or symbols, not a word or a filler.
pub fn is_weak_password(v: &str) -> bool {
    let len = v.chars().count();
    if !(6..=64).contains(&len) || v.contains(char::is_whitespace) {
        return false;
    }
    let letters = v.chars().any(|c| c.is_ascii_alphabetic());
    let digits = v.chars().any(|c| c.is_ascii_digit());
    let symbols = v.chars().any(|c| c.is_ascii_punctuation());
    letters && (digits || symbols) && !v.chars().all(|c| c.is_ascii_alphabetic() || c == '_')
}

/// Passwords that ship as defaults: reported one level lower, never dropped.
const DEFAULT_PASSWORDS: &[&str] = &[
    "postgres",
    "root",
    "admin",
    "guest",
    "password",
    "secret",
    "pass",
    "mysql",
    "redis",
    "rabbitmq",
    "sa",
    "test",
    "changeit",
    "letmein",
    "123456",
    "12345678",
    "toor",
    "oracle",
    "mongo",
    "mongodb",
    "elastic",
    "minio",
    "minioadmin",
    "user",
    "default",
];

/// `postgres:postgres`, `root:root`, `sa`/`password`: the pair a default
/// install ships with, or a password equal to its user.
/// A user and password that are both generic words (`user:pass`,
/// `baduser:badpass`, `username:password`): a documentation or test
/// placeholder, not anyone's credential.
/// Text before a value that presents it as a made-up example:
/// `Example: DATABASE_URL=…`, `e.g. postgres://…`.
pub fn introduced_as_example(before: &str) -> bool {
    let b = before.to_ascii_lowercase();
    b.contains("example:") || b.contains("e.g.") || b.contains("for example")
}

pub fn is_generic_url_credential(user: &str, password: &str) -> bool {
    let u = user.to_ascii_lowercase();
    let p = password.to_ascii_lowercase();
    let generic_user = matches!(
        u.as_str(),
        "user" | "username" | "usr" | "login" | "name" | "me"
    ) || (u.ends_with("user") && u.len() <= 10);
    // `user:password` stays a well-known default (reported one level
    // lower); the short `pass` forms are what examples write.
    let generic_password =
        matches!(p.as_str(), "pass" | "pwd" | "pw") || (p.ends_with("pass") && p.len() <= 10);
    generic_user && generic_password
}

pub fn is_default_credential(user: &str, password: &str) -> bool {
    let p = password.to_ascii_lowercase();
    (!user.is_empty() && p == user.to_ascii_lowercase()) || DEFAULT_PASSWORDS.contains(&p.as_str())
}

/// Most bytes of an encoded value the scanner decodes.
pub const MAX_DECODED: usize = 8 * 1024;

/// Decodes standard or URL-safe base64 (padding optional), at most
/// [`MAX_DECODED`] bytes out; `None` when `v` is not base64.
pub fn decode_base64(v: &str) -> Option<Vec<u8>> {
    let v = v.trim_end_matches('=');
    if v.len() < 16 || v.len() / 4 * 3 > MAX_DECODED {
        return None;
    }
    let mut out = Vec::with_capacity(v.len() / 4 * 3 + 3);
    let mut acc = 0u32;
    let mut bits = 0u32;
    for b in v.bytes() {
        let d = match b {
            b'A'..=b'Z' => b - b'A',
            b'a'..=b'z' => b - b'a' + 26,
            b'0'..=b'9' => b - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(d);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push(((acc >> bits) & 0xff) as u8);
        }
    }
    Some(out)
}

/// Decodes an even-length hex string, at most [`MAX_DECODED`] bytes out.
pub fn decode_hex(v: &str) -> Option<Vec<u8>> {
    if v.len() < 16 || !v.len().is_multiple_of(2) || v.len() / 2 > MAX_DECODED {
        return None;
    }
    let nib = |b: u8| match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    };
    v.as_bytes()
        .chunks(2)
        .map(|p| Some(nib(p[0])? << 4 | nib(p[1])?))
        .collect()
}

/// The decoded text of a base64 or hex value, when it is printable text
/// (a wrapped token or key); random bytes are not text.
pub fn decoded_text(v: &str) -> Option<String> {
    let bytes = decode_hex(v).or_else(|| decode_base64(v))?;
    let text = String::from_utf8(bytes).ok()?;
    text.chars()
        .all(|c| !c.is_control() || c == '\n' || c == '\r' || c == '\t')
        .then_some(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_yaml_key_read_as_a_value_is_its_words() {
        assert!(is_not_a_secret("PulumiSecretsManager:"));
        assert!(!is_not_a_secret("Zx81kLmq0PqrStuvWq9:"));
    }

    #[test]
    fn sbom_cpes_and_ethereum_addresses_are_public() {
        for v in [
            "cpe:2.3:a:expressjs:express:4.17.1:*:*:*:*:*:*:*",
            "\"cpe:/a:vendor:product:1.0\"",
            "0x0f3e5a1B7c2D9e4F8a6b3C1d5E7f9A2b4C6d8E0f",
        ] {
            assert!(is_not_a_secret(v), "{v}");
        }
        // 32 bytes of hex is a private key's size, not an address's.
        assert!(!is_public_identifier(&format!("0x{}", "ab".repeat(32))));
    }

    #[test]
    fn generic_url_credentials_are_placeholders() {
        for (u, p) in [
            ("user", "pass"),
            ("baduser", "badpass"),
            ("cacheuser", "cachepass"),
            ("username", "pass"),
        ] {
            assert!(is_generic_url_credential(u, p), "{u}:{p}");
        }
        for (u, p) in [
            ("lemmy", "password"),
            ("user", "password"),
            ("user", "s3cr3t"),
            ("postgres", "postgres"),
            ("admin", "pass"),
        ] {
            assert!(!is_generic_url_credential(u, p), "{u}:{p}");
        }
    }

    #[test]
    fn values_that_name_themselves_or_count_up_are_fillers() {
        for v in ["encrypted_token_1", "test-api-key-2", "my_secret_token"] {
            assert!(names_itself(v), "{v}");
        }
        // One word, or no word saying what it stands for: not this check's.
        for v in ["token_1", "hunter_2", "blue_river_7", "Encrypted_Token_1"] {
            assert!(!names_itself(v), "{v}");
        }
        for v in ["a1B2c3D4e5F6", "1a2b3c4d", "a1b2c3"] {
            assert!(is_sequence_filler(v), "{v}");
        }
        for v in ["a1b3c2d4", "x7Q2m9", "abc123", "a1b2"] {
            assert!(!is_sequence_filler(v), "{v}");
        }
    }

    #[test]
    fn phrase_keys_and_example_introductions() {
        assert!(is_phrase_key("SigningKeyForTheOrdersApiThatIsLong"));
        // Too few words, too short, or not one word.
        assert!(!is_phrase_key("ChangePasswordForm"));
        assert!(!is_phrase_key("MySecretKey"));
        assert!(!is_phrase_key(
            "Signing key for the orders api that is long"
        ));
        assert!(introduced_as_example(
            "console.error('Example: DATABASE_URL="
        ));
        assert!(introduced_as_example("# e.g. "));
        assert!(!introduced_as_example("DATABASE_URL="));
    }

    #[test]
    fn names_prose_and_references_are_not_secrets() {
        for v in [
            "ChangePassword",
            "sqlAdminPassword",
            "__RequestVerificationToken",
            "requirementType",
            "#SecretType",
            ":unprocessable_entity",
            "Berechtigungs-Code",
            "API-Schlüssel",
            "Adgangskode",
            "Omschrijving",
            "Bi\u{30d}t-b\u{e9}",
            "New-Object",
            "{password_hash}",
            "%s",
            "%(password)s",
            "base_#{suffix}",
            "([a-zA-Z0-9-_.]{64})",
            ".*$/name",
            ".deploystack/creds.json",
            "relay/credentials.json",
            "secret/data/payments/api",
            "ghcr.io/acme/secrets-operator:1.13.5-alpine",
            "org.acme:secret-store:2.1.0",
            "1.13.5-alpine",
            "ENC[AES256_GCM,data:abc,iv:def,type:str]",
            "$ANSIBLE_VAULT;1.1;AES256",
            "AuthKeyOfDoomThatMustBeLong",
        ] {
            assert!(is_not_a_secret(v), "{v} should not be a secret");
        }
    }

    #[test]
    fn random_values_are_kept() {
        for v in [
            "q8Zr3xLp0vN2Tw9k",
            "tbsyuSVKtZJZELYTmShPRsvBCkDWgL",
            "Tr0ub4dor&3x",
            "c2VjcmV0LXZhbHVlLTk4NzY",
            "Zq8r/3xLp+0vN2Tw9kQm4Yb7",
            "hunter22x",
        ] {
            assert!(!is_not_a_secret(v), "{v} looks like a secret");
        }
    }

    #[test]
    fn weak_passwords_and_defaults() {
        for v in ["Aa12345678", "welcome123", "P@ssw0rd", "Password1!"] {
            assert!(is_weak_password(v), "{v}");
        }
        for v in ["Passwort", "abc", "my password"] {
            assert!(!is_weak_password(v), "{v}");
        }
        assert!(is_default_credential("postgres", "postgres"));
        assert!(is_default_credential("sa", "password"));
        assert!(is_default_credential("app", "app"));
        assert!(!is_default_credential("app", "q8Zr3xLp0vN2"));
    }

    #[test]
    fn decodes_bounded_base64_and_hex() {
        assert_eq!(
            decoded_text("aGVsbG8gd29ybGQgaGVsbG8=").as_deref(),
            Some("hello world hello")
        );
        assert_eq!(
            decoded_text("68656c6c6f20776f726c6421").as_deref(),
            Some("hello world!")
        );
        assert!(decoded_text("not base64 at all!").is_none());
        assert!(decode_base64(&"A".repeat(MAX_DECODED * 2)).is_none());
        // Random bytes are not text.
        assert!(decoded_text("3q2+7wABAgMEBQYHCAkKCwwNDg8Q").is_none());
    }
}
