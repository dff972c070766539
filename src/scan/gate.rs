//! Cheap line tests that must hold before the generic name-based patterns'
//! regexes are worth running. A line holding `key` or `token` is common in
//! code (`const token = req.headers…`, `logger.info(token_id)`); most such
//! lines assign nothing to a secret-looking name, and these byte tests say so
//! for a fraction of a capture search's cost.
//!
//! Each gate is a *necessary* condition of its regex: when it says no, the
//! regex cannot match the line (property tests below hold it to that). On a
//! line with non-ASCII text every gate says yes, because the regexes' `(?i)`
//! folds a few non-ASCII letters into ASCII ones (`ſ` into `s`, the Kelvin
//! sign into `k`).

use super::patterns::Gate;

/// Whether a pattern with this gate can match `line` (no `\n`; a trailing
/// `\r` already cut).
pub fn admits(gate: Gate, line: &str) -> bool {
    if gate == Gate::None || !line.is_ascii() {
        return true;
    }
    let b = line.as_bytes();
    match gate {
        Gate::None => true,
        Gate::NameLine => {
            let rest = skip_ws(b, 0);
            let rest = if b.get(rest) == Some(&b'-') {
                skip_ws(b, rest + 1)
            } else {
                rest
            };
            b[rest..].starts_with(b"name:")
        }
        Gate::EnvArg => {
            let rest = &b[skip_ws(b, 0)..];
            rest.starts_with(b"ENV") || rest.starts_with(b"ARG")
        }
        Gate::Assignment => memchr::memchr2_iter(b':', b'=', b).any(|at| assignment_at(b, at)),
    }
}

/// Whitespace as the regexes' `\s` sees it, for ASCII bytes (this counts
/// the vertical tab, which `u8::is_ascii_whitespace` does not).
fn is_ws(c: u8) -> bool {
    char::from(c).is_whitespace()
}

fn skip_ws(b: &[u8], mut at: usize) -> usize {
    while b.get(at).copied().is_some_and(is_ws) {
        at += 1;
    }
    at
}

fn is_name_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b'-')
}

/// Can the assignment pattern match with its separator starting at `sep`?
/// Before it: a name holding a secret word, up to two of `"']`, spaces.
/// After it: spaces, an optional quote and a value of six or more bytes.
fn assignment_at(b: &[u8], sep: usize) -> bool {
    let mut end = sep;
    while end > 0 && is_ws(b[end - 1]) {
        end -= 1;
    }
    let mut quotes = 0;
    while quotes < 2 && end > 0 && matches!(b[end - 1], b'"' | b'\'' | b']') {
        end -= 1;
        quotes += 1;
    }
    let mut start = end;
    while start > 0 && is_name_byte(b[start - 1]) {
        start -= 1;
    }
    if !has_secret_core(&b[start..end]) {
        return false;
    }
    // `:=` and `=>` may also be read as `:` or `=` alone.
    let two = matches!(b.get(sep..sep + 2), Some(b":=" | b"=>"));
    value_follows(b, sep + 1) || (two && value_follows(b, sep + 2))
}

/// After a separator: `\s*["'`]?` then `[^\s"'`;,=][^\s"'`;,]{5,}`.
fn value_follows(b: &[u8], from: usize) -> bool {
    let at = skip_ws(b, from);
    let stop = |c: u8| is_ws(c) || matches!(c, b'"' | b'\'' | b'`' | b';' | b',');
    let run = |at: usize| -> bool {
        match b.get(at) {
            Some(&c) if !stop(c) && c != b'=' => {
                b[at + 1..]
                    .iter()
                    .take(5)
                    .take_while(|&&c| !stop(c))
                    .count()
                    == 5
            }
            _ => false,
        }
    };
    run(at) || (matches!(b.get(at), Some(b'"' | b'\'' | b'`')) && run(at + 1))
}

