//! Shared helpers for the analyzers: compiling literal regexes, and turning
//! byte offsets into 1-based line and column numbers.

use regex::Regex;

/// Compile a regex written as a literal in this crate. A bad literal is a bug
/// that the unit tests catch on first use, never a property of the input.
#[allow(clippy::expect_used)]
pub fn re(pattern: &str) -> Regex {
    Regex::new(pattern).expect("literal regex compiles")
}

/// `pattern` with its word-boundary assertions (`\b`, `\B`, `\b{...}`)
/// removed outside character classes. An assertion only rules matches out, so
/// the result matches wherever `pattern` does (and maybe more): a prefilter.
/// Why: a Unicode `\b` makes the regex crate's lazy DFA give up at the first
/// non-ASCII byte and fall back to the PikeVM, which is ~50x slower on a
/// `RegexSet`; without assertions the DFA runs on any text.
pub fn without_word_boundaries(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len());
    let mut chars = pattern.chars().peekable();
    // Nesting depth of character classes (`[a[b]]`, `[[:alpha:]]`).
    let mut class = 0usize;
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                let Some(next) = chars.next() else {
                    out.push(c);
                    break;
                };
                if class == 0 && matches!(next, 'b' | 'B') {
                    if chars.peek() == Some(&'{') {
                        for c in chars.by_ref() {
                            if c == '}' {
                                break;
                            }
                        }
                    }
                    continue;
                }
                out.push(c);
                out.push(next);
            }
            '[' => {
                class += 1;
                out.push(c);
                // A `]` right after `[` or `[^` is a literal.
                if chars.peek() == Some(&'^') {
                    out.extend(chars.next());
                }
                if chars.peek() == Some(&']') {
                    out.extend(chars.next());
                }
            }
            ']' if class > 0 => {
                class -= 1;
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

/// Byte offsets of line starts, for offset → (line, column) lookups.
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        LineIndex { starts }
    }

    /// 1-based line and column (columns count characters, not bytes).
    pub fn position(&self, text: &str, offset: usize) -> (u32, u32) {
        let line = match self.starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        };
        let start = self.starts.get(line).copied().unwrap_or(0);
        let column = text
            .get(start..offset.min(text.len()))
            .map(|s| s.chars().count())
            .unwrap_or(0);
        (line as u32 + 1, column as u32 + 1)
    }

    pub fn line(&self, offset: usize) -> u32 {
        match self.starts.binary_search(&offset) {
            Ok(i) => i as u32 + 1,
            Err(i) => i as u32,
        }
    }
}

/// `path`, relative to the folder `dir` (both relative to the repository
/// root), as a root-relative path with `.` and `..` resolved; `None` for an
/// absolute, home or drive path and for one that climbs above the root.
pub fn join_relative(dir: &str, path: &str) -> Option<String> {
    let path = path.trim();
    if path.starts_with('/')
        || path.starts_with('~')
        || path.starts_with('\\')
        || path.get(1..3).is_some_and(|p| p == ":\\" || p == ":/")
    {
        return None;
    }
    let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    for part in path.split(['/', '\\']) {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

/// Final path component.
pub fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// Folder part of a path (`""` for a root file).
pub fn parent(path: &str) -> &str {
    path.rsplit_once('/').map(|(d, _)| d).unwrap_or("")
}

/// Extension of a file name, lowercased, without the dot.
pub fn extension(name: &str) -> String {
    match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => ext.to_ascii_lowercase(),
        _ => String::new(),
    }
}

/// Repeatable pseudo-random texts over `alphabet` (up to 199 characters
/// each), for the never-panics tests of every text parser.
#[cfg(test)]
pub(crate) fn random_texts(alphabet: &[char], count: usize) -> Vec<String> {
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    (0..count)
        .map(|_| {
            let len = (seed % 200) as usize;
            (0..len)
                .map(|_| {
                    seed = seed
                        .wrapping_mul(6_364_136_223_846_793_005)
                        .wrapping_add(1_442_695_040_888_963_407);
                    alphabet[(seed >> 33) as usize % alphabet.len()]
                })
                .collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions() {
        let text = "ab\ncdé\nx";
        let idx = LineIndex::new(text);
        assert_eq!(idx.position(text, 0), (1, 1));
        assert_eq!(idx.position(text, 3), (2, 1));
        assert_eq!(idx.position(text, 7), (2, 4));
        assert_eq!(idx.position(text, 8), (3, 1));
        assert_eq!(idx.line(4), 2);
    }

    #[test]
    fn word_boundaries_removed_outside_classes() {
        let w = without_word_boundaries;
        assert_eq!(w(r"\b(ghp_[A-Za-z0-9]{36})\b"), r"(ghp_[A-Za-z0-9]{36})");
        assert_eq!(w(r"(?i)\bDo\(\s*\B"), r"(?i)Do\(\s*");
        assert_eq!(w(r"\b{start}x\b{end}"), "x");
        assert_eq!(w(r"\\b[\b\]]\d"), r"\\b[\b\]]\d");
        assert_eq!(w(r"[]\b]\b[^]]\b"), r"[]\b][^]]");
        assert_eq!(w(r"[[:alpha:]\b]\bx"), r"[[:alpha:]\b]x");
    }

    #[test]
    fn path_parts() {
        assert_eq!(file_name("a/b/c.yml"), "c.yml");
        assert_eq!(parent("a/b/c.yml"), "a/b");
        assert_eq!(parent("c.yml"), "");
        assert_eq!(extension("c.YML"), "yml");
        assert_eq!(extension(".env"), "");
    }
}
