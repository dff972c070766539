//! Suppression: inline `infra: ignore[<rule-id>] reason` comments (any comment
//! syntax, on the finding's line or the line above), `[[audit.ignore]]`
//! entries in infra.toml (rule, path globs, reason). Baselines live in
//! `baseline.rs`. Ignores without a reason, for unknown rules, or that match
//! nothing are reported rather than silently accepted.

use super::finding::{Finding, Suppression, SuppressionKind};
use crate::model::Location;
use globset::{Glob, GlobSet, GlobSetBuilder};
use regex::Regex;
use std::sync::LazyLock;

/// One `infra: ignore[…]` comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InlineIgnore {
    pub location: Location,
    pub rules: Vec<String>,
    /// `None` when the comment gives no reason (then it does not suppress).
    pub reason: Option<String>,
}

static INLINE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    // A comment opener, then (anywhere later on the line) the directive.
    Regex::new(r"(?:#|//|<!--|--|;|/\*|\{#)[^\n]*?\binfra:\s*ignore\[([a-z0-9][a-z0-9-]*(?:\s*,\s*[a-z0-9][a-z0-9-]*)*)\]([^\n]*)").ok()
});

static INLINE_MARKDOWN: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r"<!--[^\n]*?\binfra:\s*ignore\[([a-z0-9][a-z0-9-]*(?:\s*,\s*[a-z0-9][a-z0-9-]*)*)\]([^\n]*)").ok()
});

/// Find the inline ignores in one file's text. In Markdown only HTML
/// comments count (`#` starts a heading there), and code blocks are skipped,
/// so documentation can show the syntax without it taking effect.
pub fn parse_inline(path: &str, text: &str) -> Vec<InlineIgnore> {
    let lower = path.to_ascii_lowercase();
    let markdown = lower.ends_with(".md") || lower.ends_with(".markdown");
    let Some(re) = (if markdown {
        INLINE_MARKDOWN.as_ref()
    } else {
        INLINE.as_ref()
    }) else {
        return Vec::new();
    };
    if !text.contains("infra:") {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut in_fence = false;
    for (i, line) in text.lines().enumerate() {
        if markdown {
            let t = line.trim_start();
            if t.starts_with("```") || t.starts_with("~~~") {
                in_fence = !in_fence;
                continue;
            }
            if in_fence {
                continue;
            }
        }
        if !line.contains("infra:") {
            continue;
        }
        let Some(c) = re.captures(line) else {
            continue;
        };
        let rules: Vec<String> = c[1]
            .split(',')
            .map(|r| r.trim().to_string())
            .filter(|r| !r.is_empty())
            .collect();
        let mut reason = c[2].trim();
        for close in ["-->", "*/", "#}"] {
            reason = reason.strip_suffix(close).unwrap_or(reason).trim();
        }
        let reason = reason.trim_start_matches([':', '-', '—', '–']).trim();
        let column = c
            .get(0)
            .map_or(1, |m| line[..m.start()].chars().count() as u32 + 1);
        out.push(InlineIgnore {
            location: Location::new(path, i as u32 + 1, column),
            rules,
            reason: (!reason.is_empty()).then(|| reason.to_string()),
        });
    }
    out
}

impl InlineIgnore {
    /// Same file, the rule listed, and on the finding's line or the line
    /// above. A whole-file finding (line 0) is covered by an ignore anywhere
    /// in that file.
    pub fn covers(&self, f: &Finding) -> bool {
        self.location.path == f.location.path
            && self.rules.iter().any(|r| r == f.rule)
            && (f.location.line == 0
                || f.location.line == self.location.line
                || f.location.line == self.location.line + 1)
    }
}

/// A validated `[[audit.ignore]]` entry.
#[derive(Debug, Clone)]
pub struct ConfigIgnore {
    pub rule: String,
    pub paths: Vec<String>,
    globs: Option<GlobSet>,
    pub reason: String,
    /// Where the entry is in infra.toml (for unused-ignore notes).
    pub location: Location,
}

/// Why the paths of an `[[audit.ignore]]` entry cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IgnoreError {
    #[error("invalid path glob {glob:?}: {message}")]
    InvalidGlob { glob: String, message: String },
    #[error("{0}")]
    GlobSet(String),
}

