//! Redaction: the only form in which a matched secret leaves the scanner —
//! a short prefix and the length, never more than four characters.

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
}
