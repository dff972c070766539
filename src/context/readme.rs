//! README.md: the app's name (first heading), what it does (first prose
//! paragraph after it) and the services it names, with their lines.

use super::services;
use crate::parse::markdown::{self, MdLine};

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReadmeFacts {
    pub name: Option<String>,
    pub summary: Option<String>,
    /// Service id, the word that named it, and the line.
    pub mentions: Vec<(&'static str, String, u32)>,
}

/// Longest summary kept; a README's first paragraph can be a wall of text.
const MAX_SUMMARY: usize = 600;

pub fn analyze(text: &str) -> ReadmeFacts {
    let lines = markdown::lines(text);
    let headings = markdown::headings(text);
    let first = headings.first();
    let name = first.map(|h| h.text.clone()).filter(|t| !t.is_empty());
    // Prose starts after the first heading (and its setext underline), or at the top.
    let start = match first {
        Some(h) => {
            let mut idx = h.line as usize;
            if let Some(next) = lines.get(idx) {
                let t = next.text.trim();
                if !t.is_empty() && (t.bytes().all(|b| b == b'=') || t.bytes().all(|b| b == b'-')) {
                    idx += 1;
                }
            }
            idx
        }
        None => 0,
    };
    let summary = first_paragraph(lines.get(start..).unwrap_or(&[]));
    let mut mentions = Vec::new();
    for line in &lines {
        for (id, word) in services::match_keywords(line.text) {
            mentions.push((id, word, line.number));
        }
    }
    ReadmeFacts {
        name,
        summary,
        mentions,
    }
}

fn is_skippable(t: &str) -> bool {
    t.is_empty()
        || t.starts_with("[![")
        || t.starts_with("![")
        || t.starts_with('<')
        || t.starts_with("[//]")
        || t.starts_with('|')
        || t.starts_with("---")
        || t.starts_with("***")
        || t.starts_with("===")
        || (t.starts_with('[') && t.contains("]: "))
}

fn first_paragraph(lines: &[MdLine<'_>]) -> Option<String> {
    let mut parts: Vec<String> = Vec::new();
    // A paragraph ending in `:` introduces a code block ("Run these commands:");
    // it is the summary only when no real one follows before the next heading.
    let mut lead_in: Option<String> = None;
    let mut in_html = false;
    for line in lines {
        let t = line.text.trim();
        if !line.in_code && t.starts_with("<!--") && !t.contains("-->") {
            in_html = true;
            continue;
        }
        if in_html {
            in_html = !t.contains("-->");
            continue;
        }
        let is_heading = !line.in_code && markdown::atx_heading(t).is_some();
        let is_list = t.starts_with("- ") || t.starts_with("* ") || t.starts_with("+ ");
        let ends_paragraph =
            line.in_code || is_heading || is_skippable(t) || is_list || t.starts_with('>');
        if !ends_paragraph {
            parts.push(markdown::plain(t));
            continue;
        }
        if parts.is_empty() {
            if is_heading && lead_in.is_some() {
                break;
            }
            continue;
        }
        let text = parts.join(" ");
        if !text.trim_end().ends_with(':') {
            break;
        }
        lead_in.get_or_insert_with(|| text.trim_end().trim_end_matches(':').to_string());
        parts.clear();
        if is_heading {
            break;
        }
    }
    if parts.is_empty() {
        if let Some(lead) = lead_in {
            parts.push(lead);
        }
    }
    let mut summary = parts.join(" ").trim().to_string();
    if summary.is_empty() {
        return None;
    }
    if summary.len() > MAX_SUMMARY {
        let cut = (0..=MAX_SUMMARY)
            .rev()
            .find(|i| summary.is_char_boundary(*i))
            .unwrap_or(0);
        summary.truncate(cut);
        summary.push('…');
    }
    Some(summary)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn name_summary_and_mentions() {
        let md = "[![ci](https://x/badge.svg)](https://x)\n\n# Ledgerd\n\n![logo](logo.png)\n<p align=center>hi</p>\n\nLedgerd keeps **books** for\nsmall shops.\n\nSecond paragraph about Stripe.\n\n## Stack\n\n- PostgreSQL 16\n- Redis\n";
        let f = analyze(md);
        assert_eq!(f.name.as_deref(), Some("Ledgerd"));
        assert_eq!(
            f.summary.as_deref(),
            Some("Ledgerd keeps books for small shops.")
        );
        let got: Vec<_> = f.mentions.iter().map(|(id, _, l)| (*id, *l)).collect();
        assert_eq!(got, [("stripe", 11), ("postgresql", 15), ("redis", 16)]);
    }

    #[test]
    fn a_lead_in_to_a_code_block_is_not_the_summary() {
        let md = "# infra\n\nInstall it with:\n\n```sh\ncargo install\n```\n\n`infra` keeps repos\nready.\n";
        assert_eq!(
            analyze(md).summary.as_deref(),
            Some("infra keeps repos ready.")
        );
        let md = "# x\n\nRun:\n\n```\nmake\n```\n\n## Usage\n\nLater text.\n";
        assert_eq!(analyze(md).summary.as_deref(), Some("Run"));
    }

    #[test]
    fn setext_title_and_no_prose() {
        let f = analyze("My App\n======\n\n```sh\nmake\n```\n");
        assert_eq!(f.name.as_deref(), Some("My App"));
        assert_eq!(f.summary, None);
    }

    #[test]
    fn empty_and_headingless() {
        assert_eq!(analyze(""), ReadmeFacts::default());
        let f = analyze("Just text here.\n");
        assert_eq!(f.name, None);
        assert_eq!(f.summary.as_deref(), Some("Just text here."));
    }
}