/// Does a name (ASCII) contain one of the secret-name regex's words, in any
/// case: `passw(or)?d`, `pwd`, `secret`, `token`, `credential`, or `key`
/// after `api`, `access`, `auth`, `private` or `signing` (with an optional
/// `_`, `.` or `-` between)?
fn has_secret_core(name: &[u8]) -> bool {
    let mut buf = [0u8; 256];
    let lower: &[u8] = if name.len() <= buf.len() {
        let out = &mut buf[..name.len()];
        out.copy_from_slice(name);
        out.make_ascii_lowercase();
        out
    } else {
        // Longer than any real name; the regex decides.
        return true;
    };
    let has = |w: &[u8]| memchr::memmem::find(lower, w).is_some();
    if has(b"passwd")
        || has(b"password")
        || has(b"pwd")
        || has(b"secret")
        || has(b"token")
        || has(b"credential")
    {
        return true;
    }
    memchr::memmem::find_iter(lower, b"key").any(|at| {
        let before = &lower[..at];
        let before = match before.last() {
            Some(b'_' | b'.' | b'-') => &before[..before.len() - 1],
            _ => before,
        };
        let direct = &lower[..at];
        [&b"api"[..], b"access", b"auth", b"private", b"signing"]
            .iter()
            .any(|w| before.ends_with(w) || direct.ends_with(w))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scan::patterns::SECRET_PATTERNS;
    use proptest::prelude::*;

    fn regex_of(gate: Gate) -> regex::Regex {
        let def = SECRET_PATTERNS
            .iter()
            .find(|d| d.gate == gate)
            .expect("a pattern uses every gate");
        regex::Regex::new(def.regex).unwrap()
    }

    /// Lines built from the pieces these patterns are made of, so random
    /// ones come close to matching often.
    fn piece() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("token".to_string()),
            Just("API_KEY".to_string()),
            Just("api.Key".to_string()),
            Just("signingkey".to_string()),
            Just("PassWord".to_string()),
            Just("passwd".to_string()),
            Just("Pwd".to_string()),
            Just("secret".to_string()),
            Just("credentials".to_string()),
            Just("monkey".to_string()),
            Just("name:".to_string()),
            Just("- ".to_string()),
            Just("ENV ".to_string()),
            Just("ARG".to_string()),
            Just("=".to_string()),
            Just(":".to_string()),
            Just(":=".to_string()),
            Just("=>".to_string()),
            Just("\"".to_string()),
            Just("'".to_string()),
            Just("`".to_string()),
            Just("]".to_string()),
            Just(" ".to_string()),
            Just("\t".to_string()),
            Just("\u{b}".to_string()),
            Just(";".to_string()),
            Just(",".to_string()),
            Just("/".to_string()),
            Just("s3cr3tVa1ue".to_string()),
            Just("abc".to_string()),
            Just("x".to_string()),
            Just("é".to_string()),
            Just("ſecret".to_string()),
            "[a-zA-Z0-9_.-]{1,8}",
        ]
    }

    fn line() -> impl Strategy<Value = String> {
        proptest::collection::vec(piece(), 0..12).prop_map(|v| v.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4000))]

        #[test]
        fn gates_never_reject_a_line_their_regex_matches(l in line()) {
            for gate in [Gate::NameLine, Gate::EnvArg, Gate::Assignment] {
                if regex_of(gate).is_match(&l) {
                    prop_assert!(admits(gate, &l), "{gate:?} rejected {l:?}");
                }
            }
        }
    }

    #[test]
    fn the_assignment_gate_rejects_lines_without_an_assignment() {
        let g = Gate::Assignment;
        for l in [
            r#"logger.info("%s done", token_index)"#,
            r#"  Rails.logger.info("token_worker #{token_worker}")"#,
            "Set `USER_TOKEN` in your environment before running.",
            "monkey = banana_split",
            "token = abc",
            "api_key: \"short\"",
        ] {
            assert!(!admits(g, l), "{l:?}");
            assert!(!regex_of(g).is_match(l), "{l:?}");
        }
        for l in [
            "API_KEY=abcdef123",
            "password: \"hunter22\"",
            "  token := os.Getenv(\"X\")",
            "'signing.key' => 'abcdefgh'",
        ] {
            assert!(admits(g, l), "{l:?}");
            assert!(regex_of(g).is_match(l), "{l:?}");
        }
    }

    #[test]
    fn the_line_gates_read_the_start_of_the_line() {
        assert!(admits(Gate::NameLine, "  - name: DB_PASSWORD"));
        assert!(admits(Gate::NameLine, "name: X"));
        assert!(!admits(Gate::NameLine, "  env_name: DB_PASSWORD"));
        assert!(admits(Gate::EnvArg, "ENV DB_PASSWORD s3cret99"));
        assert!(!admits(Gate::EnvArg, "RUN export TOKEN=x"));
        // Non-ASCII text is left to the regex.
        assert!(admits(Gate::EnvArg, "é"));
    }
}

/// The groups of one match of the generic assignment pattern, as byte
/// ranges of the line: `name`, the opening quote `q` (maybe empty) and the
/// value `s`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AssignmentSpans {
    pub name: (usize, usize),
    pub q: (usize, usize),
    pub s: (usize, usize),
}

