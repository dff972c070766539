//! The little Markdown reading discovery needs: headings (ATX and setext)
//! outside code fences, and inline markup stripped to plain text.

pub(crate) mod sections;

use crate::source::text::re;
use regex::Regex;
use serde::Serialize;
use std::sync::LazyLock;

static LINK: LazyLock<Regex> = LazyLock::new(|| re(r"!?\[([^\]]*)\]\([^)]*\)"));
static EMPHASIS: LazyLock<Regex> = LazyLock::new(|| re(r"\*\*|__|`"));
static HTML_TAG: LazyLock<Regex> = LazyLock::new(|| re(r"</?[A-Za-z][^>]*>"));

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Heading {
    pub level: u8,
    pub text: String,
    pub line: u32,
}

/// One line with its 1-based number and whether it sits inside a code fence.
pub struct MdLine<'a> {
    pub number: u32,
    pub text: &'a str,
    pub in_code: bool,
}

/// Lines tagged with code-fence state (``` and ~~~ fences; the fence lines count as code).
pub fn lines(text: &str) -> Vec<MdLine<'_>> {
    let mut out = Vec::new();
    let mut fence: Option<&str> = None;
    for (i, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        let marker = if trimmed.starts_with("```") {
            Some("```")
        } else if trimmed.starts_with("~~~") {
            Some("~~~")
        } else {
            None
        };
        let in_code = match (fence, marker) {
            (None, Some(m)) => {
                fence = Some(m);
                true
            }
            (Some(f), Some(m)) if f == m => {
                fence = None;
                true
            }
            (Some(_), _) => true,
            (None, None) => false,
        };
        out.push(MdLine {
            number: i as u32 + 1,
            text: line,
            in_code,
        });
    }
    out
}

/// An ATX heading (`## Title ##`): level and text.
pub fn atx_heading(line: &str) -> Option<(u8, String)> {
    let indent = line.len() - line.trim_start_matches(' ').len();
    if indent > 3 {
        return None;
    }
    let t = line.trim_start();
    let hashes = t.bytes().take_while(|b| *b == b'#').count();
    if hashes == 0 || hashes > 6 {
        return None;
    }
    let rest = &t[hashes..];
    if !rest.is_empty() && !rest.starts_with([' ', '\t']) {
        return None;
    }
    let text = rest.trim().trim_end_matches('#').trim();
    Some((hashes as u8, plain(text)))
}

fn setext_level(line: &str) -> Option<u8> {
    let t = line.trim();
    if t.len() >= 2 && t.bytes().all(|b| b == b'=') {
        Some(1)
    } else if t.len() >= 2 && t.bytes().all(|b| b == b'-') {
        Some(2)
    } else {
        None
    }
}

fn is_paragraph_text(line: &str) -> bool {
    let t = line.trim();
    !(t.is_empty()
        || t.starts_with('#')
        || t.starts_with('>')
        || t.starts_with("- ")
        || t.starts_with("* ")
        || t.starts_with("+ ")
        || t.starts_with('|')
        || t.starts_with('<')
        || setext_level(t).is_some())
}

/// Every heading outside code fences, in order.
pub fn headings(text: &str) -> Vec<Heading> {
    let lines = lines(text);
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        if line.in_code {
            continue;
        }
        if let Some((level, text)) = atx_heading(line.text) {
            if !text.is_empty() {
                out.push(Heading {
                    level,
                    text,
                    line: line.number,
                });
            }
            continue;
        }
        // Setext: a paragraph line underlined by === or ---.
        if let Some(next) = lines.get(i + 1) {
            if !next.in_code && is_paragraph_text(line.text) {
                let previous_is_text =
                    i > 0 && !lines[i - 1].in_code && is_paragraph_text(lines[i - 1].text);
                if let (Some(level), false) = (setext_level(next.text), previous_is_text) {
                    out.push(Heading {
                        level,
                        text: plain(line.text.trim()),
                        line: line.number,
                    });
                }
            }
        }
    }
    out
}

/// Inline markup removed: links and images keep their text, emphasis and code ticks go.
pub fn plain(text: &str) -> String {
    let text = LINK.replace_all(text, "$1");
    let text = HTML_TAG.replace_all(&text, "");
    let text = EMPHASIS.replace_all(&text, "");
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atx_and_setext_headings_outside_code() {
        let md =
            "Title\n=====\n\ntext\n\n## Two ##\n```\n# not a heading\n```\nSub\n---\n#hashtag\n";
        let hs = headings(md);
        let got: Vec<_> = hs
            .iter()
            .map(|h| (h.level, h.text.as_str(), h.line))
            .collect();
        assert_eq!(got, [(1, "Title", 1), (2, "Two", 6), (2, "Sub", 10)]);
    }

    #[test]
    fn plain_strips_markup() {
        assert_eq!(
            plain("**Ledger** keeps [books](http://x) `fast` <b>now</b>"),
            "Ledger keeps books fast now"
        );
    }
}