impl ConfigIgnore {
    pub fn new(
        rule: &str,
        paths: &[String],
        reason: &str,
        location: Location,
    ) -> Result<Self, IgnoreError> {
        let globs = if paths.is_empty() {
            None
        } else {
            let mut b = GlobSetBuilder::new();
            for p in paths {
                let g = Glob::new(p).map_err(|e| IgnoreError::InvalidGlob {
                    glob: p.clone(),
                    message: e.to_string(),
                })?;
                b.add(g);
            }
            Some(b.build().map_err(|e| IgnoreError::GlobSet(e.to_string()))?)
        };
        Ok(ConfigIgnore {
            rule: rule.to_string(),
            paths: paths.to_vec(),
            globs,
            reason: reason.to_string(),
            location,
        })
    }

    pub fn covers(&self, f: &Finding) -> bool {
        (self.rule == f.rule || self.rule == "*")
            && self
                .globs
                .as_ref()
                .is_none_or(|g| g.is_match(&f.location.path))
    }
}

/// Apply inline and config ignores to `findings` (in place). Returns, for
/// each inline ignore and each config ignore, whether it matched anything.
pub fn apply(
    findings: &mut [Finding],
    inline: &[InlineIgnore],
    config: &[ConfigIgnore],
) -> (Vec<bool>, Vec<bool>) {
    let mut inline_used = vec![false; inline.len()];
    let mut config_used = vec![false; config.len()];
    for f in findings.iter_mut() {
        if f.suppression.is_some() {
            continue;
        }
        if let Some((i, ig)) = inline
            .iter()
            .enumerate()
            .find(|(_, ig)| ig.reason.is_some() && ig.covers(f))
        {
            inline_used[i] = true;
            f.suppression = Some(Suppression {
                kind: SuppressionKind::Inline,
                reason: ig.reason.clone().unwrap_or_default(),
                location: ig.location.clone(),
            });
            continue;
        }
        if let Some((i, ig)) = config.iter().enumerate().find(|(_, ig)| ig.covers(f)) {
            config_used[i] = true;
            f.suppression = Some(Suppression {
                kind: SuppressionKind::Config,
                reason: ig.reason.clone(),
                location: ig.location.clone(),
            });
        }
    }
    (inline_used, config_used)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Arbitrary text made of the characters ignore comments and redaction
    /// care about must never panic (multi-byte characters, unclosed comments).
    #[test]
    fn arbitrary_text_never_panics() {
        let alphabet: Vec<char> = "#-=`~<!>|*:/ \n\tainfr[]()é€😀0123456789_"
            .chars()
            .collect();
        for text in crate::source::text::random_texts(&alphabet, 2000) {
            let _ = parse_inline("x.md", &text);
            let _ = parse_inline("x.js", &text);
            let _ = crate::scan::redact::redact_text(&text);
        }
    }

    /// Test texts spell the directive `INFRA_IGNORE[` so this source file
    /// does not contain real ignores when the repository audits itself.
    fn directive(text: &str) -> String {
        text.replace("INFRA_IGNORE[", concat!("infra", ": ignore["))
    }

    #[test]
    fn markdown_takes_only_html_comments_outside_code() {
        let text = "# INFRA_IGNORE[a] heading, not a comment\n\
            `# INFRA_IGNORE[b] in code`\n\
            ```\n<!-- INFRA_IGNORE[c] fenced -->\n```\n\
            <!-- INFRA_IGNORE[d] real -->\n";
        let found = parse_inline("docs/x.md", &directive(text));
        let rules: Vec<_> = found.iter().map(|i| i.rules.join("+")).collect();
        assert_eq!(rules, ["d"]);
        assert_eq!(found[0].location.line, 6);
    }

    #[test]
    fn every_comment_syntax() {
        let text = "a\n# INFRA_IGNORE[readme-missing] we are a library\n\
            // INFRA_IGNORE[a,b] shared reason\n\
            <!-- INFRA_IGNORE[deploy-no-rollback] immutable deploys -->\n\
            -- INFRA_IGNORE[x] sql\n\
            ; INFRA_IGNORE[y] ini\n\
            /* INFRA_IGNORE[z] c block */\n\
            text INFRA_IGNORE[not-a-comment] nope\n\
            # INFRA_IGNORE[no-reason]\n";
        let found = parse_inline("f", &directive(text));
        let summary: Vec<_> = found
            .iter()
            .map(|i| (i.location.line, i.rules.join("+"), i.reason.clone()))
            .collect();
        assert_eq!(
            summary,
            [
                (2, "readme-missing".into(), Some("we are a library".into())),
                (3, "a+b".into(), Some("shared reason".into())),
                (
                    4,
                    "deploy-no-rollback".into(),
                    Some("immutable deploys".into())
                ),
                (5, "x".into(), Some("sql".into())),
                (6, "y".into(), Some("ini".into())),
                (7, "z".into(), Some("c block".into())),
                (9, "no-reason".into(), None),
            ]
        );
    }
}