/// Reads the groups of an assignment-pattern match spanning `start..end`
/// of an ASCII `line` by hand, as the regex would have set them: a capture
/// search costs a backtracking run per match, and on code that names
/// tokens the generic pattern matches often. `None` when the match is not
/// in the expected shape; the caller then asks the regex.
pub fn assignment_spans(line: &str, start: usize, end: usize) -> Option<AssignmentSpans> {
    let b = line.as_bytes();
    if !line.is_ascii() || end > b.len() || start >= end {
        return None;
    }
    let mut at = start;
    while at < end && is_name_byte(b[at]) {
        at += 1;
    }
    let name = (start, at);
    let mut quotes = 0;
    while quotes < 2 && at < end && matches!(b[at], b'"' | b'\'' | b']') {
        at += 1;
        quotes += 1;
    }
    at = skip_ws(b, at);
    let two = matches!(b.get(at..at + 2), Some(b":=" | b"=>"));
    if !matches!(b.get(at), Some(b':' | b'=')) {
        return None;
    }
    // The regex tries `:=` and `=>` before `:` and `=`.
    let seps: &[usize] = if two { &[2, 1] } else { &[1] };
    seps.iter().find_map(|&len| {
        let v = skip_ws(b, at + len);
        let (q, s) = match b.get(v) {
            Some(b'"' | b'\'' | b'`') => ((v, v + 1), v + 1),
            _ => ((v, v), v),
        };
        let value = b.get(s..end)?;
        let stop = |c: &u8| is_ws(*c) || matches!(c, b'"' | b'\'' | b'`' | b';' | b',');
        let ok = value.len() >= 6 && value[0] != b'=' && !value.iter().any(stop);
        // The value runs to the match's end only if the next byte stops it.
        let ends = b.get(end).is_none_or(stop);
        (ok && ends).then_some(AssignmentSpans {
            name,
            q,
            s: (s, end),
        })
    })
}

#[cfg(test)]
mod spans_tests {
    use super::*;
    use crate::scan::patterns::SECRET_PATTERNS;
    use proptest::prelude::*;

    fn assignment_regex() -> regex::Regex {
        let def = SECRET_PATTERNS
            .iter()
            .find(|d| d.gate == Gate::Assignment)
            .expect("the assignment pattern");
        regex::Regex::new(def.regex).unwrap()
    }

    fn piece() -> impl Strategy<Value = &'static str> {
        prop::sample::select(vec![
            "token",
            "API_KEY",
            "db.password",
            "x",
            "=",
            ":",
            ":=",
            "=>",
            "==",
            "\"",
            "'",
            "`",
            "]",
            " ",
            "\t",
            "\u{b}",
            ";",
            ",",
            "/",
            ">",
            "abcdef",
            "s3cr3tValue",
            "$",
            "{",
            "&",
        ])
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(6000))]

        /// Wherever the hand reading answers, it agrees with the regex's
        /// own capture groups.
        #[test]
        fn hand_read_groups_equal_the_regex_groups(parts in prop::collection::vec(piece(), 0..14)) {
            let line = parts.concat();
            let re = assignment_regex();
            for caps in re.captures_iter(&line) {
                let whole = caps.get(0).unwrap();
                let span = |n: &str| caps.name(n).map(|m| (m.start(), m.end())).unwrap();
                let got = assignment_spans(&line, whole.start(), whole.end());
                prop_assert_eq!(
                    got,
                    Some(AssignmentSpans { name: span("name"), q: span("q"), s: span("s") }),
                    "{:?}", line
                );
            }
        }
    }

    #[test]
    fn the_hand_reading_covers_the_separators() {
        let line = r#"api_key=>"abcdefgh""#;
        let caps = assignment_regex().captures(line).unwrap();
        let m = caps.get(0).unwrap();
        let s = assignment_spans(line, m.start(), m.end()).unwrap();
        assert_eq!(&line[s.name.0..s.name.1], "api_key");
        assert_eq!(&line[s.q.0..s.q.1], "\"");
        assert_eq!(&line[s.s.0..s.s.1], "abcdefgh");
        // `=>` read as `=` when only `>…` makes a value.
        let line = "token=>abcde";
        let caps = assignment_regex().captures(line).unwrap();
        let m = caps.get(0).unwrap();
        let s = assignment_spans(line, m.start(), m.end()).unwrap();
        assert_eq!(&line[s.s.0..s.s.1], ">abcde");
        // Non-ASCII lines are left to the regex.
        assert_eq!(assignment_spans("tökén=abcdefgh", 0, 5), None);
    }
}
